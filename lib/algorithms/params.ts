/**
 * Parameter schemas of algorithms and their parsing/validation: CLI-style `key=value` pairs
 * (comma-separated and/or repeated) or a record of values, checked against a schema and filled
 * with defaults. Used by the algorithm registry (`./registry`); knows no algorithm itself.
 */

export type ParamType = "number" | "integer" | "boolean" | "string" | "enum";
export type ParamValue = number | boolean | string;

interface ParamSpecBase {
  /** One line for help texts. */
  doc: string;
}
export interface NumberParamSpec extends ParamSpecBase {
  type: "number" | "integer";
  default: number;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
}
export interface BooleanParamSpec extends ParamSpecBase {
  type: "boolean";
  default: boolean;
}
export interface StringParamSpec extends ParamSpecBase {
  type: "string";
  default: string;
}
export interface EnumParamSpec extends ParamSpecBase {
  type: "enum";
  default: string;
  choices: readonly string[];
}
export type ParamSpec = NumberParamSpec | BooleanParamSpec | StringParamSpec | EnumParamSpec;
export type ParamSchema = Record<string, ParamSpec>;

/** The parsed values of a schema: numbers for number/integer, booleans, strings otherwise. */
export type ParamValues<S extends ParamSchema> = {
  [K in keyof S]: S[K] extends NumberParamSpec ? number : S[K] extends BooleanParamSpec ? boolean : string;
};

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

function describe(name: string, spec: ParamSpec): string {
  switch (spec.type) {
    case "enum":
      return `${name} (one of ${spec.choices.join("|")}, default ${spec.default})`;
    case "number":
    case "integer": {
      const range =
        spec.min !== undefined || spec.max !== undefined ? `, in [${spec.min ?? "-∞"}, ${spec.max ?? "∞"}]` : "";
      return `${name} (${spec.type}${range}, default ${spec.default})`;
    }
    case "string":
      return `${name} (string, default ${JSON.stringify(spec.default)})`;
    default:
      return `${name} (${spec.type}, default ${spec.default})`;
  }
}

/** "k (integer, default 40), sim (one of cosine|pearson, default cosine)" or "none". */
export function describeParams(schema: ParamSchema): string {
  const names = Object.keys(schema);
  return names.length === 0 ? "none" : names.map((n) => describe(n, schema[n])).join(", ");
}

function unknownParam(owner: string, name: string, schema: ParamSchema): Error {
  const names = Object.keys(schema);
  const valid = names.length === 0 ? `${owner} takes no parameters` : `valid parameters: ${describeParams(schema)}`;
  return new Error(`unknown parameter ${JSON.stringify(name)} for ${owner}; ${valid}`);
}

/** Converts one value (a string from the command line, or an already-typed value) and checks it. */
export function parseParamValue(owner: string, name: string, spec: ParamSpec, raw: unknown): ParamValue {
  const where = `parameter ${name} of ${owner}`;
  switch (spec.type) {
    case "number":
    case "integer": {
      let v: number;
      if (typeof raw === "number") v = raw;
      else if (typeof raw === "string" && raw.trim() !== "") v = Number(raw.trim());
      else throw new Error(`${where} must be a ${spec.type}, got ${JSON.stringify(raw)}`);
      if (Number.isNaN(v)) throw new Error(`${where} must be a ${spec.type}, got ${JSON.stringify(raw)}`);
      if (spec.type === "integer" && !Number.isInteger(v)) {
        throw new Error(`${where} must be an integer, got ${JSON.stringify(raw)}`);
      }
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        throw new Error(`${where} must be in [${spec.min ?? "-∞"}, ${spec.max ?? "∞"}], got ${v}`);
      }
      return v;
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string") {
        const s = raw.trim().toLowerCase();
        if (TRUE.has(s)) return true;
        if (FALSE.has(s)) return false;
      }
      throw new Error(`${where} must be true or false, got ${JSON.stringify(raw)}`);
    }
    case "string":
      if (typeof raw !== "string") throw new Error(`${where} must be a string, got ${JSON.stringify(raw)}`);
      return raw;
    case "enum": {
      const s = typeof raw === "string" ? raw.trim() : raw;
      if (typeof s !== "string" || !spec.choices.includes(s)) {
        throw new Error(`${where} must be one of ${spec.choices.join(", ")}; got ${JSON.stringify(raw)}`);
      }
      return s;
    }
  }
}

/**
 * Splits CLI-style pairs into a record of raw strings: every element may hold several
 * comma-separated `key=value` pairs (`["k=40,sim=cosine", "user_based=false"]`); empty pieces are
 * ignored; a key given twice is an error.
 */
export function splitPairs(owner: string, pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const element of pairs) {
    // A piece without "=" continues the previous value, so list values read naturally:
    // "features=genres,years,k=40" → features="genres,years", k="40".
    let last: string | null = null;
    for (const piece of element.split(",")) {
      const s = piece.trim();
      if (s === "") continue;
      const eq = s.indexOf("=");
      if (eq < 0 && last !== null) {
        out[last] += `,${s}`;
        continue;
      }
      if (eq <= 0) throw new Error(`parameter ${JSON.stringify(s)} of ${owner} is not of the form key=value`);
      const key = s.slice(0, eq).trim();
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw new Error(`parameter ${key} of ${owner} is given twice`);
      }
      out[key] = s.slice(eq + 1).trim();
      last = key;
    }
  }
  return out;
}

/**
 * Checks a record of values (typed, or strings to parse) against a schema and fills in the
 * defaults. Unknown names throw an Error listing the valid parameters; `undefined` means default.
 */
export function resolveParams<S extends ParamSchema>(
  owner: string,
  schema: S,
  given: Record<string, unknown> = {},
): ParamValues<S> {
  // Parameter names are matched in either spelling, camelCase or snake_case (Surprise's), so
  // `n_factors=50` and `nFactors=50` both set nFactors.
  const has = (name: string) => Object.prototype.hasOwnProperty.call(schema, name);
  const renamed: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    const alt = name.includes("_") ? name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const key = has(name) ? name : has(alt) ? alt : null;
    if (key === null) throw unknownParam(owner, name, schema);
    if (Object.prototype.hasOwnProperty.call(renamed, key)) throw new Error(`parameter ${key} of ${owner} is given twice`);
    renamed[key] = given[name];
  }
  given = renamed;
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(schema)) {
    const spec = schema[name];
    const raw = given[name];
    out[name] = raw === undefined ? spec.default : parseParamValue(owner, name, spec, raw);
  }
  return out as ParamValues<S>;
}

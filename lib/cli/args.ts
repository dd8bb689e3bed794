/**
 * A tiny argument parser shared by every `recsys` command.
 *
 * Understands `--name value`, `--name=value`, boolean flags (`--json`, `--json=false`), repeated
 * flags (declared `multiple`), one-letter aliases (`-n 10`), `--` (everything after it is
 * positional) and positional arguments. `--help`/`-h` is always accepted and sets `help`.
 * An unknown flag, a missing value, a bad number or a wrong number of positionals is a
 * `UsageError` whose message says what is valid.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface FlagSpec {
  type: "string" | "number" | "boolean";
  description: string;
  /** May be given several times; the values are collected in order. */
  multiple?: boolean;
  /** One-letter alias, without the dash. */
  short?: string;
  /** Placeholder shown in help, e.g. "dir". */
  valueName?: string;
}

export interface PositionalSpec {
  name: string;
  description?: string;
  optional?: boolean;
  /** Takes all remaining positionals (only the last one). */
  variadic?: boolean;
}

export interface ArgSpec {
  flags?: Record<string, FlagSpec>;
  positionals?: PositionalSpec[];
}

export interface ParsedArgs {
  positionals: string[];
  help: boolean;
  /** The value of a string flag (the last one if repeated), or undefined. */
  string(name: string): string | undefined;
  /** The value of a number flag, or undefined. */
  number(name: string): number | undefined;
  /** Whether a boolean flag is on. */
  boolean(name: string): boolean;
  /** Every value of a `multiple` flag, in order. */
  list(name: string): string[];
  has(name: string): boolean;
}

function flagList(spec: ArgSpec): string {
  const names = Object.keys(spec.flags ?? {}).map((n) => `--${n}`);
  names.push("--help");
  return names.join(", ");
}

const TRUE = new Set(["true", "1", "yes"]);
const FALSE = new Set(["false", "0", "no"]);

export function parseArgs(argv: readonly string[], spec: ArgSpec = {}): ParsedArgs {
  const flags = spec.flags ?? {};
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(flags)) if (f.short) byShort.set(f.short, name);
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;

  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === "--") {
      positionals.push(...argv.slice(k + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw new UsageError(`unknown option ${arg}; valid options: ${flagList(spec)}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const f = flags[name];
    if (!f) throw new UsageError(`unknown option --${name}; valid options: ${flagList(spec)}`);
    let value: string;
    if (f.type === "boolean") {
      if (inline === undefined) value = "true";
      else if (TRUE.has(inline.toLowerCase())) value = "true";
      else if (FALSE.has(inline.toLowerCase())) value = "false";
      else throw new UsageError(`--${name} is a switch: use --${name} or --${name}=false, not --${name}=${inline}`);
    } else {
      if (inline !== undefined) value = inline;
      else if (k + 1 < argv.length) value = argv[++k];
      else throw new UsageError(`--${name} needs a value`);
      if (f.type === "number" && (value.trim() === "" || !Number.isFinite(Number(value)))) {
        throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`);
      }
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !f.multiple) throw new UsageError(`--${name} given more than once`);
    list.push(value);
    values.set(name, list);
  }

  if (!help) checkPositionals(positionals, spec.positionals);

  const get = (name: string, type: FlagSpec["type"]): string[] => {
    const f = flags[name];
    if (!f) throw new Error(`parseArgs: flag --${name} is not declared`);
    if (f.type !== type) throw new Error(`parseArgs: flag --${name} is a ${f.type}, not a ${type}`);
    return values.get(name) ?? [];
  };
  return {
    positionals,
    help,
    string: (name) => get(name, "string").slice(-1)[0],
    number: (name) => {
      const v = get(name, "number").slice(-1)[0];
      return v === undefined ? undefined : Number(v);
    },
    boolean: (name) => get(name, "boolean").slice(-1)[0] === "true",
    list: (name) => (values.get(name) ?? []).slice(),
    has: (name) => values.has(name),
  };
}

function checkPositionals(got: string[], specs: PositionalSpec[] | undefined): void {
  const list = specs ?? [];
  const min = list.filter((p) => !p.optional && !p.variadic).length;
  const variadic = list.length > 0 && list[list.length - 1].variadic;
  const max = variadic ? Infinity : list.length;
  const names = list.map((p) => (p.optional || p.variadic ? `[${p.name}${p.variadic ? "..." : ""}]` : `<${p.name}>`)).join(" ");
  if (got.length < min) {
    throw new UsageError(`missing argument${min - got.length > 1 ? "s" : ""}: expected ${names}`);
  }
  if (got.length > max) {
    const extra = got.slice(max).join(" ");
    throw new UsageError(max === 0 ? `unexpected argument ${extra} (this command takes none)` : `unexpected argument ${extra}: expected ${names}`);
  }
}

/** Help lines for the flags of a spec: "  --name <value>   description". */
export function formatFlags(spec: ArgSpec): string {
  const rows: [string, string][] = Object.entries(spec.flags ?? {}).map(([name, f]) => {
    const value = f.type === "boolean" ? "" : ` <${f.valueName ?? (f.type === "number" ? "n" : "value")}>`;
    const short = f.short ? `-${f.short}, ` : "";
    return [`${short}--${name}${value}`, f.description + (f.multiple ? " (repeatable)" : "")];
  });
  rows.push(["-h, --help", "show this help"]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join("\n");
}

/** A command's help text: its own lines (usage, description), then the table of its flags. */
export function helpText(lines: readonly string[], spec: ArgSpec): string {
  return [...lines, "", formatFlags(spec), ""].join("\n");
}

/** Parses a command's arguments; with --help it prints the help instead and returns null. */
export function parseOrHelp(argv: readonly string[], spec: ArgSpec, help: () => string, io: { out(text: string): void }): ParsedArgs | null {
  const args = parseArgs(argv, spec);
  if (!args.help) return args;
  io.out(help());
  return null;
}

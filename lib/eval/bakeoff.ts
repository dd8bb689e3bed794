/**
 * A bake-off: several algorithms evaluated under the same protocol, options and seed (hence the
 * same splits), one row each — the course's `Evaluator.Evaluate` over its list of algorithms.
 */
import type { RatingDataset } from "../data/dataset";
import type { Recommender } from "../model/recommender";
import { EvalOptions, EvalResult, Protocol, ResolvedEvalOptions, evaluateResolved, resolveOptions, similarityFor } from "./evaluate";

export interface BakeOffEntry {
  /** Row label, e.g. "Random" or "Item-KNN (k=40)". */
  name: string;
  factory: () => Recommender;
}

export interface BakeOffRow extends EvalResult {
  name: string;
}

export interface BakeOffResult {
  protocol: Protocol;
  dataset: string;
  options: ResolvedEvalOptions;
  rows: BakeOffRow[];
}

/**
 * Evaluates every entry with `evaluate` semantics and the same options; the item similarity used
 * for diversity is built once and shared. `options.onProgress` messages are prefixed with the
 * entry's name. The result is a plain object (JSON-ready); format it with `toText` or `toHTML`.
 */
export function bakeOff(
  entries: readonly BakeOffEntry[],
  data: RatingDataset,
  protocol: Protocol,
  options: EvalOptions = {},
): BakeOffResult {
  if (entries.length === 0) throw new Error("bakeOff: no algorithms to compare");
  const names = new Set<string>();
  for (const e of entries) {
    if (!e || typeof e.name !== "string" || typeof e.factory !== "function") {
      throw new Error("bakeOff: every entry needs a name and a factory function");
    }
    if (names.has(e.name)) throw new Error(`bakeOff: two entries are named ${JSON.stringify(e.name)}`);
    names.add(e.name);
  }
  const o = resolveOptions(options);
  const sim = similarityFor(data, options);
  const progress = options.onProgress;
  const rows = entries.map((e): BakeOffRow => {
    const r = evaluateResolved(e.factory, data, protocol, o, sim, progress && ((m) => progress(`${e.name}: ${m}`)));
    return { name: e.name, ...r };
  });
  return { protocol, dataset: data.name, options: o, rows };
}

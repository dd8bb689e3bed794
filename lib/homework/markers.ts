/**
 * The homework markers inside a code cell, nbgrader style:
 *
 *   // BEGIN SOLUTION        the instructor's answer; the student version gets a stub instead
 *   // END SOLUTION
 *   // BEGIN HIDDEN TESTS    asserts the student never sees; removed from the student version
 *   // END HIDDEN TESTS
 *
 * A marker is a line holding only the marker comment, in capitals (indentation and extra spaces
 * allowed). A line that looks like a marker but is not one (`// End solution`,
 * `/* BEGIN SOLUTION *\/`, `// BEGIN SOLUTION: …`) is an error rather than silently kept, so a typo
 * cannot leak an answer. Regions may not nest and must be closed in the same cell.
 * Pure functions over cell sources (no I/O).
 */

export type RegionKind = "solution" | "hidden";

/** One marked region: `begin`/`end` are the 0-based line numbers of its two marker lines. */
export interface Region {
  kind: RegionKind;
  begin: number;
  end: number;
  /** Leading whitespace of the BEGIN marker (the stub is indented the same way). */
  indent: string;
}

/** The two lines that replace a solution region in the student version. */
export const STUB_LINES = ["// YOUR CODE HERE", 'throw new Error("not implemented");'] as const;
/** What a markdown solution cell becomes in the student version (nbgrader's text). */
export const MARKDOWN_STUB = "YOUR ANSWER HERE";

const MARKER = /^(\s*)\/\/\s*(BEGIN|END)\s+(SOLUTION|HIDDEN\s+TESTS)\s*$/;
const NEAR_MARKER = /\b(BEGIN|END)\s*(SOLUTION|HIDDEN[\s_-]*TESTS?)\b/i;
const NAMES: Record<RegionKind, string> = { solution: "SOLUTION", hidden: "HIDDEN TESTS" };

/** Marker text of a region kind, e.g. `// BEGIN SOLUTION`. */
export function markerText(kind: RegionKind, which: "BEGIN" | "END"): string {
  return `// ${which} ${NAMES[kind]}`;
}

export function splitLines(source: string): string[] {
  return source.split("\n");
}

/** The marker on a line, if the line is exactly a marker. */
export function parseMarker(line: string): { which: "BEGIN" | "END"; kind: RegionKind; indent: string } | null {
  const m = MARKER.exec(line.replace(/\r$/, ""));
  if (!m) return null;
  return { which: m[2] as "BEGIN" | "END", kind: m[3] === "SOLUTION" ? "solution" : "hidden", indent: m[1] };
}

/** True when a line mentions a marker without being exactly one (a probable typo). */
export function isMalformedMarker(line: string): boolean {
  return parseMarker(line) === null && NEAR_MARKER.test(line);
}

/**
 * The regions of a cell source and the problems with its markers. `where` prefixes every problem
 * (e.g. `notebooks/01-x.ipynb: cell "ex1-solution"`); lines are reported 1-based.
 */
export function findRegions(source: string, where: string): { regions: Region[]; problems: string[] } {
  const lines = splitLines(source);
  const regions: Region[] = [];
  const problems: string[] = [];
  let open: { kind: RegionKind; begin: number; indent: string } | null = null;
  lines.forEach((line, k) => {
    const m = parseMarker(line);
    if (!m) {
      if (isMalformedMarker(line)) {
        problems.push(
          `${where}, line ${k + 1}: malformed marker ${JSON.stringify(line.trim())}: a marker line holds exactly ` +
            `"// BEGIN SOLUTION", "// END SOLUTION", "// BEGIN HIDDEN TESTS" or "// END HIDDEN TESTS"`,
        );
      }
      return;
    }
    if (m.which === "BEGIN") {
      if (open) {
        problems.push(
          `${where}, line ${k + 1}: ${markerText(m.kind, "BEGIN")} inside the ${markerText(open.kind, "BEGIN")} ` +
            `region opened on line ${open.begin + 1} (regions cannot nest)`,
        );
        return;
      }
      open = { kind: m.kind, begin: k, indent: m.indent };
      return;
    }
    if (!open) {
      problems.push(`${where}, line ${k + 1}: ${markerText(m.kind, "END")} without a matching ${markerText(m.kind, "BEGIN")}`);
      return;
    }
    if (open.kind !== m.kind) {
      problems.push(
        `${where}, line ${k + 1}: ${markerText(m.kind, "END")} closes the ${markerText(open.kind, "BEGIN")} region ` +
          `opened on line ${open.begin + 1}`,
      );
      open = null;
      return;
    }
    regions.push({ kind: open.kind, begin: open.begin, end: k, indent: open.indent });
    open = null;
  });
  if (open) {
    const o = open as { kind: RegionKind; begin: number };
    problems.push(`${where}, line ${o.begin + 1}: ${markerText(o.kind, "BEGIN")} is never closed (no ${markerText(o.kind, "END")} in this cell)`);
  }
  return { regions, problems };
}

/** Throws one Error listing the marker problems of a source, or returns its regions. */
export function regionsOrThrow(source: string, where: string): Region[] {
  const { regions, problems } = findRegions(source, where);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return regions;
}

/**
 * The student version of a code cell source: every solution region (markers included) becomes
 * the stub, indented like its BEGIN marker; every hidden-tests region (markers included) is removed.
 */
export function studentSource(source: string, regions: readonly Region[]): string {
  const lines = splitLines(source);
  const out: string[] = [];
  let k = 0;
  for (const r of [...regions].sort((a, b) => a.begin - b.begin)) {
    out.push(...lines.slice(k, r.begin));
    if (r.kind === "solution") for (const s of STUB_LINES) out.push(r.indent + s);
    k = r.end + 1;
  }
  out.push(...lines.slice(k));
  return out.join("\n");
}

/** The lines inside the regions of one kind (marker lines excluded). */
export function regionLines(source: string, regions: readonly Region[], kind?: RegionKind): string[] {
  const lines = splitLines(source);
  const out: string[] = [];
  for (const r of regions) if (!kind || r.kind === kind) out.push(...lines.slice(r.begin + 1, r.end));
  return out;
}

/** The source with every region (markers and contents) removed: what the instructor shows anyway. */
export function withoutRegions(source: string, regions: readonly Region[]): string {
  const lines = splitLines(source);
  const inRegion = new Uint8Array(lines.length);
  for (const r of regions) inRegion.fill(1, r.begin, r.end + 1);
  return lines.filter((_, k) => !inRegion[k]).join("\n");
}

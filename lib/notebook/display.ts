/**
 * Rich output for notebooks run by the tslab kernel: plotly figures, HTML, Markdown.
 *
 * Output goes to a *display sink*. By default that is tslab's display API, loaded lazily (only
 * when something is shown), so this module can be imported in plain Node (tests, CLI) without
 * the kernel. Tests install their own sink with `setDisplaySink`.
 *
 * tslab sends exactly one MIME type per output; `display.raw(mime, object)` passes a plain object
 * through as JSON, which is what JSON MIME types like plotly's need.
 */
import { validateFigure, type Figure } from "../plot/figure";

/** The MIME type JupyterLab's plotly renderer draws (`{data, layout}` JSON). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Writes one output of a single MIME type. */
export type DisplayFn = (mime: string, data: unknown) => void;

/** Where outputs go. */
export interface DisplaySink {
  /** Appends a new output to the running cell. */
  display: DisplayFn;
  /** A function whose first call appends an output and whose later calls replace that output in place. */
  newDisplay(): DisplayFn;
}

let injected: DisplaySink | null = null;

/** Routes all output to `sink` (null: back to tslab). Returns the previous injected sink. */
export function setDisplaySink(sink: DisplaySink | null): DisplaySink | null {
  const previous = injected;
  injected = sink;
  return previous;
}

/** True when this code runs inside the tslab kernel (its executor defines `globalThis.__tslab__`). */
export function inKernel(): boolean {
  return (globalThis as Record<string, unknown>).__tslab__ !== undefined;
}

/** True when output has somewhere to go: an injected sink, or the kernel. */
export function displayAvailable(): boolean {
  return injected !== null || inKernel();
}

/** The current sink; throws a clear Error outside the kernel when none was injected. */
export function displaySink(): DisplaySink {
  if (injected) return injected;
  if (!inKernel()) {
    throw new Error(
      "lib/notebook: not running in the tslab kernel, so there is nowhere to display output " +
        "(run the code in a notebook, or install a sink with setDisplaySink)",
    );
  }
  // Loaded here, not at module load: outside the kernel tslab's display throws "Not ready".
  const tslab = require("tslab") as typeof import("tslab");
  return {
    display: (mime, data) => tslab.display.raw(mime, data as string),
    newDisplay: () => {
      const d = tslab.newDisplay();
      return (mime, data) => d.raw(mime, data as string);
    },
  };
}

/** Shows a plotly figure after checking it with `validateFigure`. */
export function show(fig: Figure): void {
  validateFigure(fig);
  displaySink().display(PLOTLY_MIME, fig);
}

/** Shows HTML (the caller is responsible for escaping untrusted text). */
export function html(s: string): void {
  displaySink().display("text/html", s);
}

/** Shows Markdown. */
export function markdown(s: string): void {
  displaySink().display("text/markdown", s);
}

/** Shows plain text. */
export function text(s: string): void {
  displaySink().display("text/plain", s);
}

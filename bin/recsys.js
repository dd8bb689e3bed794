#!/usr/bin/env node
// The `recsys` command: registers tsx so the TypeScript sources run as they are (no build step),
// then hands the arguments to lib/cli/main.ts. Paths are resolved from this file, so it works
// from any working directory (and as `npx recsys` in the project).
"use strict";
const path = require("path");
require("tsx/cjs");
const { main } = require(path.join(__dirname, "..", "lib", "cli", "main.ts"));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`recsys: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);

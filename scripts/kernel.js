#!/usr/bin/env node
// Jupyter kernel launcher: the project's own pinned tslab, started with the project root as its
// working directory. tslab type-checks a cell together with every local .ts file it imports and
// requires them all to lie under its working directory, so starting it at the root lets any
// notebook -- in notebooks/, in a homework release folder or in a grading sandbox -- use
// `import ... from "./lib"`.
"use strict";
const path = require("path");
const root = path.resolve(__dirname, "..");
process.chdir(root);
require(path.join(root, "node_modules", "tslab", "dist", "main.js")).main();

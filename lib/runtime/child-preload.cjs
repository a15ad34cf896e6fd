"use strict";
// The one preload of the Next.js child of `npm run dev` / `npm start` (run-app.ts), given through
// NODE_OPTIONS so it reaches every Node process of the app, including the server worker that
// `next dev` forks (an `-r` on the command line does not: next dev turns execArgv into an invalid
// `--r=` NODE_OPTIONS and the worker fails to start). One file, because next dev keeps only one
// `--require` when it rewrites NODE_OPTIONS.
require("./peer-header.cjs");
require("./parent-watch.cjs");

#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/ (run `pnpm build` first; setup does).
import('../dist/main.js').then((m) => m.main(process.argv.slice(2)));

#!/usr/bin/env bash
# The README's test command: sets the machine up, then runs every test and prints one closing line
# `N passed, M failed` computed from vitest's JSON results (not from vitest's own summary).
#   1. unit, property, fuzz, differential and integration tests (tests against real redis-server,
#      ioredis, redis-cli; run in parallel workers)
#   2. end-to-end tests against the real Docker Engine (tests/e2e, then the multi-host lab in
#      tests/lab), one file at a time because they share one engine and one swarm.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
status=0
run() { # name config...
  local name=$1; shift
  echo "== tests: $name"
  pnpm exec vitest run "$@" --reporter=default --reporter=json --outputFile.json="$results/$name.json" || status=1
}

run unit --config vitest.config.ts
if [ -d tests/e2e ] || [ -d tests/lab ]; then
  if bash scripts/docker/ensure-dockerd.sh; then
    run e2e --config vitest.e2e.config.ts
  else
    echo "test: no Docker Engine could be started: end-to-end tests count as failed"
    status=1
    echo '{"numPassedTests":0,"numFailedTests":1}' > "$results/e2e.json"
  fi
fi

node -e '
  const fs = require("fs"), path = require("path");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    try {
      const r = JSON.parse(fs.readFileSync(path.join(process.argv[1], f), "utf8"));
      passed += r.numPassedTests ?? 0;
      failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0);
    } catch { failed += 1; }
  }
  console.log(`${passed} passed, ${failed} failed`);
' "$results"
rm -rf "$results"
exit $status

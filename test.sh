#!/usr/bin/env bash
# Runs every test of the repository and ends with "N passed, N failed".
# Needs only the .NET 10 SDK and Node.js: the pinned Azurite is installed from package-lock.json when missing, and
# Debian's chromium (for the ops console's browser tests) with apt-get when missing.
# Builds src/Functions with the real Worker SDK too (the tests reference it), without its two Service Bus triggers:
# see ExcludeServiceBusTriggers in src/Functions/Functions.csproj.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# The ops console's browser tests drive Debian's chromium (tests/Integration.Tests/Operations/Console): installed when missing.
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get install -y --no-install-recommends chromium || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }; } \
    || { echo "installing chromium (apt-get install chromium) failed"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
# --blame: a test host that crashes is named with the test it was running; a test that hangs is stopped after 10 minutes
# and named (no dump taken).
dotnet test tests/Integration.Tests/Integration.Tests.csproj \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results" \
  --blame --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
status=$?

trx="$results/tests.trx"
if [ -f "$trx" ]; then
  # Each failed test's name and the first line of its message, as "FAILED TEST name: message", so that the end of a
  # long run (all a CI summary may keep) still says which test failed and why.
  node -e '
    const xml = require("fs").readFileSync(process.argv[1], "utf8");
    const unescape = t => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "\x27").replace(/&amp;/g, "&");
    // A result without output is self-closing (<UnitTestResult ... />): matched as such, so that it does not swallow the next one.
    for (const m of xml.matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
      if (!/outcome="Failed"/.test(m[1])) continue;
      const name = unescape((/testName="([^"]*)"/.exec(m[1]) || [, "?"])[1]);
      const message = unescape((/<Message>([\s\S]*?)<\/Message>/.exec(m[2] || "") || [, ""])[1]).trim().split("\n")[0].slice(0, 300);
      console.log("FAILED TEST " + name + ": " + message);
    }
    for (const m of xml.matchAll(/<RunInfo\b[^>]*outcome="Error"[^>]*>[\s\S]*?<Text>([\s\S]*?)<\/Text>/g)) {
      console.log("FAILED TEST RUN: " + unescape(m[1]).trim().replace(/\s+/g, " ").slice(0, 500));
    }' "$trx" || true
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
  if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
    echo "FAILED TEST RUN: dotnet test ended with exit code $status and no failed test (a crash or an abort: see above)"
    failed=1
  fi
  echo "${passed:-0} passed, ${failed:-0} failed"
else
  echo "0 passed, 1 failed (the tests did not run: build or restore error above)"
  status=1
fi
exit $status

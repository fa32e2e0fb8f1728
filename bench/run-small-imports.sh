#!/usr/bin/env bash
# Benchmark (not a test): FILES drops of about 10 KB through one warm import handler, four at a time, beside the bare
# upload calls of the same bytes to the same endpoint, with Dragonfruit answering at once and after PARTNER_MS
# (each a list entry); storage calls per file counted at the HTTP level.
#   bench/run-small-imports.sh [FILES=1000] [PARTNER_MS=0,20,100]
# Appends the table to bench/results/imports-<UTC date>.md. Needs the .NET 10 SDK and Node.js.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
files=${1:-1000}
partner_ms=${2:-0,20,100}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
source bench/lib.sh
dotnet build bench/Imports.Benchmark/Imports.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Imports.Benchmark/bin/Release/net10.0/imports-bench
bench_start

"$bench" serve "$work/settings.json" "$storage" >"$work/serve.log" 2>&1 &
serve_pid=$!
trap 'kill -TERM $serve_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true; bench_cleanup' EXIT
until grep -q "Storage:ConnectionString" "$work/settings.json" 2>/dev/null; do
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done

bench_run imports "small drops" "$files small drops through a warm handler" "$bench" small "$work/settings.json" "$files" "$partner_ms"

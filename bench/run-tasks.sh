#!/usr/bin/env bash
# Benchmark (not a test): INSTANCES (4) app hosts send distinct tasks through ITaskHandler for SECONDS against a partner
# sandbox that answers 429 above 60 requests/minute; the target is 0 × 429 at ≥ 59.4 requests/minute.
#   bench/run-tasks.sh [SECONDS=180] [INSTANCES=4] [BATCH=1: tasks a request; more = PUT /tasks/batch]
#                      [OFFSET_S=0: instance clocks off by -OFFSET_S..+OFFSET_S] [CLOCK_SKEW_S=2 × OFFSET_S]   see bench/README.md
# Appends the table to bench/results/tasks-<UTC date>.md. Needs the .NET 10 SDK and Node.js.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-180}
instances=${2:-4}
batch=${3:-1}
offset=${4:-0}
skew=${5:-}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

source bench/lib.sh
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench
echo "Running $instances instances for $seconds s…"
bench_start
clocks=""
[[ $offset == 0 ]] || clocks=", clocks off by ±$offset s"
[[ -z $skew ]] || clocks="$clocks, ClockSkew $skew s"
bench_run tasks tasks-bench "$instances instances, $seconds s, $batch task(s) a request$clocks, sandbox limit 60/min" "$bench" run "$storage" "$seconds" "$instances" "$batch" "$offset" $skew

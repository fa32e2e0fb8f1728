#!/usr/bin/env bash
# Chaos harness (not a test): MESSAGES task messages (1 % invalid, a fifth of the tasks in several versions out of order)
# through the local queue stand-in and INSTANCES consumers while the partner sandbox answers 30 % 5xx, 10 % 429 with
# Retry-After 1 s, drops 2 % of connections and adds up to 50 ms of latency. Checks that every valid task ends at its
# latest version, no older version lands after a newer one, only the invalid are dead-lettered, and the request log has a
# row for every attempt. Bounded: gives up after an hour.
#   bench/run-chaos.sh [MESSAGES=10000] [INSTANCES=4]        see bench/README.md
# Appends the table to bench/results/chaos-<UTC date>.md; exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
messages=${1:-10000}
instances=${2:-4}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

source bench/lib.sh
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench
bench_start
bench_run chaos "tasks-bench chaos" "$messages messages, $instances consumers" "$bench" chaos "$storage" "$messages" "$instances"

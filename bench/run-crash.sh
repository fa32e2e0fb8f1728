#!/usr/bin/env bash
# Kill-and-restart harness (not a test): the app as a real process (`integration run --local-queue`) is killed with
# SIGKILL at random moments KILLS times and started again, while it works through MESSAGES task messages and FILES CSV
# drops (the larger split after a 413); Azurite and the partner sandbox outlive it. Files held for a lost answer are
# settled with `integration imports resolve` as an operator would; then checks nothing is lost, stale or received twice.
#   bench/run-crash.sh [MESSAGES=1000] [FILES=40] [KILLS=20]        see bench/README.md (the latest figures: 1000 400 60)
# Appends the table to bench/results/crash-<UTC date>.md; exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
messages=${1:-1000}
files=${2:-40}
kills=${3:-20}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

source bench/lib.sh
dotnet build src/Cli/Cli.csproj -c Release -nologo -v:q
dotnet build bench/Tasks.Benchmark/Tasks.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Tasks.Benchmark/bin/Release/net10.0/tasks-bench
cli=src/Cli/bin/Release/net10.0/integration.dll
bench_start
bench_run crash "tasks-bench crash" "$messages messages, $files files, $kills kills" "$bench" crash "$storage" "$cli" "$messages" "$files" "$kills"

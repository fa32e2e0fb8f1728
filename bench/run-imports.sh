#!/usr/bin/env bash
# Benchmark (not a test): a generated CSV of SIZE_MB MiB is forwarded from Azurite to the partner sandbox by the real
# import pipeline, beside raw copies of the same bytes over the same loopback path; each run under /usr/bin/time -v.
#   bench/run-imports.sh [SIZE_MB=1024]        RUNS=3 by default (runs per mode, order alternating); BENCH_COLD=1: no warm-up; see bench/README.md
# Appends the tables to bench/results/imports-<UTC date>.md. Needs the .NET 10 SDK, Node.js and GNU time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
size_mb=${1:-1024}
runs=${RUNS:-3}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

[[ -x /usr/bin/time ]] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 1; }
[[ -f node_modules/azurite/dist/src/azurite.js ]] || npm ci --no-audit --no-fund
dotnet build bench/Imports.Benchmark/Imports.Benchmark.csproj -c Release -nologo -v:q
bench=bench/Imports.Benchmark/bin/Release/net10.0/imports-bench

work=$(mktemp -d)
azurite_pid="" serve_pid=""
cleanup() {
  for pid in $serve_pid $azurite_pid; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# wait_for FILE TEXT PID: until FILE holds TEXT; fails if PID exits first.
wait_for() {
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; echo "process $3 exited before it was ready" >&2; exit 1; }
    sleep 0.2
  done
}

# Azurite on free ports, its blobs on disk in $work; no access log and no telemetry (Azurite sends it by default).
source bench/lib.sh
start_azurite "$work"

# The partner sandbox, in its own process too; it writes the app settings that point at it and at Azurite.
"$bench" serve "$work/settings.json" "$storage" >"$work/serve.log" 2>&1 &
serve_pid=$!
wait_for "$work/settings.json" "Storage:ConnectionString" "$serve_pid"

"$bench" generate "$work/settings.json" "$size_mb"

# measure RUN MODE: one process under /usr/bin/time -v; appends run, RESULT fields, wall s, CPU s, max RSS KiB to runs.tsv.
measure() {
  local run=$1 mode=$2 out="$work/$2-$1"
  if ! /usr/bin/time -v -o "$out.time" "$bench" "$mode" "$work/settings.json" >"$out.out" 2>"$out.err"; then
    cat "$out.err" "$out.time" >&2
    echo "$mode run $run failed" >&2
    exit 1
  fi
  local result wall cpu rss
  result=$(grep '^RESULT' "$out.out" | cut -f2-)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out.time")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$out.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out.time")
  printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$result" "$wall" "$cpu" "$rss" >>"$work/runs.tsv"
  echo "run $run $mode: $(cut -f3 <<<"$result") s in process, $wall s wall, max RSS $rss KiB"
}

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
  if (( run % 2 )); then order="raw raw-streaming raw-multipart import import-split import-known"; else order="import-known import-split import raw-multipart raw-streaming raw"; fi
  for mode in $order; do measure "$run" "$mode"; done
done
# Diagnostics, once each: the blob read as the handler reads it and with one streamed GET, and the validation pass alone.
for mode in read read-streaming validate; do measure diag "$mode"; done

mkdir -p bench/results
results="bench/results/imports-$(date -u +%F).md"
{
  echo
  echo "## $size_mb MiB CSV, $runs runs per mode ($(date -u '+%F %H:%M') UTC, $(( $(date +%s) - started )) s of measuring)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ with uncommitted changes'); load average before: $load_before."
  echo "$(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; .NET $(dotnet --version), Node $(node --version), Azurite $(node -p "require('./node_modules/azurite/package.json').version")."
  if [[ ${BENCH_COLD:-} == 1 ]]; then
    echo "Cold processes (BENCH_COLD=1): each measured transfer is its process's first, one-time start-up costs included."
  else
    echo "Warm processes: each first ran its own path once on a 10 KB file, outside the timer (as an instance after its first invocation)."
  fi
  echo
  "$bench" report "$work/runs.tsv"
} | tee -a "$results"
echo "Appended to $results"

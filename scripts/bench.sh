#!/usr/bin/env bash
# Benchmarks sharemap against raw Win32 and Boost.Interprocess: installs what is missing with apt-get,
# builds sharemap-bench with the linux-mingw-gcc preset, runs it under Wine in the build tree's prefix, writes
# build/linux-mingw-gcc/bench/results.json and results.csv, lists each variant's wineserver requests
# (bench/calls.py), and regenerates docs/performance.md and docs/performance.svg from them, keeping the data in
# bench/last-run/.
#   bash scripts/bench.sh                               the full run (a few minutes on 2 cores)
#   bash scripts/bench.sh --only attach --rounds 41     arguments go to sharemap-bench (see bench/main.cpp)
# A run with --quick, --only or --variants regenerates nothing: the page shows full runs only.
set -euo pipefail
cd "$(dirname "$0")/.."

preset=linux-mingw-gcc

# Boost's headers, unless some version is there already: Debian 12's 1.81, or the distribution's default (two
# libboost*-dev versions cannot be installed side by side).
if [ -f /usr/include/boost/interprocess/windows_shared_memory.hpp ]; then
    bash scripts/deps.sh python3
else
    bash scripts/deps.sh python3 libboost1.81-dev || bash scripts/deps.sh python3 libboost-dev
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target sharemap-bench

# The tests' environment: the build tree's Wine prefix, no Wine debug chatter, no winedbg on a crash.
. "build/$preset/wine-env.sh"
out="build/$preset/bench"
mkdir -p "$out"

regenerate=1
for arg in "$@"; do
    if [ "$arg" = --quick ] || [ "$arg" = --only ] || [ "$arg" = --variants ]; then
        regenerate=0
    fi
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- include bench 2>/dev/null; then
    commit="$commit with local changes to include/ or bench/"
fi
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
host="$(uname -sr) $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB;"
host="$host load average (1, 5, 15 min) before the run: $load_before"

echo "== sharemap-bench under Wine (load average now: $load_before)"
# Run from the output folder: Wine maps the Unix working directory, so --out . lands there.
(cd "$out" && timeout 1200 "$SHAREMAP_WINE" "$SHAREMAP_BIN_DIR/sharemap-bench.exe" --out . --commit "$commit" \
    --host "$host" "$@")

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average after the run: $load_after"
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 0.7) }'; then
    echo "note: the machine was busy before the run (load $load_before on $(nproc) cores): ratios are noisier;" \
         "the A/A control rows show by how much" >&2
fi

if [ "$regenerate" -eq 1 ]; then
    # Under Wine every kernel-object call is a wineserver request: list the requests of one operation per variant.
    echo "== the wineserver requests of one operation per variant (WINEDEBUG=+server)"
    # The wineserver prints the +server trace, to the standard error it was started with: wait until the one the
    # timed run started has gone (it lingers a few seconds), so that the traced run starts its own.
    "$SHAREMAP_WINESERVER" -w || true
    (cd "$out" && WINEDEBUG=+server,+debugstr timeout 300 "$SHAREMAP_WINE" "$SHAREMAP_BIN_DIR/sharemap-bench.exe" \
        --trace 2>trace.txt >/dev/null)
    python3 bench/calls.py "$out/trace.txt" --json "$out/calls.json"

    # The page, and the data behind it kept beside the benchmark, so that the page can be regenerated.
    mkdir -p bench/last-run
    cp "$out/results.json" "$out/results.csv" "$out/calls.json" bench/last-run/
    python3 bench/report.py bench/last-run/results.json --calls bench/last-run/calls.json \
        --md docs/performance.md --svg docs/performance.svg
    echo "== wrote docs/performance.md, docs/performance.svg and bench/last-run/ from $out/"
else
    echo "== partial or quick run: docs/performance.md left as it was; results in $out/"
fi

#!/usr/bin/env bash
# Runs the cross-process tests with children of the other bitness: the 64-bit test program with 32-bit children,
# and the 32-bit one with 64-bit children, side by side, in one Wine prefix (one wineserver: one namespace of named
# objects).
# Builds both programs first (the linux-mingw-gcc and linux-mingw-gcc-i686 presets); exits non-zero on any failure.
#   bash scripts/bitness.sh            the tests tagged as below
#   bash scripts/bitness.sh '[channel]' any other Catch2 test spec
set -euo pipefail
cd "$(dirname "$0")/.."

# Every test whose children share in-section state with the parent (locks, events, the channel's ring, a shared
# object's header): that state is what must read the same at both bitnesses. Each runs as the suite runs it.
spec="${1:-[bitness],[section_mutex],[section_event],[channel],[shared_object]}"

bash scripts/deps.sh g++-mingw-w64-i686-posix wine32:i386
for preset in linux-mingw-gcc linux-mingw-gcc-i686; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" --target sharemap_tests
done

# The 64-bit build's prefix and Wine settings (WINEDLLOVERRIDES=winedbg.exe=d: a crash is a failure, not exit 0).
. build/linux-mingw-gcc/wine-env.sh
windows_path() { # an absolute Linux path as Wine's Z: drive shows it
    local p
    p="$(realpath "$1")"
    echo "Z:${p//\//\\}"
}
b64=build/linux-mingw-gcc/bin/sharemap_tests.exe
b32=build/linux-mingw-gcc-i686/bin/sharemap_tests.exe

# One server for both runs, started as the CTest fixture starts it (cmake/SharemapWine.cmake says why): a stale one
# stopped first, a persistent one started with its output going nowhere, and the prefix made before two programs
# run side by side.
"$SHAREMAP_WINESERVER" -k >/dev/null 2>&1 || true
"$SHAREMAP_WINESERVER" -w || true
"$SHAREMAP_WINESERVER" -p3600 </dev/null >/dev/null 2>&1 || true
"$SHAREMAP_WINE" cmd.exe /c exit </dev/null >/dev/null 2>&1

# Both directions at once (each is mostly waiting: children sleeping, killed, waited for), each in its own log.
# Not run by CTest, so each is bounded here: a hang fails the step instead of stalling CI (one takes ~35 s).
logs="build/bitness"
mkdir -p "$logs"
# SHAREMAP_TEST_MIXED_BITNESS makes the [bitness] case fail if the program's name did not come through, and
# --warn NoTests makes a spec that matches nothing a failure (Catch2 would exit 0).
run() { # parent child log
    SHAREMAP_TEST_CHILD_PROGRAM="$(windows_path "$2")" SHAREMAP_TEST_MIXED_BITNESS=1 \
        timeout 600 "$SHAREMAP_WINE" "$1" --warn NoTests "$spec" >"$3" 2>&1
}
run "$b64" "$b32" "$logs/64-with-32.log" &
first=$!
run "$b32" "$b64" "$logs/32-with-64.log" &
second=$!
status=0
wait "$first" || status=1
wait "$second" || status=1
for log in "$logs/64-with-32.log" "$logs/32-with-64.log"; do
    echo "======== bitness: $log"
    cat "$log"
done
# Last, what a reader of the end of the output needs: each direction's totals, and every failed check's place.
echo "======== bitness: $([ "$status" -eq 0 ] && echo passed || echo FAILED)"
for log in "$logs/64-with-32.log" "$logs/32-with-64.log"; do
    echo "$log: $(grep -E '^(All tests passed|test cases:)' "$log" || echo 'no totals (a crash, a hang or a bad spec)')"
    grep -E 'FAILED:$' "$log" || true
done
"$SHAREMAP_WINESERVER" -k >/dev/null 2>&1 || true
exit "$status"

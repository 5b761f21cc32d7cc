#!/usr/bin/env bash
# Runs the cross-process tests with children of the other bitness: the 64-bit test program with 32-bit children,
# then the 32-bit one with 64-bit children, all in one Wine prefix (one wineserver: one namespace of named objects).
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

status=0
for pair in "$b64 $b32" "$b32 $b64"; do
    read -r parent child <<<"$pair"
    echo "======== bitness: $parent, its children $child"
    # Not run by CTest, so bounded here: a hang fails the step instead of stalling CI (a direction takes ~35 s).
    SHAREMAP_TEST_CHILD_PROGRAM="$(windows_path "$child")" timeout 600 "$SHAREMAP_WINE" "$parent" "$spec" || status=1
done
"$SHAREMAP_WINESERVER" -k 2>/dev/null || true
exit "$status"

#!/usr/bin/env bash
# Runs an example under Wine, building it first.
#   bash scripts/demo.sh                   two processes sharing memory by name: builds examples/01-named-shared-memory,
#                                          starts the writer in the background (it creates a named section, writes a
#                                          message and waits for a line on stdin), runs the reader (it opens the
#                                          section by name and prints the message), then lets the writer exit.
#   bash scripts/demo.sh 08-shared-state   an example folder whose one program plays every part (it starts its own
#                                          child processes): builds it and runs it without arguments.
# SHAREMAP_PRESET chooses the build (default linux-mingw-gcc).
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${SHAREMAP_PRESET:-linux-mingw-gcc}"
extra=()
if [ "$preset" = linux-mingw-clang ]; then
    extra=(clang-19 lld-19)
elif [ "$preset" = linux-mingw-gcc-i686 ]; then
    extra=(g++-mingw-w64-i686-posix wine32:i386)
fi

if [ $# -gt 0 ]; then
    folder="${1%/}"
    folder="${folder#examples/}"
    sources=()
    if [ -d "examples/$folder" ]; then
        mapfile -t sources < <(cd "examples/$folder" && ls -- *.cpp 2>/dev/null)
    fi
    if [ ${#sources[@]} -ne 1 ]; then
        echo "demo: examples/$folder is not a folder with one program; those are:" >&2
        for d in examples/*/; do
            n=$(ls -- "$d"*.cpp 2>/dev/null | wc -l || true)
            [ "$n" -eq 1 ] && echo "  $(basename "$d")" >&2
        done
        exit 2
    fi
    target="$folder-${sources[0]%.cpp}"
    bash scripts/deps.sh "${extra[@]}"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" --target "$target"
    . "build/$preset/wine-env.sh"
    echo "== $target"
    status=0
    timeout 120 "$SHAREMAP_WINE" "$SHAREMAP_BIN_DIR/$target.exe" 2>&1 | sed 's/^/   | /' || status=$?
    if [ "$status" -ne 0 ]; then
        echo "demo: $target failed (exit $status)" >&2
        exit 1
    fi
    echo "== done: $target exited 0"
    exit 0
fi

bash scripts/deps.sh "${extra[@]}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target 01-named-shared-memory-writer 01-named-shared-memory-reader

# The tests' environment: the build tree's Wine prefix, no Wine debug chatter, no winedbg on a crash.
. "build/$preset/wine-env.sh"
writer_exe="$SHAREMAP_BIN_DIR/01-named-shared-memory-writer.exe"
reader_exe="$SHAREMAP_BIN_DIR/01-named-shared-memory-reader.exe"
# A name of our own, so a demo never meets a test run's (or another demo's) section in the same prefix.
name="Local\\sharemap-demo-$$"

work="$(mktemp -d)"
writer_pid=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    if [ -n "$writer_pid" ] && kill -0 "$writer_pid" 2>/dev/null; then
        kill "$writer_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The writer's stdin is a fifo that we hold open (read-write, so opening it never blocks): the writer waits on it
# for as long as we like and exits when we send a line.
mkfifo "$work/writer.in"
exec 3<>"$work/writer.in"

echo "== writer: $writer_exe $name"
timeout 120 "$SHAREMAP_WINE" "$writer_exe" "$name" <"$work/writer.in" >"$work/writer.out" 2>&1 &
writer_pid=$!

# Wait (up to 60 s: a cold Wine start takes a few seconds) until the writer has printed its line.
for _ in $(seq 600); do
    if grep -q . "$work/writer.out" 2>/dev/null || ! kill -0 "$writer_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
sed 's/^/   | /' "$work/writer.out"
if ! kill -0 "$writer_pid" 2>/dev/null; then
    echo "demo: the writer exited early" >&2
    wait "$writer_pid" || true
    exit 1
fi
if ! grep -q . "$work/writer.out"; then
    echo "demo: the writer printed nothing within 60 s" >&2
    exit 1
fi

echo "== reader: $reader_exe $name"
reader_status=0
timeout 60 "$SHAREMAP_WINE" "$reader_exe" "$name" 2>&1 | sed 's/^/   | /' || reader_status=$?

echo "== telling the writer to exit"
echo >&3
exec 3>&-
writer_status=0
wait "$writer_pid" || writer_status=$?
writer_pid=""
# Whatever the writer printed after its first line.
tail -n +2 "$work/writer.out" | sed 's/^/   | /'

if [ "$reader_status" -ne 0 ] || [ "$writer_status" -ne 0 ]; then
    echo "demo: failed (reader $reader_status, writer $writer_status)" >&2
    exit 1
fi
echo "== done: the reader saw what the writer wrote"

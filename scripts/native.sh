#!/usr/bin/env bash
# The SectionMutex / SectionEvent state machines (include/sharemap/detail/section_lock.hpp), the SharedObject
# protocol (detail/shared_object.hpp) and the channel's ring (detail/channel.hpp) built natively with the
# host g++ and run between threads, once under ThreadSanitizer and once under AddressSanitizer + UBSan.
#   bash scripts/native.sh              both
#   bash scripts/native.sh thread       one of: thread, address
#   bash scripts/native.sh --build      build both, run nothing (CI builds ahead so)
# A test's object file newer than every source and header it may include is kept; Catch2's main, once built, too.
# Installs g++ and Catch2 through scripts/deps.sh if missing. Builds in build/native-<sanitizer>/.
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=${CXX_NATIVE:-g++}
flags=(-std=c++17 -g -O1 -Iinclude -Itests/native -pthread)
warnings=(-Wall -Wextra -Wpedantic -Werror) # ours only: Catch2's runner warns under -fsanitize=undefined

sanitizer_flags() { # sanitizer
    case "$1" in
    thread) echo "-fsanitize=thread" ;;
    address) echo "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" ;;
    *) echo "native.sh: unknown sanitizer $1 (thread or address)" >&2; return 2 ;;
    esac
}

if [ "${1:-}" = --compile ]; then # --compile <sanitizer> <source> <object>: one translation unit
    read -ra san <<<"$(sanitizer_flags "$2")"
    ours=("${warnings[@]}")
    [ "$(basename "$3")" = main.cpp ] && ours=()
    # Written under another name first: an object cut short by a killed compiler must not look up to date.
    "$cxx" "${flags[@]}" "${ours[@]}" "${san[@]}" -c "$3" -o "$4.partial"
    exec mv "$4.partial" "$4"
fi

bash scripts/deps.sh g++ catch2

build_only=false
if [ "${1:-}" = --build ]; then
    build_only=true
    shift
fi
sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(thread address)
for s in "${sanitizers[@]}"; do
    sanitizer_flags "$s" >/dev/null || exit 2
done

# Every translation unit of every tree at once, one compiler a core (built one at a time they took 207 s here, on
# one core of two). Catch2's main is compiled once per tree and kept.
echo "native.sh: building with -fsanitize=${sanitizers[*]}"
for s in "${sanitizers[@]}"; do
    out=build/native-$s
    mkdir -p "$out"
    [ -f "$out/main.o" ] || echo "$s tests/native/main.cpp $out/main.o"
    for test in tests/native/*_test.cpp; do
        object="$out/$(basename "$test" .cpp).o"
        if [ ! -f "$object" ] || [ -n "$(find include tests/native scripts/native.sh -type f -newer "$object")" ]; then
            echo "$s $test $object"
        fi
    done
done | xargs -r -P "$(nproc)" -L 1 bash scripts/native.sh --compile

for s in "${sanitizers[@]}"; do
    out=build/native-$s
    read -ra san <<<"$(sanitizer_flags "$s")"
    objects=()
    for test in tests/native/*_test.cpp; do
        objects+=("$out/$(basename "$test" .cpp).o")
    done
    "$cxx" "${san[@]}" -pthread "$out/main.o" "${objects[@]}" -o "$out/sharemap_native_tests"
    "$build_only" && continue
    echo "native.sh: running under -fsanitize=$s"
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ASAN_OPTIONS="detect_leaks=1" \
        UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1" "$out/sharemap_native_tests"
done

#!/usr/bin/env bash
# The SectionMutex / SectionEvent state machines (include/sharemap/detail/section_lock.hpp), the SharedObject
# protocol (detail/shared_object.hpp) and the channel's ring (detail/channel.hpp) built natively with the
# host g++ and run between threads, once under ThreadSanitizer and once under AddressSanitizer + UBSan.
#   bash scripts/native.sh              both
#   bash scripts/native.sh thread       one of: thread, address
# Installs g++ and Catch2 through scripts/deps.sh if missing. Builds in build/native-<sanitizer>/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh g++ catch2

sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(thread address)
cxx=${CXX_NATIVE:-g++}
flags=(-std=c++17 -g -O1 -Iinclude -Itests/native -pthread)
warnings=(-Wall -Wextra -Wpedantic -Werror) # ours only: Catch2's runner warns under -fsanitize=undefined

for s in "${sanitizers[@]}"; do
    case "$s" in
    thread) san=(-fsanitize=thread) ;;
    address) san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer) ;;
    *) echo "native.sh: unknown sanitizer $s (thread or address)" >&2; exit 2 ;;
    esac
    out=build/native-$s
    mkdir -p "$out"
    echo "native.sh: building with -fsanitize=$s"
    # Catch2's main is compiled once per tree and kept.
    if [ ! -f "$out/main.o" ]; then
        "$cxx" "${flags[@]}" "${san[@]}" -c tests/native/main.cpp -o "$out/main.o"
    fi
    objects=()
    for test in tests/native/*_test.cpp; do
        obj="$out/$(basename "$test" .cpp).o"
        "$cxx" "${flags[@]}" "${warnings[@]}" "${san[@]}" -c "$test" -o "$obj"
        objects+=("$obj")
    done
    "$cxx" "${san[@]}" -pthread "$out/main.o" "${objects[@]}" -o "$out/sharemap_native_tests"
    echo "native.sh: running under -fsanitize=$s"
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ASAN_OPTIONS="detect_leaks=1" \
        UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1" "$out/sharemap_native_tests"
done

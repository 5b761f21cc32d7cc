#!/usr/bin/env bash
# Builds sharemap for Windows with mingw-w64 GCC and runs every test under Wine; exits non-zero on any failure.
#   bash scripts/test.sh                 (SHAREMAP_PRESET=linux-mingw-clang for the clang 19 build,
#                                         SHAREMAP_PRESET=linux-mingw-clang-cxx20 for it as C++20 (as CI runs it),
#                                         SHAREMAP_PRESET=linux-mingw-gcc-cxx20 for GCC as C++20,
#                                         SHAREMAP_PRESET=linux-mingw-gcc-i686 for 32-bit under Wine's WoW64)
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${SHAREMAP_PRESET:-linux-mingw-gcc}"
extra=()
if [ "${preset#linux-mingw-clang}" != "$preset" ]; then
    extra=(clang-19 lld-19)
elif [ "$preset" = linux-mingw-gcc-i686 ]; then
    extra=(g++-mingw-w64-i686-posix wine32:i386)
fi
bash scripts/deps.sh "${extra[@]}"

cmake --preset "$preset"
cmake --build --preset "$preset"
# The last lines printed are CTest's summary ("100% tests passed, 0 tests failed out of N").
ctest --preset "$preset" --output-on-failure -j2

#!/usr/bin/env bash
# Consumer tests: sharemap taken in each way README.md offers, by a tiny project that builds tests/consumers/check.cpp
# for Windows with mingw-w64 GCC and runs it under Wine (a parent and a child process share a named section):
#   find-package      find_package(sharemap CONFIG REQUIRED) against `cmake --install` of the main build
#   fetch-content     FetchContent from this checkout's git repository (its committed HEAD: CI's clean clone)
#   add-subdirectory  add_subdirectory of this checkout
#   no-cmake          include/ copied elsewhere, then x86_64-w64-mingw32-g++-posix -std=c++17 -I<copy>
#   pkg-config        the installed sharemap.pc gives the compiler and linker flags
# None may build sharemap's tests, examples or benchmarks, nor make a Wine prefix: tests/consumers/consumer.cmake
# fails the configure if one does, and this script checks the build trees. The programs run in the Wine prefix of
# the main build (build/linux-mingw-gcc, configured here; nothing of it needs building). Trees: build/consumers/.
#   bash scripts/consumers.sh      exits non-zero if any consumer fails; ends with "consumers: N passed, N failed"
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
preset=linux-mingw-gcc
toolchain="$root/cmake/toolchains/mingw-w64-gcc.cmake"
cxx=x86_64-w64-mingw32-g++-posix

bash scripts/deps.sh git pkg-config

echo "== configuring the main build ($preset): its install rules and its Wine prefix"
cmake --preset "$preset" >/dev/null
. "build/$preset/wine-env.sh"

work="$root/build/consumers"
rm -rf "$work"
mkdir -p "$work"

echo "== cmake --install build/$preset --prefix $work/install"
cmake --install "build/$preset" --prefix "$work/install" >"$work/install.log"

# The prefix's wineserver and Wine's system processes, started detached from our output, as
# sharemap_add_wine_fixture does for CTest (cmake/SharemapWine.cmake says why): the first Wine program of a session
# starts them and they inherit its output, and a server that times out while a program connects leaves that program
# blocked. So one server, persistent for an hour at most, serves every consumer; it is stopped at the end. If a
# server is already running, `wineserver -p` fails and that one serves.
start_wineserver() {
    if [ -x "${SHAREMAP_WINESERVER:-}" ]; then
        "$SHAREMAP_WINESERVER" -p3600 </dev/null >/dev/null 2>&1 || true
    fi
    "$SHAREMAP_WINE" cmd.exe /c exit </dev/null >/dev/null 2>&1
}
stop_wineserver() {
    if [ -x "${SHAREMAP_WINESERVER:-}" ]; then
        "$SHAREMAP_WINESERVER" -k >/dev/null 2>&1 || true
    fi
}
trap stop_wineserver EXIT

passed=()
failed=()
record() { # name status
    if [ "$2" -eq 0 ]; then
        passed+=("$1")
        echo "-- $1: passed"
    else
        failed+=("$1")
        echo "-- $1: FAILED" >&2
    fi
}

# Fails if sharemap's own programs, or a Wine prefix, appeared anywhere in a consumer's tree.
check_tree_is_clean() { # dir
    local found
    found="$(find "$1" \( -name wineprefix -o -name '.sharemap-prefix-ready' -o -name 'sharemap_tests*' \
        -o -name 'sharemap_hygiene*' -o -name 'sharemap_noexcept*' -o -name 'sharemap-bench*' \
        -o -name '0[0-9]-*.exe' \) -print | head -5)"
    if [ -n "$found" ]; then
        echo "sharemap built its own programs or a Wine prefix in a consumer's tree:" >&2
        echo "$found" >&2
        return 1
    fi
}

# sharemap's security calls (check.cpp uses them) are linked, so the program imports advapi32.dll itself rather than
# loading it at first use (tests/hygiene/imports.cpp checks the same at run time).
imports_advapi32() { # exe
    local imports
    imports="$(x86_64-w64-mingw32-objdump -p "$1" | grep 'DLL Name')" # (not grep -q: pipefail and SIGPIPE)
    if ! grep -qi 'DLL Name: advapi32\.dll' <<<"$imports"; then
        echo "$1 does not import advapi32.dll" >&2
        return 1
    fi
}

# A CMake consumer: configure, build, check the tree, run its test (check.cpp under Wine).
cmake_consumer() { # name extra-cmake-args...
    local name="$1" dir="$work/$1"
    shift
    echo "== consumer $name"
    cmake -S "tests/consumers/$name" -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DCMAKE_BUILD_TYPE=Release "$@" &&
        cmake --build "$dir" &&
        check_tree_is_clean "$dir" &&
        imports_advapi32 "$dir/consumer_check.exe" &&
        start_wineserver &&
        ctest --test-dir "$dir" --output-on-failure --no-tests=error
}

# A consumer without CMake: a compiler and an include path; libraries (after the source, as GNU ld wants) from
# $consumer_libs. Without any, mingw-w64's default libraries (advapi32 among them) are enough.
consumer_libs=""
plain_consumer() { # name compiler-flags...
    local name="$1" dir="$work/$1"
    shift
    echo "== consumer $name"
    mkdir -p "$dir"
    echo "$cxx $* tests/consumers/check.cpp $consumer_libs"
    # -static: the program then runs without libstdc++'s DLLs beside it.
    # shellcheck disable=SC2086 # the libraries are words
    "$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror -O2 "$@" tests/consumers/check.cpp \
        -static -o "$dir/consumer_check.exe" $consumer_libs &&
        imports_advapi32 "$dir/consumer_check.exe" &&
        start_wineserver &&
        timeout 120 "$SHAREMAP_WINE" "$dir/consumer_check.exe"
}

# The install tree: headers (with version.hpp), CMake package, pkg-config file, license; no programs.
status=0
(
    set -e
    test -f "$work/install/include/sharemap/sharemap.hpp"
    test -f "$work/install/include/sharemap/version.hpp"
    # (found wherever SHAREMAP_CMAKE_INSTALL_DIR put it: an older build tree may have cached lib/cmake/sharemap)
    test -n "$(find "$work/install" -name sharemapConfig.cmake -print)"
    test -f "$work/install/share/pkgconfig/sharemap.pc"
    check_tree_is_clean "$work/install"
    # The exported target and the .pc file link advapi32 (sharemap's security calls).
    grep -q 'advapi32' "$(find "$work/install" -name sharemapTargets.cmake -print | head -1)"
    grep -q '^Libs: -ladvapi32' "$work/install/share/pkgconfig/sharemap.pc"
    if [ -n "$(find "$work/install" -name '*.exe' -print)" ]; then
        echo "programs were installed" >&2
        exit 1
    fi
) || status=$?
record install-tree "$status"

status=0
cmake_consumer find-package -DCMAKE_PREFIX_PATH="$work/install" || status=$?
record find-package "$status"

if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "note: fetch-content clones the committed HEAD; uncommitted changes are not in it"
fi
status=0
cmake_consumer fetch-content -DSHAREMAP_GIT_REPOSITORY="$root" -DFETCHCONTENT_QUIET=ON || status=$?
record fetch-content "$status"

status=0
cmake_consumer add-subdirectory -DSHAREMAP_SOURCE_DIR="$root" || status=$?
record add-subdirectory "$status"

# A copy of include/ somewhere else, as someone vendoring the headers by hand would make.
status=0
mkdir -p "$work/no-cmake/copy"
cp -R include "$work/no-cmake/copy/"
plain_consumer no-cmake -I"$work/no-cmake/copy/include" || status=$?
record no-cmake "$status"

status=0
(
    set -e
    export PKG_CONFIG_LIBDIR="$work/install/share/pkgconfig"
    version="$(pkg-config --modversion sharemap)"
    project_version="$(sed -n 's/^ *VERSION \([0-9.]*\)$/\1/p' CMakeLists.txt | head -1)"
    echo "pkg-config: sharemap $version, cflags $(pkg-config --cflags sharemap), libs $(pkg-config --libs sharemap)"
    test "$version" = "$project_version"
    consumer_libs="$(pkg-config --libs sharemap)"
    [[ "$consumer_libs" == *-ladvapi32* ]]
    # shellcheck disable=SC2046 # the flags are words
    plain_consumer pkg-config $(pkg-config --cflags sharemap)
) || status=$?
record pkg-config "$status"

echo
echo "consumers passed: ${passed[*]:-none}"
if [ ${#failed[@]} -ne 0 ]; then
    echo "consumers FAILED: ${failed[*]}" >&2
fi
echo "consumers: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]

#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on every public header, as clang 19 compiles them for x86_64-w64-mingw32: one
# translation unit per header (tests/hygiene/header_*.cpp) in C++17, the umbrella header in C++20, plus the no-exceptions test and the
# consumer check program. Needs no build tree: the clang preset's flags are written out here.
#   bash scripts/tidy.sh      prints each finding once; exits non-zero if there is any
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# clang-tidy 19 rather than Debian's default 14: it parses mingw-w64's headers with the same driver as clang-19,
# and reads the list form of Checks in .clang-tidy.
tidy=clang-tidy-19
# --sysroot=/usr makes the driver find mingw-w64's GCC installation (libstdc++ and the Windows headers), as in
# cmake/toolchains/mingw-w64-clang19.cmake. Our warning flags too: clang's own warnings count as findings.
# -I with an absolute path: .clang-tidy's HeaderFilterRegex matches '/include/sharemap/'.
flags=(--target=x86_64-w64-mingw32 --sysroot=/usr -I"$root/include" -I"$root/tests/hygiene"
    -Wall -Wextra -Wpedantic -Wconversion -Wshadow)

# Internal: one translation unit (run by xargs below). Never fails: a crash or finding shows in the log.
if [ "${1:-}" = --one ]; then # --one <std> <extra flag or -> <source> <log>
    extra=()
    [ "$3" != - ] && extra=("$3")
    "$tidy" --quiet "$4" -- "${flags[@]}" "-std=$2" "${extra[@]}" >"$5" 2>&1 || echo "exit status $?" >>"$5"
    exit 0
fi

bash scripts/deps.sh clang-tidy-19

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# C++17 (the library's standard) one header at a time; C++20 through the umbrella header, which reaches them all
# (the C++20-only members, such as MappedView::bytes), at a sixteenth of the cost.
jobs=()
for tu in tests/hygiene/header_*.cpp; do
    jobs+=("c++17 - $tu")
done
jobs+=("c++20 - tests/hygiene/header_sharemap.cpp")
[ -f tests/noexcept/main.cpp ] && jobs+=("c++17 -fno-exceptions tests/noexcept/main.cpp")
[ -f tests/consumers/check.cpp ] && jobs+=("c++17 - tests/consumers/check.cpp")

echo "clang-tidy: ${#jobs[@]} translation units, $("$tidy" --version | grep -o 'version [0-9.]*')"
# One per core (each takes ~5 s).
for i in "${!jobs[@]}"; do
    echo "${jobs[$i]} $work/$i.log"
done | xargs -P "$(nproc)" -L 1 bash scripts/tidy.sh --one

# A header is seen by several translation units: show each finding once, with its source line and caret.
# "exit status" lines (clang-tidy failed without a finding, e.g. a compile error) are kept too.
cat "$work"/*.log | awk '
    /: (warning|error): / || /^exit status/ { keep = !($0 in seen); seen[$0] = 1; if (keep) print; next }
    /^[0-9]+ (warning|error)s? (generated|treated)/ || /^Suppressed / || /^Use -header-filter/ { keep = 0; next }
    keep { print }' | sed "s|$root/||g" >"$work/findings"
count=$(grep -cE ': (warning|error): ' "$work/findings" || true)
failures=$(grep -c '^exit status' "$work/findings" || true)

if [ "$count" -ne 0 ] || [ "$failures" -ne 0 ]; then
    cat "$work/findings"
    echo "clang-tidy: $count findings" >&2
    exit 1
fi
echo "clang-tidy: no findings"

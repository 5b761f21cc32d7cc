#!/usr/bin/env bash
# Formats the C++ sources tracked in include/, tests/ and examples/ with .clang-format (clang-format 14).
#   bash scripts/format.sh           rewrite the files in place
#   bash scripts/format.sh --check   change nothing; list what differs and exit non-zero if anything does
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh clang-format

mapfile -t sources < <(git ls-files -- 'include/*.hpp' 'include/*.h' 'tests/*.cpp' 'tests/*.hpp' 'tests/*.h' \
    'examples/*.cpp' 'examples/*.hpp' 'examples/*.h')
if [ ${#sources[@]} -eq 0 ]; then
    exit 0
fi
if [ "${1:-}" = --check ]; then
    clang-format --dry-run --Werror "${sources[@]}"
    echo "clang-format: ${#sources[@]} files formatted correctly"
else
    clang-format -i "${sources[@]}"
fi

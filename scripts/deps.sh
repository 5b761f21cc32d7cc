#!/usr/bin/env bash
# Installs what building and testing sharemap needs on Debian 12, with apt-get; quick when all is present.
#   bash scripts/deps.sh                 the cross toolchain, Wine, CMake, Ninja and Catch2
#   bash scripts/deps.sh clang-format    ... plus any extra Debian packages named
set -euo pipefail

packages=(cmake ninja-build g++-mingw-w64-x86-64-posix wine wine64 catch2 "$@")

missing=()
for p in "${packages[@]}"; do
    # dpkg -s alone also succeeds for removed packages whose config files remain, so read the status.
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "deps.sh: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# A 32-bit package (wine32:i386, for the i686 build's tests) needs the i386 architecture enabled first.
if printf '%s\n' "${missing[@]}" | grep -q ':i386$' && ! dpkg --print-foreign-architectures | grep -qx i386; then
    "${sudo[@]}" dpkg --add-architecture i386
fi
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"

#!/usr/bin/env bash
# Builds the API reference from the headers' `///` comments with Doxygen (docs/Doxyfile.in), warnings as errors,
# into build/docs/api/html/index.html. Configures a build tree without tests, examples or a Wine prefix.
#   bash scripts/docs.sh          (the same as: cmake --workflow --preset docs)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh doxygen
cmake --workflow --preset docs

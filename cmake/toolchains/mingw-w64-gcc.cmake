# Cross-compiles for 64-bit Windows with Debian's mingw-w64 GCC (posix thread model, for std::thread and friends)
# and runs the programs under Wine.
#   cmake -G Ninja -B build -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-gcc.cmake
set(SHAREMAP_MINGW_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")

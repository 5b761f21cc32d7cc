# Cross-compiles for 32-bit Windows with Debian's mingw-w64 GCC (posix thread model) and runs the programs under
# Wine's WoW64, which needs the wine32 package (i386 multiarch) and a prefix created after it was installed.
#   cmake -G Ninja -B build -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-gcc-i686.cmake
set(SHAREMAP_MINGW_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER i686-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER i686-w64-mingw32-windres)

include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")

# A function declared with the wrong calling convention links anyway through ld's "stdcall fixup", and then
# corrupts the stack at run time (caller and callee both pop the arguments, or neither): make it a link error.
string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -Wl,--disable-stdcall-fixup")

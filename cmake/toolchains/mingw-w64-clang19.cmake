# Cross-compiles for 64-bit Windows with clang 19 against mingw-w64's headers and GCC's libstdc++, and runs the
# programs under Wine. clang 19 rather than Debian's default clang 14, which fails to link Catch2 programs against
# mingw-w64's libstdc++ ("multiple definition of std::type_info::operator==").
#   cmake -G Ninja -B build -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-clang19.cmake
set(SHAREMAP_MINGW_PROCESSOR x86_64)
set(SHAREMAP_MINGW_TARGET x86_64-w64-mingw32)

set(CMAKE_C_COMPILER clang-19)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_C_COMPILER_TARGET ${SHAREMAP_MINGW_TARGET})
set(CMAKE_CXX_COMPILER_TARGET ${SHAREMAP_MINGW_TARGET})
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")

# --sysroot=/usr lets the driver find mingw-w64's GCC installation (headers, libstdc++, crt) by itself. It is
# passed as a flag rather than CMAKE_SYSROOT, which would also re-root every find_* search under /usr.
set(CMAKE_C_FLAGS_INIT "--sysroot=/usr")
set(CMAKE_CXX_FLAGS_INIT "--sysroot=/usr")
# -static as in the common file; without -pthread the static link misses pthread_setspecific and clock_gettime
# from winpthreads. GNU ld (x86_64-w64-mingw32-ld) then prints many "duplicate section ... has different size"
# notes for libstdc++'s objects: harmless, and not errors.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static --sysroot=/usr -pthread")

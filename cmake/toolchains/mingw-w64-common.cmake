# Settings shared by the mingw-w64 toolchain files; included by them, not used on its own.
# SHAREMAP_MINGW_PROCESSOR (default x86_64) names the target: x86_64 or i686.
if(NOT SHAREMAP_MINGW_PROCESSOR)
    set(SHAREMAP_MINGW_PROCESSOR x86_64)
endif()
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ${SHAREMAP_MINGW_PROCESSOR})

# Libraries and headers come only from the mingw-w64 sysroot, never from the Linux host. Packages may come from
# the host too: Debian's Catch2 CMake package in /usr/lib/cmake/Catch2 is plain source that any target can use.
set(CMAKE_FIND_ROOT_PATH /usr/${SHAREMAP_MINGW_PROCESSOR}-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Link the C++ runtime and winpthreads statically, so programs run under Wine (or get copied to Windows) without
# libstdc++-6.dll, libgcc_s_seh-1.dll and libwinpthread-1.dll beside them.
# (set, not append: CMake reads a toolchain file more than once.)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Programs built here run through Wine: CTest, catch_discover_tests and `cmake -E` wrappers use this.
# A value given on the command line wins. 64-bit programs go straight to the 64-bit loader: once 32-bit Wine
# (wine32) is installed, Debian's `wine` launcher starts every program through the 32-bit loader, which then starts
# the 64-bit one (measured: 133 ms a program instead of 27 ms).
if(SHAREMAP_MINGW_PROCESSOR STREQUAL "x86_64")
    set(_sharemap_wine_names wine64 wine wine-stable)
else()
    set(_sharemap_wine_names wine wine-stable)
endif()
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    # One cache entry per target, under a name of its own: a tree configured before kept `wine` in another entry.
    find_program(SHAREMAP_WINE_LOADER_${SHAREMAP_MINGW_PROCESSOR} NAMES ${_sharemap_wine_names} PATHS /usr/lib/wine
                 NO_CMAKE_FIND_ROOT_PATH)
    if(SHAREMAP_WINE_LOADER_${SHAREMAP_MINGW_PROCESSOR})
        set(CMAKE_CROSSCOMPILING_EMULATOR "${SHAREMAP_WINE_LOADER_${SHAREMAP_MINGW_PROCESSOR}}")
    endif()
endif()

# Settings shared by the mingw-w64 toolchain files; included by them, not used on its own.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

# Libraries and headers come only from the mingw-w64 sysroot, never from the Linux host. Packages may come from
# the host too: Debian's Catch2 CMake package in /usr/lib/cmake/Catch2 is plain source that any target can use.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Link the C++ runtime and winpthreads statically, so programs run under Wine (or get copied to Windows) without
# libstdc++-6.dll, libgcc_s_seh-1.dll and libwinpthread-1.dll beside them.
# (set, not append: CMake reads a toolchain file more than once.)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Programs built here run through Wine: CTest, catch_discover_tests and `cmake -E` wrappers use this.
# A value given on the command line wins.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    find_program(SHAREMAP_WINE_EXECUTABLE NAMES wine wine64 wine-stable NO_CMAKE_FIND_ROOT_PATH)
    if(SHAREMAP_WINE_EXECUTABLE)
        set(CMAKE_CROSSCOMPILING_EMULATOR "${SHAREMAP_WINE_EXECUTABLE}")
    endif()
endif()

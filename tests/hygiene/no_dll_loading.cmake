# A CTest check, run as `cmake -DSHAREMAP_INCLUDE_DIR=<include> -P no_dll_loading.cmake`: no sharemap header calls or
# declares a function that loads a DLL. Loading at first use (a LoadLibraryW behind a function-local static) runs
# under the loader lock when that first use is in a DLL's static initialisation or DllMain. sharemap links what it
# calls instead (advapi32), and looks up ntdll exports with GetModuleHandleW, which never loads anything.
cmake_minimum_required(VERSION 3.21)
if(NOT SHAREMAP_INCLUDE_DIR)
    message(FATAL_ERROR "Set SHAREMAP_INCLUDE_DIR")
endif()
file(GLOB_RECURSE _headers "${SHAREMAP_INCLUDE_DIR}/*.hpp" "${SHAREMAP_INCLUDE_DIR}/*.h")
set(_found "")
foreach(_header IN LISTS _headers)
    # A call or a declaration: the name followed by "(", as comments may mention the functions by name.
    file(STRINGS "${_header}" _lines REGEX "(LoadLibrary(Ex)?[AW]?|LoadPackagedLibrary|LdrLoadDll)[ \t]*\\(")
    foreach(_line IN LISTS _lines)
        string(STRIP "${_line}" _line)
        list(APPEND _found "${_header}: ${_line}")
    endforeach()
endforeach()
list(LENGTH _headers _count)
if(_count EQUAL 0)
    message(FATAL_ERROR "no headers found under ${SHAREMAP_INCLUDE_DIR}")
endif()
if(_found)
    list(JOIN _found "\n  " _text)
    message(FATAL_ERROR "a header loads a DLL:\n  ${_text}")
endif()
message(STATUS "${_count} headers, none loads a DLL")

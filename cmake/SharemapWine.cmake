# Runs our cross-compiled Windows programs under Wine in a private prefix inside the build tree.
#
# Provides, when the emulator is Wine:
#   SHAREMAP_WINE            TRUE
#   SHAREMAP_WINEPREFIX      the prefix (${PROJECT_BINARY_DIR}/wineprefix)
#   SHAREMAP_WINE_ENV        list of NAME=VALUE for `cmake -E env` or set_tests_properties(ENVIRONMENT)
#   SHAREMAP_WINE_EMULATOR   `cmake -E env <SHAREMAP_WINE_ENV> sh wine-run.sh wine`, a complete CROSSCOMPILING_EMULATOR
#   sharemap_use_wine(<target>)  makes CTest and catch_discover_tests run <target> through that emulator
#   sharemap_add_wine_fixture(<var>)  adds a CTest fixture that starts the prefix's wineserver before the tests
#                            and stops it after them; sets <var> to the fixture's name (empty without Wine) for FIXTURES_REQUIRED
#   ${PROJECT_BINARY_DIR}/wine-env.sh  exports the same environment for shell scripts (scripts/demo.sh)
# Elsewhere (a native Windows build, or no emulator) SHAREMAP_WINE is FALSE and sharemap_use_wine() does nothing.
#
# Why each variable:
#   WINEPREFIX               a prefix per build tree: nothing touches ~/.wine, and separate builds never share a
#                            namespace of named objects (one wineserver per prefix).
#   WINEDEBUG=-all           no fixme/err chatter in test output.
#   WINEDLLOVERRIDES=winedbg.exe=d
#                            without it Wine starts winedbg on an unhandled exception and the crashing program's
#                            exit status is racy (0 in about 1 of 4 runs): a crashing test could pass.

include_guard(GLOBAL)

set(SHAREMAP_WINE FALSE)
set(_sharemap_wine_program "")
if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    list(GET CMAKE_CROSSCOMPILING_EMULATOR 0 _sharemap_wine_program)
    get_filename_component(_sharemap_wine_name "${_sharemap_wine_program}" NAME)
    if(_sharemap_wine_name MATCHES "^wine(64)?(-stable|-development)?$")
        set(SHAREMAP_WINE TRUE)
    endif()
endif()

function(sharemap_use_wine target)
    if(SHAREMAP_WINE)
        set_property(TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR "${SHAREMAP_WINE_EMULATOR}")
    endif()
endfunction()

function(sharemap_add_wine_fixture out_var)
    set(${out_var} "" PARENT_SCOPE)
    if(NOT SHAREMAP_WINE OR NOT SHAREMAP_WINESERVER_EXECUTABLE)
        return()
    endif()
    # One wineserver for the whole run, started here and stopped by the cleanup test:
    # - The first Wine program to start launches the server (and Wine's system processes), which inherit that
    #   program's stdout and stderr. CTest waits for those pipes to close, so the test that happened to start the
    #   server would last until the server exits. Started here, their output goes nowhere.
    # - When the server goes away while programs are connected to it or connecting, they stay blocked forever in
    #   their next request (seen when the server crashed: tests hung until their CTest timeout, and orphaned
    #   services.exe processes piled up). A server that times out between two tests is such a moment, so its
    #   persistence (-p3600: an hour) outlasts any run, and the cleanup test stops it instead.
    # A server left over from an earlier run or from test discovery at build time may have a short persistence:
    # it is stopped first (-k, which also ends any Wine program still running in this prefix; -w waits for it to
    # be gone). If another server starts in between, -p fails and that server serves the run.
    # Added once for the whole project: if(TEST) sees only the current directory's tests, and two setup tests
    # running side by side would stop each other's server.
    get_property(_sharemap_fixture_added GLOBAL PROPERTY SHAREMAP_WINE_FIXTURE_ADDED)
    if(NOT _sharemap_fixture_added)
        set_property(GLOBAL PROPERTY SHAREMAP_WINE_FIXTURE_ADDED TRUE)
        add_test(NAME sharemap_wineserver
            COMMAND sh -c [["$0" -k >/dev/null 2>&1; "$0" -w; "$0" -p3600 </dev/null >/dev/null 2>&1;
                           exec "$1" cmd.exe /c exit </dev/null >/dev/null 2>&1]]
                    "${SHAREMAP_WINESERVER_EXECUTABLE}" "${_sharemap_wine_program}")
        set_tests_properties(sharemap_wineserver PROPERTIES
            ENVIRONMENT "${SHAREMAP_WINE_ENV}"
            FIXTURES_SETUP sharemap_wine
            TIMEOUT 60)
        add_test(NAME sharemap_wineserver_stop
            COMMAND sh -c [["$0" -k >/dev/null 2>&1; exec "$0" -w]] "${SHAREMAP_WINESERVER_EXECUTABLE}")
        set_tests_properties(sharemap_wineserver_stop PROPERTIES
            ENVIRONMENT "${SHAREMAP_WINE_ENV}"
            FIXTURES_CLEANUP sharemap_wine
            TIMEOUT 60)
    endif()
    set(${out_var} sharemap_wine PARENT_SCOPE)
endfunction()

if(NOT SHAREMAP_WINE)
    return()
endif()

set(SHAREMAP_WINEPREFIX "${PROJECT_BINARY_DIR}/wineprefix")
set(SHAREMAP_WINE_ENV
    "WINEPREFIX=${SHAREMAP_WINEPREFIX}"
    "WINEDEBUG=-all"
    "WINEDLLOVERRIDES=winedbg.exe=d")
# wine-run.sh: runs the program once more if Wine failed to start it (the script says when, and why).
set(SHAREMAP_WINE_EMULATOR "${CMAKE_COMMAND}" -E env ${SHAREMAP_WINE_ENV}
    sh "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh" ${CMAKE_CROSSCOMPILING_EMULATOR})

get_filename_component(_sharemap_wine_dir "${_sharemap_wine_program}" DIRECTORY)
find_program(SHAREMAP_WINESERVER_EXECUTABLE NAMES wineserver wineserver-stable
    HINTS "${_sharemap_wine_dir}" NO_CMAKE_FIND_ROOT_PATH)

set(SHAREMAP_WINE_WINDOWS_VERSION "win10" CACHE STRING
    "Windows version the test prefix reports (winecfg /v), empty to keep Wine's default (Windows 7)")

# Create the prefix now, once and serially. catch_discover_tests runs the test program at build time, and Wine
# programs started at the same moment on a missing prefix race to create it (one of them fails). A stamp file
# marks a complete prefix; an interrupted creation is redone.
set(_sharemap_wine_stamp "${SHAREMAP_WINEPREFIX}/.sharemap-prefix-ready")
# A prefix made before 32-bit Wine (wine32) was installed has no 32-bit system folder; once wine32 is there, the
# `wine` launcher starts programs through the 32-bit loader, and a 32-bit program (the test fixture's cmd.exe, a
# 32-bit test) fails in that prefix ("could not load kernel32.dll"). Such a prefix is made again.
set(_sharemap_wine32 FALSE)
foreach(_sharemap_wine32_dll IN ITEMS /usr/lib/i386-linux-gnu/wine/i386-windows/kernel32.dll
                                      /usr/lib/wine/i386-windows/kernel32.dll /usr/lib32/wine/i386-windows/kernel32.dll)
    if(EXISTS "${_sharemap_wine32_dll}")
        set(_sharemap_wine32 TRUE)
    endif()
endforeach()
if(CMAKE_SIZEOF_VOID_P EQUAL 4 AND NOT _sharemap_wine32)
    message(FATAL_ERROR "32-bit programs need 32-bit Wine: bash scripts/deps.sh wine32:i386")
endif()
if(_sharemap_wine32 AND EXISTS "${_sharemap_wine_stamp}"
   AND NOT EXISTS "${SHAREMAP_WINEPREFIX}/drive_c/windows/syswow64/kernel32.dll")
    message(STATUS "The Wine prefix predates 32-bit Wine: making it again")
    file(REMOVE "${_sharemap_wine_stamp}")
endif()
if(NOT EXISTS "${_sharemap_wine_stamp}")
    message(STATUS "Creating the Wine prefix ${SHAREMAP_WINEPREFIX} (once; about 5-10 s and 700 MB)")
    file(REMOVE_RECURSE "${SHAREMAP_WINEPREFIX}")
    # mscoree and mshtml disabled: no attempt to install Wine Mono or Gecko into the new prefix.
    set(_sharemap_wine_setup_env
        "WINEPREFIX=${SHAREMAP_WINEPREFIX}" "WINEDEBUG=-all" "WINEDLLOVERRIDES=mscoree,mshtml,winedbg.exe=d")
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -E env ${_sharemap_wine_setup_env}
                ${CMAKE_CROSSCOMPILING_EMULATOR} wineboot.exe --init
        RESULT_VARIABLE _sharemap_wine_result
        OUTPUT_VARIABLE _sharemap_wine_output
        ERROR_VARIABLE _sharemap_wine_output)
    if(NOT _sharemap_wine_result EQUAL 0)
        message(FATAL_ERROR "Creating the Wine prefix failed (${_sharemap_wine_result}):\n${_sharemap_wine_output}")
    endif()
    if(SHAREMAP_WINE_WINDOWS_VERSION)
        execute_process(
            COMMAND "${CMAKE_COMMAND}" -E env ${_sharemap_wine_setup_env}
                    ${CMAKE_CROSSCOMPILING_EMULATOR} winecfg.exe /v "${SHAREMAP_WINE_WINDOWS_VERSION}"
            RESULT_VARIABLE _sharemap_wine_result
            OUTPUT_VARIABLE _sharemap_wine_output
            ERROR_VARIABLE _sharemap_wine_output)
        if(NOT _sharemap_wine_result EQUAL 0)
            message(FATAL_ERROR "winecfg /v ${SHAREMAP_WINE_WINDOWS_VERSION} failed:\n${_sharemap_wine_output}")
        endif()
    endif()
    # Wait for the prefix's wineserver to exit: it writes the registry files only then.
    if(SHAREMAP_WINESERVER_EXECUTABLE)
        execute_process(
            COMMAND "${CMAKE_COMMAND}" -E env "WINEPREFIX=${SHAREMAP_WINEPREFIX}"
                    "${SHAREMAP_WINESERVER_EXECUTABLE}" --wait)
    endif()
    file(WRITE "${_sharemap_wine_stamp}" "created by sharemap's CMake configure\n")
endif()

# The same environment for shell scripts: `. build/<preset>/wine-env.sh`.
file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/wine-env.sh" CONTENT [[
# Generated by sharemap's CMake configure: the environment CTest runs our programs in.
export WINEPREFIX='@SHAREMAP_WINEPREFIX@'
export WINEDEBUG=-all
export WINEDLLOVERRIDES=winedbg.exe=d
SHAREMAP_WINE='@_sharemap_wine_program@'
SHAREMAP_WINESERVER='@SHAREMAP_WINESERVER_EXECUTABLE@'
SHAREMAP_BIN_DIR='@CMAKE_RUNTIME_OUTPUT_DIRECTORY@'
]] @ONLY)

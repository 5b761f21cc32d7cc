# Catch2 2.13 for sharemap's tests: Debian's package when present, otherwise v2.13.10 fetched from its repository.
#
# Provides:
#   sharemap_catch2                  INTERFACE target: Catch2's headers as SYSTEM includes (no warnings from them)
#   sharemap_catch_discover_tests()  catch_discover_tests() whose test names survive Windows text-mode stdout

include_guard(GLOBAL)

find_package(Catch2 2.13 CONFIG QUIET)
if(Catch2_FOUND)
    message(STATUS "Catch2 ${Catch2_VERSION}: ${Catch2_DIR}")
    list(APPEND CMAKE_MODULE_PATH "${Catch2_DIR}")
else()
    message(STATUS "Catch2 2.13 not found: fetching v2.13.10")
    include(FetchContent)
    FetchContent_Declare(Catch2
        GIT_REPOSITORY https://github.com/catchorg/Catch2.git
        GIT_TAG v2.13.10
        GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(Catch2)
    list(APPEND CMAKE_MODULE_PATH "${catch2_SOURCE_DIR}/contrib")
endif()
include(Catch)

add_library(sharemap_catch2 INTERFACE)
get_target_property(_sharemap_catch2_includes Catch2::Catch2 INTERFACE_INCLUDE_DIRECTORIES)
set(_sharemap_catch2_staged FALSE)
if(CMAKE_CROSSCOMPILING)
    foreach(_dir IN LISTS _sharemap_catch2_includes)
        # Debian's package points at /usr/include. On a cross build that folder would put the Linux C library's
        # headers ahead of mingw-w64's, so copy just Catch2's folder out of it and use the copy.
        if(EXISTS "${_dir}/stdlib.h" AND EXISTS "${_dir}/catch2/catch.hpp")
            set(_stage "${CMAKE_CURRENT_BINARY_DIR}/catch2-include")
            file(COPY "${_dir}/catch2" DESTINATION "${_stage}")
            target_include_directories(sharemap_catch2 SYSTEM INTERFACE "${_stage}")
            set(_sharemap_catch2_staged TRUE)
        endif()
    endforeach()
endif()
if(NOT _sharemap_catch2_staged)
    get_target_property(_sharemap_catch2_alias Catch2::Catch2 ALIASED_TARGET)
    if(_sharemap_catch2_alias)
        # A fetched Catch2 is a normal target, whose includes are not SYSTEM: take them over as SYSTEM.
        target_include_directories(sharemap_catch2 SYSTEM INTERFACE ${_sharemap_catch2_includes})
    else()
        target_link_libraries(sharemap_catch2 INTERFACE Catch2::Catch2)
    endif()
endif()

# Our own discovery script replaces Catch2's CatchAddTests.cmake; SharemapCatchAddTests.cmake says why.
set_property(GLOBAL PROPERTY SHAREMAP_CATCH_ADD_TESTS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/SharemapCatchAddTests.cmake")

# catch_discover_tests(<target> ...) with our discovery script, and `--warn NoTests` added to every test's command
# line so that a name which selects no test case fails (Catch2 exits 2) instead of passing with nothing run.
function(sharemap_catch_discover_tests target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "EXTRA_ARGS")
    # A function-scope variable shadows Catch.cmake's cache entry for this call only.
    get_property(_CATCH_DISCOVER_TESTS_SCRIPT GLOBAL PROPERTY SHAREMAP_CATCH_ADD_TESTS_SCRIPT)
    catch_discover_tests(${target} EXTRA_ARGS --warn NoTests ${arg_EXTRA_ARGS} ${arg_UNPARSED_ARGUMENTS})
endfunction()

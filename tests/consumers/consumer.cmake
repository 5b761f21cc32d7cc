# Shared by the consumer projects beside this file, after each has brought in sharemap its own way: builds check.cpp
# against sharemap::sharemap, registers it as a test, and fails the configure if sharemap brought anything of its own
# (its tests, examples or benchmarks, or a Wine prefix) into the consumer's build.

add_executable(consumer_check "${CMAKE_CURRENT_LIST_DIR}/check.cpp")
target_link_libraries(consumer_check PRIVATE sharemap::sharemap)
# A strict consumer: sharemap's headers must compile cleanly under its warnings too.
if(MSVC)
    target_compile_options(consumer_check PRIVATE /W4 /WX)
else()
    target_compile_options(consumer_check PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
endif()

enable_testing()
# Through CMAKE_CROSSCOMPILING_EMULATOR (Wine) when cross-compiling; Wine's environment comes from the caller.
add_test(NAME consumer_check COMMAND consumer_check)

foreach(_target IN ITEMS sharemap_tests sharemap_hygiene sharemap_noexcept sharemap_test_main sharemap-bench)
    if(TARGET ${_target})
        message(FATAL_ERROR "sharemap added its own target '${_target}' to a consumer's build")
    endif()
endforeach()
get_property(_examples GLOBAL PROPERTY SHAREMAP_EXAMPLE_TARGETS)
if(_examples)
    message(FATAL_ERROR "sharemap added its examples to a consumer's build: ${_examples}")
endif()
if(EXISTS "${CMAKE_BINARY_DIR}/_deps/sharemap-build/wineprefix"
   OR EXISTS "${CMAKE_BINARY_DIR}/sharemap/wineprefix")
    message(FATAL_ERROR "sharemap set up a Wine prefix in a consumer's build")
endif()

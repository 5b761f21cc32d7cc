# Build-time script: lists a Catch2 program's test cases and writes one add_test() per case into CTEST_FILE.
# It takes the same -D inputs as Catch2's CatchAddTests.cmake, so catch_discover_tests() can run it instead
# (see sharemap_catch_discover_tests in SharemapCatch2.cmake). Written for Windows programs run under Wine:
#  - their stdout is in text mode, so every line ends in "\r\n"; Catch2's script keeps the "\r" in each name, and
#    CTest would then run names that match no test case;
#  - a name containing ";" would be cut in two by CMake's list handling; here names are never made into lists.

cmake_policy(VERSION 3.21)

if(NOT EXISTS "${TEST_EXECUTABLE}")
    message(FATAL_ERROR "Test program '${TEST_EXECUTABLE}' does not exist")
endif()

# Output goes to files, not pipes: a wineserver launched by this run inherits them and lives on for a few
# seconds, and reading a pipe would wait for it.
set(listing_file "${CTEST_FILE}.stdout")
set(errors_file "${CTEST_FILE}.stderr")
execute_process(
    COMMAND ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" ${TEST_SPEC} --list-test-names-only
    WORKING_DIRECTORY "${TEST_WORKING_DIR}"
    OUTPUT_FILE "${listing_file}"
    ERROR_FILE "${errors_file}"
    RESULT_VARIABLE listing_result)
file(READ "${listing_file}" listing)
file(READ "${errors_file}" listing_errors)
file(REMOVE "${listing_file}" "${errors_file}")
string(REPLACE "\r" "" listing "${listing}")

# Appends a command to `script` with every argument as a bracket argument, which keeps ; [ ] $ \ " literal.
# ARGV<n> rather than ARGN: each argument exactly as passed, even one containing ";".
set(script "")
function(sharemap_emit command)
    set(line "${command}(")
    math(EXPR last "${ARGC} - 1")
    foreach(i RANGE 1 ${last})
        string(APPEND line " [==[${ARGV${i}}]==]")
    endforeach()
    set(script "${script}${line})\n" PARENT_SCOPE)
endfunction()

set(reporter_args "")
if(TEST_REPORTER)
    set(reporter_args --reporter "${TEST_REPORTER}")
endif()
if(TEST_OUTPUT_DIR AND NOT IS_ABSOLUTE "${TEST_OUTPUT_DIR}")
    set(TEST_OUTPUT_DIR "${TEST_WORKING_DIR}/${TEST_OUTPUT_DIR}")
endif()

set(count 0)
set(names_for_list "")
while(NOT listing STREQUAL "")
    string(FIND "${listing}" "\n" newline)
    if(newline EQUAL -1)
        set(name "${listing}")
        set(listing "")
    else()
        string(SUBSTRING "${listing}" 0 ${newline} name)
        math(EXPR newline "${newline} + 1")
        string(SUBSTRING "${listing}" ${newline} -1 listing)
    endif()
    if(name STREQUAL "")
        continue()
    endif()
    math(EXPR count "${count} + 1")
    if(name MATCHES "]==]")
        message(FATAL_ERROR "Test case name contains ']==]', which this script cannot quote: ${name}")
    endif()

    # A test spec that selects exactly this case: backslash, comma and brackets are special to Catch2's parser.
    set(spec "${name}")
    foreach(special "\\" "," "[" "]")
        string(REPLACE "${special}" "\\${special}" spec "${spec}")
    endforeach()
    set(output_args "")
    if(TEST_OUTPUT_DIR)
        string(REGEX REPLACE "[^A-Za-z0-9_]" "_" clean "${name}")
        file(MAKE_DIRECTORY "${TEST_OUTPUT_DIR}")
        set(output_args --out "${TEST_OUTPUT_DIR}/${TEST_OUTPUT_PREFIX}${clean}${TEST_OUTPUT_SUFFIX}")
    endif()

    set(test "${TEST_PREFIX}${name}${TEST_SUFFIX}")
    sharemap_emit(add_test "${test}" ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" "${spec}" ${TEST_EXTRA_ARGS}
        ${reporter_args} ${output_args})
    sharemap_emit(set_tests_properties "${test}" PROPERTIES WORKING_DIRECTORY "${TEST_WORKING_DIR}"
        ${TEST_PROPERTIES})
    string(APPEND names_for_list " [==[${test}]==]")
endwhile()

# Catch2 exits with the number of test cases listed (at most 255). Anything else means the program did not get
# that far: it crashed, could not start, or Wine failed.
set(expected ${count})
if(expected GREATER 255)
    set(expected 255)
endif()
if(NOT listing_result STREQUAL "${expected}")
    message(FATAL_ERROR
        "Listing the test cases of '${TEST_EXECUTABLE}' failed\n"
        "  command: ${TEST_EXECUTOR} ${TEST_EXECUTABLE} ${TEST_SPEC} --list-test-names-only\n"
        "  exit status: ${listing_result} (expected ${expected}, the number of names listed)\n"
        "  stderr: ${listing_errors}")
endif()
if(count EQUAL 0)
    message(WARNING "Test program '${TEST_EXECUTABLE}' contains no test cases")
endif()

string(APPEND script "set([==[${TEST_LIST}]==]${names_for_list})\n")
file(WRITE "${CTEST_FILE}" "${script}")

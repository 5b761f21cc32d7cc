# The version lives in project(VERSION) in CMakeLists.txt. Copies of it that cannot be generated are checked here, at
# configure time, so that a release bump that misses one fails at once:
#   include/sharemap/version.hpp     checked-in (programs that copy include/ without CMake need it); always checked
#   packaging/vcpkg/vcpkg.json       vcpkg reads the version from there; checked when we are the top-level project
# packaging/conan/conanfile.py reads version.hpp itself, so it has no copy to check.

include_guard(GLOBAL)

function(sharemap_check_version)
    set(header "${PROJECT_SOURCE_DIR}/include/sharemap/version.hpp")
    file(READ "${header}" text)
    set(found "")
    foreach(part MAJOR MINOR PATCH)
        if(NOT text MATCHES "#define SHAREMAP_VERSION_${part} ([0-9]+)")
            message(FATAL_ERROR "${header} does not define SHAREMAP_VERSION_${part}")
        endif()
        list(APPEND found "${CMAKE_MATCH_1}")
    endforeach()
    list(JOIN found "." found)
    if(NOT found VERSION_EQUAL PROJECT_VERSION)
        message(FATAL_ERROR "include/sharemap/version.hpp says ${found} but project(VERSION) says "
            "${PROJECT_VERSION}: update both (and packaging/vcpkg/vcpkg.json, CHANGELOG.md)")
    endif()

    set(manifest "${PROJECT_SOURCE_DIR}/packaging/vcpkg/vcpkg.json")
    if(PROJECT_IS_TOP_LEVEL AND EXISTS "${manifest}")
        file(READ "${manifest}" json)
        string(JSON vcpkg_version ERROR_VARIABLE json_error GET "${json}" version)
        if(json_error)
            message(FATAL_ERROR "${manifest}: ${json_error}")
        endif()
        if(NOT vcpkg_version STREQUAL PROJECT_VERSION)
            message(FATAL_ERROR "packaging/vcpkg/vcpkg.json says ${vcpkg_version} but project(VERSION) says "
                "${PROJECT_VERSION}")
        endif()
    endif()
endfunction()

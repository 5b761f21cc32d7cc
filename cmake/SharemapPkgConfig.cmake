# sharemap.pc for pkg-config users: relocatable, its paths taken from where the file itself is installed.

include_guard(GLOBAL)

# Writes the .pc file to `output`. Uses SHAREMAP_PKGCONFIG_INSTALL_DIR and CMAKE_INSTALL_INCLUDEDIR (relative to
# the prefix, or absolute).
function(sharemap_configure_pkgconfig output)
    # ${pcfiledir} is where pkg-config found the file; climb from there back to the prefix.
    file(RELATIVE_PATH to_prefix "/prefix/${SHAREMAP_PKGCONFIG_INSTALL_DIR}" "/prefix")
    string(REGEX REPLACE "/$" "" to_prefix "${to_prefix}")
    set(SHAREMAP_PC_PREFIX "\${pcfiledir}/${to_prefix}")
    if(IS_ABSOLUTE "${SHAREMAP_PKGCONFIG_INSTALL_DIR}")
        set(SHAREMAP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
    endif()
    if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
        set(SHAREMAP_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
    else()
        set(SHAREMAP_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
    endif()
    configure_file("${PROJECT_SOURCE_DIR}/cmake/sharemap.pc.in" "${output}" @ONLY)
endfunction()

# vcpkg port for sharemap, header-only. Not tested by sharemap's CI (no vcpkg there): see packaging/README.md.

# REPO and SHA512 are to be filled in when sharemap is published: the repository's owner/name, and the hash vcpkg
# prints for the v${VERSION} tarball on the first install (0 makes it print the right one).
vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO OWNER/sharemap
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main)

# Header-only: one configuration installs everything.
set(VCPKG_BUILD_TYPE release)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DSHAREMAP_BUILD_TESTS=OFF
        -DSHAREMAP_BUILD_EXAMPLES=OFF
        -DSHAREMAP_BUILD_BENCH=OFF
        -DSHAREMAP_INSTALL=ON)
vcpkg_cmake_install()

# Our package files go to share/cmake/sharemap; vcpkg wants them in share/sharemap.
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/sharemap)
vcpkg_fixup_pkgconfig()

# vcpkg keeps the license as share/sharemap/copyright, not where our install rules put it.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/licenses")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")

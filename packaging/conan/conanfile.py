# Conan 2 recipe for sharemap, header-only. Not tested by sharemap's CI (no Conan there): see packaging/README.md.
# It lives in the repository, two folders below the sources it packages:
#   conan create packaging/conan
import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class SharemapConan(ConanFile):
    name = "sharemap"
    description = "Header-only C++17 move-only RAII wrappers over Windows file mapping and named kernel objects"
    license = "MIT"
    topics = ("windows", "shared-memory", "file-mapping", "ipc", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True

    @property
    def _repository(self):
        return os.path.join(self.recipe_folder, "..", "..")

    def set_version(self):
        # The version as include/sharemap/version.hpp states it, so this recipe holds no copy to keep in step.
        text = load(self, os.path.join(self._repository, "include", "sharemap", "version.hpp"))
        parts = [re.search(r"#define SHAREMAP_VERSION_%s (\d+)" % part, text).group(1)
                 for part in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def export_sources(self):
        copy(self, "*.hpp", os.path.join(self._repository, "include"),
             os.path.join(self.export_sources_folder, "include"))
        copy(self, "LICENSE", self._repository, self.export_sources_folder)

    def layout(self):
        basic_layout(self, src_folder=".")

    def package_id(self):
        # Header-only: one package for every setting.
        self.info.clear()

    def validate(self):
        if self.settings.os != "Windows":
            raise ConanInvalidConfiguration("sharemap supports Windows only")
        check_min_cppstd(self, 17)

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"),
             os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "sharemap")
        self.cpp_info.set_property("cmake_target_name", "sharemap::sharemap")
        self.cpp_info.set_property("pkg_config_name", "sharemap")
        # The security functions live in advapi32, linked rather than loaded at run time.
        self.cpp_info.system_libs = ["advapi32"]

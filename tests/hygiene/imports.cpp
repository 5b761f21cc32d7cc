// SPDX-License-Identifier: MIT
// Nothing loads a DLL at first use: the advapi32 functions sharemap calls (security descriptors) are imported by the
// program itself, so the loader maps advapi32.dll before any code runs, and a first create in a DLL's static
// initialisation (under the loader lock) needs no LoadLibraryW. Shown two ways: the program's own import table
// names advapi32.dll (the hygiene program uses CreateOptions security, and its target links only what
// sharemap::sharemap brings), and advapi32.dll is already loaded when main() starts, before sharemap runs.
#include <windows.h>

#include <cctype>
#include <string>

namespace hygiene {

namespace {
std::string lower(const char* s) {
    std::string out;
    for (; *s != '\0'; ++s) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(*s)));
    }
    return out;
}
} // namespace

bool imports_dll(const char* dll) {
    const auto* base = reinterpret_cast<const unsigned char*>(GetModuleHandleW(nullptr));
    const auto* dos = reinterpret_cast<const IMAGE_DOS_HEADER*>(base);
    const auto* nt = reinterpret_cast<const IMAGE_NT_HEADERS*>(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY& dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (dir.VirtualAddress == 0) {
        return false;
    }
    const std::string wanted = lower(dll);
    for (const auto* entry = reinterpret_cast<const IMAGE_IMPORT_DESCRIPTOR*>(base + dir.VirtualAddress);
         entry->Name != 0; ++entry) {
        if (lower(reinterpret_cast<const char*>(base + entry->Name)) == wanted) {
            return true;
        }
    }
    return false;
}

bool dll_loaded(const wchar_t* dll) { return GetModuleHandleW(dll) != nullptr; }

} // namespace hygiene

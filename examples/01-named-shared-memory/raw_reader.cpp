// SPDX-License-Identifier: MIT
// 01-named-shared-memory, second process in plain Win32, without sharemap: opens the section writer.exe (or
// raw_writer.exe) created and prints its message. Usage: raw_reader [object-name]
#include <windows.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace {

// argv arrives in the ANSI code page; the W functions want UTF-16.
std::wstring widen(const char* s) {
    const int n = MultiByteToWideChar(CP_ACP, 0, s, -1, nullptr, 0); // counts the terminating NUL
    std::wstring w(static_cast<std::size_t>(n > 0 ? n : 1), L'\0');
    MultiByteToWideChar(CP_ACP, 0, s, -1, w.data(), n);
    w.pop_back();
    return w;
}

} // namespace

int main(int argc, char** argv) {
    const char* name = argc > 1 ? argv[1] : "Local\\MyFileMappingObject";
    constexpr SIZE_T size = 256; // what both writers create; a view may not run past the end of the section

    // Read access is all a reader needs (Microsoft's sample asks for FILE_MAP_ALL_ACCESS).
    HANDLE mapping = OpenFileMappingW(FILE_MAP_READ, FALSE, widen(name).c_str());
    if (mapping == nullptr) {
        std::fprintf(stderr, "raw_reader: OpenFileMappingW failed, error %lu\n", GetLastError());
        return 1;
    }
    const void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, size);
    if (view == nullptr) {
        std::fprintf(stderr, "raw_reader: MapViewOfFile failed, error %lu\n", GetLastError());
        CloseHandle(mapping);
        return 1;
    }

    // Don't trust the other process to have written a terminator: stop at the first NUL or the end of the view.
    std::string_view text(static_cast<const char*>(view), size);
    text = text.substr(0, text.find('\0'));
    std::printf("raw_reader: read \"%.*s\"\n", static_cast<int>(text.size()), text.data());

    UnmapViewOfFile(view);
    CloseHandle(mapping);
    return 0;
}

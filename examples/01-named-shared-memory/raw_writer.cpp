// SPDX-License-Identifier: MIT
// 01-named-shared-memory, first process in plain Win32, without sharemap: the same job as writer.cpp, here to show
// that the two interoperate (readers of either kind can read it). Usage: raw_writer [object-name]
#include <windows.h>

#include <cstdio>
#include <string>

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
    const char message[] = "Message from first process.";
    constexpr DWORD size = 256;

    // INVALID_HANDLE_VALUE instead of a file: the section is backed by the paging file. Note the failure value is
    // NULL here, not INVALID_HANDLE_VALUE.
    HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, size, widen(name).c_str());
    if (mapping == nullptr) {
        std::fprintf(stderr, "raw_writer: CreateFileMappingW failed, error %lu\n", GetLastError());
        return 1;
    }
    // If the name is taken, CreateFileMappingW succeeds anyway and hands back the existing object. Refuse it, as
    // sharemap's FileMapping::create does.
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        std::fprintf(stderr, "raw_writer: %s already exists\n", name);
        CloseHandle(mapping);
        return 1;
    }

    void* view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, size);
    if (view == nullptr) {
        std::fprintf(stderr, "raw_writer: MapViewOfFile failed, error %lu\n", GetLastError());
        CloseHandle(mapping);
        return 1;
    }
    CopyMemory(view, message, sizeof message); // with its NUL

    // Flush: stdout may be a pipe, and whoever starts the reader waits for this line.
    std::printf("raw_writer: wrote \"%s\" to %s; press Enter to exit\n", message, name);
    std::fflush(stdout);

    // Keep the section alive until a line (or end of input) arrives on stdin.
    for (int c = std::getchar(); c != '\n' && c != EOF; c = std::getchar()) {
    }

    // Unmap before closing: both the view and the handle keep the section alive.
    UnmapViewOfFile(view);
    CloseHandle(mapping);
    return 0;
}

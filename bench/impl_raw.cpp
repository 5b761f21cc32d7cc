// SPDX-License-Identifier: MIT
// The raw Win32 version of each workload: the floor for wrapper overhead. Written as careful raw code is: every
// result checked, nothing else added.
#include "bench.hpp"
#include "win32.hpp"

#include <memory>
#include <vector>

namespace bench {
namespace {

// Owns a HANDLE for setup state only; the timed loops below call CloseHandle themselves.
struct HandleCloser {
    void operator()(void* h) const noexcept {
        if (h != nullptr && h != INVALID_HANDLE_VALUE) {
            CloseHandle(h);
        }
    }
};
using Handle = std::unique_ptr<void, HandleCloser>;

Handle create_event(const std::wstring& name) {
    Handle h(CreateEventW(nullptr, FALSE, FALSE, name.c_str()));
    check(h != nullptr && GetLastError() != ERROR_ALREADY_EXISTS, "raw: CreateEventW");
    return h;
}

Handle open_event(const std::wstring& name) {
    Handle h(OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, name.c_str()));
    check(h != nullptr, "raw: OpenEventW");
    return h;
}

void wait(HANDLE h) { check(WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0, "raw: WaitForSingleObject"); }
void set(HANDLE h) { check(SetEvent(h) != 0, "raw: SetEvent"); }

// NtQuerySection(SectionBasicInformation): what a raw client calls to learn the size of a section it opened.
struct SectionBasicInformation {
    void* base_address;
    ULONG attributes;
    LARGE_INTEGER size;
};
using NtQuerySectionFn = LONG(WINAPI*)(HANDLE, int, void*, ULONG, ULONG*);

NtQuerySectionFn nt_query_section() {
    static const auto fn = reinterpret_cast<NtQuerySectionFn>(
        reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySection")));
    check(fn != nullptr, "raw: NtQuerySection not found");
    return fn;
}

// A section of `size` bytes, mapped read-write, every page touched: setup for the attach and bulk workloads.
struct MappedSection {
    Handle section;
    void* view = nullptr;

    MappedSection(const std::wstring& name, std::size_t size) {
        const auto large = static_cast<unsigned long long>(size);
        section.reset(CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, static_cast<DWORD>(large >> 32),
                                         static_cast<DWORD>(large), name.c_str()));
        check(section != nullptr && GetLastError() != ERROR_ALREADY_EXISTS, "raw: CreateFileMappingW");
        view = MapViewOfFile(section.get(), FILE_MAP_WRITE, 0, 0, size);
        check(view != nullptr, "raw: MapViewOfFile");
        std::memset(view, 0, size);
    }
    ~MappedSection() { UnmapViewOfFile(view); }
    MappedSection(const MappedSection&) = delete;
    MappedSection& operator=(const MappedSection&) = delete;
};

} // namespace

namespace win32_event {
void* create(const std::string& name) { return create_event(widen(name)).release(); }
void* open(const std::string& name) { return open_event(widen(name)).release(); }
void set(void* event) { bench::set(event); }
void wait(void* event) { bench::wait(event); }
void close(void* event) { CloseHandle(event); }
} // namespace win32_event

namespace raw_impl {

Batch section_cycle(const Setup& s) {
    const std::wstring name = widen(s.name);
    return [name](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            HANDLE h = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0,
                                          static_cast<DWORD>(small_section_size), name.c_str());
            check(h != nullptr && GetLastError() != ERROR_ALREADY_EXISTS, "raw: CreateFileMappingW");
            void* p = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, small_section_size);
            check(p != nullptr, "raw: MapViewOfFile");
            *static_cast<volatile unsigned char*>(p) = 1;
            UnmapViewOfFile(p);
            CloseHandle(h);
        }
    };
}

Batch attach(const Setup& s, bool query_size) {
    auto server = std::make_shared<MappedSection>(widen(s.name), small_section_size);
    *static_cast<std::uint64_t*>(server->view) = 42;
    const std::wstring name = widen(s.name);
    // Asking for the size needs SECTION_QUERY on the handle, as sharemap's open always adds.
    const DWORD rights = query_size ? FILE_MAP_READ | SECTION_QUERY : FILE_MAP_READ;
    return [server, name, rights, query_size](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            HANDLE h = OpenFileMappingW(rights, FALSE, name.c_str());
            check(h != nullptr, "raw: OpenFileMappingW");
            SIZE_T length = small_section_size;
            if (query_size) {
                SectionBasicInformation info{};
                check(nt_query_section()(h, 0, &info, sizeof(info), nullptr) >= 0, "raw: NtQuerySection");
                length = static_cast<SIZE_T>(info.size.QuadPart);
            }
            const void* p = MapViewOfFile(h, FILE_MAP_READ, 0, 0, length);
            check(p != nullptr, "raw: MapViewOfFile");
            check(*static_cast<const volatile std::uint64_t*>(p) == 42, "raw: attach read");
            UnmapViewOfFile(p);
            CloseHandle(h);
        }
    };
}

Batch mutex_lock_unlock(const Setup& s) {
    auto mutex = std::make_shared<Handle>(CreateMutexW(nullptr, FALSE, widen(s.name).c_str()));
    check(*mutex != nullptr && GetLastError() != ERROR_ALREADY_EXISTS, "raw: CreateMutexW");
    return [mutex](std::size_t n) {
        HANDLE h = mutex->get();
        for (std::size_t i = 0; i < n; ++i) {
            check(WaitForSingleObject(h, INFINITE) == WAIT_OBJECT_0, "raw: WaitForSingleObject(mutex)");
            check(ReleaseMutex(h) != 0, "raw: ReleaseMutex");
        }
    };
}

Batch mutex_try_lock_held(const Setup& s) {
    // Another thread holds the mutex for the whole workload; each try fails at once with WAIT_TIMEOUT.
    struct State {
        Handle mutex;
        std::unique_ptr<HeldLock> holder;
    };
    auto state = std::make_shared<State>();
    state->mutex.reset(CreateMutexW(nullptr, FALSE, widen(s.name).c_str()));
    check(state->mutex != nullptr && GetLastError() != ERROR_ALREADY_EXISTS, "raw: CreateMutexW");
    HANDLE mutex = state->mutex.get();
    state->holder = std::make_unique<HeldLock>(
        [mutex] { check(WaitForSingleObject(mutex, INFINITE) == WAIT_OBJECT_0, "raw: holder lock"); },
        [mutex] { check(ReleaseMutex(mutex) != 0, "raw: holder unlock"); });
    return [state](std::size_t n) {
        HANDLE h = state->mutex.get();
        for (std::size_t i = 0; i < n; ++i) {
            check(WaitForSingleObject(h, 0) == WAIT_TIMEOUT, "raw: try_lock on a held mutex");
        }
    };
}

Batch ping_pong(const Setup& s) {
    struct State {
        Handle ping, pong;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->ping = create_event(widen(s.name + "-ping"));
    state->pong = create_event(widen(s.name + "-pong"));
    state->child = std::make_unique<Child>("pingpong", "raw", s.name, s.total_ops);
    return [state](std::size_t n) {
        HANDLE ping = state->ping.get();
        HANDLE pong = state->pong.get();
        for (std::size_t i = 0; i < n; ++i) {
            set(ping);
            wait(pong);
        }
    };
}

Batch bulk_transfer(const Setup& s) {
    struct State {
        std::unique_ptr<MappedSection> section;
        Handle ready, done;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sequence = 0;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->section = std::make_unique<MappedSection>(widen(s.name), bulk_header + bulk_size);
    state->ready = create_event(widen(s.name + "-ready"));
    state->done = create_event(widen(s.name + "-done"));
    state->child = std::make_unique<Child>("bulk", "raw", s.name, s.total_ops);
    return [state](std::size_t n) {
        auto* base = static_cast<std::byte*>(state->section->view);
        HANDLE ready = state->ready.get();
        HANDLE done = state->done.get();
        for (std::size_t i = 0; i < n; ++i) {
            bulk_write(
                base, state->source.get(), state->sequence, [&] { set(ready); }, [&] { wait(done); });
        }
    };
}

Batch memcpy_baseline(const Setup&) {
    struct State {
        std::vector<std::byte> destination = std::vector<std::byte>(bulk_size); // zero-filled: every page touched
        std::unique_ptr<std::byte[]> source = bulk_source();
    };
    auto state = std::make_shared<State>();
    return [state](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t k = 0; k < bulk_chunks; ++k) {
                std::memcpy(state->destination.data() + k * bulk_chunk, state->source.get(), bulk_chunk);
            }
        }
    };
}

Batch file_map_sum(const Setup& s) {
    const std::wstring path = s.file_path;
    const std::uint64_t expected = s.file_sum;
    return [path, expected](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
            check(file != INVALID_HANDLE_VALUE, "raw: CreateFileW");
            LARGE_INTEGER size{};
            check(GetFileSizeEx(file, &size) != 0, "raw: GetFileSizeEx");
            HANDLE mapping = CreateFileMappingW(file, nullptr, PAGE_READONLY, 0, 0, nullptr);
            check(mapping != nullptr, "raw: CreateFileMappingW(file)");
            const void* p = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
            check(p != nullptr, "raw: MapViewOfFile(file)");
            CloseHandle(mapping);
            CloseHandle(file);
            check(sum_bytes(p, static_cast<std::size_t>(size.QuadPart)) == expected, "raw: file sum");
            UnmapViewOfFile(p);
        }
    };
}

Batch file_read_sum(const Setup& s) {
    const std::wstring path = s.file_path;
    const std::uint64_t expected = s.file_sum;
    auto buffer = std::shared_ptr<std::byte[]>(new std::byte[read_chunk]);
    return [path, expected, buffer](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
            check(file != INVALID_HANDLE_VALUE, "raw: CreateFileW");
            std::uint64_t sum = 0;
            for (;;) {
                DWORD got = 0;
                check(ReadFile(file, buffer.get(), static_cast<DWORD>(read_chunk), &got, nullptr) != 0,
                      "raw: ReadFile");
                if (got == 0) {
                    break;
                }
                sum += sum_bytes(buffer.get(), got);
            }
            CloseHandle(file);
            check(sum == expected, "raw: ReadFile sum");
        }
    };
}

int child(const ChildArgs& a) {
    if (a.role == "pingpong") {
        const Handle ping = open_event(widen(a.name + "-ping"));
        const Handle pong = open_event(widen(a.name + "-pong"));
        for (std::size_t i = 0; i < a.count; ++i) {
            wait(ping.get());
            set(pong.get());
        }
        return 0;
    }
    if (a.role == "bulk") {
        const Handle section(OpenFileMappingW(FILE_MAP_READ, FALSE, widen(a.name).c_str()));
        check(section != nullptr, "raw child: OpenFileMappingW");
        const void* view = MapViewOfFile(section.get(), FILE_MAP_READ, 0, 0, bulk_header + bulk_size);
        check(view != nullptr, "raw child: MapViewOfFile");
        const Handle ready = open_event(widen(a.name + "-ready"));
        const Handle done = open_event(widen(a.name + "-done"));
        const auto buffer = std::make_unique<std::byte[]>(bulk_chunk);
        bulk_read(
            static_cast<const std::byte*>(view), buffer.get(), a.count, [&] { wait(ready.get()); },
            [&] { set(done.get()); });
        UnmapViewOfFile(view);
        return 0;
    }
    fail("raw child: unknown role " + a.role);
}

} // namespace raw_impl
} // namespace bench

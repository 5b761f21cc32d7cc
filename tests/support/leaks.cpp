// SPDX-License-Identifier: MIT
#include "support/leaks.hpp"

#include <windows.h>
#include <winternl.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace sharemap_test {
namespace {

// Handle values are multiples of 4 from 4. Wine hands out the lowest free slot, but Windows does not reuse freed
// slots lowest-first, so a new handle can land far above the last open one. The walk therefore goes at least
// `gap` values past the last open handle AND past the highest handle value any walk or probe has seen in this
// process (a leaked handle sits at most there, or in the next free slot, which the probe below finds).
// Enumerating the system's handles instead (NtQuerySystemInformation, SystemExtendedHandleInformation) crashes
// Wine 8's wineserver when another process is starting at that moment: seen here as ctest -j2 runs hanging until
// their timeout.
constexpr std::uintptr_t gap = 4096 * 4;
std::atomic<std::uintptr_t> highest_seen{0};

// The value the next new handle gets: the upper end of where a handle opened now can sit.
void probe_next_handle_value() {
    HANDLE probe = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (probe != nullptr) {
        const auto value = reinterpret_cast<std::uintptr_t>(probe);
        CloseHandle(probe);
        std::uintptr_t seen = highest_seen.load();
        while (value > seen && !highest_seen.compare_exchange_weak(seen, value)) {
        }
    }
}

template <class Visit>
void walk_handles(Visit visit) {
    probe_next_handle_value();
    std::uintptr_t last_open = 0;
    const std::uintptr_t floor = highest_seen.load();
    for (std::uintptr_t value = 4; value <= std::max(last_open, floor) + gap; value += 4) {
        DWORD flags = 0;
        if (GetHandleInformation(reinterpret_cast<HANDLE>(value), &flags) != FALSE) {
            last_open = value;
            visit(value);
        }
    }
    std::uintptr_t seen = highest_seen.load();
    while (last_open > seen && !highest_seen.compare_exchange_weak(seen, last_open)) {
    }
}

std::string type_name(std::uintptr_t value) {
    // PUBLIC_OBJECT_TYPE_INFORMATION: a UNICODE_STRING followed by its text.
    alignas(8) unsigned char buffer[1024];
    ULONG length = 0;
    if (NtQueryObject(reinterpret_cast<HANDLE>(value), ObjectTypeInformation, buffer, sizeof buffer, &length) != 0) {
        return "?";
    }
    const auto* name = reinterpret_cast<const UNICODE_STRING*>(buffer);
    std::string out;
    for (USHORT i = 0; i < name->Length / sizeof(wchar_t); ++i) {
        const wchar_t c = name->Buffer[i];
        out.push_back(c < 128 ? static_cast<char>(c) : '?');
    }
    return out;
}

template <class Visit>
void walk_views(Visit visit) {
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    auto* p = static_cast<unsigned char*>(si.lpMinimumApplicationAddress);
    void* last_base = nullptr;
    MEMORY_BASIC_INFORMATION info;
    while (p < si.lpMaximumApplicationAddress && VirtualQuery(p, &info, sizeof info) == sizeof info) {
        if (info.State != MEM_FREE && info.Type == MEM_MAPPED && info.AllocationBase != last_base) {
            last_base = info.AllocationBase;
            visit(reinterpret_cast<std::uintptr_t>(info.AllocationBase));
        }
        p = static_cast<unsigned char*>(info.BaseAddress) + info.RegionSize;
    }
}

// The handles the C++ runtime made and has not closed (see leave_out_runtime_handles). A fixed table of atomics,
// not a std::set behind a std::mutex: the wrappers run inside the runtime's own locking, where taking a lock of the
// runtime again could deadlock. 0 marks a free entry; `runtime_used` is one past the highest entry ever taken.
constexpr std::size_t runtime_capacity = 4096;
std::atomic<std::uintptr_t> runtime_handles[runtime_capacity];
std::atomic<std::size_t> runtime_used{0};

void note_runtime_handle(HANDLE h) {
    const auto value = reinterpret_cast<std::uintptr_t>(h);
    if (value == 0) {
        return;
    }
    for (std::size_t i = 0; i < runtime_capacity; ++i) {
        std::uintptr_t expected = 0;
        if (runtime_handles[i].compare_exchange_strong(expected, value)) {
            std::size_t used = runtime_used.load();
            while (used < i + 1 && !runtime_used.compare_exchange_weak(used, i + 1)) {
            }
            return;
        }
    }
    // Full: the handle then shows in the snapshots, as a leak of the case, which is the safe side to err on.
}

void forget_runtime_handle(HANDLE h) {
    const auto value = reinterpret_cast<std::uintptr_t>(h);
    const std::size_t used = value != 0 ? runtime_used.load() : 0;
    for (std::size_t i = 0; i < used; ++i) {
        std::uintptr_t expected = value;
        if (runtime_handles[i].compare_exchange_strong(expected, 0)) {
            return;
        }
    }
}

using CreateEventAFunction = HANDLE(WINAPI*)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCSTR);
using CreateSemaphoreAFunction = HANDLE(WINAPI*)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCSTR);
using CloseHandleFunction = BOOL(WINAPI*)(HANDLE);
CreateEventAFunction real_create_event_a = nullptr;
CreateSemaphoreAFunction real_create_semaphore_a = nullptr;
CloseHandleFunction real_close_handle = nullptr;

HANDLE WINAPI runtime_create_event_a(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name) {
    HANDLE h = real_create_event_a(sa, manual, initial, name);
    note_runtime_handle(h);
    return h;
}

HANDLE WINAPI runtime_create_semaphore_a(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name) {
    HANDLE h = real_create_semaphore_a(sa, initial, maximum, name);
    note_runtime_handle(h);
    return h;
}

// Forgets before closing: once closed, the value may be handed out again at once, to a handle that counts.
BOOL WINAPI forgetting_close_handle(HANDLE h) {
    forget_runtime_handle(h);
    return real_close_handle(h);
}

// Points `module`'s import slot for kernel32's `function` at `replacement`, after storing what the slot held in
// `original` (so that no call through the slot reaches the wrapper before it can forward); false if the module does
// not import that function.
template <class Function>
bool redirect_import(HMODULE module, const char* function, Function replacement, Function& original) {
    auto* base = reinterpret_cast<unsigned char*>(module);
    const auto* dos = reinterpret_cast<const IMAGE_DOS_HEADER*>(base);
    const auto* nt = reinterpret_cast<const IMAGE_NT_HEADERS*>(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY& imports = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (imports.VirtualAddress == 0) {
        return false;
    }
    for (auto* d = reinterpret_cast<const IMAGE_IMPORT_DESCRIPTOR*>(base + imports.VirtualAddress); d->Name != 0; ++d) {
        if (_stricmp(reinterpret_cast<const char*>(base + d->Name), "kernel32.dll") != 0 ||
            d->OriginalFirstThunk == 0) {
            continue;
        }
        const auto* names = reinterpret_cast<const IMAGE_THUNK_DATA*>(base + d->OriginalFirstThunk);
        auto* slots = reinterpret_cast<IMAGE_THUNK_DATA*>(base + d->FirstThunk);
        for (; names->u1.AddressOfData != 0; ++names, ++slots) {
            if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal)) {
                continue;
            }
            const auto* by_name = reinterpret_cast<const IMAGE_IMPORT_BY_NAME*>(base + names->u1.AddressOfData);
            if (std::strcmp(reinterpret_cast<const char*>(by_name->Name), function) != 0) {
                continue;
            }
            DWORD protection = 0;
            if (VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, PAGE_READWRITE, &protection) == FALSE) {
                return false;
            }
            original = reinterpret_cast<Function>(slots->u1.Function);
            slots->u1.Function = reinterpret_cast<std::uintptr_t>(replacement);
            VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, protection, &protection);
            return true;
        }
    }
    return false;
}

// Redirects one module's three slots; true if its calls to CreateEventA or CreateSemaphoreA are now noted.
bool redirect_runtime_imports(HMODULE module) {
    // CloseHandle first: a handle noted before its close is forgotten is never left out after its value is reused.
    if (!redirect_import(module, "CloseHandle", &forgetting_close_handle, real_close_handle)) {
        return false;
    }
    const bool events = redirect_import(module, "CreateEventA", &runtime_create_event_a, real_create_event_a);
    const bool semaphores = redirect_import(module, "CreateSemaphoreA", &runtime_create_semaphore_a,
                                            real_create_semaphore_a);
    return events || semaphores;
}

std::string hex(std::uintptr_t v) {
    char text[32];
    (void)std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
    return text;
}

} // namespace

bool left_out_of_snapshots(std::uintptr_t value) {
    const std::size_t used = runtime_used.load();
    for (std::size_t i = 0; i < used; ++i) {
        if (runtime_handles[i].load() == value) {
            return true;
        }
    }
    return false;
}

bool leave_out_runtime_handles() {
    static const bool redirected = [] {
        // The program's own slots (the runtime linked in with -static, and the tests' own calls); then, where the
        // runtime is a DLL (a MinGW build without -static), that DLL's: its calls go through its own slots.
        const bool in_program = redirect_runtime_imports(GetModuleHandleW(nullptr));
        const HMODULE dll = GetModuleHandleW(L"libwinpthread-1.dll");
        return dll != nullptr ? redirect_runtime_imports(dll) : in_program;
    }();
    return redirected;
}

ResourceCounts count_resources() {
    ResourceCounts c;
    walk_views([&](std::uintptr_t) { ++c.mapped_views; });
    walk_handles([&](std::uintptr_t value) { c.handles += left_out_of_snapshots(value) ? 0 : 1; });
    return c;
}

// Whether the handle is one of the wake events SectionMutex, SectionEvent and SharedObject keep open on purpose:
// each process opens `Local\sharemap-wake-<key>` on first contention and caches it for the process's life (at most
// 64 keys; detail/platform_win32.hpp), so it is not a leak of the test case that first needed it.
bool is_wake_event_cache(std::uintptr_t value) {
    alignas(8) unsigned char buffer[2048];
    ULONG length = 0;
    if (NtQueryObject(reinterpret_cast<HANDLE>(value), static_cast<OBJECT_INFORMATION_CLASS>(1), buffer, sizeof buffer,
                      &length) != 0) {
        return false;
    }
    const auto* name = reinterpret_cast<const UNICODE_STRING*>(buffer);
    if (name->Buffer == nullptr) {
        return false;
    }
    return std::wstring(name->Buffer, name->Length / sizeof(wchar_t)).find(L"\\sharemap-wake-") != std::wstring::npos;
}

ResourceSnapshot snapshot_resources() {
    ResourceSnapshot s;
    walk_views([&](std::uintptr_t base) { s.views.insert(base); });
    std::vector<std::uintptr_t> values;
    walk_handles([&](std::uintptr_t value) { values.push_back(value); });
    for (const auto value : values) {
        if (left_out_of_snapshots(value)) {
            continue;
        }
        std::string type = type_name(value);
        if (type == "Event" && is_wake_event_cache(value)) {
            continue;
        }
        s.handles.emplace(value, std::move(type));
    }
    return s;
}

std::string describe_difference(const ResourceSnapshot& before, const ResourceSnapshot& after) {
    std::string out;
    for (const auto& [value, type] : before.handles) {
        const auto it = after.handles.find(value);
        if (it == after.handles.end()) {
            out += "-handle " + hex(value) + " " + type + " (closed)\n";
        } else if (it->second != type) {
            out += "-handle " + hex(value) + " " + type + " (closed)\n+handle " + hex(value) + " " + it->second +
                   " (opened in its place)\n";
        }
    }
    for (const auto& [value, type] : after.handles) {
        if (before.handles.count(value) == 0) {
            out += "+handle " + hex(value) + " " + type + " (still open)\n";
        }
    }
    for (const auto base : before.views) {
        if (after.views.count(base) == 0) {
            out += "-view " + hex(base) + " (unmapped)\n";
        }
    }
    for (const auto base : after.views) {
        if (before.views.count(base) == 0) {
            out += "+view " + hex(base) + " (still mapped)\n";
        }
    }
    return out;
}

} // namespace sharemap_test

// SPDX-License-Identifier: MIT
#include "support/leaks.hpp"

#include <windows.h>

#include <stdexcept>
#include <vector>

namespace sharemap_test {
namespace {

// SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX and SYSTEM_HANDLE_INFORMATION_EX (not in the SDK headers).
struct HandleEntry {
    void* object;
    ULONG_PTR process_id;
    ULONG_PTR handle_value;
    ULONG granted_access;
    USHORT creator_back_trace_index;
    USHORT object_type_index;
    ULONG handle_attributes;
    ULONG reserved;
};
struct HandleTable {
    ULONG_PTR count;
    ULONG_PTR reserved;
    HandleEntry entries[1];
};

std::size_t count_handles() {
    using NtQuerySystemInformationFn = LONG(NTAPI*)(ULONG, void*, ULONG, ULONG*);
    static const auto query = reinterpret_cast<NtQuerySystemInformationFn>(
        reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation")));
    if (query == nullptr) {
        throw std::runtime_error("NtQuerySystemInformation is missing");
    }
    static std::vector<unsigned char> buffer(1 << 20); // kept: growing it must not happen between two counts
    for (;;) {
        ULONG needed = 0;
        const LONG status = query(64 /* SystemExtendedHandleInformation */, buffer.data(),
                                  static_cast<ULONG>(buffer.size()), &needed);
        if (status == static_cast<LONG>(0xC0000004)) { // STATUS_INFO_LENGTH_MISMATCH
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (status < 0) {
            throw std::runtime_error("NtQuerySystemInformation failed");
        }
        break;
    }
    const auto* table = reinterpret_cast<const HandleTable*>(buffer.data());
    const ULONG_PTR self = GetCurrentProcessId();
    std::size_t mine = 0;
    for (ULONG_PTR i = 0; i < table->count; ++i) {
        mine += table->entries[i].process_id == self ? 1 : 0;
    }
    return mine;
}

std::size_t count_mapped_views() {
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    std::size_t views = 0;
    auto* p = static_cast<unsigned char*>(si.lpMinimumApplicationAddress);
    void* last_base = nullptr;
    MEMORY_BASIC_INFORMATION info;
    while (p < si.lpMaximumApplicationAddress && VirtualQuery(p, &info, sizeof info) == sizeof info) {
        if (info.State != MEM_FREE && info.Type == MEM_MAPPED && info.AllocationBase != last_base) {
            ++views;
            last_base = info.AllocationBase;
        }
        p = static_cast<unsigned char*>(info.BaseAddress) + info.RegionSize;
    }
    return views;
}

} // namespace

ResourceCounts count_resources() {
    ResourceCounts c;
    c.mapped_views = count_mapped_views();
    c.handles = count_handles();
    return c;
}

} // namespace sharemap_test

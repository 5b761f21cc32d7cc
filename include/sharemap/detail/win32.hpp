// SPDX-License-Identifier: MIT
// sharemap: where Win32 is declared. Every function sharemap imports is declared here, except the three advapi32
// functions of detail/security.hpp (ConvertStringSecurityDescriptorToSecurityDescriptorW, ConvertSidToStringSidW,
// OpenProcessToken): only security descriptors need advapi32, so they are declared there, beside the #pragma that
// links it for MSVC and, with SHAREMAP_USE_WINDOWS_H, the <sddl.h> that <windows.h> does not include.
// Functions looked up at run time (ntdll_function below, ring_mapping.hpp's kernel_function) are typed where they
// are called. The other detail headers call what is declared here or there; public headers call only detail
// functions.
//
// By default these functions (and security.hpp's) are declared with exactly the SDK's signatures, the way
// Boost.WinAPI does, so that including sharemap never brings <windows.h> (and its min/max/CreateFile macros) into a
// user's translation unit, and a <windows.h> included before or after still compiles. Define SHAREMAP_USE_WINDOWS_H
// to include the real headers instead. Never add noexcept to these declarations: it is part of a function's type.
#ifndef SHAREMAP_DETAIL_WIN32_HPP_INCLUDED
#define SHAREMAP_DETAIL_WIN32_HPP_INCLUDED

#include "sharemap/detail/config.hpp"

#include <cstddef>
#include <cstdint>

namespace sharemap::detail::win32 {
// The SDK's pointer-sized integers (SIZE_T, ULONG_PTR, DWORD_PTR, INT_PTR), spelled as each data model defines them.
// Both are built and tested here (32-bit under Wine's WoW64).
#if defined(_WIN64)
using size_type = unsigned long long;
using intptr_type = long long;
#else
using size_type = unsigned long;
using intptr_type = int;
#endif
// FARPROC. A calling convention written inside the declarator of a function that returns a function pointer binds
// to the pointer alone in GCC, which made GetProcAddress itself __cdecl in 32-bit builds (a wrong stack cleanup
// that the linker's stdcall fixup hid): the pointer type is named first, as the SDK does.
using farproc_type = intptr_type(__stdcall*)();
} // namespace sharemap::detail::win32

#if !defined(SHAREMAP_USE_WINDOWS_H)
// HMODULE as the SDK spells it in this translation unit. Both SDKs define STRICT unless NO_STRICT is defined (and
// STRICT wins if both are): with STRICT every handle type is a pointer to its own struct, with NO_STRICT it is plain
// HANDLE (void*). A declaration below that names HMODULE must follow, or <windows.h> included later conflicts with
// it; so NO_STRICT must be defined before sharemap is included, not between sharemap and <windows.h>. Only the
// declarations vary with the configuration: the inline functions below never name this type, so they are
// token-for-token the same in every translation unit (one definition).
#if defined(STRICT) || !defined(NO_STRICT)
struct HINSTANCE__;
#define SHAREMAP_DETAIL_HMODULE ::HINSTANCE__*
#else
#define SHAREMAP_DETAIL_HMODULE void*
#endif
#endif

#if defined(SHAREMAP_USE_WINDOWS_H)
#include <windows.h>
#else
struct _SECURITY_ATTRIBUTES;
struct _SYSTEM_INFO;
struct _STARTUPINFOW;
struct _PROCESS_INFORMATION;
struct _PROC_THREAD_ATTRIBUTE_LIST;
struct _BY_HANDLE_FILE_INFORMATION;
struct _FILETIME; // NOLINT(bugprone-reserved-identifier): the SDK names it so

extern "C" {
__declspec(dllimport) unsigned long __stdcall GetLastError(void);
__declspec(dllimport) void __stdcall SetLastError(unsigned long dwErrCode);
__declspec(dllimport) int __stdcall CloseHandle(void* hObject);
__declspec(dllimport) int __stdcall DuplicateHandle(void* hSourceProcessHandle, void* hSourceHandle,
                                                    void* hTargetProcessHandle, void** lpTargetHandle,
                                                    unsigned long dwDesiredAccess, int bInheritHandle,
                                                    unsigned long dwOptions);
__declspec(dllimport) int __stdcall GetHandleInformation(void* hObject, unsigned long* lpdwFlags);
__declspec(dllimport) int __stdcall SetHandleInformation(void* hObject, unsigned long dwMask, unsigned long dwFlags);
__declspec(dllimport) void* __stdcall GetCurrentProcess(void);
__declspec(dllimport) void __stdcall GetSystemInfo(::_SYSTEM_INFO* lpSystemInfo);
// No LoadLibrary: nothing here loads a DLL (tests/hygiene/no_dll_loading.cmake checks).
__declspec(dllimport) SHAREMAP_DETAIL_HMODULE __stdcall GetModuleHandleW(const wchar_t* lpModuleName);
__declspec(dllimport) void* __stdcall LocalFree(void* hMem);
__declspec(dllimport) unsigned long __stdcall GetModuleFileNameW(SHAREMAP_DETAIL_HMODULE hModule, wchar_t* lpFilename,
                                                                 unsigned long nSize);
__declspec(dllimport) sharemap::detail::win32::farproc_type
    __stdcall GetProcAddress(SHAREMAP_DETAIL_HMODULE hModule, const char* lpProcName);

__declspec(dllimport) void* __stdcall CreateFileMappingW(void* hFile, ::_SECURITY_ATTRIBUTES* lpFileMappingAttributes,
                                                         unsigned long flProtect, unsigned long dwMaximumSizeHigh,
                                                         unsigned long dwMaximumSizeLow, const wchar_t* lpName);
__declspec(dllimport) void* __stdcall OpenFileMappingW(unsigned long dwDesiredAccess, int bInheritHandle,
                                                       const wchar_t* lpName);
__declspec(dllimport) void* __stdcall MapViewOfFile(void* hFileMappingObject, unsigned long dwDesiredAccess,
                                                    unsigned long dwFileOffsetHigh, unsigned long dwFileOffsetLow,
                                                    sharemap::detail::win32::size_type dwNumberOfBytesToMap);
__declspec(dllimport) void* __stdcall MapViewOfFileEx(void* hFileMappingObject, unsigned long dwDesiredAccess,
                                                      unsigned long dwFileOffsetHigh, unsigned long dwFileOffsetLow,
                                                      sharemap::detail::win32::size_type dwNumberOfBytesToMap,
                                                      void* lpBaseAddress);
__declspec(dllimport) int __stdcall UnmapViewOfFile(const void* lpBaseAddress);
__declspec(dllimport) int __stdcall FlushViewOfFile(const void* lpBaseAddress,
                                                    sharemap::detail::win32::size_type dwNumberOfBytesToFlush);

__declspec(dllimport) void* __stdcall CreateMutexW(::_SECURITY_ATTRIBUTES* lpMutexAttributes, int bInitialOwner,
                                                   const wchar_t* lpName);
__declspec(dllimport) void* __stdcall OpenMutexW(unsigned long dwDesiredAccess, int bInheritHandle,
                                                 const wchar_t* lpName);
__declspec(dllimport) int __stdcall ReleaseMutex(void* hMutex);
__declspec(dllimport) void* __stdcall CreateEventW(::_SECURITY_ATTRIBUTES* lpEventAttributes, int bManualReset,
                                                   int bInitialState, const wchar_t* lpName);
__declspec(dllimport) void* __stdcall OpenEventW(unsigned long dwDesiredAccess, int bInheritHandle,
                                                 const wchar_t* lpName);
__declspec(dllimport) int __stdcall SetEvent(void* hEvent);
__declspec(dllimport) int __stdcall ResetEvent(void* hEvent);
__declspec(dllimport) void* __stdcall CreateSemaphoreW(::_SECURITY_ATTRIBUTES* lpSemaphoreAttributes,
                                                       long lInitialCount, long lMaximumCount, const wchar_t* lpName);
__declspec(dllimport) void* __stdcall OpenSemaphoreW(unsigned long dwDesiredAccess, int bInheritHandle,
                                                     const wchar_t* lpName);
__declspec(dllimport) int __stdcall ReleaseSemaphore(void* hSemaphore, long lReleaseCount, long* lpPreviousCount);
__declspec(dllimport) unsigned long __stdcall WaitForSingleObject(void* hHandle, unsigned long dwMilliseconds);
__declspec(dllimport) unsigned long __stdcall WaitForMultipleObjects(unsigned long nCount, void* const* lpHandles,
                                                                     int bWaitAll, unsigned long dwMilliseconds);

__declspec(dllimport) int __stdcall CreateProcessW(const wchar_t* lpApplicationName, wchar_t* lpCommandLine,
                                                   ::_SECURITY_ATTRIBUTES* lpProcessAttributes,
                                                   ::_SECURITY_ATTRIBUTES* lpThreadAttributes, int bInheritHandles,
                                                   unsigned long dwCreationFlags, void* lpEnvironment,
                                                   const wchar_t* lpCurrentDirectory, ::_STARTUPINFOW* lpStartupInfo,
                                                   ::_PROCESS_INFORMATION* lpProcessInformation);
__declspec(dllimport) int __stdcall InitializeProcThreadAttributeList(::_PROC_THREAD_ATTRIBUTE_LIST* lpAttributeList,
                                                                      unsigned long dwAttributeCount,
                                                                      unsigned long dwFlags,
                                                                      sharemap::detail::win32::size_type* lpSize);
__declspec(dllimport) int __stdcall UpdateProcThreadAttribute(::_PROC_THREAD_ATTRIBUTE_LIST* lpAttributeList,
                                                              unsigned long dwFlags,
                                                              sharemap::detail::win32::size_type Attribute,
                                                              void* lpValue, sharemap::detail::win32::size_type cbSize,
                                                              void* lpPreviousValue,
                                                              sharemap::detail::win32::size_type* lpReturnSize);
__declspec(dllimport) void __stdcall DeleteProcThreadAttributeList(::_PROC_THREAD_ATTRIBUTE_LIST* lpAttributeList);
__declspec(dllimport) int __stdcall GetExitCodeProcess(void* hProcess, unsigned long* lpExitCode);
__declspec(dllimport) int __stdcall TerminateProcess(void* hProcess, unsigned int uExitCode);
__declspec(dllimport) unsigned long __stdcall GetProcessId(void* Process);

__declspec(dllimport) void* __stdcall CreateFileW(const wchar_t* lpFileName, unsigned long dwDesiredAccess,
                                                  unsigned long dwShareMode,
                                                  ::_SECURITY_ATTRIBUTES* lpSecurityAttributes,
                                                  unsigned long dwCreationDisposition,
                                                  unsigned long dwFlagsAndAttributes, void* hTemplateFile);
__declspec(dllimport) unsigned long __stdcall GetFileSize(void* hFile, unsigned long* lpFileSizeHigh);
__declspec(dllimport) unsigned long __stdcall SetFilePointer(void* hFile, long lDistanceToMove,
                                                             long* lpDistanceToMoveHigh, unsigned long dwMoveMethod);
__declspec(dllimport) int __stdcall SetEndOfFile(void* hFile);
__declspec(dllimport) int __stdcall FlushFileBuffers(void* hFile);
__declspec(dllimport) unsigned long __stdcall GetFileType(void* hFile);
__declspec(dllimport) int __stdcall GetFileInformationByHandle(void* hFile,
                                                               ::_BY_HANDLE_FILE_INFORMATION* lpFileInformation);

// Process: the parent's standard handles, passed on to a child.
__declspec(dllimport) void* __stdcall GetStdHandle(unsigned long nStdHandle);
// SectionMutex / SectionEvent (detail/platform_win32.hpp): who owns a lock, whether it still runs, and sleeping.
__declspec(dllimport) unsigned long __stdcall GetCurrentProcessId(void);
__declspec(dllimport) unsigned long __stdcall GetCurrentThreadId(void);
__declspec(dllimport) void* __stdcall OpenThread(unsigned long dwDesiredAccess, int bInheritHandle,
                                                 unsigned long dwThreadId);
__declspec(dllimport) void* __stdcall OpenProcess(unsigned long dwDesiredAccess, int bInheritHandle,
                                                  unsigned long dwProcessId);
__declspec(dllimport) unsigned long __stdcall GetProcessIdOfThread(void* Thread);
__declspec(dllimport) int __stdcall GetExitCodeThread(void* hThread, unsigned long* lpExitCode);
__declspec(dllimport) int __stdcall GetProcessTimes(void* hProcess, ::_FILETIME* lpCreationTime,
                                                    ::_FILETIME* lpExitTime, ::_FILETIME* lpKernelTime,
                                                    ::_FILETIME* lpUserTime);
__declspec(dllimport) int __stdcall SwitchToThread(void);
// A SectionMutex owner's stamp: its thread's creation time, read once per thread and kept in a TLS slot.
__declspec(dllimport) void* __stdcall GetCurrentThread(void);
__declspec(dllimport) int __stdcall GetThreadTimes(void* hThread, ::_FILETIME* lpCreationTime, ::_FILETIME* lpExitTime,
                                                   ::_FILETIME* lpKernelTime, ::_FILETIME* lpUserTime);
__declspec(dllimport) unsigned long __stdcall TlsAlloc(void);
__declspec(dllimport) int __stdcall TlsFree(unsigned long dwTlsIndex);
__declspec(dllimport) void* __stdcall TlsGetValue(unsigned long dwTlsIndex);
__declspec(dllimport) int __stdcall TlsSetValue(unsigned long dwTlsIndex, void* lpTlsValue);
}
#undef SHAREMAP_DETAIL_HMODULE
#endif // SHAREMAP_USE_WINDOWS_H

namespace sharemap::detail::win32 {

// Types and constants as the SDK spells them, kept inside our namespace so that no macro escapes.
using handle_t = void*;
using dword_t = unsigned long;

inline constexpr dword_t error_success = 0;
inline constexpr dword_t error_file_not_found = 2;
inline constexpr dword_t error_access_denied = 5;
inline constexpr dword_t error_invalid_handle = 6;
inline constexpr dword_t error_not_enough_memory = 8;
inline constexpr dword_t error_invalid_parameter = 87;
inline constexpr dword_t error_already_exists = 183;
inline constexpr dword_t error_not_owner = 288;
inline constexpr dword_t error_too_many_posts = 298;
inline constexpr dword_t error_invalid_address = 487;
inline constexpr dword_t error_file_invalid = 1006;
inline constexpr dword_t error_no_unicode_translation = 1113;
inline constexpr dword_t error_mapped_alignment = 1132;

inline constexpr dword_t page_readonly = 0x02;
inline constexpr dword_t page_readwrite = 0x04;
inline constexpr dword_t page_writecopy = 0x08;
inline constexpr dword_t sec_commit = 0x08000000;
inline constexpr dword_t sec_reserve = 0x04000000;

inline constexpr dword_t section_query = 0x0001;
inline constexpr dword_t section_map_write = 0x0002;
inline constexpr dword_t section_map_read = 0x0004;
inline constexpr dword_t file_map_copy = 0x0001;
inline constexpr dword_t file_map_write = 0x0002;
inline constexpr dword_t file_map_read = 0x0004;

inline constexpr dword_t synchronize = 0x00100000;
inline constexpr dword_t mutex_modify_state = 0x0001;
inline constexpr dword_t event_modify_state = 0x0002;
inline constexpr dword_t semaphore_modify_state = 0x0002;

inline constexpr dword_t generic_read = 0x80000000;
inline constexpr dword_t generic_write = 0x40000000;
inline constexpr dword_t file_share_read = 0x00000001;
inline constexpr dword_t file_share_write = 0x00000002;
inline constexpr dword_t file_share_delete = 0x00000004;
inline constexpr dword_t create_new = 1;
inline constexpr dword_t open_existing = 3;
inline constexpr dword_t open_always = 4;
inline constexpr dword_t file_attribute_normal = 0x00000080;
inline constexpr dword_t file_attribute_directory = 0x00000010;
inline constexpr dword_t file_type_disk = 0x0001;
inline constexpr dword_t file_begin = 0;
inline constexpr dword_t invalid_file_size = 0xFFFFFFFF;

inline constexpr dword_t extended_startupinfo_present = 0x00080000;
inline constexpr size_type proc_thread_attribute_handle_list = 0x00020002;
inline constexpr dword_t still_active = 259;
inline constexpr dword_t tls_out_of_indexes = 0xFFFFFFFF;

inline constexpr dword_t infinite = 0xFFFFFFFF;
inline constexpr dword_t wait_object_0 = 0x00000000;
inline constexpr dword_t wait_abandoned_0 = 0x00000080;
inline constexpr dword_t wait_timeout = 258;
inline constexpr dword_t wait_failed = 0xFFFFFFFF;
inline constexpr dword_t maximum_wait_objects = 64;

inline constexpr dword_t handle_flag_inherit = 0x00000001;
inline constexpr dword_t duplicate_same_access = 0x00000002;

// Process: standard handles for a child (GetStdHandle's STD_*_HANDLE, STARTUPINFO's STARTF_USESTDHANDLES).
inline constexpr dword_t std_input_handle = static_cast<dword_t>(-10);
inline constexpr dword_t std_output_handle = static_cast<dword_t>(-11);
inline constexpr dword_t std_error_handle = static_cast<dword_t>(-12);
inline constexpr dword_t startf_usestdhandles = 0x00000100;

inline handle_t invalid_handle_value() noexcept { return reinterpret_cast<handle_t>(static_cast<std::intptr_t>(-1)); }

inline constexpr dword_t high_dword(std::uint64_t v) noexcept { return static_cast<dword_t>(v >> 32); }
inline constexpr dword_t low_dword(std::uint64_t v) noexcept { return static_cast<dword_t>(v & 0xFFFFFFFFu); }

/// Layout of the SDK's SECURITY_ATTRIBUTES.
struct SecurityAttributes {
    dword_t length;
    void* security_descriptor;
    int inherit_handle;
};

inline ::_SECURITY_ATTRIBUTES* to_sdk(SecurityAttributes* sa) noexcept {
    return reinterpret_cast<::_SECURITY_ATTRIBUTES*>(sa);
}

/// Layout of the SDK's STARTUPINFOEXW (a STARTUPINFOW followed by the attribute list pointer).
struct StartupInfoEx {
    dword_t cb;
    wchar_t* reserved;
    wchar_t* desktop;
    wchar_t* title;
    dword_t x, y, x_size, y_size, x_count_chars, y_count_chars, fill_attribute, flags;
    unsigned short show_window;
    unsigned short reserved2_size;
    unsigned char* reserved2;
    handle_t std_input, std_output, std_error;
    ::_PROC_THREAD_ATTRIBUTE_LIST* attribute_list;
};

/// Layout of the SDK's PROCESS_INFORMATION.
struct ProcessInformation {
    handle_t process;
    handle_t thread;
    dword_t process_id;
    dword_t thread_id;
};

/// Layout of the SDK's SYSTEM_INFO, so that <windows.h> is not needed to read the allocation granularity.
struct SystemInfo {
    dword_t processor_architecture_and_reserved;
    dword_t page_size;
    void* minimum_application_address;
    void* maximum_application_address;
    std::uintptr_t active_processor_mask;
    dword_t number_of_processors;
    dword_t processor_type;
    dword_t allocation_granularity;
    unsigned short processor_level;
    unsigned short processor_revision;
};

/// The system's page size and allocation granularity, read once.
inline const SystemInfo& system_info() noexcept {
    static const SystemInfo info = [] {
        SystemInfo si{};
        ::GetSystemInfo(reinterpret_cast<::_SYSTEM_INFO*>(&si));
        return si;
    }();
    return info;
}

/// Restores the calling thread's last-error value when it goes out of scope, so that cleanup never clobbers the
/// error a caller is about to read.
class LastErrorPreserver {
public:
    LastErrorPreserver() noexcept : saved_(::GetLastError()) {}
    ~LastErrorPreserver() { ::SetLastError(saved_); }
    LastErrorPreserver(const LastErrorPreserver&) = delete;
    LastErrorPreserver& operator=(const LastErrorPreserver&) = delete;

private:
    dword_t saved_;
};

/// Looks up an ntdll export, which the SDK does not declare; nullptr if this system lacks it.
///
/// ntdll.dll is mapped into every process before any of its code runs, so GetModuleHandleW finds it and nothing is
/// loaded: this is safe under the loader lock (in DllMain or a DLL's static initialisation). Not linked instead:
/// mingw-w64 does not link ntdll by default, so a plain `g++ -I include` build would then need -lntdll.
template <class Fn>
Fn ntdll_function(const char* name) noexcept {
    // The module handle is never stored in a variable: its type (HMODULE) depends on STRICT / NO_STRICT, and this
    // inline function must be the same in every translation unit. Function-pointer to function-pointer casts go
    // through void* to keep -Wcast-function-type quiet.
    return reinterpret_cast<Fn>(reinterpret_cast<void*>(::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), name)));
}

/// Whether `h` is a handle to a kernel object of type `type_name` ("Section", "File", "Mutant", "Event", ...), from
/// NtQueryObject(ObjectTypeInformation), which needs no access right on the handle. Sets the last error if not.
inline bool is_object_of_type(handle_t h, const wchar_t* type_name) noexcept {
    using NtQueryObjectFn = long(__stdcall*)(handle_t, int, void*, unsigned long, unsigned long*);
    static const auto query = ntdll_function<NtQueryObjectFn>("NtQueryObject");
    struct UnicodeString {
        unsigned short length;
        unsigned short maximum_length;
        wchar_t* buffer;
    };
    alignas(8) unsigned char buffer[1024] = {};
    if (query == nullptr || query(h, 2 /* ObjectTypeInformation */, buffer, sizeof(buffer), nullptr) < 0) {
        ::SetLastError(error_invalid_handle);
        return false;
    }
    const auto* name = reinterpret_cast<const UnicodeString*>(buffer);
    std::size_t n = 0;
    while (type_name[n] != L'\0') {
        ++n;
    }
    bool same = name->buffer != nullptr && name->length == n * sizeof(wchar_t);
    for (std::size_t i = 0; same && i < n; ++i) {
        same = name->buffer[i] == type_name[i];
    }
    if (!same) {
        ::SetLastError(error_invalid_handle);
    }
    return same;
}

/// The size of a section, from NtQuerySection(SectionBasicInformation). Needs SECTION_QUERY on the handle.
/// Returns 0 and sets the Win32 last error on failure.
inline std::uint64_t query_section_size(handle_t section) noexcept {
    struct SectionBasicInformation {
        void* base_address;
        unsigned long attributes;
        long long size;
    };
    using NtQuerySectionFn = long(__stdcall*)(handle_t, int, void*, unsigned long, unsigned long*);
    using RtlNtStatusToDosErrorFn = unsigned long(__stdcall*)(long);
    static const auto query = ntdll_function<NtQuerySectionFn>("NtQuerySection");
    static const auto to_dos = ntdll_function<RtlNtStatusToDosErrorFn>("RtlNtStatusToDosError");
    if (query == nullptr || to_dos == nullptr) {
        ::SetLastError(120); // ERROR_CALL_NOT_IMPLEMENTED
        return 0;
    }
    SectionBasicInformation info{};
    const long status = query(section, 0, &info, sizeof(info), nullptr);
    if (status < 0) {
        ::SetLastError(to_dos(status));
        return 0;
    }
    return static_cast<std::uint64_t>(info.size);
}

/// The access rights granted to `h`, from NtQueryObject(ObjectBasicInformation), which needs no right on the
/// handle. Returns false and sets the last error (ERROR_INVALID_HANDLE) if it cannot be asked.
inline bool granted_access(handle_t h, dword_t& rights) noexcept {
    struct ObjectBasicInformation {
        unsigned long attributes;
        unsigned long granted_access;
        unsigned long counts_and_sizes[10];
        long long create_time;
    };
    using NtQueryObjectFn = long(__stdcall*)(handle_t, int, void*, unsigned long, unsigned long*);
    static const auto query = ntdll_function<NtQueryObjectFn>("NtQueryObject");
    ObjectBasicInformation info{};
    if (h == nullptr || query == nullptr ||
        query(h, 0 /* ObjectBasicInformation */, &info, sizeof(info), nullptr) < 0) {
        ::SetLastError(error_invalid_handle);
        return false;
    }
    rights = info.granted_access;
    return true;
}

} // namespace sharemap::detail::win32

// ---------------------------------------------------------------------------------------------------------------
// Branch `rights`: creating sync objects with a desired access (CreateXxxExW, Vista and later), and reading an
// event's state or a semaphore's count without changing it (NtQueryEvent / NtQuerySemaphore from ntdll).

#if !defined(SHAREMAP_USE_WINDOWS_H)
extern "C" {
__declspec(dllimport) void* __stdcall CreateMutexExW(::_SECURITY_ATTRIBUTES* lpMutexAttributes, const wchar_t* lpName,
                                                     unsigned long dwFlags, unsigned long dwDesiredAccess);
__declspec(dllimport) void* __stdcall CreateEventExW(::_SECURITY_ATTRIBUTES* lpEventAttributes, const wchar_t* lpName,
                                                     unsigned long dwFlags, unsigned long dwDesiredAccess);
__declspec(dllimport) void* __stdcall CreateSemaphoreExW(::_SECURITY_ATTRIBUTES* lpSemaphoreAttributes,
                                                         long lInitialCount, long lMaximumCount, const wchar_t* lpName,
                                                         unsigned long dwFlags, unsigned long dwDesiredAccess);
}
#endif // SHAREMAP_USE_WINDOWS_H

namespace sharemap::detail::win32 {

inline constexpr dword_t create_event_manual_reset = 0x1;
inline constexpr dword_t create_event_initial_set = 0x2;
inline constexpr dword_t event_query_state = 0x0001;
inline constexpr dword_t semaphore_query_state = 0x0001;
inline constexpr dword_t error_call_not_implemented = 120;

/// The signature shared by NtQueryEvent and NtQuerySemaphore: (handle, information class, buffer, size, returned).
using NtQueryBasicFn = long(__stdcall*)(handle_t, int, void*, unsigned long, unsigned long*);

/// Calls `query` (nullptr if ntdll lacks it) for information class 0, the basic information. Returns false and sets
/// the Win32 last error on failure: the NTSTATUS through RtlNtStatusToDosError, as the Win32 functions report it
/// (STATUS_ACCESS_DENIED becomes ERROR_ACCESS_DENIED, STATUS_OBJECT_TYPE_MISMATCH ERROR_INVALID_HANDLE).
inline bool query_basic_information(NtQueryBasicFn query, handle_t h, void* info, unsigned long size) noexcept {
    using RtlNtStatusToDosErrorFn = unsigned long(__stdcall*)(long);
    static const auto to_dos = ntdll_function<RtlNtStatusToDosErrorFn>("RtlNtStatusToDosError");
    if (query == nullptr || to_dos == nullptr) {
        ::SetLastError(error_call_not_implemented);
        return false;
    }
    const long status = query(h, 0, info, size, nullptr);
    if (status < 0) {
        ::SetLastError(to_dos(status));
        return false;
    }
    return true;
}

/// Layout of ntdll's EVENT_BASIC_INFORMATION.
struct EventBasicInformation {
    int event_type;   ///< EVENT_TYPE: 0 NotificationEvent (manual reset), 1 SynchronizationEvent (automatic)
    long event_state; ///< nonzero if set
};

/// Layout of ntdll's SEMAPHORE_BASIC_INFORMATION.
struct SemaphoreBasicInformation {
    long current_count;
    long maximum_count;
};

/// NtQueryEvent(EventBasicInformation): the event's kind and state, without changing it. Needs EVENT_QUERY_STATE.
inline bool query_event(handle_t event, EventBasicInformation& info) noexcept {
    static const auto query = ntdll_function<NtQueryBasicFn>("NtQueryEvent");
    return query_basic_information(query, event, &info, sizeof(info));
}

/// NtQuerySemaphore(SemaphoreBasicInformation): the semaphore's counts, without changing them. Needs
/// SEMAPHORE_QUERY_STATE.
inline bool query_semaphore(handle_t semaphore, SemaphoreBasicInformation& info) noexcept {
    static const auto query = ntdll_function<NtQueryBasicFn>("NtQuerySemaphore");
    return query_basic_information(query, semaphore, &info, sizeof(info));
}

} // namespace sharemap::detail::win32

#endif // SHAREMAP_DETAIL_WIN32_HPP_INCLUDED

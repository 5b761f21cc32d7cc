// SPDX-License-Identifier: MIT
// Squatting and access control: create never uses an object someone else made; security descriptors chosen at
// creation decide who may open, checked from other processes.
#include <sharemap/create_options.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_mutex.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <aclapi.h>
#include <sddl.h>
#include <windows.h>

#include <cstring>
#include <string>

using sharemap::Access;
using sharemap::CreateOptions;
using sharemap::FileMapping;
using sharemap::Security;
using sharemap_test::Child;
using sharemap_test::run_child;
using sharemap_test::unique_name;

namespace {

std::wstring wide(const std::string& s) { return std::wstring(s.begin(), s.end()); }

CreateOptions with(Security security) { return CreateOptions().security(std::move(security)); }

// The calling process's user SID as a string, from its token.
std::wstring current_user_sid() {
    HANDLE token = nullptr;
    REQUIRE(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    alignas(8) unsigned char buffer[256];
    DWORD length = 0;
    REQUIRE(GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &length));
    CloseHandle(token);
    wchar_t* text = nullptr;
    REQUIRE(ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, &text));
    std::wstring sid = text;
    LocalFree(text);
    return sid;
}

} // namespace

// Child: opens the named section with the access given (r or rw); exit 0 opened, 13 permission_denied, 2 missing.
SHAREMAP_TEST_CHILD(try_open_section) {
    std::error_code ec;
    auto mapping = FileMapping::open(args.at(0), args.at(1) == "rw" ? Access::read_write : Access::read, ec);
    if (ec == std::errc::permission_denied) {
        return 13;
    }
    if (ec == std::errc::no_such_file_or_directory) {
        return 2;
    }
    CHILD_CHECK(!ec && mapping.map().size() != 0);
    return 0;
}

// Child: makes a section with plain Win32 (as any other program could) and holds it until killed.
SHAREMAP_TEST_CHILD(raw_squatter) {
    HANDLE h = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, 4096, wide(args.at(0)).c_str());
    CHILD_CHECK(h != nullptr);
    void* p = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    std::memcpy(p, "squatter", 9);
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, wide(args.at(1)).c_str());
    SetEvent(ready);
    Sleep(60000);
    return 0;
}

TEST_CASE("create never silently uses an object a raw Win32 process made first", "[security][process]") {
    const std::string name = unique_name("squat");
    const std::string ready_name = unique_name("squat-ready");
    HANDLE ready = CreateEventW(nullptr, TRUE, FALSE, wide(ready_name).c_str());
    Child squatter = Child::start("raw_squatter", {name, ready_name});
    REQUIRE(WaitForSingleObject(ready, 20000) == WAIT_OBJECT_0);
    CloseHandle(ready);

    std::error_code ec;
    auto mine = FileMapping::create(name, 4096, ec);
    CHECK(ec == std::errc::file_exists);
    CHECK_FALSE(mine);
    auto either = FileMapping::create_or_open(name, 4096);
    CHECK(either.existed());
    const auto view1 = either.map();
    CHECK(std::strcmp(reinterpret_cast<const char*>(view1.data()), "squatter") == 0);
    squatter.kill(0);
}

TEST_CASE("A deny-everyone DACL refuses every open, from any process, while the creator's handle works",
          "[security][process]") {
    const std::string name = unique_name("deny");
    auto mapping = FileMapping::create(name, 4096, with(Security::sddl("D:P(D;;GA;;;WD)")));
    auto view = mapping.map(Access::read_write); // the creator's own handle keeps the rights it was created with
    std::memcpy(view.data(), "still mine", 11);
    const auto view2 = mapping.map(Access::read);
    CHECK(std::strcmp(reinterpret_cast<const char*>(view2.data()), "still mine") == 0);

    CHECK(run_child("try_open_section", {name, "r"}) == 13);
    CHECK(run_child("try_open_section", {name, "rw"}) == 13);
    std::error_code ec;
    (void)FileMapping::open(name, Access::read, ec);
    CHECK(ec == std::errc::permission_denied);
    CHECK_THROWS_AS(FileMapping::open(name, Access::read), std::system_error);
    // create_or_open is an open too, and is refused the same way.
    (void)FileMapping::create_or_open(name, 4096, ec);
    CHECK(ec == std::errc::permission_denied);
}

TEST_CASE("A read-only DACL lets other processes open for reading only", "[security][process]") {
    const std::string name = unique_name("readonly-dacl");
    auto mapping = FileMapping::create(name, 4096, with(Security::sddl(L"D:P(A;;GR;;;WD)")));
    CHECK(run_child("try_open_section", {name, "r"}) == 0);
    CHECK(run_child("try_open_section", {name, "rw"}) == 13);
}

TEST_CASE("current_user_only gives a protected DACL with one entry, for the current user", "[security]") {
    const std::string name = unique_name("user-only");
    auto mapping = FileMapping::create(name, 4096, with(Security::current_user_only()));
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR sd = nullptr;
    REQUIRE(GetSecurityInfo(mapping.native_handle(), SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                            &dacl, nullptr, &sd) == ERROR_SUCCESS);
    REQUIRE(dacl != nullptr);
    CHECK(dacl->AceCount == 1);
    void* ace = nullptr;
    REQUIRE(GetAce(dacl, 0, &ace));
    const auto* allowed = static_cast<const ACCESS_ALLOWED_ACE*>(ace);
    CHECK(allowed->Header.AceType == ACCESS_ALLOWED_ACE_TYPE);
    wchar_t* sid = nullptr;
    REQUIRE(ConvertSidToStringSidW(const_cast<DWORD*>(&allowed->SidStart), &sid));
    CHECK(std::wstring(sid) == current_user_sid());
    LocalFree(sid);
    LocalFree(sd);
    // The same user, in another process, may open it.
    CHECK(run_child("try_open_section", {name, "rw"}) == 0);
}

TEST_CASE("The OS default and a bad SDDL", "[security]") {
    const std::string name = unique_name("default");
    auto plain = FileMapping::create(name, 4096, with(Security::os_default()));
    CHECK(FileMapping::open(name, Access::read_write));

    const std::string bad = unique_name("bad-sddl");
    std::error_code ec;
    auto refused = FileMapping::create(bad, 4096, with(Security::sddl("D:P(this is not SDDL")), ec);
    CHECK(ec);
    CHECK_FALSE(refused);
    (void)FileMapping::open(bad, Access::read, ec);
    CHECK(ec == std::errc::no_such_file_or_directory); // nothing was created
    CHECK_THROWS_AS(FileMapping::create(bad, 4096, with(Security::sddl("\xFF"))), std::system_error);
}

// Child: opens the named mutex; exit 0 opened, 13 permission_denied.
SHAREMAP_TEST_CHILD(try_open_mutex) {
    std::error_code ec;
    auto mutex = sharemap::NamedMutex::open(args.at(0), ec);
    return ec == std::errc::permission_denied ? 13 : (ec ? 1 : 0);
}

TEST_CASE("Security applies to the synchronization objects too", "[security][process]") {
    const std::string denied = unique_name("deny-mutex");
    auto mutex = sharemap::NamedMutex::create(denied, with(Security::sddl("D:P(D;;GA;;;WD)")));
    CHECK(run_child("try_open_mutex", {denied}) == 13);
    const std::string allowed = unique_name("user-mutex");
    auto mine = sharemap::NamedMutex::create(allowed, with(Security::current_user_only()));
    CHECK(run_child("try_open_mutex", {allowed}) == 0);
}

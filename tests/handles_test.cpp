// SPDX-License-Identifier: MIT
// Passing sections between processes without a name (inheritance, duplication), views at a requested address, and
// sections larger than 4 GiB.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <cstdint>
#include <cstring>
#include <string>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap_test::Child;
using sharemap_test::handle_from;
using sharemap_test::handle_text;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::win32_code;

namespace {

std::string text_at(const std::byte* p, std::size_t n) { return std::string(reinterpret_cast<const char*>(p), n); }

// A small named mailbox through which the parent hands a value to a child that is already running.
struct Mailbox {
    std::uint64_t value;
    volatile long ready;
};

} // namespace

// Child: adopts the section handle value given on its command line, maps it, checks the parent's message.
// Exit codes: 0 read the message; 20 the handle value is not a section in this process.
SHAREMAP_TEST_CHILD(adopt_inherited) {
    std::error_code ec;
    FileMapping mapping = FileMapping::adopt(handle_from(args.at(0)), Access::read_write, ec);
    if (ec) {
        return ec == sharemap::errc::invalid_handle ? 20 : 21;
    }
    auto view = mapping.map(Access::read, 0, 64);
    CHILD_CHECK(text_at(view.data(), 20) == "inherited by a child");
    return 0;
}

TEST_CASE("A child started with inheritance maps the parent's unnamed section through the handle value",
          "[handles][process]") {
    FileMapping mapping = FileMapping::create_unnamed(65536, sharemap::CreateOptions().inheritable());
    const auto view1 = mapping.map(Access::read_write);
    std::memcpy(view1.data(), "inherited by a child", 20);
    CHECK(Child::start("adopt_inherited", {handle_text(mapping.native_handle())}, true).wait() == 0);

    SECTION("a handle not marked inheritable is not usable in the child") {
        mapping.set_inheritable(false);
        CHECK(Child::start("adopt_inherited", {handle_text(mapping.native_handle())}, true).wait() == 20);
    }
    SECTION("a child started without inheritance gets nothing either") {
        CHECK(Child::start("adopt_inherited", {handle_text(mapping.native_handle())}, false).wait() == 20);
    }
}

// Child: waits for a handle value in the mailbox, adopts it read-only, reads, and tries to map it for writing.
// Exit codes: 0 read ok and write refused with permission_denied; 30 the write mapping was allowed.
SHAREMAP_TEST_CHILD(adopt_duplicated) {
    FileMapping mailbox_mapping = FileMapping::open(args.at(0), Access::read_write);
    auto mailbox_view = mailbox_mapping.map();
    auto* mailbox = mailbox_view.as<Mailbox>();
    for (int i = 0; i < 2000 && mailbox->ready == 0; ++i) {
        Sleep(10);
    }
    CHILD_CHECK(mailbox->ready != 0);
    FileMapping mapping = FileMapping::adopt(reinterpret_cast<void*>(mailbox->value), Access::read);
    const auto view4 = mapping.map();
    CHILD_CHECK(text_at(view4.data(), 10) == "duplicated");
    std::error_code ec;
    auto writable = mapping.map(Access::read_write, 0, 0, ec);
    if (writable) {
        return 30;
    }
    CHILD_CHECK(ec == std::errc::permission_denied);
    return 0;
}

TEST_CASE("A read-only duplicate in a running child reads but cannot map for writing", "[handles][process]") {
    const std::string mailbox_name = unique_name("mailbox");
    FileMapping mailbox_mapping = FileMapping::create(mailbox_name, sizeof(Mailbox));
    auto mailbox_view = mailbox_mapping.map();
    auto* mailbox = mailbox_view.as<Mailbox>();

    FileMapping data = FileMapping::create_unnamed(4096);
    const auto view5 = data.map();
    std::memcpy(view5.data(), "duplicated", 10);

    Child child = Child::start("adopt_duplicated", {mailbox_name});
    void* remote = data.duplicate_into(child.process_handle(), Access::read);
    CHECK(remote != nullptr);
    mailbox->value = reinterpret_cast<std::uintptr_t>(remote);
    InterlockedExchange(&mailbox->ready, 1);
    CHECK(child.wait() == 0);
}

TEST_CASE("duplicate() within the process, with the same or reduced access", "[handles]") {
    FileMapping original = FileMapping::create_unnamed(4096);
    const auto view6 = original.map();
    std::memcpy(view6.data(), "same", 4);
    FileMapping same = original.duplicate();
    CHECK(same.native_handle() != original.native_handle());
    CHECK(same.size() == 4096);
    const auto view7 = same.map(Access::read_write);
    view7.data()[0] = std::byte{'S'};
    const auto view8 = original.map();
    CHECK(text_at(view8.data(), 4) == "Same");

    FileMapping reader = original.duplicate(Access::read);
    CHECK(reader.access() == Access::read);
    const auto view9 = reader.map();
    CHECK(text_at(view9.data(), 4) == "Same");
    std::error_code ec;
    (void)reader.map(Access::read_write, 0, 0, ec);
    CHECK(ec == std::errc::permission_denied);
    (void)reader.duplicate_into(nullptr, Access::read, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    FileMapping empty;
    (void)empty.duplicate(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
}

TEST_CASE("adopt refuses a handle that is not a section and leaves it to the caller", "[handles][errors]") {
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::error_code ec;
    FileMapping m = FileMapping::adopt(event, Access::read, ec);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_FALSE(m);
    CHECK_THROWS_AS(FileMapping::adopt(event, Access::read), std::system_error);
    CHECK(SetEvent(event)); // untouched and still open
    CHECK(CloseHandle(event));
    (void)FileMapping::adopt(nullptr, Access::read, ec);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
}

namespace {

// An address high in the user space (47-bit; 2 GiB in a 32-bit process), unlikely to be used by anything else in
// either process.
void* shared_base() {
#if defined(_WIN64)
    return reinterpret_cast<void*>(std::uintptr_t{0x2345} << 32);
#else
    return reinterpret_cast<void*>(std::uintptr_t{0x6A000000});
#endif
}

// An address past the end of the user space: 47 bits; in a 32-bit process, the last 64 KiB, which Windows keeps
// out of reach even of a large-address-aware program.
void* beyond_user_space() {
#if defined(_WIN64)
    return reinterpret_cast<void*>(std::uintptr_t{1} << 47);
#else
    return reinterpret_cast<void*>(std::uintptr_t{0xFFFF0000});
#endif
}

struct Node {
    Node* next; // a pointer into the section itself
    char text[16];
};

} // namespace

// Child: maps the parent's named section at the parent's address and follows the pointers stored in it.
SHAREMAP_TEST_CHILD(follow_pointers) {
    FileMapping mapping = FileMapping::open(args.at(0), Access::read);
    auto view = mapping.map_at(handle_from(args.at(1)), Access::read, 0, 0);
    CHILD_CHECK(view.data() == handle_from(args.at(1)));
    const Node* first = view.as<Node>();
    CHILD_CHECK(first->next != nullptr);
    CHILD_CHECK(std::strcmp(first->next->text, "second") == 0);
    CHILD_CHECK(first->next->next == first);
    return 0;
}

TEST_CASE("map_at: a child maps the section at the parent's address and stored pointers stay valid",
          "[handles][process]") {
    const std::string name = unique_name("fixed");
    FileMapping mapping = FileMapping::create(name, 65536);
    auto view = mapping.map_at(shared_base(), Access::read_write, 0, 0);
    REQUIRE(view.data() == shared_base());
    Node* first = view.as<Node>(0);
    Node* second = view.as<Node>(4096);
    first->next = second;
    second->next = first;
    std::strcpy(second->text, "second");
    CHECK(run_child("follow_pointers", {name, handle_text(shared_base())}) == 0);

    std::error_code ec;
    SECTION("an address in use is an error") {
        auto again = mapping.map_at(shared_base(), Access::read, 0, 0, ec);
        CHECK(ec == win32_code(ERROR_INVALID_ADDRESS));
        CHECK(ec == sharemap::errc::invalid_address);
        CHECK_FALSE(again);
    }
    SECTION("an unaligned address is an error") {
        auto again = mapping.map_at(static_cast<std::byte*>(shared_base()) + 0x100000 + 4096, Access::read, 0, 0, ec);
        CHECK(ec == win32_code(ERROR_MAPPED_ALIGNMENT));
        CHECK_FALSE(again);
    }
    SECTION("an address beyond the application's address space is an error, not a view of nothing") {
        auto again = mapping.map_at(beyond_user_space(), Access::read, 0, 0, ec);
        CHECK(ec == win32_code(ERROR_INVALID_ADDRESS));
        CHECK_FALSE(again);
        CHECK_THROWS_AS(mapping.map_at(nullptr, Access::read), std::system_error);
    }
    SECTION("an unaligned offset lands data() past the aligned address") {
        void* base = static_cast<std::byte*>(shared_base()) + 0x100000;
        auto shifted = mapping.map_at(base, Access::read, 4096, 64);
        CHECK(shifted.data() == static_cast<std::byte*>(base) + 4096);
        CHECK(std::strcmp(reinterpret_cast<const Node*>(shifted.data())->text, "second") == 0);
    }
}

namespace {
constexpr std::uint64_t six_gib = std::uint64_t{6} << 30;
constexpr std::uint64_t far_offset = (std::uint64_t{5} << 30) + 12345;
} // namespace

// Child: opens the 6 GiB section by name and reads the parent's bytes at 5 GiB + 12,345.
SHAREMAP_TEST_CHILD(read_far) {
    FileMapping mapping = FileMapping::open(args.at(0), Access::read);
    CHILD_CHECK(mapping.size() == six_gib);
    auto view = mapping.map(Access::read, far_offset, 32);
    CHILD_CHECK(text_at(view.data(), 21) == "beyond four gibibytes");
    return 0;
}

TEST_CASE("A 6 GiB section: a view at 5 GiB + 12,345 written by the parent is read by a child",
          "[handles][process][large]") {
    const std::string name = unique_name("six-gib");
    FileMapping mapping = FileMapping::create(name, six_gib);
    CHECK(mapping.size() == six_gib);
    auto view = mapping.map(Access::read_write, far_offset, 32);
    std::memcpy(view.data(), "beyond four gibibytes", 21);
    CHECK(run_child("read_far", {name}) == 0);
    // The high DWORD matters: the same bytes 4 GiB lower are untouched.
    auto low = mapping.map(Access::read, far_offset - (std::uint64_t{4} << 30), 32);
    CHECK(text_at(low.data(), 21) != "beyond four gibibytes");
}

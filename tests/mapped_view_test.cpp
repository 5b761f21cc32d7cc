// SPDX-License-Identifier: MIT
// MappedView and FileMapping::map: offsets, lengths, range errors, as<T>(), flush, and the views' lifetime.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/mapped_view.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <cstring>
#include <string>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap::MappedView;
using sharemap_test::run_child;
using sharemap_test::unique_name;

namespace {

constexpr std::uint64_t unaligned_offset = 70000; // not a multiple of the 64 KiB allocation granularity
constexpr std::uint64_t section_size = 4 * 65536;

bool is_mapped(const void* p) {
    MEMORY_BASIC_INFORMATION info{};
    return VirtualQuery(p, &info, sizeof info) != 0 && info.State != MEM_FREE;
}

} // namespace

// Child: maps the whole section from offset 0 and checks/writes bytes at the unaligned offset.
SHAREMAP_TEST_CHILD(unaligned_peer) {
    auto mapping = FileMapping::open(args.at(0), Access::read_write);
    auto view = mapping.map(Access::read_write);
    CHILD_CHECK(std::memcmp(view.data() + unaligned_offset, "parent@70000", 13) == 0);
    std::memcpy(view.data() + unaligned_offset + 100, "child@70100", 12);
    return 0;
}

TEST_CASE("A view at an unaligned offset sees what another process wrote at that offset", "[mapped_view][process]") {
    const std::string name = unique_name("unaligned");
    auto mapping = FileMapping::create(name, section_size);
    auto view = mapping.map(Access::read_write, unaligned_offset, 200);
    REQUIRE(view.size() == 200);
    // data() is the byte asked for, not the aligned-down start of the view.
    CHECK(reinterpret_cast<std::uintptr_t>(view.data()) % 65536 == unaligned_offset % 65536);
    std::memcpy(view.data(), "parent@70000", 13);

    REQUIRE(run_child("unaligned_peer", {name}) == 0);
    CHECK(std::memcmp(view.data() + 100, "child@70100", 12) == 0);

    // A second view of the same bytes from another unaligned offset agrees.
    auto other = mapping.map(Access::read, unaligned_offset + 100, 0);
    CHECK(other.size() == section_size - unaligned_offset - 100);
    CHECK(std::memcmp(other.data(), "child@70100", 12) == 0);
}

TEST_CASE("Views past the end are invalid_argument in both forms, and nothing stays mapped", "[mapped_view][errors]") {
    const std::string name = unique_name("range");
    auto created = FileMapping::create(name, section_size);
    auto opened = FileMapping::open(name, Access::read); // its size is not known to the object beforehand
    for (const FileMapping* m : {&created, &opened}) {
        struct Case {
            std::uint64_t offset;
            std::size_t length;
        };
        for (const Case c : {Case{0, section_size + 1}, Case{unaligned_offset, section_size}, Case{section_size, 0},
                             Case{section_size, 1}, Case{section_size + 65536, 0}, Case{std::uint64_t{1} << 40, 16}}) {
            CAPTURE(c.offset, c.length, m == &opened);
            std::error_code ec;
            MappedView v = m->map(Access::read, c.offset, c.length, ec);
            CHECK(ec == std::errc::invalid_argument);
            CHECK_FALSE(v);
            CHECK(v.data() == nullptr);
            CHECK(v.size() == 0);
            try {
                (void)m->map(Access::read, c.offset, c.length);
                FAIL("a view past the end must throw");
            } catch (const std::system_error& e) {
                CHECK(e.code() == std::errc::invalid_argument);
            }
        }
        // The last byte is fine.
        CHECK(m->map(Access::read, section_size - 1, 1).size() == 1);
        CHECK(m->map(Access::read, section_size - 1, 0).size() == 1);
    }
}

TEST_CASE("Mapping for write through a read-only handle is permission_denied", "[mapped_view][errors]") {
    const std::string name = unique_name("readonly");
    auto created = FileMapping::create(name, 4096);
    auto reader = FileMapping::open(name, Access::read);
    CHECK(reader.access() == Access::read);
    std::error_code ec;
    auto v = reader.map(Access::read_write, 0, 0, ec);
    CHECK(ec == std::errc::permission_denied);
    CHECK_FALSE(v);
    CHECK(reader.map(Access::read)); // reading is allowed
    CHECK(reader.map(Access::copy_on_write));
}

TEST_CASE("A copy-on-write view keeps its writes private", "[mapped_view]") {
    auto mapping = FileMapping::create_unnamed(4096);
    auto shared = mapping.map(Access::read_write);
    std::memcpy(shared.data(), "original", 9);
    auto private_copy = mapping.map(Access::copy_on_write);
    std::memcpy(private_copy.data(), "modified", 9);
    CHECK(std::memcmp(shared.data(), "original", 9) == 0);
    CHECK(std::memcmp(private_copy.data(), "modified", 9) == 0);
}

TEST_CASE("as<T>() checks size and alignment", "[mapped_view]") {
    auto mapping = FileMapping::create_unnamed(4096);
    auto view = mapping.map(Access::read_write, 0, 64);
    CHECK(view.as<std::uint64_t>() == reinterpret_cast<std::uint64_t*>(view.data()));
    CHECK(view.as<std::uint64_t>(56) == reinterpret_cast<std::uint64_t*>(view.data() + 56));
    std::error_code ec;
    CHECK(view.as<std::uint64_t>(57, ec) == nullptr); // does not fit
    CHECK(ec == std::errc::invalid_argument);
    CHECK(view.as<std::uint64_t>(4, ec) == nullptr); // misaligned
    CHECK(ec == std::errc::invalid_argument);
    CHECK(view.as<std::uint64_t>(~std::size_t{0}, ec) == nullptr);
    CHECK(ec == std::errc::invalid_argument);
    CHECK_THROWS_AS(view.as<std::uint64_t>(60), std::system_error);
    struct Big {
        char bytes[65];
    };
    CHECK(view.as<Big>(0, ec) == nullptr);
    CHECK(view.as<char>(63, ec) != nullptr);
    CHECK_FALSE(ec);
}

TEST_CASE("flush() succeeds on a live view and fails on an empty one", "[mapped_view]") {
    auto mapping = FileMapping::create_unnamed(4096);
    auto view = mapping.map(Access::read_write);
    view.data()[0] = std::byte{1};
    CHECK_NOTHROW(view.flush());
    MappedView empty;
    std::error_code ec;
    empty.flush(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(empty.flush(), std::system_error);
}

TEST_CASE("A view outlives its FileMapping; unmap() releases it", "[mapped_view]") {
    MappedView view;
    {
        auto mapping = FileMapping::create_unnamed(65536);
        view = mapping.map(Access::read_write);
    }
    view.data()[65535] = std::byte{42}; // still mapped after the handle is closed
    CHECK(view.data()[65535] == std::byte{42});
    const void* p = view.data();
    view.close();
    CHECK_FALSE(is_mapped(p));
    CHECK(view.empty());
}

#if SHAREMAP_HAS_CXX20
TEST_CASE("bytes() spans the view (C++20)", "[mapped_view]") {
    auto mapping = FileMapping::create_unnamed(4096);
    auto view = mapping.map(Access::read_write, 100, 50);
    std::span<std::byte> bytes = view.bytes();
    CHECK(bytes.data() == view.data());
    CHECK(bytes.size() == 50);
}
#endif

// SPDX-License-Identifier: MIT
// The move checklist for every owning type: default-constructed, move-constructed, move-assigned over a live object
// (which releases it), self-move, and every operation on an empty object is a clear error.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/mapped_view.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <type_traits>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap::MappedView;
using sharemap_test::same;
using sharemap_test::unique_name;

namespace {

bool is_mapped(const void* p) {
    MEMORY_BASIC_INFORMATION info{};
    return VirtualQuery(p, &info, sizeof info) != 0 && info.State != MEM_FREE;
}

bool name_exists(const std::string& name) {
    std::error_code ec;
    return static_cast<bool>(FileMapping::open(name, Access::read, ec));
}

void check_empty_mapping(const FileMapping& m) {
    CHECK_FALSE(m);
    CHECK(m.native_handle() == nullptr);
    CHECK_FALSE(m.existed());
    std::error_code ec;
    CHECK(m.size(ec) == 0);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(m.map(Access::read, 0, 0, ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(m.map(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(m.size(), std::system_error);
    CHECK_THROWS_AS(m.map(), std::system_error);
    CHECK_THROWS_AS(m.map(Access::read, 0, 1), std::system_error);
}

void check_empty_view(const MappedView& v) {
    CHECK_FALSE(v);
    CHECK(v.empty());
    CHECK(v.data() == nullptr);
    CHECK(v.size() == 0);
    std::error_code ec;
    CHECK(v.as<int>(0, ec) == nullptr);
    CHECK(ec == sharemap::errc::invalid_handle);
}

} // namespace

static_assert(!std::is_copy_constructible_v<FileMapping> && !std::is_copy_assignable_v<FileMapping>);
static_assert(std::is_nothrow_move_constructible_v<FileMapping> && std::is_nothrow_move_assignable_v<FileMapping>);
static_assert(!std::is_copy_constructible_v<MappedView> && !std::is_copy_assignable_v<MappedView>);
static_assert(std::is_nothrow_move_constructible_v<MappedView> && std::is_nothrow_move_assignable_v<MappedView>);
static_assert(sizeof(FileMapping) <= 2 * sizeof(void*) + 16, "a FileMapping stays small");

TEST_CASE("FileMapping move checklist", "[move][file_mapping]") {
    SECTION("default-constructed is empty") {
        FileMapping m;
        check_empty_mapping(m);
        FileMapping released = FileMapping::create_unnamed(4096);
        CloseHandle(released.release());
        check_empty_mapping(released);
        FileMapping closed = FileMapping::create_unnamed(4096);
        closed.close();
        check_empty_mapping(closed);
    }
    SECTION("move construction transfers ownership") {
        const std::string name = unique_name("move-ctor");
        FileMapping a = FileMapping::create(name, 4096);
        void* h = a.native_handle();
        FileMapping b(std::move(a));
        CHECK(b.native_handle() == h);
        CHECK(b.size() == 4096);
        check_empty_mapping(a); // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
        CHECK(name_exists(name));
    }
    SECTION("move assignment over a live object closes the old section") {
        const std::string old_name = unique_name("move-old");
        const std::string new_name = unique_name("move-new");
        FileMapping target = FileMapping::create(old_name, 4096);
        FileMapping source = FileMapping::create(new_name, 8192);
        REQUIRE(name_exists(old_name));
        target = std::move(source);
        CHECK_FALSE(name_exists(old_name)); // its only handle was closed
        CHECK(name_exists(new_name));
        CHECK(target.size() == 8192);
        check_empty_mapping(source); // NOLINT(bugprone-use-after-move)
    }
    SECTION("self-move leaves the object as it was") {
        const std::string name = unique_name("move-self");
        FileMapping a = FileMapping::create(name, 4096);
        void* h = a.native_handle();
        a = std::move(same(a));
        CHECK(a.native_handle() == h);
        CHECK(a.size() == 4096);
        CHECK(name_exists(name));
    }
}

TEST_CASE("MappedView move checklist", "[move][mapped_view]") {
    FileMapping mapping = FileMapping::create_unnamed(65536 * 2);
    SECTION("default-constructed is empty") {
        MappedView v;
        check_empty_view(v);
    }
    SECTION("move construction transfers the view") {
        MappedView a = mapping.map(Access::read_write, 10, 100);
        std::byte* p = a.data();
        MappedView b(std::move(a));
        CHECK(b.data() == p);
        CHECK(b.size() == 100);
        check_empty_view(a); // NOLINT(bugprone-use-after-move)
        CHECK(is_mapped(p));
    }
    SECTION("move assignment over a live view unmaps the old one") {
        MappedView target = mapping.map(Access::read_write, 0, 100);
        MappedView source = mapping.map(Access::read_write, 65536 + 5, 100);
        const void* old_data = target.data();
        std::byte* new_data = source.data();
        target = std::move(source);
        CHECK_FALSE(is_mapped(old_data));
        CHECK(target.data() == new_data);
        CHECK(is_mapped(new_data));
        check_empty_view(source); // NOLINT(bugprone-use-after-move)
    }
    SECTION("self-move leaves the view as it was") {
        MappedView a = mapping.map(Access::read_write, 0, 100);
        std::byte* p = a.data();
        a = std::move(same(a));
        CHECK(a.data() == p);
        CHECK(is_mapped(p));
    }
}

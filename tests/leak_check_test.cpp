// SPDX-License-Identifier: MIT
// The leak listener (support/leak_listener.cpp) checks every case; these cases show that what it compares can fail.
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <cstdint>
#include <string>

using sharemap_test::describe_difference;
using sharemap_test::snapshot_resources;

namespace {

// Opens an event and maps a view of a new section, then closes the section's handle: the view keeps the section
// alive, so one handle (the event) and one view are kept, for the rest of the process.
void keep_one_handle_and_one_view() {
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, 65536, nullptr);
    REQUIRE(event != nullptr);
    REQUIRE(section != nullptr);
    REQUIRE(MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0) != nullptr);
    CloseHandle(section);
}

} // namespace

TEST_CASE("leak check: a kept handle and a kept view are seen, by value and type", "[leaks]") {
    const auto before = snapshot_resources();
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, 65536, nullptr);
    void* view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    REQUIRE(event != nullptr);
    REQUIRE(view != nullptr);
    const auto after = snapshot_resources();
    const std::string difference = describe_difference(before, after);
    CHECK(after.handles.size() == before.handles.size() + 2);
    CHECK(after.views.size() == before.views.size() + 1);
    CHECK(difference.find("+handle") != std::string::npos);
    CHECK(difference.find(" Event (still open)") != std::string::npos);
    CHECK(difference.find(" Section (still open)") != std::string::npos);
    CHECK(difference.find("+view") != std::string::npos);
    UnmapViewOfFile(view);
    CloseHandle(section);
    CloseHandle(event);
    CHECK(describe_difference(before, snapshot_resources()).empty());
}

TEST_CASE("leak check: a leak cannot hide behind an unintended close", "[leaks]") {
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    REQUIRE(event != nullptr);
    const auto before = snapshot_resources();
    // Same totals: one handle closed, another opened (under Wine in the same slot, the lowest free one).
    CloseHandle(event);
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, 65536, nullptr);
    REQUIRE(section != nullptr);
    const auto after = snapshot_resources();
    CHECK(after.handles.size() == before.handles.size());
    const std::string difference = describe_difference(before, after);
    CHECK(difference.find(" Event (closed)") != std::string::npos);
    CHECK(difference.find(" Section ") != std::string::npos);
    CloseHandle(section);
}

TEST_CASE("leak check: a handle opened above 4,096 free values is seen", "[leaks]") {
    // Free 5,000 slots below one kept handle: the old walk stopped after 4,096 unused values in a row.
    std::vector<HANDLE> filler;
    for (int i = 0; i < 5000; ++i) {
        filler.push_back(CreateEventW(nullptr, TRUE, FALSE, nullptr));
    }
    (void)snapshot_resources(); // a walk that sees them all, as the listener's walk at a case's start would
    HANDLE high = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    REQUIRE(high != nullptr);
    for (HANDLE h : filler) {
        CloseHandle(h);
    }
    filler.clear();
    const auto with_high = snapshot_resources();
    CHECK(with_high.handles.count(reinterpret_cast<std::uintptr_t>(high)) == 1);
    CloseHandle(high);
}

TEST_CASE("leak check: the C++ runtime's events and semaphores are left out, and only while open", "[leaks]") {
    // The listener pointed this program's CreateEventA / CreateSemaphoreA / CloseHandle at the noting wrappers
    // (support/leaks.hpp) before the first case; the runtime's calls, like these, go through those slots.
    const auto before = snapshot_resources();
    HANDLE runtime_event = CreateEventA(nullptr, FALSE, FALSE, nullptr);
    HANDLE runtime_semaphore = CreateSemaphoreA(nullptr, 0, 1, nullptr);
    HANDLE ours = CreateEventW(nullptr, FALSE, FALSE, nullptr);
    REQUIRE(runtime_event != nullptr);
    REQUIRE(runtime_semaphore != nullptr);
    REQUIRE(ours != nullptr);
    const auto during = snapshot_resources();
    CHECK(during.handles.count(reinterpret_cast<std::uintptr_t>(runtime_event)) == 0);
    CHECK(during.handles.count(reinterpret_cast<std::uintptr_t>(runtime_semaphore)) == 0);
    CHECK(during.handles.count(reinterpret_cast<std::uintptr_t>(ours)) == 1);
    const std::string difference = describe_difference(before, during);
    CHECK(difference.find("+handle") == difference.rfind("+handle")); // one line: ours
    CHECK(difference.find(" Event (still open)") != std::string::npos);
    // Once the runtime closes one, its value counts again: a handle that reuses it is seen.
    const auto value = reinterpret_cast<std::uintptr_t>(runtime_event);
    CHECK(sharemap_test::left_out_of_snapshots(value));
    CloseHandle(runtime_event);
    CHECK_FALSE(sharemap_test::left_out_of_snapshots(value));
    CloseHandle(ours);
    HANDLE reused = CreateEventW(nullptr, FALSE, FALSE, nullptr);
    REQUIRE(reused != nullptr);
    // Wine hands out the lowest free value, which is this one; Windows may hand out another.
    if (reinterpret_cast<std::uintptr_t>(reused) == value) {
        CHECK(snapshot_resources().handles.count(value) == 1);
    }
    CloseHandle(reused);
    CloseHandle(runtime_semaphore);
    CHECK(describe_difference(before, snapshot_resources()).empty());
}

// Keeps one handle and one view for the rest of the process, on purpose; the listener lets it (the tag).
TEST_CASE("leak check: a case tagged keeps-resources may keep a handle and a view", "[leaks][keeps-resources]") {
    keep_one_handle_and_one_view();
}

// Hidden: run only by the CTest tests sharemap_leak_check_catches_a_leak*, which expect the listener to fail it.
TEST_CASE("leak check self-check: leaks one handle and one view", "[.][leak-self-check]") {
    keep_one_handle_and_one_view();
    CHECK(true);
}

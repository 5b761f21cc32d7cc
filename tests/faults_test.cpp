// SPDX-License-Identifier: MIT
// Faults: processes that are killed, crash, or exit early while others share memory with them.
#include <sharemap/sharemap.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <cstring>
#include <string>

using namespace sharemap;
using sharemap_test::Child;
using sharemap_test::unique_name;

namespace {

constexpr DWORD access_violation = 0xC0000005;

std::string text_at(const std::byte* p) { return reinterpret_cast<const char*>(p); }

// A small shared record the tests and their children use to say how far they got.
struct Progress {
    volatile long stage;
    volatile long result;
};

bool wait_for_stage(const Progress* progress, long stage) {
    for (int i = 0; i < 2000 && progress->stage < stage; ++i) {
        Sleep(10);
    }
    return progress->stage >= stage;
}

} // namespace

// Child: maps the section and takes the mutex, writes, reports, then waits to be killed.
SHAREMAP_TEST_CHILD(hold_view_and_mutex) {
    auto mapping = FileMapping::open(args.at(0), Access::read_write);
    auto view = mapping.map();
    auto mutex = NamedMutex::open(args.at(1));
    mutex.lock();
    std::strcpy(reinterpret_cast<char*>(view.data()) + 64, "written by the child");
    InterlockedExchange(&view.as<Progress>()->stage, 1);
    Sleep(60000);
    return 0;
}

TEST_CASE("A child killed while holding a view and the mutex: the parent keeps the data and gets abandonment",
          "[faults][process]") {
    const std::string section_name = unique_name("killed-section");
    const std::string mutex_name = unique_name("killed-mutex");
    auto mapping = FileMapping::create(section_name, 65536);
    auto view = mapping.map();
    auto mutex = NamedMutex::create(mutex_name);
    std::strcpy(reinterpret_cast<char*>(view.data()) + 1024, "written by the parent");

    Child child = Child::start("hold_view_and_mutex", {section_name, mutex_name});
    REQUIRE(wait_for_stage(view.as<Progress>(), 1));
    REQUIRE(TerminateProcess(child.process_handle(), 9)); // killed while it holds both
    CHECK(child.wait() == 9);

    CHECK(mutex.acquire_for(std::chrono::seconds(10)) == LockStatus::abandoned);
    CHECK(text_at(view.data() + 64) == "written by the child");
    CHECK(text_at(view.data() + 1024) == "written by the parent");
    mutex.unlock();
    CHECK(FileMapping::open(section_name, Access::read)); // still there: the parent holds it
}

// Grandchild: opens the section, says so, waits until its parent is gone, then keeps using the section.
SHAREMAP_TEST_CHILD(orphan_worker) {
    auto mapping = FileMapping::open(args.at(0), Access::read_write);
    auto view = mapping.map();
    auto* progress = view.as<Progress>();
    InterlockedExchange(&progress->stage, 1);
    auto parent_gone = NamedEvent::open(args.at(1));
    CHILD_CHECK(parent_gone.wait_for(std::chrono::seconds(30)));
    // The process that created the section has exited; this one still holds it.
    CHILD_CHECK(text_at(view.data() + 64) == "from the dead parent");
    std::strcpy(reinterpret_cast<char*>(view.data()) + 128, "orphan still working");
    auto again = FileMapping::open(args.at(0), Access::read); // the name lives on too
    const auto again_view = again.map();
    CHILD_CHECK(text_at(again_view.data() + 128) == "orphan still working");
    InterlockedExchange(&progress->result, 1);
    InterlockedExchange(&progress->stage, 2);
    return 0;
}

// Child: creates the section, starts the worker, waits until the worker holds it, and exits.
SHAREMAP_TEST_CHILD(short_lived_parent) {
    auto mapping = FileMapping::create(args.at(0), 65536);
    auto view = mapping.map();
    std::strcpy(reinterpret_cast<char*>(view.data()) + 64, "from the dead parent");
    auto worker = Process::start(Process::current_executable(), {"--child", "orphan_worker", args.at(0), args.at(1)});
    CHILD_CHECK(wait_for_stage(view.as<Progress>(), 1));
    return 0;
}

TEST_CASE("The parent exits while a child still uses the section: the child keeps working", "[faults][process]") {
    const std::string section_name = unique_name("orphaned");
    const std::string gone_name = unique_name("parent-gone");
    auto parent_gone = NamedEvent::create(gone_name, EventReset::manual);
    REQUIRE(Child::start("short_lived_parent", {section_name, gone_name}).wait() == 0);
    // The creator is gone; the worker must be the only holder now. Open it ourselves to watch.
    auto mapping = FileMapping::open(section_name, Access::read);
    auto view = mapping.map();
    parent_gone.set();
    auto* progress = view.as<Progress>();
    REQUIRE(wait_for_stage(progress, 2));
    CHECK(progress->result == 1);
    CHECK(text_at(view.data() + 128) == "orphan still working");
}

// Child: crashes with an access violation (a write through a null pointer).
SHAREMAP_TEST_CHILD(crash) {
    volatile int* nothing = nullptr;
    *nothing = 42;
    return 0;
}

TEST_CASE("A child that crashes is reported as failed with its exit code, not a hang", "[faults][process]") {
    CHECK(Child::start("crash").wait() == access_violation);
    auto process = Process::start(Process::current_executable(), {"--child", "crash"});
    CHECK(process.wait_for(std::chrono::seconds(60)));
    CHECK(process.exit_code() == access_violation);
}

// Child: maps a section read-only and writes through the view: an access violation, as documented.
SHAREMAP_TEST_CHILD(write_read_only_view) {
    auto mapping = FileMapping::open(args.at(0), Access::read);
    auto view = mapping.map();
    *reinterpret_cast<volatile char*>(view.data()) = 'x';
    return 0;
}

TEST_CASE("Writing through a read-only view is an access violation", "[faults][process]") {
    const std::string name = unique_name("read-only-view");
    auto mapping = FileMapping::create(name, 4096);
    auto view = mapping.map();
    std::strcpy(reinterpret_cast<char*>(view.data()), "unchanged");
    CHECK(Child::start("write_read_only_view", {name}).wait() == access_violation);
    CHECK(text_at(view.data()) == "unchanged");
}

// Child: never finishes by itself.
SHAREMAP_TEST_CHILD(hang) {
    Sleep(INFINITE);
    return 0;
}

TEST_CASE("A child that hangs is killed after a bounded wait and reported, not waited on forever",
          "[faults][process]") {
    Child child = Child::start("hang");
    HANDLE watch = nullptr;
    REQUIRE(DuplicateHandle(GetCurrentProcess(), child.process_handle(), GetCurrentProcess(), &watch, SYNCHRONIZE,
                            FALSE, 0));
    CHECK(child.wait(std::chrono::milliseconds(300)) == sharemap_test::timed_out_exit_code);
    CHECK(WaitForSingleObject(watch, 10000) == WAIT_OBJECT_0); // the process is really gone
    CloseHandle(watch);
}

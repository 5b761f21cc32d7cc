// SPDX-License-Identifier: MIT
// One namespace: sections, mutexes, events and semaphores share their names. Creating or opening a name that an
// object of another kind holds fails with ERROR_INVALID_HANDLE (6), for every pair and every way in, in both forms,
// and leaves the holder untouched.
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>
#include <sharemap/named_semaphore.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <chrono>
#include <string>
#include <system_error>

using sharemap::Access;
using sharemap::EventReset;
using sharemap::EventState;
using sharemap::FileMapping;
using sharemap::NamedEvent;
using sharemap::NamedMutex;
using sharemap::NamedSemaphore;
using sharemap_test::Child;
using sharemap_test::unique_name;
using sharemap_test::win32_code;
using namespace std::chrono_literals;

namespace {

enum class Kind { section, mutex, event, semaphore };
enum class Way { create, create_or_open, open };

// The names of the kinds and the ways in, in the enums' order.
const char* kind_name(Kind k) {
    constexpr const char* names[] = {"section", "mutex", "event", "semaphore"};
    return names[static_cast<int>(k)];
}
const char* way_name(Way w) {
    constexpr const char* names[] = {"create", "create_or_open", "open"};
    return names[static_cast<int>(w)];
}

// One object of each kind, of which the test fills one: the holder of the name.
struct Holder {
    Holder(Kind k, const std::string& name) : kind(k) {
        switch (k) {
        case Kind::section:
            section = FileMapping::create(name, 4096);
            {
                const auto view = section.map(Access::read_write, 0, 4096);
                *view.as<int>(0) = 42;
            }
            break;
        case Kind::mutex:
            mutex = NamedMutex::create(name);
            break;
        case Kind::event:
            event = NamedEvent::create(name, EventReset::manual, EventState::set);
            break;
        case Kind::semaphore:
            semaphore = NamedSemaphore::create(name, 1, 1);
            break;
        }
    }

    // The holder still works as before: the failed attempts did not touch it.
    bool intact() {
        switch (kind) {
        case Kind::section: {
            const auto view = section.map(Access::read, 0, 4096);
            return *view.as<int>(0) == 42;
        }
        case Kind::mutex:
            return sharemap_test::free_for_another_thread(mutex);
        case Kind::event:
            return event.wait_for(0ms);
        case Kind::semaphore:
        default: {
            const bool one = semaphore.try_acquire() && !semaphore.try_acquire();
            semaphore.release();
            return one;
        }
        }
    }

    Kind kind;
    FileMapping section;
    NamedMutex mutex;
    NamedEvent event;
    NamedSemaphore semaphore;
};

// The error_code form of `way` for an object of kind `k`; returns the error and checks that nothing was returned.
std::error_code attempt(Kind k, Way w, const std::string& name) {
    std::error_code ec;
    bool got = false;
    switch (k) {
    case Kind::section:
        got = static_cast<bool>(w == Way::create           ? FileMapping::create(name, 4096, ec)
                                : w == Way::create_or_open ? FileMapping::create_or_open(name, 4096, ec)
                                                           : FileMapping::open(name, Access::read, ec));
        break;
    case Kind::mutex:
        got = static_cast<bool>(w == Way::create           ? NamedMutex::create(name, ec)
                                : w == Way::create_or_open ? NamedMutex::create_or_open(name, ec)
                                                           : NamedMutex::open(name, ec));
        break;
    case Kind::event:
        got = static_cast<bool>(w == Way::create           ? NamedEvent::create(name, EventReset::manual, ec)
                                : w == Way::create_or_open ? NamedEvent::create_or_open(name, EventReset::manual, ec)
                                                           : NamedEvent::open(name, ec));
        break;
    case Kind::semaphore:
        got = static_cast<bool>(w == Way::create           ? NamedSemaphore::create(name, 0, 1, ec)
                                : w == Way::create_or_open ? NamedSemaphore::create_or_open(name, 0, 1, ec)
                                                           : NamedSemaphore::open(name, ec));
        break;
    }
    CHECK_FALSE(got);
    return ec;
}

// The throwing form of `way` for an object of kind `k`.
void attempt_throwing(Kind k, Way w, const std::string& name) {
    switch (k) {
    case Kind::section:
        (void)(w == Way::create           ? FileMapping::create(name, 4096)
               : w == Way::create_or_open ? FileMapping::create_or_open(name, 4096)
                                          : FileMapping::open(name, Access::read));
        break;
    case Kind::mutex:
        (void)(w == Way::create           ? NamedMutex::create(name)
               : w == Way::create_or_open ? NamedMutex::create_or_open(name)
                                          : NamedMutex::open(name));
        break;
    case Kind::event:
        (void)(w == Way::create           ? NamedEvent::create(name, EventReset::manual)
               : w == Way::create_or_open ? NamedEvent::create_or_open(name, EventReset::manual)
                                          : NamedEvent::open(name));
        break;
    case Kind::semaphore:
        (void)(w == Way::create           ? NamedSemaphore::create(name, 0, 1)
               : w == Way::create_or_open ? NamedSemaphore::create_or_open(name, 0, 1)
                                          : NamedSemaphore::open(name));
        break;
    }
}

constexpr Kind all_kinds[] = {Kind::section, Kind::mutex, Kind::event, Kind::semaphore};
constexpr Way all_ways[] = {Way::create, Way::create_or_open, Way::open};

} // namespace

// Holds a named mutex until killed (at most args[2] ms), after setting the ready event args[1].
SHAREMAP_TEST_CHILD(namespace_hold_mutex) {
    auto mutex = NamedMutex::create(args.at(0));
    NamedEvent::open(args.at(1)).set();
    Sleep(static_cast<DWORD>(std::stoul(args.at(2))));
    return 0;
}

TEST_CASE("A name held by one kind of object cannot be created or opened as another: ERROR_INVALID_HANDLE",
          "[namespace]") {
    int pairs = 0;
    for (const Kind holder_kind : all_kinds) {
        for (const Kind other : all_kinds) {
            if (other == holder_kind) {
                continue;
            }
            const std::string name = unique_name("ns");
            Holder holder(holder_kind, name);
            for (const Way way : all_ways) {
                INFO(kind_name(holder_kind) << " holds the name; " << kind_name(other) << "::" << way_name(way));
                const std::error_code ec = attempt(other, way, name);
                CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
                CHECK(ec.category() == std::system_category());
                try {
                    attempt_throwing(other, way, name);
                    FAIL("must throw");
                } catch (const std::system_error& e) {
                    CHECK(e.code() == win32_code(ERROR_INVALID_HANDLE));
                }
            }
            INFO(kind_name(holder_kind) << " after attempts as " << kind_name(other));
            CHECK(holder.intact());
            ++pairs;
        }
    }
    CHECK(pairs == 12);
}

TEST_CASE("The same kind under the same name is one object; a freed name can be taken by another kind", "[namespace]") {
    const std::string name = unique_name("reuse");
    {
        auto mutex = NamedMutex::create(name);
        std::error_code ec;
        CHECK_FALSE(NamedEvent::create(name, EventReset::manual, ec));
        CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    }
    // The mutex's last handle is closed: the name is free again, for any kind.
    auto event = NamedEvent::create(name, EventReset::manual);
    CHECK_FALSE(event.existed());
}

TEST_CASE("A name held by another process's mutex cannot be opened as an event or a section", "[namespace][process]") {
    const std::string name = unique_name("ns-child");
    const std::string ready_name = unique_name("ns-child-ready");
    auto ready = NamedEvent::create(ready_name, EventReset::manual);
    Child child = Child::start("namespace_hold_mutex", {name, ready_name, "60000"});
    REQUIRE(ready.wait_for(30s));
    std::error_code ec;
    CHECK_FALSE(NamedEvent::open(name, ec));
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_FALSE(FileMapping::create_or_open(name, 4096, ec));
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK(NamedMutex::open(name).existed()); // and it is there, as a mutex
    child.kill(0);
}

// SPDX-License-Identifier: MIT
// Every test case is leak-checked here, so no test has to remember to count: this listener takes a snapshot of this
// process's handles and views (support/leaks.hpp) when a case starts and another when it ends (its locals, SECTION
// runs included, are gone by then), and a case that leaves any difference fails the run (see leak_check_failed).
// A case that keeps something on purpose says so with the tag [keeps-resources]. docs/testing.md lists what the
// check cannot see.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "support/leak_listener.hpp"

#include <sharemap/file.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>
#include <sharemap/named_semaphore.hpp>
#include <sharemap/process.hpp>
#include <sharemap/receiver.hpp>
#include <sharemap/sender.hpp>
#include <sharemap/shared_object.hpp>
#include <sharemap/wait.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace sharemap_test {
namespace {

bool failed = false;

SHAREMAP_TEST_CHILD(leak_warm_up) { return 0; }

// The C++ runtime guards every function-local static with one mutex and one condition variable of its own; a
// thread that finds another inside an initialisation waits on them, and they then get their handles (two
// semaphores and an event: a probe saw these three at the first contended initialisation in 8 of 8 runs) and keep
// them. Two threads of a case that reached a static of the library at the same moment failed the check so in CI.
// The racers below contend for this one. Later contended initialisations still added one more event at random (13
// of 30 probe runs, over 16 more), which is why the library's own statics are also filled before any case.
int slow_static() {
    static const int value = [] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return 1;
    }();
    return value;
}

// First calls that keep something for the rest of the process, done once before the first case is counted, so
// that they are not taken for the first case's leaks: Wine's kernelbase opens the \Sessions\1\BaseNamedObjects
// directory at the first named object and keeps it; the first process start, thread, file, view, temporary path
// and random number may each load or open something once; the first exception thrown creates two semaphores in
// the C++ runtime, and the main thread's first join that waits an event; and the snapshot's own first
// NtQueryObject.
// Anything not warmed up here that caches a handle at first use shows as a leak of the first case that uses it.
void warm_up() {
    using namespace sharemap;
    (void)snapshot_resources();
    {
        const TempFile path("leak-warm-up");
        auto file = File::create(path.path().u8string());
        file.resize(65536);
        auto from_file = FileMapping::from_file(file, Access::read_write);
        const auto file_view = from_file.map();
        file_view.data()[0] = std::byte{1};
        auto mapping = FileMapping::create(unique_name("leak-warm-up"), 65536);
        const auto view = mapping.map();
        view.data()[0] = std::byte{1};
        auto unnamed = FileMapping::create_unnamed(65536);
        auto mutex = NamedMutex::create(unique_name("leak-warm-up-mutex"));
        auto event = NamedEvent::create(unique_name("leak-warm-up-event"), EventReset::manual, EventState::set);
        auto semaphore = NamedSemaphore::create(unique_name("leak-warm-up-semaphore"), 1, 1);
        (void)wait_any({event}, std::chrono::milliseconds(0));
        (void)event.is_set();
        (void)semaphore.count();
        // The library keeps a few function pointers and figures in function-local statics; the paths that fill
        // them run once here, on one thread, so that no case's threads meet inside their first initialisation
        // (see slow_static).
        {
            auto object = SharedObject<int>::create_or_open(unique_name("leak-warm-up-object"), [](int& v) { v = 1; });
            const std::string channel = unique_name("leak-warm-up-channel");
            auto receiver = Receiver::create(channel, 65536);
            auto sender = Sender::open(channel);
            sender.send("x", 1);
            char byte = 0;
            (void)receiver.receive_into(&byte, 1);
        }
        // After the first exception thrown, two semaphores stay open (seen here; made by the C++ runtime, which
        // one part of it was not traced).
        try {
            (void)FileMapping::open(unique_name("leak-warm-up-missing"), Access::read);
        } catch (const std::system_error& e) {
            (void)e.what();
        }
        // The main thread's first pthread call that needs its own record (std::this_thread::get_id, or a join that
        // has to wait) makes winpthreads create that record, with an event, and keep it for the thread's life.
        (void)std::this_thread::get_id();
        std::thread([] { Sleep(50); }).join();
        // An event also stayed open, at random, after cases whose thread ended while the main thread joined it.
        // Our reading (not traced): winpthreads gives a static mutex of its own, such as the one guarding its
        // thread records, an event the first time two threads contend for it, and keeps it. So contend here, with
        // threads that start and join threads at the same time; with this, 6 runs of such a case in a row passed.
        std::vector<std::thread> starters;
        for (int i = 0; i < 4; ++i) {
            starters.emplace_back([] {
                for (int j = 0; j < 25; ++j) {
                    std::thread([] { (void)std::this_thread::get_id(); }).join();
                }
            });
        }
        for (auto& starter : starters) {
            starter.join();
        }
        // The C++ runtime's own static mutexes do the same: threads that throw their first exception, call
        // sleep_for or wait for a static's initialisation (slow_static), at the same moment left 1 to 3 semaphores
        // and events open (a probe: in 8 of 10 runs; a case's waiting threads beside a KillLater thread that
        // sleeps, then kills, failed the check so, rarely). Three rounds of four threads let go together take them
        // all (about 35 ms; the probe then saw none in 24 runs).
        for (int round = 0; round < 3; ++round) {
            std::atomic<bool> go{false};
            std::vector<std::thread> racers;
            for (int i = 0; i < 4; ++i) {
                racers.emplace_back([&go] {
                    while (!go.load()) {
                        std::this_thread::yield();
                    }
                    try {
                        throw std::runtime_error("leak warm-up");
                    } catch (const std::runtime_error& e) {
                        (void)e.what();
                    }
                    std::this_thread::sleep_for(std::chrono::microseconds(100));
                    (void)slow_static();
                });
            }
            go = true;
            for (auto& racer : racers) {
                racer.join();
            }
        }
        // Tried again, as the support's create_process does, when Wine fails to start the process at all
        // (ERROR_INTERNAL_ERROR: seen here once in a CI run, failing a case that had not begun).
        for (int attempt = 1;; ++attempt) {
            std::error_code ec;
            auto child = Process::start(Process::current_executable().u8string(), {"--child", "leak_warm_up"}, {}, ec);
            if (!ec) {
                (void)child.wait();
                break;
            }
            if (ec != std::error_code(ERROR_INTERNAL_ERROR, std::system_category()) || attempt == 3) {
                throw std::system_error(ec, "leak check warm-up: Process::start");
            }
            std::fprintf(stderr, "note: the warm-up's Process::start failed with ERROR_INTERNAL_ERROR (Wine did not "
                                 "start the process); trying again\n");
        }
    }
    (void)snapshot_resources();
}

bool keeps_resources(const Catch::TestCaseInfo& info) {
    for (const auto& tag : info.tags) {
        if (tag == "keeps-resources") {
            return true;
        }
    }
    return false;
}

struct LeakListener : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;

    void testRunStarting(const Catch::TestRunInfo& info) override {
        TestEventListenerBase::testRunStarting(info);
        warm_up();
    }

    void testCaseStarting(const Catch::TestCaseInfo& info) override {
        TestEventListenerBase::testCaseStarting(info);
        before_ = snapshot_resources();
    }

    void testCaseEnded(const Catch::TestCaseStats& stats) override {
        const std::string difference = describe_difference(before_, snapshot_resources());
        if (!difference.empty() && !keeps_resources(stats.testInfo)) {
            failed = true;
            stream << "\nLEAK CHECK FAILED: test case \"" << stats.testInfo.name
                   << "\" ended with this process's handles and views not as it found them:\n"
                   << difference << "(a case that keeps them on purpose is tagged [keeps-resources])\n";
            stream.flush();
        }
        TestEventListenerBase::testCaseEnded(stats);
    }

private:
    ResourceSnapshot before_;
};

} // namespace

bool leak_check_failed() noexcept { return failed; }

CATCH_REGISTER_LISTENER(LeakListener)

} // namespace sharemap_test

// SPDX-License-Identifier: MIT
// 07-section-mutex: a counter and its checksum in a named section, guarded by a SectionMutex that lives beside them.
// Two workers add to it; then a third takes the lock, updates half of the data and is killed holding it. The
// parent's next lock reports the abandonment, and the parent repairs the data before going on. The same program
// plays every part: without arguments it is the parent; with "add <section> <times>" or "crash <section>" a child.
#include <sharemap/sharemap.hpp>

#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

namespace {

// Everything the processes share. Zero bytes are valid for every member: a new section needs no constructor.
struct Shared {
    sharemap::SectionMutex lock; // guards counter and checksum
    sharemap::SectionEvent held; // the crashing child holds the lock
    long counter;
    long checksum; // always counter * 2 while nobody is half-way through an update
};

struct Mapped {
    sharemap::FileMapping section;
    sharemap::MappedView view;
    Shared& shared() const { return *view.as<Shared>(0); }
};

Mapped open_shared(const std::string& name) {
    Mapped m{sharemap::FileMapping::open(name, sharemap::Access::read_write), {}};
    m.view = m.section.map(sharemap::Access::read_write, 0, sizeof(Shared));
    return m;
}

int run_add(const std::string& name, long times) {
    const Mapped m = open_shared(name);
    Shared& s = m.shared();
    for (long i = 0; i < times; ++i) {
        std::lock_guard<sharemap::SectionMutex> guard(s.lock); // no kernel call unless the other worker holds it
        ++s.counter;
        s.checksum += 2;
    }
    return 0;
}

int run_crash(const std::string& name) {
    const Mapped m = open_shared(name);
    Shared& s = m.shared();
    s.lock.lock();
    ++s.counter; // half of an update: the checksum is not updated yet
    s.held.set();
    std::this_thread::sleep_for(std::chrono::minutes(1)); // the parent kills us here, holding the lock
    return 1;
}

// Ends a child that is still running, and waits until it has. It may have ended meanwhile: not an error.
void stop(sharemap::Process& child) {
    std::error_code ignored;
    child.terminate(1, ignored);
    (void)child.wait();
}

// Waits until `child` ends or `deadline` passes; true if it ended with exit code 0. Otherwise says why, after
// stopping a child that still runs.
bool ended_well(sharemap::Process& child, const char* who, std::chrono::steady_clock::time_point deadline) {
    if (!child.wait_until(deadline)) {
        std::cerr << "parent: " << who << " did not finish in time; stopping it\n";
        stop(child);
        return false;
    }
    const unsigned long code = child.exit_code();
    if (code != 0) {
        std::cerr << "parent: " << who << " failed with exit code " << code << "\n";
        return false;
    }
    return true;
}

enum class Signal { set, child_ended, timed_out };

// Waits until `event` is set, `child` ends or `limit` passes. A SectionEvent lives in the section, not in the kernel,
// so wait_any cannot wait for it and a process together: wait for it in short slices and look at the child between
// them, so that a child that dies first is noticed within one slice rather than at the time-out.
Signal wait_signal(sharemap::SectionEvent& event, const sharemap::Process& child, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!event.wait_for(std::chrono::milliseconds(100))) {
        if (child.wait_for(std::chrono::milliseconds(0))) {
            return event.is_set() ? Signal::set : Signal::child_ended; // it may have set it just before it ended
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Signal::timed_out;
        }
    }
    return Signal::set;
}

int run_parent() {
    const std::string name = "Local\\sharemap-example-07-" +
                             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto section = sharemap::FileMapping::create(name, sizeof(Shared)); // zero-filled: a ready mutex
    const auto view = section.map(sharemap::Access::read_write);
    Shared& s = *view.as<Shared>(0);
    const auto self = sharemap::Process::current_executable();

    sharemap::Process first = sharemap::Process::start(self, {"add", name, "5000"});
    sharemap::Process second = sharemap::Process::start(self, {"add", name, "5000"});
    // Wait for (or stop) both before looking at either result: no worker is left running when the parent returns.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const bool first_ok = ended_well(first, "the first worker", deadline);
    const bool second_ok = ended_well(second, "the second worker", deadline);
    if (!first_ok || !second_ok) {
        return 1;
    }
    {
        std::lock_guard<sharemap::SectionMutex> guard(s.lock);
        std::cout << "parent: two workers added " << s.counter << ", checksum " << s.checksum << "\n";
    }

    sharemap::Process crasher = sharemap::Process::start(self, {"crash", name});
    switch (wait_signal(s.held, crasher, std::chrono::seconds(30))) {
    case Signal::set:
        break;
    case Signal::child_ended:
        std::cerr << "parent: the third worker ended (exit code " << crasher.exit_code()
                  << ") before it signalled that it holds the lock\n";
        return 1;
    case Signal::timed_out:
        std::cerr << "parent: the third worker did not signal within 30 s that it holds the lock; stopping it\n";
        stop(crasher);
        return 1;
    }
    crasher.terminate(9); // killed while holding the lock, half-way through an update
    (void)crasher.wait();

    if (s.lock.acquire() == sharemap::LockStatus::abandoned) {
        std::cout << "parent: the owner died holding the lock; counter " << s.counter << ", checksum " << s.checksum
                  << (s.checksum == s.counter * 2 ? " (consistent)" : " (inconsistent)") << "\n";
        s.checksum = s.counter * 2; // repair: here the counter is the truth
        s.lock.clear_abandoned();
    }
    const bool consistent = s.checksum == s.counter * 2;
    std::cout << "parent: after repair counter " << s.counter << ", checksum " << s.checksum
              << (consistent ? " (consistent)" : " (inconsistent)") << "\n";
    s.lock.unlock();
    return consistent ? 0 : 1;
}

// A count from the command line: decimal digits only, and in range. (std::stol would read "12abc" as 12, and
// throw for "abc".)
bool parse_count(const char* text, long& out) {
    const char* end = text + std::strlen(text);
    const auto [last, error] = std::from_chars(text, end, out);
    return error == std::errc() && last == end && out >= 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const std::string role = argc > 1 ? argv[1] : "";
        if (role == "add" && argc == 4) {
            long times = 0;
            if (!parse_count(argv[3], times)) {
                std::cerr << "shared_counter: <times> must be a whole number, not \"" << argv[3] << "\"\n";
                return 2;
            }
            return run_add(argv[2], times);
        }
        if (role == "crash" && argc == 3) {
            return run_crash(argv[2]);
        }
        if (argc == 1) {
            return run_parent();
        }
        std::cerr << "usage: shared_counter [add <section> <times> | crash <section>]\n";
        return 2;
    } catch (const std::system_error& e) {
        std::cerr << e.what() << "\n"; // what() shows the call, its arguments and the code
        return 1;
    }
}

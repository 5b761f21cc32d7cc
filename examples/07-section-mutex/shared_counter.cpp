// SPDX-License-Identifier: MIT
// 07-section-mutex: a counter and its checksum in a named section, guarded by a SectionMutex that lives beside them.
// Two workers add to it; then a third takes the lock, updates half of the data and is killed holding it. The
// parent's next lock reports the abandonment, and the parent repairs the data before going on. The same program
// plays every part: without arguments it is the parent; with "add <section> <times>" or "crash <section>" a child.
#include <sharemap/sharemap.hpp>

#include <chrono>
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

int run_parent() {
    const std::string name = "Local\\sharemap-example-06-" +
                             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto section = sharemap::FileMapping::create(name, sizeof(Shared)); // zero-filled: a ready mutex
    const auto view = section.map(sharemap::Access::read_write);
    Shared& s = *view.as<Shared>(0);
    const auto self = sharemap::Process::current_executable();

    sharemap::Process first = sharemap::Process::start(self, {"add", name, "5000"});
    sharemap::Process second = sharemap::Process::start(self, {"add", name, "5000"});
    if (first.wait() != 0 || second.wait() != 0) {
        return 1;
    }
    {
        std::lock_guard<sharemap::SectionMutex> guard(s.lock);
        std::cout << "parent: two workers added " << s.counter << ", checksum " << s.checksum << "\n";
    }

    sharemap::Process crasher = sharemap::Process::start(self, {"crash", name});
    if (!s.held.wait_for(std::chrono::seconds(30))) {
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

} // namespace

int main(int argc, char** argv) {
    try {
        const std::string role = argc > 1 ? argv[1] : "";
        if (role == "add" && argc == 4) {
            return run_add(argv[2], std::stol(argv[3]));
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
        std::cerr << e.what() << " [" << e.code() << "]\n";
        return 1;
    }
}

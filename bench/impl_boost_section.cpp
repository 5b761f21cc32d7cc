// SPDX-License-Identifier: MIT
// Boost.Interprocess's mutex placed in a section (interprocess_mutex, a spin mutex on Windows), for the SectionMutex
// workloads: uncontended lock + unlock, and two processes contending on one lock.
#include "bench.hpp"

#include <atomic>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/windows_shared_memory.hpp>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

namespace bench::boost_section_impl {

namespace bip = boost::interprocess;

namespace {

struct Shared {
    bip::interprocess_mutex lock;
    std::atomic<std::uint32_t> stop;
    std::atomic<std::uint32_t> child_running;
    std::uint64_t counter;
};

struct Mapped {
    bip::windows_shared_memory shm;
    bip::mapped_region region;
    Shared& shared() const { return *static_cast<Shared*>(region.get_address()); }
};

std::shared_ptr<Mapped> create_shared(const std::string& name) {
    auto m = std::make_shared<Mapped>();
    m->shm = bip::windows_shared_memory(bip::create_only, name.c_str(), bip::read_write, 4096);
    m->region = bip::mapped_region(m->shm, bip::read_write, 0, 4096);
    new (m->region.get_address()) Shared(); // Boost's mutex is constructed once, by the creator
    return m;
}

} // namespace

Batch mutex_lock_unlock(const Setup& s) {
    auto mapped = create_shared(s.name);
    return [mapped](std::size_t n) {
        bip::interprocess_mutex& m = mapped->shared().lock;
        for (std::size_t i = 0; i < n; ++i) {
            m.lock();
            m.unlock();
        }
    };
}

Batch mutex_contended(const Setup& s) {
    struct State {
        std::shared_ptr<Mapped> mapped;
        std::unique_ptr<Child> child;
        ~State() {
            mapped->shared().stop.store(1);
            child.reset();
        }
    };
    auto state = std::make_shared<State>();
    state->mapped = create_shared(s.name);
    state->child = std::make_unique<Child>("contend", "boost_section", s.name, 0);
    while (state->mapped->shared().child_running.load() == 0) {
        std::this_thread::yield();
    }
    return [state](std::size_t n) {
        Shared& shared = state->mapped->shared();
        for (std::size_t i = 0; i < n; ++i) {
            shared.lock.lock();
            ++shared.counter;
            shared.lock.unlock();
        }
    };
}

int child(const ChildArgs& a) {
    if (a.role != "contend") {
        fail("boost_section child: unknown role " + a.role);
    }
    bip::windows_shared_memory shm(bip::open_only, a.name.c_str(), bip::read_write);
    bip::mapped_region region(shm, bip::read_write, 0, 4096);
    Shared& shared = *static_cast<Shared*>(region.get_address());
    shared.child_running.store(1);
    while (shared.stop.load(std::memory_order_relaxed) == 0) {
        std::lock_guard<bip::interprocess_mutex> guard(shared.lock);
        ++shared.counter;
    }
    return 0;
}

} // namespace bench::boost_section_impl

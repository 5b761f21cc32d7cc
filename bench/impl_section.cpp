// SPDX-License-Identifier: MIT
// The workloads of SectionMutex and SectionEvent, whose state lives in the shared memory, and the same workloads
// with NamedMutex where impl_sharemap.cpp has no version of them (two processes contending on one lock). The
// Boost.Interprocess in-section mutex is in impl_boost_section.cpp.
#include "sharemap/sharemap.hpp"

#include "bench.hpp"

#include <atomic>
#include <memory>
#include <new>
#include <thread>

namespace bench::section_impl {

using sharemap::Access;
using sharemap::EventReset;
using sharemap::FileMapping;
using sharemap::MappedView;
using sharemap::NamedMutex;
using sharemap::SectionEvent;
using sharemap::SectionMutex;

namespace {

// The section of the contended and ping-pong workloads. Zero bytes are valid for every member.
struct Shared {
    SectionMutex lock;
    SectionEvent ping; // automatic, constructed by the parent before the child starts
    SectionEvent pong; // automatic
    std::atomic<std::uint32_t> stop;
    std::atomic<std::uint32_t> child_running;
    std::uint64_t counter;
};

struct Mapped {
    FileMapping mapping;
    MappedView view;
    Shared& shared() const { return *view.as<Shared>(0); }
};

Mapped create_shared(const std::string& name) {
    Mapped m{FileMapping::create(name, 4096), {}};
    m.view = m.mapping.map();
    return m;
}

Mapped open_shared(const std::string& name) {
    Mapped m{FileMapping::open(name, Access::read_write), {}};
    m.view = m.mapping.map(Access::read_write, 0, sizeof(Shared));
    return m;
}

// Contention: the child locks and unlocks in a loop until told to stop; the parent's operations are timed.
template <class Lock>
struct Contended {
    Mapped mapped;
    Lock* lock = nullptr;
    NamedMutex named; // the NamedMutex variant's lock
    std::unique_ptr<Child> child;
    ~Contended() {
        mapped.shared().stop.store(1);
        child.reset(); // waits for the child
    }
};

template <class Lock>
Batch contended_batch(std::shared_ptr<Contended<Lock>> state) {
    Shared& shared = state->mapped.shared();
    while (shared.child_running.load() == 0) {
        std::this_thread::yield();
    }
    return [state](std::size_t n) {
        Lock& lock = *state->lock;
        std::uint64_t& counter = state->mapped.shared().counter;
        for (std::size_t i = 0; i < n; ++i) {
            lock.lock();
            ++counter;
            lock.unlock();
        }
    };
}

} // namespace

Batch mutex_lock_unlock(const Setup& s) {
    auto mapped = std::make_shared<Mapped>(create_shared(s.name));
    return [mapped](std::size_t n) {
        SectionMutex& m = mapped->shared().lock;
        for (std::size_t i = 0; i < n; ++i) {
            m.lock();
            m.unlock();
        }
    };
}

Batch section_mutex_contended(const Setup& s) {
    auto state = std::make_shared<Contended<SectionMutex>>();
    state->mapped = create_shared(s.name);
    state->lock = &state->mapped.shared().lock;
    state->child = std::make_unique<Child>("contend", "section", s.name, 0);
    return contended_batch(state);
}

Batch named_mutex_contended(const Setup& s) {
    auto state = std::make_shared<Contended<NamedMutex>>();
    state->mapped = create_shared(s.name);
    state->named = NamedMutex::create(s.name + "-mutex");
    state->lock = &state->named;
    state->child = std::make_unique<Child>("contend_named", "section", s.name, 0);
    return contended_batch(state);
}

Batch ping_pong(const Setup& s) {
    struct State {
        Mapped mapped;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->mapped = create_shared(s.name);
    new (&state->mapped.shared().ping) SectionEvent(EventReset::automatic);
    new (&state->mapped.shared().pong) SectionEvent(EventReset::automatic);
    state->child = std::make_unique<Child>("pingpong", "section", s.name, s.total_ops);
    return [state](std::size_t n) {
        SectionEvent& ping = state->mapped.shared().ping;
        SectionEvent& pong = state->mapped.shared().pong;
        for (std::size_t i = 0; i < n; ++i) {
            ping.set();
            (void)pong.wait();
        }
    };
}

int child(const ChildArgs& a) {
    const Mapped mapped = open_shared(a.name);
    Shared& shared = mapped.shared();
    if (a.role == "pingpong") {
        for (std::size_t i = 0; i < a.count; ++i) {
            (void)shared.ping.wait();
            shared.pong.set();
        }
        return 0;
    }
    if (a.role == "contend" || a.role == "contend_named") {
        NamedMutex named;
        if (a.role == "contend_named") {
            named = NamedMutex::open(a.name + "-mutex");
        }
        shared.child_running.store(1);
        while (shared.stop.load(std::memory_order_relaxed) == 0) {
            if (a.role == "contend") {
                std::lock_guard<SectionMutex> guard(shared.lock);
                ++shared.counter;
            } else {
                std::lock_guard<NamedMutex> guard(named);
                ++shared.counter;
            }
        }
        return 0;
    }
    fail("section child: unknown role " + a.role);
}

} // namespace bench::section_impl

// SPDX-License-Identifier: MIT
// The sharemap version of each workload, written as the README shows: UTF-8 names, the throwing forms, RAII
// doing the unmapping and closing.
#include "sharemap/sharemap.hpp"

#include "bench.hpp"

#include <memory>

namespace bench::sharemap_impl {

using sharemap::Access;
using sharemap::EventReset;
using sharemap::FileMapping;
using sharemap::MappedView;
using sharemap::NamedEvent;
using sharemap::NamedMutex;

Batch section_cycle(const Setup& s) {
    const std::string name = s.name;
    return [name](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const FileMapping mapping = FileMapping::create(name, small_section_size);
            const MappedView view = mapping.map();
            *reinterpret_cast<volatile unsigned char*>(view.data()) = 1;
        }
    };
}

Batch attach(const Setup& s, bool explicit_length) {
    struct Server {
        FileMapping mapping;
        MappedView view;
    };
    auto server = std::make_shared<Server>();
    server->mapping = FileMapping::create(s.name, small_section_size);
    server->view = server->mapping.map();
    std::memset(server->view.data(), 0, server->view.size()); // every page backed, as in every variant
    *server->view.as<std::uint64_t>() = 42;
    const std::string name = s.name;
    // With length 0, map() learns the size of a section opened by name from the kernel (one more call).
    const std::size_t length = explicit_length ? small_section_size : 0;
    return [server, name, length](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const FileMapping mapping = FileMapping::open(name, Access::read);
            const MappedView view = mapping.map(Access::read, 0, length);
            check(*reinterpret_cast<const volatile std::uint64_t*>(view.data()) == 42, "sharemap: attach read");
        }
    };
}

Batch mutex_lock_unlock(const Setup& s) {
    auto mutex = std::make_shared<NamedMutex>(NamedMutex::create(s.name));
    return [mutex](std::size_t n) {
        NamedMutex& m = *mutex;
        for (std::size_t i = 0; i < n; ++i) {
            m.lock();
            m.unlock();
        }
    };
}

Batch mutex_try_lock_held(const Setup& s) {
    // Another thread holds the mutex for the whole workload; each try_lock returns false at once.
    struct State {
        NamedMutex mutex;
        std::unique_ptr<HeldLock> holder;
    };
    auto state = std::make_shared<State>();
    state->mutex = NamedMutex::create(s.name);
    NamedMutex* mutex = &state->mutex;
    state->holder = std::make_unique<HeldLock>([mutex] { mutex->lock(); }, [mutex] { mutex->unlock(); });
    return [state](std::size_t n) {
        NamedMutex& m = state->mutex;
        for (std::size_t i = 0; i < n; ++i) {
            check(!m.try_lock(), "sharemap: try_lock on a held mutex");
        }
    };
}

Batch ping_pong(const Setup& s) {
    struct State {
        NamedEvent ping, pong;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->ping = NamedEvent::create(s.name + "-ping", EventReset::automatic);
    state->pong = NamedEvent::create(s.name + "-pong", EventReset::automatic);
    state->child = std::make_unique<Child>("pingpong", "sharemap", s.name, s.total_ops);
    return [state](std::size_t n) {
        NamedEvent& ping = state->ping;
        NamedEvent& pong = state->pong;
        for (std::size_t i = 0; i < n; ++i) {
            ping.set();
            pong.wait();
        }
    };
}

Batch bulk_transfer(const Setup& s) {
    struct State {
        FileMapping mapping;
        MappedView view;
        NamedEvent ready, done;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sequence = 0;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->mapping = FileMapping::create(s.name, bulk_header + bulk_size);
    state->view = state->mapping.map();
    std::memset(state->view.data(), 0, state->view.size());
    state->ready = NamedEvent::create(s.name + "-ready", EventReset::automatic);
    state->done = NamedEvent::create(s.name + "-done", EventReset::automatic);
    state->child = std::make_unique<Child>("bulk", "sharemap", s.name, s.total_ops);
    return [state](std::size_t n) {
        NamedEvent& ready = state->ready;
        NamedEvent& done = state->done;
        for (std::size_t i = 0; i < n; ++i) {
            bulk_write(
                state->view.data(), state->source.get(), state->sequence, [&] { ready.set(); }, [&] { done.wait(); });
        }
    };
}

Batch file_map_sum(const Setup& s) {
    const std::wstring path = s.file_path;
    const std::uint64_t expected = s.file_sum;
    return [path, expected](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const MappedView view = sharemap::map_file(path, Access::read);
            check(sum_bytes(view.data(), view.size()) == expected, "sharemap: file sum");
        }
    };
}

int child(const ChildArgs& a) {
    if (a.role == "pingpong") {
        NamedEvent ping = NamedEvent::open(a.name + "-ping");
        NamedEvent pong = NamedEvent::open(a.name + "-pong");
        for (std::size_t i = 0; i < a.count; ++i) {
            ping.wait();
            pong.set();
        }
        return 0;
    }
    if (a.role == "bulk") {
        const FileMapping mapping = FileMapping::open(a.name, Access::read);
        const MappedView view = mapping.map(Access::read, 0, bulk_header + bulk_size);
        NamedEvent ready = NamedEvent::open(a.name + "-ready");
        NamedEvent done = NamedEvent::open(a.name + "-done");
        const auto buffer = std::make_unique<std::byte[]>(bulk_chunk);
        bulk_read(
            view.data(), buffer.get(), a.count, [&] { ready.wait(); }, [&] { done.set(); });
        return 0;
    }
    fail("sharemap child: unknown role " + a.role);
}

} // namespace bench::sharemap_impl

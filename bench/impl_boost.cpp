// SPDX-License-Identifier: MIT
// The Boost.Interprocess version of the workloads it has: windows_shared_memory and file_mapping with
// mapped_region, and named_mutex where it runs (on Windows; under Wine its emulation throws library_error, which
// the harness reports). Boost has no event type, so its bulk transfer hands off with the same Win32 events as the
// raw version. Kept in its own translation unit: Boost declares the Win32 functions itself, without <windows.h>.
#include "bench.hpp"

#include <boost/interprocess/file_mapping.hpp>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/windows_shared_memory.hpp>
#include <boost/version.hpp>
#include <chrono>
#include <memory>

namespace bench::boost_impl {

namespace bip = boost::interprocess;

std::string version() {
    return std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
           std::to_string(BOOST_VERSION % 100);
}

// Boost keeps a file per named object in BOOST_INTERPROCESS_SHARED_DIR_PATH, named after the object: no "Local\".
// A start time makes the name unique to this run: Wine reuses process ids, and named_mutex::remove did not delete
// the files of an earlier run under Wine, whose names then collided (ERROR_FILE_EXISTS).
std::string boost_name(const std::string& name) {
    static const std::string run = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const std::size_t slash = name.rfind('\\');
    return (slash == std::string::npos ? name : name.substr(slash + 1)) + "-" + run;
}

std::string named_mutex_problem(const Setup& s) {
    try {
        bip::named_mutex mutex(bip::create_only, boost_name(s.name).c_str());
        mutex.lock();
        mutex.unlock();
    } catch (const bip::interprocess_exception& e) {
        return std::string("boost::interprocess::named_mutex throws interprocess_exception (error_code_t ") +
               std::to_string(static_cast<int>(e.get_error_code())) + ", native " +
               std::to_string(e.get_native_error()) + "): " + e.what();
    }
    bip::named_mutex::remove(boost_name(s.name).c_str());
    return {};
}

Batch section_cycle(const Setup& s) {
    const std::string name = s.name;
    return [name](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            bip::windows_shared_memory shm(bip::create_only, name.c_str(), bip::read_write, small_section_size);
            bip::mapped_region region(shm, bip::read_write, 0, small_section_size);
            *static_cast<volatile unsigned char*>(region.get_address()) = 1;
        }
    };
}

Batch attach(const Setup& s, bool explicit_length) {
    struct Server {
        bip::windows_shared_memory shm;
        bip::mapped_region region;
    };
    auto server = std::make_shared<Server>();
    server->shm = bip::windows_shared_memory(bip::create_only, s.name.c_str(), bip::read_write, small_section_size);
    server->region = bip::mapped_region(server->shm, bip::read_write);
    std::memset(server->region.get_address(), 0, server->region.get_size()); // every page backed, as in every variant
    *static_cast<std::uint64_t*>(server->region.get_address()) = 42;
    const std::string name = s.name;
    // With size 0, mapped_region asks the kernel for the section's size (NtQuerySection), as sharemap does.
    const std::size_t length = explicit_length ? small_section_size : 0;
    return [server, name, length](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const bip::windows_shared_memory shm(bip::open_only, name.c_str(), bip::read_only);
            const bip::mapped_region region(shm, bip::read_only, 0, length);
            check(*static_cast<const volatile std::uint64_t*>(region.get_address()) == 42, "boost: attach read");
        }
    };
}

Batch mutex_lock_unlock(const Setup& s) {
    auto mutex = std::make_shared<bip::named_mutex>(bip::create_only, boost_name(s.name).c_str());
    return [mutex](std::size_t n) {
        bip::named_mutex& m = *mutex;
        for (std::size_t i = 0; i < n; ++i) {
            m.lock();
            m.unlock();
        }
    };
}

Batch mutex_try_lock_held(const Setup& s) {
    struct State {
        explicit State(const char* name) : mutex(bip::create_only, name) {}
        bip::named_mutex mutex;
        std::unique_ptr<HeldLock> holder;
    };
    auto state = std::make_shared<State>(boost_name(s.name).c_str());
    bip::named_mutex* mutex = &state->mutex;
    state->holder = std::make_unique<HeldLock>([mutex] { mutex->lock(); }, [mutex] { mutex->unlock(); });
    return [state](std::size_t n) {
        bip::named_mutex& m = state->mutex;
        for (std::size_t i = 0; i < n; ++i) {
            check(!m.try_lock(), "boost: try_lock on a held mutex");
        }
    };
}

namespace {
// Win32 events for Boost's bulk transfer (see the file comment).
struct Event {
    void* handle;
    explicit Event(void* h) : handle(h) {}
    ~Event() { win32_event::close(handle); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
};
} // namespace

Batch bulk_transfer(const Setup& s) {
    struct State {
        bip::windows_shared_memory shm;
        bip::mapped_region region;
        std::unique_ptr<Event> ready, done;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sequence = 0;
        std::unique_ptr<Child> child;
    };
    auto state = std::make_shared<State>();
    state->shm = bip::windows_shared_memory(bip::create_only, s.name.c_str(), bip::read_write, bulk_header + bulk_size);
    state->region = bip::mapped_region(state->shm, bip::read_write, 0, bulk_header + bulk_size);
    std::memset(state->region.get_address(), 0, state->region.get_size());
    state->ready = std::make_unique<Event>(win32_event::create(s.name + "-ready"));
    state->done = std::make_unique<Event>(win32_event::create(s.name + "-done"));
    state->child = std::make_unique<Child>("bulk", "boost", s.name, s.total_ops);
    return [state](std::size_t n) {
        auto* base = static_cast<std::byte*>(state->region.get_address());
        void* ready = state->ready->handle;
        void* done = state->done->handle;
        for (std::size_t i = 0; i < n; ++i) {
            bulk_write(
                base, state->source.get(), state->sequence, [&] { win32_event::set(ready); },
                [&] { win32_event::wait(done); });
        }
    };
}

Batch file_map_sum(const Setup& s) {
    const std::wstring path = s.file_path;
    const std::uint64_t expected = s.file_sum;
    return [path, expected](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const bip::file_mapping file(path.c_str(), bip::read_only);
            const bip::mapped_region region(file, bip::read_only);
            check(sum_bytes(region.get_address(), region.get_size()) == expected, "boost: file sum");
        }
    };
}

int child(const ChildArgs& a) {
    if (a.role == "bulk") {
        const bip::windows_shared_memory shm(bip::open_only, a.name.c_str(), bip::read_only);
        const bip::mapped_region region(shm, bip::read_only, 0, bulk_header + bulk_size);
        const Event ready(win32_event::open(a.name + "-ready"));
        const Event done(win32_event::open(a.name + "-done"));
        const auto buffer = std::make_unique<std::byte[]>(bulk_chunk);
        bulk_read(
            static_cast<const std::byte*>(region.get_address()), buffer.get(), a.count,
            [&] { win32_event::wait(ready.handle); }, [&] { win32_event::set(done.handle); });
        return 0;
    }
    fail("boost child: unknown role " + a.role);
}

} // namespace bench::boost_impl

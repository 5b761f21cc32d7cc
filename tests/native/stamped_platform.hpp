// SPDX-License-Identifier: MIT
// A Linux platform whose threads each have a creation stamp of their own, checked by alive() and watch() as the
// Windows platform checks the owner process's creation time, and which can stall one thread inside self_start(),
// the call the state machines make right after the CAS that makes a thread the owner and before they store its
// stamp. It lets a test hold a new owner in that window, to show what a second waiter then concludes.
#ifndef SHAREMAP_TESTS_NATIVE_STAMPED_PLATFORM_HPP_INCLUDED
#define SHAREMAP_TESTS_NATIVE_STAMPED_PLATFORM_HPP_INCLUDED

#include "platform_linux.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace sharemap_native {

struct StampedPlatform : LinuxPlatform {
    /// The calling thread's stamp (registered on first use, before any stall, so that others can check it); the
    /// thread named by stall_in_next_self_start() sleeps `stall` here once.
    static std::uint64_t self_start() noexcept {
        thread_local std::uint64_t mine = 0;
        if (mine == 0) {
            mine = next_stamp().fetch_add(1);
            const std::lock_guard<std::mutex> guard(registry_lock());
            registry()[self()] = mine;
        }
        std::uint64_t me = self();
        if (stalled().compare_exchange_strong(me, 0)) {
            std::this_thread::sleep_for(stall);
        }
        return mine;
    }

    /// The calling thread's next self_start() sleeps `stall`. Its stamp is registered first, so that a check made
    /// while it stalls compares against it.
    static void stall_in_next_self_start() noexcept {
        (void)self_start();
        stalled().store(self());
    }

    /// Alive if the thread runs and, when `start` is known, its stamp is `start` (another: the id was reused).
    static bool alive(std::uint64_t id, std::uint64_t start) noexcept {
        if (!LinuxPlatform::alive(id, 0)) {
            return false;
        }
        const std::lock_guard<std::mutex> guard(registry_lock());
        const auto it = registry().find(id);
        return start == 0 || it == registry().end() || it->second == start;
    }

    static bool watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept {
        if (!alive(id, start)) {
            return false;
        }
        w.id = id;
        return true;
    }

    static constexpr std::chrono::milliseconds stall{300};

private:
    static std::atomic<std::uint64_t>& next_stamp() {
        static std::atomic<std::uint64_t> next{100};
        return next;
    }
    static std::atomic<std::uint64_t>& stalled() {
        static std::atomic<std::uint64_t> id{0};
        return id;
    }
    static std::mutex& registry_lock() {
        static std::mutex m;
        return m;
    }
    static std::map<std::uint64_t, std::uint64_t>& registry() {
        static std::map<std::uint64_t, std::uint64_t> stamps;
        return stamps;
    }
};

} // namespace sharemap_native

#endif // SHAREMAP_TESTS_NATIVE_STAMPED_PLATFORM_HPP_INCLUDED

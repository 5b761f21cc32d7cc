// SPDX-License-Identifier: MIT
// A Linux platform whose threads each have a creation stamp of their own, checked by alive() and watch() as the
// Windows platform checks the owner thread's creation time; a thread can pose as another (an id given again), and
// one thread can be stalled inside self_start(),
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
    /// The calling thread's id: its own, or the one pose_as() gave it.
    static std::uint64_t self() noexcept {
        const std::uint64_t posed = posed_id();
        return posed != 0 ? posed : LinuxPlatform::self();
    }

    /// From now on the calling thread uses `id` (a live thread's) as its own, and has a stamp of its own under it:
    /// a thread that ends posing as that thread is what a system that gives an ended thread's id to a new thread
    /// leaves behind. Call it before the thread's first self_start().
    static void pose_as(std::uint64_t id) noexcept { posed_id() = id; }

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

    /// Runs `predecessor` on a thread posing as the heir, a live thread that then runs `heir` once the predecessor
    /// has ended: the heir was given the ended thread's id. The heir takes its own stamp only then.
    template <class Predecessor, class Heir>
    static void pass_id(Predecessor&& predecessor, Heir&& heir) {
        std::atomic<std::uint64_t> heir_id{0};
        std::atomic<bool> predecessor_done{false};
        std::thread h([&] {
            heir_id = self();
            while (!predecessor_done) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            heir();
        });
        while (heir_id.load() == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        std::thread([&] {
            pose_as(heir_id.load());
            predecessor();
        }).join();
        predecessor_done = true;
        h.join();
    }

private:
    static std::uint64_t& posed_id() noexcept {
        thread_local std::uint64_t id = 0;
        return id;
    }
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

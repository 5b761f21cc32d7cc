// SPDX-License-Identifier: MIT
// SectionMutex: zero bytes are an unlocked mutex; no kernel call and no handle on the uncontended path; exclusion
// across real processes; a holder killed with TerminateProcess (or a thread that ends holding it) is reported as
// abandoned and the mutex keeps working; a waiter killed while waiting disturbs nobody; recursion and unlock by a
// non-owner are errors; the standard lock types work.
#include <sharemap/file_mapping.hpp>
#include <sharemap/section_event.hpp>
#include <sharemap/section_mutex.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/leaks.hpp"
#include "support/shared_section.hpp"

#include <aclapi.h>
#include <sddl.h>
#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap::LockStatus;
using sharemap::SectionEvent;
using sharemap::SectionMutex;
using sharemap_test::Child;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::verbose;
using namespace std::chrono_literals;

namespace {

// What the processes of a test share: every member is valid as zero bytes, as a new section holds them.
struct Shared {
    SectionMutex lock;
    SectionEvent start; // manual: the parent lets the children begin
    SectionEvent held;  // manual: a child holds the lock
    std::uint32_t counter;
    std::atomic<std::uint32_t> waiting; // children about to wait for the lock
};
static_assert(std::is_standard_layout_v<Shared>);

// Exit codes of the smutex_status child: 10 + the LockStatus it got.
constexpr unsigned long status_code(LockStatus s) { return 10 + static_cast<unsigned long>(s); }

using Section = sharemap_test::SharedSection<Shared>;

// The owner's thread id (layout version 1: the low half of the 8-byte owner word at offset 0).
DWORD owner_thread(const SectionMutex& m) {
    std::uint64_t v = 0;
    std::memcpy(&v, &m, sizeof(v));
    return static_cast<DWORD>(v & 0xFFFFFFFFu);
}

// Starts an smutex_hold child on the mutex of `s`, named `name`, with the thread `rights` it gives itself ("" for
// none), and returns once it holds the mutex, which it would hold for a minute: the tests kill it first.
Child start_holder(const std::string& name, const Section& s, const char* rights = "") {
    Child child = Child::start("smutex_hold", {name, "60000", rights});
    REQUIRE(s.shared->held.wait_for(30s));
    return child;
}

// The raw sleepers count of a mutex (layout version 1: 4 bytes at offset 16).
std::uint32_t sleepers(const SectionMutex& m) {
    std::uint32_t v = 0;
    std::memcpy(&v, reinterpret_cast<const unsigned char*>(&m) + 16, sizeof(v));
    return v;
}

} // namespace

static_assert(sizeof(SectionMutex) == 32 && alignof(SectionMutex) == 8);
static_assert(SectionMutex::layout_version == 1);
static_assert(!std::is_copy_constructible_v<SectionMutex> && !std::is_move_constructible_v<SectionMutex>);
static_assert(noexcept(std::declval<SectionMutex&>().unlock()));

// ---------------------------------------------------------------------------------------------------------------
// Children

// Adds 1 to the shared counter `args[1]` times under std::lock_guard<SectionMutex>, with a non-atomic
// read-yield-write, after the parent's start.
SHAREMAP_TEST_CHILD(smutex_counter) {
    Section s = Section::open(args.at(0));
    CHILD_CHECK(s.shared->start.wait_for(30s));
    const unsigned long times = std::stoul(args.at(1));
    for (unsigned long i = 0; i < times; ++i) {
        std::lock_guard<SectionMutex> guard(s.shared->lock);
        const std::uint32_t value = s.shared->counter;
        if (i % 8 == 0) {
            std::this_thread::yield(); // invite another process in between: a broken mutex would lose updates here
        }
        s.shared->counter = value + 1;
    }
    CHILD_CHECK(!s.shared->lock.was_abandoned());
    return 0;
}

// Locks the mutex, says so through `held`, and holds it for `args[1]` ms (the parent kills it before that). With
// `args[2]`, it first gives its own thread a DACL, as the thread of another user or session looks to a process that
// watches it: "query" denies SYNCHRONIZE to everyone and grants only THREAD_QUERY_LIMITED_INFORMATION; "none"
// denies both.
SHAREMAP_TEST_CHILD(smutex_hold) {
    Section s = Section::open(args.at(0));
    CHILD_CHECK(s.shared->lock.acquire() == LockStatus::acquired);
    if (args.size() > 2 && !args[2].empty()) {
        PSECURITY_DESCRIPTOR sd = nullptr;
        const wchar_t* sddl = args[2] == "query" ? L"D:P(D;;0x100000;;;WD)(A;;0x0800;;;WD)"
                                                 : L"D:P(D;;0x100800;;;WD)(A;;0x0400;;;WD)";
        CHILD_CHECK(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, nullptr));
        BOOL present = FALSE;
        BOOL defaulted = FALSE;
        PACL dacl = nullptr;
        CHILD_CHECK(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) && present);
        CHILD_CHECK(SetSecurityInfo(GetCurrentThread(), SE_KERNEL_OBJECT,
                                    DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                    dacl, nullptr) == ERROR_SUCCESS);
        LocalFree(sd);
    }
    s.shared->held.set();
    Sleep(static_cast<DWORD>(std::stoul(args.at(1))));
    s.shared->lock.unlock();
    return 0;
}

// Waits for the lock at most `args[1]` ms; holds it `args[2]` ms if it got it, then unlocks; exits with 10 + the
// LockStatus.
SHAREMAP_TEST_CHILD(smutex_status) {
    Section s = Section::open(args.at(0));
    s.shared->waiting.fetch_add(1);
    const LockStatus status = s.shared->lock.acquire_for(std::chrono::milliseconds(std::stol(args.at(1))));
    if (sharemap::owns_lock(status)) {
        Sleep(static_cast<DWORD>(args.size() > 2 ? std::stoul(args.at(2)) : 0));
        std::error_code ec;
        s.shared->lock.unlock(ec);
        CHILD_CHECK(!ec);
    }
    return static_cast<int>(status_code(status));
}

// What the thread that is given an ended owner's id does (smutex_reuse).
struct ReuseTask {
    Section* section;
    DWORD ended;           // the id of the thread that ended owning the mutex
    bool park;             // true: say so through `held` and wait to be killed; false: take the mutex
    unsigned long outcome; // 10 + the LockStatus taken; 20: an error; 21: it passed for the owner beforehand
};

DWORD WINAPI reuse_thread(void* p) {
    auto& task = *static_cast<ReuseTask*>(p);
    if (GetCurrentThreadId() != task.ended) {
        return 0; // not the id looked for: end at once, so that the id is freed again
    }
    SectionMutex& m = task.section->shared->lock;
    if (task.park) {
        task.section->shared->held.set();
        Sleep(INFINITE);
    }
    if (m.owned_by_this_thread()) {
        task.outcome = 21;
        return 0;
    }
    std::error_code ec;
    const LockStatus status = m.acquire_for(5s, ec);
    task.outcome = ec ? 20 : status_code(status);
    if (sharemap::owns_lock(status)) {
        m.unlock();
    }
    return 0;
}

// Locks the mutex on a thread that then ends with its process living on, and starts threads, each ending at once,
// until one is given the ended owner's thread id (Windows and Wine reuse ids of ended threads). That thread then
// (`args[1]` "self") takes the mutex itself, and the child exits with its ReuseTask outcome; or ("park") says so
// through `held` and lives on with the id, until the parent kills the child. Exit 3 if no id came back.
SHAREMAP_TEST_CHILD(smutex_reuse) {
    Section s = Section::open(args.at(0));
    ReuseTask task{&s, 0, args.at(1) == "park", 0};
    std::thread([&] {
        s.shared->lock.lock();
        task.ended = GetCurrentThreadId();
    }).join(); // ends owning the mutex
    Sleep(32); // past a clock tick: Windows may record creation times only to the tick (docs/section-mutex.md)
    for (int i = 0; i < 20000; ++i) {
        DWORD id = 0;
        HANDLE t = CreateThread(nullptr, 0, reuse_thread, &task, 0, &id);
        CHILD_CHECK(t != nullptr);
        WaitForSingleObject(t, INFINITE);
        CloseHandle(t);
        if (id == task.ended) {
            if (verbose()) {
                std::printf("smutex_reuse: thread id %lu given again after %d threads\n", id, i + 1);
            }
            return static_cast<int>(task.outcome);
        }
    }
    return 3;
}

// ---------------------------------------------------------------------------------------------------------------
// One process

TEST_CASE("SectionMutex: zero bytes are an unlocked mutex; std::lock_guard, std::unique_lock and std::scoped_lock "
          "work",
          "[section_mutex]") {
    alignas(SectionMutex) unsigned char bytes[2 * sizeof(SectionMutex)];
    std::memset(bytes, 0, sizeof(bytes));
    auto& a = *std::launder(reinterpret_cast<SectionMutex*>(bytes));
    auto& b = *std::launder(reinterpret_cast<SectionMutex*>(bytes + sizeof(SectionMutex)));
    CHECK(a.layout() == SectionMutex::layout_version);
    CHECK_FALSE(a.owned_by_this_thread());
    CHECK(a.acquire() == LockStatus::acquired);
    CHECK(a.owned_by_this_thread());
    a.unlock();
    CHECK_FALSE(a.owned_by_this_thread());
    {
        std::lock_guard<SectionMutex> guard(a);
        CHECK(a.owned_by_this_thread());
    }
    {
        std::unique_lock<SectionMutex> lock(a, 10ms);
        CHECK(lock.owns_lock());
    }
    {
        std::scoped_lock both(a, b);
        CHECK(a.owned_by_this_thread());
        CHECK(b.owned_by_this_thread());
    }
    CHECK_FALSE(a.was_abandoned());
    {
        // The owner recorded is this thread: process id << 32 | thread id, read from the thread's own block.
        std::lock_guard<SectionMutex> guard(a);
        std::uint64_t owner = 0;
        std::memcpy(&owner, bytes, sizeof(owner));
        CHECK(owner == (static_cast<std::uint64_t>(GetCurrentProcessId()) << 32 | GetCurrentThreadId()));
        std::uint64_t start = 0;
        std::memcpy(&start, bytes + 8, sizeof(start));
        FILETIME created{}, exited{}, kernel{}, user{};
        REQUIRE(
            GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user)); // the thread's, not its process's
        CHECK(start == (static_cast<std::uint64_t>(created.dwHighDateTime) << 32 | created.dwLowDateTime));
    }
    std::vector<unsigned char> zero(sizeof(bytes), 0);
    CHECK(std::memcmp(bytes, zero.data(), 16) == 0); // owner and owner's start are zero again after unlock
}

TEST_CASE("SectionMutex: recursion is refused; unlock by a thread that does not own it is errc::not_owner",
          "[section_mutex]") {
    SectionMutex m;
    m.lock();
    std::error_code ec;
    CHECK(m.acquire(ec) == LockStatus::timed_out);
    CHECK(ec == std::errc::resource_deadlock_would_occur);
    CHECK(m.acquire_for(10ms, ec) == LockStatus::timed_out);
    CHECK(ec == std::errc::resource_deadlock_would_occur);
    CHECK_THROWS_AS(m.lock(), std::system_error);
    CHECK_THROWS_AS((void)m.try_lock(), std::system_error);
    std::thread([&] {
        std::error_code other_ec;
        m.unlock(other_ec); // another thread: refused, and the mutex stays locked
        CHECK(other_ec == sharemap::errc::not_owner);
        CHECK_FALSE(m.try_lock());
        CHECK_NOTHROW(m.unlock()); // the noexcept form ignores it
    }).join();
    CHECK(m.owned_by_this_thread());
    m.unlock(ec);
    CHECK_FALSE(ec);
    m.unlock(ec); // not locked at all
    CHECK(ec == sharemap::errc::not_owner);
}

TEST_CASE("SectionMutex: try_lock_for on a mutex another thread holds times out, in every form",
          "[section_mutex][timing]") {
    SectionMutex m;
    SectionEvent held;
    SectionEvent release;
    std::thread holder([&] {
        m.lock();
        held.set();
        CHECK(release.wait_for(30s));
        m.unlock();
    });
    REQUIRE(held.wait_for(30s));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(m.try_lock_for(300ms));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    CHECK(elapsed >= 290ms);
    CHECK(elapsed < 5s);
    CHECK_FALSE(m.try_lock());
    CHECK_FALSE(m.try_lock_until(std::chrono::steady_clock::now() + 50ms));
    CHECK_FALSE(m.try_lock_until(std::chrono::system_clock::now() + 50ms));
    CHECK_FALSE(m.try_lock_until(std::chrono::steady_clock::now() - 1h));
    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK(m.acquire_for(-5s, ec) == LockStatus::timed_out);
    CHECK_FALSE(ec);
    release.set();
    CHECK(m.acquire_for(30s) == LockStatus::acquired); // woken by the holder's unlock
    m.unlock();
    holder.join();
}

TEST_CASE("SectionMutex: a thread that ends holding it is reported as abandoned; the mutex keeps working",
          "[section_mutex][abandoned]") {
    SectionMutex m;
    std::thread([&] { m.lock(); }).join(); // the thread ends owning it
    CHECK(m.acquire_for(5s) == LockStatus::abandoned);
    CHECK(m.was_abandoned()); // recorded in the state, for every later owner
    m.unlock();
    CHECK(m.acquire_for(5s) == LockStatus::acquired);
    CHECK(m.was_abandoned());
    m.clear_abandoned();
    m.unlock();
    CHECK_FALSE(m.was_abandoned());

    SECTION("lock() does not throw for an abandonment") {
        std::thread([&] { m.lock(); }).join();
        CHECK_NOTHROW(m.lock());
        CHECK(m.was_abandoned());
        m.clear_abandoned();
        m.unlock();
    }
    SECTION("a waiter already sleeping when the owner thread ends is woken by its end") {
        SectionEvent go;
        std::thread owner([&] {
            m.lock();
            CHECK(go.wait_for(30s));
        });
        while (m.try_lock_for(0ms)) { // until the owner has it
            m.unlock();
            std::this_thread::yield();
        }
        std::thread ender([&] {
            std::this_thread::sleep_for(300ms);
            go.set();
        });
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(m.acquire_for(30s) == LockStatus::abandoned);
        CHECK(std::chrono::steady_clock::now() - t0 < 10s);
        m.clear_abandoned();
        m.unlock();
        owner.join();
        ender.join();
    }
}

TEST_CASE("SectionMutex: a state of another layout version is refused with errc::incompatible_layout",
          "[section_mutex]") {
    alignas(SectionMutex) unsigned char bytes[sizeof(SectionMutex)] = {};
    bytes[28] = 1; // layout version 2
    auto& m = *std::launder(reinterpret_cast<SectionMutex*>(bytes));
    CHECK(m.layout() == 2);
    std::error_code ec;
    CHECK(m.acquire(ec) == LockStatus::timed_out);
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_THROWS_AS(m.lock(), std::system_error);
}

TEST_CASE("SectionMutex: uncontended lock and unlock open no handle and map nothing", "[section_mutex][leaks]") {
    auto section = FileMapping::create_unnamed(4096);
    auto view = section.map(Access::read_write);
    Shared& shared = *view.as<Shared>(0);
    shared.lock.lock(); // the first call on a thread reads its creation time, once (kept in a TLS slot)
    shared.lock.unlock();
    const auto before = sharemap_test::count_resources();
    for (int i = 0; i < 10000; ++i) {
        shared.lock.lock();
        ++shared.counter;
        shared.lock.unlock();
    }
    CHECK(sharemap_test::count_resources() == before);
    CHECK(shared.counter == 10001u - 1u);
    CHECK(sleepers(shared.lock) == 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

TEST_CASE("SectionMutex: 4 processes add 2,000 each to a counter beside the mutex: no update is lost",
          "[section_mutex][process]") {
    constexpr int children = 4;
    constexpr int times = 2000;
    const std::string name = unique_name("smutex-counter");
    Section s = Section::create(name);
    std::vector<Child> running;
    for (int i = 0; i < children; ++i) {
        running.push_back(Child::start("smutex_counter", {name, std::to_string(times)}));
    }
    const auto t0 = std::chrono::steady_clock::now();
    s.shared->start.set();
    for (auto& child : running) {
        CHECK(child.wait(120s) == 0);
    }
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    CHECK(s.shared->counter == static_cast<std::uint32_t>(children * times));
    CHECK_FALSE(s.shared->lock.was_abandoned());
    CHECK(s.shared->lock.try_lock());
    s.shared->lock.unlock();
    if (verbose()) {
        std::printf("section mutex counter: %u of %d in %lld ms\n", static_cast<unsigned>(s.shared->counter),
                    children * times,
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
    }
}

TEST_CASE("SectionMutex: a holder killed with TerminateProcess is reported as abandoned to the waiting parent; the "
          "next waiter gets it normally",
          "[section_mutex][process][abandoned]") {
    const std::string name = unique_name("smutex-kill");
    Section s = Section::create(name);
    Child child = start_holder(name, s);
    CHECK_FALSE(s.shared->lock.try_lock()); // really held, by a live owner

    // The parent is asleep in acquire_for when the child dies.
    std::atomic<std::int64_t> killed_at{0};
    std::thread killer([&] {
        std::this_thread::sleep_for(500ms);
        killed_at = std::chrono::steady_clock::now().time_since_epoch().count();
        child.kill(9);
    });
    const LockStatus status = s.shared->lock.acquire_for(60s);
    const auto got_at = std::chrono::steady_clock::now();
    killer.join();
    CHECK(status == LockStatus::abandoned);
    const auto delay = got_at - std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(killed_at));
    // Ended by the death, not by the deadline (at its deadline a wait looks at the owner too, and would also say
    // abandoned): so within the first half of the wait. The delay itself is a figure (--verbose).
    CHECK(delay < 30s);
    if (verbose()) {
        std::printf("section mutex: abandonment noticed %.1f ms after TerminateProcess\n",
                    std::chrono::duration<double, std::milli>(delay).count());
    }
    CHECK(s.shared->lock.was_abandoned());
    s.shared->lock.clear_abandoned();
    s.shared->lock.unlock();

    // After the abandonment the mutex works as before: another process gets it normally.
    CHECK(run_child("smutex_status", {name, "10000"}) == status_code(LockStatus::acquired));
    CHECK(s.shared->lock.acquire_for(5s) == LockStatus::acquired);
    s.shared->lock.unlock();
}

TEST_CASE("SectionMutex: an owner thread that ended while its process lives on is abandoned, also once its id "
          "serves another thread of that process",
          "[section_mutex][process][abandoned]") {
    const std::string name = unique_name("smutex-reuse");
    Section s = Section::create(name);
    SECTION("to a waiter in another process, while the thread given the id lives") {
        Child child = Child::start("smutex_reuse", {name, "park"});
        REQUIRE(s.shared->held.wait_for(30s));
        CHECK(s.shared->lock.acquire_for(10s) == LockStatus::abandoned);
        s.shared->lock.unlock();
    }
    SECTION("to the thread given the id: not its own, not a deadlock") {
        CHECK(run_child("smutex_reuse", {name, "self"}) == status_code(LockStatus::abandoned));
    }
}

// Kills `child` after 500 ms while this thread waits in acquire_for(20s); checks that the wait ended long before its
// deadline (at the deadline it looks at the owner too, and would also say abandoned); returns what it got and how
// long after the kill.
std::pair<LockStatus, std::chrono::steady_clock::duration> acquire_while_killed(SectionMutex& m, Child& child) {
    std::atomic<std::int64_t> killed_at{0};
    std::thread killer([&] {
        Sleep(500); // not sleep_for: see support/leak_listener.cpp
        killed_at = std::chrono::steady_clock::now().time_since_epoch().count();
        child.kill(9);
    });
    const LockStatus status = m.acquire_for(20s);
    const auto got_at = std::chrono::steady_clock::now();
    killer.join();
    const auto delay = got_at - std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(killed_at));
    CHECK(delay < 10s);
    return {status, delay};
}

TEST_CASE("SectionMutex: a holder whose thread can only be queried, not waited on, is reported as abandoned when "
          "it is killed while the parent waits",
          "[section_mutex][process][abandoned][rights]") {
    const std::string name = unique_name("smutex-unwaitable");
    Section s = Section::create(name);
    Child child = start_holder(name, s, "query");
    const DWORD tid = owner_thread(s.shared->lock);
    // What the waiter meets: the owner's thread cannot be opened to wait on, only to query ...
    SetLastError(0);
    HANDLE waitable = OpenThread(SYNCHRONIZE | THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid);
    const DWORD why = GetLastError();
    if (waitable != nullptr) {
        CloseHandle(waitable);
    }
    REQUIRE(waitable == nullptr);
    REQUIRE(why == ERROR_ACCESS_DENIED);
    // ... and its thread object outlives it, since another process (here this one) holds a handle to it, so that
    // "no such thread" never comes.
    HANDLE kept = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid);
    REQUIRE(kept != nullptr);
    const auto [status, delay] = acquire_while_killed(s.shared->lock, child);
    CloseHandle(kept);
    CHECK(status == LockStatus::abandoned);
    if (verbose()) {
        std::printf("section mutex: a query-only owner's end noticed %.1f ms after TerminateProcess\n",
                    std::chrono::duration<double, std::milli>(delay).count());
    }
    if (sharemap::owns_lock(status)) {
        s.shared->lock.unlock();
    }
}

TEST_CASE("SectionMutex: a holder whose thread cannot even be queried is reported as abandoned once its thread is "
          "gone",
          "[section_mutex][process][abandoned][rights]") {
    const std::string name = unique_name("smutex-unopenable");
    Section s = Section::create(name);
    Child child = start_holder(name, s, "none");
    SetLastError(0);
    HANDLE query = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, owner_thread(s.shared->lock));
    const DWORD why = GetLastError();
    if (query != nullptr) {
        CloseHandle(query);
    }
    REQUIRE(query == nullptr); // nothing can be learnt of the owner while it lives
    REQUIRE(why == ERROR_ACCESS_DENIED);
    // The waiter looks the owner up again after every sleep: once it is killed and nobody holds its thread, the
    // id is free ("no such thread"), which says it is gone.
    const auto [status, delay] = acquire_while_killed(s.shared->lock, child);
    CHECK(status == LockStatus::abandoned);
    if (sharemap::owns_lock(status)) {
        s.shared->lock.unlock();
    }
}

TEST_CASE("SectionMutex: with two waiters when the holder is killed, one gets abandoned and the other acquired",
          "[section_mutex][process][abandoned]") {
    const std::string name = unique_name("smutex-kill2");
    Section s = Section::create(name);
    Child holder = start_holder(name, s);
    Child waiter = Child::start("smutex_status", {name, "60000", "50"});
    while (s.shared->waiting.load() == 0) {
        std::this_thread::sleep_for(1ms);
    }
    std::thread killer([&] {
        std::this_thread::sleep_for(500ms);
        holder.kill(9);
    });
    const LockStatus mine = s.shared->lock.acquire_for(60s);
    if (sharemap::owns_lock(mine)) {
        s.shared->lock.unlock();
    }
    killer.join();
    const unsigned long theirs = waiter.wait(60s);
    const bool one_each = (mine == LockStatus::abandoned && theirs == status_code(LockStatus::acquired)) ||
                          (mine == LockStatus::acquired && theirs == status_code(LockStatus::abandoned));
    CHECK(one_each);
    CHECK(s.shared->lock.was_abandoned());
}

TEST_CASE("SectionMutex: a waiter killed while waiting disturbs nobody: the others get the lock and it keeps "
          "working",
          "[section_mutex][process]") {
    const std::string name = unique_name("smutex-killwaiter");
    Section s = Section::create(name);
    s.shared->lock.lock();
    Child doomed = Child::start("smutex_status", {name, "60000"});
    Child survivor = Child::start("smutex_status", {name, "60000"});
    while (s.shared->waiting.load() < 2) {
        std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(500ms); // both are asleep in acquire_for by now
    doomed.kill(9);
    s.shared->lock.unlock();
    CHECK(survivor.wait(60s) == status_code(LockStatus::acquired));
    CHECK_FALSE(s.shared->lock.was_abandoned());
    for (int i = 0; i < 100; ++i) {
        CHECK(s.shared->lock.try_lock());
        s.shared->lock.unlock();
    }
    CHECK(run_child("smutex_status", {name, "10000"}) == status_code(LockStatus::acquired));
    // The killed waiter never took itself off the sleepers count: at most one too many, which only costs unlock a
    // SetEvent call.
    CHECK(sleepers(s.shared->lock) <= 1);
}

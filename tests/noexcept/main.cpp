// SPDX-License-Identifier: MIT
// sharemap without exceptions. Built with -fno-exceptions, so SHAREMAP_HAS_EXCEPTIONS is 0 and the throwing
// overloads do not exist; this program runs the basic cross-process scenario through the std::error_code API alone
// (not Catch2, which needs exceptions). The parent creates a named section and a named mutex, writes its bytes into
// the section, holds the mutex and starts itself as a child; the child opens both by name, finds the mutex held by
// another process, checks the parent's bytes and writes an answer, which the parent checks. Exit status 0: all passed.
//   sharemap_noexcept                                  the parent
//   sharemap_noexcept child <section name> <mutex name>
#include <sharemap/sharemap.hpp>

#include <process.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

static_assert(SHAREMAP_HAS_EXCEPTIONS == 0, "this program must be compiled without exceptions");

namespace {

// The throwing overloads are gone, not merely unused. The same detector finds the error_code overload, so it is not
// vacuously false.
template <class T, class = void>
struct HasThrowingCreate : std::false_type {};
template <class T>
struct HasThrowingCreate<T, std::void_t<decltype(T::create(std::declval<sharemap::NameView>(), std::uint64_t{}))>>
    : std::true_type {};
template <class T, class = void>
struct HasErrorCodeCreate : std::false_type {};
template <class T>
struct HasErrorCodeCreate<T, std::void_t<decltype(T::create(std::declval<sharemap::NameView>(), std::uint64_t{},
                                                            std::declval<std::error_code&>()))>> : std::true_type {};
static_assert(!HasThrowingCreate<sharemap::FileMapping>::value, "no throwing FileMapping::create without exceptions");
static_assert(HasErrorCodeCreate<sharemap::FileMapping>::value, "the error_code FileMapping::create is there");
// The same for wait_any, a function object whose throwing call operators are left out.
static_assert(!std::is_invocable_v<decltype(sharemap::wait_any), sharemap::WaitTargets>, "no throwing wait_any");
static_assert(std::is_invocable_v<decltype(sharemap::wait_any), sharemap::WaitTargets, std::error_code&>,
              "the error_code wait_any is there");

constexpr std::size_t section_size = 4096;
constexpr std::size_t pattern_size = 256;
constexpr std::size_t answer_offset = 512;

// The answer the child computes from the parent's bytes: their sum.
std::uint32_t sum_of(const std::byte* bytes) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < pattern_size; ++i) {
        sum += std::to_integer<std::uint32_t>(bytes[i]);
    }
    return sum;
}

int checks_passed = 0;
int checks_failed = 0;

// Records one check; prints the error code when it failed.
bool check(bool ok, const char* what, const std::error_code& ec = {}) {
    if (ok) {
        ++checks_passed;
        std::printf("ok   %s\n", what);
    } else {
        ++checks_failed;
        std::printf("FAIL %s (error %d: %s)\n", what, ec.value(), ec.message().c_str());
    }
    (void)std::fflush(stdout);
    return ok;
}

int child(const char* section_name, const char* mutex_name) {
    std::error_code ec;
    const auto mapping = sharemap::FileMapping::open(section_name, sharemap::Access::read_write, ec);
    if (!check(!ec, "child: open the section by name", ec)) {
        return 1;
    }
    const auto view = mapping.map(ec);
    if (!check(!ec && view.size() >= answer_offset + sizeof(std::uint32_t), "child: map it", ec)) {
        return 1;
    }
    bool pattern_ok = true;
    for (std::size_t i = 0; i < pattern_size; ++i) {
        pattern_ok = pattern_ok && view.data()[i] == static_cast<std::byte>(i);
    }
    if (!check(pattern_ok, "child: the parent's bytes are there")) {
        return 1;
    }
    const std::uint32_t answer = sum_of(view.data());
    std::memcpy(view.data() + answer_offset, &answer, sizeof answer);

    auto mutex = sharemap::NamedMutex::open(mutex_name, ec);
    if (!check(!ec, "child: open the mutex by name", ec)) {
        return 1;
    }
    const sharemap::LockStatus status = mutex.acquire_for(std::chrono::milliseconds(0), ec);
    if (!check(!ec && status == sharemap::LockStatus::timed_out, "child: the mutex is held by the parent", ec)) {
        return 1;
    }
    return 0;
}

int parent(int pid) {
    const std::string section_name = "Local\\sharemap-noexcept-" + std::to_string(pid) + "-section";
    const std::string mutex_name = "Local\\sharemap-noexcept-" + std::to_string(pid) + "-mutex";
    std::error_code ec;

    const auto mapping = sharemap::FileMapping::create(section_name, section_size, ec);
    if (!check(!ec, "create a named section", ec)) {
        return 1;
    }
    const auto view = mapping.map(ec);
    if (!check(!ec && view.size() == section_size, "map it", ec)) {
        return 1;
    }
    for (std::size_t i = 0; i < pattern_size; ++i) {
        view.data()[i] = static_cast<std::byte>(i);
    }
    const auto again = sharemap::FileMapping::create(section_name, section_size, ec);
    check(ec == std::errc::file_exists && !again, "create again: errc::file_exists, nothing owned", ec);

    auto mutex = sharemap::NamedMutex::create(mutex_name, ec);
    if (!check(!ec, "create a named mutex", ec)) {
        return 1;
    }
    const sharemap::LockStatus status = mutex.acquire(ec);
    if (!check(!ec && status == sharemap::LockStatus::acquired, "lock it", ec)) {
        return 1;
    }

    const auto program = sharemap::Process::current_executable(ec);
    if (!check(!ec && !program.empty(), "find this program's path", ec)) {
        return 1;
    }
    auto process = sharemap::Process::start(program, {"child", section_name, mutex_name}, {}, ec);
    if (!check(!ec && static_cast<bool>(process), "start the child", ec)) {
        return 1;
    }
    const bool ended = process.wait_for(std::chrono::seconds(60), ec);
    if (!check(!ec && ended, "the child ends within 60 s", ec)) {
        process.terminate(1, ec);
        return 1;
    }
    const unsigned long code = process.exit_code(ec);
    check(!ec && code == 0, "the child exits with 0", ec);
    const auto unset = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::manual, ec);
    const sharemap::WaitResult r = sharemap::wait_any({unset, process}, std::chrono::seconds(0), ec);
    check(!ec && r.status == sharemap::WaitStatus::signaled && r.index == 1, "wait_any finds the child ended", ec);

    std::uint32_t answer = 0;
    std::memcpy(&answer, view.data() + answer_offset, sizeof answer);
    check(answer == sum_of(view.data()), "the child's answer is in the section");

    mutex.unlock(ec);
    check(!ec, "unlock the mutex", ec);
    mutex.unlock(ec);
    check(ec == std::errc::operation_not_permitted, "unlock again: ERROR_NOT_OWNER", ec);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::strcmp(argv[1], "child") == 0) {
        const int status = child(argv[2], argv[3]);
        return status != 0 || checks_failed != 0 ? 1 : 0;
    }
    parent(_getpid());
    // The same closing line as the other test programs' summaries.
    std::printf("sharemap_noexcept: %d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed == 0 && checks_passed > 0 ? 0 : 1;
}

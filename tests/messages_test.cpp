// SPDX-License-Identifier: MIT
// What a thrown error says (docs/errors.md, "What the messages say"): the call as it was made, with the name or path
// and the numbers, the code, and for the Win32 codes a newcomer cannot decode, what they mean and what to do.
#include <sharemap/sharemap.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <chrono>
#include <string>
#include <system_error>

using namespace sharemap;
using sharemap_test::TempFile;
using sharemap_test::unique_name;

namespace {

// Runs `f`, which must throw std::system_error, and returns its what().
template <class F>
std::string what_of(F&& f) {
    try {
        f();
    } catch (const std::system_error& e) {
        return e.what();
    }
    FAIL("no std::system_error was thrown");
    return {};
}

// `name` as a C++ literal spells it: every backslash doubled.
std::string literal(const std::string& name) {
    std::string out;
    for (const char c : name) {
        out += c;
        if (c == '\\') {
            out += '\\';
        }
    }
    return out;
}

using Catch::Matchers::Contains;

} // namespace

TEST_CASE("messages: open of a missing name shows the call, with the name and the access, and the code", "[messages]") {
    const std::string name = unique_name("missing");
    const std::string what = what_of([&] { (void)FileMapping::open(name, Access::read); });
    CHECK_THAT(what, Contains("sharemap::FileMapping::open(\"" + literal(name) + "\", read)"));
    CHECK_THAT(what, Contains("[system:2]"));
    // A UTF-16 name is shown in UTF-8 too.
    const std::wstring wide(name.begin(), name.end());
    CHECK_THAT(what_of([&] { (void)NamedEvent::open(wide + L"\u00e9"); }),
               Contains("sharemap::NamedEvent::open(\"" + literal(name) + "\xc3\xa9\")"));
}

TEST_CASE("messages: a view past the end shows the offset, the length and the section's size", "[messages]") {
    const auto mapping = FileMapping::create_unnamed(4096);
    const std::string what = what_of([&] { (void)mapping.map(Access::read, 0, 8192); });
    CHECK_THAT(what, Contains("sharemap::FileMapping::map(read, offset 0, length 8192)"));
    CHECK_THAT(what, Contains("the section has 4096 bytes"));
    CHECK_THAT(what, Contains("past its end"));
    CHECK_THAT(what_of([&] { (void)mapping.map(Access::read, 4096, 1); }), Contains("at or past its end"));
    // A section opened by name does not know its size beforehand: the message asks for it.
    const std::string name = unique_name("past-end");
    const auto created = FileMapping::create(name, 4096);
    const auto opened = FileMapping::open(name, Access::read);
    CHECK_THAT(what_of([&] { (void)opened.map(Access::read, 0, 8192); }), Contains("the section has 4096 bytes"));
}

TEST_CASE("messages: map_at with a null address says so, and not that the view is past the end", "[messages]") {
    const auto mapping = FileMapping::create_unnamed(4096);
    const std::string what = what_of([&] { (void)mapping.map_at(nullptr, Access::read); });
    CHECK_THAT(what, Contains("sharemap::FileMapping::map_at(read, offset 0, length 0)"));
    CHECK_THAT(what, Contains("the address is null"));
    CHECK_THAT(what, !Contains("past its end"));
}

TEST_CASE("messages: as<T> tells a T that does not fit from a misaligned one, by code and by text", "[messages]") {
    const auto mapping = FileMapping::create_unnamed(4096);
    const auto view = mapping.map(Access::read_write, 0, 64);
    std::error_code too_big;
    std::error_code misaligned;
    CHECK(view.as<std::uint64_t>(60, too_big) == nullptr);
    CHECK(view.as<std::uint64_t>(4, misaligned) == nullptr);
    CHECK(too_big == std::errc::invalid_argument);
    CHECK(misaligned == sharemap::errc::misaligned);
    CHECK(too_big != misaligned);

    const std::string big = what_of([&] { (void)view.as<std::uint64_t>(60); });
    CHECK_THAT(big, Contains("sharemap::MappedView::as<T>(offset 60)"));
    CHECK_THAT(big, Contains("sizeof(T) 8"));
    CHECK_THAT(big, Contains("a view of 64 bytes"));
    CHECK_THAT(big, Contains("does not fit"));
    const std::string unaligned = what_of([&] { (void)view.as<std::uint64_t>(4); });
    CHECK_THAT(unaligned, Contains("sharemap::MappedView::as<T>(offset 4)"));
    CHECK_THAT(unaligned, Contains("not a multiple of alignof(T)"));
    CHECK(big != unaligned);
}

TEST_CASE("messages: mapping an empty file says the file is empty, and names it", "[messages]") {
    TempFile temp("empty.bin");
    { const auto file = File::create(temp.path()); }
    const std::string what = what_of([&] { (void)sharemap::map_file(temp.path().u8string(), Access::read); });
    CHECK_THAT(what, Contains("sharemap::map_file(\""));
    CHECK_THAT(what, Contains("empty.bin\", read)"));
    CHECK_THAT(what, Contains("[system:1006]"));
    CHECK_THAT(what, Contains("the file is empty"));
    const auto file = File::open(temp.path(), Access::read);
    CHECK_THAT(what_of([&] { (void)FileMapping::from_file(file, Access::read); }), Contains("the file is empty"));
}

TEST_CASE("messages: a name held by another kind of object says so, and which kind", "[messages]") {
    const std::string name = unique_name("held");
    const auto mutex = NamedMutex::create(name);
    const std::string what = what_of([&] { (void)FileMapping::open(name, Access::read); });
    CHECK_THAT(what, Contains("[system:6]"));
    CHECK_THAT(what, Contains("the name is held by another kind of object, a NamedMutex"));
    CHECK_THAT(what_of([&] { (void)NamedEvent::create(name, EventReset::manual); }), Contains("a NamedMutex"));

    const std::string section_name = unique_name("held-section");
    const auto section = FileMapping::create(section_name, 4096);
    CHECK_THAT(what_of([&] { (void)NamedSemaphore::create_or_open(section_name, 0, 1); }),
               Contains("another kind of object, a FileMapping"));
}

TEST_CASE("messages: an operation on an empty object says the object owns no handle", "[messages]") {
    const NamedEvent empty;
    const std::string what = what_of([&] { empty.set(); });
    CHECK_THAT(what, Contains("sharemap::NamedEvent::set [system:6]"));
    CHECK_THAT(what, Contains("owns no handle (default-constructed, moved-from, closed or released)"));
}

// The throwing forms take their member's name from __func__; in member templates too, it must be the bare name.
TEST_CASE("messages: a throwing form names its type and its own member, in member templates too", "[messages]") {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 1h;
    const NamedEvent event;
    const NamedMutex mutex;
    const NamedSemaphore semaphore;
    const Process process;
    Sender sender;
    Receiver receiver;
    CHECK_THAT(what_of([&] { (void)event.wait_for(1ms); }), Contains("sharemap::NamedEvent::wait_for ["));
    CHECK_THAT(what_of([&] { (void)event.wait_until(deadline); }), Contains("sharemap::NamedEvent::wait_until ["));
    CHECK_THAT(what_of([&] { (void)mutex.acquire_for(1ms); }), Contains("sharemap::NamedMutex::acquire_for ["));
    CHECK_THAT(what_of([&] { (void)semaphore.try_acquire_until(deadline); }),
               Contains("sharemap::NamedSemaphore::try_acquire_until ["));
    CHECK_THAT(what_of([&] { (void)process.wait_for(1ms); }), Contains("sharemap::Process::wait_for ["));
    CHECK_THAT(what_of([&] { (void)process.exit_code(); }), Contains("sharemap::Process::exit_code ["));
    const char one_byte = 0;
    CHECK_THAT(what_of([&] { (void)sender.send_for(&one_byte, 1, 1ms); }), Contains("sharemap::Sender::send_for ["));
    CHECK_THAT(what_of([&] { (void)receiver.receive_until(deadline); }),
               Contains("sharemap::Receiver::receive_until ["));
}

TEST_CASE("messages: a namespace prefix that does not exist says how prefixes are spelled", "[messages]") {
    const std::string name = "local\\" + unique_name("x").substr(6); // lowercase: not the Local\ namespace
    const std::string what = what_of([&] { (void)FileMapping::create(name, 4096); });
    CHECK_THAT(what, Contains("[system:3]"));
    CHECK_THAT(what, Contains("no such namespace"));
    CHECK_THAT(what, Contains("case-sensitive"));
    CHECK_THAT(what_of([&] { (void)NamedMutex::create(unique_name("a") + "\\b"); }), Contains("at most one backslash"));
}

TEST_CASE("messages: a name Windows refuses (ERROR_INVALID_NAME) says what is wrong with it", "[messages]") {
    const std::string what = what_of([] { (void)FileMapping::create("Local\\", 4096); });
    CHECK_THAT(what, Contains("[system:123]"));
    CHECK_THAT(what, Contains("Windows refuses this name"));
}

TEST_CASE("messages: a char name that is not UTF-8 says argv is in the ANSI code page, and how to get UTF-16",
          "[messages]") {
    const std::string name = "Local\\caf\xe9"; // Latin-1, as an ANSI argv would hold it
    const std::string what = what_of([&] { (void)NamedEvent::open(name); });
    CHECK_THAT(what, Contains("sharemap::NamedEvent::open(\"Local\\\\caf\\xE9\")"));
    CHECK_THAT(what, Contains("must be UTF-8"));
    CHECK_THAT(what, Contains("argv is in the ANSI code page"));
    CHECK_THAT(what, Contains("GetCommandLineW"));
}

TEST_CASE("messages: create_or_open of a smaller existing section shows both sizes", "[messages]") {
    const std::string name = unique_name("small");
    const auto existing = FileMapping::create(name, 4096);
    const std::string what = what_of([&] { (void)FileMapping::create_or_open(name, 1 << 20); });
    CHECK_THAT(what, Contains("sharemap::FileMapping::create_or_open(\"" + literal(name) + "\", 1048576)"));
    CHECK_THAT(what, Contains("the existing section has 4096 bytes, fewer than the 1048576 asked for"));
    CHECK_THAT(what, Contains("accept_existing_size"));
}

TEST_CASE("messages: the error_code form reports the same code as the throwing form", "[messages]") {
    // What the error_code form reports is the code alone: the same code the throwing form carries.
    const std::string name = unique_name("missing");
    std::error_code ec;
    (void)FileMapping::open(name, Access::read, ec);
    try {
        (void)FileMapping::open(name, Access::read);
        FAIL("no exception");
    } catch (const std::system_error& e) {
        CHECK(e.code() == ec);
    }
}

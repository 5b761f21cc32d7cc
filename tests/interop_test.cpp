// SPDX-License-Identifier: MIT
// The examples, run as real processes. Interop: the 01-named-shared-memory sharemap and plain Win32 writers and
// readers in all four pairings. Then the other examples, checked by what they print. Compiled only when the build
// passes SHAREMAP_EXAMPLES_DIR, the directory of the example executables as a narrow string literal.
#ifdef SHAREMAP_EXAMPLES_DIR

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/example_process.hpp"

#include <string>
#include <string_view>

using sharemap_test::ExampleProcess;

namespace {

constexpr std::string_view message = "Message from first process.";

std::string example(const std::string& target) { return std::string(SHAREMAP_EXAMPLES_DIR) + "/" + target + ".exe"; }

// Starts `writer_program`, waits for its "wrote" line, runs `reader_program` on the same name and checks that it
// read the message, then lets the writer go with a newline. Both must exit with 0.
void check_pair(const std::string& writer_program, const std::string& reader_program) {
    const std::string name = sharemap_test::unique_name("interop");
    INFO(writer_program << " -> " << reader_program << " on " << name);

    ExampleProcess writer(example("01-named-shared-memory-" + writer_program), {name}, true);
    std::string line;
    const bool writer_ready = writer.read_line(line);
    INFO("writer output: " << writer.output());
    REQUIRE(writer_ready);
    REQUIRE_THAT(line, Catch::Matchers::Contains("wrote \"" + std::string(message) + "\""));

    ExampleProcess reader(example("01-named-shared-memory-" + reader_program), {name}, false);
    const std::string read = reader.read_to_end();
    const unsigned long reader_exit = reader.wait();
    INFO("reader output: " << read);
    CHECK_THAT(read, Catch::Matchers::Contains("read \"" + std::string(message) + "\""));
    CHECK(reader_exit == 0);

    CHECK(writer.send_and_close("\n"));
    CHECK(writer.wait() == 0);
}

} // namespace

TEST_CASE("interop: sharemap writer to sharemap reader", "[interop][examples]") { check_pair("writer", "reader"); }

TEST_CASE("interop: raw Win32 writer to sharemap reader", "[interop][examples]") { check_pair("raw_writer", "reader"); }

TEST_CASE("interop: sharemap writer to raw Win32 reader", "[interop][examples]") { check_pair("writer", "raw_reader"); }

TEST_CASE("interop: raw Win32 writer to raw Win32 reader", "[interop][examples]") {
    check_pair("raw_writer", "raw_reader");
}

TEST_CASE("example 04-shared-file: the reader prints the records the writer put in the file", "[examples]") {
    sharemap_test::TempFile file("example-04");
    ExampleProcess writer(example("04-shared-file-writer"), {file.path().string(), "4"}, false);
    INFO("writer output: " << writer.read_to_end());
    REQUIRE(writer.wait() == 0);
    ExampleProcess reader(example("04-shared-file-reader"), {file.path().string()}, false);
    const std::string out = reader.read_to_end();
    INFO("reader output: " << out);
    CHECK(reader.wait() == 0);
    CHECK_THAT(out, Catch::Matchers::Contains("record #1 id=1 value=1"));
    CHECK_THAT(out, Catch::Matchers::Contains("record #4 id=4 value=16"));
    CHECK(out.find("record #5") == std::string::npos);
}

TEST_CASE("example 05-inherit-section: the child reads the parent's unnamed section and replies", "[examples]") {
    ExampleProcess parent(example("05-inherit-section-inherit_section"), {}, false);
    const std::string out = parent.read_to_end();
    INFO("output: " << out);
    CHECK(parent.wait() == 0);
    CHECK_THAT(out, Catch::Matchers::Contains("child: read \"hello from the parent\""));
    CHECK_THAT(out, Catch::Matchers::Contains("replied \"hello from the child\""));
}

TEST_CASE("example 06-section-mutex: two workers count exactly; a worker killed holding the lock is reported and "
          "repaired",
          "[examples][section_mutex]") {
    ExampleProcess parent(example("06-section-mutex-shared_counter"), {}, false);
    const std::string out = parent.read_to_end();
    INFO("output: " << out);
    CHECK(parent.wait() == 0);
    CHECK_THAT(out, Catch::Matchers::Contains("two workers added 10000, checksum 20000"));
    CHECK_THAT(out, Catch::Matchers::Contains("the owner died holding the lock; counter 10001, checksum 20000 "
                                              "(inconsistent)"));
    CHECK_THAT(out, Catch::Matchers::Contains("after repair counter 10001, checksum 20002 (consistent)"));
}

TEST_CASE("example 07-shared-state: a creator killed inside init is reported, then replaced; three workers count "
          "exactly under the lock inside the object",
          "[examples][shared_object]") {
    ExampleProcess parent(example("07-shared-state-shared_state"), {}, false);
    const std::string out = parent.read_to_end();
    INFO("output: " << out);
    CHECK(parent.wait() == 0);
    CHECK_THAT(out, Catch::Matchers::Contains("the creator was killed inside init"));
    CHECK_THAT(out, Catch::Matchers::Contains("report: peer_dead"));
    CHECK_THAT(out, Catch::Matchers::Contains("reinitialize: init ran here: yes, generation 2, workers 3, batch 1000"));
    CHECK_THAT(out, Catch::Matchers::Contains("3 workers added 3000 in 3000 updates"));
}

#endif // SHAREMAP_EXAMPLES_DIR

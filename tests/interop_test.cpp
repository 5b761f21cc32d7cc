// SPDX-License-Identifier: MIT
// The examples, run as real processes. Interop: the 01-named-shared-memory sharemap and plain Win32 writers and
// readers in all four pairings. Then the other examples, checked by what they print. Compiled only when the build
// passes SHAREMAP_EXAMPLES_DIR, the directory of the example executables as a narrow string literal.
#ifdef SHAREMAP_EXAMPLES_DIR

#include <sharemap/sharemap.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/example_process.hpp"

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

using sharemap_test::ExampleProcess;

namespace {

constexpr std::string_view message = "Message from first process.";

std::string example(const std::string& target) { return std::string(SHAREMAP_EXAMPLES_DIR) + "/" + target + ".exe"; }

// Runs the example `target` with `args` to its end and checks its exit code; returns what it printed.
std::string run_example(const std::string& target, const std::vector<std::string>& args = {},
                        unsigned long exit_code = 0) {
    ExampleProcess program(example(target), args, false);
    const std::string out = program.read_to_end();
    INFO(target << " output: " << out);
    CHECK(program.wait() == exit_code);
    return out;
}

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
    const std::string out = run_example("04-shared-file-reader", {file.path().string()});
    INFO("reader output: " << out);
    CHECK_THAT(out, Catch::Matchers::Contains("record #1 id=1 value=1"));
    CHECK_THAT(out, Catch::Matchers::Contains("record #4 id=4 value=16"));
    CHECK(out.find("record #5") == std::string::npos);
}

TEST_CASE("example 04-shared-file: the reader stops at the end of a label that is not terminated", "[examples]") {
    // A crafted file: two records, the first label filling its array with no NUL, the second record right after.
    sharemap_test::TempFile file("example-04-crafted");
    {
        std::ofstream out(file.path(), std::ios::binary);
        const std::uint32_t header[2] = {0x50414D53, 2}; // "SMAP", 2 records
        const std::uint32_t first[2] = {7, 49};
        const std::uint32_t second[2] = {0x42424242, 0x43434343}; // "BBBB", "CCCC": read if the label overruns
        out.write(reinterpret_cast<const char*>(header), sizeof header);
        out.write(reinterpret_cast<const char*>(first), sizeof first);
        out.write(std::string(24, 'A').data(), 24);
        out.write(reinterpret_cast<const char*>(second), sizeof second);
        out.write(std::string(24, '\0').data(), 24);
    }
    const std::string out = run_example("04-shared-file-reader", {file.path().string()});
    INFO("reader output: " << out);
    CHECK_THAT(out, Catch::Matchers::Contains("reader: " + std::string(24, 'A') + " id=7 value=49"));
    CHECK(out.find("BBBB") == std::string::npos);
}

TEST_CASE("example 02-producer-consumer: a producer whose consumer never started says so", "[examples]") {
    const std::string name = sharemap_test::unique_name("lonely");
    const std::string out = run_example("02-producer-consumer-producer", {"1", name}, 1);
    INFO("producer output: " << out);
    CHECK_THAT(out, Catch::Matchers::Contains("no consumer took a message; is consumer.exe running?"));
    CHECK(out.find("stopped reading") == std::string::npos);
}

TEST_CASE("example 05-inherit-section: the child reads the parent's unnamed section and replies", "[examples]") {
    const std::string out = run_example("05-inherit-section-inherit_section");
    CHECK_THAT(out, Catch::Matchers::Contains("child: read \"hello from the parent\""));
    CHECK_THAT(out, Catch::Matchers::Contains("replied \"hello from the child\""));
}

TEST_CASE("example 07-section-mutex: two workers count exactly; a worker killed holding the lock is reported and "
          "repaired",
          "[examples][section_mutex]") {
    const std::string out = run_example("07-section-mutex-shared_counter");
    CHECK_THAT(out, Catch::Matchers::Contains("two workers added 10000, checksum 20000"));
    CHECK_THAT(out, Catch::Matchers::Contains("the owner died holding the lock; counter 10001, checksum 20000 "
                                              "(inconsistent)"));
    CHECK_THAT(out, Catch::Matchers::Contains("after repair counter 10001, checksum 20002 (consistent)"));
}

TEST_CASE("example 06-publish-then-signal: the reader gets the data, whichever program starts first", "[examples]") {
    for (const bool reader_first : {true, false}) {
        const std::string name = sharemap_test::unique_name("publish");
        INFO((reader_first ? "reader first" : "writer first") << ", on " << name);
        std::unique_ptr<ExampleProcess> reader;
        std::unique_ptr<ExampleProcess> writer;
        if (reader_first) {
            reader = std::make_unique<ExampleProcess>(example("06-publish-then-signal-reader"),
                                                      std::vector<std::string>{name}, false);
            // The reader is waiting once its "ready" event exists: only then start the writer.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            std::error_code ec;
            while ((void)sharemap::NamedEvent::open(name + "-ready", ec),
                   ec && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            REQUIRE_FALSE(ec);
            writer = std::make_unique<ExampleProcess>(example("06-publish-then-signal-writer"),
                                                      std::vector<std::string>{name, "south", "-3.25"}, false);
        } else {
            writer = std::make_unique<ExampleProcess>(example("06-publish-then-signal-writer"),
                                                      std::vector<std::string>{name, "south", "-3.25"}, false);
            std::string line;
            const bool published = writer->read_line(line); // the data is published and signalled
            INFO("writer output: " << writer->output());
            REQUIRE(published);
            CHECK_THAT(line, Catch::Matchers::Contains("writer: published south -3.25"));
            reader = std::make_unique<ExampleProcess>(example("06-publish-then-signal-reader"),
                                                      std::vector<std::string>{name}, false);
        }
        const std::string read = reader->read_to_end();
        INFO("reader output: " << read);
        CHECK(reader->wait() == 0);
        CHECK_THAT(read, Catch::Matchers::Contains("reader: south -3.25 C (reading #1)"));
        const std::string wrote = writer->read_to_end();
        INFO("writer output: " << wrote);
        CHECK(writer->wait() == 0);
        CHECK_THAT(wrote, Catch::Matchers::Contains("writer: the reader has it"));
    }
}

TEST_CASE("example 08-shared-state: a creator killed inside init is reported, then replaced; three workers count "
          "exactly under the lock inside the object",
          "[examples][shared_object]") {
    const std::string out = run_example("08-shared-state-shared_state");
    CHECK_THAT(out, Catch::Matchers::Contains("the creator was killed inside init"));
    CHECK_THAT(out, Catch::Matchers::Contains("report: peer_dead"));
    CHECK_THAT(out, Catch::Matchers::Contains("reinitialize: init ran here: yes, generation 2, workers 3, batch 1000"));
    CHECK_THAT(out, Catch::Matchers::Contains("3 workers added 3000 in 3000 updates"));
}

#endif // SHAREMAP_EXAMPLES_DIR

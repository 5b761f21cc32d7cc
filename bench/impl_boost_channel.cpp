// SPDX-License-Identifier: MIT
// Boost.Interprocess's message_queue as a baseline of the channel workloads (impl_channel.cpp): the same messages,
// stamped and checked the same way, sent from this process to a child. A message_queue lives in a
// shared_memory_object, which Boost emulates on Windows with a file in BOOST_INTERPROCESS_SHARED_DIR_PATH (set by
// bench/CMakeLists.txt). Kept in its own translation unit: Boost declares the Win32 functions itself.
#include "bench.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <chrono>
#include <memory>
#include <vector>

namespace bench::boost_channel_impl {

namespace bip = boost::interprocess;

namespace {

// A queue's name is a file name in Boost's folder: the object name without its "Local\" (the name already holds
// this run's process id and a start time, see message_queue below).
std::string queue_name(const std::string& name) {
    const std::size_t slash = name.rfind('\\');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string progress_name(const std::string& name) { return name + "-progress"; }

// Wine reuses process ids, and a file left by an earlier run would make create_only fail: a start time makes the
// name unique to this run.
std::string unique(const std::string& name) {
    static const std::string run = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return name + "-" + run;
}

} // namespace

std::string message_queue_problem(const Setup& s) {
    const std::string name = queue_name(unique(s.name + "-probe"));
    try {
        bip::message_queue queue(bip::create_only, name.c_str(), 2, sizeof(std::uint64_t[8]));
        const std::uint64_t sent = 42;
        queue.send(&sent, sizeof(sent), 0);
        std::uint64_t got[8] = {}; // receive wants room for the largest message the queue takes
        bip::message_queue::size_type size = 0;
        unsigned int priority = 0;
        queue.receive(got, sizeof(got), size, priority);
        if (got[0] != sent || size != sizeof(sent)) {
            bip::message_queue::remove(name.c_str());
            return "boost::interprocess::message_queue returned a wrong message in one process";
        }
    } catch (const bip::interprocess_exception& e) {
        bip::message_queue::remove(name.c_str());
        return std::string("boost::interprocess::message_queue throws interprocess_exception (error_code_t ") +
               std::to_string(static_cast<int>(e.get_error_code())) + ", native " +
               std::to_string(e.get_native_error()) + "): " + e.what();
    }
    bip::message_queue::remove(name.c_str());
    return {};
}

Batch message_queue(const Setup& s, std::size_t size) {
    struct State {
        std::string name;
        std::size_t size = 0;
        std::unique_ptr<bip::message_queue> queue;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sent = 0;
        std::unique_ptr<Progress> progress;
        std::unique_ptr<Child> child;
        ~State() {
            // Message number 0 ends the stream.
            stamp_message(source.get(), size, 0);
            queue->send(source.get(), size, 0);
            child.reset();
            queue.reset();
            bip::message_queue::remove(queue_name(name).c_str());
        }
    };
    auto state = std::make_shared<State>();
    state->name = unique(s.name);
    state->size = size;
    state->queue = std::make_unique<bip::message_queue>(bip::create_only, queue_name(state->name).c_str(), ring_slots,
                                                        size);
    state->progress = Progress::create(progress_name(state->name));
    state->child = std::make_unique<Child>("queue", "boost_channel", state->name, size);
    state->progress->wait_ready();
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            stamp_message(state->source.get(), bytes, ++state->sent);
            state->queue->send(state->source.get(), bytes, 0);
        }
        state->progress->wait_received(state->sent);
    };
}

int child(const ChildArgs& a) {
    if (a.role != "queue") {
        fail("boost_channel child: unknown role " + a.role);
    }
    const std::size_t size = a.count;
    const std::unique_ptr<Progress> progress = Progress::open(progress_name(a.name));
    bip::message_queue queue(bip::open_only, queue_name(a.name).c_str());
    std::vector<std::byte> buffer(size);
    progress->set_ready();
    for (std::uint64_t expected = 1;; ++expected) {
        bip::message_queue::size_type got = 0;
        unsigned int priority = 0;
        queue.receive(buffer.data(), size, got, priority);
        check(got == size, "boost_channel child: a message of the wrong size");
        const std::uint64_t number = message_number(buffer.data(), size);
        if (number == 0) {
            return 0;
        }
        check(number == expected, "boost_channel child: message out of sequence");
        progress->received(expected);
    }
}

} // namespace bench::boost_channel_impl

// SPDX-License-Identifier: MIT
// 08-shared-state: one configuration-and-counters struct that several processes share by name, constructed exactly
// once, with a SectionMutex inside that guards the counters. The first process to create it is killed inside its
// init; the parent finds the object unfinished and first asks to be told (errc::peer_dead), then to take over (the
// object is zeroed and init runs again, here). Three workers then open it and add to the counters under the lock.
// The same program plays every part: without arguments it is the parent; with "init-and-die <name>" or
// "work <name> <times>" a child.
#include <sharemap/sharemap.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

// The shared state. No pointers: each process maps the section at another address. A plain struct of a
// SectionMutex and integers is standard-layout with a trivial destructor, which is what SharedObject asks of it.
struct State {
    sharemap::SectionMutex lock; // guards total and updates
    std::uint32_t workers;       // configuration: written once, by init
    std::uint32_t batch;
    std::uint64_t total;
    std::uint64_t updates;
};

void configure(State& s) {
    s.workers = 3;
    s.batch = 1000;
}

int run_init_and_die(const std::string& name) {
    const auto in_init = sharemap::NamedEvent::open(name + "-in-init");
    const auto state = sharemap::SharedObject<State>::create_or_open(name, [&](State& s) {
        s.workers = 999; // half-way through init...
        in_init.set();
        std::this_thread::sleep_for(std::chrono::minutes(1)); // ...the parent kills us here
        configure(s);
    });
    return 1;
}

int run_work(const std::string& name, std::uint64_t times) {
    const auto state = sharemap::SharedObject<State>::open_for(name, std::chrono::seconds(30));
    for (std::uint64_t i = 0; i < times; ++i) {
        const std::lock_guard<sharemap::SectionMutex> guard(state->lock);
        state->total += 1;
        state->updates += 1;
    }
    return 0;
}

// Ends a child that is still running, and waits until it has. It may have ended meanwhile: not an error.
void stop(sharemap::Process& child) {
    std::error_code ignored;
    child.terminate(1, ignored);
    (void)child.wait();
}

int run_parent() {
    const std::string name = "Local\\sharemap-example-08-" +
                             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto self = sharemap::Process::current_executable();
    const auto in_init = sharemap::NamedEvent::create(name + "-in-init", sharemap::EventReset::manual);

    sharemap::Process creator = sharemap::Process::start(self, {"init-and-die", name});
    // Wait for the event and for the child together: a child that ends before it sets the event is an answer too.
    const sharemap::WaitResult reached = sharemap::wait_any({in_init, creator}, std::chrono::seconds(30));
    if (reached.status == sharemap::WaitStatus::timed_out) {
        std::cerr << "parent: the creator did not reach its init within 30 s; stopping it\n";
        stop(creator);
        return 1;
    }
    if (reached.index == 1) {
        std::cerr << "parent: the creator ended (exit code " << creator.exit_code() << ") before it reached its init\n";
        return 1;
    }
    const auto keep = sharemap::FileMapping::open(name, sharemap::Access::read); // the section outlives the kill
    creator.terminate(9);
    (void)creator.wait();
    std::cout << "parent: the creator was killed inside init\n";

    std::error_code ec;
    const auto reported = sharemap::SharedObject<State>::create_or_open_for(name, configure, std::chrono::seconds(10),
                                                                            sharemap::OnDeadInitializer::report, ec);
    std::cout << "parent: report: " << (ec == sharemap::errc::peer_dead ? "peer_dead" : ec.message()) << "\n";

    const auto state = sharemap::SharedObject<State>::create_or_open(name, configure); // reinitialize
    std::cout << "parent: reinitialize: init ran here: " << (state.ran_init() ? "yes" : "no") << ", generation "
              << state.generation() << ", workers " << state->workers << ", batch " << state->batch << "\n";

    std::vector<sharemap::Process> workers;
    for (std::uint32_t i = 0; i < state->workers; ++i) {
        workers.push_back(sharemap::Process::start(self, {"work", name, std::to_string(state->batch)}));
    }
    // Wait for (or stop) every worker before looking at the results: none is left running when the parent returns.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool all_ok = true;
    for (auto& worker : workers) {
        if (!worker.wait_until(deadline)) {
            std::cerr << "parent: a worker did not finish within 60 s; stopping it\n";
            stop(worker);
            all_ok = false;
        } else if (const unsigned long code = worker.exit_code(); code != 0) {
            std::cerr << "parent: a worker failed with exit code " << code << "\n";
            all_ok = false;
        }
    }
    if (!all_ok) {
        return 1;
    }
    const std::lock_guard<sharemap::SectionMutex> guard(state->lock);
    std::cout << "parent: " << workers.size() << " workers added " << state->total << " in " << state->updates
              << " updates\n";
    return state->total == std::uint64_t{state->workers} * state->batch ? 0 : 1;
}

// A count from the command line: decimal digits only, and in range. (std::stoull would read "12abc" as 12, and
// throw for "abc".)
bool parse_count(const char* text, std::uint64_t& out) {
    const char* end = text + std::strlen(text);
    const auto [last, error] = std::from_chars(text, end, out);
    return error == std::errc() && last == end;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const std::string role = argc > 1 ? argv[1] : "";
        if (role == "init-and-die" && argc == 3) {
            return run_init_and_die(argv[2]);
        }
        if (role == "work" && argc == 4) {
            std::uint64_t times = 0;
            if (!parse_count(argv[3], times)) {
                std::cerr << "shared_state: <times> must be a whole number, not \"" << argv[3] << "\"\n";
                return 2;
            }
            return run_work(argv[2], times);
        }
        if (argc == 1) {
            return run_parent();
        }
        std::cerr << "usage: shared_state [init-and-die <name> | work <name> <times>]\n";
        return 2;
    } catch (const std::system_error& e) {
        std::cerr << e.what() << "\n"; // what() shows the call, its arguments and the code
        return 1;
    }
}

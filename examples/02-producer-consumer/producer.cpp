// SPDX-License-Identifier: MIT
// 02-producer-consumer, the producer: sends numbered text messages through a sharemap channel, waits until the
// consumer has taken them all, then closes its end, which the consumer sees as the end of the stream. Start
// consumer.exe before it or within 10 seconds. Usage: producer [count] [name]
#include <sharemap/sharemap.hpp>

#include "channel.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <system_error>

int main(int argc, char** argv) {
    const long count = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 5;
    const char* name = argc > 2 ? argv[2] : default_name;
    constexpr auto patience = std::chrono::seconds(10);
    try {
        auto sender = sharemap::Sender::create_or_open(name, channel_capacity);
        // Whether a consumer ever attached tells "never started" from "stopped reading" when a wait times out.
        const auto consumer_problem = [&] {
            return sender.receiver_seen() ? "the consumer stopped reading"
                                          : "no consumer took a message; is consumer.exe running?";
        };
        for (long i = 1; i <= count; ++i) {
            const std::string text = "message " + std::to_string(i);
            // Every wait has a bound; a consumer that died is reported (errc::peer_dead, thrown) rather than
            // waited for.
            if (!sender.send_for(text.data(), text.size(), patience)) {
                std::cerr << "producer: the channel stayed full for 10 s: " << consumer_problem() << "\n";
                return 1;
            }
        }
        // The channel lives only while some process holds it: stay until the consumer has taken everything.
        if (!sender.wait_drained_for(patience)) {
            std::cerr << "producer: not every message was taken within 10 s: " << consumer_problem() << "\n";
            return 1;
        }
        sender.close(); // the end of the stream
        std::cout << "producer: sent " << count << " messages" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "producer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

// SPDX-License-Identifier: MIT
// 02-producer-consumer, the consumer: prints the messages producer.exe sends, read in place from the channel,
// checking that each is the next one, until the producer closes its end. Usage: consumer [name]
#include <sharemap/sharemap.hpp>

#include "channel.hpp"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    const char* name = argc > 1 ? argv[1] : default_name;
    try {
        auto receiver = sharemap::Receiver::create_or_open(name, channel_capacity);
        std::cout << "consumer: ready" << std::endl;
        std::uint32_t expected = 1;
        for (;;) {
            // Waits while the channel is empty; a producer that died is reported (errc::peer_dead, thrown).
            const sharemap::Receiver::Message message = receiver.receive_for(std::chrono::seconds(30));
            if (!message) {
                if (receiver.ended()) {
                    break; // the producer closed its end and everything it sent was received
                }
                std::cerr << "consumer: nothing for 30 s; is the producer running?\n";
                return 1;
            }
            // The message's bytes, in place in the ring, until `message` goes: no copy.
            const std::string_view text(reinterpret_cast<const char*>(message.data()), message.size());
            if (text != "message " + std::to_string(expected)) {
                std::cerr << "consumer: expected message " << expected << ", got \"" << text << "\"\n";
                return 1;
            }
            std::cout << "consumer: " << text << "\n";
            ++expected;
        }
        std::cout << "consumer: received " << expected - 1 << " messages in order" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "consumer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

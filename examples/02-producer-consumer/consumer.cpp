// SPDX-License-Identifier: MIT
// 02-producer-consumer, the consumer: prints the messages producer.exe sends, checking that each is the next one,
// until the end marker. Usage: consumer [name]
#include <sharemap/sharemap.hpp>

#include "channel.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    const char* name = argc > 1 ? argv[1] : "Local\\sharemap-example-channel";
    try {
        Channel channel(name);
        std::cout << "consumer: ready" << std::endl;
        std::uint32_t expected = 1;
        for (;;) {
            if (!channel.filled.try_acquire_for(std::chrono::seconds(30))) {
                std::cerr << "consumer: nothing for 30 s; is the producer running?\n";
                return 1;
            }
            // Copy the message out, then hand the slot back at once so the producer can go on.
            const Message message = channel.ring->slots[(expected - 1) % slot_count];
            channel.free_slots.release();
            if (message.sequence == 0) {
                break;
            }
            if (message.sequence != expected) {
                std::cerr << "consumer: expected message " << expected << ", got " << message.sequence << "\n";
                return 1;
            }
            // Never trust the other side to have terminated its string.
            const auto length = std::find(std::begin(message.text), std::end(message.text), '\0') - message.text;
            std::cout << "consumer: " << std::string_view(message.text, static_cast<std::size_t>(length)) << "\n";
            ++expected;
        }
        std::cout << "consumer: received " << expected - 1 << " messages in order" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "consumer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

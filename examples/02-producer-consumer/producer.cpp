// SPDX-License-Identifier: MIT
// 02-producer-consumer, the producer: sends numbered messages through the ring, then an end marker, and waits until
// the consumer has read them all. Start consumer.exe before it or within 10 seconds. Usage: producer [count] [name]
#include <sharemap/sharemap.hpp>

#include "channel.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <system_error>

int main(int argc, char** argv) {
    const long count = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 5;
    const char* name = argc > 2 ? argv[2] : "Local\\sharemap-example-channel";
    constexpr auto patience = std::chrono::seconds(10);
    try {
        Channel channel(name);
        // free_slots starts at slot_count: more successful waits than that mean the consumer freed a slot, so it
        // is running. That tells "never started" from "stopped reading" when a wait times out.
        long acquired = 0;
        const auto consumer_problem = [&] {
            return acquired > slot_count ? "the consumer stopped reading"
                                         : "no consumer took a message; is consumer.exe running?";
        };
        // Messages 1..count, then sequence 0: the end.
        for (long i = 1; i <= count + 1; ++i) {
            // Every wait has a bound, so a consumer that died does not hang us forever.
            if (!channel.free_slots.try_acquire_for(patience)) {
                std::cerr << "producer: no free slot for 10 s: " << consumer_problem() << "\n";
                return 1;
            }
            ++acquired;
            Message& slot = channel.ring->slots[(i - 1) % slot_count];
            slot.sequence = i <= count ? static_cast<std::uint32_t>(i) : 0;
            std::snprintf(slot.text, sizeof slot.text, "message %ld", i);
            channel.filled.release(); // the slot is the consumer's now: touch it no more
        }
        // The ring lives only while some process holds it: stay until every slot is free again, which means the
        // consumer has taken everything we sent.
        for (int i = 0; i < slot_count; ++i) {
            if (!channel.free_slots.try_acquire_for(patience)) {
                std::cerr << "producer: not every message was taken within 10 s: " << consumer_problem() << "\n";
                return 1;
            }
            ++acquired;
        }
        std::cout << "producer: sent " << count << " messages" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "producer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

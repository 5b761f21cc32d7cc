// SPDX-License-Identifier: MIT
// 02-producer-consumer: what producer.cpp and consumer.cpp agree on: the layout of the shared section and the names
// of the three objects that make up one channel.
#ifndef SHAREMAP_EXAMPLE_02_CHANNEL_HPP
#define SHAREMAP_EXAMPLE_02_CHANNEL_HPP

#include <sharemap/sharemap.hpp>

#include <cstdint>
#include <string>

inline constexpr std::int32_t slot_count = 16;

// Shared memory holds plain data only: fixed-size, trivially copyable, no pointers.
struct Message {
    std::uint32_t sequence; // 1, 2, 3, ...; 0 ends the stream
    char text[60];
};

// A ring of slots. The semaphores say whose each slot is, so the slots need no lock: a slot belongs to the producer
// from free_slots.acquire() to filled.release(), then to the consumer from filled.acquire() to free_slots.release().
struct Ring {
    Message slots[slot_count];
};

// One channel: a section and two semaphores named after `name`. Whichever program starts first creates them (with
// the same counts); the other opens them. They exist while either program holds them.
struct Channel {
    explicit Channel(const std::string& name)
        : section(sharemap::FileMapping::create_or_open(name + "-ring", sizeof(Ring))), view(section.map()),
          ring(view.as<Ring>()),
          free_slots(sharemap::NamedSemaphore::create_or_open(name + "-free", slot_count, slot_count)),
          filled(sharemap::NamedSemaphore::create_or_open(name + "-filled", 0, slot_count)) {}

    sharemap::FileMapping section;
    sharemap::MappedView view;
    Ring* ring;
    sharemap::NamedSemaphore free_slots; // slots the producer may fill; starts at slot_count
    sharemap::NamedSemaphore filled;     // slots the consumer may read; starts at 0
};

#endif // SHAREMAP_EXAMPLE_02_CHANNEL_HPP

// SPDX-License-Identifier: MIT
// 04-shared-file: the layout both programs agree on. A file shared through mapping is a binary format: fixed-size,
// trivially copyable types, no pointers (each process maps the file at its own address), and one atomic: the magic,
// which says when the rest is complete.
#ifndef SHAREMAP_EXAMPLE_04_RECORD_HPP
#define SHAREMAP_EXAMPLE_04_RECORD_HPP

#include <atomic>
#include <cstdint>

// A lock-free atomic is a plain 4-byte value in memory, so it works between processes and in a file; one that is
// not lock-free would hide a lock in this process's memory.
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

struct Header {
    // Identifies the format, so the reader can refuse some other file, and is written last, with release order:
    // a reader that loads it with acquire order and sees the magic sees every record stored before it.
    std::atomic<std::uint32_t> magic;
    std::uint32_t count; // records written so far
};

struct Record {
    std::uint32_t id;
    std::uint32_t value;
    char label[24]; // NUL-terminated by our writer, but a reader must not count on it: files can be crafted
};

inline constexpr std::uint32_t records_magic = 0x50414D53; // "SMAP"

#endif // SHAREMAP_EXAMPLE_04_RECORD_HPP

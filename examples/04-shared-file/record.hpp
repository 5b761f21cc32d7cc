// SPDX-License-Identifier: MIT
// 04-shared-file: the layout both programs agree on. A file shared through mapping is a binary format: fixed-size,
// trivially copyable types, no pointers (each process maps the file at its own address).
#ifndef SHAREMAP_EXAMPLE_04_RECORD_HPP
#define SHAREMAP_EXAMPLE_04_RECORD_HPP

#include <cstdint>

struct Header {
    std::uint32_t magic; // identifies the format, so the reader can refuse some other file
    std::uint32_t count; // records written so far
};

struct Record {
    std::uint32_t id;
    std::uint32_t value;
    char label[24];
};

inline constexpr std::uint32_t records_magic = 0x50414D53; // "SMAP"

#endif // SHAREMAP_EXAMPLE_04_RECORD_HPP

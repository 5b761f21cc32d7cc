// SPDX-License-Identifier: MIT
// 06-publish-then-signal: what the writer publishes, and the names both programs use. Either program may start
// first: each one creates the section and the events if they are not there yet, or opens them if they are
// (create_or_open), so neither depends on the other having started.
#ifndef SHAREMAP_EXAMPLE_06_READING_HPP
#define SHAREMAP_EXAMPLE_06_READING_HPP

#include <sharemap/sharemap.hpp>

#include <cstdint>
#include <string>

/// The data, placed in the section as it is. Only values: no pointer, no std::string or std::string_view, which
/// would hold an address of the writer's memory, meaningless in the reader.
struct Reading {
    std::uint32_t magic;    // 0 until a writer published: a section someone else created starts zero-filled
    std::uint32_t sequence; // which reading this is
    double celsius;
    char station[32]; // NUL-terminated by the writer; the reader does not rely on it
};

inline constexpr std::uint32_t reading_magic = 0x52454144; // "READ"

/// The three objects, one name each.
struct Names {
    std::string section;
    std::string ready; // set by the writer once the data is complete
    std::string done;  // set by the reader once it has read it
};

inline Names names_for(const std::string& base) { return {base + "-data", base + "-ready", base + "-done"}; }

/// Both programs open the objects the same way, so that whoever comes first creates them. The events are
/// manual-reset: once set they stay set, so a waiter that comes late still sees them.
struct Shared {
    sharemap::FileMapping mapping;
    sharemap::NamedEvent ready;
    sharemap::NamedEvent done;

    explicit Shared(const Names& names)
        : mapping(sharemap::FileMapping::create_or_open(names.section, sizeof(Reading))),
          ready(sharemap::NamedEvent::create_or_open(names.ready, sharemap::EventReset::manual)),
          done(sharemap::NamedEvent::create_or_open(names.done, sharemap::EventReset::manual)) {}
};

#endif // SHAREMAP_EXAMPLE_06_READING_HPP

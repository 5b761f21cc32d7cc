// SPDX-License-Identifier: MIT
// Test support: a named section seen as one struct at its start, for what the processes of a test share.
#ifndef SHAREMAP_TESTS_SUPPORT_SHARED_SECTION_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_SHARED_SECTION_HPP_INCLUDED

#include <sharemap/file_mapping.hpp>
#include <sharemap/mapped_view.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace sharemap_test {

/// A named section mapped read-write, seen as the `T` at its start. A section the test makes is 4 KiB of zero
/// bytes: every member of `T` must be valid as zero bytes, or be constructed there by the process that made it
/// before any other process opens it.
template <class T>
struct SharedSection {
    sharemap::FileMapping mapping;
    sharemap::MappedView view;
    T* shared = nullptr;

    /// Creates the section `name` and maps all of it.
    static SharedSection create(const std::string& name) {
        return mapped(sharemap::FileMapping::create(name, section_size), 0);
    }
    /// Creates the section `name`, or opens it if another process made it first, and maps all of it.
    static SharedSection create_or_open(const std::string& name) {
        return mapped(sharemap::FileMapping::create_or_open(name, section_size), 0);
    }
    /// Opens the section `name` that another process made and maps the `T` at its start.
    static SharedSection open(const std::string& name) {
        return mapped(sharemap::FileMapping::open(name, sharemap::Access::read_write), sizeof(T));
    }

private:
    static constexpr std::uint64_t section_size = 4096;
    static_assert(sizeof(T) <= section_size);

    // Maps `length` bytes of `mapping` (0: all of it) read-write.
    static SharedSection mapped(sharemap::FileMapping mapping, std::size_t length) {
        SharedSection s;
        s.mapping = std::move(mapping);
        s.view = s.mapping.map(sharemap::Access::read_write, 0, length);
        s.shared = s.view.template as<T>(0);
        return s;
    }
};

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_SHARED_SECTION_HPP_INCLUDED

// SPDX-License-Identifier: MIT
// 04-shared-file, second process: maps the same file read-only and prints the records the writer left there.
// Usage: reader <file>
#include <sharemap/sharemap.hpp>

#include "record.hpp"

#include <atomic>
#include <iostream>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: reader <file>\n";
        return 2;
    }
    try {
        // One call: open the file, make a section of its whole size, map it, and close what the view no longer
        // needs. A read-only view faults on any write: the file is safe from this program's mistakes.
        const sharemap::MappedView view = sharemap::map_file(argv[1], sharemap::Access::read);
        const auto* header = view.as<Header>();
        // Acquire order: pairs with the writer's release store, so the count and records below are complete.
        if (header->magic.load(std::memory_order_acquire) != records_magic) {
            std::cerr << "reader: " << argv[1] << " holds no records\n";
            return 1;
        }
        // Never trust a count read from shared bytes: check it against what is actually mapped.
        if (header->count > (view.size() - sizeof(Header)) / sizeof(Record)) {
            std::cerr << "reader: the header claims more records than the file holds\n";
            return 1;
        }
        for (std::uint32_t i = 0; i < header->count; ++i) {
            const auto* record = view.as<const Record>(sizeof(Header) + i * sizeof(Record));
            // The label is the file's bytes: stop at its NUL or at the end of the array, whichever comes first.
            std::string_view label(record->label, sizeof record->label);
            label = label.substr(0, label.find('\0'));
            std::cout << "reader: " << label << " id=" << record->id << " value=" << record->value << "\n";
        }
    } catch (const std::system_error& e) {
        std::cerr << "reader: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

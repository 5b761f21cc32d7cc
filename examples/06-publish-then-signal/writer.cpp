// SPDX-License-Identifier: MIT
// 06-publish-then-signal, the writer: fills a Reading in a named section, then sets the "ready" event, then stays
// until the reader says it has read it (or 20 s pass). Start it before or after reader.exe.
// Usage: writer [name] [station] [celsius]
#include <sharemap/sharemap.hpp>

#include "reading.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    const std::string base = argc > 1 ? argv[1] : "Local\\sharemap-example-publish";
    const char* station = argc > 2 ? argv[2] : "north";
    const double celsius = argc > 3 ? std::strtod(argv[3], nullptr) : 21.5;
    try {
        const Shared shared(names_for(base));
        const sharemap::MappedView view = shared.mapping.map();
        Reading* reading = view.as<Reading>();

        // 1. Publish: plain stores. No other process reads them before step 2 lets it.
        reading->sequence = 1;
        reading->celsius = celsius;
        const std::string_view name = std::string_view(station).substr(0, sizeof reading->station - 1);
        std::memset(reading->station, 0, sizeof reading->station);
        std::memcpy(reading->station, name.data(), name.size());
        reading->magic = reading_magic;

        // 2. Signal. SetEvent is a full memory barrier, and so is the reader's wait that returns because of it:
        // every store above is visible to the reader once its wait returns. No std::atomic is needed here.
        shared.ready.set();
        std::cout << "writer: published " << station << " " << celsius << std::endl;

        // 3. Keep the section alive. It exists only while some process holds a handle to it (or a view of it): if
        // the writer exited now and the reader had not opened it yet, the section and its data would be gone,
        // and the reader would create a new, zero-filled one. A reader that started first holds it already, which
        // is why this mistake passes in testing and fails in production. So wait for the reader's word.
        if (!shared.done.wait_for(std::chrono::seconds(20))) {
            std::cerr << "writer: no reader read the data within 20 s; is reader.exe running?\n";
            return 1;
        }
        std::cout << "writer: the reader has it" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "writer: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

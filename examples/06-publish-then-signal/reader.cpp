// SPDX-License-Identifier: MIT
// 06-publish-then-signal, the reader: waits (at most 20 s) until the writer has set the "ready" event, then reads
// the Reading, prints it and tells the writer it is done. Start it before or after writer.exe.
// Usage: reader [name]
#include <sharemap/sharemap.hpp>

#include "reading.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    const std::string base = argc > 1 ? argv[1] : "Local\\sharemap-example-publish";
    try {
        // The reader creates what is not there yet, so it may start first; it then holds the section, and the
        // writer's data cannot vanish between the writer's set() and this process's map().
        const Shared shared(names_for(base));

        // A wait with a time-out: [[nodiscard]] makes sure its result is looked at. A time-out is not the data.
        if (!shared.ready.wait_for(std::chrono::seconds(20))) {
            std::cerr << "reader: nothing was published within 20 s; is writer.exe running?\n";
            return 1;
        }

        // The wait returned because of the writer's SetEvent: everything it stored before is visible here.
        const sharemap::MappedView view = shared.mapping.map(sharemap::Access::read);
        const Reading* reading = view.as<const Reading>();
        if (reading->magic != reading_magic) {
            std::cerr << "reader: the section holds no reading (was it created anew after the writer left?)\n";
            return 1;
        }
        // Never trust another process to have terminated a string: read at most the array.
        std::string_view station(reading->station, sizeof reading->station);
        station = station.substr(0, station.find('\0'));
        std::cout << "reader: " << station << " " << reading->celsius << " C (reading #" << reading->sequence << ")"
                  << std::endl;
        shared.done.set();
    } catch (const std::system_error& e) {
        std::cerr << "reader: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

// SPDX-License-Identifier: MIT
// Mistakes that must not compile. Built once with no SHAREMAP_MISTAKE defined (the control: everything around the
// mistakes compiles), then once per mistake by a CTest test that expects the build to fail with its diagnostic (see
// CMakeLists.txt here).
#include <sharemap/sharemap.hpp>

#include <chrono>
#include <cstdint>
#include <utility>

namespace {

struct Polymorphic {
    virtual int f() { return 0; }
};

} // namespace

int main() {
    const auto mapping = sharemap::FileMapping::create_unnamed(4096);
    const auto view = mapping.map();
    const auto event = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::manual);
    const auto mutex = sharemap::NamedMutex::create_unnamed();
    auto owned = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::automatic);
    int result = *view.as<int>() + (event.wait_for(std::chrono::seconds(0)) ? 1 : 0);
    (void)mutex;
    (void)owned;

#if SHAREMAP_MISTAKE == 1 // as<T>() on a temporary view: the view unmaps at the semicolon and the pointer dangles
    auto* dangling = mapping.map().as<int>();
    result += *dangling;
#elif SHAREMAP_MISTAKE == 2  // data() on a temporary view: the same
    std::byte* dangling = mapping.map().data();
    result += static_cast<int>(*dangling);
#elif SHAREMAP_MISTAKE == 3  // a wait's result ignored: a timeout would pass for success
    event.wait_for(std::chrono::seconds(1));
#elif SHAREMAP_MISTAKE == 4  // try_lock's result ignored: the caller cannot know whether it holds the mutex
    mutex.try_lock();
#elif SHAREMAP_MISTAKE == 5  // a factory's result ignored: the object is closed at once
    sharemap::FileMapping::create_or_open("Local\\sharemap-compile-fail", 4096);
#elif SHAREMAP_MISTAKE == 6  // map's result ignored: the view is unmapped at once
    mapping.map();
#elif SHAREMAP_MISTAKE == 7  // release()'s handle ignored: it leaks
    owned.release();
#elif SHAREMAP_MISTAKE == 8  // as<T>'s pointer ignored
    view.as<std::uint32_t>();
#elif SHAREMAP_MISTAKE == 9  // a type with a virtual function table placed in shared memory
    result += view.as<Polymorphic>()->f();
#elif SHAREMAP_MISTAKE == 10 // a process wait's result ignored: a child still running would pass for one that ended
    sharemap::Process().wait_for(std::chrono::seconds(1));
#elif SHAREMAP_MISTAKE == 11 // wait_any's result ignored: which object fired, or a timeout, is lost
    sharemap::wait_any({event}, std::chrono::seconds(1)); // a const object is a wait target too
#elif SHAREMAP_MISTAKE == 12 // a duplicate ignored (declared by the base template: the type's [[nodiscard]] reaches it)
    mutex.duplicate();
#elif SHAREMAP_MISTAKE == 13 // a received message ignored: it is given back at once, unread (a nested type)
    sharemap::Receiver().try_receive();
#elif SHAREMAP_MISTAKE == 14 // a shared object ignored: it is unmapped at once (a class template)
    sharemap::SharedObject<int>::open("Local\\sharemap-compile-fail");
#elif SHAREMAP_MISTAKE == 15 // std::exchange's result dropped: the old object closes unseen (CHANGELOG says it warns)
    std::exchange(owned, sharemap::NamedEvent());
#endif
    return result;
}

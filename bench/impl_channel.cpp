// SPDX-License-Identifier: MIT
// The channel workloads: messages of one size from this process to a child, through sharemap's channel (copying,
// and zero-copy) and through what programs use without it: a named pipe in message mode, the semaphore-per-slot
// ring that examples/02-producer-consumer used before the channel, and (impl_boost_channel.cpp)
// Boost.Interprocess's message_queue; one process's memcpy of the same bytes is the limit. And the 64-byte round
// trip over two channels against the NamedEvent ping-pong.
//
// Every sender stamps each message with its number (bench.hpp, stamp_message) and every receiver checks it. A
// copying sender stamps its source buffer and hands it over; a copying receiver copies the message out into its
// own buffer. The zero-copy sender copies its source into the reserved space and stamps it there; the zero-copy
// receiver reads the message where it lies (the two stamped words) and gives its space back. A batch ends when the
// child has received everything it was sent (Progress).
#include "sharemap/sharemap.hpp"

#include "bench.hpp"
#include "win32.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace bench {

using sharemap::Access;
using sharemap::EventReset;
using sharemap::FileMapping;
using sharemap::MappedView;
using sharemap::NamedEvent;
using sharemap::NamedSemaphore;

// ---------------------------------------------------------------------------------------------------------------
// Progress

namespace {
struct ProgressShared {
    std::atomic<std::uint64_t> received;
    char apart[56]; // the flags on another cache line than the counter the child bumps per message
    std::atomic<std::uint32_t> ready;
    std::atomic<std::uint32_t> stop;
};
} // namespace

struct Progress::Impl {
    FileMapping mapping;
    MappedView view;
    ProgressShared* shared = nullptr;
};

Progress::Progress(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Progress::~Progress() = default;

std::unique_ptr<Progress> Progress::create(const std::string& name) {
    auto impl = std::make_unique<Impl>();
    impl->mapping = FileMapping::create(name, 4096);
    impl->view = impl->mapping.map();
    impl->shared = impl->view.as<ProgressShared>(0); // zero bytes: nothing received, not ready, not stopped
    return std::unique_ptr<Progress>(new Progress(std::move(impl)));
}

std::unique_ptr<Progress> Progress::open(const std::string& name) {
    auto impl = std::make_unique<Impl>();
    impl->mapping = FileMapping::open(name, Access::read_write);
    impl->view = impl->mapping.map(Access::read_write, 0, 4096);
    impl->shared = impl->view.as<ProgressShared>(0);
    return std::unique_ptr<Progress>(new Progress(std::move(impl)));
}

void Progress::received(std::uint64_t count) { impl_->shared->received.store(count, std::memory_order_release); }

void Progress::wait_received(std::uint64_t count) {
    // A short spin catches a child that is one message behind; then yield the CPU (a wineserver thread or the
    // child may need it). A child that died fails the run through the watchdog of Child, not here: give up after a
    // minute so that a lost message cannot hang the run.
    const std::atomic<std::uint64_t>& received = impl_->shared->received;
    std::chrono::steady_clock::time_point since{};
    for (unsigned spins = 0; received.load(std::memory_order_acquire) < count; ++spins) {
        if (spins < 2000) {
            YieldProcessor();
            continue;
        }
        if (spins == 2000) {
            since = std::chrono::steady_clock::now();
        } else if (spins % 1024 == 0) {
            check(std::chrono::steady_clock::now() - since < std::chrono::minutes(1),
                  "channel workload: the child had not received every message after a minute");
        }
        static_cast<void>(SwitchToThread());
    }
}

void Progress::set_ready() { impl_->shared->ready.store(1, std::memory_order_release); }

void Progress::wait_ready() {
    const auto start = std::chrono::steady_clock::now();
    while (impl_->shared->ready.load(std::memory_order_acquire) == 0) {
        check(std::chrono::steady_clock::now() - start < std::chrono::minutes(1), "channel workload: child not ready");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void Progress::set_stop() { impl_->shared->stop.store(1, std::memory_order_release); }
bool Progress::stop() const { return impl_->shared->stop.load(std::memory_order_acquire) != 0; }

namespace channel_impl {
namespace {

// What every sender keeps: its source pattern (stamped before each send by the copying senders), the number of the
// last message it sent, the child's progress, and the child.
struct Sending {
    std::size_t size = 0;
    std::unique_ptr<std::byte[]> source = bulk_source(); // bulk_chunk (1 MiB) bytes: enough for every size
    std::uint64_t sent = 0;
    std::unique_ptr<Progress> progress;
    std::unique_ptr<Child> child;
};

std::string progress_name(const std::string& name) { return name + "-progress"; }

// A named pipe's name: a pipe's own name may not hold a backslash, so the object name loses its "Local\".
std::wstring pipe_path(const std::string& name) {
    const std::size_t slash = name.rfind('\\');
    return L"\\\\.\\pipe\\" + widen(slash == std::string::npos ? name : name.substr(slash + 1));
}

// The pipe's buffer (each direction): 64 KiB, a common choice of Windows programs.
constexpr DWORD pipe_buffer = 64 * 1024;

// The semaphore ring's section: ring_slots slots of the message size after a page of nothing.
std::size_t ring_offset(std::uint64_t number, std::size_t size) {
    return 4096 + static_cast<std::size_t>((number - 1) % ring_slots) * size;
}

} // namespace

Batch named_pipe(const Setup& s, std::size_t size) {
    struct State : Sending {
        HANDLE pipe = INVALID_HANDLE_VALUE;
        ~State() {
            CloseHandle(pipe); // the child reads on to ERROR_BROKEN_PIPE and ends
            child.reset();
        }
    };
    auto state = std::make_shared<State>();
    state->size = size;
    state->pipe = CreateNamedPipeW(pipe_path(s.name).c_str(), PIPE_ACCESS_OUTBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                   PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, pipe_buffer, pipe_buffer,
                                   0, nullptr);
    check(state->pipe != INVALID_HANDLE_VALUE, "pipe: CreateNamedPipeW");
    state->progress = Progress::create(progress_name(s.name));
    state->child = std::make_unique<Child>("pipe", "channel", s.name, size);
    check(ConnectNamedPipe(state->pipe, nullptr) != 0 || GetLastError() == ERROR_PIPE_CONNECTED,
          "pipe: ConnectNamedPipe");
    state->progress->wait_ready();
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            stamp_message(state->source.get(), bytes, ++state->sent);
            DWORD written = 0;
            check(WriteFile(state->pipe, state->source.get(), static_cast<DWORD>(bytes), &written, nullptr) != 0 &&
                      written == bytes,
                  "pipe: WriteFile");
        }
        state->progress->wait_received(state->sent);
    };
}

Batch semaphore_ring(const Setup& s, std::size_t size) {
    struct State : Sending {
        FileMapping section;
        MappedView view;
        NamedSemaphore free_slots; // slots the producer may fill; starts at ring_slots
        NamedSemaphore filled;     // slots the consumer may read; starts at 0
        ~State() {
            // Message number 0 ends the stream (as in the example).
            free_slots.acquire();
            stamp_message(view.data() + ring_offset(sent + 1, size), size, 0);
            filled.release();
            child.reset();
        }
    };
    auto state = std::make_shared<State>();
    state->size = size;
    state->section = FileMapping::create(s.name + "-ring", 4096 + ring_slots * size);
    state->view = state->section.map();
    state->free_slots = NamedSemaphore::create(s.name + "-free", ring_slots, ring_slots);
    state->filled = NamedSemaphore::create(s.name + "-filled", 0, ring_slots);
    state->progress = Progress::create(progress_name(s.name));
    state->child = std::make_unique<Child>("ring", "channel", s.name, size);
    state->progress->wait_ready();
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            state->free_slots.acquire();
            std::byte* slot = state->view.data() + ring_offset(++state->sent, bytes);
            std::memcpy(slot, state->source.get(), bytes);
            stamp_message(slot, bytes, state->sent);
            state->filled.release(); // the slot is the consumer's now
        }
        state->progress->wait_received(state->sent);
    };
}

Batch memcpy_limit(const Setup&, std::size_t size) {
    struct State {
        std::size_t size = 0;
        std::vector<std::byte> destination; // zero-filled: every page touched
        std::size_t at = 0;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sent = 0;
    };
    auto state = std::make_shared<State>();
    state->size = size;
    state->destination.resize(channel_ring_bytes(size));
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            std::byte* to = state->destination.data() + state->at;
            std::memcpy(to, state->source.get(), bytes);
            stamp_message(to, bytes, ++state->sent);
            state->at = (state->at + bytes) % state->destination.size();
        }
    };
}

Batch memcpy_section_limit(const Setup& s, std::size_t size) {
    struct State {
        std::size_t size = 0;
        FileMapping section;
        MappedView view;
        std::size_t at = 0;
        std::unique_ptr<std::byte[]> source = bulk_source();
        std::uint64_t sent = 0;
    };
    auto state = std::make_shared<State>();
    state->size = size;
    state->section = FileMapping::create(s.name, channel_ring_bytes(size));
    state->view = state->section.map();
    std::memset(state->view.data(), 0, state->view.size()); // every page touched, as the vector's
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        const std::size_t ring = channel_ring_bytes(bytes);
        for (std::size_t i = 0; i < n; ++i) {
            std::byte* to = state->view.data() + state->at;
            std::memcpy(to, state->source.get(), bytes);
            stamp_message(to, bytes, ++state->sent);
            state->at = (state->at + bytes) % ring;
        }
    };
}

Batch event_ping_pong(const Setup& s) {
    struct State {
        NamedEvent ping, pong;
        std::unique_ptr<Progress> progress;
        std::unique_ptr<Child> child;
        ~State() {
            progress->set_stop();
            ping.set();
            child.reset();
        }
    };
    auto state = std::make_shared<State>();
    state->ping = NamedEvent::create(s.name + "-ping", EventReset::automatic);
    state->pong = NamedEvent::create(s.name + "-pong", EventReset::automatic);
    state->progress = Progress::create(progress_name(s.name));
    state->child = std::make_unique<Child>("event_pingpong", "channel", s.name, 0);
    state->progress->wait_ready();
    return [state](std::size_t n) {
        const NamedEvent& ping = state->ping;
        const NamedEvent& pong = state->pong;
        for (std::size_t i = 0; i < n; ++i) {
            ping.set();
            pong.wait();
        }
    };
}

#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)

using sharemap::Receiver;
using sharemap::Sender;

namespace {
constexpr std::size_t ping_size = 64;
constexpr std::size_t ping_ring = 64 * kib;

struct ChannelSending : Sending {
    Sender sender;
    ~ChannelSending() {
        sender.close(); // the child receives the end of the stream and ends
        child.reset();
    }
};

std::shared_ptr<ChannelSending> start_channel(const Setup& s, std::size_t size, const char* role) {
    auto state = std::make_shared<ChannelSending>();
    state->size = size;
    state->sender = Sender::create(s.name, channel_ring_bytes(size));
    check(state->sender.max_message_size() >= size, "channel: a message does not fit the ring");
    state->progress = Progress::create(progress_name(s.name));
    state->child = std::make_unique<Child>(role, "channel", s.name, size);
    state->progress->wait_ready();
    return state;
}
} // namespace

Batch channel_copy(const Setup& s, std::size_t size) {
    auto state = start_channel(s, size, "copy");
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            stamp_message(state->source.get(), bytes, ++state->sent);
            state->sender.send(state->source.get(), bytes);
        }
        state->progress->wait_received(state->sent);
    };
}

Batch channel_zero_copy(const Setup& s, std::size_t size) {
    auto state = start_channel(s, size, "zero_copy");
    return [state](std::size_t n) {
        const std::size_t bytes = state->size;
        for (std::size_t i = 0; i < n; ++i) {
            Sender::Reservation space = state->sender.reserve(bytes);
            std::memcpy(space.data(), state->source.get(), bytes);
            stamp_message(space.data(), bytes, ++state->sent);
            space.commit();
        }
        state->progress->wait_received(state->sent);
    };
}

Batch channel_ping_pong(const Setup& s) {
    struct State {
        Sender ping;
        Receiver pong;
        std::unique_ptr<Progress> progress;
        std::unique_ptr<Child> child;
        std::byte message[ping_size] = {};
        std::uint64_t sent = 0;
        ~State() {
            ping.close();
            child.reset();
        }
    };
    auto state = std::make_shared<State>();
    state->ping = Sender::create(s.name + "-ping", ping_ring);
    state->pong = Receiver::create(s.name + "-pong", ping_ring);
    state->progress = Progress::create(progress_name(s.name));
    state->child = std::make_unique<Child>("channel_pingpong", "channel", s.name, ping_size);
    state->progress->wait_ready();
    return [state](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            stamp_message(state->message, ping_size, ++state->sent);
            state->ping.send(state->message, ping_size);
            const std::optional<std::size_t> got = state->pong.receive_into(state->message, ping_size);
            check(got && *got == ping_size && message_number(state->message, ping_size) == state->sent,
                  "channel ping-pong: wrong answer");
        }
    };
}

#endif // SHAREMAP_BENCH_HAVE_CHANNEL

int child(const ChildArgs& a) {
    const std::size_t size = a.count;
    const std::unique_ptr<Progress> progress = Progress::open(progress_name(a.name));
    std::vector<std::byte> buffer(size == 0 ? 1 : size);
    std::uint64_t expected = 1;
    const auto got = [&](const void* message) {
        check(message_number(message, size) == expected, "channel workload: message out of sequence");
        progress->received(expected++);
    };
    if (a.role == "pipe") {
        HANDLE pipe = CreateFileW(pipe_path(a.name).c_str(), GENERIC_READ | FILE_WRITE_ATTRIBUTES, 0, nullptr,
                                  OPEN_EXISTING, 0, nullptr);
        check(pipe != INVALID_HANDLE_VALUE, "pipe child: CreateFileW");
        DWORD mode = PIPE_READMODE_MESSAGE;
        check(SetNamedPipeHandleState(pipe, &mode, nullptr, nullptr) != 0, "pipe child: SetNamedPipeHandleState");
        progress->set_ready();
        for (;;) {
            DWORD read = 0;
            if (ReadFile(pipe, buffer.data(), static_cast<DWORD>(size), &read, nullptr) == 0) {
                check(GetLastError() == ERROR_BROKEN_PIPE, "pipe child: ReadFile");
                break;
            }
            check(read == size, "pipe child: a message of the wrong size");
            got(buffer.data());
        }
        CloseHandle(pipe);
        return 0;
    }
    if (a.role == "ring") {
        const FileMapping section = FileMapping::open(a.name + "-ring", Access::read_write);
        const MappedView view = section.map(Access::read_write, 0, 4096 + ring_slots * size);
        const NamedSemaphore free_slots = NamedSemaphore::open(a.name + "-free");
        const NamedSemaphore filled = NamedSemaphore::open(a.name + "-filled");
        progress->set_ready();
        for (;;) {
            filled.acquire();
            // Copy the message out, then hand the slot back at once so the producer can go on (as the example).
            std::memcpy(buffer.data(), view.data() + ring_offset(expected, size), size);
            free_slots.release();
            if (message_number(buffer.data(), size) == 0) {
                return 0;
            }
            got(buffer.data());
        }
    }
    if (a.role == "event_pingpong") {
        const NamedEvent ping = NamedEvent::open(a.name + "-ping");
        const NamedEvent pong = NamedEvent::open(a.name + "-pong");
        progress->set_ready();
        for (;;) {
            ping.wait();
            if (progress->stop()) {
                return 0;
            }
            pong.set();
        }
    }
#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)
    if (a.role == "copy") {
        Receiver receiver = Receiver::open(a.name);
        progress->set_ready();
        while (const std::optional<std::size_t> n = receiver.receive_into(buffer.data(), size)) {
            check(*n == size, "channel child: a message of the wrong size");
            got(buffer.data());
        }
        check(receiver.ended(), "channel child: no message, yet not the end");
        return 0;
    }
    if (a.role == "zero_copy") {
        Receiver receiver = Receiver::open(a.name);
        progress->set_ready();
        for (;;) {
            const Receiver::Message message = receiver.receive();
            if (!message) {
                break;
            }
            check(message.size() == size, "channel child: a message of the wrong size");
            got(message.data()); // read where it lies; its space goes back when `message` goes
        }
        check(receiver.ended(), "channel child: no message, yet not the end");
        return 0;
    }
    if (a.role == "channel_pingpong") {
        Receiver ping = Receiver::open(a.name + "-ping");
        Sender pong = Sender::open(a.name + "-pong");
        progress->set_ready();
        while (const std::optional<std::size_t> n = ping.receive_into(buffer.data(), size)) {
            check(*n == size, "channel ping-pong child: a message of the wrong size");
            pong.send(buffer.data(), size);
        }
        return 0;
    }
#endif
    fail("channel child: unknown role " + a.role);
}

} // namespace channel_impl
} // namespace bench

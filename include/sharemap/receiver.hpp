// SPDX-License-Identifier: MIT
// sharemap: Receiver, the receiving end of a named, bounded channel of variable-size messages in one section.
#ifndef SHAREMAP_RECEIVER_HPP_INCLUDED
#define SHAREMAP_RECEIVER_HPP_INCLUDED

#include "sharemap/channel_options.hpp"
#include "sharemap/detail/channel.hpp"
#include "sharemap/detail/channel_end.hpp"
#include "sharemap/detail/channel_loan.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/platform_win32.hpp"
#include "sharemap/detail/ring_mapping.hpp"
#include "sharemap/detail/section_lock.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// The receiving end of a channel (see Sender and docs/channel.md): one Receiver per channel at a time.
///
/// \code
/// auto receiver = sharemap::Receiver::open("Local\\my-app-jobs");
/// while (auto message = receiver.receive()) {      // empty: the sender closed, everything was received
///     handle(message.data(), message.size());       // read in place; its space is given back when it goes
/// }
/// \endcode
///
/// **Messages** arrive once, in order, whole and contiguous. receive() returns a Message that is read in place:
/// its bytes stay in the ring, and the sender cannot reuse them, until it is released (or destroyed). Several
/// Messages may be held at once and released in any order; the space is given back in ring order, so one old
/// Message held keeps the space of every later one. receive_into copies instead and gives the space back at once.
///
/// **End of stream and a dead sender.** An empty Message (or std::nullopt) with ended() true means the sender
/// closed its end and every message it committed has been received. If the sender's process died, every message
/// it committed is still delivered, then the waiting forms fail with errc::peer_dead: a waiting receive looks at
/// the sender's process at least every 100 ms and wakes at once when it ends. With multiple senders: end of
/// stream once every sender that attached has closed; errc::peer_dead once every sender still recorded is dead (a
/// dead sender's record stays until a new sender takes it over); while one lives, the receive waits. A channel no
/// sender has attached to yet is not ended: receive waits for one. try_receive makes no kernel call: it reports
/// end of stream, never a dead sender.
///
/// **Threads.** A Receiver and its Messages are used by one thread at a time. Messages must go (be released or
/// destroyed) before the Receiver they came from is closed or destroyed: their bytes are in its mapping.
///
/// Errors: a throwing form and a noexcept form taking std::error_code&, as everywhere in sharemap. Timed forms
/// return an empty Message (std::nullopt) at their deadline, with no error.
class [[nodiscard]] Receiver : public detail::ChannelEnd<Receiver> {
    using Platform = detail::Win32Platform;

public:
    /// One received message, read in place (data(), size(), `bool`). Move-only; its space is given back by release(),
    /// by a move over it, or by the destructor.
    class [[nodiscard]] Message : public detail::channel::Loan<Platform, const std::byte, detail::channel::ReadTicket> {
    public:
        /// Gives the message's space back (once every older message is released too) and becomes empty.
        void release() noexcept { give_back_now(); }

    private:
        friend class Receiver;
    };

    /// An empty Receiver.
    Receiver() noexcept = default;
    /// Takes over `other`'s end; `other` becomes empty.
    Receiver(Receiver&& other) noexcept = default;
    /// Closes this end, then takes over `other`'s.
    Receiver& operator=(Receiver&& other) noexcept {
        if (this != &other) {
            close();
            ChannelEnd::operator=(std::move(other));
        }
        return *this;
    }
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;
    /// close().
    ~Receiver() { close(); }

    /// True if every sender closed its end and every message committed has been received (false on an empty
    /// Receiver).
    [[nodiscard]] bool ended() const noexcept {
        if (!section_) {
            return false;
        }
        const detail::channel::Header& h = section_.header();
        return detail::channel::senders_closed(h) == detail::channel::Status::ended &&
               h.tail.load(std::memory_order_acquire) == h.read.load(std::memory_order_relaxed);
    }

    /// Waits for the next message. \returns it; an empty Message at end of stream (ended() is then true).
    /// \errors errc::peer_dead (the sender died, and every message it committed was received: within 100 ms of
    /// the death while waiting); errc::invalid_handle on an empty Receiver.
    Message receive(std::error_code& ec) noexcept {
        return receive_steady((std::chrono::steady_clock::time_point::max)(), ec);
    }
    /// One look: the next message, or an empty one if none is there now (or at end of stream: ended() says).
    /// \errors errc::invalid_handle. No kernel call: a dead sender is not looked for.
    Message try_receive(std::error_code& ec) noexcept {
        return receive_steady(std::chrono::steady_clock::time_point(), ec);
    }
    /// As receive, waiting at most `timeout`: an empty Message at the timeout or end of stream. \errors as receive.
    template <class Rep, class Period>
    Message receive_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
        return receive_steady(detail::section_lock::steady_deadline(timeout), ec);
    }
    /// As receive, waiting until `deadline` (by `Clock`): an empty Message at the deadline or end of stream.
    template <class Clock, class Duration>
    Message receive_until(const std::chrono::time_point<Clock, Duration>& deadline, std::error_code& ec) noexcept {
        Message m;
        detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
            m = receive_steady(steady, ec);
            return static_cast<bool>(m) || static_cast<bool>(ec) || ended();
        });
        return m;
    }

    /// Copies the next message into `buffer` (at most `capacity` bytes) and gives its space back, waiting for one.
    /// \returns its size; std::nullopt at end of stream. \errors errc::message_size if the message is larger than
    /// `capacity`: it is not consumed (receive it again with a larger buffer, or with receive()); as receive.
    [[nodiscard]] std::optional<std::size_t> receive_into(void* buffer, std::size_t capacity,
                                                          std::error_code& ec) noexcept {
        return receive_into_steady(buffer, capacity, (std::chrono::steady_clock::time_point::max)(), ec);
    }
    /// As receive_into, one look: std::nullopt if there is none now or at end of stream (ended() says which).
    [[nodiscard]] std::optional<std::size_t> try_receive_into(void* buffer, std::size_t capacity,
                                                              std::error_code& ec) noexcept {
        return receive_into_steady(buffer, capacity, std::chrono::steady_clock::time_point(), ec);
    }
    /// As receive_into, waiting at most `timeout`: std::nullopt at the timeout or end of stream.
    template <class Rep, class Period>
    [[nodiscard]] std::optional<std::size_t> receive_into_for(void* buffer, std::size_t capacity,
                                                              const std::chrono::duration<Rep, Period>& timeout,
                                                              std::error_code& ec) noexcept {
        return receive_into_steady(buffer, capacity, detail::section_lock::steady_deadline(timeout), ec);
    }
    /// As receive_into, waiting until `deadline` (by `Clock`): std::nullopt at the deadline or end of stream.
    template <class Clock, class Duration>
    [[nodiscard]] std::optional<std::size_t>
    receive_into_until(void* buffer, std::size_t capacity, const std::chrono::time_point<Clock, Duration>& deadline,
                       std::error_code& ec) noexcept {
        std::optional<std::size_t> got;
        detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
            got = receive_into_steady(buffer, capacity, steady, ec);
            return got.has_value() || static_cast<bool>(ec) || ended();
        });
        return got;
    }

    /// Departs: a sender waiting or sending later gets errc::broken_pipe. Every message received is given back
    /// (Messages must be gone already). Idempotent; the Receiver becomes empty.
    void close() noexcept {
        if (section_) {
            detail::channel::Header& h = section_.header();
            h.head.store(h.read.load(std::memory_order_relaxed), std::memory_order_seq_cst);
            detail::channel::detach_receiver<Platform>(h);
            reset_end();
        }
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of receive(ec).
    Message receive() { return SHAREMAP_DETAIL_OR_THROW(receive(ec)); }
    /// Throwing form of try_receive(ec).
    Message try_receive() { return SHAREMAP_DETAIL_OR_THROW(try_receive(ec)); }
    /// Throwing forms of receive_for(timeout, ec) and receive_until(deadline, ec): an empty Message at the timeout or
    /// end of stream.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(Message, receive_for, receive_until, )
    ///@}
    /// Throwing form of receive_into(buffer, capacity, ec).
    [[nodiscard]] std::optional<std::size_t> receive_into(void* buffer, std::size_t capacity) {
        return SHAREMAP_DETAIL_OR_THROW(receive_into(buffer, capacity, ec));
    }
    /// Throwing form of try_receive_into(buffer, capacity, ec).
    [[nodiscard]] std::optional<std::size_t> try_receive_into(void* buffer, std::size_t capacity) {
        return SHAREMAP_DETAIL_OR_THROW(try_receive_into(buffer, capacity, ec));
    }
    /// Throwing form of receive_into_for(buffer, capacity, timeout, ec): std::nullopt at the timeout or end of stream.
    template <class Rep, class Period>
    [[nodiscard]] std::optional<std::size_t> receive_into_for(void* buffer, std::size_t capacity,
                                                              const std::chrono::duration<Rep, Period>& timeout) {
        return SHAREMAP_DETAIL_OR_THROW(receive_into_for(buffer, capacity, timeout, ec));
    }
    /// Throwing form of receive_into_until(buffer, capacity, deadline, ec): std::nullopt at the deadline or end of
    /// stream.
    template <class Clock, class Duration>
    [[nodiscard]] std::optional<std::size_t>
    receive_into_until(void* buffer, std::size_t capacity, const std::chrono::time_point<Clock, Duration>& deadline) {
        return SHAREMAP_DETAIL_OR_THROW(receive_into_until(buffer, capacity, deadline, ec));
    }
#endif

private:
    friend class detail::ChannelEnd<Receiver>;
    static constexpr const char* type_name = "sharemap::Receiver";

    // Attaches the calling process as the receiver of the mapped channel (ChannelEnd::make).
    bool attach_end(std::error_code& ec) noexcept {
        return detail::channel_result(detail::channel::attach_receiver<Platform>(section_.header()), ec);
    }

    // Waits for the next record until `deadline`; `consume`: move past it. \returns true with `got`.
    bool next(std::chrono::steady_clock::time_point deadline, detail::channel::Received& got, bool consume,
              std::error_code& ec) noexcept {
        if (!section_) {
            ec = detail::empty_object_error();
            return false;
        }
        return detail::channel_result(
            detail::channel::receive<Platform>(section_.ring(), deadline, got, consume, peer_), ec);
    }

    Message receive_steady(std::chrono::steady_clock::time_point deadline, std::error_code& ec) noexcept {
        Message m;
        detail::channel::Received got;
        if (next(deadline, got, true, ec)) {
            m.ring_ = section_.ring();
            m.ticket_.at = got.at;
            m.data_ = m.ring_.at(got.at + detail::channel::record_header);
            m.size_ = got.size;
        }
        return m;
    }

    std::optional<std::size_t> receive_into_steady(void* buffer, std::size_t capacity,
                                                   std::chrono::steady_clock::time_point deadline,
                                                   std::error_code& ec) noexcept {
        detail::channel::Received got;
        if (!next(deadline, got, false, ec)) {
            return std::nullopt;
        }
        if (got.size > capacity) {
            ec = detail::error(errc::message_size); // left in the ring: nothing lost
            return std::nullopt;
        }
        const detail::channel::Ring& ring = section_.ring();
        if (got.size != 0) {
            std::memcpy(buffer, ring.at(got.at + detail::channel::record_header), got.size);
        }
        detail::channel::consume_and_release<Platform>(ring, got);
        return got.size;
    }
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_RECEIVER_HPP_INCLUDED

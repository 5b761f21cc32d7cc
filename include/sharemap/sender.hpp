// SPDX-License-Identifier: MIT
// sharemap: Sender, the sending end of a named, bounded channel of variable-size messages in one section.
#ifndef SHAREMAP_SENDER_HPP_INCLUDED
#define SHAREMAP_SENDER_HPP_INCLUDED

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
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// The sending end of a channel: a named section holding a bounded ring of variable-size messages, read by one
/// Receiver in any process (docs/channel.md).
///
/// \code
/// auto sender = sharemap::Sender::create("Local\\my-app-jobs", 1 << 20);
/// sender.send(text.data(), text.size());            // copies
/// auto r = sender.reserve(sizeof(Job));              // zero-copy: written in place
/// new (r.data()) Job{...};
/// r.commit();
/// \endcode
///
/// **Messages** are byte strings of 0 to max_message_size() bytes, delivered once, in order, whole and contiguous.
/// A send waits only while the ring is full; while the receiver keeps up it makes no kernel call.
///
/// **A gone receiver is an answer.** A send to a channel whose receiver closed its end fails with
/// errc::broken_pipe at once; one whose receiver died fails with errc::peer_dead as soon as the send has to wait
/// for space (the waiting forms look at the receiver's process at least every 100 ms, and wake at once when it
/// ends). Until the ring is full, messages to a dead receiver are buffered for one that takes over
/// (Receiver::open). A channel nobody has received from yet simply buffers: the sender waits for a receiver.
/// try_send and try_reserve do not look for the receiver's process: they report a closed receiver, never a dead
/// one (with multiple senders, a try while another sender holds the senders' mutex looks once at that holder).
///
/// **One end per process record.** Each Sender records its process in the header. A single-sender channel (the
/// default) takes a second Sender, in any process, only once the first one closed or its process died
/// (errc::end_in_use otherwise); ChannelOptions::multiple_senders takes up to 16 at once.
///
/// **Threads.** A Sender may be used by several threads: reservations are serialised by a mutex in the header (a
/// second reserve by the thread that holds a Reservation fails with std::errc::resource_deadlock_would_occur;
/// another thread's waits). A Reservation is committed or dropped by the thread that made it.
///
/// Errors: a throwing form and a noexcept form taking std::error_code&, as everywhere in sharemap. Timed forms
/// return false (or an empty Reservation) at their deadline, with no error.
class [[nodiscard]] Sender : public detail::ChannelEnd<Sender> {
    using Platform = detail::Win32Platform;

public:
    /// Space for one message in the ring, written in place (data(), size(), `bool`) and sent by commit().
    /// Move-only. Destroying it (or moving another over it) uncommitted sends nothing and lets the next sender go.
    /// It must go before the Sender it came from.
    class [[nodiscard]] Reservation : public detail::channel::Loan<Platform, std::byte, detail::channel::Pending> {
    public:
        /// Sends the message of size() bytes; the reservation becomes empty. Nothing on an empty one.
        void commit() noexcept { commit(size_); }
        /// Sends the first `size` bytes as the message (a shorter message than reserved); a `size` above size() is
        /// clamped to size(). The reservation becomes empty.
        void commit(std::size_t size) noexcept {
            if (data_ != nullptr) {
                detail::channel::commit<Platform>(ring_, ticket_, size < size_ ? size : size_);
                forget();
            }
        }

    private:
        friend class Sender;
    };

    /// An empty Sender.
    Sender() noexcept = default;
    /// Takes over `other`'s end; `other` becomes empty.
    Sender(Sender&& other) noexcept : slot_(std::exchange(other.slot_, 0)) { ChannelEnd::operator=(std::move(other)); }
    /// Closes this end, then takes over `other`'s.
    Sender& operator=(Sender&& other) noexcept {
        if (this != &other) {
            close();
            slot_ = std::exchange(other.slot_, 0);
            ChannelEnd::operator=(std::move(other));
        }
        return *this;
    }
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;
    /// close().
    ~Sender() { close(); }

    /// Copies `size` bytes into the channel as one message, waiting while it is full.
    /// \errors errc::message_size if `size` > max_message_size() (at once); errc::peer_dead if the receiver died;
    /// errc::broken_pipe if it closed its end; errc::invalid_handle on an empty Sender;
    /// std::errc::resource_deadlock_would_occur if this thread holds a Reservation of this channel.
    void send(const void* data, std::size_t size, std::error_code& ec) noexcept {
        (void)send_steady(data, size, (std::chrono::steady_clock::time_point::max)(), ec);
    }
    /// As send, without waiting. \returns false if the channel is full now (no error). \errors as send, but a dead
    /// receiver is not looked for.
    [[nodiscard]] bool try_send(const void* data, std::size_t size, std::error_code& ec) noexcept {
        return send_steady(data, size, std::chrono::steady_clock::time_point(), ec);
    }
    /// As send, waiting at most `timeout`. \returns false at the timeout. \errors as send.
    template <class Rep, class Period>
    [[nodiscard]] bool send_for(const void* data, std::size_t size, const std::chrono::duration<Rep, Period>& timeout,
                                std::error_code& ec) noexcept {
        return send_steady(data, size, detail::section_lock::steady_deadline(timeout), ec);
    }
    /// As send, waiting until `deadline` (by `Clock`, read again after each timeout). \returns false at the
    /// deadline. \errors as send.
    template <class Clock, class Duration>
    [[nodiscard]] bool send_until(const void* data, std::size_t size,
                                  const std::chrono::time_point<Clock, Duration>& deadline,
                                  std::error_code& ec) noexcept {
        bool sent = false;
        detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
            sent = send_steady(data, size, steady, ec);
            return sent || static_cast<bool>(ec);
        });
        return sent;
    }

    /// Zero-copy: space for a message of `size` bytes, contiguous, waiting while the channel is full. Write the
    /// message into data(), then commit(). \errors as send.
    Reservation reserve(std::size_t size, std::error_code& ec) noexcept {
        return reserve_steady(size, (std::chrono::steady_clock::time_point::max)(), ec);
    }
    /// As reserve, without waiting: an empty Reservation if the channel is full now. \errors as try_send.
    Reservation try_reserve(std::size_t size, std::error_code& ec) noexcept {
        return reserve_steady(size, std::chrono::steady_clock::time_point(), ec);
    }
    /// As reserve, waiting at most `timeout`: an empty Reservation at the timeout. \errors as send.
    template <class Rep, class Period>
    Reservation reserve_for(std::size_t size, const std::chrono::duration<Rep, Period>& timeout,
                            std::error_code& ec) noexcept {
        return reserve_steady(size, detail::section_lock::steady_deadline(timeout), ec);
    }
    /// As reserve, waiting until `deadline` (by `Clock`): an empty Reservation at the deadline. \errors as send.
    template <class Clock, class Duration>
    Reservation reserve_until(std::size_t size, const std::chrono::time_point<Clock, Duration>& deadline,
                              std::error_code& ec) noexcept {
        Reservation r;
        detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
            r = reserve_steady(size, steady, ec);
            return static_cast<bool>(r) || static_cast<bool>(ec);
        });
        return r;
    }

    /// Waits at most `timeout` until the receiver has taken (received and released) every message sent so far.
    /// \returns false at the timeout. \errors errc::peer_dead if the receiver died, errc::broken_pipe if it closed
    /// with messages left; errc::invalid_handle on an empty Sender.
    template <class Rep, class Period>
    [[nodiscard]] bool wait_drained_for(const std::chrono::duration<Rep, Period>& timeout,
                                        std::error_code& ec) noexcept {
        if (!section_) {
            ec = detail::empty_object_error();
            return false;
        }
        const detail::channel::Ring& ring = section_.ring();
        return detail::channel_result(
            detail::channel::wait_drained<Platform>(ring, ring.header->tail.load(std::memory_order_acquire),
                                                    detail::section_lock::steady_deadline(timeout)),
            ec);
    }

    /// True once a receiver has attached to the channel (even if it has gone since).
    [[nodiscard]] bool receiver_seen() const noexcept {
        return section_ && section_.header().receiver_seen.load(std::memory_order_acquire) != 0;
    }

    /// Departs: the receiver gets every message already committed, then end of stream (with multiple senders:
    /// once every sender closed). Idempotent; the Sender becomes empty. Reservations must go first.
    void close() noexcept {
        if (section_) {
            detail::channel::detach_sender<Platform>(section_.header(), slot_);
            reset_end();
            slot_ = 0;
        }
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of send(data, size, ec).
    void send(const void* data, std::size_t size) { SHAREMAP_DETAIL_OR_THROW(send(data, size, ec)); }
    /// Throwing form of try_send(data, size, ec).
    [[nodiscard]] bool try_send(const void* data, std::size_t size) {
        return SHAREMAP_DETAIL_OR_THROW(try_send(data, size, ec));
    }
    /// Throwing form of send_for(data, size, timeout, ec): false (nothing sent) at the timeout.
    template <class Rep, class Period>
    [[nodiscard]] bool send_for(const void* data, std::size_t size, const std::chrono::duration<Rep, Period>& timeout) {
        return SHAREMAP_DETAIL_OR_THROW(send_for(data, size, timeout, ec));
    }
    /// Throwing form of send_until(data, size, deadline, ec): false (nothing sent) at the deadline.
    template <class Clock, class Duration>
    [[nodiscard]] bool send_until(const void* data, std::size_t size,
                                  const std::chrono::time_point<Clock, Duration>& deadline) {
        return SHAREMAP_DETAIL_OR_THROW(send_until(data, size, deadline, ec));
    }
    /// Throwing form of wait_drained_for(timeout, ec): false at the timeout; a receiver that died, or closed with
    /// messages left, throws.
    template <class Rep, class Period>
    [[nodiscard]] bool wait_drained_for(const std::chrono::duration<Rep, Period>& timeout) {
        return SHAREMAP_DETAIL_OR_THROW(wait_drained_for(timeout, ec));
    }
    /// Throwing form of reserve(size, ec).
    Reservation reserve(std::size_t size) { return SHAREMAP_DETAIL_OR_THROW(reserve(size, ec)); }
    /// Throwing form of try_reserve(size, ec).
    Reservation try_reserve(std::size_t size) { return SHAREMAP_DETAIL_OR_THROW(try_reserve(size, ec)); }
    /// Throwing form of reserve_for(size, timeout, ec): an empty Reservation at the timeout.
    template <class Rep, class Period>
    Reservation reserve_for(std::size_t size, const std::chrono::duration<Rep, Period>& timeout) {
        return SHAREMAP_DETAIL_OR_THROW(reserve_for(size, timeout, ec));
    }
    /// Throwing form of reserve_until(size, deadline, ec): an empty Reservation at the deadline.
    template <class Clock, class Duration>
    Reservation reserve_until(std::size_t size, const std::chrono::time_point<Clock, Duration>& deadline) {
        return SHAREMAP_DETAIL_OR_THROW(reserve_until(size, deadline, ec));
    }
#endif

private:
    friend class detail::ChannelEnd<Sender>;
    static constexpr const char* type_name = "sharemap::Sender";

    // Attaches the calling process as a sender of the mapped channel (ChannelEnd::make).
    bool attach_end(std::error_code& ec) noexcept {
        return detail::channel_result(detail::channel::attach_sender<Platform>(section_.header(), slot_), ec);
    }

    Reservation reserve_steady(std::size_t size, std::chrono::steady_clock::time_point deadline,
                               std::error_code& ec) noexcept {
        Reservation r;
        if (!section_) {
            ec = detail::empty_object_error();
            return r;
        }
        if (size > max_message_size()) {
            ec = detail::error(errc::message_size);
            return r;
        }
        const detail::channel::Ring& ring = section_.ring();
        if (detail::channel_result(detail::channel::reserve<Platform>(ring, size, deadline, r.ticket_, peer_), ec)) {
            r.ring_ = ring;
            r.data_ = ring.at(r.ticket_.at + detail::channel::record_header);
            r.size_ = size;
        }
        return r;
    }

    bool send_steady(const void* data, std::size_t size, std::chrono::steady_clock::time_point deadline,
                     std::error_code& ec) noexcept {
        Reservation r = reserve_steady(size, deadline, ec);
        if (!r) {
            return false;
        }
        if (size != 0) {
            std::memcpy(r.data(), data, size);
        }
        r.commit();
        return true;
    }

    std::uint32_t slot_ = 0;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_SENDER_HPP_INCLUDED

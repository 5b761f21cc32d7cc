// SPDX-License-Identifier: MIT
// sharemap: Loan, what Sender::Reservation and Receiver::Message share: bytes lent out of the channel's ring, in
// place, given back exactly once (by the owner's commit or release, by a move over it, or by its destructor).
#ifndef SHAREMAP_DETAIL_CHANNEL_LOAN_HPP_INCLUDED
#define SHAREMAP_DETAIL_CHANNEL_LOAN_HPP_INCLUDED

#include "sharemap/detail/channel.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace sharemap::detail::channel {

/// What a received message keeps to give its record back: the counter of the record's header.
struct ReadTicket {
    std::uint64_t at = 0;
};

/// Gives back a received record (the receiver's side of a loan).
template <class P>
void give_back(const Ring& r, ReadTicket& t) noexcept {
    release<P>(r, t.at);
}

/// Gives back an uncommitted reservation: nothing is sent (the sender's side of a loan).
template <class P>
void give_back(const Ring& r, Pending& p) noexcept {
    drop<P>(r, p);
}

/// `size` bytes at `data` in the ring, lent to the caller until given back with give_back(ring, ticket). Move-only;
/// a moved-from or given-back loan is empty. `Byte` is `std::byte` (writable: a reservation) or `const std::byte`
/// (a received message).
template <class P, class Byte, class Ticket>
class Loan {
public:
    /// An empty loan.
    Loan() noexcept = default;
    /// Takes over `other`'s bytes; `other` becomes empty.
    Loan(Loan&& other) noexcept
        : ring_(std::exchange(other.ring_, Ring())), ticket_(std::exchange(other.ticket_, Ticket())),
          data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    /// Gives this loan back (if any), then takes over `other`'s.
    Loan& operator=(Loan&& other) noexcept {
        if (this != &other) {
            give_back_now();
            ring_ = std::exchange(other.ring_, Ring());
            ticket_ = std::exchange(other.ticket_, Ticket());
            data_ = std::exchange(other.data_, nullptr);
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }
    Loan(const Loan&) = delete;
    Loan& operator=(const Loan&) = delete;
    /// Gives the loan back if it is still held.
    ~Loan() { give_back_now(); }

    /// The first byte, contiguous for size() bytes and aligned to 8; nullptr if empty. Not on a temporary, which
    /// would give the bytes back at once.
    [[nodiscard]] Byte* data() const& noexcept { return data_; }
    Byte* data() const&& = delete;
    /// The size in bytes (a message of 0 bytes is a message too).
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// True if this holds bytes.
    explicit operator bool() const noexcept { return data_ != nullptr; }

protected:
    /// Gives the bytes back (if held) and becomes empty.
    void give_back_now() noexcept {
        if (data_ != nullptr) {
            give_back<P>(ring_, ticket_);
            forget();
        }
    }
    /// Becomes empty without giving anything back (the owner settled the loan another way).
    void forget() noexcept {
        data_ = nullptr;
        size_ = 0;
    }

    Ring ring_;
    Ticket ticket_;
    Byte* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace sharemap::detail::channel

#endif // SHAREMAP_DETAIL_CHANNEL_LOAN_HPP_INCLUDED

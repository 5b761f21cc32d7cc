// SPDX-License-Identifier: MIT
// sharemap: what Sender and Receiver share: making, opening or making-or-opening the channel's section, attaching
// as one end, and the questions about the channel (capacity, mode). Each end supplies attach_end(ec) and its
// type_name.
#ifndef SHAREMAP_DETAIL_CHANNEL_END_HPP_INCLUDED
#define SHAREMAP_DETAIL_CHANNEL_END_HPP_INCLUDED

#include "sharemap/channel_options.hpp"
#include "sharemap/detail/channel.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/platform_win32.hpp"
#include "sharemap/detail/ring_mapping.hpp"
#include "sharemap/name_view.hpp"

#include <cstddef>
#include <system_error>
#include <utility>

namespace sharemap::detail {

/// The base of Sender and Receiver (`End`): the section and its mapping, and the ways to reach it.
template <class End>
class ChannelEnd {
public:
    /// Creates the channel `name` with a ring of at least `capacity` bytes (rounded up to a multiple of 64 KiB) and
    /// attaches as this end. \errors errc::already_exists; errc::invalid_argument for a capacity of 0 or above
    /// 4 GiB (in a 32-bit process, above 2 GiB - 64 KiB: twice the ring must be a size); as FileMapping::create;
    /// errc::not_enough_memory if the ring cannot be mapped.
    static End create(NameView name, std::size_t capacity, const ChannelOptions& options,
                      std::error_code& ec) noexcept {
        return make(name, ChannelOpen::create, capacity, options, ec);
    }
    /// create(name, capacity, ChannelOptions(), ec).
    static End create(NameView name, std::size_t capacity, std::error_code& ec) noexcept {
        return create(name, capacity, ChannelOptions(), ec);
    }

    /// Opens the existing channel `name` as this end, taking over from one that closed or whose process died.
    /// \errors errc::not_found; errc::incompatible_layout if the section is not a channel of this layout version
    /// (or too small to be one; a header still unwritten after 5 s while another process holds the section counts
    /// as not a channel); errc::peer_dead if the process that made the section ended before it wrote the header
    /// and no other process holds the section; errc::end_in_use if a live process holds this end (for senders of a
    /// multiple-sender channel: all 16); errc::not_enough_memory if the ring cannot be mapped (in a 32-bit process,
    /// always for a ring above 2 GiB - 64 KiB); as FileMapping::open.
    static End open(NameView name, std::error_code& ec) noexcept {
        return make(name, ChannelOpen::open, 0, ChannelOptions(), ec);
    }

    /// Creates the channel or opens it; existed() says which. `capacity` and `options` are used only when it is
    /// created. \errors as create and open; errc::size_too_small if the existing ring is smaller than `capacity`.
    static End create_or_open(NameView name, std::size_t capacity, const ChannelOptions& options,
                              std::error_code& ec) noexcept {
        return make(name, ChannelOpen::create_or_open, capacity, options, ec);
    }
    /// create_or_open(name, capacity, ChannelOptions(), ec).
    static End create_or_open(NameView name, std::size_t capacity, std::error_code& ec) noexcept {
        return create_or_open(name, capacity, ChannelOptions(), ec);
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, capacity, options, ec).
    static End create(NameView name, std::size_t capacity, const ChannelOptions& options = {}) {
        return or_throw(End::type_name, "create", [&](auto& ec) { return create(name, capacity, options, ec); });
    }
    /// Throwing form of open(name, ec).
    static End open(NameView name) {
        return or_throw(End::type_name, "open", [&](auto& ec) { return open(name, ec); });
    }
    /// Throwing form of create_or_open(name, capacity, options, ec).
    static End create_or_open(NameView name, std::size_t capacity, const ChannelOptions& options = {}) {
        return or_throw(End::type_name, "create_or_open",
                        [&](auto& ec) { return create_or_open(name, capacity, options, ec); });
    }
#endif

    /// True if the channel existed before this end was made (false after create, true after open).
    [[nodiscard]] bool existed() const noexcept { return section_.existed(); }
    /// The ring's size in bytes (a multiple of 64 KiB); 0 if empty.
    [[nodiscard]] std::size_t capacity() const noexcept { return static_cast<std::size_t>(section_.ring().capacity); }
    /// The largest message the channel can ever hold: capacity() - 8 (each message has an 8-byte header); 0 if
    /// empty.
    [[nodiscard]] std::size_t max_message_size() const noexcept {
        return section_ ? static_cast<std::size_t>(channel::max_payload(section_.ring().capacity)) : 0;
    }
    /// True if the channel's records never cross the ring's end: the ring is mapped once, and a padding record ends
    /// each lap (docs/channel.md).
    [[nodiscard]] bool uses_wrap_markers() const noexcept { return section_.ring().wrap; }
    /// True if this is attached to a channel.
    explicit operator bool() const noexcept { return static_cast<bool>(section_); }

private:
    // Only End (Sender or Receiver) is made from this base, as with KernelObject: every constructor is private.
    friend End;
    ChannelEnd(const ChannelEnd&) = delete;            // NOLINT(modernize-use-equals-delete)
    ChannelEnd& operator=(const ChannelEnd&) = delete; // NOLINT(modernize-use-equals-delete)
    ChannelEnd() noexcept = default;
    ChannelEnd(ChannelEnd&&) noexcept = default;
    ChannelEnd& operator=(ChannelEnd&&) noexcept = default;
    ~ChannelEnd() = default;

protected:
    ChannelSection section_;
    /// The peer process this end last slept on (the receiver, for a sender; a sender, for the receiver), kept so
    /// that a sleep costs only the wait itself. A Sender uses it only while it holds the channel's send lock; a
    /// Receiver is used by one thread at a time.
    channel::PeerWatch<Win32Platform> peer_;

    /// Unmaps the channel and drops the peer's watch: the end becomes empty (its record is the caller's).
    void reset_end() noexcept {
        peer_.reset();
        section_.reset();
    }

private:
    static End make(NameView name, ChannelOpen how, std::size_t capacity, const ChannelOptions& options,
                    std::error_code& ec) noexcept {
        End end;
        end.section_ = ChannelSection::make(name, how, capacity, options, ec);
        if (ec || !end.attach_end(ec)) {
            end.reset_end(); // not attached: nothing to detach
            return End();
        }
        return end;
    }
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_CHANNEL_END_HPP_INCLUDED

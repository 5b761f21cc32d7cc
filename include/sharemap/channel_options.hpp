// SPDX-License-Identifier: MIT
// sharemap: ChannelOptions, how a channel (Sender / Receiver) is made.
#ifndef SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED
#define SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED

#include "sharemap/create_options.hpp"

#include <utility>

namespace sharemap {

namespace detail {
class ChannelSection;
} // namespace detail

/// How a channel is made: the creator's choice, recorded in the section's header, which every process that opens
/// the channel reads. Options are set by chained calls: `ChannelOptions().multiple_senders()`.
class ChannelOptions {
public:
    /// One sender at a time, the default.
    ChannelOptions() = default;

    /// Several Sender objects, in any processes, may be attached at once (up to 16); their messages are serialised
    /// by a mutex in the header, held from reserve to commit. With `on` false (the default), a second sender is
    /// refused with errc::end_in_use while the first one's process lives.
    ChannelOptions& multiple_senders(bool on = true) noexcept {
        multiple_senders_ = on;
        return *this;
    }

    /// True if several senders may be attached at once.
    [[nodiscard]] bool multiple_senders() const noexcept { return multiple_senders_; }

    /// Who may open the channel: the security its section is created with (as CreateOptions::security). An end
    /// that opens it needs to map it for reading and writing (FILE_MAP_READ | FILE_MAP_WRITE) and to query it
    /// (SECTION_QUERY); a process refused those gets errc::permission_denied. Has no effect on an existing channel
    /// that create_or_open opens.
    ChannelOptions& security(Security value) {
        create_.security(std::move(value));
        return *this;
    }
    /// The security the channel's section will be created with.
    [[nodiscard]] const Security& security() const noexcept { return create_.security(); }

private:
    friend class detail::ChannelSection;
    bool multiple_senders_ = false;
    CreateOptions create_; // the section's: the security only
};

} // namespace sharemap

#endif // SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED

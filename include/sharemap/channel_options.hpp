// SPDX-License-Identifier: MIT
// sharemap: ChannelOptions, how a channel (Sender / Receiver) is made.
#ifndef SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED
#define SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED

namespace sharemap {

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

private:
    bool multiple_senders_ = false;
};

} // namespace sharemap

#endif // SHAREMAP_CHANNEL_OPTIONS_HPP_INCLUDED

// SPDX-License-Identifier: MIT
// 02-producer-consumer: what producer.cpp and consumer.cpp agree on: the channel's default name and size. The
// channel itself (a ring of variable-size messages in one section, with its header) is sharemap::Sender /
// sharemap::Receiver: whichever program starts first creates it, the other opens it.
#ifndef SHAREMAP_EXAMPLE_02_CHANNEL_HPP
#define SHAREMAP_EXAMPLE_02_CHANNEL_HPP

#include <cstddef>

inline constexpr const char* default_name = "Local\\sharemap-example-channel";

// The ring's size: 64 KiB, the smallest (capacities are rounded up to it). Messages are a few bytes each, so the
// producer runs ahead of the consumer by up to a few thousand messages before it waits.
inline constexpr std::size_t channel_capacity = 64 * 1024;

#endif // SHAREMAP_EXAMPLE_02_CHANNEL_HPP

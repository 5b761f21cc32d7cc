// SPDX-License-Identifier: MIT
// sharemap: a channel's section in one process (Windows): the section, a view of its header and the ring mapped
// twice back to back, so that every record is contiguous, or once in the wrap-marker mode. Shared by Sender and
// Receiver.
//
// The double mapping is tried in this order:
//   (a) placeholders (Windows 10 1803 and later): VirtualAlloc2 reserves 2 x capacity as a placeholder, VirtualFree
//       splits it in two, MapViewOfFile3 maps the ring into each half. Race-free. Both functions are looked up at
//       run time in kernelbase.dll, which every process has loaded (nothing is loaded). Windows only; Wine 8 lacks
//       them, so this path is not run by the tests here.
//   (b) reserve-and-map: VirtualAlloc reserves 2 x capacity to find a free range, VirtualFree releases it, and the
//       ring is mapped at its start and at start + capacity; another thread may take the range in between, so it
//       is retried (ring_map_attempts times). This is the path the tests run under Wine.
//   (c) one mapping, records never crossing the end (a padding record ends each lap): chosen by the creator when
//       (a) and (b) fail, or when forced (force_wrap_markers, for tests), and recorded in the header, since the
//       sender's records must match the way every receiver reads them.
#ifndef SHAREMAP_DETAIL_RING_MAPPING_HPP_INCLUDED
#define SHAREMAP_DETAIL_RING_MAPPING_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/channel_options.hpp"
#include "sharemap/detail/channel.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/platform_win32.hpp"
#include "sharemap/detail/win32.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/file_mapping.hpp"
#include "sharemap/mapped_view.hpp"
#include "sharemap/name_view.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <new>
#include <system_error>
#include <utility>

namespace sharemap::detail {

/// How a process mapped a channel's ring.
enum class RingMode {
    none,         ///< not mapped
    placeholders, ///< twice, with VirtualAlloc2 + MapViewOfFile3 (path a)
    reserved,     ///< twice, at an address found free with VirtualAlloc (path b)
    wrap_markers, ///< once; records never cross the end (path c)
};

/// Tests only: channels this process creates from now on use the wrap-marker mode (path c), as when no double
/// mapping can be made. Not part of the public interface.
inline std::atomic<bool>& force_wrap_markers() noexcept {
    static std::atomic<bool> forced{false};
    return forced;
}

/// Tests only: skip the placeholder path (a), as on a system that lacks it.
inline std::atomic<bool>& skip_placeholders() noexcept {
    static std::atomic<bool> skipped{false};
    return skipped;
}

/// How many times path (b) looks for a free range before giving up.
inline constexpr int ring_map_attempts = 16;

/// The ring's views in this process. Move-only; unmaps them when it goes.
class RingMapping {
public:
    RingMapping() noexcept = default;
    RingMapping(RingMapping&& other) noexcept
        : first_(std::move(other.first_)),
          second_(std::move(other.second_)), raw_{std::exchange(other.raw_[0], nullptr),
                                                  std::exchange(other.raw_[1], nullptr)},
          data_(std::exchange(other.data_, nullptr)), mode_(std::exchange(other.mode_, RingMode::none)) {}
    RingMapping& operator=(RingMapping&& other) noexcept {
        if (this != &other) {
            reset();
            first_ = std::move(other.first_);
            second_ = std::move(other.second_);
            raw_[0] = std::exchange(other.raw_[0], nullptr);
            raw_[1] = std::exchange(other.raw_[1], nullptr);
            data_ = std::exchange(other.data_, nullptr);
            mode_ = std::exchange(other.mode_, RingMode::none);
        }
        return *this;
    }
    RingMapping(const RingMapping&) = delete;
    RingMapping& operator=(const RingMapping&) = delete;
    ~RingMapping() { reset(); }

    /// The ring's first byte; with a double mapping, the ring's bytes continue at data() + capacity.
    [[nodiscard]] std::byte* data() const noexcept { return data_; }
    [[nodiscard]] RingMode mode() const noexcept { return mode_; }

    /// Unmaps every view.
    void reset() noexcept {
        const win32::LastErrorPreserver keep;
        for (void*& v : raw_) {
            if (v != nullptr) {
                ::UnmapViewOfFile(v);
                v = nullptr;
            }
        }
        second_ = MappedView();
        first_ = MappedView();
        data_ = nullptr;
        mode_ = RingMode::none;
    }

    /// Maps `capacity` bytes at `offset` of `section` twice back to back: path (a), then (b).
    /// \errors the last mapping error (errc::not_enough_memory, errc::invalid_address, ...).
    [[nodiscard]] static RingMapping map_double(const FileMapping& section, std::uint64_t offset, std::size_t capacity,
                                                std::error_code& ec) noexcept {
        RingMapping r;
        if (!skip_placeholders().load(std::memory_order_relaxed) && r.map_placeholders(section, offset, capacity)) {
            ec.clear();
            return r;
        }
        for (int attempt = 0; attempt < ring_map_attempts; ++attempt) {
            if (r.map_reserved(section, offset, capacity, ec)) {
                return r;
            }
        }
        return {};
    }

    /// Maps `capacity` bytes at `offset` of `section` once (path c). \errors as FileMapping::map.
    [[nodiscard]] static RingMapping map_single(const FileMapping& section, std::uint64_t offset, std::size_t capacity,
                                                std::error_code& ec) noexcept {
        RingMapping r;
        r.first_ = section.map(Access::read_write, offset, capacity, ec);
        if (ec) {
            return {};
        }
        r.data_ = r.first_.data();
        r.mode_ = RingMode::wrap_markers;
        return r;
    }

private:
    static constexpr win32::dword_t mem_reserve = 0x00002000;
    static constexpr win32::dword_t mem_release = 0x00008000;
    static constexpr win32::dword_t mem_reserve_placeholder = 0x00040000;
    static constexpr win32::dword_t mem_replace_placeholder = 0x00004000;
    static constexpr win32::dword_t mem_preserve_placeholder = 0x00000002;
    static constexpr win32::dword_t page_noaccess = 0x01;

    using VirtualAllocFn = void*(__stdcall*)(void*, win32::size_type, win32::dword_t, win32::dword_t);
    using VirtualFreeFn = int(__stdcall*)(void*, win32::size_type, win32::dword_t);
    using VirtualAlloc2Fn = void*(__stdcall*)(void*, void*, win32::size_type, win32::dword_t, win32::dword_t, void*,
                                              win32::dword_t);
    using MapViewOfFile3Fn = void*(__stdcall*)(void*, void*, void*, std::uint64_t, win32::size_type, win32::dword_t,
                                               win32::dword_t, void*, win32::dword_t);

    /// An export of kernelbase.dll (or kernel32.dll), looked up once; nullptr if this system lacks it. Both DLLs are
    /// loaded into every process before its code runs: GetModuleHandleW finds them and nothing is loaded.
    template <class Fn>
    static Fn kernel_function(const wchar_t* module, const char* name) noexcept {
        const win32::LastErrorPreserver keep;
        return reinterpret_cast<Fn>(reinterpret_cast<void*>(::GetProcAddress(::GetModuleHandleW(module), name)));
    }
    static VirtualFreeFn virtual_free() noexcept {
        static const auto fn = kernel_function<VirtualFreeFn>(L"kernel32.dll", "VirtualFree");
        return fn;
    }

    // Path (a). Windows only, untested here (Wine 8 has neither function): written to the documented contract.
    bool map_placeholders(const FileMapping& section, std::uint64_t offset, std::size_t capacity) noexcept {
        static const auto alloc2 = kernel_function<VirtualAlloc2Fn>(L"kernelbase.dll", "VirtualAlloc2");
        static const auto map3 = kernel_function<MapViewOfFile3Fn>(L"kernelbase.dll", "MapViewOfFile3");
        const VirtualFreeFn free = virtual_free();
        if (alloc2 == nullptr || map3 == nullptr || free == nullptr) {
            return false;
        }
        const win32::LastErrorPreserver keep;
        auto* base = static_cast<std::byte*>(alloc2(nullptr, nullptr, 2 * static_cast<win32::size_type>(capacity),
                                                    mem_reserve | mem_reserve_placeholder, page_noaccess, nullptr, 0));
        if (base == nullptr) {
            return false;
        }
        // Split the placeholder in two halves of `capacity` bytes; each half is then replaced by a view.
        if (free(base, capacity, mem_release | mem_preserve_placeholder) == 0) {
            free(base, 0, mem_release);
            return false;
        }
        void* process = ::GetCurrentProcess();
        raw_[0] = map3(section.native_handle(), process, base, offset, capacity, mem_replace_placeholder,
                       win32::page_readwrite, nullptr, 0);
        if (raw_[0] == nullptr) {
            free(base, 0, mem_release);
            free(base + capacity, 0, mem_release);
            return false;
        }
        raw_[1] = map3(section.native_handle(), process, base + capacity, offset, capacity, mem_replace_placeholder,
                       win32::page_readwrite, nullptr, 0);
        if (raw_[1] == nullptr) {
            ::UnmapViewOfFile(raw_[0]); // a view that replaced a placeholder goes with its range
            raw_[0] = nullptr;
            free(base + capacity, 0, mem_release);
            return false;
        }
        data_ = base;
        mode_ = RingMode::placeholders;
        return true;
    }

    // Path (b): one attempt.
    bool map_reserved(const FileMapping& section, std::uint64_t offset, std::size_t capacity,
                      std::error_code& ec) noexcept {
        static const auto alloc = kernel_function<VirtualAllocFn>(L"kernel32.dll", "VirtualAlloc");
        const VirtualFreeFn free = virtual_free();
        if (alloc == nullptr || free == nullptr) {
            ec = detail::error(errc::not_enough_memory);
            return false;
        }
        auto* base = static_cast<std::byte*>(
            alloc(nullptr, 2 * static_cast<win32::size_type>(capacity), mem_reserve, page_noaccess));
        if (base == nullptr) {
            ec = last_error();
            return false;
        }
        free(base, 0, mem_release);
        first_ = section.map_at(base, Access::read_write, offset, capacity, ec);
        if (!ec) {
            second_ = section.map_at(base + capacity, Access::read_write, offset, capacity, ec);
        }
        if (ec) { // another thread took part of the range meanwhile
            second_ = MappedView();
            first_ = MappedView();
            return false;
        }
        data_ = base;
        mode_ = RingMode::reserved;
        return true;
    }

    MappedView first_;
    MappedView second_;
    void* raw_[2] = {nullptr, nullptr}; // path (a)'s views
    std::byte* data_ = nullptr;
    RingMode mode_ = RingMode::none;
};

/// How a channel section is reached.
enum class ChannelOpen { create, open, create_or_open };

/// A channel's section as one process maps it: the section, its header's view and the ring. Move-only.
class ChannelSection {
public:
    /// How long an opener waits at most for the header of a section that another process holds: its creator is
    /// writing it (a few mappings), or the section is not a channel (zero bytes where the header would be).
    static constexpr auto header_wait = std::chrono::seconds(5);

    ChannelSection() noexcept = default;
    ChannelSection(ChannelSection&& other) noexcept
        : mapping_(std::move(other.mapping_)), header_view_(std::move(other.header_view_)),
          views_(std::move(other.views_)), ring_(std::exchange(other.ring_, channel::Ring())) {}
    ChannelSection& operator=(ChannelSection&& other) noexcept {
        if (this != &other) {
            reset();
            mapping_ = std::move(other.mapping_);
            header_view_ = std::move(other.header_view_);
            views_ = std::move(other.views_);
            ring_ = std::exchange(other.ring_, channel::Ring());
        }
        return *this;
    }
    ChannelSection(const ChannelSection&) = delete;
    ChannelSection& operator=(const ChannelSection&) = delete;
    ~ChannelSection() = default;

    [[nodiscard]] explicit operator bool() const noexcept { return ring_.header != nullptr; }
    [[nodiscard]] const channel::Ring& ring() const noexcept { return ring_; }
    [[nodiscard]] channel::Header& header() const noexcept { return *ring_.header; }
    [[nodiscard]] bool existed() const noexcept { return mapping_.existed(); }
    [[nodiscard]] RingMode mode() const noexcept { return views_.mode(); }

    /// Unmaps and closes everything.
    void reset() noexcept {
        ring_ = channel::Ring();
        views_.reset();
        header_view_ = MappedView();
        mapping_ = FileMapping();
    }

    /// Makes, opens or makes-or-opens the channel `name`. `capacity` and `options` are a creator's.
    /// \errors errc::invalid_argument (capacity 0 or above 4 GiB; in a 32-bit process above 2 GiB - 64 KiB),
    /// errc::incompatible_layout (not a channel, or another layout version), errc::peer_dead (its creator ended
    /// before it wrote the header), errc::size_too_small (create_or_open: an existing ring smaller than `capacity`),
    /// errc::not_enough_memory (an existing ring too large for this process to map: above 2 GiB - 64 KiB in a
    /// 32-bit one), as FileMapping::create / open, and the ring's mapping errors.
    [[nodiscard]] static ChannelSection make(NameView name, ChannelOpen how, std::size_t capacity,
                                             const ChannelOptions& options, std::error_code& ec) noexcept {
        ChannelSection s;
        const std::uint64_t wanted = how == ChannelOpen::open ? 0 : channel::round_capacity(capacity);
        if (how != ChannelOpen::open && (capacity == 0 || wanted == 0)) {
            ec = errc_error(std::errc::invalid_argument);
            return {};
        }
        const std::uint64_t section_size = channel::ring_offset + wanted;
        switch (how) {
        case ChannelOpen::create:
            s.mapping_ = FileMapping::create(name, section_size, options.create_, ec);
            break;
        case ChannelOpen::open:
            s.mapping_ = FileMapping::open(name, Access::read_write, ec);
            break;
        case ChannelOpen::create_or_open:
        default:
            s.mapping_ = FileMapping::create_or_open(name, section_size, options.create_, ec);
            break;
        }
        if (!ec) {
            if (how == ChannelOpen::open || s.mapping_.existed()) {
                s.open_existing(wanted, ec);
            } else {
                s.initialise(wanted, options.multiple_senders(), ec);
            }
        }
        if (ec) {
            return {};
        }
        return s;
    }

private:
    bool map_header(std::error_code& ec) noexcept {
        header_view_ = mapping_.map(Access::read_write, 0, sizeof(channel::Header), ec);
        return !ec;
    }

    // The Header in the view. No expression of this process created a Header object at that address (another
    // process wrote it, or this one will into the zero bytes of a section just made, which are a Header's initial
    // state), and the view's bytes are not pointer-interconvertible with one: reinterpret_cast alone yields a
    // pointer whose value is still "the view's first byte", and accessing Header fields through it would not be
    // accessing a Header. std::launder yields a pointer to the Header lying at that address, which the code then
    // takes to exist there (the magic and valid() check it in an opener). It creates nothing and costs nothing.
    channel::Header* header_at_view() const noexcept {
        return std::launder(reinterpret_cast<channel::Header*>(header_view_.data()));
    }

    void set_ring(std::byte* bytes) noexcept { ring_ = channel::ring_of(*header_at_view(), bytes); }

    // The creator: map, then publish the header (magic last).
    void initialise(std::uint64_t capacity, bool multiple, std::error_code& ec) noexcept {
        if (!map_header(ec)) {
            return;
        }
        const bool forced = force_wrap_markers().load(std::memory_order_relaxed);
        if (!forced) {
            views_ = RingMapping::map_double(mapping_, channel::ring_offset, static_cast<std::size_t>(capacity), ec);
        }
        if (forced || ec) {
            views_ = RingMapping::map_single(mapping_, channel::ring_offset, static_cast<std::size_t>(capacity), ec);
        }
        if (ec) {
            return;
        }
        channel::initialise(*header_at_view(), capacity, multiple, views_.mode() == RingMode::wrap_markers);
        set_ring(views_.data());
    }

    // An opener: check the size, wait for the header, check it, map the ring as the header says. While the header is
    // unwritten, the creator holds a handle to the section until it has written it; once this process's handle is
    // the only one, nobody can write it any more: the creator ended first (peer_dead). While another process holds
    // a handle it may be the creator (or only another opener, or the owner of a section that is not a channel:
    // the handle count cannot tell), and the opener waits header_wait at most.
    void open_existing(std::uint64_t wanted, std::error_code& ec) noexcept {
        const std::uint64_t size = mapping_.size(ec);
        if (ec) {
            return;
        }
        if (size < channel::ring_offset + channel::capacity_unit) {
            ec = error(errc::incompatible_layout); // too small to be a channel
            return;
        }
        if (!map_header(ec)) {
            return;
        }
        const channel::Header* h = header_at_view();
        const auto give_up = std::chrono::steady_clock::now() + header_wait;
        while (h->magic.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < give_up) {
            // The creator writes the header before it closes its handle: magic is read again after the count.
            if (Win32Platform::handle_count(mapping_.native_handle()) == 1 &&
                h->magic.load(std::memory_order_acquire) == 0) {
                ec = error(errc::peer_dead);
                return;
            }
            // Its creator is writing it: wait 1 ms (a wait on our own process, which never ends, is a sleep
            // without <thread>, whose C++20 form breaks with <windows.h>'s min and max macros).
            ::WaitForSingleObject(::GetCurrentProcess(), 1);
        }
        if (!channel::valid(*h, size)) {
            ec = error(errc::incompatible_layout);
            return;
        }
        const std::uint64_t capacity = h->capacity.load(std::memory_order_relaxed);
        if (!channel::mappable(capacity)) {
            ec = error(errc::not_enough_memory); // a 32-bit process: twice the ring is more than its address space
            return;
        }
        if (capacity < wanted) {
            ec = error(errc::size_too_small);
            return;
        }
        if ((h->flags.load(std::memory_order_relaxed) & channel::flag_wrap_markers) != 0) {
            views_ = RingMapping::map_single(mapping_, channel::ring_offset, static_cast<std::size_t>(capacity), ec);
        } else {
            views_ = RingMapping::map_double(mapping_, channel::ring_offset, static_cast<std::size_t>(capacity), ec);
        }
        if (!ec) {
            set_ring(views_.data());
        }
    }

    FileMapping mapping_;
    MappedView header_view_;
    RingMapping views_;
    channel::Ring ring_;
};

/// The error of a channel operation's status: cleared for ok, timed_out and ended (which the caller reports as an
/// empty result). \returns true for ok.
inline bool channel_result(channel::Status s, std::error_code& ec) noexcept {
    switch (s) {
    case channel::Status::ok:
        ec.clear();
        return true;
    case channel::Status::peer_dead:
        ec = error(errc::peer_dead);
        return false;
    case channel::Status::broken_pipe:
        ec = error(errc::broken_pipe);
        return false;
    case channel::Status::end_in_use:
        ec = error(errc::end_in_use);
        return false;
    case channel::Status::would_deadlock:
        ec = errc_error(std::errc::resource_deadlock_would_occur);
        return false;
    case channel::Status::timed_out:
    case channel::Status::ended:
    default:
        ec.clear();
        return false;
    }
}

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_RING_MAPPING_HPP_INCLUDED

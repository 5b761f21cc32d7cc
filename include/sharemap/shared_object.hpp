// SPDX-License-Identifier: MIT
// sharemap: SharedObject<T>, a typed object in a named section, constructed exactly once, checked by every process
// that opens it.
#ifndef SHAREMAP_SHARED_OBJECT_HPP_INCLUDED
#define SHAREMAP_SHARED_OBJECT_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/platform_win32.hpp"
#include "sharemap/detail/section_lock.hpp"
#include "sharemap/detail/shared_object.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/file_mapping.hpp"
#include "sharemap/is_shareable.hpp"
#include "sharemap/mapped_view.hpp"
#include "sharemap/name_view.hpp"
#include "sharemap/section_event.hpp"
#include "sharemap/section_mutex.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// The tag (a version of the type, or any number the program chooses) that SharedObject<T> records and checks by
/// default: specialise it when T's meaning changes without its size or alignment changing.
template <class T>
struct shared_object_tag : std::integral_constant<std::uint64_t, 0> {};

/// What a process that waits for a SharedObject does when it finds that the process running init ended first.
enum class OnDeadInitializer {
    reinitialize, ///< zero the object and run init again in this process (only create_or_open has an init)
    report,       ///< fail with errc::peer_dead and leave the object as it is
};

namespace detail::shared_object {

/// The end of an error_code form that takes an optional OnDeadInitializer before `ec`.
struct OnDeadAndEc {
    OnDeadInitializer on_dead;
    std::error_code& ec;
};
/// `..., ec)`: on_dead is OnDeadInitializer::reinitialize.
inline OnDeadAndEc ec_tail(std::error_code& ec) noexcept { return {OnDeadInitializer::reinitialize, ec}; }
/// `..., on_dead, ec)`.
inline OnDeadAndEc ec_tail(OnDeadInitializer on_dead, std::error_code& ec) noexcept { return {on_dead, ec}; }

template <class AlwaysVoid, class... Tail>
struct IsEcTail : std::false_type {};
template <class... Tail>
struct IsEcTail<std::void_t<decltype(ec_tail(std::declval<Tail>()...))>, Tail...> : std::true_type {};
/// True if arguments of these types end an error_code form: `ec`, or `on_dead, ec`.
template <class... Tail>
inline constexpr bool is_ec_tail = IsEcTail<void, Tail...>::value;

} // namespace detail::shared_object

/// Move-only owner of one object of type T (or an array of them, `SharedObject<E[]>`) in a named section that
/// several processes share, with a header before it that says whether it is ready and what type it holds.
///
/// \code
/// struct Config {
///     sharemap::SectionMutex lock;
///     std::uint32_t workers;
///     std::uint64_t counter;
/// };
///
/// auto config = sharemap::SharedObject<Config>::create_or_open("Local\\my-app", [](Config& c) { c.workers = 4; });
/// std::lock_guard<sharemap::SectionMutex> guard(config->lock);
/// ++config->counter;
/// \endcode
///
/// **Exactly once.** The object is constructed (value-initialised, then `init` runs on it) by one process: the
/// creator of the section, which claims the header at once (create never waits). Every other process waits until
/// it is ready; only then does it get the object, after checking the header. **A dead initialiser is noticed**:
/// the header records the initialiser (process and thread id, thread creation time); a waiter sleeps on the
/// initialiser's thread as well as on the ready state, and looks again at least every 100 ms; finding it gone
/// before the object is ready, it either zeroes the object and runs init itself (OnDeadInitializer::reinitialize,
/// the default) or fails with errc::peer_dead (report; open always reports).
/// **A creator that dies before it claims** (between making the section and writing the header) leaves an
/// unclaimed object and nobody to watch. A waiter then lists itself in the header and asks the kernel how many
/// handles the section has (NtQueryObject); once every handle belongs to a listed waiter, nobody who could still
/// initialise the object is left, and it is answered as a dead initialiser is (create_or_open with reinitialize
/// claims it and runs init; open, and create_or_open with report, fail with errc::peer_dead). A process that holds
/// the section through a plain FileMapping counts as one that may still initialise it. At most 16 threads are
/// listed at a time; beyond, the others wait for their deadline.
/// **An init that throws** gives the claim back: the object is zeroed and unclaimed again, the exception
/// propagates, and the next create_or_open (or a waiting one) runs init instead.
///
/// **Layout checked.** The header records sizeof, alignof, the count and a tag (shared_object_tag<T>, or the Tag
/// template parameter); a process whose T differs gets errc::incompatible_layout, never a cast.
///
/// **What T may be**: shareable (is_shareable: no virtual functions, a trivial destructor, and trivially copyable or
/// standard-layout, so a plain struct of SectionMutex, atomic and integer members passes as it is; or opted in by a
/// specialisation of is_shareable); trivially destructible (nobody destroys it: it lives as long as the section);
/// default-constructible. Pointers inside T are the program's own business and almost always wrong: each process
/// maps the section at another address. Store offsets instead, or map at a fixed address (FileMapping::map_at) in
/// every process.
///
/// Every operation has a throwing form and a form taking std::error_code&; forms that run `init` propagate its
/// exceptions (and T's default constructor's), so their error_code forms are not noexcept.
template <class T, std::uint64_t Tag = shared_object_tag<std::remove_extent_t<T>>::value>
class [[nodiscard]] SharedObject {
public:
    /// The type of the object, or of one element for `SharedObject<E[]>`.
    using element_type = std::remove_extent_t<T>;

private:
    static constexpr bool is_array = std::is_array_v<T>;
    static_assert(!is_array || std::extent_v<T> == 0, "use SharedObject<E[]> for an array: the count is chosen at "
                                                      "run time by the process that creates it");
    static_assert(!std::is_array_v<element_type>, "an array of arrays: wrap the inner array in a struct");
    static_assert(is_shareable_v<element_type>,
                  "T lies in memory shared by processes: no virtual functions, a trivial destructor, and trivially "
                  "copyable or standard-layout; or opted in with a specialisation of sharemap::is_shareable<T>");
    static_assert(std::is_trivially_destructible_v<element_type>,
                  "T lies in memory that outlives every process's objects: it must be trivially destructible");
    static_assert(std::is_default_constructible_v<element_type>, "T is value-initialised before init runs");
    static_assert(alignof(element_type) <= 4096, "T's alignment must not exceed a page");

    using Platform = detail::Win32Platform;
    using Found = detail::shared_object::Found;
    static constexpr const char* type_name = "sharemap::SharedObject";
    static constexpr std::uint64_t offset_ = detail::shared_object::object_offset(alignof(element_type));

    // Enables an error_code form of create_or_open or of its timed forms: for a single object, or for an array
    // (`Array`), whose last arguments `Tail` are `on_dead, ec` or `ec` (detail::shared_object::ec_tail).
    template <bool Array, class U, class... Tail>
    using EcForm = std::enable_if_t<std::is_array_v<U> == Array && detail::shared_object::is_ec_tail<Tail...>, int>;

public:
    /// An empty SharedObject: owns nothing; get() is nullptr.
    SharedObject() noexcept = default;
    /// Takes over `other`'s section and view; `other` becomes empty.
    SharedObject(SharedObject&& other) noexcept
        : mapping_(std::move(other.mapping_)), view_(std::move(other.view_)),
          object_(std::exchange(other.object_, nullptr)), count_(std::exchange(other.count_, 0)),
          ran_init_(std::exchange(other.ran_init_, false)) {}
    /// Closes this object's section and view, then takes over `other`'s.
    SharedObject& operator=(SharedObject&& other) noexcept {
        if (this != &other) {
            view_ = std::move(other.view_);
            mapping_ = std::move(other.mapping_);
            object_ = std::exchange(other.object_, nullptr);
            count_ = std::exchange(other.count_, 0);
            ran_init_ = std::exchange(other.ran_init_, false);
        }
        return *this;
    }
    SharedObject(const SharedObject&) = delete;
    SharedObject& operator=(const SharedObject&) = delete;
    /// Unmaps the view and closes the section's handle; the object lives on while another process maps it.
    ~SharedObject() = default;

    // ---- single objects ----------------------------------------------------------------------------------------
    // The error_code forms of create_or_open and its timed forms take `on_dead` before `ec`, or leave it out for
    // OnDeadInitializer::reinitialize: `..., ec)` or `..., on_dead, ec)` (one declaration for both: the pack Tail).

    /// Creates the section and the object, running `init(T&)` on the value-initialised object; fails if the name
    /// is in use. Never waits: the creator claims the object at once (nobody else may claim an object its creator
    /// can still claim), so create has no _for/_until forms. \errors as FileMapping::create
    /// (errc::already_exists); as create_or_open otherwise.
    template <class Init, class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    static SharedObject create(NameView name, Init&& init, std::error_code& ec) {
        return make(name, detail::Disposition::create_new, 1, single(init), OnDeadInitializer::report, forever(), ec);
    }

    /// Creates the section and runs `init(T&)`, or opens it and waits (however long, while the process that can
    /// initialise it lives) until the object is ready; existed() says which. `on_dead`: what to do if the
    /// initialiser ends first, or the section's creator ends before it claimed the object.
    /// \errors errc::incompatible_layout if the object was made with another T (size, alignment, tag) or the
    /// section is not a SharedObject's; errc::peer_dead (with OnDeadInitializer::report); errc::size_too_small if
    /// an unclaimed section someone else made is too small for T; as FileMapping::create_or_open.
    template <class Init, class... Tail, class U = T, EcForm<false, U, Tail...> = 0>
    static SharedObject create_or_open(NameView name, Init&& init, Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, 1, single(init), forever(), on_dead_and_ec...);
    }
    /// As create_or_open, waiting at most `timeout` for the object to be ready. \errors as create_or_open, and
    /// errc::timed_out.
    template <class Init, class Rep, class Period, class... Tail, class U = T, EcForm<false, U, Tail...> = 0>
    static SharedObject create_or_open_for(NameView name, Init&& init,
                                           const std::chrono::duration<Rep, Period>& timeout,
                                           Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, 1, single(init), limit(timeout), on_dead_and_ec...);
    }
    /// As create_or_open, waiting until `deadline` (by `Clock`, read again after each timeout) at the latest.
    /// \errors as create_or_open_for.
    template <class Init, class Clock, class Duration, class... Tail, class U = T, EcForm<false, U, Tail...> = 0>
    static SharedObject create_or_open_until(NameView name, Init&& init,
                                             const std::chrono::time_point<Clock, Duration>& deadline,
                                             Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, 1, single(init), limit(deadline), on_dead_and_ec...);
    }

    // ---- arrays ------------------------------------------------------------------------------------------------

    /// `SharedObject<E[]>`: creates the section with `count` value-initialised elements and runs
    /// `init(E* first, std::size_t count)`; fails if the name is in use; never waits. \errors
    /// errc::invalid_argument for count 0 or a size that does not fit; as create.
    template <class Init, class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    static SharedObject create(NameView name, std::size_t count, Init&& init, std::error_code& ec) {
        return make(name, detail::Disposition::create_new, count, init, OnDeadInitializer::report, forever(), ec);
    }
    /// `SharedObject<E[]>`: as create_or_open. `count` is used only by the process that initialises the array;
    /// everyone else gets the count the header records (size()).
    template <class Init, class... Tail, class U = T, EcForm<true, U, Tail...> = 0>
    static SharedObject create_or_open(NameView name, std::size_t count, Init&& init, Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, count, init, forever(), on_dead_and_ec...);
    }
    /// `SharedObject<E[]>`: as create_or_open, waiting at most `timeout` for the array to be ready.
    template <class Init, class Rep, class Period, class... Tail, class U = T, EcForm<true, U, Tail...> = 0>
    static SharedObject create_or_open_for(NameView name, std::size_t count, Init&& init,
                                           const std::chrono::duration<Rep, Period>& timeout,
                                           Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, count, init, limit(timeout), on_dead_and_ec...);
    }
    /// `SharedObject<E[]>`: as create_or_open, waiting until `deadline` at the latest.
    template <class Init, class Clock, class Duration, class... Tail, class U = T, EcForm<true, U, Tail...> = 0>
    static SharedObject create_or_open_until(NameView name, std::size_t count, Init&& init,
                                             const std::chrono::time_point<Clock, Duration>& deadline,
                                             Tail&&... on_dead_and_ec) {
        return create_or_open_ec(name, count, init, limit(deadline), on_dead_and_ec...);
    }

    // ---- opening -----------------------------------------------------------------------------------------------

    /// Opens an existing SharedObject section (single or array) and waits (while a process that can initialise it
    /// lives) until the object is ready. Never runs init. \errors errc::not_found if nothing has that name;
    /// errc::peer_dead if the initialiser ended before the object was ready, or the creator before it claimed
    /// the object; errc::incompatible_layout if it holds another T.
    static SharedObject open(NameView name, std::error_code& ec) noexcept {
        return make(name, std::nullopt, 0, no_init, OnDeadInitializer::report, forever(), ec);
    }
    /// As open, waiting at most `timeout` for the object to be ready. \errors as open, and errc::timed_out.
    template <class Rep, class Period>
    static SharedObject open_for(NameView name, const std::chrono::duration<Rep, Period>& timeout,
                                 std::error_code& ec) noexcept {
        return make(name, std::nullopt, 0, no_init, OnDeadInitializer::report, limit(timeout), ec);
    }
    /// As open, waiting until `deadline` at the latest. \errors as open_for.
    template <class Clock, class Duration>
    static SharedObject open_until(NameView name, const std::chrono::time_point<Clock, Duration>& deadline,
                                   std::error_code& ec) noexcept {
        return make(name, std::nullopt, 0, no_init, OnDeadInitializer::report, limit(deadline), ec);
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, init, ec).
    template <class Init, class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    static SharedObject create(NameView name, Init&& init) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(__func__), create(name, init, ec));
    }
    /// Throwing form of create_or_open(name, init, on_dead, ec).
    template <class Init, class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open(NameView name, Init&& init,
                                       OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, 1, single(init), forever(), on_dead);
    }
    /// Throwing form of create_or_open_for(name, init, timeout, on_dead, ec).
    template <class Init, class Rep, class Period, class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open_for(NameView name, Init&& init,
                                           const std::chrono::duration<Rep, Period>& timeout,
                                           OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, 1, single(init), limit(timeout), on_dead);
    }
    /// Throwing form of create_or_open_until(name, init, deadline, on_dead, ec).
    template <class Init, class Clock, class Duration, class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open_until(NameView name, Init&& init,
                                             const std::chrono::time_point<Clock, Duration>& deadline,
                                             OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, 1, single(init), limit(deadline), on_dead);
    }
    /// Throwing form of create(name, count, init, ec) for `SharedObject<E[]>`.
    template <class Init, class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    static SharedObject create(NameView name, std::size_t count, Init&& init) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(__func__), create(name, count, init, ec));
    }
    /// Throwing form of create_or_open(name, count, init, on_dead, ec) for `SharedObject<E[]>`.
    template <class Init, class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open(NameView name, std::size_t count, Init&& init,
                                       OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, count, init, forever(), on_dead);
    }
    /// Throwing form of create_or_open_for(name, count, init, timeout, on_dead, ec) for `SharedObject<E[]>`.
    template <class Init, class Rep, class Period, class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open_for(NameView name, std::size_t count, Init&& init,
                                           const std::chrono::duration<Rep, Period>& timeout,
                                           OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, count, init, limit(timeout), on_dead);
    }
    /// Throwing form of create_or_open_until(name, count, init, deadline, on_dead, ec) for `SharedObject<E[]>`.
    template <class Init, class Clock, class Duration, class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    static SharedObject create_or_open_until(NameView name, std::size_t count, Init&& init,
                                             const std::chrono::time_point<Clock, Duration>& deadline,
                                             OnDeadInitializer on_dead = OnDeadInitializer::reinitialize) {
        return create_or_open_or_throw(__func__, name, count, init, limit(deadline), on_dead);
    }
    /// Throwing form of open(name, ec).
    static SharedObject open(NameView name) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(__func__), open(name, ec));
    }
    /// Throwing form of open_for(name, timeout, ec).
    template <class Rep, class Period>
    static SharedObject open_for(NameView name, const std::chrono::duration<Rep, Period>& timeout) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(__func__), open_for(name, timeout, ec));
    }
    /// Throwing form of open_until(name, deadline, ec).
    template <class Clock, class Duration>
    static SharedObject open_until(NameView name, const std::chrono::time_point<Clock, Duration>& deadline) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(__func__), open_until(name, deadline, ec));
    }
#endif

    // ---- access ------------------------------------------------------------------------------------------------

    /// The object (the first element of an array); nullptr if empty.
    [[nodiscard]] element_type* get() const noexcept { return object_; }
    /// The object. Undefined if empty.
    template <class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    [[nodiscard]] element_type& operator*() const noexcept {
        return *object_;
    }
    /// The object's members. Undefined if empty.
    template <class U = T, std::enable_if_t<!std::is_array_v<U>, int> = 0>
    [[nodiscard]] element_type* operator->() const noexcept {
        return object_;
    }
    /// Element `i` of an array (unchecked).
    template <class U = T, std::enable_if_t<std::is_array_v<U>, int> = 0>
    [[nodiscard]] element_type& operator[](std::size_t i) const noexcept {
        return object_[i];
    }
    /// The number of elements: the count the header records (1 for a single object, 0 if empty).
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    /// True if this owns an object.
    explicit operator bool() const noexcept { return object_ != nullptr; }
    /// True if the section existed before this process's create_or_open (false after create, true after open).
    [[nodiscard]] bool existed() const noexcept { return mapping_.existed(); }
    /// True if init ran in this process: it claimed the object (normally as the creator), or took over from a dead
    /// initialiser.
    [[nodiscard]] bool ran_init() const noexcept { return ran_init_; }
    /// How many times init started on this object: 1, plus one per initialiser that died or threw before finishing.
    [[nodiscard]] std::uint32_t generation() const noexcept {
        return object_ != nullptr ? header().generation.load(std::memory_order_relaxed) : 0;
    }
    /// The section (to duplicate it into another process, for instance).
    [[nodiscard]] const FileMapping& mapping() const noexcept { return mapping_; }

private:
    // init adapters: every init is called as init(first, count).
    template <class Init>
    struct Single {
        Init& init;
        void operator()(element_type* first, std::size_t) const { init(*first); }
    };
    template <class Init>
    static Single<Init> single(Init& init) noexcept {
        return Single<Init>{init};
    }
    struct NoInit {
        void operator()(element_type*, std::size_t) const noexcept {}
    };
    static constexpr NoInit no_init{};

    // Wait strategies (forever(), limit(timeout), limit(deadline)): each calls wait(steady deadline) once or, for a
    // deadline of another clock, until it passes.
    struct Forever {
        template <class Wait>
        Found operator()(Wait& wait) const {
            return wait((std::chrono::steady_clock::time_point::max)());
        }
    };
    static Forever forever() noexcept { return {}; }
    struct Within {
        std::chrono::steady_clock::time_point deadline;
        template <class Wait>
        Found operator()(Wait& wait) const {
            return wait(deadline);
        }
    };
    template <class Rep, class Period>
    static Within limit(const std::chrono::duration<Rep, Period>& timeout) noexcept {
        return {detail::section_lock::steady_deadline(timeout)};
    }
    template <class Clock, class Duration>
    struct Until {
        std::chrono::time_point<Clock, Duration> deadline;
        template <class Wait>
        Found operator()(Wait& wait) const {
            Found found = Found::timed_out;
            detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
                found = wait(steady);
                return found != Found::timed_out;
            });
            return found;
        }
    };
    template <class Clock, class Duration>
    static Until<Clock, Duration> limit(const std::chrono::time_point<Clock, Duration>& deadline) noexcept {
        return {deadline};
    }

    // What the last incompatible_layout of this thread found, for the throwing forms' what(): a fixed buffer, so
    // that the error_code forms stay noexcept and allocate nothing.
    static char* layout_note() noexcept {
        static thread_local char note[192] = {};
        return note;
    }
    static void note_layout(const char* found) noexcept {
        const detail::shared_object::Layout want = expected(is_array ? 0 : 1);
        (void)std::snprintf(layout_note(), 192, ": found %s; expected sizeof %llu, alignof %llu, tag %llu%s", found,
                            static_cast<unsigned long long>(want.size), static_cast<unsigned long long>(want.align),
                            static_cast<unsigned long long>(want.tag), is_array ? ", any count" : ", count 1");
    }
    static void note_layout(const detail::shared_object::Layout& found) noexcept {
        char text[96];
        (void)std::snprintf(text, sizeof text, "sizeof %llu, alignof %llu, tag %llu, count %llu",
                            static_cast<unsigned long long>(found.size), static_cast<unsigned long long>(found.align),
                            static_cast<unsigned long long>(found.tag), static_cast<unsigned long long>(found.count));
        note_layout(text);
    }

#if SHAREMAP_HAS_EXCEPTIONS
    // The message of a failed throwing form (SHAREMAP_DETAIL_OR_THROW_AS): "SharedObject::member", with both layouts
    // when the error is incompatible_layout (the only error that leaves a note: make clears it first).
    static auto layout_call(const char* member) noexcept {
        return [member](const std::error_code& ec) {
            return detail::error_text(std::string(type_name) + "::" + member + layout_note(), detail::Subject::object,
                                      NameView(std::string_view()), ec);
        };
    }
#endif

    detail::shared_object::ObjectHeader& header() const noexcept {
        return *std::launder(reinterpret_cast<detail::shared_object::ObjectHeader*>(view_.data()));
    }

    static detail::shared_object::Layout expected(std::size_t count) noexcept {
        return {sizeof(element_type), alignof(element_type), Tag, count};
    }

    // Zeroes the object's bytes and gives the claim back if init throws.
    struct ClaimGuard {
        detail::shared_object::ObjectHeader* header;
        std::byte* bytes;
        std::size_t length;
        ClaimGuard(detail::shared_object::ObjectHeader* h, std::byte* b, std::size_t n) noexcept
            : header(h), bytes(b), length(n) {}
        ClaimGuard(const ClaimGuard&) = delete;
        ClaimGuard& operator=(const ClaimGuard&) = delete;
        ClaimGuard(ClaimGuard&&) = delete;
        ClaimGuard& operator=(ClaimGuard&&) = delete;
        ~ClaimGuard() {
            if (header != nullptr) {
                std::memset(bytes, 0, length);
                detail::shared_object::give_back<Platform>(*header);
            }
        }
    };

    // The error_code forms of create_or_open and its timed forms, whatever `wait`: `tail` is `on_dead, ec` or `ec`.
    template <class Init, class Wait, class... Tail>
    static SharedObject create_or_open_ec(NameView name, std::size_t count, Init&& init, const Wait& wait,
                                          Tail&&... tail) {
        const detail::shared_object::OnDeadAndEc end = detail::shared_object::ec_tail(tail...);
        return make(name, detail::Disposition::create_or_open, count, init, end.on_dead, wait, end.ec);
    }

#if SHAREMAP_HAS_EXCEPTIONS
    // The throwing forms of create_or_open and its timed forms, whatever `wait`; `member` is the form called.
    template <class Init, class Wait>
    static SharedObject create_or_open_or_throw(const char* member, NameView name, std::size_t count, Init&& init,
                                                const Wait& wait, OnDeadInitializer on_dead) {
        return SHAREMAP_DETAIL_OR_THROW_AS(layout_call(member),
                                           create_or_open_ec(name, count, init, wait, on_dead, ec));
    }
#endif

    // Every operation: make or open the section, map it whole, then claim-and-construct or wait-and-check.
    // `disposition` is empty for open. `count` is the creator's element count (0 for open).
    template <class Init, class Wait>
    static SharedObject make(NameView name, std::optional<detail::Disposition> disposition, std::size_t count,
                             Init&& init, OnDeadInitializer on_dead, const Wait& wait, std::error_code& ec) {
        layout_note()[0] = '\0'; // first, so that no error of this call shows an earlier call's layouts
        const std::uint64_t max_count = ((std::numeric_limits<std::uint64_t>::max)() - offset_) / sizeof(element_type);
        if (disposition && (count == 0 || count > max_count)) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return {};
        }
        const std::uint64_t wanted = offset_ + sizeof(element_type) * static_cast<std::uint64_t>(count);
        SharedObject result;
        if (!disposition) {
            result.mapping_ = FileMapping::open(name, Access::read_write, ec);
        } else if (*disposition == detail::Disposition::create_new) {
            result.mapping_ = FileMapping::create(name, wanted, ec);
        } else {
            result.mapping_ = FileMapping::create_or_open(name, wanted, ec);
        }
        if (!ec) {
            result.view_ = result.mapping_.map(Access::read_write, 0, 0, ec);
        }
        if (ec) {
            return {};
        }
        if (result.view_.size() < sizeof(detail::shared_object::ObjectHeader)) {
            note_layout("a section too small for a SharedObject header");
            ec = detail::error(errc::incompatible_layout); // too small to be a SharedObject's
            return {};
        }
        detail::shared_object::ObjectHeader& h = result.header();
        using detail::shared_object::Role;
        const Role role = !disposition ? Role::opener : result.mapping_.existed() ? Role::joiner : Role::creator;
        const bool reclaim = role != Role::opener && on_dead == OnDeadInitializer::reinitialize;
        detail::win32::handle_t section = result.mapping_.native_handle();
        // A handle to the section is held by every process that could still claim a never-claimed object.
        auto holders = [section]() noexcept { return std::uint64_t{Platform::handle_count(section)}; };
        auto attempt = [&](std::chrono::steady_clock::time_point deadline) {
            return detail::shared_object::acquire<Platform>(h, role, reclaim, deadline, holders);
        };
        const Found found = wait(attempt);
        switch (found) {
        case Found::claimed:
        case Found::reclaimed: {
            if (result.view_.size() < wanted) { // an unclaimed section someone else made, too small
                detail::shared_object::give_back<Platform>(h);
                ec = detail::error(errc::size_too_small);
                return {};
            }
            const auto length = static_cast<std::size_t>(wanted - offset_);
            std::byte* bytes = result.view_.data() + offset_;
            ClaimGuard guard{&h, bytes, length};
            if (found == Found::reclaimed) {
                std::memset(bytes, 0, length); // whatever the dead initialiser left
            }
            auto* first = reinterpret_cast<element_type*>(bytes);
            for (std::size_t i = 0; i < count; ++i) {
                ::new (static_cast<void*>(first + i)) element_type();
            }
            first = std::launder(first);
            init(first, count);
            guard.header = nullptr;
            detail::shared_object::publish<Platform>(h, expected(count));
            result.object_ = first;
            result.count_ = count;
            result.ran_init_ = true;
            ec.clear();
            return result;
        }
        case Found::ready: {
            const detail::shared_object::Layout found_layout = detail::shared_object::recorded(h);
            const std::uint64_t space = result.view_.size() - offset_;
            if (!detail::shared_object::matches(h, expected(is_array ? 0 : 1)) || found_layout.count == 0 ||
                found_layout.count > space / sizeof(element_type)) {
                if (h.magic.load(std::memory_order_relaxed) == detail::shared_object::magic) {
                    note_layout(found_layout);
                } else {
                    note_layout("no SharedObject header");
                }
                ec = detail::error(errc::incompatible_layout);
                return {};
            }
            result.object_ = std::launder(reinterpret_cast<element_type*>(result.view_.data() + offset_));
            result.count_ = static_cast<std::size_t>(found_layout.count);
            ec.clear();
            return result;
        }
        case Found::timed_out:
            ec = detail::error(errc::timed_out);
            return {};
        case Found::peer_dead:
            ec = detail::error(errc::peer_dead);
            return {};
        case Found::would_deadlock:
            ec = detail::errc_error(std::errc::resource_deadlock_would_occur);
            return {};
        case Found::bad_header:
        default:
            note_layout("no SharedObject header");
            ec = detail::error(errc::incompatible_layout);
            return {};
        }
    }

    FileMapping mapping_;
    MappedView view_;
    element_type* object_ = nullptr;
    std::size_t count_ = 0;
    bool ran_init_ = false;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_SHARED_OBJECT_HPP_INCLUDED

// SPDX-License-Identifier: MIT
// sharemap: ProcessArgument, one argument of a child's command line: text, or a handle the child inherits.
#ifndef SHAREMAP_PROCESS_ARGUMENT_HPP_INCLUDED
#define SHAREMAP_PROCESS_ARGUMENT_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/name_view.hpp"

#include <utility>

namespace sharemap {

class ProcessArgument;

/// An argument that passes `handle` to the child: Process::start makes an inheritable duplicate of it for the
/// child alone and writes that duplicate's value, in decimal, in place of this argument. `handle` itself is not
/// changed (it need not be inheritable) and no other process gets it.
ProcessArgument inherited(void* handle) noexcept;

/// One argument for Process::start: a text (anything a NameView is made from: `"text"`, `std::string`,
/// `std::wstring`, `std::filesystem::path`, ...), or a handle to pass to the child, made by sharemap::inherited().
///
/// Like NameView it refers to the text, which must outlive the start() call; a handle argument holds only the
/// handle value. A runtime list is a `std::vector<ProcessArgument>` (or any range of strings).
class ProcessArgument {
public:
    /// A text argument. An empty text is passed as `""`, so the child still sees an (empty) argument.
    template <class Text, class = decltype(NameView(std::declval<const Text&>()))>
    ProcessArgument(const Text& text) noexcept : text_(text) {}

    /// True if this argument stands for an inherited handle (made by inherited()).
    bool is_inherited() const noexcept { return is_inherited_; }
    /// The handle to pass, for an inherited argument; nullptr otherwise.
    void* handle() const noexcept { return handle_; }
    /// The text, for a text argument; empty otherwise.
    NameView text() const noexcept { return text_; }

private:
    friend ProcessArgument inherited(void* handle) noexcept;
    struct HandleTag {};
    ProcessArgument(HandleTag, void* handle) noexcept : text_(""), handle_(handle), is_inherited_(true) {}

    NameView text_;
    void* handle_ = nullptr;
    bool is_inherited_ = false;
};

inline ProcessArgument inherited(void* handle) noexcept {
    return ProcessArgument(ProcessArgument::HandleTag{}, handle);
}

/// inherited(object.native_handle()): the handle of a FileMapping, NamedMutex, NamedEvent, NamedSemaphore, File or
/// Process. The object must stay open until Process::start returns.
template <class Object, class = decltype(std::declval<const Object&>().native_handle())>
ProcessArgument inherited(const Object& object) noexcept {
    return inherited(static_cast<void*>(object.native_handle()));
}

} // namespace sharemap

#endif // SHAREMAP_PROCESS_ARGUMENT_HPP_INCLUDED

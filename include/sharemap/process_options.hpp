// SPDX-License-Identifier: MIT
// sharemap: ProcessOptions, how Process::start sets up a child: standard handles and working directory.
#ifndef SHAREMAP_PROCESS_OPTIONS_HPP_INCLUDED
#define SHAREMAP_PROCESS_OPTIONS_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/file.hpp"

#include <filesystem>
#include <optional>
#include <utility>

namespace sharemap {

/// Options for Process::start. By default the child writes to the parent's standard output and error and reads its
/// standard input, and starts in the parent's current directory. Set what you need by chaining:
///
/// \code
/// auto log = sharemap::File::create("child.log");
/// auto child = sharemap::Process::start(program, {"--verbose"},
///                                       sharemap::ProcessOptions().standard_output(log).working_directory(dir));
/// \endcode
///
/// A handle given here is only read when start() runs: it must stay open until then, not longer. Like the handles
/// passed with inherited(), it reaches the child through an inheritable duplicate made for that child alone.
class ProcessOptions {
public:
    /// The child's standard input is `handle` (a file, pipe or console handle); nullptr gives it none.
    ProcessOptions& standard_input(void* handle) noexcept {
        input_ = handle;
        return *this;
    }
    /// The child's standard input is `file`, which must be open (an empty File makes start() fail).
    ProcessOptions& standard_input(const File& file) noexcept { return standard_input(file.native_handle()); }
    /// The handle given for standard input; none if the child gets the parent's.
    std::optional<void*> standard_input() const noexcept { return input_; }

    /// The child's standard output is `handle`; nullptr gives it none.
    ProcessOptions& standard_output(void* handle) noexcept {
        output_ = handle;
        return *this;
    }
    /// The child's standard output is `file`, written from the file's current position (shared with `file`).
    ProcessOptions& standard_output(const File& file) noexcept { return standard_output(file.native_handle()); }
    /// The handle given for standard output; none if the child gets the parent's.
    std::optional<void*> standard_output() const noexcept { return output_; }

    /// The child's standard error is `handle`; nullptr gives it none.
    ProcessOptions& standard_error(void* handle) noexcept {
        error_ = handle;
        return *this;
    }
    /// The child's standard error is `file`.
    ProcessOptions& standard_error(const File& file) noexcept { return standard_error(file.native_handle()); }
    /// The handle given for standard error; none if the child gets the parent's.
    std::optional<void*> standard_error() const noexcept { return error_; }

    /// The child's current directory; empty (the default) for the parent's. It does not change where the program
    /// is looked for: a relative path with a folder in it is taken from the parent's current directory, and a bare
    /// file name is searched for as CreateProcessW does (".exe" added, then the parent program's own folder, the
    /// current directory, the system folders, PATH). Pass an absolute path (Process::current_executable()
    /// .parent_path() / ...) to run exactly the program meant.
    ProcessOptions& working_directory(std::filesystem::path directory) {
        directory_ = std::move(directory);
        return *this;
    }
    /// The child's current directory; empty for the parent's.
    const std::filesystem::path& working_directory() const noexcept { return directory_; }

private:
    std::optional<void*> input_;
    std::optional<void*> output_;
    std::optional<void*> error_;
    std::filesystem::path directory_;
};

} // namespace sharemap

#endif // SHAREMAP_PROCESS_OPTIONS_HPP_INCLUDED

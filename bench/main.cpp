// SPDX-License-Identifier: MIT
// sharemap-bench: sharemap against raw Win32 and Boost.Interprocess, side by side in one run.
//
// Every workload is set up once per variant, then run in rounds. A round runs the same number of operations with
// every variant, in slices of a few milliseconds: each slice runs a handful of operations with each variant in turn,
// in an order shuffled afresh for every slice. So whatever else the machine does (another process, the wineserver's
// state, the page cache) falls on all variants alike, within milliseconds, and no variant always runs first or always
// follows the same other one. One warm-up round is not counted.
// A variant's result for a round is the time of its slices divided by their operations; the report gives, per
// variant, the median and spread over rounds, and per pair of variants the median of the per-round ratios, compared
// with the targets of issue 6: sharemap within 3% of raw Win32, and no slower than Boost.Interprocess.
//
//   sharemap-bench [--out DIR] [--quick] [--rounds N] [--only ID,ID...] [--variants ID,ID...] [--file-mib N]
//                  [--commit TEXT] [--host TEXT]
//   sharemap-bench --trace [--only ID,ID...]     one marked operation per variant, for bench/calls.py
//
// --only keeps the workloads named, --variants the variants named (e.g. --variants zero_copy,memcpy) and the ratios
// between them: partial runs, for a closer look.
//
// writes DIR/results.json and DIR/results.csv (DIR defaults to the current folder) and prints the table. It exits
// non-zero only if something failed, never because a target was missed (noise must not fail a build).
#include "sharemap/sharemap.hpp"

#include "bench.hpp"
#include "win32.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bench {

namespace {
std::wstring temp_file_to_remove; // removed by fail() too, so that a failed run leaves no 1 GiB file behind
} // namespace

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "sharemap-bench: FAILED: %s (last error %lu)\n", what.c_str(), GetLastError());
    std::fflush(nullptr);
    if (!temp_file_to_remove.empty()) {
        DeleteFileW(temp_file_to_remove.c_str());
    }
    // _Exit: other threads (a mutex holder) may be running; children end when they see this process gone.
    std::_Exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Children

struct Child::Impl {
    sharemap::Process process;
};

Child::Child(const std::string& role, const std::string& impl, const std::string& name, std::size_t count)
    : impl_(std::make_unique<Impl>()) {
    const std::string pid = std::to_string(GetCurrentProcessId());
    const std::string n = std::to_string(count);
    std::error_code ec;
    impl_->process = sharemap::Process::start(sharemap::Process::current_executable(),
                                              {"--child", role, impl, pid, name, n}, {}, ec);
    check(!ec, "starting a child process");
}

Child::~Child() {
    std::error_code ec;
    if (!impl_->process.wait_for(std::chrono::seconds(60), ec) || ec) {
        impl_->process.terminate(1, ec);
        fail("a child process did not end");
    }
    const unsigned long code = impl_->process.exit_code(ec);
    check(!ec && code == 0, "a child process failed");
}

namespace {

// Pins the calling thread to one CPU, if the machine has more than that one; returns the previous mask (0 if not
// pinned). The cross-process workloads pin the parent's thread and the children's to different CPUs: left to the
// scheduler, each variant's pair of processes kept a placement of its own for many rounds (parent and child on one
// CPU or on two), and the same raw code measured as two variants differed by up to 13%.
DWORD_PTR pin_to_cpu(unsigned cpu) {
    SYSTEM_INFO si{};
    GetSystemInfo(&si);
    if (si.dwNumberOfProcessors <= cpu) {
        return 0;
    }
    return SetThreadAffinityMask(GetCurrentThread(), DWORD_PTR(1) << cpu);
}

// Ends this child when its parent ends, whatever it is waiting for: a failed parent leaves no process behind.
void watch_parent(unsigned long parent_pid) {
    HANDLE parent = OpenProcess(SYNCHRONIZE, FALSE, parent_pid);
    check(parent != nullptr, "child: OpenProcess(parent)");
    std::thread([parent] {
        WaitForSingleObject(parent, INFINITE);
        std::_Exit(3);
    }).detach();
}

int run_child(int argc, char** argv) {
    check(argc == 7, "child: usage: --child <role> <impl> <parent pid> <name> <count>");
    watch_parent(std::stoul(argv[4]));
    pin_to_cpu(1); // the parent's thread is on CPU 0 meanwhile: see run_workload
    ChildArgs a;
    a.role = argv[2];
    a.impl = argv[3];
    a.name = argv[5];
    a.count = static_cast<std::size_t>(std::stoull(argv[6]));
    if (a.impl == "sharemap") {
        return sharemap_impl::child(a);
    }
    if (a.impl == "raw") {
        return raw_impl::child(a);
    }
    if (a.impl == "section") {
        return section_impl::child(a);
    }
    if (a.impl == "channel") {
        return channel_impl::child(a);
    }
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
    if (a.impl == "boost") {
        return boost_impl::child(a);
    }
    if (a.impl == "boost_section") {
        return boost_section_impl::child(a);
    }
    if (a.impl == "boost_channel") {
        return boost_channel_impl::child(a);
    }
#endif
    fail("child: unknown implementation " + a.impl);
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

struct Stats {
    double median = 0, q1 = 0, q3 = 0, min = 0, max = 0;
};

// Quantiles by linear interpolation between order statistics (as numpy's default).
Stats stats_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
        const double pos = q * static_cast<double>(v.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, v.size() - 1);
        return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
    };
    return {at(0.5), at(0.25), at(0.75), v.front(), v.back()};
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads

enum class Target {
    raw,      // sharemap / raw Win32: the median ratio must be at most 1.03
    boost,    // sharemap / Boost.Interprocess: at most 1.00 (or 1.00 inside the ratios' interquartile range: a tie)
    control,  // raw / raw: the same code measured twice, the noise floor of a ratio
    info,     // a ratio worth reading, with no target
    at_least, // the channel workloads: another way's time / the channel's, at least RatioSpec::limit (a speed-up)
};

struct Variant {
    std::string id;
    std::string label;
    std::string kind; // sharemap, raw, boost, control, baseline
    std::function<Batch(const Setup&)> make;
};

struct RatioSpec {
    std::string numerator, denominator;
    Target target;
    double limit = 0; // Target::at_least
};

struct Workload {
    std::string id;
    std::string title;
    std::size_t ops = 0;     // operations per round and variant
    std::size_t slice = 0;   // ... timed in slices of this many (ops is a multiple)
    std::size_t rounds = 0;  // counted rounds (plus one warm-up)
    double bytes_per_op = 0; // for throughput workloads: GB/s is reported too
    bool pinned = false;     // cross-process: this thread on CPU 0, the children on CPU 1 (see pin_to_cpu)
    // If not 0, each variant's slice is sized to take about this long (measured before the warm-up round), and a
    // round is `ops` such slices (slice is 1). For workloads whose variants differ by orders of magnitude (the
    // channel ones): the same operation count would give the fast ones slices of microseconds, dominated by the
    // wake-up of their child, and the slow ones slices of a second.
    double slice_seconds = 0;
    std::vector<Variant> variants;
    std::vector<RatioSpec> ratios;
};

Workload workload(std::string id, std::string title, std::size_t ops, std::size_t slice, std::size_t rounds,
                  double bytes_per_op = 0) {
    Workload w;
    w.id = std::move(id);
    w.title = std::move(title);
    w.ops = ops;
    w.slice = slice;
    check(slice != 0 && ops % slice == 0, "a workload's operations per round must be whole slices");
    w.rounds = rounds;
    w.bytes_per_op = bytes_per_op;
    return w;
}

// The variants most workloads have: sharemap, raw Win32, and raw Win32 again as the A/A control (the same code as a
// variant of its own: how far apart two runs of one thing come out).
std::vector<Variant> sharemap_and_raw(const std::function<Batch(const Setup&)>& sharemap,
                                      const std::function<Batch(const Setup&)>& raw,
                                      const std::string& sharemap_label = "sharemap",
                                      const std::string& raw_label = "raw Win32") {
    return {{"sharemap", sharemap_label, "sharemap", sharemap},
            {"raw", raw_label, "raw", raw},
            {"raw_aa", raw_label + " (A/A control)", "control", raw}};
}

struct VariantResult {
    const Variant* variant = nullptr;
    std::size_t ops_per_slice = 0;
    std::vector<double> seconds_per_op; // one per counted round
};

struct RatioResult {
    const RatioSpec* spec = nullptr;
    std::vector<double> per_round;
    Stats stats;
    std::string verdict; // "met", "tie", "missed", or "" for control and info
};

struct WorkloadResult {
    const Workload* workload = nullptr;
    std::vector<VariantResult> variants;
    std::vector<RatioResult> ratios;
};

constexpr std::uint32_t order_seed = 20260601;

double now_seconds() {
    static const double frequency = [] {
        LARGE_INTEGER f{};
        QueryPerformanceFrequency(&f);
        return static_cast<double>(f.QuadPart);
    }();
    LARGE_INTEGER t{};
    QueryPerformanceCounter(&t);
    return static_cast<double>(t.QuadPart) / frequency;
}

std::string verdict_for(const RatioSpec& spec, const Stats& s) {
    switch (spec.target) {
    case Target::raw:
        return s.median <= 1.03 ? "met" : "missed";
    case Target::boost:
        return s.median <= 1.0 ? "met" : (s.q1 <= 1.0 ? "tie" : "missed");
    case Target::at_least: // no tie: the channel's targets are met by the median or missed
        return s.median >= spec.limit ? "met" : "missed";
    case Target::control:
    case Target::info:
    default:
        return "";
    }
}

std::string format(const char* fmt, double v);

std::string target_text(const RatioSpec& spec) {
    switch (spec.target) {
    case Target::raw:
        return "target <= 1.03";
    case Target::boost:
        return "target <= 1.00";
    case Target::at_least:
        return format("target >= %g", spec.limit);
    case Target::control:
        return "A/A control: noise";
    case Target::info:
    default:
        return "information";
    }
}

std::string format(const char* fmt, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), fmt, v);
    return buffer;
}

// Per-operation times in the unit that reads best.
std::string duration_text(double seconds) {
    if (seconds >= 1e-1) {
        return format("%.1f ms", seconds * 1e3);
    }
    if (seconds >= 1e-3) {
        return format("%.2f ms", seconds * 1e3);
    }
    return format("%.2f us", seconds * 1e6);
}

WorkloadResult run_workload(const Workload& w, const std::string& prefix, const Setup& base) {
    if (w.slice_seconds > 0) {
        std::printf("\n== %s: %s\n   %zu variants interleaved in slices of about %.0f ms, %zu slices per round, "
                    "%zu rounds + 1 warm-up\n",
                    w.id.c_str(), w.title.c_str(), w.variants.size(), w.slice_seconds * 1e3, w.ops, w.rounds);
    } else {
        std::printf("\n== %s: %s\n   %zu variants interleaved by %zu ops, %zu ops per round, %zu rounds + 1 warm-up\n",
                    w.id.c_str(), w.title.c_str(), w.variants.size(), w.slice, w.ops, w.rounds);
    }
    std::fflush(stdout);
    const DWORD_PTR unpinned = w.pinned ? pin_to_cpu(0) : 0;
    WorkloadResult result;
    result.workload = &w;
    std::vector<Batch> batches;
    for (const Variant& v : w.variants) {
        Setup s = base;
        s.name = prefix + "-" + w.id + "-" + v.id;
        s.total_ops = (w.rounds + 1) * w.ops;
        batches.push_back(v.make(s));
        result.variants.push_back({&v, 0, {}});
    }
    const std::size_t count = batches.size();
    const std::size_t slices = w.ops / w.slice;
    for (std::size_t i = 0; i < count; ++i) {
        result.variants[i].ops_per_slice = w.slice;
        if (w.slice_seconds > 0) {
            // Calibration: 1, 4, 16... operations until a batch takes a whole slice (so that the child's wake-up
            // at its start is a small part of it); the slice is then that batch's rate times slice_seconds. Done
            // twice, the second time counts: the first pass faults in the pages of a ring (16 MiB for 1 MiB
            // messages), which made slices of one or two messages.
            for (int pass = 0; pass < 2; ++pass) {
                for (std::size_t n = 1;; n *= 4) {
                    const double start = now_seconds();
                    batches[i](n);
                    const double took = now_seconds() - start;
                    if (took >= w.slice_seconds || n >= (std::size_t(1) << 24)) {
                        const double per_op = took / static_cast<double>(n);
                        result.variants[i].ops_per_slice = std::max<std::size_t>(
                            1, static_cast<std::size_t>(std::llround(w.slice_seconds / per_op)));
                        break;
                    }
                }
            }
        }
    }
    for (std::size_t i = 0; i < count; ++i) { // warm-up: children started, pages faulted in, caches filled
        batches[i](slices * result.variants[i].ops_per_slice);
    }
    std::mt19937 shuffle(order_seed); // the same orders in every run, different in every slice
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::vector<double> seconds(count);
    for (std::size_t r = 0; r < w.rounds; ++r) {
        std::fill(seconds.begin(), seconds.end(), 0.0);
        for (std::size_t slice = 0; slice < slices; ++slice) {
            std::shuffle(order.begin(), order.end(), shuffle);
            for (const std::size_t i : order) {
                const double start = now_seconds();
                batches[i](result.variants[i].ops_per_slice);
                seconds[i] += now_seconds() - start;
            }
        }
        for (std::size_t i = 0; i < count; ++i) {
            const auto ops = static_cast<double>(slices * result.variants[i].ops_per_slice);
            result.variants[i].seconds_per_op.push_back(seconds[i] / ops);
        }
    }
    batches.clear(); // tears down: helper threads joined, children waited for
    if (unpinned != 0) {
        SetThreadAffinityMask(GetCurrentThread(), unpinned);
    }

    const auto find = [&](const std::string& id) -> const VariantResult& {
        for (const VariantResult& v : result.variants) {
            if (v.variant->id == id) {
                return v;
            }
        }
        fail("no variant " + id + " in " + w.id);
    };
    for (const RatioSpec& spec : w.ratios) {
        const VariantResult& num = find(spec.numerator);
        const VariantResult& den = find(spec.denominator);
        RatioResult r;
        r.spec = &spec;
        for (std::size_t k = 0; k < w.rounds; ++k) {
            r.per_round.push_back(num.seconds_per_op[k] / den.seconds_per_op[k]);
        }
        r.stats = stats_of(r.per_round);
        r.verdict = verdict_for(spec, r.stats);
        result.ratios.push_back(r);
    }

    std::printf("   %-30s %12s %25s %25s%s\n", "variant", "median", "interquartile range", "min - max",
                w.bytes_per_op > 0 ? "   throughput" : "");
    for (const VariantResult& v : result.variants) {
        const Stats s = stats_of(v.seconds_per_op);
        std::printf("   %-30s %12s %25s %25s", v.variant->label.c_str(), duration_text(s.median).c_str(),
                    (duration_text(s.q1) + " - " + duration_text(s.q3)).c_str(),
                    (duration_text(s.min) + " - " + duration_text(s.max)).c_str());
        if (w.bytes_per_op > 0) {
            std::printf("   %.2f GB/s", w.bytes_per_op / s.median / 1e9);
        }
        if (w.slice_seconds > 0) {
            std::printf("   %.3g ops/s (%zu per slice)", 1 / s.median, v.ops_per_slice);
        }
        std::printf("\n");
    }
    for (const RatioResult& r : result.ratios) {
        const std::string name = find(r.spec->numerator).variant->label + " / " +
                                 find(r.spec->denominator).variant->label;
        std::printf("   %-52s %6.3f  [IQR %.3f - %.3f]  %-20s %s\n", name.c_str(), r.stats.median, r.stats.q1,
                    r.stats.q3, target_text(*r.spec).c_str(), r.verdict.c_str());
    }
    std::fflush(stdout);
    return result;
}

// One operation per variant between markers that Wine's debug channel shows, after one unmarked operation that
// does the lazy set-up (GetSystemInfo, ntdll look-ups, Boost's singletons). Under
//   WINEDEBUG=+server,+debugstr wine sharemap-bench.exe --trace
// the wineserver requests between the markers are exactly what each variant asks of the kernel; bench/calls.py
// lists them side by side.
void trace_workload(const Workload& w, const std::string& prefix, const Setup& base) {
    std::vector<Batch> batches;
    for (const Variant& v : w.variants) {
        Setup s = base;
        s.name = prefix + "-" + w.id + "-" + v.id;
        s.total_ops = 2;
        batches.push_back(v.make(s));
    }
    const auto marked = [&](std::size_t i, const std::string& id) {
        const std::string begin = "sharemap-bench: begin " + w.id + " " + id + "\n";
        const std::string end = "sharemap-bench: end " + w.id + " " + id + "\n";
        OutputDebugStringA(begin.c_str());
        batches[i](1);
        OutputDebugStringA(end.c_str());
    };
    for (std::size_t i = 0; i < batches.size(); ++i) {
        batches[i](1);
        if (w.slice_seconds > 0) {
            // The channel workloads: one message to a child that has gone to sleep (after its spin), then one
            // right after it, while the child is awake ("<variant>@awake").
            Sleep(100);
            marked(i, w.variants[i].id);
            marked(i, w.variants[i].id + "@awake");
        } else {
            marked(i, w.variants[i].id);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The test file

struct TestFile {
    std::wstring path;
    std::uint64_t size = 0;
    std::uint64_t sum = 0;
    std::string size_note;

    TestFile(std::uint64_t wanted, bool size_forced) {
        wchar_t dir[MAX_PATH + 1] = {};
        check(GetTempPathW(MAX_PATH + 1, dir) != 0, "GetTempPathW");
        path = std::wstring(dir) + L"sharemap-bench-" + std::to_wstring(GetCurrentProcessId()) + L".dat";
        ULARGE_INTEGER free_bytes{};
        check(GetDiskFreeSpaceExW(dir, &free_bytes, nullptr, nullptr) != 0, "GetDiskFreeSpaceExW");
        size = wanted;
        // Keep 1 GiB free beside the file; fall back to 256 MiB on a short disk, and say so.
        if (!size_forced && free_bytes.QuadPart < size + (std::uint64_t(1) << 30)) {
            size = 256 * mib;
            size_note = "only " + std::to_string(free_bytes.QuadPart >> 20) + " MiB free in the temp folder";
        }
        temp_file_to_remove = path;
        HANDLE f = CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
        check(f != INVALID_HANDLE_VALUE, "creating the test file");
        std::vector<std::uint64_t> chunk(mib / 8);
        std::uint64_t x = 0x9E3779B97F4A7C15ull;
        for (std::uint64_t written = 0; written < size; written += mib) {
            for (std::uint64_t& word : chunk) { // xorshift64: bytes that a sum checks for real
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                word = x;
            }
            sum += sum_bytes(chunk.data(), mib);
            DWORD done = 0;
            check(WriteFile(f, chunk.data(), static_cast<DWORD>(mib), &done, nullptr) != 0 && done == mib,
                  "writing the test file");
        }
        CloseHandle(f);
    }
    ~TestFile() {
        DeleteFileW(path.c_str());
        temp_file_to_remove.clear();
    }
    TestFile(const TestFile&) = delete;
    TestFile& operator=(const TestFile&) = delete;
};

// ---------------------------------------------------------------------------------------------------------------
// Environment

std::string narrow(const std::wstring& w) {
    std::string s;
    for (wchar_t c : w) {
        s.push_back(c < 0x80 ? static_cast<char>(c) : '?');
    }
    return s;
}

std::string os_text() {
    struct OsVersionInfo {
        ULONG size, major, minor, build, platform;
        wchar_t service_pack[128];
    };
    using RtlGetVersionFn = LONG(WINAPI*)(OsVersionInfo*);
    using WineGetVersionFn = const char*(__cdecl*)();
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    const auto get_version = reinterpret_cast<RtlGetVersionFn>(
        reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")));
    const auto wine_version = reinterpret_cast<WineGetVersionFn>(
        reinterpret_cast<void*>(GetProcAddress(ntdll, "wine_get_version")));
    OsVersionInfo v{};
    v.size = sizeof(v);
    std::string text;
    if (get_version != nullptr && get_version(&v) == 0) {
        text = "Windows " + std::to_string(v.major) + "." + std::to_string(v.minor) + " build " +
               std::to_string(v.build);
    }
    if (wine_version != nullptr) {
        text = "Wine " + std::string(wine_version()) + " (reporting " + text + ")";
    }
    return text;
}

std::string cpu_text() {
    wchar_t name[256] = {};
    DWORD bytes = sizeof(name);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", L"ProcessorNameString",
                     RRF_RT_REG_SZ, nullptr, name, &bytes) != ERROR_SUCCESS) {
        return "unknown";
    }
    std::string s = narrow(name);
    s.erase(0, s.find_first_not_of(' '));
    return s;
}

std::string compiler_text() {
#if defined(__clang__)
    return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
           std::to_string(__GNUC_PATCHLEVEL__) + " (" + __VERSION__ + ")";
#elif defined(_MSC_VER)
    return "MSVC " + std::to_string(_MSC_FULL_VER);
#else
    return "unknown";
#endif
}

std::string utc_now() {
    SYSTEMTIME t{};
    GetSystemTime(&t);
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%04u-%02u-%02uT%02u:%02u:%02uZ", t.wYear, t.wMonth, t.wDay, t.wHour,
                  t.wMinute, t.wSecond);
    return buffer;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string json_number(double v) { return format("%.6g", v); }

std::string json_stats(const Stats& s, double scale) {
    return "{\"median\": " + json_number(s.median * scale) + ", \"q1\": " + json_number(s.q1 * scale) +
           ", \"q3\": " + json_number(s.q3 * scale) + ", \"min\": " + json_number(s.min * scale) +
           ", \"max\": " + json_number(s.max * scale) + "}";
}

std::string json_array(const std::vector<double>& v, double scale) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        out += (i ? ", " : "") + json_number(v[i] * scale);
    }
    return out + "]";
}

struct Run {
    std::string started, commit, host, os, cpu, compiler, config, boost;
    unsigned logical_processors = 0;
    bool quick = false;
    std::string file_note;
    std::uint64_t file_size = 0;
    std::vector<std::string> notes;
    std::vector<WorkloadResult> results;
    double seconds = 0;
};

void write_json(const Run& run, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    out << "{\n  \"schema\": 1,\n  \"tool\": \"sharemap-bench\",\n";
    out << "  \"started_utc\": " << json_string(run.started) << ",\n";
    out << "  \"commit\": " << json_string(run.commit) << ",\n";
    out << "  \"quick\": " << (run.quick ? "true" : "false") << ",\n";
    out << "  \"seconds\": " << json_number(run.seconds) << ",\n";
    out << "  \"order\": \"variants interleaved in slices, shuffled in every slice (mt19937 seed " << order_seed
        << "), after one warm-up round\",\n";
    out << "  \"environment\": {\"host\": " << json_string(run.host) << ", \"os\": " << json_string(run.os)
        << ", \"cpu\": " << json_string(run.cpu) << ", \"logical_processors\": " << run.logical_processors
        << ", \"compiler\": " << json_string(run.compiler) << ", \"config\": " << json_string(run.config)
        << ", \"boost\": " << json_string(run.boost) << "},\n";
    out << "  \"file_size\": " << run.file_size << ",\n  \"file_size_note\": " << json_string(run.file_note) << ",\n";
    out << "  \"notes\": [";
    for (std::size_t i = 0; i < run.notes.size(); ++i) {
        out << (i ? ", " : "") << json_string(run.notes[i]);
    }
    out << "],\n  \"workloads\": [";
    for (std::size_t wi = 0; wi < run.results.size(); ++wi) {
        const WorkloadResult& r = run.results[wi];
        const Workload& w = *r.workload;
        out << (wi ? "," : "") << "\n    {\"id\": " << json_string(w.id) << ", \"title\": " << json_string(w.title)
            << ", \"ops_per_round\": " << w.ops << ", \"ops_per_slice\": " << w.slice << ", \"rounds\": " << w.rounds
            << ", \"pinned\": " << (w.pinned ? "true" : "false")
            << ", \"slice_seconds\": " << json_number(w.slice_seconds)
            << ", \"bytes_per_op\": " << format("%.0f", w.bytes_per_op) << ",\n     \"variants\": [";
        for (std::size_t vi = 0; vi < r.variants.size(); ++vi) {
            const VariantResult& v = r.variants[vi];
            out << (vi ? "," : "") << "\n       {\"id\": " << json_string(v.variant->id)
                << ", \"label\": " << json_string(v.variant->label) << ", \"kind\": " << json_string(v.variant->kind)
                << ", \"ops_per_round\": " << (w.ops / w.slice) * v.ops_per_slice
                << ", \"us_per_op\": " << json_stats(stats_of(v.seconds_per_op), 1e6);
            if (w.bytes_per_op > 0) {
                std::vector<double> gbps;
                for (double s : v.seconds_per_op) {
                    gbps.push_back(w.bytes_per_op / s / 1e9);
                }
                out << ", \"gb_per_s\": " << json_stats(stats_of(gbps), 1);
            }
            out << ", \"rounds_us\": " << json_array(v.seconds_per_op, 1e6) << "}";
        }
        out << "],\n     \"ratios\": [";
        for (std::size_t ri = 0; ri < r.ratios.size(); ++ri) {
            const RatioResult& q = r.ratios[ri];
            const char* target = q.spec->target == Target::raw        ? "raw"
                                 : q.spec->target == Target::boost    ? "boost"
                                 : q.spec->target == Target::control  ? "control"
                                 : q.spec->target == Target::at_least ? "at_least"
                                                                      : "info";
            const double limit = q.spec->target == Target::raw        ? 1.03
                                 : q.spec->target == Target::boost    ? 1.0
                                 : q.spec->target == Target::at_least ? q.spec->limit
                                                                      : 0;
            out << (ri ? "," : "") << "\n       {\"numerator\": " << json_string(q.spec->numerator)
                << ", \"denominator\": " << json_string(q.spec->denominator) << ", \"target\": " << json_string(target)
                << ", \"limit\": " << json_number(limit) << ", \"ratio\": " << json_stats(q.stats, 1)
                << ", \"verdict\": " << json_string(q.verdict) << ", \"rounds\": " << json_array(q.per_round, 1) << "}";
        }
        out << "]}";
    }
    out << "\n  ]\n}\n";
    check(static_cast<bool>(out), "writing results.json");
}

void write_csv(const Run& run, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    out << "workload,row,name,versus,unit,median,q1,q3,min,max,target,verdict\n";
    for (const WorkloadResult& r : run.results) {
        const Workload& w = *r.workload;
        for (const VariantResult& v : r.variants) {
            const Stats s = stats_of(v.seconds_per_op);
            out << w.id << ",time," << v.variant->id << ",,us_per_op," << json_number(s.median * 1e6) << ","
                << json_number(s.q1 * 1e6) << "," << json_number(s.q3 * 1e6) << "," << json_number(s.min * 1e6) << ","
                << json_number(s.max * 1e6) << ",,\n";
            if (w.bytes_per_op > 0) {
                std::vector<double> gbps;
                for (double x : v.seconds_per_op) {
                    gbps.push_back(w.bytes_per_op / x / 1e9);
                }
                const Stats g = stats_of(gbps);
                out << w.id << ",throughput," << v.variant->id << ",,gb_per_s," << json_number(g.median) << ","
                    << json_number(g.q1) << "," << json_number(g.q3) << "," << json_number(g.min) << ","
                    << json_number(g.max) << ",,\n";
            }
        }
        for (const RatioResult& q : r.ratios) {
            const std::string target = q.spec->target == Target::raw        ? "<=1.03"
                                       : q.spec->target == Target::boost    ? "<=1.00"
                                       : q.spec->target == Target::control  ? "control"
                                       : q.spec->target == Target::at_least ? format(">=%g", q.spec->limit)
                                                                            : "";
            out << w.id << ",ratio," << q.spec->numerator << "," << q.spec->denominator << ",ratio,"
                << json_number(q.stats.median) << "," << json_number(q.stats.q1) << "," << json_number(q.stats.q3)
                << "," << json_number(q.stats.min) << "," << json_number(q.stats.max) << "," << target << ","
                << q.verdict << "\n";
        }
    }
    check(static_cast<bool>(out), "writing results.csv");
}

// ---------------------------------------------------------------------------------------------------------------
// The workloads of issue 6

struct Options {
    std::string out = ".";
    std::string commit;
    std::string host; // what the Windows side cannot see: the Linux host under Wine, its load
    bool quick = false;
    bool trace = false;     // one marked operation per variant, for WINEDEBUG=+server,+debugstr (bench/calls.py)
    std::size_t rounds = 0; // 0: each workload's own
    std::vector<std::string> only;
    std::vector<std::string> variants;
    std::uint64_t file_mib = 1024;
    bool file_mib_forced = false;
};

std::vector<Workload> workloads(const Options& o, [[maybe_unused]] bool boost_mutex,
                                [[maybe_unused]] bool boost_queue) {
    // Under Wine a round takes 50-200 ms per variant and a slice 2-5 ms (one operation for the long ones): long
    // enough for the timer to be noise, short enough that every variant sees the same moment of the machine.
    const std::size_t scale = o.quick ? 10 : 1;
    const auto rounds = [&](std::size_t full) { return o.rounds != 0 ? o.rounds : (o.quick ? 3 : full); };

    std::vector<Workload> list;
    const auto standard_ratios = [](bool with_boost) {
        std::vector<RatioSpec> r{{"sharemap", "raw", Target::raw}};
        if (with_boost) {
            r.push_back({"sharemap", "boost", Target::boost});
        }
        r.push_back({"raw_aa", "raw", Target::control});
        return r;
    };
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
    constexpr bool have_boost = true;
#else
    constexpr bool have_boost = false;
#endif

    {
        Workload w = workload("section_cycle", "create + map + touch one page + unmap + close, 64 KiB named section",
                              400 / scale, 20, rounds(31));
        w.variants = sharemap_and_raw(sharemap_impl::section_cycle, raw_impl::section_cycle);
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess", "boost", boost_impl::section_cycle});
#endif
        w.ratios = standard_ratios(have_boost);
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("attach", "open by name + map 64 KiB (length given) + read + unmap + close", 1000 / scale,
                              20, rounds(31));
        w.variants = sharemap_and_raw([](const Setup& s) { return sharemap_impl::attach(s, true); },
                                      [](const Setup& s) { return raw_impl::attach(s, false); },
                                      "sharemap map(read, 0, 64 KiB)");
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess (size given)", "boost",
                              [](const Setup& s) { return boost_impl::attach(s, true); }});
#endif
        w.ratios = standard_ratios(have_boost);
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("attach_query",
                              "open by name + map the whole section, size asked of the kernel + read + close",
                              1000 / scale, 20, rounds(31));
        w.variants = {
            {"sharemap", "sharemap map(read, 0, 0)", "sharemap",
             [](const Setup& s) { return sharemap_impl::attach(s, false); }},
            {"raw", "raw Win32 + NtQuerySection", "raw", [](const Setup& s) { return raw_impl::attach(s, true); }},
            {"raw_aa", "raw Win32 + NtQuerySection (A/A)", "control",
             [](const Setup& s) { return raw_impl::attach(s, true); }},
            {"raw_sized", "raw Win32, length given", "raw", [](const Setup& s) { return raw_impl::attach(s, false); }}};
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess (size 0)", "boost",
                              [](const Setup& s) { return boost_impl::attach(s, false); }});
#endif
        w.ratios = standard_ratios(have_boost);
        w.ratios.push_back({"sharemap", "raw_sized", Target::info});
        list.push_back(std::move(w));
    }
    // NamedMutex lock + unlock, then try_lock on a NamedMutex that another thread holds. Boost's named_mutex on
    // Windows is a spin lock in a mapped file (no kernel object, no owner): information here; the like-for-like
    // comparison is section_mutex_lock.
    for (const bool held : {false, true}) {
        Workload w = held ? workload("mutex_try_lock", "try_lock on a mutex another thread holds (returns false)",
                                     4000 / scale, 200, rounds(31))
                          : workload("mutex_lock", "NamedMutex lock + unlock, uncontended", 2000 / scale, 100,
                                     rounds(31));
        w.variants = sharemap_and_raw(held ? sharemap_impl::mutex_try_lock_held : sharemap_impl::mutex_lock_unlock,
                                      held ? raw_impl::mutex_try_lock_held : raw_impl::mutex_lock_unlock);
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        if (boost_mutex) {
            w.variants.push_back({"boost", "Boost.Interprocess named_mutex", "boost",
                                  held ? boost_impl::mutex_try_lock_held : boost_impl::mutex_lock_unlock});
        }
#endif
        w.ratios = standard_ratios(false);
        if (have_boost && boost_mutex) {
            w.ratios.push_back({"sharemap", "boost", Target::info});
        }
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("ping_pong", "cross-process round trip through two auto-reset NamedEvents", 2000 / scale,
                              100, rounds(31));
        w.pinned = true;
        w.variants = sharemap_and_raw(sharemap_impl::ping_pong, raw_impl::ping_pong);
        w.ratios = standard_ratios(false);
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("section_mutex_lock",
                              "SectionMutex lock + unlock, uncontended, against NamedMutex and "
                              "Boost's interprocess_mutex placed in a section",
                              20000 / scale, 1000, rounds(31));
        w.variants = {{"section", "sharemap SectionMutex", "sharemap", section_impl::mutex_lock_unlock},
                      {"section_aa", "sharemap SectionMutex (A/A control)", "control", section_impl::mutex_lock_unlock},
                      {"named", "sharemap NamedMutex", "sharemap", sharemap_impl::mutex_lock_unlock}};
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess interprocess_mutex in a section", "boost",
                              boost_section_impl::mutex_lock_unlock});
        w.ratios.push_back({"section", "boost", Target::boost});
#endif
        w.ratios.push_back({"section", "named", Target::info});
        w.ratios.push_back({"section_aa", "section", Target::control});
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("section_mutex_contended",
                              "lock + increment + unlock while another process does the "
                              "same on the same lock",
                              2000 / scale, 100, rounds(31));
        w.pinned = true;
        w.variants = {{"section", "sharemap SectionMutex", "sharemap", section_impl::section_mutex_contended},
                      {"named", "sharemap NamedMutex", "sharemap", section_impl::named_mutex_contended}};
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess interprocess_mutex in a section", "boost",
                              boost_section_impl::mutex_contended});
        w.ratios.push_back({"section", "boost", Target::boost});
#endif
        w.ratios.push_back({"section", "named", Target::info});
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("section_ping_pong",
                              "cross-process round trip through two automatic SectionEvents, "
                              "against two NamedEvents",
                              2000 / scale, 100, rounds(31));
        w.pinned = true;
        w.variants = {{"section", "sharemap SectionEvent", "sharemap", section_impl::ping_pong},
                      {"named", "sharemap NamedEvent", "sharemap", sharemap_impl::ping_pong}};
        w.ratios.push_back({"section", "named", Target::info});
        list.push_back(std::move(w));
    }
    {
        Workload w = workload(
            "bulk_transfer",
            "64 MiB through a shared section in 1 MiB chunks to another process, handshaking with events", 6, 1,
            rounds(31), static_cast<double>(bulk_size));
        w.pinned = true;
        w.variants = sharemap_and_raw(sharemap_impl::bulk_transfer, raw_impl::bulk_transfer);
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess + Win32 events", "boost", boost_impl::bulk_transfer});
#endif
        w.variants.push_back({"memcpy", "memcpy in one process", "baseline", raw_impl::memcpy_baseline});
        w.ratios = standard_ratios(have_boost);
        w.ratios.push_back({"sharemap", "memcpy", Target::info});
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("file_sum", "map a file and sum its bytes (file in the page cache)", 1, 1, rounds(15));
        w.variants = sharemap_and_raw(sharemap_impl::file_map_sum, raw_impl::file_map_sum, "sharemap map_file",
                                      "raw Win32 mapping");
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        w.variants.push_back({"boost", "Boost.Interprocess file_mapping", "boost", boost_impl::file_map_sum});
#endif
        w.variants.push_back({"readfile", "ReadFile, 1 MiB chunks", "baseline", raw_impl::file_read_sum});
        w.ratios = standard_ratios(have_boost);
        w.ratios.push_back({"sharemap", "readfile", Target::info});
        list.push_back(std::move(w));
    }
    // The channel: messages of four sizes from this process to a child, each way of sending interleaved with the
    // others in slices of about 6 ms (each variant's slice sized to its speed, see Workload::slice_seconds). A ratio
    // is another way's time per message over the channel's: how many times faster the channel is.
    struct ChannelSize {
        const char* id;
        const char* text;
        std::size_t size;
    };
    const double channel_slice = o.quick ? 0.001 : 0.006;
    const std::size_t channel_slices = o.quick ? 4 : 8;
    for (const ChannelSize& c :
         {ChannelSize{"channel_64b", "64 B", 64}, ChannelSize{"channel_1k", "1 KiB", kib},
          ChannelSize{"channel_64k", "64 KiB", 64 * kib}, ChannelSize{"channel_1m", "1 MiB", mib}}) {
        const std::size_t size = c.size;
        Workload w = workload(
            c.id, std::string(c.text) + " messages to another process, sent one at a time as fast as they go",
            channel_slices, 1, rounds(31), static_cast<double>(size));
        w.pinned = true;
        w.slice_seconds = channel_slice;
#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)
        w.variants.push_back({"copy", "sharemap channel, copying (send / receive_into)", "sharemap",
                              [size](const Setup& s) { return channel_impl::channel_copy(s, size); }});
        w.variants.push_back({"zero_copy", "sharemap channel, zero-copy (reserve + commit / receive)", "sharemap",
                              [size](const Setup& s) { return channel_impl::channel_zero_copy(s, size); }});
#endif
        w.variants.push_back({"pipe", "named pipe, message mode", "raw",
                              [size](const Setup& s) { return channel_impl::named_pipe(s, size); }});
        w.variants.push_back({"ring", "semaphore-per-slot ring (two NamedSemaphores)", "ring",
                              [size](const Setup& s) { return channel_impl::semaphore_ring(s, size); }});
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
        if (boost_queue) {
            w.variants.push_back({"boost_mq", "Boost.Interprocess message_queue", "boost",
                                  [size](const Setup& s) { return boost_channel_impl::message_queue(s, size); }});
        }
#endif
        w.variants.push_back({"memcpy", "memcpy in one process (the limit)", "baseline",
                              [size](const Setup& s) { return channel_impl::memcpy_limit(s, size); }});
        w.variants.push_back({"memcpy_section", "memcpy into a section, one process", "baseline",
                              [size](const Setup& s) { return channel_impl::memcpy_section_limit(s, size); }});
#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)
        for (const char* channel : {"copy", "zero_copy"}) {
            // Targets: 64-byte messages at least 20 times a pipe's rate; zero-copy 64 KiB and 1 MiB messages at
            // least 0.9 times one process's memcpy bandwidth.
            if (size == 64) {
                w.ratios.push_back({"pipe", channel, Target::at_least, 20});
            } else {
                w.ratios.push_back({"pipe", channel, Target::info});
            }
            w.ratios.push_back({"ring", channel, Target::info});
            if (boost_queue) {
                w.ratios.push_back({"boost_mq", channel, Target::info});
            }
            if (size >= 64 * kib && std::string(channel) == "zero_copy") {
                w.ratios.push_back({"memcpy", channel, Target::at_least, 0.9});
            } else {
                w.ratios.push_back({"memcpy", channel, Target::info});
            }
            w.ratios.push_back({"memcpy_section", channel, Target::info});
        }
#else
        w.ratios.push_back({"pipe", "ring", Target::info});
        if (boost_queue) {
            w.ratios.push_back({"boost_mq", "ring", Target::info});
        }
        w.ratios.push_back({"memcpy", "ring", Target::info});
        w.ratios.push_back({"memcpy_section", "ring", Target::info});
#endif
        list.push_back(std::move(w));
    }
    {
        Workload w = workload("channel_ping_pong",
                              "64 B to another process and 64 B back (round trip) over two channels, against two "
                              "NamedEvents",
                              channel_slices, 1, rounds(31));
        w.pinned = true;
        w.slice_seconds = channel_slice;
#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)
        w.variants.push_back(
            {"channel", "sharemap channels (send / receive_into)", "sharemap", channel_impl::channel_ping_pong});
        w.ratios.push_back({"event", "channel", Target::at_least, 10});
#endif
        w.variants.push_back({"event", "NamedEvent ping-pong", "event", channel_impl::event_ping_pong});
        list.push_back(std::move(w));
    }
    if (!o.only.empty()) {
        std::vector<Workload> chosen;
        for (Workload& w : list) {
            if (std::find(o.only.begin(), o.only.end(), w.id) != o.only.end()) {
                chosen.push_back(std::move(w));
            }
        }
        list = std::move(chosen);
    }
    if (!o.variants.empty()) { // only these variants, and the ratios between them
        const auto kept = [&](const std::string& id) {
            return std::find(o.variants.begin(), o.variants.end(), id) != o.variants.end();
        };
        for (Workload& w : list) {
            w.variants.erase(
                std::remove_if(w.variants.begin(), w.variants.end(), [&](const Variant& v) { return !kept(v.id); }),
                w.variants.end());
            w.ratios.erase(
                std::remove_if(w.ratios.begin(), w.ratios.end(),
                               [&](const RatioSpec& r) { return !kept(r.numerator) || !kept(r.denominator); }),
                w.ratios.end());
        }
        list.erase(std::remove_if(list.begin(), list.end(), [](const Workload& w) { return w.variants.empty(); }),
                   list.end());
    }
    return list;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            check(i + 1 < argc, ("missing value after " + a).c_str());
            return argv[++i];
        };
        if (a == "--out") {
            o.out = value();
        } else if (a == "--commit") {
            o.commit = value();
        } else if (a == "--host") {
            o.host = value();
        } else if (a == "--quick") {
            o.quick = true;
        } else if (a == "--trace") {
            o.trace = true;
        } else if (a == "--rounds") {
            o.rounds = static_cast<std::size_t>(std::stoul(value()));
        } else if (a == "--file-mib") {
            o.file_mib = std::stoull(value());
            o.file_mib_forced = true;
        } else if (a == "--only" || a == "--variants") {
            std::stringstream list(value());
            for (std::string id; std::getline(list, id, ',');) {
                (a == "--only" ? o.only : o.variants).push_back(id);
            }
        } else {
            fail("unknown argument " + a +
                 "; usage: sharemap-bench [--out DIR] [--quick] [--rounds N] [--only ID,...] [--variants ID,...] "
                 "[--file-mib N] [--commit TEXT] [--host TEXT] [--trace]");
        }
    }
    if ((o.quick || o.trace) && !o.file_mib_forced) {
        o.file_mib = 16;
    }
    return o;
}

int run(int argc, char** argv) {
    const Options o = parse(argc, argv);
    Run run;
    run.started = utc_now();
    run.commit = o.commit;
    run.host = o.host;
    run.quick = o.quick;
    run.os = os_text();
    run.cpu = cpu_text();
    run.compiler = compiler_text();
#if defined(SHAREMAP_BENCH_CONFIG)
    run.config = SHAREMAP_BENCH_CONFIG;
#endif
    SYSTEM_INFO si{};
    GetSystemInfo(&si);
    run.logical_processors = si.dwNumberOfProcessors;
    const double start = now_seconds();
    const std::string prefix = "Local\\sharemap-bench-" + std::to_string(GetCurrentProcessId());

    std::printf("sharemap-bench: %s, %s, %u logical processors, %s %s\n", run.os.c_str(), run.cpu.c_str(),
                run.logical_processors, run.compiler.c_str(), run.config.c_str());

    bool boost_mutex = false;
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
    run.boost = boost_impl::version();
    {
        Setup s;
        s.name = prefix + "-boost-probe";
        const std::string problem = boost_impl::named_mutex_problem(s);
        boost_mutex = problem.empty();
        if (!boost_mutex) {
            run.notes.push_back("Boost.Interprocess named_mutex is left out: " + problem);
        }
    }
#else
    run.notes.push_back("Boost.Interprocess was not found at configure time: no Boost variants");
#endif
    if (boost_mutex) {
        run.notes.push_back(
            "Boost.Interprocess named_mutex (BOOST_INTERPROCESS_SHARED_DIR_PATH set) is, on Windows, a "
            "spin lock in a memory-mapped file with no owner: NamedMutex's ratio to it is information; "
            "SectionMutex is compared with Boost's in-section interprocess_mutex in section_mutex_lock");
    }
    run.notes.push_back("Boost.Interprocess has no named event type: ping_pong compares sharemap with raw Win32 only; "
                        "its bulk_transfer variant uses Boost for the memory and Win32 events for the handshake");
    for (const std::string& note : run.notes) {
        std::printf("note: %s\n", note.c_str());
    }

    bool boost_queue = false;
#if defined(SHAREMAP_BENCH_HAVE_BOOST)
    {
        Setup s;
        s.name = prefix + "-boost-queue-probe";
        const std::string problem = boost_channel_impl::message_queue_problem(s);
        boost_queue = problem.empty();
        if (!boost_queue) {
            run.notes.push_back("Boost.Interprocess message_queue is left out of the channel workloads: " + problem);
            std::printf("note: %s\n", run.notes.back().c_str());
        }
    }
#endif
#if !defined(SHAREMAP_BENCH_HAVE_CHANNEL)
    run.notes.push_back(
        "built without the channel (SHAREMAP_BENCH_WITH_CHANNEL off, or no include/sharemap/sender.hpp): "
        "the channel workloads run their baselines only");
    std::printf("note: %s\n", run.notes.back().c_str());
#endif

    std::vector<Workload> list = workloads(o, boost_mutex, boost_queue);
    const bool needs_file = std::any_of(list.begin(), list.end(), [](const Workload& w) { return w.id == "file_sum"; });
    std::unique_ptr<TestFile> file;
    Setup base;
    if (needs_file) {
        file = std::make_unique<TestFile>(o.file_mib * mib, o.file_mib_forced);
        base.file_path = file->path;
        base.file_size = file->size;
        base.file_sum = file->sum;
        run.file_size = file->size;
        run.file_note = file->size_note;
        std::printf("test file: %s, %llu MiB%s%s\n", narrow(file->path).c_str(),
                    static_cast<unsigned long long>(file->size >> 20), file->size_note.empty() ? "" : ": ",
                    file->size_note.c_str());
        for (Workload& w : list) {
            if (w.id == "file_sum") {
                w.bytes_per_op = static_cast<double>(file->size);
            }
        }
    }
    if (o.trace) {
        for (const Workload& w : list) {
            trace_workload(w, prefix, base);
        }
        return 0;
    }
    for (const Workload& w : list) {
        run.results.push_back(run_workload(w, prefix, base));
    }
    file.reset();
    run.seconds = now_seconds() - start;

    // The targets, all in one place.
    std::printf("\n== targets (median of per-round ratios)\n");
    int met = 0, missed = 0;
    for (const WorkloadResult& r : run.results) {
        for (const RatioResult& q : r.ratios) {
            if (q.verdict.empty()) {
                continue;
            }
            (q.verdict == "missed" ? missed : met) += 1;
            std::printf("   %-16s %-10s / %-10s %6.3f  %-16s %s\n", r.workload->id.c_str(), q.spec->numerator.c_str(),
                        q.spec->denominator.c_str(), q.stats.median, target_text(*q.spec).c_str(),
                        q.verdict == "tie" ? "met (tie: 1.00 within the interquartile range)" : q.verdict.c_str());
        }
    }
    std::printf("   %d met, %d missed; whole run %.0f s\n", met, missed, run.seconds);

    const std::string dir = o.out.empty() ? "." : o.out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    write_json(run, dir + "/results.json");
    write_csv(run, dir + "/results.csv");
    std::printf("wrote %s/results.json and %s/results.csv\n", dir.c_str(), dir.c_str());
    return 0;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
    try {
        if (argc > 1 && std::string(argv[1]) == "--child") {
            return bench::run_child(argc, argv);
        }
        return bench::run(argc, argv);
    } catch (const std::exception& e) {
        bench::fail(std::string("exception: ") + e.what());
    }
}

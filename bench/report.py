#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns sharemap-bench's results.json into docs/performance.md and its chart, docs/performance.svg.

    python3 bench/report.py bench/last-run/results.json --calls bench/last-run/calls.json \
        --md docs/performance.md --svg docs/performance.svg

Standard library only (no matplotlib): the chart is SVG written by hand. Every number on the page comes from the
JSON; the words around them are below. Without --md the page goes to standard output.
"""

import argparse
import html
import json
import math
import os
import sys

# The order and the names the page uses for each workload.
WORKLOAD_NAMES = {
    "section_cycle": "Section cycle: create + map + touch + unmap + close (64 KiB, named)",
    "attach": "Attach: open by name + map 64 KiB (length given) + read + close",
    "attach_query": "Attach, size asked: open + map with length 0 + read + close",
    "mutex_lock": "NamedMutex lock + unlock, uncontended",
    "mutex_try_lock": "try_lock on a mutex another thread holds",
    "ping_pong": "Cross-process ping-pong through two events (round trip)",
    "bulk_transfer": "Bulk transfer: 64 MiB to another process in 1 MiB chunks",
    "file_sum": "Map a file and sum its bytes",
}

# The workloads of the locks whose state lives in the section: compared with the kernel objects and with Boost's
# in-section mutex, not with raw Win32 (which has no such lock).
SECTION_WORKLOAD_NAMES = {
    "section_mutex_lock": "SectionMutex lock + unlock, uncontended",
    "section_mutex_contended": "Two processes contending: lock + increment + unlock",
    "section_ping_pong": "Cross-process ping-pong through two SectionEvents (round trip)",
}

# The channel: messages of four sizes from one process to another, and a 64-byte round trip. Each ratio is another
# way's time per message over the channel's: how many times faster the channel is (a speed-up, higher is better).
CHANNEL_WORKLOAD_NAMES = {
    "channel_64b": "64 B messages",
    "channel_1k": "1 KiB messages",
    "channel_64k": "64 KiB messages",
    "channel_1m": "1 MiB messages",
}
CHANNEL_VARIANTS = [("copy", "channel, copying"), ("zero_copy", "channel, zero-copy"), ("pipe", "named pipe"),
                    ("ring", "semaphore ring"), ("boost_mq", "Boost message_queue"), ("memcpy", "memcpy, one process"),
                    ("memcpy_section", "memcpy into a section")]
CHANNEL_COLOURS = {"copy": "#1f77b4", "zero_copy": "#17becf", "pipe": "#7f7f7f", "ring": "#9467bd",
                   "boost_mq": "#ff7f0e", "memcpy": "#2ca02c", "memcpy_section": "#98df8a", "channel": "#1f77b4", "event": "#7f7f7f"}

SHORT_NAMES = {
    "channel_64b": "channel, 64 B",
    "channel_1k": "channel, 1 KiB",
    "channel_64k": "channel, 64 KiB",
    "channel_1m": "channel, 1 MiB",
    "channel_ping_pong": "channel ping-pong",
    "section_mutex_lock": "section mutex lock+unlock",
    "section_mutex_contended": "section mutex contended",
    "section_ping_pong": "section event ping-pong",
    "section_cycle": "section cycle",
    "attach": "attach (length given)",
    "attach_query": "attach (length 0)",
    "mutex_lock": "mutex lock+unlock",
    "mutex_try_lock": "try_lock, held",
    "ping_pong": "ping-pong",
    "bulk_transfer": "bulk transfer",
    "file_sum": "file map + sum",
}

COLOURS = {"sharemap": "#1f77b4", "raw": "#7f7f7f", "boost": "#ff7f0e", "control": "#bcbcbc", "baseline": "#2ca02c"}


def quantiles(values):
    """median, q1, q3, min, max with linear interpolation, as the benchmark computes them."""
    v = sorted(values)

    def at(q):
        pos = q * (len(v) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (pos - lo)

    return {"median": at(0.5), "q1": at(0.25), "q3": at(0.75), "min": v[0], "max": v[-1]}


def variant(workload, vid):
    for v in workload["variants"]:
        if v["id"] == vid:
            return v
    return None


def ratio_rounds(workload, num, den):
    a, b = variant(workload, num), variant(workload, den)
    if a is None or b is None:
        return None
    return quantiles([x / y for x, y in zip(a["rounds_us"], b["rounds_us"])])


def ratio(workload, num, den):
    for r in workload["ratios"]:
        if r["numerator"] == num and r["denominator"] == den:
            return r
    return None


# How the page prints a number: the first row whose threshold the number reaches (the last row takes any number)
# gives the unit and the digits. A row is (at least, multiply by, divide by, format, unit): the number shown is
# x * multiply / divide, so that a scale up is an exact product (us * 1000, not us / 0.001).
DURATION_UNITS = [(100_000, 1, 1000, ".0f", " ms"), (1000, 1, 1000, ".1f", " ms"), (100, 1, 1, ".0f", " µs"),
                  (1, 1, 1, ".1f", " µs"), (None, 1000, 1, ".1f", " ns")]  # from microseconds
RATE_UNITS = [(1e6, 1, 1e6, ".2f", " M/s"), (1e3, 1, 1e3, ".1f", " k/s"), (None, 1, 1, ".0f", "/s")]  # from per second
TIMES_UNITS = [(100, 1, 1, ".0f", ""), (10, 1, 1, ".1f", ""), (0.1, 1, 1, ".2f", ""), (None, 1, 1, ".2g", "")]


def in_units(x, units):
    for at_least, multiply, divide, spec, unit in units:
        if at_least is None or x >= at_least:
            return f"{x * multiply / divide:{spec}}{unit}"
    raise ValueError("a unit table ends with a row for any number")


def duration(us):
    return in_units(us, DURATION_UNITS)


def variant_cell(workload, vid, text):
    """A table cell for one variant: "–" if the run lacks it, else text(median µs per op, median GB/s or None)."""
    v = variant(workload, vid)
    if v is None:
        return "–"
    return text(v["us_per_op"]["median"], v["gb_per_s"]["median"] if "gb_per_s" in v else None)


def time_cell(workload, vid):
    return variant_cell(workload, vid,
                        lambda us, gbs: duration(us) + ("" if gbs is None else f" ({gbs:.2f} GB/s)"))


VERDICT_MARK = {"met": "✅ met", "tie": "✅ tie", "missed": "❌ missed", "": ""}


def ratio_cell(r, with_verdict=True):
    if r is None:
        return "–"
    q = r["ratio"]
    text = f"**{q['median']:.3f}** ({q['q1']:.3f}–{q['q3']:.3f})"
    if with_verdict and r.get("verdict"):
        text += " " + VERDICT_MARK[r["verdict"]]
    return text


def minutes_text(seconds):
    n = max(1, math.ceil(seconds / 60))
    return f"{n} minute" + ("" if n == 1 else "s")


def is_channel(workload):
    return workload["id"] in CHANNEL_WORKLOAD_NAMES or workload["id"] == "channel_ping_pong"


def rate_text(per_s):
    return in_units(per_s, RATE_UNITS)


def channel_cell(workload, vid):
    return variant_cell(workload, vid, lambda us, gbs: f"{rate_text(1e6 / us)} ({duration(us)}"
                        + ("" if gbs is None else f", {gbs:.2f} GB/s") + ")")


def times(x):
    """A speed-up as the page prints it: 1230, 45.2, 0.93, 0.0123."""
    return in_units(x, TIMES_UNITS)


def speedup_cell(workload, num, den):
    r = ratio(workload, num, den)
    if r is None:
        return "–"
    q = r["ratio"]
    text = f"**{times(q['median'])}×** ({times(q['q1'])}–{times(q['q3'])})"
    if r.get("verdict"):
        text += f" target ≥ {r['limit']:g} " + VERDICT_MARK[r["verdict"]]
    return text


def percent(x):
    return f"{(x - 1) * 100:+.1f}%"


# ---------------------------------------------------------------------------------------------------------------
# The chart


def svg_chart(data):
    workloads = [w for w in data["workloads"] if variant(w, "raw") is not None]
    width, left, right = 980, 280, 60
    plot_w = width - left - right
    series = [("sharemap", "sharemap", COLOURS["sharemap"]), ("boost", "Boost.Interprocess", COLOURS["boost"]),
              ("raw_aa", "raw Win32 again (A/A control)", "#8c8c8c")]
    row_h, item_h = 50, 14
    top1 = 78
    rows = []
    lo, hi = 0.9, 1.1
    for w in workloads:
        items = []
        for vid, _, colour in series:
            q = ratio_rounds(w, vid, "raw")
            if q is not None:
                items.append((q, colour))
                lo, hi = min(lo, q["q1"] - 0.02), max(hi, q["q3"] + 0.02)
        rows.append((w, items))
    lo = max(0.3, math.floor(lo * 20) / 20)
    hi = min(3.0, math.ceil(hi * 20) / 20)
    panel1_h = len(rows) * row_h
    throughput = [w for w in data["workloads"] if w.get("bytes_per_op", 0) > 0 and not is_channel(w)]
    tp_row_h = 17
    top2 = top1 + panel1_h + 120
    height = top2 + sum(len(w["variants"]) for w in throughput) * tp_row_h + len(throughput) * 16 + 40
    channel = [w for w in data["workloads"] if is_channel(w)]
    top3 = height + 50
    if channel:
        height = top3 + sum(len(w["variants"]) for w in channel) * tp_row_h + len(channel) * 16 + 50

    out = []
    add = out.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">')
    add(f'<rect width="{width}" height="{height}" fill="white"/>')
    add(f'<text x="20" y="24" font-size="15" font-weight="bold">Time per operation relative to raw Win32 '
        f'(1.00 = raw Win32; lower is faster)</text>')
    add(f'<text x="20" y="42" fill="#555">Dot: median of the per-round ratios; bar: interquartile range. '
        f'{html.escape(data["environment"]["os"])}, {html.escape(data.get("started_utc", ""))}</text>')

    def x_of(v):
        return left + plot_w * (min(max(v, lo), hi) - lo) / (hi - lo)

    # The target zone (up to +3%), the grid.
    add(f'<rect x="{x_of(lo):.1f}" y="{top1 - 8}" width="{x_of(1.03) - x_of(lo):.1f}" height="{panel1_h + 8}" '
        'fill="#eef7ee"/>')
    span = hi - lo
    step = 0.02 if span <= 0.3 else (0.05 if span <= 0.8 else (0.1 if span <= 1.6 else 0.25))
    t = math.ceil(lo / step) * step
    while t <= hi + 1e-9:
        x = x_of(t)
        add(f'<line x1="{x:.1f}" y1="{top1 - 8}" x2="{x:.1f}" y2="{top1 + panel1_h}" stroke="#e4e4e4"/>')
        add(f'<text x="{x:.1f}" y="{top1 + panel1_h + 16}" text-anchor="middle" fill="#555">{t:.2f}</text>')
        t += step
    add(f'<line x1="{x_of(1.0):.1f}" y1="{top1 - 14}" x2="{x_of(1.0):.1f}" y2="{top1 + panel1_h}" stroke="black"/>')
    add(f'<line x1="{x_of(1.03):.1f}" y1="{top1 - 14}" x2="{x_of(1.03):.1f}" y2="{top1 + panel1_h}" '
        'stroke="#2ca02c" stroke-dasharray="4,3"/>')
    add(f'<text x="{x_of(1.03) + 4:.1f}" y="{top1 - 16}" fill="#2ca02c">1.03: the target for sharemap</text>')

    for i, (w, items) in enumerate(rows):
        y0 = top1 + i * row_h
        if i:
            add(f'<line x1="20" y1="{y0 - 2}" x2="{width - right}" y2="{y0 - 2}" stroke="#f0f0f0"/>')
        add(f'<text x="{left - 10}" y="{y0 + row_h / 2 + 2:.1f}" text-anchor="end">'
            f'{html.escape(SHORT_NAMES.get(w["id"], w["id"]))}</text>')
        for j, (q, colour) in enumerate(items):
            ym = y0 + 8 + j * item_h
            xa, xb, xm = x_of(q["q1"]), x_of(q["q3"]), x_of(q["median"])
            add(f'<line x1="{xa:.1f}" y1="{ym}" x2="{xb:.1f}" y2="{ym}" stroke="{colour}" stroke-width="4" '
                'stroke-opacity="0.45"/>')
            add(f'<circle cx="{xm:.1f}" cy="{ym}" r="4.5" fill="{colour}"/>')
            clipped = " ▶" if q["median"] > hi else (" ◀" if q["median"] < lo else "")
            add(f'<text x="{max(xb, xm) + 8:.1f}" y="{ym + 4}" font-size="10.5" fill="#333">'
                f'{q["median"]:.3f}{clipped}</text>')
    lx, ly = left, top1 + panel1_h + 40
    for _, name, colour in series:
        add(f'<circle cx="{lx + 6}" cy="{ly - 4}" r="5" fill="{colour}"/>')
        add(f'<text x="{lx + 16}" y="{ly}">{html.escape(name)}</text>')
        lx += 40 + 7 * len(name)

    # Throughput panel.
    add(f'<text x="20" y="{top2 - 30}" font-size="15" font-weight="bold">Throughput (GB/s, median; whisker: '
        f'interquartile range)</text>')
    gmax = max((v["gb_per_s"]["q3"] for w in throughput for v in w["variants"] if "gb_per_s" in v), default=1)
    gmax = max(1, math.ceil(gmax))
    y = top2
    for w in throughput:
        add(f'<text x="{left - 10}" y="{y + 10}" text-anchor="end" font-weight="bold">'
            f'{html.escape(SHORT_NAMES.get(w["id"], w["id"]))}</text>')
        y += 16
        for v in w["variants"]:
            g = v["gb_per_s"]
            colour = COLOURS.get(v["kind"], "#999")
            wpx = plot_w * g["median"] / gmax
            add(f'<text x="{left - 10}" y="{y + 11}" text-anchor="end" fill="#333">{html.escape(v["label"])}</text>')
            add(f'<rect x="{left}" y="{y + 2}" width="{wpx:.1f}" height="{tp_row_h - 5}" fill="{colour}"/>')
            xa, xb = left + plot_w * g["q1"] / gmax, left + plot_w * g["q3"] / gmax
            ym = y + 2 + (tp_row_h - 5) / 2
            add(f'<line x1="{xa:.1f}" y1="{ym}" x2="{xb:.1f}" y2="{ym}" stroke="black"/>')
            add(f'<text x="{max(xb, left + wpx) + 6:.1f}" y="{y + 12}" font-size="10.5" fill="#333">'
                f'{g["median"]:.2f}</text>')
            y += tp_row_h
    for k in range(gmax + 1):
        x = left + plot_w * k / gmax
        add(f'<line x1="{x:.1f}" y1="{top2 - 6}" x2="{x:.1f}" y2="{y}" stroke="#ddd" stroke-dasharray="2,3"/>')
        add(f'<text x="{x:.1f}" y="{y + 15}" text-anchor="middle" fill="#555">{k}</text>')

    # The channel panel: operations (messages, round trips) per second on a log scale, by size.
    if channel:
        add(f'<text x="20" y="{top3 - 30}" font-size="15" font-weight="bold">Channel: messages (or round trips) per '
            f'second, log scale (median; whisker: interquartile range)</text>')
        rates = [1e6 / v["us_per_op"][k] for w in channel for v in w["variants"] for k in ("q1", "q3")]
        e_lo = math.floor(math.log10(max(min(rates), 1)))
        e_hi = math.ceil(math.log10(max(rates)))
        e_hi = max(e_hi, e_lo + 1)

        log_w = plot_w - 100  # room for the figures right of the longest bar

        def lx_of(rate):
            return left + log_w * (math.log10(max(rate, 10 ** e_lo)) - e_lo) / (e_hi - e_lo)

        short_label = dict(CHANNEL_VARIANTS)
        short_label.update({"channel": "two channels", "event": "two NamedEvents"})

        y = top3
        for w in channel:
            add(f'<text x="{left - 10}" y="{y + 10}" text-anchor="end" font-weight="bold">'
                f'{html.escape(SHORT_NAMES.get(w["id"], w["id"]))}</text>')
            y += 16
            for v in w["variants"]:
                t = v["us_per_op"]
                rate, r_lo, r_hi = 1e6 / t["median"], 1e6 / t["q3"], 1e6 / t["q1"]
                colour = CHANNEL_COLOURS.get(v["id"], "#999")
                add(f'<text x="{left - 10}" y="{y + 11}" text-anchor="end" fill="#333">'
                    f'{html.escape(short_label.get(v["id"], v["label"]))}</text>')
                add(f'<rect x="{left}" y="{y + 2}" width="{lx_of(rate) - left:.1f}" height="{tp_row_h - 5}" '
                    f'fill="{colour}"/>')
                ym = y + 2 + (tp_row_h - 5) / 2
                add(f'<line x1="{lx_of(r_lo):.1f}" y1="{ym}" x2="{lx_of(r_hi):.1f}" y2="{ym}" stroke="black"/>')
                label = rate_text(rate)
                if "gb_per_s" in v:
                    label += f", {v['gb_per_s']['median']:.2f} GB/s"
                add(f'<text x="{max(lx_of(r_hi), lx_of(rate)) + 6:.1f}" y="{y + 12}" font-size="10.5" '
                    f'fill="#333">{html.escape(label)}</text>')
                y += tp_row_h
        for k in range(e_lo, e_hi + 1):
            x = left + log_w * (k - e_lo) / (e_hi - e_lo)
            add(f'<line x1="{x:.1f}" y1="{top3 - 6}" x2="{x:.1f}" y2="{y}" stroke="#ddd" stroke-dasharray="2,3"/>')
            add(f'<text x="{x:.1f}" y="{y + 15}" text-anchor="middle" fill="#555">10^{k}</text>')
    add("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The page


def wine_costs(W, calls):
    """What raw Win32 calls cost in this run, for the page's opening sentence: "; in this run (...) raw Win32 code
    took 50.8 µs for ... (1 wineserver request), ...", or "" if the run has none of those workloads (then the page
    gives no figure)."""
    shown = [("mutex_try_lock", "a try_lock on a mutex another thread holds"),
             ("mutex_lock", "an uncontended NamedMutex lock + unlock"),
             ("section_cycle", "a whole create + map + touch + unmap + close cycle of a 64 KiB section")]
    parts = []
    for wid, what in shown:
        v = variant(W[wid], "raw") if wid in W else None
        if v is None:
            continue
        per = calls.get(wid, {}).get("raw") if calls else None
        requests = "" if per is None else f" ({len(per)} wineserver request{'' if len(per) == 1 else 's'})"
        parts.append(f"{duration(v['us_per_op']['median'])} for {what}{requests}")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"; in this run (medians, under Wine on this machine) raw Win32 code took {listed}"


def traced_against_raw(calls):
    """The traced workloads that have both a sharemap and a raw Win32 variant, split in two: those in which sharemap
    sent exactly the raw code's wineserver requests (the same list, in the same order), and the others. Both empty
    when the run has no trace."""
    both = [w for w in calls if "sharemap" in calls[w] and "raw" in calls[w]] if calls else []
    same = [w for w in both if calls[w]["sharemap"] == calls[w]["raw"]]
    return same, [w for w in both if w not in same]


def listed_text(items):
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def calls_cell(calls, workload):
    per = calls.get(workload, {}) if calls else {}
    if not per:
        return "–"
    return " / ".join(str(len(per[v])) if v in per else "–" for v in ("sharemap", "raw", "boost"))


def channel_section(W, data, calls, p):
    sizes = [wid for wid in CHANNEL_WORKLOAD_NAMES if wid in W]
    have_channel = any(variant(W[wid], "copy") is not None for wid in sizes)
    first = W[sizes[0]] if sizes else W.get("channel_ping_pong")
    slice_ms = f"{first.get('slice_seconds', 0.004) * 1000:.0f} ms"
    p("### The channel")
    p("")
    p("`Sender` and `Receiver` (see [channel.md](channel.md)) pass messages through a ring in a section. Each size "
      "is sent from the benchmark to a child process one message at a time, as fast as it goes, by every way "
      "below, interleaved in slices of about " + slice_ms + " (each way's slice sized to its own speed, so that the child's "
      "wake-up at the start of a slice is a small part of it); a slice ends when the child has received every "
      "message of it. The ratios are **speed-ups**: another way's time per message over the channel's, so 20× "
      "means the channel moved twenty messages while the other moved one (median of the per-round ratios, IQR "
      "in parentheses). These workloads have no A/A control: most of their ratios are far from 1, and the IQRs "
      "show the noise of the ones that are not. The child of every way is pinned to the second CPU, as in the "
      "other cross-process workloads.")
    p("")
    if not have_channel:
        p("> **This run was built without the channel's variants** (`SHAREMAP_BENCH_WITH_CHANNEL` off, or no "
          "`include/sharemap/sender.hpp`): only the baselines ran.")
        p("")
    present = [(vid, name) for vid, name in CHANNEL_VARIANTS if any(variant(W[wid], vid) for wid in sizes)]
    p("Messages per second (time per message, GB/s):")
    p("")
    p("| Messages | " + " | ".join(name for _, name in present) + " |")
    p("|---|" + "---:|" * len(present))
    for wid in sizes:
        w = W[wid]
        p(f"| {CHANNEL_WORKLOAD_NAMES[wid]} | " + " | ".join(channel_cell(w, vid) for vid, _ in present) + " |")
    p("")
    if have_channel:
        others = [(vid, name) for vid, name in present if vid not in ("copy", "zero_copy")]
        p("The channel's speed-up over each other way (its messages per second ÷ theirs):")
        p("")
        p("| Messages | channel | " + " | ".join(f"÷ {name}" for _, name in others) + " |")
        p("|---|---|" + "---|" * len(others))
        for wid in sizes:
            w = W[wid]
            for ch, chname in (("copy", "copying"), ("zero_copy", "zero-copy")):
                if variant(w, ch) is None:
                    continue
                p(f"| {CHANNEL_WORKLOAD_NAMES[wid]} | {chname} | " +
                  " | ".join(speedup_cell(w, vid, ch) for vid, _ in others) + " |")
        p("")
    pp = W.get("channel_ping_pong")
    if pp is not None:
        p("Round trip, 64 B each way:")
        p("")
        p("| | channel | NamedEvent ping-pong | NamedEvent ÷ channel |")
        p("|---|---:|---:|---|")
        p(f"| 64 B ping-pong | {channel_cell(pp, 'channel')} | {channel_cell(pp, 'event')} | "
          f"{speedup_cell(pp, 'event', 'channel')} |")
        p("")
    if calls:
        rows = []
        for wid in sizes + (["channel_ping_pong"] if pp is not None else []):
            per = calls.get(wid, {})
            if per:
                rows.append((wid, per))
        if rows:
            ids = [vid for vid, _ in CHANNEL_VARIANTS] + ["channel", "event"]
            p("Wineserver requests of one message (or round trip) from the `--trace` run (the sender's thread "
              "only): sent to a child idle for 100 ms / sent right after another. A zero count is a message that "
              "cost no kernel call: the child was spinning (a sleeping receiver also wakes every 100 ms to look at "
              "its sender's liveness, and spins a little then). Under the trace every request is "
              "logged, which slows both sides down, so a second message finds its child asleep more often than "
              "in the timed run.")
            p("")
            p("| Workload | " + " | ".join(vid for vid in ids if any(vid in per for _, per in rows)) + " |")
            shown = [vid for vid in ids if any(vid in per for _, per in rows)]
            p("|---|" + "---|" * len(shown))
            for wid, per in rows:
                cells = []
                for vid in shown:
                    if vid not in per:
                        cells.append("–")
                        continue
                    awake = per.get(vid + "@awake")
                    asleep = ", ".join(per[vid])
                    cell = f"{len(per[vid])}" + (f" ({asleep})" if asleep else "")
                    if awake is not None:
                        cell += f" / {len(awake)}" + (f" ({', '.join(awake)})" if awake else "")
                    cells.append(cell)
                p(f"| {SHORT_NAMES.get(wid, wid)} | " + " | ".join(cells) + " |")
            p("")
    p(f"Every variant (messages per round: each way's slices were sized to about {slice_ms} by timing it first):")
    p("")
    p("| Workload | Variant | median | IQR | min – max | per round |")
    p("|---|---|---:|---:|---:|---:|")
    for wid in sizes + (["channel_ping_pong"] if pp is not None else []):
        w = W[wid]
        for v in w["variants"]:
            t = v["us_per_op"]
            p(f"| {SHORT_NAMES.get(wid, wid)} | {v['label']} | {duration(t['median'])} | {duration(t['q1'])} – "
              f"{duration(t['q3'])} | {duration(t['min'])} – {duration(t['max'])} | {v.get('ops_per_round', '–')} |")
    p("")


def channel_findings(W, data, calls, p):
    sizes = [wid for wid in CHANNEL_WORKLOAD_NAMES if wid in W]
    if not sizes:
        return
    if not any(variant(W[wid], "copy") is not None for wid in sizes):
        p("* **The channel's variants were not built in this run**: the channel tables show the baselines only.")
        return
    bits = []
    for wid in sizes:
        w = W[wid]
        r = ratio(w, "memcpy", "zero_copy")
        if r is not None:
            q = r["ratio"]
            bits.append(f"{CHANNEL_WORKLOAD_NAMES[wid]} {times(q['median'])}× (IQR {times(q['q1'])}–{times(q['q3'])})")
    if bits:
        p("* **The channel's zero-copy bandwidth against one process's memcpy** (1.00 = as fast as copying the "
          "bytes once in one process; the target is at least 0.9 for 64 KiB and 1 MiB): " + ", ".join(bits) + ".")
        big = [W[wid] for wid in ("channel_64k", "channel_1m") if wid in W]
        short = [w for w in big if ratio(w, "memcpy", "zero_copy") and
                 ratio(w, "memcpy", "zero_copy")["verdict"] == "missed"]
        if short:
            parts = []
            section_as_fast = True
            for w in short:
                m, ms = variant(w, "memcpy"), variant(w, "memcpy_section")
                if m and ms:
                    parts.append(f"{CHANNEL_WORKLOAD_NAMES[w['id']]}: {duration(m['us_per_op']['median'])} into "
                                 f"private memory, {duration(ms['us_per_op']['median'])} into a section")
                    section_as_fast &= ms["us_per_op"]["median"] <= 1.15 * m["us_per_op"]["median"]
            first = ("Where it falls short, shared memory is not the reason: one process's memcpy is about as fast "
                     "into a section as into its own memory (" if section_as_fast else
                     "Where it falls short, part of it is shared memory: one process's memcpy into a section is "
                     "slower than into its own memory (")
            p("")
            p("  " + first + "; ".join(parts) + ").")
            for w in short:
                name = CHANNEL_WORKLOAD_NAMES[w["id"]]
                m = variant(w, "memcpy")
                awake = (calls or {}).get(w["id"], {}).get("zero_copy@awake")
                if awake is not None:
                    p("")
                if awake is not None and "event_op" in awake:
                    p(f"  {name}: one process copies one in about {duration(m['us_per_op']['median'])}, longer "
                      f"than a receiver spins before it sleeps, and this receiver (which only reads two words of "
                      f"each message) is always done first: so it is asleep when the next message comes, and the "
                      f"sender's `commit()` wakes it, one kernel call per message (`event_op` in the trace, even "
                      f"for a message right after another): a wineserver round trip under Wine, a real part of "
                      f"the copy's time. A receiver that works on the data as long as the sender takes to write it "
                      f"stays awake.")
                elif awake is not None:
                    p(f"  {name}: the trace shows no kernel call for a message right after another (the receiver "
                      f"was spinning). What is left is two CPUs handing the ring's cache lines to each other, the "
                      f"channel's bookkeeping per message, and the machine's other work on the child's CPU (the "
                      f"child is pinned to the second of two; see the load average above), where the memcpy runs "
                      f"on one CPU alone.")
    w = W.get("channel_64b")
    if w is not None:
        r1, r2 = ratio(w, "pipe", "copy"), ratio(w, "pipe", "zero_copy")
        if r1 and r2:
            p(f"* **64-byte messages**: the channel moved {times(r1['ratio']['median'])}× (copying) and "
              f"{times(r2['ratio']['median'])}× (zero-copy) as many per second as a message-mode named pipe (target: "
              f"at least 20×): a pipe message is a kernel call on each side (a wineserver round trip under Wine), "
              f"a channel message none while the receiver is awake.")
    pp = W.get("channel_ping_pong")
    if pp is not None and ratio(pp, "event", "channel") is not None:
        q = ratio(pp, "event", "channel")["ratio"]
        c, e = variant(pp, "channel"), variant(pp, "event")
        p(f"* **Round trip**: {duration(c['us_per_op']['median'])} over two channels against "
          f"{duration(e['us_per_op']['median'])} through two NamedEvents, {times(q['median'])}× faster (IQR "
          f"{times(q['q1'])}–{times(q['q3'])}; target: at least 10×). Both sides answer at once, so each finds the "
          f"next message while it still spins: no kernel call per round trip. A receiver that has gone to sleep "
          f"costs a wake-up, as an event does.")


def page(data, svg_name, calls):
    env = data["environment"]
    W = {w["id"]: w for w in data["workloads"]}
    lines = []
    p = lines.append

    p("# Performance")
    p("")
    p("<!-- Generated by bench/report.py from the benchmark's results.json: edit the script, not this page. -->")
    p("")
    p("A wrapper earns its place only if it costs nothing. `sharemap-bench` runs each operation three ways in one "
      "process run: through sharemap, with the raw Win32 calls that do exactly the same work (the floor: a wrapper "
      "can only add to it), and with Boost.Interprocess where Boost has the feature and it runs. The variants of a "
      "workload are interleaved a few milliseconds apart, in an order shuffled afresh each time, so that whatever "
      "else the machine does falls on all of them alike.")
    p("")
    p("## Run it")
    p("")
    p("```sh")
    p("bash scripts/bench.sh")
    p("```")
    p("")
    p("On Debian 12 or Ubuntu this installs what is missing with `apt-get` (through `scripts/deps.sh`: the mingw-w64 "
      "cross compiler, Wine, CMake, Ninja, Boost's headers, Python 3), builds `sharemap-bench` with the "
      "`linux-mingw-gcc` preset (RelWithDebInfo, `-O2`), runs it under Wine in the build tree's prefix, writes "
      "`build/linux-mingw-gcc/bench/results.json` and `results.csv`, runs it once more with `--trace` under "
      "`WINEDEBUG=+server` to list the wineserver requests of one operation per variant (`bench/calls.py`), and "
      "regenerates this page and its chart with `bench/report.py`, keeping the data in `bench/last-run/`. It takes "
      f"about {minutes_text(data.get('seconds', 180))} on 2 cores (a first run also creates the Wine prefix and builds the program). Arguments go to the benchmark: "
      "`bash scripts/bench.sh --only attach,ping_pong --rounds 41` (the channel's workloads: `channel_64b`, "
      "`channel_1k`, `channel_64k`, `channel_1m`, `channel_ping_pong`), or `--quick` for a smoke run (nothing is "
      "regenerated from a quick run).")
    p("")
    p("### On Windows")
    p("")
    p("The Windows presets build `sharemap-bench` too (it is built whenever sharemap is the top-level project). "
      "Boost.Interprocess is header-only; CMake takes it from `SHAREMAP_BENCH_BOOST_INCLUDE_DIR` (a folder holding "
      "`boost/`), or else from `find_package(Boost)` (a vcpkg toolchain, `Boost_ROOT`, `CMAKE_PREFIX_PATH`). "
      "Without Boost the benchmark compares sharemap with raw Win32 only and says so.")
    p("")
    p("```bat")
    p("cmake --preset windows-msvc -DSHAREMAP_BENCH_BOOST_INCLUDE_DIR=C:/local/boost_1_81_0")
    p("cmake --build --preset windows-msvc --target sharemap-bench")
    p("build\\windows-msvc\\bin\\RelWithDebInfo\\sharemap-bench.exe --out .")
    p("python bench\\report.py results.json --md performance.md --svg performance.svg")
    p("```")
    p("")
    p("With the `windows-mingw` preset the program is `build\\windows-mingw\\bin\\sharemap-bench.exe`. On Windows "
      "Boost's `named_mutex` works, so the benchmark adds Boost to the two mutex workloads by itself.")
    p("")

    p("## Reading the numbers")
    p("")
    p("**Absolute times here are Wine's costs, not Windows'.** Under Wine every call on a kernel object (create, "
      "open, map, unmap, close, wait, set) is a round trip to the `wineserver` process" + wine_costs(W, calls) +
      ". On Windows the same calls are system calls and much cheaper; nothing on this page was measured on Windows.")
    p("")
    p("**The ratios are what carry over to Windows.** A ratio compares two ways of doing the same work on the same "
      "machine within milliseconds; it says whether sharemap makes more, fewer or costlier calls than the raw code, "
      "and sharemap makes the same calls on Windows as here. What does not carry over one to one is sharemap's own "
      "user-mode work (converting a UTF-8 name to UTF-16, filling a `SECURITY_ATTRIBUTES`, checking results into a "
      "`std::error_code`): tens to a few hundred nanoseconds, which vanish beside a Wine round trip and are a "
      "larger share of a cheaper Windows call. Run the benchmark on Windows to see it there.")
    p("")
    p("How the numbers are made:")
    p("")
    p("* A **round** runs the same number of operations with every variant, in **slices** of 2–5 ms (one operation "
      "for the bulk and file workloads): each slice runs a few operations with each variant in turn, in a freshly "
      "shuffled order, timed with `QueryPerformanceCounter`. A variant's value for the round is the time of its "
      "slices over their operations. One warm-up round is run first and not counted. In the channel's workloads, "
      "whose variants differ in speed by up to four orders of magnitude, each variant's slice is instead sized "
      "to take about the same time (its operations counted first), and a round is a fixed number of slices.")
    p("* In the cross-process workloads (ping-pong, contention, bulk transfer, the channel's) the parent's thread is pinned to CPU 0 and "
      "the children to CPU 1. Left to the scheduler, each variant's pair of processes kept a placement of its own "
      "for many rounds, and the same raw code measured as two variants differed by up to 13%.")
    p("* Times are the **median** over rounds, with the interquartile range (IQR: the middle half of the rounds) "
      "as the spread; min and max are in the detail tables and in `results.json` (every round is there).")
    p("* A **ratio** is the median of the per-round ratios (sharemap's time over raw's time in the same round), "
      "with its IQR. Below 1.00 sharemap was faster.")
    p("* The **A/A control** runs the raw Win32 code twice, as two variants. Its ratio should be 1.00; how far it "
      "strays is the noise of this machine, against which the other ratios should be read.")
    p("* **Targets**: sharemap ÷ raw Win32 at most **1.03** on every workload; sharemap ÷ Boost at most "
      "**1.00** where both run (a *tie* when the median is above 1.00 but 1.00 is inside the ratio's IQR: no "
      "difference the run can tell). The channel's targets are speed-ups (another way's time over the channel's): "
      "at least **20×** a named pipe's messages per second for 64-byte messages, at least **0.9×** one process's "
      "memcpy bandwidth for zero-copy 64 KiB and 1 MiB messages, and a round trip at least **10×** faster than "
      "through two NamedEvents; each is met by its median or missed.")
    p("")

    # Results.
    p("## Results")
    p("")
    when = data.get("started_utc", "?")
    commit = data.get("commit") or "unknown"
    p(f"One run of `sharemap-bench` on {when}, commit `{commit}`, {data.get('seconds', 0):.0f} s in all:")
    p("")
    if env.get("host"):
        p(f"* Host: {env['host']}")
    p(f"* Windows side: {env['os']}; CPU as Wine reports it: {env['cpu']}, {env['logical_processors']} logical "
      f"processors")
    p(f"* Compiler: {env['compiler']}, {env['config']}; Boost {env.get('boost') or 'not used'}")
    if data.get("file_size"):
        size = data["file_size"] / (1 << 20)
        note = f" ({data['file_size_note']})" if data.get("file_size_note") else ""
        p(f"* File workload: a {size:.0f} MiB file in the temp folder{note}, written just before and so in the page "
          f"cache: it measures mapping and copying, not the disk")
    for note in data.get("notes", []):
        p(f"* {note}")
    p("")
    if data.get("quick"):
        p("> **This is a `--quick` run**: too few rounds to trust; regenerate from a full run.")
        p("")

    p("### Summary")
    p("")
    p("Times are medians per operation over the rounds. Ratios are medians of the per-round ratios (not the ratio "
      "of the two medians), with their interquartile range in parentheses.")
    p("")
    with_calls = bool(calls)
    p("| Workload | sharemap | raw Win32 | Boost.Interprocess | sharemap ÷ raw (target ≤ 1.03) | "
      "sharemap ÷ Boost (target ≤ 1.00) | A/A control: raw ÷ raw |" +
      (" wineserver requests per operation: sharemap / raw / Boost |" if with_calls else ""))
    p("|---|---:|---:|---:|---|---|---|" + ("---|" if with_calls else ""))
    for wid in WORKLOAD_NAMES:
        w = W.get(wid)
        if w is None:
            continue
        p(f"| {WORKLOAD_NAMES[wid]} | {time_cell(w, 'sharemap')} | {time_cell(w, 'raw')} | "
          f"{time_cell(w, 'boost')} | {ratio_cell(ratio(w, 'sharemap', 'raw'))} | "
          f"{ratio_cell(ratio(w, 'sharemap', 'boost'))} | {ratio_cell(ratio(w, 'raw_aa', 'raw'))} |" +
          (f" {calls_cell(calls, wid)} |" if with_calls else ""))
    p("")
    p(f"![Time relative to raw Win32 per workload, and throughput]({svg_name})")
    p("")

    if any(wid in W for wid in SECTION_WORKLOAD_NAMES):
        p("### Locks in the shared memory")
        p("")
        p("`SectionMutex` and `SectionEvent` keep their state in the section (see [section-mutex.md]"
          "(section-mutex.md)); they are compared with the kernel objects `NamedMutex` / `NamedEvent` and with "
          "Boost.Interprocess's `interprocess_mutex` placed in a section (a spin lock with no owner, so it cannot "
          "report a dead one). Raw Win32 has no such lock. The Boost column of the NamedMutex rows above is Boost's "
          "`named_mutex`, which on Windows is also a spin lock in a mapped file: information, not a target.")
        p("")
        p("| Workload | Section* | Named* | Boost, in a section | Section ÷ Named | Section ÷ Boost (target ≤ 1.00) "
          "| A/A control |" + (" wineserver requests per operation: section / named / Boost |" if with_calls
                                else ""))
        p("|---|---:|---:|---:|---|---|---|" + ("---|" if with_calls else ""))
        for wid, name in SECTION_WORKLOAD_NAMES.items():
            w = W.get(wid)
            if w is None:
                continue
            per = calls.get(wid, {}) if calls else {}
            counts = " / ".join(str(len(per[v])) if v in per else "–" for v in ("section", "named", "boost"))
            p(f"| {name} | {time_cell(w, 'section')} | {time_cell(w, 'named')} | {time_cell(w, 'boost')} | "
              f"{ratio_cell(ratio(w, 'section', 'named'))} | {ratio_cell(ratio(w, 'section', 'boost'))} | "
              f"{ratio_cell(ratio(w, 'section_aa', 'section'))} |" + (f" {counts} |" if with_calls else ""))
        p("")

    if any(wid in W for wid in list(CHANNEL_WORKLOAD_NAMES) + ["channel_ping_pong"]):
        channel_section(W, data, calls, p)

    targets = [(w, r) for w in data["workloads"] for r in w["ratios"] if r.get("verdict")]
    met = [x for x in targets if x[1]["verdict"] in ("met", "tie")]
    missed = [x for x in targets if x[1]["verdict"] == "missed"]
    p("### Targets")
    p("")
    p(f"{len(met)} of {len(targets)} targets met" + ("." if not missed else f"; missed: {len(missed)}."))
    p("")
    for w, r in missed:
        q = r["ratio"]
        aa = ratio(w, "raw_aa", "raw")
        line = (f"* **{SHORT_NAMES.get(w['id'], w['id'])}, {r['numerator']} ÷ {r['denominator']}**: {q['median']:.3f} "
                f"(IQR {q['q1']:.3f}–{q['q3']:.3f}, min {q['min']:.3f}, max {q['max']:.3f}).")
        if r["target"] == "at_least":
            line = line[:-1] + f"; the target is at least {r['limit']:g}."
        if aa is not None:
            a = aa["ratio"]
            line += (f" The A/A control on the same workload: {a['median']:.3f} (IQR {a['q1']:.3f}–{a['q3']:.3f}, "
                     f"min {a['min']:.3f}, max {a['max']:.3f}).")
            if a["q3"] - a["q1"] >= q["median"] - 1 or abs(a["median"] - 1) >= (q["median"] - 1) / 2:
                line += " The miss is within the noise this run measured for identical code."
        p(line)
    ties = [x for x in targets if x[1]["verdict"] == "tie"]
    for w, r in ties:
        q = r["ratio"]
        p(f"* Tie: {SHORT_NAMES.get(w['id'], w['id'])}, {r['numerator']} ÷ {r['denominator']} {q['median']:.3f} "
          f"(IQR {q['q1']:.3f}–{q['q3']:.3f}).")
    strays = [(w, r) for w in data["workloads"] for r in w["ratios"]
              if r["target"] == "control" and abs(r["ratio"]["median"] - 1) > 0.03]
    for w, r in strays:
        q = r["ratio"]
        p(f"* The A/A control of **{SHORT_NAMES.get(w['id'], w['id'])}** strayed to {q['median']:.3f} (IQR "
          f"{q['q1']:.3f}–{q['q3']:.3f}): identical code measured as two variants differed by that much, so that "
          f"workload's ratios carry the same uncertainty. In the cross-process workloads each variant has its own "
          f"child process, and the wineserver that every round trip goes through is not pinned.")
    if missed or ties or strays:
        p("")

    p("### Every variant")
    p("")
    for wid, name in list(WORKLOAD_NAMES.items()) + list(SECTION_WORKLOAD_NAMES.items()):
        w = W.get(wid)
        if w is None:
            continue
        base = "raw" if variant(w, "raw") is not None else "named"
        base_label = "raw Win32" if base == "raw" else variant(w, "named")["label"]
        p(f"**{name}**: {w['title']}; {w['ops_per_round']} operations per round and variant, "
          f"interleaved {w['ops_per_slice']} at a time; {w['rounds']} rounds.")
        p("")
        tp = w.get("bytes_per_op", 0) > 0
        p("| Variant | median | IQR | min – max |" + (" GB/s (median) |" if tp else "") + f" ÷ {base_label} (IQR) |")
        p("|---|---:|---:|---:|" + ("---:|" if tp else "") + "---|")
        for v in w["variants"]:
            t = v["us_per_op"]
            q = ratio_rounds(w, v["id"], base) if v["id"] != base else None
            rq = f"{q['median']:.3f} ({q['q1']:.3f}–{q['q3']:.3f})" if q else "1"
            row = (f"| {v['label']} | {duration(t['median'])} | {duration(t['q1'])} – {duration(t['q3'])} | "
                   f"{duration(t['min'])} – {duration(t['max'])} |")
            if tp:
                row += f" {v['gb_per_s']['median']:.2f} |"
            p(row + f" {rq} |")
        p("")

    p("## What each workload does")
    p("")
    p("Every variant of a workload does the same work, checks every result, and has its own objects (names unique "
      "to the run and the variant). The code is in `bench/`: `impl_sharemap.cpp`, `impl_raw.cpp`, "
      "`impl_boost.cpp`; what is not the library under test (the bulk data path, the byte sum) is written once in "
      "`bench.hpp`.")
    p("")
    p("* **Section cycle**: `FileMapping::create(name, 64 KiB)`, `map()`, write one byte, then the view and the "
      "section go out of scope. Raw: `CreateFileMappingW` + `MapViewOfFile` + write + `UnmapViewOfFile` + "
      "`CloseHandle`. Boost: `windows_shared_memory(create_only, …)` + `mapped_region(shm, read_write, 0, 64 KiB)`.")
    p("* **Attach** (what a client pays to use a section another process made): `FileMapping::open(name, "
      "Access::read)` + `map(Access::read, 0, 64 KiB)` + read 8 bytes + unmap + close. Raw: `OpenFileMappingW("
      "FILE_MAP_READ)` + `MapViewOfFile(…, 64 KiB)`. Boost: `windows_shared_memory(open_only, …, read_only)` + "
      "`mapped_region(shm, read_only, 0, 64 KiB)`.")
    p("* **Attach, size asked**: the same with `map(Access::read, 0, 0)`: length 0 on a section opened by name "
      "makes sharemap ask the kernel for the section's size (`NtQuerySection`), one more call. Compared with raw "
      "code that asks the same way (`OpenFileMappingW(FILE_MAP_READ | SECTION_QUERY)` + `NtQuerySection` + "
      "`MapViewOfFile`), with Boost's `mapped_region` of size 0 (which asks the same way), and, for information, "
      "with raw code that knows the length.")
    p("* **Mutex lock + unlock**: `NamedMutex::lock()` + `unlock()` on a mutex nobody else holds. Raw: "
      "`WaitForSingleObject(INFINITE)` + `ReleaseMutex`.")
    p("* **try_lock, held**: another thread holds the mutex; `try_lock()` returns false. Raw: "
      "`WaitForSingleObject(h, 0)` returns `WAIT_TIMEOUT`.")
    p("* **Ping-pong**: a child process (this program started again with `--child`) waits on event A and sets "
      "event B; the parent sets A and waits on B. One round trip = two set + wait pairs, each a wineserver round "
      "trip and a wake-up of the other process. Both sides use the variant's API. Boost.Interprocess has no event "
      "type: no Boost variant.")
    p("* **SectionMutex lock + unlock**: `lock()` + `unlock()` of a `SectionMutex` in a named section, nobody else "
      "holding it, against `NamedMutex` (the same as *mutex lock + unlock* above) and Boost's `interprocess_mutex` "
      "constructed in a `windows_shared_memory`. Code: `impl_section.cpp`, `impl_boost_section.cpp`.")
    p("* **Two processes contending**: the parent times lock + increment + unlock while a child (on the other CPU) "
      "does the same on the same lock in a loop; per operation of the parent. `SectionMutex`, `NamedMutex`, and "
      "Boost's in-section mutex.")
    p("* **SectionEvent ping-pong**: as *ping-pong*, through two automatic-reset `SectionEvent`s in a section, "
      "against the `NamedEvent` ping-pong.")
    p("* **Bulk transfer**: a 64 MiB section (plus a 4 KiB header holding a counter) mapped by the parent (writer) "
      "and a child (reader). The writer copies 64 chunks of 1 MiB into it, publishing each by bumping the counter "
      "and setting an auto-reset event; the reader copies each chunk out as it arrives, checks its sequence "
      "number, and sets a second event after the 64th. One operation is one 64 MiB transfer; GB/s is 64 MiB over "
      "its time. The baseline is one process copying the same 64 MiB with `memcpy` in 1 MiB chunks: the memory "
      "bandwidth a transfer must share between two copies. Boost's variant maps the section with Boost and hands "
      "off with the same Win32 events as the raw one.")
    p("* **File map + sum**: `map_file(path, Access::read)` and a sum of every byte (8 bytes a step, the same "
      "code for all). Raw: `CreateFileW` + `GetFileSizeEx` + `CreateFileMappingW` + `MapViewOfFile` + close both "
      "+ sum + `UnmapViewOfFile`. Boost: `file_mapping` + `mapped_region`. For information: `ReadFile` into a "
      "1 MiB buffer, summing each chunk.")
    if any(wid in W for wid in CHANNEL_WORKLOAD_NAMES):
        p("* **Channel messages** (64 B, 1 KiB, 64 KiB, 1 MiB; code in `impl_channel.cpp` and "
          "`impl_boost_channel.cpp`): the benchmark sends numbered messages to a child, which checks each number "
          "(stamped in a message's first and last 8 bytes) and bumps a counter in a small section after each; a "
          "slice ends when the counter reaches the last message sent (the benchmark spins on it, no kernel call). "
          "*Channel, copying*: `Sender::send` from a buffer / `Receiver::receive_into` a buffer. *Channel, "
          "zero-copy*: `Sender::reserve`, copy the source into the reservation, `commit()` / `Receiver::receive`, "
          "read the two stamped words where the message lies, release it (the receiver copies nothing). The "
          "channel's ring holds 16 messages (at least 64 KiB). *Named pipe*: `CreateNamedPipeW(PIPE_ACCESS_OUTBOUND, "
          "PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 64 KiB buffers)`, `WriteFile` / `ReadFile` of whole "
          "messages. *Semaphore ring*: the scheme `examples/02-producer-consumer` used before the channel: 16 slots of the message size "
          "in a section and two `NamedSemaphore`s (free slots, filled slots); the consumer copies a slot out and "
          "frees it. *Boost message_queue*: `boost::interprocess::message_queue` of 16 messages of that size, "
          "`send` / `receive` (both copy). *memcpy, one process*: the same bytes copied by one thread into a "
          "buffer as large as the channel's ring, cycling through it: the limit of the copying the others do. "
          "*memcpy into a section*: the same into a section of that size mapped by the same process: the limit "
          "in shared memory, which under Wine is a shared mapping of a file in /tmp.")
    if "channel_ping_pong" in W:
        p("* **Channel ping-pong**: 64 B to the child over one channel, 64 B back over another (`send` / "
          "`receive_into` on both sides), against the same round trip through two auto-reset `NamedEvent`s. The "
          "child is busy answering, so this measures a receiver that is awake.")
    p("")

    p("## Findings")
    p("")
    cyc_boost = ratio(W["section_cycle"], "sharemap", "boost") if "section_cycle" in W else None
    att_boost = ratio(W["attach"], "sharemap", "boost") if "attach" in W else None
    ask = ratio(W["attach_query"], "sharemap", "raw_sized") if "attach_query" in W else None
    raw_ratios = [ratio(w, "sharemap", "raw")["ratio"]["median"] for w in data["workloads"]
                  if ratio(w, "sharemap", "raw") is not None]
    spread = max(abs(x - 1) for x in raw_ratios) if raw_ratios else 0
    # The claim comes from the trace (the next point), so that it stays true when a path's requests change.
    same, other = traced_against_raw(calls)
    if other:
        exceptions = listed_text([SHORT_NAMES.get(w, w) for w in other])
        claim = (f"**sharemap makes the same kernel calls as the raw code on {len(same)} of the "
                 f"{len(same) + len(other)} workloads traced; not on {exceptions}** (the requests are in the next "
                 f"point)")
    elif same:
        claim = f"**sharemap makes the same kernel calls as the raw code on all {len(same)} workloads traced**"
    else:
        claim = "**sharemap's kernel calls were not traced in this run**: only the reading below says which they are"
    p(f"* {claim}; in this run sharemap's ratios to "
      f"raw Win32 are within {spread * 100:.1f}% of 1.00, to be read against the A/A control's. Reading the "
      "library: `create` is one `CreateFileMappingW` (with a `SECURITY_ATTRIBUTES` holding no descriptor where raw "
      "code passes NULL: the same request); `map` is one `MapViewOfFileEx(…, NULL)` (what `MapViewOfFile` calls); "
      "the allocation granularity comes from one `GetSystemInfo` per process, cached; a known size is never asked "
      "for again; unmap and close are one `UnmapViewOfFile` and one `CloseHandle`, which only save and restore the "
      "thread's last-error value around them. Locks, waits and sets are exactly one `WaitForSingleObject`, "
      "`ReleaseMutex` or `SetEvent`; `try_lock()` converts a zero `std::chrono` timeout to 0 ms without reading a "
      "clock.")
    if same or other:
        text = (f"* **Traced, not only read**: `sharemap-bench --trace` runs one operation per variant under "
                f"`WINEDEBUG=+server`, and `bench/calls.py` lists the wineserver requests each sends (the last "
                f"column of the summary). sharemap sends exactly the raw code's requests in "
                f"{len(same)} of {len(same) + len(other)} workloads")
        for w in other:
            sm, rw = calls[w]["sharemap"], calls[w]["raw"]
            if w == "file_sum" and len(sm) == len(rw):
                text += (f"; in the file workload as many ({len(sm)}), but `map_file` learns the size from the "
                         f"section (`NtQuerySection`: `get_mapping_info`) where the raw code asks the file "
                         f"(`GetFileSizeEx`: `get_handle_fd`)")
            else:
                text += f"; in {w} {len(sm)} against {len(rw)}"
        text += "."
        if "file_sum" in calls and "readfile" in calls["file_sum"]:
            text += (f" `ReadFile` needs no request per read under Wine (the file's descriptor is cached): "
                     f"{len(calls['file_sum']['readfile'])} requests for the whole file.")
        p(text)
    if ask is not None:
        q = ask["ratio"]
        p(f"* **`map()` with length 0 on a section opened by name costs one more kernel call** "
          f"(`NtQuerySection`): {percent(q['median'])} here over raw code that knows the length "
          f"(ratio {q['median']:.3f}, IQR {q['q1']:.3f}–{q['q3']:.3f}). That is the price of `size()`: raw code "
          f"that asks pays the same (the sharemap ÷ raw row of *attach, size asked*). When the protocol knows the "
          f"length, pass it.")
    if cyc_boost is not None and att_boost is not None:
        p(f"* **Boost.Interprocess is slower on the section paths** (sharemap ÷ Boost "
          f"{cyc_boost['ratio']['median']:.3f} for the cycle, {att_boost['ratio']['median']:.3f} for attach) "
          f"because `mapped_region` duplicates the section handle when it maps (`DuplicateHandle`, so the region "
          f"outlives its `windows_shared_memory`) and closes that duplicate when it unmaps: two more kernel calls "
          f"per cycle (`dup_handle` and `close_handle` in the trace), which sharemap avoids (a `MappedView` "
          f"outlives its `FileMapping` because Windows keeps a mapped section alive). Its `file_mapping` does the "
          f"same with the file handle.")
    if any("named_mutex is left out" in note for note in data.get("notes", [])):
        p("* **Boost's `named_mutex` does not run here** (see the notes above), so the mutex rows have no Boost "
          "column. On Windows the benchmark includes it.")
    if "bulk_transfer" in W:
        b = W["bulk_transfer"]
        s, m = variant(b, "sharemap"), variant(b, "memcpy")
        if s and m:
            p(f"* **Bulk transfer**: the data path is plain memory in every variant (sharemap's `data()` is the "
              f"pointer `MapViewOfFile` returned), so the variants differ only by noise. Through the section the "
              f"transfer reaches {s['gb_per_s']['median']:.2f} GB/s against {m['gb_per_s']['median']:.2f} GB/s "
              f"for one process's `memcpy`: the writer's and the reader's copies share the memory bandwidth, and "
              f"each of the 64 event hand-offs per transfer is a wineserver round trip.")
    if "file_sum" in W:
        f = W["file_sum"]
        s, rf = variant(f, "sharemap"), variant(f, "readfile")
        if s and rf:
            p(f"* **Mapping against `ReadFile`**: summing the mapped file ran at {s['gb_per_s']['median']:.2f} GB/s, "
              f"reading it with `ReadFile` into a 1 MiB buffer at {rf['gb_per_s']['median']:.2f} GB/s (file in "
              f"the page cache; each page of a mapping is faulted in once, each `ReadFile` copies).")
    channel_findings(W, data, calls, p)
    p("")
    p("## Files")
    p("")
    p("* `bench/main.cpp`: the harness (rounds, shuffled slices, statistics, `results.json` / `results.csv`, the "
      "child processes).")
    p("* `bench/impl_sharemap.cpp`, `bench/impl_raw.cpp`, `bench/impl_boost.cpp`, `bench/impl_section.cpp`, "
      "`bench/impl_boost_section.cpp`, `bench/impl_channel.cpp`, `bench/impl_boost_channel.cpp`: the variants.")
    p("* `bench/calls.py`: each variant's wineserver requests, from a `--trace` run under `WINEDEBUG=+server`.")
    p("* `bench/report.py`: this page and `performance.svg` from `results.json` and `calls.json`.")
    p("* `bench/last-run/`: `results.json` (every round of every variant), `results.csv` and `calls.json` of the run "
      "shown here: `python3 bench/report.py bench/last-run/results.json --calls bench/last-run/calls.json --md "
      "docs/performance.md --svg docs/performance.svg` regenerates this page from them.")
    p("* `scripts/bench.sh`: the one command.")
    p("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="results.json written by sharemap-bench")
    ap.add_argument("--md", help="write the page here (default: standard output)")
    ap.add_argument("--svg", help="write the chart here")
    ap.add_argument("--calls", help="calls.json from bench/calls.py: each variant's wineserver requests")
    args = ap.parse_args()
    with open(args.results, encoding="utf-8") as f:
        data = json.load(f)
    # A speed-up target is met by the median or missed: no tie (sharemap-bench wrote "tie" for an interquartile
    # range reaching the target until it was made to agree).
    for w in data["workloads"]:
        for r in w["ratios"]:
            if r.get("target") == "at_least":
                r["verdict"] = "met" if r["ratio"]["median"] >= r["limit"] else "missed"
    svg_name = "performance.svg"
    if args.svg:
        with open(args.svg, "w", encoding="utf-8") as f:
            f.write(svg_chart(data))
        if args.md:
            svg_name = os.path.relpath(args.svg, os.path.dirname(os.path.abspath(args.md)))
        else:
            svg_name = os.path.basename(args.svg)
    calls = None
    if args.calls:
        with open(args.calls, encoding="utf-8") as f:
            calls = json.load(f)
    text = page(data, svg_name, calls)
    if args.md:
        with open(args.md, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Lists the wineserver requests each variant makes for one operation of each workload, side by side.

    . build/linux-mingw-gcc/wine-env.sh
    WINEDEBUG=+server,+debugstr "$SHAREMAP_WINE" "$SHAREMAP_BIN_DIR/sharemap-bench.exe" --trace 2> trace.txt
    python3 bench/calls.py trace.txt [--json calls.json]

Under Wine every kernel-object call is a request to the wineserver, so equal lists mean equal work for the kernel.
sharemap-bench --trace runs one unmarked operation per variant (lazy set-up) and then one between markers; this
reads the requests the marking thread sent between them. Requests from other threads and processes (a child, a
mutex holder) are not listed.
"""

import json
import re
import sys

MARK = re.compile(r'^([0-9a-f]+):warn:debugstr:OutputDebugStringA "sharemap-bench: (begin|end) (\S+) (\S+)\\n"')
REQUEST = re.compile(r"^([0-9a-f]+): (\w+)\((?!\) =)(.*)$")


def main():
    args = sys.argv[1:]
    json_path = None
    if len(args) == 3 and args[1] == "--json":
        json_path = args[2]
        args = args[:1]
    if len(args) != 1:
        sys.exit(__doc__)
    calls = {}  # (workload, variant) -> [request, ...]
    order = []
    current = None  # (thread, workload, variant)
    with open(args[0], encoding="utf-8", errors="replace") as f:
        for line in f:
            m = MARK.match(line)
            if m:
                thread, what, workload, variant = m.groups()
                if what == "begin":
                    current = (thread, workload, variant)
                    calls[(workload, variant)] = []
                    order.append((workload, variant))
                else:
                    current = None
                continue
            m = REQUEST.match(line)
            if current and m and m.group(1) == current[0]:
                if 'name=L"DBWIN_BUFFER"' in m.group(3) or 'name=L"DBWinMutex"' in m.group(3):
                    continue  # OutputDebugStringA itself, looking for a debugger
                calls[(current[1], current[2])].append(m.group(2))
    if not order:
        sys.exit("no sharemap-bench markers found: run the benchmark with --trace under WINEDEBUG=+server,+debugstr")
    workloads = []
    for workload, _ in order:
        if workload not in workloads:
            workloads.append(workload)
    for workload in workloads:
        print(f"== {workload}")
        reference = calls.get((workload, "raw"))
        for (w, variant) in order:
            if w != workload:
                continue
            requests = calls[(w, variant)]
            note = ""
            if reference is not None and variant != "raw":
                if requests == reference:
                    note = "   same as raw"
                elif len(requests) == len(reference):
                    note = "   as many as raw, not the same ones"
                else:
                    note = f"   {len(requests) - len(reference):+d} against raw"
            print(f"   {variant:10} {len(requests):3} requests: {', '.join(requests)}{note}")
    if json_path:
        result = {}
        for (workload, variant) in order:
            result.setdefault(workload, {})[variant] = calls[(workload, variant)]
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

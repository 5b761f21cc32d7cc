#!/bin/sh
# sharemap's CTest emulator under Wine: `sh wine-run.sh wine program.exe args...` runs the program and passes on its
# output and exit status. If the program failed without printing anything at all, it is run once more, with a note.
#
# Why: about once in 20 runs of the suite, one test program ended in 0.02 s with a failure status and no output,
# and the same test passed in every rerun (over 100 tries). The Catch2 test programs print as soon as they start
# (the tests' main makes stdout unbuffered, and Catch2 prints its filter first), so their silent failure means Wine
# never started them; a test that did start and failed is reported as it is, never retried. (A program that can
# fail without printing is at most run twice; a failure that repeats is still reported.)
# Output goes to files, not to CTest's pipes: a wineserver started by this program inherits them (and would keep
# CTest waiting for as long as it lives).
out=$(mktemp "${TMPDIR:-/tmp}/sharemap-run.XXXXXX") || exit 125
err=$(mktemp "${TMPDIR:-/tmp}/sharemap-run.XXXXXX") || exit 125
"$@" >"$out" 2>"$err"
status=$?
if [ "$status" -ne 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ]; then
    echo "wine-run.sh: exit status $status before the program printed anything (Wine did not start it); running it again" >&2
    "$@" >"$out" 2>"$err"
    status=$?
fi
cat "$out"
cat "$err" >&2
rm -f "$out" "$err"
exit "$status"

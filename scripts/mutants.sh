#!/usr/bin/env bash
# Mutation testing: applies each small, plausible bug listed in scripts/mutants/ to a scratch copy of the
# repository, rebuilds sharemap_tests, runs the tests that should catch it under Wine and reports KILLED or SURVIVED.
#   bash scripts/mutants.sh                      every mutant in scripts/mutants/
#   bash scripts/mutants.sh 04 wait-all          only mutants whose file name contains one of the words
#   bash scripts/mutants.sh --check              only check that every mutant still applies (no build; seconds)
#   bash scripts/mutants.sh --baseline ...       also run each mutant's tests once unmutated first
# Exits non-zero if a mutant no longer applies (its find text is not in the code exactly once: the code moved and
# the mutant must be updated), if the unmutated build fails, or if a mutant not marked wine-cannot-show survives.
# See docs/testing.md, "Mutation testing", for the format of a mutant, the score and what each survivor means.
#
# Environment:
#   SHAREMAP_MUTANTS_DIR       scratch directory (default build/mutants): src/ is a copy of the repository (git
#                              ls-files), configured once with the linux-mingw-gcc preset into src/build/
#   SHAREMAP_MUTANTS_OPT       compiler flags replacing RelWithDebInfo's -O2 -g (default "-O0 -DNDEBUG": a mutant
#                              rebuilds every test translation unit, and -O0 without debug information compiles
#                              about twice as fast; empty keeps the preset's flags)
#   SHAREMAP_MUTANTS_EXAMPLES  ON to build the examples too (and so the interop tests); default OFF
#   SHAREMAP_MUTANTS_NO_BASELINE  1 to skip building the unmutated tree first (resuming an interrupted run)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
list_dir="$repo/scripts/mutants"
work="${SHAREMAP_MUTANTS_DIR:-$repo/build/mutants}"
opt="${SHAREMAP_MUTANTS_OPT--O0 -DNDEBUG}"
preset=linux-mingw-gcc

check_only=0
baseline=0
filters=()
for a in "$@"; do
    case "$a" in
        --check) check_only=1 ;;
        --baseline) baseline=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) filters+=("$a") ;;
    esac
done

# ---- the mutant list -------------------------------------------------------------------------------------------
# A mutant file: header lines "key: value", then "--- find", the exact text, "--- replace", its replacement, and
# optionally "--- end". Keys: file (relative to include/), tests (a CTest -R regex, or "all"), about (one line),
# wine-cannot-show (yes: its survival is expected and explained in docs/testing.md).
m_file="" m_tests="" m_about="" m_wine="" m_find="" m_replace=""
parse_mutant() {
    m_file="" m_tests="" m_about="" m_wine="no" m_find="" m_replace=""
    local state=header line have_find=0 have_replace=0
    while IFS= read -r line || [ -n "$line" ]; do
        case "$state:$line" in
            *:"--- find") state=find; have_find=1; continue ;;
            *:"--- replace") state=replace; have_replace=1; continue ;;
            *:"--- end") state=done; continue ;;
        esac
        case "$state" in
            header)
                case "$line" in
                    file:*) m_file="$(echo "${line#file:}" | xargs)" ;;
                    tests:*) m_tests="$(echo "${line#tests:}" | sed 's/^ *//; s/ *$//')" ;;
                    about:*) m_about="$(echo "${line#about:}" | sed 's/^ *//')" ;;
                    wine-cannot-show:*) m_wine="$(echo "${line#wine-cannot-show:}" | xargs)" ;;
                    "#"*|"") ;;
                    *) echo "mutants.sh: $1: unknown header line: $line" >&2; return 1 ;;
                esac ;;
            find) m_find+="$line"$'\n' ;;
            replace) m_replace+="$line"$'\n' ;;
        esac
    done <"$1"
    if [ -z "$m_file" ] || [ -z "$m_tests" ] || [ -z "$m_about" ] || [ $have_find = 0 ] || [ $have_replace = 0 ]; then
        echo "mutants.sh: $1: needs file:, tests:, about:, --- find and --- replace" >&2
        return 1
    fi
}

# Replaces the one occurrence of $m_find in $1 by $m_replace; fails if it occurs zero or several times.
apply_mutant() {
    local target="$1" content rest
    content="$(cat "$target"; printf x)"
    content="${content%x}"
    case "$content" in
        *"$m_find"*) ;;
        *) echo "does not apply: find text not found in include/$m_file"; return 1 ;;
    esac
    rest="${content#*"$m_find"}"
    case "$rest" in
        *"$m_find"*) echo "does not apply: find text occurs more than once in include/$m_file"; return 1 ;;
    esac
    printf '%s' "${content/"$m_find"/"$m_replace"}" >"$target"
}

# In the order of the words given (each mutant once), or of the file names.
mutants=()
for w in "${filters[@]:-}"; do
    for f in "$list_dir"/*.mutant; do
        name="$(basename "$f" .mutant)"
        case "$name" in *"$w"*) ;; *) continue ;; esac
        case " ${mutants[*]:-} " in *" $name "*) continue ;; esac
        mutants+=("$name")
    done
done
if [ ${#mutants[@]} -eq 0 ]; then
    echo "mutants.sh: no mutant matches ${filters[*]:-(none in $list_dir)}" >&2
    exit 2
fi

# Every mutant must apply to the current code before anything is built.
stale=0
for name in "${mutants[@]}"; do
    parse_mutant "$list_dir/$name.mutant"
    tmp="$(mktemp)"
    cp "$repo/include/$m_file" "$tmp" 2>/dev/null || { echo "$name: no file include/$m_file"; stale=1; rm -f "$tmp"; continue; }
    if ! msg="$(apply_mutant "$tmp")"; then
        echo "$name: $msg"
        stale=1
    fi
    rm -f "$tmp"
done
if [ $stale = 1 ]; then
    echo "mutants.sh: some mutants no longer apply (the code moved): update them in scripts/mutants/" >&2
    exit 1
fi
echo "mutants.sh: ${#mutants[@]} mutants apply"
[ $check_only = 1 ] && exit 0

# ---- the scratch copy and its build tree -----------------------------------------------------------------------
bash scripts/deps.sh
src="$work/src"
pristine="$work/pristine-include"
mkdir -p "$src"
# The scratch copy follows the working tree (committed or not). Only files whose content differs are copied (with
# a new time), so unchanged headers keep theirs and ninja rebuilds nothing for them, while a header left touched by
# the previous run (restored after its last mutant) is still newer than the objects built from the mutant.
while IFS= read -r -d '' f; do
    if ! cmp -s "$f" "$src/$f"; then
        mkdir -p "$src/$(dirname "$f")"
        cp "$f" "$src/$f"
    fi
done < <(git ls-files -z)
rm -rf "$pristine"
cp -a "$src/include" "$pristine"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- include tests || echo '+changes')"

# No benchmarks, and no examples unless SHAREMAP_MUTANTS_EXAMPLES=ON: sharemap_tests depends on every example, which
# would add a dozen translation units to each mutant's rebuild; only the interop tests (and one example test in
# named_mutex_test.cpp) need them, and no mutant relies on those.
configure=(cmake --preset "$preset" -DSHAREMAP_BUILD_BENCH=OFF "-DSHAREMAP_BUILD_EXAMPLES=${SHAREMAP_MUTANTS_EXAMPLES:-OFF}")
if [ -n "$opt" ]; then
    configure+=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$opt")
fi
log="$work/logs"
mkdir -p "$log"
build() {
    (cd "$src" && "${configure[@]}" >"$1.configure" 2>&1 && cmake --build --preset "$preset" --target sharemap_tests >"$1" 2>&1)
}
run_tests() {  # $1 regex, $2 log; returns ctest's status
    # Each test keeps its own CTest TIMEOUT (120 s, tests/CMakeLists.txt): a mutant that makes a test hang is a kill.
    local args=(--preset "$preset" --output-on-failure)
    [ "$1" != all ] && args+=(-R "$1")
    (cd "$src" && ctest "${args[@]}" >"$2" 2>&1)
}

start_all=$(date +%s)
if [ "${SHAREMAP_MUTANTS_NO_BASELINE:-0}" = 1 ]; then
    # Resuming after an interrupted run whose tree is known to build: the first mutant's build then also rebuilds
    # what the interrupted mutant had changed, which does not change its verdict.
    echo "mutants.sh: SHAREMAP_MUTANTS_NO_BASELINE=1: the unmutated tree is not built first"
elif echo "mutants.sh: building the unmutated tree ($src/build/$preset; the first build takes several minutes)" &&
    ! build "$log/baseline.build"; then
    echo "mutants.sh: the unmutated build fails; see $log/baseline.build" >&2
    tail -30 "$log/baseline.build" >&2
    exit 1
fi

results=()
survivors_unexpected=0
for name in "${mutants[@]}"; do
    parse_mutant "$list_dir/$name.mutant"
    target="$src/include/$m_file"
    t0=$(date +%s)
    if [ $baseline = 1 ]; then
        if ! run_tests "$m_tests" "$log/$name.baseline"; then
            echo "mutants.sh: $name: its tests fail without the mutant; see $log/$name.baseline" >&2
            exit 1
        fi
    fi
    apply_mutant "$target" >/dev/null
    echo "== $name: $m_about"
    if ! build "$log/$name.build"; then
        verdict="KILLED (build)"
    elif ! run_tests "$m_tests" "$log/$name.tests"; then
        # CTest's list of failures: "<tab> 26 - <test name> (Failed)"; the first two, names cut at 60 characters.
        failed="$(grep -E '^\s+[0-9]+ - ' "$log/$name.tests" | sed -E 's/^\s+[0-9]+ - (.*) \(([^)]*)\)$/\2: \1/' |
            cut -c1-70 | head -2 | paste -sd ';' -)"
        verdict="KILLED (tests: ${failed:-see log})"
    else
        verdict="SURVIVED"
        [ "$m_wine" = yes ] && verdict="SURVIVED (wine-cannot-show)" || survivors_unexpected=$((survivors_unexpected + 1))
    fi
    cp -p "$pristine/$m_file" "$target"
    touch "$target"  # newer than the mutated build, so the next build sees it changed back
    secs=$(( $(date +%s) - t0 ))
    echo "   $verdict in ${secs}s"
    results+=("$name|$verdict|$secs")
done

total=$(( $(date +%s) - start_all ))
killed=0
echo
echo "Mutants against $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), ${total}s in all:"
printf '%-36s %-70s %s\n' mutant result seconds
for r in "${results[@]}"; do
    IFS='|' read -r n v s <<<"$r"
    printf '%-36s %-70s %s\n' "$n" "$v" "$s"
    case "$v" in KILLED*) killed=$((killed + 1)) ;; esac
done
echo "Score: $killed of ${#results[@]} killed; $survivors_unexpected unexpected survivors. Logs: $log"
[ $survivors_unexpected -eq 0 ]

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# make fuzz: runs each libFuzzer target for SECONDS, one after the other,
# then folds what it found into tests/fuzz/corpus/<target>/, minimized
# (libFuzzer's -merge=1 keeps the smallest set of inputs that covers as
# much). Files named regress-* are kept whatever the merge says: they are
# the inputs of bugs found before, replayed by make test.
#   tests/fuzz/run.sh BINDIR SECONDS [TARGET...]   (no TARGET: all of them)
# A target that fails leaves its input in build/fuzz/work/<target>/ and
# makes the script exit 1 once every target has run.
set -eu
bin=$1
secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$bin/.." && pwd)/work
if [ $# -gt 0 ]; then
  targets="$*"
else
  targets=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
fi

# The fuzzer's memory: a small ASan quarantine (the machine is shared) and
# leak checks on, as make test has them.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64:detect_leaks=1}"

# Inputs long enough for each parser's limits: a line of more than 4096
# bytes for the telnet line editor, lines of kilobytes for readline, a
# script of several pastes for the room.
max_len() {
  case $1 in
    lines|telnet|readline) echo 10000 ;;
    chat_room) echo 16384 ;;
    *) echo 1024 ;;
  esac
}

# What the merge keeps: inputs that add features (edges and their hit
# counts), except for the targets whose inputs run to kilobytes, where
# edges alone decide; their corpora would otherwise weigh a megabyte and
# the room's replay take seconds of make test.
merge_features() {
  case $1 in
    lines|telnet|readline|chat_room) echo -use_counters=0 ;;
    *) echo -use_counters=1 ;;
  esac
}

status=0
for t in $targets; do
  fuzzer=$bin/fuzz_$t
  corpus=$here/corpus/$t
  if [ ! -x "$fuzzer" ]; then
    echo "fuzz: no target $t ($fuzzer)" >&2
    status=1
    continue
  fi
  mkdir -p "$corpus" "$work/$t/new"
  set -- -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=2048 \
         -artifact_prefix="$work/$t/"
  if [ -f "$here/dict/$t.dict" ]; then set -- "$@" -dict="$here/dict/$t.dict"; fi
  echo "fuzz: $t for ${secs}s"
  if ! "$fuzzer" "$@" -max_total_time="$secs" -print_final_stats=1 \
       "$work/$t/new" "$corpus" >"$work/$t/log" 2>&1; then
    echo "fuzz: $t FAILED, see $work/$t/log and the crash-*/timeout-* file next to it" >&2
    tail -n 30 "$work/$t/log" >&2
    status=1
    continue
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t/log" || true
  rm -rf "$work/$t/merged"
  mkdir -p "$work/$t/merged"
  "$fuzzer" "$@" "$(merge_features "$t")" -merge=1 "$work/$t/merged" "$corpus" "$work/$t/new" \
    >"$work/$t/merge.log" 2>&1
  for f in "$corpus"/regress-*; do
    [ -e "$f" ] && cp "$f" "$work/$t/merged/"
  done
  find "$corpus" -maxdepth 1 -type f -delete
  cp "$work/$t/merged"/* "$corpus/"
  rm -rf "$work/$t/new" "$work/$t/merged"
  echo "fuzz: $t corpus: $(ls "$corpus" | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
done
exit $status

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# make soak: the tools built with ASan+UBSan (as make test builds them)
# under SOAK_SECONDS (default 600) of mixed load on loopback, then checks
# that every server is back to its baseline, still answers and exits
# cleanly (tests/soak/soak.js says how). Writes build/soak/<time>/, with
# report.md (the figures), soak.log and each server's stderr.
#   scripts/soak.sh <dir of the ASan-built tools>
# SOAK_SEED repeats a run's mix of clients; SOAK_OUT picks the directory.
set -eu

BIN=${1:?usage: scripts/soak.sh <dir of cnet-chat, cnet-echo, cnet-logger, cnet-cat>}
SECONDS_WANTED=${SOAK_SECONDS:-600}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${SOAK_OUT:-$ROOT/build/soak/$(date +%Y%m%d-%H%M%S)}

for tool in cnet-chat cnet-echo cnet-logger cnet-cat; do
  [ -x "$BIN/$tool" ] || { echo "soak: $BIN/$tool is missing (make soak builds it)" >&2; exit 1; }
done
case $SECONDS_WANTED in
  ''|*[!0-9]*) echo "soak: SOAK_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
mkdir -p "$OUT"

# ASan's quarantine holds freed memory back from reuse, 256 MiB by default:
# every server's RSS would climb by that much whatever it does. 4 MiB
# still catches a use of a recently freed chunk and leaves RSS to the
# server (the same cap as the cnet-cat RSS tests). LeakSanitizer runs at
# each server's exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4:detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"

echo "soak: ${SECONDS_WANTED} s against $BIN; results in $OUT"
# The run stops by itself; this deadline is for a soak.js that would not:
# the load, then at most a few minutes of draining and checks.
status=0
timeout --kill-after=10 $((SECONDS_WANTED + 600)) \
  node "$ROOT/tests/soak/soak.js" "$BIN" "$OUT" "$SECONDS_WANTED" ${SOAK_SEED:+"$SOAK_SEED"} || status=$?
# What the servers wrote has been checked; the shared log alone is hundreds
# of MiB.
rm -rf "$OUT/per-conn" "$OUT"/cat-in-* "$OUT/msg.txt"
if [ "$status" = 0 ]; then
  echo "soak: every check held ($OUT/report.md)"
else
  echo "soak: FAILED (status $status); see $OUT/report.md and $OUT/soak.log" >&2
fi
exit "$status"

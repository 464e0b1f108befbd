#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# 16 MiB through cnet-cat over a link that loses 5 % of the packets and
# delays the rest 50 ms each way: cnet-cat -l in one namespace writing to a
# file, cnet-cat -N in the other reading a file of pseudo-random bytes.
# Both exit 0 with no sanitizer report and the copy has the same SHA-256.
#   cat_netem.sh <cnet-cat> <netns_lossy_link>
set -eu
CAT=$1
RELAY=$2
. "$(dirname "$0")/lib.sh"

SIZE_MIB=16
# Each wait below is bounded; the transfer took 3-5 s here (see lib.sh on
# the congestion control), so 90 s means something is stuck.
TRANSFER_DEADLINE=90

netns_lossy "$RELAY" srv=10.78.0.1 cli=10.78.0.2
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$WORK/in.bin" || die "no input file"

ip netns exec "${NS_PREFIX}srv" "$CAT" -v -l 10.78.0.1 0 \
  </dev/null >"$WORK/out.bin" 2>"$WORK/listener" &
LISTENER=$!
PIDS="$PIDS $LISTENER"
wait_for listener "^Listening on "
PORT=$(sed -n 's/^Listening on [^ ]* \([0-9]*\).*/\1/p' "$WORK/listener")

t0=$(date +%s%N)
status=0
timeout "$TRANSFER_DEADLINE" ip netns exec "${NS_PREFIX}cli" "$CAT" -N 10.78.0.1 "$PORT" \
  <"$WORK/in.bin" >"$WORK/back" 2>"$WORK/connector" || status=$?
t1=$(date +%s%N)
[ "$status" = 0 ] || { cat "$WORK/connector" >&2; die "the connecting cnet-cat exited with status $status"; }
wait_exit "$LISTENER"
status=0
wait "$LISTENER" || status=$?
[ "$status" = 0 ] || { cat "$WORK/listener" >&2; die "cnet-cat -l exited with status $status"; }
echo "$SIZE_MIB MiB in $(( (t1 - t0) / 1000000 )) ms"

expect_none listener "Sanitizer\|runtime error"
expect_none connector "Sanitizer\|runtime error"
if [ -s "$WORK/back" ]; then die "the listener sent bytes back: $(head -c 100 "$WORK/back")"; fi
sent=$(sha256sum <"$WORK/in.bin" | cut -d' ' -f1)
got=$(sha256sum <"$WORK/out.bin" | cut -d' ' -f1)
[ "$sent" = "$got" ] ||
  die "SHA-256 differs: sent $sent, received $got ($(stat -c %s "$WORK/out.bin") bytes)"
echo "ok: SHA-256 $sent on both sides"
lossy_report
echo "cat_netem: all checks passed"

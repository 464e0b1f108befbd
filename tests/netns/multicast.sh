#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The seeds' multicast announcer and listener across real interfaces:
# five hosts on one bridge (network namespaces joined by veth pairs).
#   1. every member gets every datagram, the announcer's own host too
#      (loopback on), a host that did not join gets none, and the datagrams
#      carry multicast TTL 128 on the wire;
#   2. a listener that calls dropMembership gets nothing more after it;
#   3. loopback off: the announcer's own host no longer gets them, the
#      others still do;
#   4. TTL 0 keeps them on the announcer's host; TTL 7 shows on the wire.
#   multicast.sh <dir of the example programs> <netns_ttl_probe>
set -u
BIN=$1
PROBE=$2
. "$(dirname "$0")/lib.sh"

G=230.185.192.108
netns_setup h1=10.77.0.1/24 h2=10.77.0.2/24 h3=10.77.0.3/24 h4=10.77.0.4/24 h5=10.77.0.5/24

# listeners <tag> <extra options for h3>: h1 (the announcer's host), h2
# and h3 join, h4 does not, h5 is the TTL probe. They stay until killed.
listeners() {
  start h1 "$1.h1" "$BIN/udp_multicast_listener" -v -T 30000
  start h2 "$1.h2" "$BIN/udp_multicast_listener" -v -T 30000
  start h3 "$1.h3" "$BIN/udp_multicast_listener" -v -T 30000 $2
  start h4 "$1.h4" "$BIN/udp_multicast_listener" -v -T 30000 -j
  start h5 "$1.h5" "$PROBE" -p 8080 -g $G -i 10.77.0.5 -T 30000
  for h in h1 h2 h3 h4; do wait_for "$1.$h" "listening on 0.0.0.0:8080"; done
  wait_for "$1.h5" ready
}

# announce <tag> <last> <hosts that must get it> -- <announcer options>:
# runs the announcer in h1, waits until those hosts have datagram #<last>,
# gives the others a moment more, then stops the listeners.
announce() {
  tag=$1
  last=$2
  shift 2
  hosts=""
  while [ "$1" != "--" ]; do hosts="$hosts $1"; shift; done
  shift
  in_ns h1 "$BIN/udp_multicast_announcer" -i 10.77.0.1 -s -m 100 "$@" >"$WORK/$tag.announcer" 2>&1 ||
    die "announcer failed: $(cat "$WORK/$tag.announcer")"
  for h in $hosts; do wait_for "$tag.$h" "#$last "; done
  sleep 0.2 # what should not arrive would have by now
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  PIDS=""
}

echo "== 1. members, non-members, loopback on, TTL 128"
listeners one ""
announce one 3 h1 h2 h3 h5 -- -n 3
for h in h1 h2 h3; do
  for k in 1 2 3; do expect one.$h "^#$k .* from 10.77.0.1:"; done
  expect_count one.$h "^#" 3
done
expect_none one.h4 "^#"
expect_count one.h5 "^ttl 128 #" 3
expect one.announcer "^sent #3 "

echo "== 2. dropMembership stops delivery"
listeners two "-d 2"
announce two 4 h2 -- -n 4
expect_count two.h2 "^#" 4
expect two.h3 "^#1 "
expect two.h3 "^#2 "
expect two.h3 "^dropped membership"
expect_none two.h3 "^#3 "
expect_none two.h3 "^#4 "

echo "== 3. loopback off"
listeners three ""
announce three 2 h2 h3 -- -n 2 -l 0
expect_none three.h1 "^#"
expect_count three.h2 "^#" 2
expect_count three.h3 "^#" 2

echo "== 4. TTL 0 stays on the host, TTL 7 is what goes out"
listeners four ""
announce four 2 h1 -- -n 2 -t 0
expect_count four.h1 "^#" 2
expect_none four.h2 "^#"
expect_none four.h5 "^ttl"
listeners five ""
announce five 2 h2 h5 -- -n 2 -t 7
expect_count five.h2 "^#" 2
expect_count five.h5 "^ttl 7 #" 2

echo "multicast: all checks passed"

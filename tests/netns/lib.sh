# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Shared by the netns tests: a private network made of network namespaces,
# torn down however the test ends.
#
# netns_setup <host>...   one hub namespace holding a bridge, and for each
#                         "<name>=<address>/<prefix>" a namespace <name>
#                         whose veth0 has that address and is a port of the
#                         bridge (one L2 segment, as hosts on one switch).
#                         Multicast (224.0.0.0/4) is routed out of veth0.
# in_ns <name> cmd...     runs cmd inside namespace <name>.
# start <name> <out> cmd  runs cmd in <name> in the background, output to
#                         <out>; the pid is remembered and killed on exit.
# wait_for <file> <text>  waits (5 s at most) until file has a line with text.
# netns_lossy <relay> <name>=<address> <name>=<address>
#                         two namespaces joined by a point-to-point link
#                         that loses LOSS % (default 5) of the packets and
#                         delays the rest DELAY ms (default 50), each way.
# lossy_report            stops that link and checks it lost packets both ways.
#
# The addresses exist only inside the namespaces this creates (10.77.x.x,
# 10.78.x.x for the lossy links); nothing is sent anywhere else. Not being
# allowed to create a namespace is a failure, never a skip: these tests
# must run (CI runs them as root).
set -u

NS_PREFIX="cnet$$"
NS_LIST=""
PIDS=""
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cnet-netns.XXXXXX")
FAILURES=0

# Runs to the end under set -e too: a program already gone must not stop
# the namespaces from being deleted.
netns_cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $PIDS; do wait "$p" 2>/dev/null || true; done
  for n in $NS_LIST; do ip netns del "$NS_PREFIX$n" 2>/dev/null || true; done
  if [ "$FAILURES" -ne 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "outputs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
  exit 1
}

netns_require() {
  command -v ip >/dev/null 2>&1 || die "the ip command (iproute2) is missing"
  [ "$(id -u)" = 0 ] || die "must run as root to create network namespaces (CI runs as root)"
  ip netns add "${NS_PREFIX}probe" 2>"$WORK/probe.err" ||
    die "'ip netns add' is not permitted here: $(cat "$WORK/probe.err")"
  ip netns del "${NS_PREFIX}probe"
}

ns_add() {
  ip netns add "$NS_PREFIX$1" || die "ip netns add $NS_PREFIX$1"
  NS_LIST="$NS_LIST $1"
  ip -n "$NS_PREFIX$1" link set lo up || die "lo up in $1"
}

netns_setup() {
  netns_require
  ns_add hub
  ip -n "${NS_PREFIX}hub" link add br0 type bridge || die "bridge in the hub namespace"
  ip -n "${NS_PREFIX}hub" link set br0 up || die "br0 up"
  i=0
  for spec in "$@"; do
    name=${spec%%=*}
    addr=${spec#*=}
    i=$((i + 1))
    ns_add "$name"
    ip link add veth0 netns "$NS_PREFIX$name" type veth peer name "p$i" netns "${NS_PREFIX}hub" ||
      die "veth pair for $name"
    ip -n "${NS_PREFIX}hub" link set "p$i" master br0 || die "p$i into br0"
    ip -n "${NS_PREFIX}hub" link set "p$i" up || die "p$i up"
    ip -n "$NS_PREFIX$name" addr add "$addr" dev veth0 || die "address $addr in $name"
    ip -n "$NS_PREFIX$name" link set veth0 up || die "veth0 up in $name"
    ip -n "$NS_PREFIX$name" route add 224.0.0.0/4 dev veth0 || die "multicast route in $name"
  done
}

in_ns() {
  n=$1
  shift
  ip netns exec "$NS_PREFIX$n" "$@"
}

start() {
  n=$1
  out=$2
  shift 2
  ip netns exec "$NS_PREFIX$n" "$@" >"$WORK/$out" 2>&1 &
  PIDS="$PIDS $!"
}

wait_for() {
  file=$WORK/$1
  for _ in $(seq 1 100); do
    grep -q -- "$2" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "--- $1:" >&2
  cat "$file" >&2
  die "no '$2' in $1"
}

# wait_exit <pid>...: waits (10 s at most) for these background programs.
wait_exit() {
  for _ in $(seq 1 200); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.05
  done
  die "programs still running: $*"
}

last_pid() { echo "${PIDS##* }"; }

# expect <out> <text>: the output has a line with text.
expect() {
  if grep -q -- "$2" "$WORK/$1"; then
    echo "ok: $1 has '$2'"
  else
    echo "--- $1:" >&2
    cat "$WORK/$1" >&2
    die "$1 lacks '$2'"
  fi
}

# expect_none <out> <text>: no line of the output has text.
expect_none() {
  if grep -q -- "$2" "$WORK/$1"; then
    echo "--- $1:" >&2
    cat "$WORK/$1" >&2
    die "$1 has '$2' and should not"
  fi
  echo "ok: $1 has no '$2'"
}

# expect_count <out> <text> <n>
expect_count() {
  c=$(grep -c -- "$2" "$WORK/$1")
  if [ "$c" = "$3" ]; then
    echo "ok: $1 has $3 x '$2'"
  else
    echo "--- $1:" >&2
    cat "$WORK/$1" >&2
    die "$1 has $c x '$2', expected $3"
  fi
}

# The lossy link. The test machines' kernel is built without sch_netem (and
# without fq or gact to make one from), so the link is a tun device in each
# namespace and a relay (lossy_link.c) doing what "netem loss 5% delay
# 50ms" on both ends of a veth would do: each direction loses its own 5 %
# and is delayed its own 50 ms (100 ms round trip). The namespaces use BBR: with a loss-based congestion control
# (reno; cubic is the same at this loss rate) TCP moves about 70 KiB/s over
# such a link, and the tests' 16 MiB would take four minutes. BBR is set
# inside the namespaces only; a kernel that refuses it there fails the test
# with the reason.
LOSSY_PID=""
netns_lossy() {
  relay=$1
  a=${2%%=*}
  a_addr=${2#*=}
  b=${3%%=*}
  b_addr=${3#*=}
  netns_require
  for n in "$a" "$b"; do
    ns_add "$n"
    ip -n "$NS_PREFIX$n" tuntap add dev tun0 mode tun || die "tun0 in $n"
    in_ns "$n" sysctl -qw net.ipv4.tcp_congestion_control=bbr ||
      die "BBR refused in namespace $n (tcp_allowed_congestion_control: $(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control))"
  done
  ip -n "$NS_PREFIX$a" addr add "$a_addr" peer "$b_addr" dev tun0 || die "address in $a"
  ip -n "$NS_PREFIX$b" addr add "$b_addr" peer "$a_addr" dev tun0 || die "address in $b"
  "$relay" -l "${LOSS:-5}" -d "${DELAY:-50}" "$NS_PREFIX$a" tun0 "$NS_PREFIX$b" tun0 \
    >"$WORK/link" 2>&1 &
  LOSSY_PID=$!
  PIDS="$PIDS $LOSSY_PID"
  wait_for link "^ready"
  for n in "$a" "$b"; do ip -n "$NS_PREFIX$n" link set tun0 up || die "tun0 up in $n"; done
}

lossy_report() {
  kill -TERM "$LOSSY_PID" 2>/dev/null || die "the link's relay is gone: $(cat "$WORK/link")"
  wait_exit "$LOSSY_PID"
  cat "$WORK/link"
  for dir in "a->b" "b->a"; do
    grep -q "^$dir: [0-9]* packets, [1-9][0-9]* lost" "$WORK/link" || die "the link lost nothing $dir"
  done
}

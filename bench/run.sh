#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Runs cnet's benchmark scenarios against the peer echo servers
# and writes bench/results/: raw.txt (one line per run), then results.md
# and results.png through bench/report.sh. `make bench` builds the programs
# and calls this; it never runs as part of `make test`.
#
#   bench/run.sh [BIN]      BIN: the programs (default build/bench/bin)
#
# Environment (defaults in brackets):
#   BENCH_TIME [3]  measured seconds per run, after BENCH_WARMUP [0.5]
#   BENCH_RUNS [3]  runs of each scenario and peer; the report takes medians
#   BENCH_RUNS_HOT [5]  runs of S1-S3, S9 and S10, whose rates swing most
#                   from run to run (S4, a count of bytes, runs once)
#   BENCH_PEERS ["cnet cnet_uring epoll uv event node"]; cnet_uring (cnet on
#                   its io_uring poller) runs in S1-S3 only, to keep the whole
#                   run near ten minutes
#   BENCH_SCENARIOS ["S1 S2 S3 S4 S5 S6 S7 S7C S8 S2T S9 S10"]. S6 (UDP echo) runs
#                   each peer's UDP server (epoll: recvmmsg/sendmmsg; no
#                   libevent one). S7 (chat fan-out) runs the cnet and node peers
#                   as chat servers, S7C the same load on three cnet-chat
#                   joined through a redis-server the run starts (cnet only);
#                   S2T runs cnet-echo --threads 1 and 2
#                   (peers cnet_t1, cnet_t2) when cnet is among the peers.
#                   S8 (pipe socket -> file) runs cnet (copying,
#                   CNET_NO_SPLICE=1), cnet_splice and node; its files go to
#                   a tmpfs (/dev/shm) when there is one, else $TMPDIR, and
#                   are removed after every run. S9 (TLS bulk) and S10 (TLS
#                   handshakes) run the TLS servers of cnet, epoll (there
#                   bench/peers/openssl_echo.c: OpenSSL by hand on epoll) and
#                   node, with an ECDSA P-256 certificate made for the run.
#   BENCH_OUT [bench/results]
#
# Every server runs on CPU 0 and the load generator on CPU 1 (taskset), on
# 127.0.0.1 only; S2T, which measures a server on several cores, leaves
# both on every core (see pins). The peers take turns within each round
# (A B C A B C ...), so that a slow spell of the machine falls on all of
# them alike. Each run
# starts a fresh server on a port of its own choosing (it prints port=N).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-build/bench/bin}
SECS=${BENCH_TIME:-3}
WARM=${BENCH_WARMUP:-0.5}
RUNS=${BENCH_RUNS:-3}
HOT_RUNS=${BENCH_RUNS_HOT:-5}
PEERS=${BENCH_PEERS:-"cnet cnet_uring epoll uv event node"}
SCENARIOS=${BENCH_SCENARIOS:-"S1 S2 S3 S4 S5 S6 S7 S7C S8 S2T S9 S10"}
OUT=${BENCH_OUT:-$here/results}

if [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER="taskset -c 0"
  PIN_LOAD="taskset -c 1"
else # one core: nothing to pin, and the figures say little
  PIN_SERVER=""
  PIN_LOAD=""
fi

# The command that starts a peer in a scenario; it is given the port (0)
# as its last argument.
server_cmd() {
  # cnet-chat logs a line per join on stderr: not per message. Its limits
  # per client are off: the 1 000 clients come from one address and u0
  # sends as fast as its lines are delivered, which is what S7 measures.
  case $2/$1 in
    S7/cnet|S7C/cnet) echo "$BIN/cnet-chat --max-users 0 --max-per-ip 0 --rate-lines 0 --rate-bytes 0 --port"; return ;;
    S7/node)   echo "node $here/peers/node_chat.js"; return ;;
    # S8's servers take the directory of their files through TMPDIR.
    S8/cnet)   echo "env TMPDIR=$sinkdir CNET_NO_SPLICE=1 $BIN/cnet_sink"; return ;;
    S8/cnet_splice) echo "env TMPDIR=$sinkdir $BIN/cnet_sink"; return ;;
    S8/node)   echo "env TMPDIR=$sinkdir node $here/peers/node_sink.js"; return ;;
    */cnet_t*) echo "$BIN/cnet-echo --threads ${1#cnet_t} --port"; return ;;
    # S6, UDP echo: the same names, their dgram servers.
    S6/cnet)   echo "$BIN/cnet_udp_echo"; return ;;
    S6/epoll)  echo "$BIN/mmsg_udp_echo"; return ;;
    S6/uv)     echo "$BIN/uv_udp_echo"; return ;;
    S6/node)   echo "node $here/peers/node_udp_echo.js"; return ;;
    # S9 and S10, TLS: the same names, their TLS echo servers.
    S9/cnet|S10/cnet) echo "$BIN/cnet_echo --tls $tmp/cert.pem $tmp/key.pem"; return ;;
    S9/epoll|S10/epoll) echo "$BIN/openssl_echo $tmp/cert.pem $tmp/key.pem"; return ;;
    S9/node|S10/node) echo "node $here/peers/node_echo.js --tls $tmp/cert.pem $tmp/key.pem"; return ;;
  esac
  case $1 in
    cnet)  echo "$BIN/cnet_echo" ;;
    # cnet on its other poller: the one -DCNET_BACKEND did not choose
    cnet_uring|cnet_epoll) echo "$BIN/$1_echo" ;;
    epoll) echo "$BIN/epoll_echo" ;;
    uv)    echo "$BIN/uv_echo" ;;
    event) echo "$BIN/event_echo" ;;
    node)  echo "node $here/peers/node_echo.js" ;;
    *)     echo "unknown peer $1" >&2; return 1 ;;
  esac
}

# The peers that a scenario runs: S7 needs a chat server (cnet-chat and its
# Node twin); S2T compares cnet-echo with one thread and with two.
scenario_peers() {
  case $1 in
    S7)  for p in $PEERS; do case $p in cnet|node) echo "$p" ;; esac; done ;;
    S7C) case " $PEERS " in *" cnet "*) echo cnet ;; esac ;;
    S2T) case " $PEERS " in *" cnet "*) echo "cnet_t1 cnet_t2" ;; esac ;;
    S6)  for p in $PEERS; do case $p in cnet|epoll|uv|node) echo "$p" ;; esac; done ;;
    S9|S10) for p in $PEERS; do case $p in cnet|epoll|node) echo "$p" ;; esac; done ;;
    S8)  for p in $PEERS; do
           case $p in
             cnet) echo cnet
                   case " $PEERS " in *" cnet_splice "*) ;; *) echo cnet_splice ;; esac ;;
             cnet_splice|node) echo "$p" ;;
           esac
         done ;;
    S1|S2|S3) echo "$PEERS" ;;
    *)   for p in $PEERS; do case $p in cnet_uring|cnet_epoll) ;; *) echo "$p" ;; esac; done ;;
  esac | tr '\n' ' '
}

# The CPUs of the server and of the load generator. S2T shows how far
# cnet-echo --threads N goes with more cores than one: both programs may
# run on every core (on 2 cores the load generator needs one of them).
pins() {
  if [ "$1" = S2T ] && [ -n "$PIN_SERVER" ]; then
    echo "taskset -c 0-$(( $(nproc) - 1 ))"
  else
    echo "$2"
  fi
}

# The load generator's arguments for a scenario; empty for a scenario that
# is not built yet. A new scenario is a line here, a label in report.sh and,
# where it needs other peers (UDP), a case in server_cmd.
scenario_args() {
  common="-t $SECS --warmup $WARM"
  # S7 and S2T keep to half the time, both being steady within a second:
  # S7 spends seconds logging 1 000 clients in (499 500 join announcements,
  # which warm the server up too) before it measures.
  half="-t $(awk "BEGIN { print $SECS / 2 }")"
  # S7: a busy room. Ten clients talk at once, each with 16 lines of 32
  # bytes in flight; every line goes to the 999 others. With one talker
  # (S7 until cnet 1.1) the load generator was the bottleneck: at 0.99 of
  # its core, reading 999 sockets per line and formatting the expected
  # text of each delivery again, it capped the server, which then spent
  # its CPU on small batches. It now keeps each line's text from when it
  # sends it, and ten talkers put lines of several clients into one turn
  # of the server, as a busy room does: the server is the bottleneck
  # (its core full, the load generator's at about two thirds), and a
  # server that writes once per client per turn (cnet-chat, with
  # coalesce_writes) gains what it should over one that writes once per
  # client per 'data' event (Node's cork/uncork).
  fan="--mode fanout -c 1000 -s 32 -d 16 --senders 10 $half --warmup $(awk "BEGIN { print $WARM / 4 }")"
  case $1 in
    S1) echo "--mode pingpong -c 50 -s 64 $common" ;;
    S2) echo "--mode pipeline -c 50 -s 64 -d 16 $common" ;;
    S3) echo "--mode bulk -c 10 -s 16384 -d 4 $common" ;;
    S4) echo "--mode idle -c 15000 -s 64 --settle 1000" ;;
    S5) echo "--mode churn -c 32 -s 64 $common" ;;
    S6) echo "--mode udp -c 16 -s 64 -d 8 $common" ;;
    S7|S7C) echo "$fan" ;;
    S8) echo "--mode sink -c 4 --file-mib 128 $common" ;; # <= 512 MiB of files at once
    S2T) echo "--mode pipeline -c 50 -s 64 -d 16 $half --warmup $(awk "BEGIN { print $WARM / 2 }")" ;;
    # S9: 16 KiB writes, 10 in flight on each of 4 TLS 1.3 connections
    # (TLS_AES_128_GCM_SHA256): MiB/s through the record layer.
    S9) echo "--mode bulk --tls -c 4 -s 16384 -d 10 $common" ;;
    # S10: S5 over TLS 1.3, each connection a full handshake (X25519 and
    # the ECDSA P-256 certificate, no resumption), 64 bytes echoed, RST.
    # The clients are bench/tls13.c's: OpenSSL 3.0's handshake costs the
    # one core of the load generator more than any server's (tls13.h).
    S10) echo "--mode churn --tls --tls-client tls13 -c 32 -s 64 $common" ;;
    *)  echo "unknown scenario $1" >&2; return 1 ;;
  esac
}

tmp=$(mktemp -d)
server_pids=""
redis_pid=""
# S8's servers write their files here: tmpfs, so that the figures measure
# the servers and not the disk of a shared machine.
sinkdir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
stop_servers() {
  for pid in $server_pids $redis_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $server_pids $redis_pid; do wait "$pid" 2>/dev/null || true; done
  server_pids=""
  redis_pid=""
}
cleanup() {
  stop_servers
  rm -rf "$sinkdir"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# S9 and S10's certificate: ECDSA P-256, self-signed, made for this run
# in $tmp and gone with it (no key is ever committed). ECDSA because a
# deployment today serves it (certbot's default key since 2.0, what
# browsers get first from the big CDNs), and because with RSA-2048 the
# server's one signature per handshake (~0.45 ms here) would be nearly all
# of S10 for every server alike.
case " $SCENARIOS " in
  *" S9 "*|*" S10 "*)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1 ||
      { echo "bench: openssl req failed: no certificate for S9, S10" >&2; exit 1; } ;;
esac

mkdir -p "$OUT"
raw="$OUT/raw.txt"
: >"$raw"
started=$(date +%s)

# Starts server n of a run (scenario $1, peer $2, n $3; what follows goes
# after its port: S7C's --redis and --node), logging to $tmp/server<n>.log.
# Adds its pid to server_pids and its loadgen arguments to srv_args. S7's
# and S7C's servers count their write calls (bench/peers/syscount.c) in
# $tmp/syscalls<n>, which the load generator reads.
start_server() {
  scen=$1 peer=$2 idx=$3
  shift 3
  rm -f "$tmp/server$idx.log" "$tmp/syscalls$idx"
  pre=""
  case $scen in
    S7|S7C) pre="env LD_PRELOAD=$BIN/libsyscount.so SYSCOUNT_FILE=$tmp/syscalls$idx"
            srv_args="$srv_args --server-syscalls $tmp/syscalls$idx" ;;
  esac
  # Word splitting wanted: "taskset -c 0" and "node file.js" are words.
  # shellcheck disable=SC2086,SC2046
  $(pins "$scen" "$PIN_SERVER") $pre $(server_cmd "$peer" "$scen") 0 "$@" \
    >"$tmp/server$idx.log" 2>&1 &
  server_pids="$server_pids $!"
  srv_args="$srv_args --server-pid $!"
}

# The port server n listens on, once it is ready (in S7C, once it has also
# linked to Redis); empty after 5 s. port=N from the peers of bench/peers;
# cnet's tools say "cnet-chat listening on 127.0.0.1:N ..." or "... on tcp
# 127.0.0.1:N".
server_port() {
  i=0
  while [ $i -lt 100 ]; do
    port=$(sed -n -e 's/^port=//p' \
      -e 's/^cnet-[a-z]* listening on \(tcp \)\{0,1\}[0-9.]*:\([0-9]*\).*/\2/p' \
      "$tmp/server$1.log" 2>/dev/null || true)
    if [ -n "$port" ] &&
       { [ "$2" != S7C ] || grep -q 'cluster: node .* linked' "$tmp/server$1.log"; }; then
      echo "$port"
      return
    fi
    sleep 0.05
    i=$((i + 1))
  done
}

# S7C's Redis on a free loopback port, pinned with the servers (it is part
# of the server side): a port someone holds makes it exit at once, and
# another is tried. Sets redis_pid and redis_port; fails after 5 tries.
start_redis() {
  for try in 1 2 3 4 5; do
    redis_port=$(awk -v seed="$$$try" 'BEGIN { srand(seed); print 20000 + int(rand() * 30000) }')
    # shellcheck disable=SC2086
    $PIN_SERVER redis-server --port "$redis_port" --bind 127.0.0.1 --save "" \
      --appendonly no >"$tmp/redis.log" 2>&1 &
    redis_pid=$!
    i=0
    while [ $i -lt 100 ] && kill -0 "$redis_pid" 2>/dev/null; do
      if grep -q 'Ready to accept connections' "$tmp/redis.log"; then return 0; fi
      sleep 0.05
      i=$((i + 1))
    done
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  done
  return 1
}

# One run: fresh servers (S7C: a Redis and three cnet-chat joined through
# it, the clients spread over them), the load generator against them, one
# raw line.
run_one() {
  scen=$1 peer=$2 run=$3 args=$4
  srv_args="" ports="" line=""
  if [ "$scen" = S7C ]; then
    if start_redis; then
      for idx in 1 2 3; do
        start_server "$scen" "$peer" "$idx" --redis "redis://127.0.0.1:$redis_port/0" \
          --node "bench$idx"
      done
      srv_args="$srv_args --redis-pid $redis_pid"
    else
      line="errors=1 error=redis_start"
    fi
  else
    start_server "$scen" "$peer" 1
  fi
  idx=1
  for _ in $server_pids; do
    port=$(server_port "$idx" "$scen")
    if [ -z "$port" ]; then
      line="errors=1 error=server_start"
      break
    fi
    ports="$ports --port $port"
    idx=$((idx + 1))
  done
  if [ -z "$line" ]; then
    # shellcheck disable=SC2086
    line=$($(pins "$scen" "$PIN_LOAD") "$BIN/loadgen" $ports $srv_args \
             $args 2>>"$tmp/loadgen.err") || true
    [ -n "$line" ] || line="errors=1 error=loadgen"
  fi
  stop_servers
  rm -rf "${sinkdir:?}"/*
  echo "scenario=$scen peer=$peer run=$run $line" >>"$raw"
  case $line in
    *errors=0*) ;;
    *) echo "  $scen $peer run $run FAILED: $line" >&2
       sed 's/^/    /' "$tmp/loadgen.err" "$tmp"/server*.log "$tmp"/redis.log >&2 2>/dev/null || true ;;
  esac
  : >"$tmp/loadgen.err"
  printf '  %-3s %-6s run %s  %s\n' "$scen" "$peer" "$run" \
    "$(echo "$line" | tr ' ' '\n' |
       grep -E '^(msgs_per_s|mib_per_s|bytes_per_conn|conns_per_s|setup_s|p99_us|server_cpu|client_cpu|redis_cpu|writes_per_delivery|lost)=' |
       tr '\n' ' ')"
}

echo "bench: peers [$PEERS], scenarios [$SCENARIOS], $HOT_RUNS (S1-S3, S9, S10) or $RUNS runs of ${SECS}s (+${WARM}s warm-up)"
for scen in $SCENARIOS; do
  args=$(scenario_args "$scen")
  if [ -z "$args" ]; then
    echo "$scen: not built yet, skipped"
    echo "scenario=$scen skipped=1" >>"$raw"
    continue
  fi
  peers=$(scenario_peers "$scen")
  if [ -z "$peers" ]; then
    echo "$scen: none of the peers [$PEERS] runs it, skipped"
    continue
  fi
  echo "$scen: peers [${peers% }], loadgen $args"
  case $scen in
    S1|S2|S3|S9|S10) n=$HOT_RUNS ;;
    S4) n=1 ;;
    *) n=$RUNS ;;
  esac
  r=1
  while [ $r -le "$n" ]; do
    for peer in $peers; do
      run_one "$scen" "$peer" "$r" "$args"
    done
    r=$((r + 1))
  done
done
elapsed=$(( $(date +%s) - started ))
echo "bench: measured in ${elapsed}s"

BENCH_SECS=$SECS BENCH_WARMUP=$WARM BENCH_RUNS=$RUNS BENCH_RUNS_HOT=$HOT_RUNS \
  BENCH_ELAPSED=$elapsed \
  BENCH_PEERS=$PEERS "$here/report.sh" "$raw" "$OUT"

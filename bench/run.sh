#!/bin/sh
# Runs cnet's benchmark scenarios (issue 7) against the peer echo servers
# and writes bench/results/: raw.txt (one line per run), then results.md
# and results.png through bench/report.sh. `make bench` builds the programs
# and calls this; it never runs as part of `make test`.
#
#   bench/run.sh [BIN]      BIN: the programs (default build/bench/bin)
#
# Environment (defaults in brackets):
#   BENCH_TIME [4]  measured seconds per run, after BENCH_WARMUP [1]
#   BENCH_RUNS [3]  runs of each scenario and peer; the report takes medians
#   BENCH_PEERS ["cnet epoll uv event node"]
#   BENCH_SCENARIOS ["S1 S2 S3 S4 S5"]; S6-S8 are named but not built yet
#   BENCH_OUT [bench/results]
#
# Every server runs on CPU 0 and the load generator on CPU 1 (taskset), on
# 127.0.0.1 only. The peers take turns within each round (A B C A B C ...),
# so that a slow spell of the machine falls on all of them alike. Each run
# starts a fresh server on a port of its own choosing (it prints port=N).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-build/bench/bin}
SECS=${BENCH_TIME:-4}
WARM=${BENCH_WARMUP:-1}
RUNS=${BENCH_RUNS:-3}
PEERS=${BENCH_PEERS:-"cnet epoll uv event node"}
SCENARIOS=${BENCH_SCENARIOS:-"S1 S2 S3 S4 S5"}
OUT=${BENCH_OUT:-$here/results}

if [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER="taskset -c 0"
  PIN_LOAD="taskset -c 1"
else # one core: nothing to pin, and the figures say little
  PIN_SERVER=""
  PIN_LOAD=""
fi

# The command that starts a peer; it is given the port (0) as argument.
server_cmd() {
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

# The load generator's arguments for a scenario; empty for a scenario that
# is not built yet. A new scenario is a line here, a label in report.sh and,
# where it needs other peers (UDP), a case in server_cmd.
scenario_args() {
  common="-t $SECS --warmup $WARM"
  case $1 in
    S1) echo "--mode pingpong -c 50 -s 64 $common" ;;
    S2) echo "--mode pipeline -c 50 -s 64 -d 16 $common" ;;
    S3) echo "--mode bulk -c 10 -s 16384 -d 4 $common" ;;
    S4) echo "--mode idle -c 15000 -s 64 --settle 1000" ;;
    S5) echo "--mode churn -c 32 -s 64 $common" ;;
    S6) echo "" ;; # UDP echo 64 B: loadgen --mode udp, peers uv and recvmmsg
    S7) echo "" ;; # chat fan-out to 1 000 clients: needs cnet-chat (issue 6)
    S8) echo "" ;; # pipe socket -> file: needs cnet's file streams
    *)  echo "unknown scenario $1" >&2; return 1 ;;
  esac
}

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
raw="$OUT/raw.txt"
: >"$raw"
started=$(date +%s)

# One run: a fresh server, the load generator against it, one raw line.
run_one() {
  scen=$1 peer=$2 run=$3 args=$4
  log="$tmp/server.log"
  rm -f "$log"
  # Word splitting wanted: "taskset -c 0" and "node file.js" are words.
  # shellcheck disable=SC2086,SC2046
  $PIN_SERVER $(server_cmd "$peer") 0 >"$log" 2>&1 &
  server_pid=$!
  port=""
  i=0
  while [ $i -lt 100 ] && [ -z "$port" ]; do
    port=$(sed -n 's/^port=//p' "$log" 2>/dev/null || true)
    [ -n "$port" ] || sleep 0.05
    i=$((i + 1))
  done
  if [ -z "$port" ]; then
    line="errors=1 error=server_start"
  else
    # shellcheck disable=SC2086
    line=$($PIN_LOAD "$BIN/loadgen" --port "$port" --server-pid "$server_pid" \
             $args 2>>"$tmp/loadgen.err") || true
    [ -n "$line" ] || line="errors=1 error=loadgen"
  fi
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  echo "scenario=$scen peer=$peer run=$run $line" >>"$raw"
  case $line in
    *errors=0*) ;;
    *) echo "  $scen $peer run $run FAILED: $line" >&2
       sed 's/^/    /' "$tmp/loadgen.err" "$log" >&2 2>/dev/null || true ;;
  esac
  : >"$tmp/loadgen.err"
  printf '  %-3s %-6s run %s  %s\n' "$scen" "$peer" "$run" \
    "$(echo "$line" | tr ' ' '\n' |
       grep -E '^(msgs_per_s|mib_per_s|bytes_per_conn|conns_per_s|p99_us|server_cpu|client_cpu)=' |
       tr '\n' ' ')"
}

echo "bench: peers [$PEERS], scenarios [$SCENARIOS], $RUNS runs of ${SECS}s (+${WARM}s warm-up)"
for scen in $SCENARIOS; do
  args=$(scenario_args "$scen")
  if [ -z "$args" ]; then
    echo "$scen: not built yet (issue 7), skipped"
    echo "scenario=$scen skipped=1" >>"$raw"
    continue
  fi
  echo "$scen: loadgen $args"
  r=1
  while [ $r -le "$RUNS" ]; do
    for peer in $PEERS; do
      run_one "$scen" "$peer" "$r" "$args"
    done
    r=$((r + 1))
  done
done
elapsed=$(( $(date +%s) - started ))
echo "bench: measured in ${elapsed}s"

BENCH_SECS=$SECS BENCH_WARMUP=$WARM BENCH_RUNS=$RUNS BENCH_ELAPSED=$elapsed \
  BENCH_PEERS=$PEERS "$here/report.sh" "$raw" "$OUT"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Turns the raw lines of bench/run.sh into bench/results/results.md (the
# figures, medians of the runs, and the ratios cnet/peer) and results.png
# (gnuplot). Run by bench/run.sh; can be run again on its own:
#
#   bench/report.sh bench/results/raw.txt bench/results
#
# Environment (set by run.sh, for the page's header): BENCH_SECS,
# BENCH_WARMUP, BENCH_RUNS, BENCH_ELAPSED, BENCH_PEERS.
set -eu

raw=${1:-bench/results/raw.txt}
out=${2:-bench/results}
here=$(cd "$(dirname "$0")" && pwd)
PEERS=${BENCH_PEERS:-"cnet epoll uv event node"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$here" status --porcelain -- ../src ../include 2>/dev/null | head -1)
[ -n "$dirty" ] && commit="$commit (with uncommitted changes in src/ or include/)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
versions="libuv $(pkg-config --modversion libuv 2>/dev/null || echo '?'), \
libevent $(pkg-config --modversion libevent 2>/dev/null || echo '?'), \
Node $(node --version 2>/dev/null || echo '?'), gcc $(gcc -dumpversion 2>/dev/null || echo '?')"

awk -v peers="$PEERS" -v tmp="$tmp" \
    -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v commit="$commit" \
    -v machine="$(nproc) cores ($cpu), $(free -g | awk '/^Mem/ {print $2}') GiB, Linux $(uname -r)" \
    -v versions="$versions" -v secs="${BENCH_SECS:-?}" -v warm="${BENCH_WARMUP:-?}" \
    -v runs="${BENCH_RUNS:-?}" -v hot_runs="${BENCH_RUNS_HOT:-?}" -v elapsed="${BENCH_ELAPSED:-?}" -v ncpu="$(nproc)" \
    -f "$here/report.awk" "$raw"

# Scenarios named but not built, and how the figures are made: fixed text.
skipped=$(sed -n 's/^scenario=\(S[0-9]*\) skipped=1.*/\1/p' "$raw" | tr '\n' ' ')
cat >>"$tmp/results.md" <<EOF
## How it is measured

- **Load generator** (\`bench/loadgen.c\`): raw epoll, no code shared with
  cnet; connections carry slices of one pseudo-random pattern, each from an
  offset of its own, and every echoed byte is compared with what was sent
  (a run with one wrong, missing or extra byte fails and is left out of the
  medians). A timed run ends by waiting for every byte in flight. TCP_NODELAY
  on every socket of both sides.
- **S1–S3**: N connections, D messages of S bytes in flight on each; a new
  message is sent as soon as one has come back whole. Messages/s and MiB/s
  count echoed messages in the measured seconds (MiB/s is the payload
  echoed: as much again went to the server).
- **S4**: 15 000 connections opened 128 at a time, each echoing one 64-byte
  message (the answer proves the server has accepted it), then held.
  VmRSS of the server (\`/proc/PID/status\`) after the first 1 % of the
  connections is subtracted from VmRSS 1 s after the last one, and divided
  by the connections in between: one-time costs (read buffers, first table
  growth) are left out; kernel socket memory is not RSS and is not counted.
  Node's figure includes its JavaScript heap, which grows with the sockets.
- **S5**: 32 connections at a time; each connects, sends 64 bytes, checks
  the echo and closes with RST (SO_LINGER 0): at these rates a graceful
  close would leave tens of thousands of TIME_WAIT sockets holding the
  ephemeral ports of a machine others are testing on. The servers see
  ECONNRESET instead of EOF. Much of the handshake's kernel work runs on
  the connecting side over loopback, so this one is often capped by the
  load generator (its CPU column shows it).
- **S6**: 16 UDP sockets (each connect()ed to the server, so the server
  sees 16 senders), 8 datagrams of 64 bytes in flight on each, sent and
  read with sendmmsg/recvmmsg so the load generator costs less than a
  server; each datagram carries its socket, slot and a sequence number,
  and its echo must match byte for byte. A datagram not back within
  200 ms counts as lost (\`lost=\` in raw.txt) and a new one replaces it.
  The peers are the same names with UDP servers: \`uv_udp_echo.c\`
  (\`uv_udp_recv_start\` with one static buffer, \`uv_udp_try_send\` first),
  "epoll" is \`mmsg_udp_echo.c\` (epoll, recvmmsg and sendmmsg 64 at a time),
  \`node_udp_echo.js\` (\`s.send(msg, rinfo.port, rinfo.address)\` on
  'message') and \`cnet_udp_echo.c\`, its twin on cnet's dgram API;
  libevent has no UDP peer.
- **Peers** (\`bench/peers/\`): \`epoll_echo.c\` hand-written epoll (one shared
  read buffer, the echo written from it, only the unsent rest copied);
  \`uv_echo.c\` libuv as a competent user writes it (one static read buffer,
  \`uv_try_write\` first, \`uv_write\` for the rest, reading stopped past
  16 KiB queued); \`event_echo.c\` libevent bufferevents
  (\`evbuffer_add_buffer\`, reading disabled past 16 KiB); \`node_echo.js\`
  \`s.pipe(s)\`; \`cnet_echo.c\` cnet's public API as Node's pipe does it
  ('data' → \`cnet_socket_write\`, pause when it returns false, resume on
  'drain'). Every server sets TCP_NODELAY on its connections and listens on
  127.0.0.1 with a backlog of 511.
- **S8**: \`loadgen --mode sink\` against \`bench/peers/cnet_sink.c\` (run
  twice: as is, with the splice fast path, and with \`CNET_NO_SPLICE=1\`,
  the copying path) and \`node_sink.js\`; see its section above.
- **S7**: \`cnet-chat --max-users 0\` (apps/cnet-chat, its limits per
  client off: \`--max-per-ip 0 --rate-lines 0 --rate-bytes 0\`) against its Node
  twin \`bench/peers/node_chat.js\` (the tutorials' chat room 2.0 finished
  as a Node programmer would: one string buffer per client, split on LF,
  \`write()\` to every other user, each client corked for one 'data' event;
  the seed's chat room 1.0 destroys whoever talks). 1 000 clients log in as
  u0..u999, 128 connections in the making at a time; each waits for the
  greeting or join announcement that says "1000 users online", so the join
  chatter (499 500 announcements, the log-in seconds in the table) is over
  before the clock starts. Then clients u0..u9 each keep 16 lines of 32
  bytes in flight, a new one as soon as one has reached all 999 others;
  every delivered line is checked (sender, sequence number, text). The
  figure is lines received per second, summed over the clients.
  cnet-chat writes the lines for one client gathered in one callback at
  once, and, with \`coalesce_writes\`, the writes of one turn of its loop
  leave in one writev per client; Node writes once per client per 'data'
  event. cnet-chat logs one line per join to stderr and nothing per
  message. Why ten talkers: with one (S7 before cnet 1.1) the load
  generator was the bottleneck, its core full while it formatted the
  expected text of every delivery again; it now keeps each line's text
  from when it sent it, and ten talkers put the lines of several clients
  into each turn of the server, as a busy room does, which is the load
  per-turn coalescing is for. The server is then the bottleneck (its core
  full, the load generator's about two thirds).
- **S7C**: S7's load and checks against three cnet-chat started with
  \`--redis redis://127.0.0.1:PORT/0 --node benchN\`, joined through a
  \`redis-server\` the run starts on a free loopback port (no persistence)
  and stops after; connection i goes to instance i mod 3, and every count
  the clients wait for is the room's across the instances. Redis and the
  three servers all run on CPU 0; Redis's CPU comes from its
  \`/proc/PID/stat\`.
- **S9, S10** (TLS): see their section above. \`loadgen --tls\` is an
  OpenSSL 3 client (TLS 1.3 only, TLS_AES_128_GCM_SHA256, X25519, read-ahead,
  no session cache); it checks the server's handshake signature but not its
  certificate chain, and each run makes a fresh ECDSA P-256 certificate.
- **S2T**: see its section above; \`cnet-echo\` is apps/cnet-echo as it
  ships, \`--threads 1\` and \`--threads 2\`.

Raw lines, one per run: [raw.txt](raw.txt).
EOF

cp "$tmp/results.md" "$out/results.md"

# The chart: one panel per scenario (cnet in red) and one of cnet's ratio
# to the better of epoll and libuv (green where cnet is ahead).
# panel FILE TITLE [EXTRA]: the gnuplot lines of one bar panel; a scenario
# that did not run gets an empty panel that says so.
panel() {
  echo "set title \"$2\""
  if [ -s "$tmp/$1.dat" ]; then
    echo "plot \"$tmp/$1.dat\" using 0:2:3:xtic(1) with boxes lc rgb variable, \\"
    echo "  '' using 0:2:(lbl(\$2)) with labels offset 0,0.7${3:+, $3}"
  else
    echo 'set label 1 "not run" at graph 0.5, 0.5 center'
    echo 'set border 0; unset xtics; unset ytics; unset grid'
    echo 'plot [0:1] [1:10] NaN notitle'
    echo 'unset label 1'
    echo 'set border 3; set xtics nomirror scale 0; set ytics nomirror; set grid ytics'
  fi
}
noisy=""
[ -f "$tmp/noisy" ] && noisy=" (busy machine: noisy rates)"
if command -v gnuplot >/dev/null 2>&1; then
  {
    cat <<EOF
set terminal pngcairo noenhanced size 1500,860 font "DejaVu Sans,11"
set output "$out/results.png"
set style fill solid 0.85 border -1
set boxwidth 0.65
set grid ytics lc rgb "#dddddd"
set offsets 0.6, 0.6, graph 0.12, 0
set xtics nomirror scale 0
set ytics nomirror
set border 3
unset key
lbl(v) = v >= 100 ? sprintf("%.0f", v) : v >= 10 ? sprintf("%.1f", v) : sprintf("%.2f", v)
set multiplot layout 2,3 title "cnet against its peers: echo servers on one core each, medians of ${BENCH_RUNS_HOT:-5} runs (S1-S3) or ${BENCH_RUNS:-3}$noisy" font ",14"
set yrange [0:*]
EOF
    panel S1 "S1 ping-pong 64 B × 50: k msg/s"
    panel S2 "S2 pipelined 64 B × 50 × 16: k msg/s"
    panel S3 "S3 bulk 16 KiB × 10 × 4: MiB/s"
    echo "set logscale y"
    echo "set yrange [10:*]"
    panel S4 "S4 idle: bytes of RSS per connection (lower is better; target 256)" \
      '256 with lines dt 2 lc rgb "#444444"'
    echo "unset logscale y"
    echo "set yrange [0:*]"
    panel S5 "S5 churn: k connections/s"
    # Two bars per scenario: the rate, and the work per server CPU-second.
    echo 'set title "cnet ÷ best of epoll, libuv (S4: 256 B ÷ cnet); above 1: ahead"'
    if [ -s "$tmp/ratio.dat" ]; then
      awk 'BEGIN { printf "set xtics (" } { printf "%s\"%s\" %d", (NR > 1 ? ", " : ""), $1, NR - 1 }
           END { print ")" }' "$tmp/ratio.dat"
      cat <<EOF
set boxwidth 0.36
set key top center horizontal font ",10" samplen 1.5
set offsets 0.6, 0.6, graph 0.25, 0
plot "$tmp/ratio.dat" using (\$0-0.19):2 with boxes lc rgb "#d62728" title "rate", \
  '' using (\$0-0.19):2:(sprintf("%.2f", \$2)) with labels font ",8" offset 0,0.6 notitle, \
  '' using (\$0+0.19):3 with boxes lc rgb "#ff9896" title "per server CPU-s", \
  '' using (\$0+0.19):3:(sprintf("%.2f", \$3)) with labels font ",8" offset 0,0.6 notitle, \
  1 with lines dt 2 lc rgb "#444444" notitle
EOF
    else
      panel none ""
    fi
    echo "unset multiplot"
  } >"$tmp/chart.gp"
  gnuplot "$tmp/chart.gp" || echo "report: gnuplot failed; results.md is written" >&2
else
  echo "report: no gnuplot; results.md is written without the chart" >&2
fi
echo "report: $out/results.md${skipped:+ (not built yet: $skipped)}"

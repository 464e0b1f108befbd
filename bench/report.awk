# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Part of bench/report.sh: reads the raw lines of bench/run.sh (key=value
# pairs, one run per line) and writes, into the folder tmp, results.md (the
# tables) and one data file per panel of the chart. Variables (-v): peers,
# tmp, date, commit, machine, versions, secs, warm, runs, hot_runs, elapsed,
# ncpu.

function sortn(a, n,   i, j, t) {
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
# Median of the values kept for (scenario, peer, key); "" when none.
function med(s, p, k,   n, a, i) {
  n = split(vals[s, p, k], a, " ")
  if (n == 0) return ""
  sortn(a, n)
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# Half the range of the runs, as a percentage of the median.
function spread(s, p, k,   n, a, m) {
  n = split(vals[s, p, k], a, " ")
  if (n < 2) return ""
  sortn(a, n)
  m = med(s, p, k)
  return m > 0 ? sprintf(" ±%.0f%%", (a[n] - a[1]) / 2 / m * 100) : ""
}
function fmt(v, unit) {
  if (v == "") return "–"
  if (unit ~ /^k /) return sprintf("%.1f", v / 1000)
  if (unit == "µs") return v < 100 ? sprintf("%.1f", v) : sprintf("%.0f", v)
  if (unit == "core" || unit == "s") return sprintf("%.2f", v)
  return sprintf("%.0f", v)
}
function cell(s, p, k, unit,   v) {
  if (!(p in shown)) return ""
  v = med(s, p, k)
  if (v == "") return fails[s, p] ? "failed" : "–"
  return fmt(v, unit) spread(s, p, k) (fails[s, p] ? " (" fails[s, p] " failed)" : "")
}
BEGIN {
  np = split(peers, P, " ")
  name["cnet"] = "cnet"; name["epoll"] = "epoll"; name["uv"] = "libuv"
  name["event"] = "libevent"; name["node"] = "Node"
  color["cnet"] = "0xd62728"; color["epoll"] = "0x7f7f7f"; color["uv"] = "0x1f77b4"
  color["event"] = "0x2ca02c"; color["node"] = "0xff7f0e"
  name["cnet_uring"] = "cnet io_uring"; color["cnet_uring"] = "0xff9896"
  name["cnet_epoll"] = "cnet epoll"; color["cnet_epoll"] = "0xff9896"
  ns = split("S1 S2 S3 S4 S5 S6 S7 S8", S, " ") # S9, S10: tls_section()
  label["S1"] = "S1 ping-pong 64 B × 50 conns"
  label["S2"] = "S2 pipelined 64 B × 50 conns × 16 deep"
  label["S3"] = "S3 bulk 16 KiB × 10 conns × 4 deep"
  label["S4"] = "S4 idle: server RSS per connection, 15 000 held"
  label["S5"] = "S5 churn: connect, echo 64 B, close; 32 at a time"
  label["S6"] = "S6 UDP echo 64 B × 16 sockets × 8 in flight"
  label["S7"] = "S7 chat fan-out: 1 000 clients, each line to the 999 others"
  label["S8"] = "S8 pipe socket → file"
  label["S9"] = "S9 TLS 1.3 bulk 16 KiB × 4 conns × 10 deep (AES-128-GCM)"
  label["S10"] = "S10 TLS 1.3 handshakes: connect, handshake, echo 64 B, close; 32 at a time"
  short["S1"] = "S1 ping-pong"; short["S2"] = "S2 pipelined"; short["S3"] = "S3 bulk"
  short["S4"] = "S4 idle memory"; short["S5"] = "S5 churn"; short["S6"] = "S6 UDP echo"
  short["S7"] = "S7 chat fan-out"
  short["S8"] = "S8 pipe → file"; key["S8"] = "mib_per_s"; unit["S8"] = "MiB/s"
  short["S9"] = "S9 TLS bulk"; key["S9"] = "mib_per_s"; unit["S9"] = "MiB/s"
  short["S10"] = "S10 TLS handshakes"; key["S10"] = "conns_per_s"; unit["S10"] = "conn/s"
  name["cnet_splice"] = "cnet splice"
  key["S1"] = "msgs_per_s"; unit["S1"] = "k msg/s"
  key["S2"] = "msgs_per_s"; unit["S2"] = "k msg/s"
  key["S3"] = "mib_per_s"; unit["S3"] = "MiB/s"
  key["S4"] = "bytes_per_conn"; unit["S4"] = "B/conn"; lower["S4"] = 1
  key["S5"] = "conns_per_s"; unit["S5"] = "k conn/s"
  key["S6"] = "msgs_per_s"; unit["S6"] = "k msg/s" # epoll: the recvmmsg server
  key["S7"] = "msgs_per_s"; unit["S7"] = "k deliveries/s"
  key["S7C"] = "msgs_per_s"; unit["S7C"] = "k deliveries/s" # its own table
  key["S2T"] = "msgs_per_s"; unit["S2T"] = "k msg/s" # its own table
  nk = split("msgs_per_s mib_per_s bytes_per_conn conns_per_s setup_s p50_us p99_us server_cpu client_cpu redis_cpu writes_per_delivery", K, " ")
}
{
  delete f
  for (i = 1; i <= NF; i++) { eq = index($i, "="); if (eq) f[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
  s = f["scenario"]; p = f["peer"]
  if (f["skipped"]) { skipped[s] = 1; next }
  seen[s] = 1; shown[p] = 1
  if (f["errors"] != "0") { fails[s, p]++; nfail++; why[s, p] = f["error"]; next }
  for (i = 1; i <= nk; i++)
    if (K[i] in f) vals[s, p, K[i]] = vals[s, p, K[i]] " " f[K[i]]
  # Work per CPU-second of the server: steadier than the rate itself when
  # other processes take the server's core away for part of a run.
  # How much of its core a server got where it should have had all of it
  # (S1-S3 are server-bound): tells a quiet machine from a busy one.
  if ((s == "S1" || s == "S2" || s == "S3") && ("server_cpu" in f)) {
    allcpu = allcpu " " f["server_cpu"]
    scpu[s] = scpu[s] " " f["server_cpu"]
  }
  if (!lower[s] && (key[s] in f) && f["server_cpu"] + 0 > 0.05)
    vals[s, p, "eff"] = vals[s, p, "eff"] " " f[key[s]] / f["server_cpu"]
}
# One row of a ratio table: cnet / each peer for metric k (peer / cnet
# where lower is better), then cnet / the better of epoll and libuv, which
# is also left in best_ratio[s].
function ratio_row(s, k, inv,   row, c, v, r, best, j, p) {
  c = med(s, "cnet", k)
  row = "| " short[s] " |"
  best = ""
  for (j = 1; j <= np; j++) {
    p = P[j]
    if (p == "cnet" || !(p in shown)) continue
    v = med(s, p, k)
    r = (c == "" || v == "" || c == 0 || v == 0) ? "" : (inv ? v / c : c / v)
    row = row " " (r == "" ? "–" : sprintf("%.2f", r)) " |"
    if ((p == "epoll" || p == "uv") && v != "")
      if (best == "" || (inv ? v < best : v > best)) best = v
  }
  r = (c == "" || best == "" || c == 0) ? "" : (inv ? best / c : c / best)
  if (r != "") best_ratio[s] = r
  else delete best_ratio[s]
  return row " " (r == "" ? "–" : sprintf("**%.2f**", r)) " |"
}
function ratio_header(   hdr, sep, j) {
  hdr = "| scenario |"; sep = "|---|"
  for (j = 1; j <= np; j++) if (P[j] != "cnet" && P[j] in shown) { hdr = hdr " cnet vs " name[P[j]] " |"; sep = sep "---:|" }
  print hdr " cnet vs better of epoll, libuv |" > md
  print sep "---:|" > md
}
# S8 has peers of its own: cnet's copying path (CNET_NO_SPLICE=1), its
# splice fast path, and Node.
function s8_section(   q, nq, j, row, m, c, sp, nd) {
  nq = split("cnet cnet_splice node", q, " ")
  print "## S8: pipe socket → file" > md
  print "" > md
  print "4 connections send as fast as they can; the server pipes each into a file of its own (`socket.pipe(fs.createWriteStream(path))`, on a tmpfs), at most 128 MiB per file; after the client ends, the server answers once the file has emitted 'finish', and the load generator checks the file's size and samples of its bytes, then removes it. MiB/s counts the bytes sent in the measured seconds. cnet copying is the same program with `CNET_NO_SPLICE=1`." > md
  print "" > md
  row = "| |"; m = "|---|"
  for (j = 1; j <= nq; j++) { row = row " " (q[j] == "cnet" ? "cnet copying" : name[q[j]]) " |"; m = m "---:|" }
  print row > md
  print m > md
  split("mib_per_s eff server_cpu client_cpu", R, " ")
  split("MiB/s|MiB per server CPU-s|server CPU|loadgen CPU", RL, "|")
  for (m = 1; m <= 4; m++) {
    row = "| " RL[m] " |"
    for (j = 1; j <= nq; j++) {
      if (m <= 2) row = row " " cell("S8", q[j], R[m], "MiB/s") " |"
      else row = row " " fmt(med("S8", q[j], R[m]), "core") " |"
    }
    print row > md
  }
  print "" > md
  c = med("S8", "cnet", "mib_per_s"); sp = med("S8", "cnet_splice", "mib_per_s"); nd = med("S8", "node", "mib_per_s")
  row = "cnet splice ÷ cnet copying: " ((c > 0 && sp != "") ? sprintf("**%.2f**", sp / c) : "–")
  c = med("S8", "cnet", "eff"); nd2 = med("S8", "node", "eff"); sp2 = med("S8", "cnet_splice", "eff")
  row = row " (per server CPU-s " ((c > 0 && sp2 != "") ? sprintf("%.2f", sp2 / c) : "–") ")"
  row = row "; cnet splice ÷ Node: " ((nd > 0 && sp != "") ? sprintf("**%.2f**", sp / nd) : "–")
  row = row " (per server CPU-s " ((nd2 > 0 && sp2 != "") ? sprintf("%.2f", sp2 / nd2) : "–") ")."
  print row " The target: splice ≥ 1.5 × copying." > md
  print "" > md
  for (j = 1; j <= nq; j++)
    if (fails["S8", q[j]]) print "- S8 " name[q[j]] ": " fails["S8", q[j]] " of " runs " runs failed (" why["S8", q[j]] "; see raw.txt)" > md
}
# S9 and S10, TLS: cnet, the hand-written OpenSSL server (the epoll peer
# there) and Node; the rate, the same per server CPU-second, each side's
# CPU, and cnet's ratios to the two others (the targets: 1.5 × Node,
# 0.95 × the hand-written server).
function tls_section(   q, t, nq, j, m, row, s, i, c, v, r) {
  nq = split("cnet epoll node", q, " ")
  split("cnet|OpenSSL + epoll by hand|Node", t, "|")
  print "## S9 and S10: TLS" > md
  print "" > md
  print "TLS 1.3 with TLS_AES_128_GCM_SHA256 and X25519, the server's certificate ECDSA P-256 (made for the run). S9: 4 connections, each with 10 writes of 16 KiB in flight, echoed (MiB/s counts the payload echoed). S10: 32 connections at a time, each a full handshake (no resumption; every server sends the session tickets it sends by default), 64 bytes echoed, closed with RST as in S5. The servers: `cnet_echo --tls` (cnet's tls API, `s.pipe(s)` on 'secureConnection'), `openssl_echo.c` (OpenSSL and epoll by hand: a socket BIO with read-ahead, records gathered and sent once per wake-up), `node_echo.js --tls` (`tls.createServer`, `s.pipe(s)`). The load generator runs on its own core. In S9 its clients are OpenSSL's. In S10 they are `bench/tls13.c`'s, a TLS 1.3 client of the least kind on OpenSSL's libcrypto: an X25519 share per connection, the server's CertificateVerify signature and Finished checked, AES-128-GCM records; one suite and one group, no resumption. OpenSSL's own client costs more per handshake than any server here (a third of it decoding the server's certificate), so with it the load generator's core, not the server, set S10's rate; the loadgen CPU row says how far from full it is now." > md
  print "" > md
  for (i = 9; i <= 10; i++) {
    s = "S" i
    if (!(s in seen)) continue
    row = "| " short[s] " |"; m = "|---|"
    for (j = 1; j <= nq; j++) { row = row " " t[j] " |"; m = m "---:|" }
    print row " cnet ÷ Node | cnet ÷ by hand |" > md
    print m "---:|---:|" > md
    split(key[s] " eff server_cpu client_cpu p50_us p99_us", R, " ")
    split(unit[s] "|" unit[s] " per server CPU-s|server CPU|loadgen CPU|p50 µs|p99 µs", RL, "|")
    sub(/\/s per/, " per", RL[2])
    for (m = 1; m <= 6; m++) {
      row = "| " RL[m] " |"
      for (j = 1; j <= nq; j++)
        row = row " " (m <= 2 ? cell(s, q[j], R[m], unit[s]) : fmt(med(s, q[j], R[m]), m <= 4 ? "core" : "µs")) " |"
      if (m <= 2) {
        c = med(s, "cnet", R[m])
        for (j = 2; j <= nq; j++) {
          v = med(s, q[nq + 2 - j], R[m]) # Node, then by hand
          r = (c == "" || v == "" || v == 0) ? "–" : sprintf("**%.2f**", c / v)
          row = row " " r " |"
        }
      } else {
        row = row " | |"
      }
      print row > md
    }
    print "" > md
  }
  print "The targets: cnet ≥ 1.5 × Node and ≥ 0.95 × the hand-written server in both." > md
  print "" > md
  for (i = 9; i <= 10; i++) for (j = 1; j <= nq; j++)
    if (fails["S" i, q[j]]) print "- S" i " " t[j] ": " fails["S" i, q[j]] " of " hot_runs " runs failed (" why["S" i, q[j]] "; see raw.txt)" > md
}
# S7 and S7C: the chat room's fan-out, one column per server set-up: the
# rate, the same per server CPU-second (the target: cnet at least twice
# Node), the CPU of each side and of Redis, and the write calls the
# servers made per line delivered.
function s7_section(   c, j, q, t, nq, row, m, v, cn, nd) {
  nq = 0
  if (("S7", "cnet") in fails || vals["S7", "cnet", "msgs_per_s"] != "") { q[++nq] = "S7 cnet"; t[nq] = "cnet-chat" }
  if (vals["S7", "node", "msgs_per_s"] != "" || fails["S7", "node"]) { q[++nq] = "S7 node"; t[nq] = "Node" }
  if ("S7C" in seen) { q[++nq] = "S7C cnet"; t[nq] = "3 cnet-chat + Redis (S7C)" }
  print "## S7 and S7C: chat fan-out" > md
  print "" > md
  print "1 000 clients in one room; 10 of them talk at once, each with 16 lines of 32 bytes in flight, and every line goes to the 999 others (a delivery is one client receiving one line). S7C is the same load on three cnet-chat instances joined through one Redis (`--redis`, `--node`), the clients spread over them; the three servers and Redis share the server's core, so S7C shows what the cluster costs, not how it scales. Server CPU is the sum of the instances; write calls are the servers' write, writev, send, sendto, sendmsg and sendmmsg calls over the measured seconds (counted by `bench/peers/syscount.c`, preloaded), per delivery." > md
  print "" > md
  row = "| |"; m = "|---|"
  for (j = 1; j <= nq; j++) { row = row " " t[j] " |"; m = m "---:|" }
  print row > md
  print m > md
  split("msgs_per_s eff writes_per_delivery server_cpu client_cpu redis_cpu p50_us p99_us setup_s", R, " ")
  split("k deliveries/s|k deliveries per server CPU-s|write calls per delivery|server CPU|loadgen CPU|Redis CPU|p50 µs|p99 µs|log-in s", RL, "|")
  for (m = 1; m <= 9; m++) {
    row = "| " RL[m] " |"
    for (j = 1; j <= nq; j++) {
      split(q[j], c, " ")
      if (m <= 2) v = cell(c[1], c[2], R[m], "k ")
      else if (m == 3) { v = med(c[1], c[2], R[m]); v = v == "" ? "–" : sprintf("%.4f", v) }
      else v = fmt(med(c[1], c[2], R[m]), m <= 6 ? "core" : m <= 8 ? "µs" : "s")
      row = row " " v " |"
    }
    print row > md
  }
  print "" > md
  cn = med("S7", "cnet", "eff"); nd = med("S7", "node", "eff")
  row = "cnet ÷ Node per server CPU-s: " ((cn != "" && nd > 0) ? sprintf("**%.2f**", cn / nd) : "–") " (the target: ≥ 2)"
  v = med("S7C", "cnet", "msgs_per_s"); c[1] = med("S7", "cnet", "msgs_per_s")
  if (v != "" && c[1] > 0) row = row sprintf("; S7C ÷ S7: %.2f in deliveries/s", v / c[1])
  v = med("S7C", "cnet", "eff")
  if (v != "" && cn > 0) row = row sprintf(", %.2f per server CPU-s", v / cn)
  print row "." > md
  print "" > md
  if (fails["S7C", "cnet"]) print "- S7C: " fails["S7C", "cnet"] " of " runs " runs failed (" why["S7C", "cnet"] "; see raw.txt)" > md
}
# S2T: cnet-echo --threads 1 and 2 under S2's load, on every core; the
# rows are the peers cnet_t1 and cnet_t2, the last line their ratio.
function threads_table(   t, p, r, e, c) {
  print "## cnet-echo --threads N: scaling" > md
  print "" > md
  print "`cnet-echo --threads N` runs N event loops, one per thread, each with a listening socket of its own on one port (SO_REUSEPORT): the kernel spreads the connections over them and nothing is shared. Here it echoes S2's load (64 B × 50 connections × 16 deep). Unlike the other scenarios, the server and the load generator may both run on every core (" ncpu " here), since the point is to give the threads cores to run on. **On 2 cores this cannot show scaling**: the load generator is one thread that needs about a core of its own to make this load (its CPU column), so the server can get about one core whatever its number of threads; two threads then share that core with each other and with the load generator. What the figure can show on 2 cores is the price of the threads: msgs per server CPU-second should stay level from 1 to 2 threads (nothing shared, no locks on the path). On a busy machine the rate ratio flatters the threads: two runnable threads win twice the share of the cores from other processes (compare the server CPU column). Rates need a machine with more cores to scale." > md
  print "" > md
  print "| threads | k msg/s | server CPU (cores) | loadgen CPU | k msg per server CPU-s | p99 µs |" > md
  print "|---:|---:|---:|---:|---:|---:|" > md
  for (t = 1; t <= 2; t++) {
    p = "cnet_t" t
    print "| " t " | " cell("S2T", p, "msgs_per_s", "k msg/s") " | " fmt(med("S2T", p, "server_cpu"), "core") " | " fmt(med("S2T", p, "client_cpu"), "core") " | " cell("S2T", p, "eff", "k msg/s") " | " fmt(med("S2T", p, "p99_us"), "µs") " |" > md
  }
  r = med("S2T", "cnet_t2", "msgs_per_s"); c = med("S2T", "cnet_t1", "msgs_per_s")
  e = med("S2T", "cnet_t2", "eff") ; t = med("S2T", "cnet_t1", "eff")
  print "" > md
  print "2 threads ÷ 1 thread: **" (r != "" && c > 0 ? sprintf("%.2f", r / c) : "–") "** in msgs/s, " (e != "" && t > 0 ? sprintf("%.2f", e / t) : "–") " per server CPU-second." > md
  print "" > md
}
END {
  md = tmp "/results.md"
  print "# cnet benchmarks" > md
  print "" > md
  print "Written by `make bench` (bench/run.sh, bench/report.sh) on " date ", commit " commit "." > md
  print "Machine: " machine ". Peers: " versions "." > md
  print "Each figure is the **median of " hot_runs " runs** (S1–S3, S9, S10) or of " runs " (S5–S8, S7C, S2T) of " secs " s (after " warm " s of warm-up; S4, a count of bytes, runs once); ±: half the range of the runs. The peers took turns within every round (cnet, epoll, libuv, libevent, Node, cnet, ...); every server ran alone on CPU 0 and the load generator on CPU 1 (taskset), over 127.0.0.1. The whole run took " elapsed " s." > md
  print "" > md
  n = split(allcpu, a, " ")
  sortn(a, n)
  mcpu = n ? a[int((n + 1) / 2)] : 1
  if (mcpu < 0.85) {
    printf "> **Noisy figures.** During the timed runs of S1–S3 the servers got a median of %.0f %% of their core (alone on a quiet machine they get about 100 %%): other processes on the same two cores (builds and test suites running alongside) took the rest, so rates swing from run to run by the ± shown. The medians, the interleaving and the table per CPU-second of the server soften that; compare peers within one run, never across runs, and rerun `make bench` on a quiet machine before quoting a rate.\n", mcpu * 100 > md
    print "noisy" > (tmp "/noisy")
  } else {
    printf "During the timed runs of S1–S3 the servers got a median of %.0f %% of their core: the machine was quiet enough for the rates to be compared.", mcpu * 100 > md
    # A busy spell can still fall on one scenario: say which.
    for (i = 1; i <= 3; i++) {
      n = split(scpu["S" i], a, " ")
      sortn(a, n)
      if (n && a[int((n + 1) / 2)] < 0.85)
        printf " Except S%d: during its runs the servers got a median of %.0f %% of their core (the machine was busy then), so its rates are low and swing more; its ratios, taken within each round, still compare the peers.", i, a[int((n + 1) / 2)] * 100 > md
    }
    print "" > md
  }
  print "" > md
  print "![cnet against its peers](results.png)" > md
  print "" > md

  hdr = "| scenario | unit |"; sep = "|---|---|"
  for (j = 1; j <= np; j++) if (P[j] in shown) { hdr = hdr " " name[P[j]] " |"; sep = sep "---:|" }
  print "## Figures" > md
  print "" > md
  print hdr > md
  print sep > md
  for (i = 1; i <= ns; i++) {
    s = S[i]
    if (!(s in seen)) continue
    row = "| " label[s] " | " unit[s] (lower[s] ? " (lower is better)" : "") " |"
    for (j = 1; j <= np; j++) if (P[j] in shown) row = row " " cell(s, P[j], key[s], unit[s]) " |"
    print row > md
  }
  print "" > md

  print "## cnet / peer" > md
  print "" > md
  print "Above 1.00 cnet is ahead (for S4, memory, the ratio is peer / cnet so that above 1.00 still means cnet is ahead). The targets: ≥ 1.00 against the better of epoll and libuv on S1–S3, and ≤ 256 B per idle connection on S4." > md
  print "" > md
  ratio_header()
  for (i = 1; i <= ns; i++) {
    s = S[i]
    if (!(s in seen)) continue
    print ratio_row(s, key[s], lower[s]) > md
    if (s in best_ratio) ratio[s] = best_ratio[s]
  }
  print "" > md

  print "### Per CPU-second of the server" > md
  print "" > md
  print "The same work divided by the CPU time the server used while measuring (`/proc/PID/stat`): when other processes take part of the server core, the rate above drops but this figure barely moves, so on a shared machine it compares the servers' own cost more faithfully. It ignores a server that idles while it could work (S5, where the load generator is the bottleneck)." > md
  print "" > md
  hdr = "| scenario | unit |"; sep = "|---|---|"
  for (j = 1; j <= np; j++) if (P[j] in shown) { hdr = hdr " " name[P[j]] " |"; sep = sep "---:|" }
  print hdr > md
  print sep > md
  for (i = 1; i <= ns; i++) {
    s = S[i]
    if (!(s in seen) || lower[s]) continue
    u = unit[s]
    sub(/\/s$/, "", u)
    row = "| " short[s] " | " u " per server CPU-s |"
    for (j = 1; j <= np; j++) if (P[j] in shown) row = row " " cell(s, P[j], "eff", unit[s]) " |"
    print row > md
  }
  print "" > md
  ratio_header()
  for (i = 1; i <= ns; i++) {
    s = S[i]
    if (!(s in seen) || lower[s]) continue
    print ratio_row(s, "eff", 0) > md
    if (s in best_ratio) eff_ratio[s] = best_ratio[s]
  }
  print "" > md

  print "## Latency and CPU" > md
  print "" > md
  print "Latency: from the moment the load generator issued a message to the moment its last byte came back (for S5, from connect() to the echo), over every message of the measured seconds (for S7, to each client's copy of the line: with 16 lines in flight per talker, the median is mostly the wait behind the others). CPU: the share of one core each process used while measuring: a server near 1.00 was the bottleneck, as it should be; a load generator near 1.00 means the figure is capped by the load generator, not by the server (it shares the kernel's loopback work with the server, see below)." > md
  print "" > md
  hdr = "| scenario | |"; sep = "|---|---|"
  for (j = 1; j <= np; j++) if (P[j] in shown) { hdr = hdr " " name[P[j]] " |"; sep = sep "---:|" }
  print hdr > md
  print sep > md
  for (i = 1; i <= ns; i++) {
    s = S[i]
    if (!(s in seen) || s == "S4") continue
    # S7 adds the seconds it took to log its 1 000 clients in.
    nr = split("p50_us p99_us server_cpu client_cpu" (s == "S7" ? " setup_s" : ""), R, " ")
    split("p50 µs|p99 µs|server CPU|loadgen CPU|log-in s", RL, "|")
    for (m = 1; m <= nr; m++) {
      row = "| " (m == 1 ? short[s] : "") " | " RL[m] " |"
      u = m <= 2 ? "µs" : m == 5 ? "s" : "core"
      for (j = 1; j <= np; j++) if (P[j] in shown) {
        v = med(s, P[j], R[m])
        row = row " " fmt(v, u) " |"
      }
      print row > md
    }
  }
  print "" > md

  if ("S7" in seen || "S7C" in seen) s7_section()

  if ("S8" in seen) s8_section()

  if ("S9" in seen || "S10" in seen) tls_section()

  if ("S2T" in seen) threads_table()

  if (nfail) {
    print "## Failed runs" > md
    print "" > md
    for (i = 1; i <= ns; i++) for (j = 1; j <= np; j++)
      if (fails[S[i], P[j]]) print "- " S[i] " " name[P[j]] ": " fails[S[i], P[j]] " of " (S[i] ~ /^S([123]|9|10)$/ ? hot_runs : S[i] == "S4" ? 1 : runs) " (" why[S[i], P[j]] "; see raw.txt)" > md
    for (j = 1; j <= 2; j++)
      if (fails["S2T", "cnet_t" j]) print "- S2T cnet-echo --threads " j ": " fails["S2T", "cnet_t" j] " of " runs " (" why["S2T", "cnet_t" j] "; see raw.txt)" > md
    print "" > md
  }

  # One data file per panel of the chart: name, value, colour.
  for (i = 1; i <= 5; i++) {
    s = S[i]
    if (!(s in seen)) continue
    dat = tmp "/" s ".dat"
    for (j = 1; j <= np; j++) {
      p = P[j]
      if (!(p in shown)) continue
      v = med(s, p, key[s])
      if (v == "") continue # a peer that does not run this scenario
      if (unit[s] ~ /^k /) v = v / 1000
      printf "\"%s\" %.6g %s\n", p == "cnet_uring" ? "io_uring" : name[p], v, color[p] > dat
    }
    close(dat)
  }
  dat = tmp "/ratio.dat"
  for (i = 1; i <= ns; i++) # those with an epoll or libuv peer: S1-S6
    if (S[i] == "S4" && med("S4", "cnet", key["S4"]) > 0) # against the target
      printf "%s %.4f NaN\n", S[i], 256 / med("S4", "cnet", key["S4"]) > dat
    else if (S[i] in ratio)
      printf "%s %.4f %s\n", S[i], ratio[S[i]], (S[i] in eff_ratio) ? sprintf("%.4f", eff_ratio[S[i]]) : "NaN" > dat
  close(dat)
  for (i = 1; i <= 5; i++) if (!(S[i] in seen)) printf "" > (tmp "/" S[i] ".dat")
  printf "" >> dat
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* loadgen: the load generator of cnet's benchmarks.
 *
 * It is written on raw epoll and shares no code with cnet, so that a bug in
 * cnet cannot hide in the instrument that measures it. Every echoed byte is
 * checked against what was sent, and the result is one line of key=value
 * pairs on stdout for bench/run.sh to collect (diagnostics go to stderr).
 *
 *   loadgen --port P --mode pipeline -c 50 -s 64 -d 16 -t 5
 *
 * Modes:
 *   pingpong  one message of S bytes in flight per connection
 *   pipeline  D messages in flight per connection (a new one is sent as
 *             soon as one has come back whole)
 *   bulk      the same engine, meant for large messages: read MiB/s
 *   idle      hold N connections, each having echoed one message, and
 *             report the server's RSS growth per connection (--server-pid)
 *   churn     N connections at a time, each: connect, echo one message,
 *             close; connections per second
 *   fanout    a chat room (cnet-chat): N clients log in, the first K
 *             (--senders) keep D lines of S bytes in flight each, and every
 *             line is delivered to every other client; deliveries per second.
 *             Given several --port (instances of one room, S7C), client i
 *             logs in to port number i modulo their count
 *   udp       N UDP sockets (-c), each with D datagrams of S bytes in
 *             flight (a new one as soon as one is back); datagrams lost
 *             are re-sent after --udp-timeout ms and counted (lost=)
 *   sink      N connections send bulk data as fast as they can, no echo
 *             (S8: a server that pipes each connection into a file); each
 *             connection carries one file of at most --file-mib MiB, then
 *             ends and reads the server's "done bytes=B size=S path=P"
 *             line; B and S must equal what was sent, samples of the file
 *             must match, and the file is removed; then it starts over
 *
 * --tls makes the connections of pingpong, pipeline, bulk and churn TLS 1.3
 * clients (OpenSSL, TLS_AES_128_GCM_SHA256, X25519, no resumption: every
 * churn connection makes a full handshake); the server's certificate is
 * not verified (its signature in the handshake still is), the measure
 * being the server, not the client's checks. --tls-client tls13 makes
 * churn's clients bench/tls13.c's, a TLS 1.3 client of the least kind on
 * libcrypto, whose handshake costs half of OpenSSL's (tls13.h says why
 * S10 needs it: with OpenSSL's, the client's core is full first).
 *
 * --server-pid (CPU), --server-syscalls (the write calls counted by
 * bench/peers/syscount.c) and --redis-pid add what those processes spent
 * in the measured window to the line; the first two may be given once per
 * server and are summed.
 *
 * Exit status: 0, 1 for a usage error, 2 when the server misbehaved (wrong
 * byte, early close, refused connection); the line then has errors=1 and
 * error=WHAT. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tls13.h"

/* Every connection sends a slice of one pseudo-random pattern, starting at
 * an offset of its own, so that bytes echoed to the wrong connection or in
 * the wrong order are caught. The pattern is stored twice in a row so any
 * slice of up to PATLEN bytes is contiguous; PATLEN is prime so that the
 * offsets of connections do not line up with message sizes. */
#define PATLEN 65537u
#define RBUF 65536u /* a read never exceeds one slice */
#define MAXEV 512
#define CONNECT_WINDOW 128 /* connects in flight; stays below the backlog */

static unsigned char pat[2 * PATLEN];
static unsigned char rbuf[RBUF];

static struct {
  const char *mode;
  const char *host;
  int conns;
  size_t size;
  int depth;
  double secs;
  double warmup;
  int server_pid;
  int settle_ms;
  int wait_ms;
  int file_mib;
  int udp_timeout_ms;
  int redis_pid;
  bool tls;
  bool tls13;   /* --tls-client tls13 (churn) */
} o = {"pipeline", "127.0.0.1", 50, 64, 16, 5.0, 1.0, 0, 1000, 5000, 128, 200, 0, false, false};

/* Several servers (S7C: instances of one chat room): --port, --server-pid
 * and --server-syscalls may each be given up to MAXSRV times. Connection
 * i goes to port i % nports (fanout; the other modes use the first), and
 * the servers' CPU and write calls are summed. */
#define MAXSRV 8
static int ports[MAXSRV], nports;
static int srv_pids[MAXSRV], npids;
static const char *srv_syscalls[MAXSRV];
static int nsyscalls;

static struct sockaddr_in addrs[MAXSRV];
static int epfd;

/* ---- time, statistics, reporting -------------------------------------- */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Latencies go to a log-linear histogram (64 steps per power of two, so a
 * percentile is within 1.6 %): constant memory at any message rate. */
#define HSUB 64
#define HBUCKETS (HSUB * 64)
static uint64_t hist[HBUCKETS];
static uint64_t hcount;

static void hist_add(uint64_t v) {
  unsigned b;
  if (v < 2 * HSUB) {
    b = (unsigned)v;
  } else {
    unsigned e = 63u - (unsigned)__builtin_clzll(v) - 6u;
    b = e * HSUB + (unsigned)(v >> e);
  }
  hist[b < HBUCKETS ? b : HBUCKETS - 1]++;
  hcount++;
}

static double hist_pct_us(double p) {
  if (hcount == 0) return 0;
  uint64_t want = (uint64_t)(p * (double)hcount);
  if (want >= hcount) want = hcount - 1;
  uint64_t seen = 0;
  for (unsigned b = 0; b < HBUCKETS; b++) {
    seen += hist[b];
    if (seen > want) {
      if (b < 2 * HSUB) return b / 1000.0;
      unsigned e = b / HSUB - 1;
      uint64_t lo = (uint64_t)(b % HSUB + HSUB) << e;
      return (double)(lo + (1ull << e) / 2) / 1000.0;
    }
  }
  return 0;
}

/* The line printed at the end, built up as the run goes. */
static char line[2048];
static size_t line_len;

static void put(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (line_len < sizeof line) {
    if (line_len) line[line_len++] = ' ';
    int n = vsnprintf(line + line_len, sizeof line - line_len, fmt, ap);
    if (n > 0) line_len += (size_t)n;
  }
  va_end(ap);
}

static void print_line(void) {
  if (line_len >= sizeof line) line_len = sizeof line - 1;
  line[line_len] = 0;
  puts(line);
  fflush(stdout);
}

/* Ends the run because the server misbehaved: the line says so. */
static void fail(const char *what, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "loadgen: %s: ", what);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  put("errors=1 error=%s", what);
  print_line();
  exit(2);
}

/* Seconds of CPU that a process has used (utime + stime), or -1. */
static double proc_cpu_s(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  /* Fields after the command name, which may hold spaces: state is
   * field 3, utime 14 and stime 15. */
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long ut = 0, st = 0;
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
             &ut, &st) != 2)
    return -1;
  return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The server's resident memory in KiB (VmRSS), or -1. */
static long proc_rss_kib(int pid) {
  char path[64], l[256];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  long kib = -1;
  while (fgets(l, sizeof l, f))
    if (sscanf(l, "VmRSS: %ld kB", &kib) == 1) break;
  fclose(f);
  return kib;
}

/* The servers' write system calls so far (write, writev, send, sendto,
 * sendmsg, sendmmsg), from the pages bench/peers/syscount.c keeps in the
 * --server-syscalls files; -1 without them. */
static volatile const unsigned long long *srv_calls[MAXSRV];
static long long server_syscalls(void) {
  if (nsyscalls == 0) return -1;
  long long sum = 0;
  for (int i = 0; i < nsyscalls; i++) {
    if (!srv_calls[i]) {
      int fd = open(srv_syscalls[i], O_RDONLY | O_CLOEXEC);
      if (fd < 0) return -1;
      void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
      close(fd);
      if (p == MAP_FAILED) return -1;
      srv_calls[i] = p;
    }
    sum += (long long)*srv_calls[i];
  }
  return sum;
}

/* The seconds of CPU the servers have used, summed; -1 if one is gone. */
static double servers_cpu_s(void) {
  double sum = 0;
  for (int i = 0; i < npids; i++) {
    double s = proc_cpu_s(srv_pids[i]);
    if (s < 0) return -1;
    sum += s;
  }
  return sum;
}

/* CPU use of the processes over the measured window, as fractions of one
 * core: a server near 1.0 is the bottleneck, as it should be; a load
 * generator near 1.0 means the figures measure loadgen, not the server
 * (several servers: their sum; --redis-pid: Redis's own, redis_cpu).
 * With --server-syscalls, also the servers' write calls in the window
 * (server_writes; -1 when unknown). */
static double cpu_srv0, cpu_self0, cpu_redis0;
static long long calls0, server_writes = -1;
static void cpu_mark(void) {
  cpu_srv0 = npids ? servers_cpu_s() : -1;
  cpu_self0 = self_cpu_s();
  cpu_redis0 = o.redis_pid ? proc_cpu_s(o.redis_pid) : -1;
  calls0 = server_syscalls();
}
static void cpu_report(double secs) {
  double srv1 = npids ? servers_cpu_s() : -1;
  if (cpu_srv0 >= 0 && srv1 >= 0) put("server_cpu=%.2f", (srv1 - cpu_srv0) / secs);
  put("client_cpu=%.2f", (self_cpu_s() - cpu_self0) / secs);
  double redis1 = o.redis_pid ? proc_cpu_s(o.redis_pid) : -1;
  if (cpu_redis0 >= 0 && redis1 >= 0) put("redis_cpu=%.2f", (redis1 - cpu_redis0) / secs);
  long long calls1 = server_syscalls();
  if (calls0 >= 0 && calls1 >= 0) {
    server_writes = calls1 - calls0;
    put("server_writes=%lld", server_writes);
  }
}

/* ---- sockets ----------------------------------------------------------- */

static int tcp_socket(bool reset_on_close) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket", "%s", strerror(errno));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (reset_on_close) {
    /* Closing with RST leaves no TIME_WAIT behind: at thousands of
     * connections per second a graceful close would fill the ephemeral
     * port range of this shared machine within seconds. */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  return fd;
}

static void start_connect_to(int fd, const struct sockaddr_in *a) {
  if (connect(fd, (const struct sockaddr *)a, sizeof *a) != 0 &&
      errno != EINPROGRESS)
    fail("connect", "%s", strerror(errno));
}

static void start_connect(int fd) { start_connect_to(fd, &addrs[0]); }

static void ep_ctl(int op, int fd, uint32_t events, void *ptr) {
  struct epoll_event ev = {.events = events, .data.ptr = ptr};
  if (epoll_ctl(epfd, op, fd, &ev) != 0) fail("epoll_ctl", "%s", strerror(errno));
}

static int so_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  return err;
}

/* ---- TLS (--tls) -------------------------------------------------------- */

static SSL_CTX *tls_ctx;

/* The server's certificate chain is taken as it comes (its handshake
 * signature is still checked): the client's checks are not what S10
 * measures, and on this load generator they would cap it. */
static int tls_trust(X509_STORE_CTX *store, void *arg) {
  (void)store, (void)arg;
  return 1;
}

static void tls_init(bool bulk) {
  tls_ctx = SSL_CTX_new(TLS_client_method());
  if (!tls_ctx || !SSL_CTX_set_min_proto_version(tls_ctx, TLS1_3_VERSION) ||
      !SSL_CTX_set_ciphersuites(tls_ctx, "TLS_AES_128_GCM_SHA256") ||
      !SSL_CTX_set1_groups_list(tls_ctx, "X25519"))
    fail("tls_init", "OpenSSL: %s", ERR_reason_error_string(ERR_get_error()));
  SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_cert_verify_callback(tls_ctx, tls_trust, NULL);
  SSL_CTX_set_session_cache_mode(tls_ctx, SSL_SESS_CACHE_OFF);
  /* Reads take what the kernel has (not a record header, then its body),
   * in bulk into a buffer that holds several records: the client costs
   * little. */
  SSL_CTX_set_read_ahead(tls_ctx, 1);
  if (bulk) SSL_CTX_set_default_read_buffer_len(tls_ctx, RBUF);
  SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

static SSL *tls_new(int fd) {
  SSL *ssl = SSL_new(tls_ctx);
  if (!ssl || !SSL_set_fd(ssl, fd)) fail("tls_new", "out of memory");
  SSL_set_connect_state(ssl);
  return ssl;
}

/* The first handshake of a run says what was negotiated: a server that
 * chose otherwise would not be measured on the same work. */
static void tls_check_first(SSL *ssl) {
  static bool checked;
  if (checked) return;
  checked = true;
  const char *cipher = SSL_get_cipher_name(ssl);
  if (SSL_version(ssl) != TLS1_3_VERSION || strcmp(cipher, "TLS_AES_128_GCM_SHA256") != 0)
    fail("tls_cipher", "negotiated %s %s", SSL_get_version(ssl), cipher);
  char group[32] = "?";
  int nid = SSL_get_negotiated_group(ssl);
  if (nid) snprintf(group, sizeof group, "%s", OBJ_nid2sn(nid));
  put("tls=%s cipher=%s group=%s", SSL_get_version(ssl), cipher, group);
}

/* Why a TLS call that returned r <= 0 stopped: a wait (*events: the
 * epoll events to wait for), or else the end of the run, with why. */
static void tls_wait(SSL *ssl, int r, const char *what, int idx, uint32_t *events) {
  int e = SSL_get_error(ssl, r);
  if (e == SSL_ERROR_WANT_READ) {
    *events = EPOLLIN;
    return;
  }
  if (e == SSL_ERROR_WANT_WRITE) {
    *events = EPOLLIN | EPOLLOUT;
    return;
  }
  if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0))
    fail("server_closed", "connection %d, %s", idx, what);
  unsigned long err = ERR_get_error();
  fail("tls", "connection %d, %s: %s", idx, what,
       err ? ERR_reason_error_string(err) : strerror(errno));
}

/* Waits until every server accepts connections (they may still be
 * starting). */
static void wait_for_server(void) {
  uint64_t give_up = now_ns() + (uint64_t)o.wait_ms * 1000000u;
  for (int i = 0; i < nports; i++) {
    for (;;) {
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      int r = connect(fd, (struct sockaddr *)&addrs[i], sizeof addrs[i]);
      int e = errno;
      close(fd);
      if (r == 0) break;
      if (now_ns() > give_up) fail("server_not_up", "port %d: %s", ports[i], strerror(e));
      usleep(10000);
    }
  }
}

/* Checks n received bytes against the pattern at stream offset off. */
static void check_bytes(const unsigned char *got, size_t n, uint32_t base,
                        uint64_t off, int conn) {
  const unsigned char *want = pat + (base + off) % PATLEN;
  if (memcmp(got, want, n) == 0) return;
  size_t i = 0;
  while (got[i] == want[i]) i++;
  fail("mismatch", "connection %d, byte %llu: got 0x%02x, sent 0x%02x", conn,
       (unsigned long long)(off + i), got[i], want[i]);
}

static uint32_t conn_base(uint64_t i) { return (uint32_t)((i * 7919u) % PATLEN); }

/* ---- connections held open (pingpong, pipeline, bulk, idle) ----------- */

typedef struct conn {
  int fd;
  int idx;
  bool connected;
  bool secure;          /* --tls: the handshake is done */
  bool want_out;        /* EPOLLOUT is armed */
  SSL *ssl;             /* --tls */
  uint32_t base;        /* where this connection's stream starts in pat */
  uint64_t queued;      /* bytes of the messages issued so far */
  uint64_t sent;        /* bytes written */
  uint64_t recvd;       /* bytes echoed and checked */
  uint64_t issued;      /* messages issued */
  uint64_t *t_sent;     /* issue time of message m at [m % depth] */
} conn;

static conn *conns;
static bool measuring, stopping;
static uint64_t now, msgs;

/* The clock of a timed mode: warm-up until t_meas, measured until t_end,
 * then stopping while what is in flight comes back. window_step, once per
 * turn of the mode's loop, moves it on and says what just happened. */
typedef struct window {
  uint64_t t_meas, t_end, t0, t1;
} window;
enum { WINDOW_OPENED = 1, WINDOW_CLOSED = 2 };

static window window_start(void) {
  window w = {.t_meas = now + (uint64_t)(o.warmup * 1e9)};
  w.t_end = w.t_meas + (uint64_t)(o.secs * 1e9);
  return w;
}

static double window_secs(const window *w) { return (double)(w->t1 - w->t0) / 1e9; }

static int window_step(window *w) {
  int what = 0;
  if (!measuring && !stopping && now >= w->t_meas) {
    measuring = true;
    w->t0 = now;
    cpu_mark();
    what |= WINDOW_OPENED;
  }
  if (measuring && now >= w->t_end) {
    measuring = false;
    stopping = true;
    w->t1 = now;
    cpu_report(window_secs(w));
    what |= WINDOW_CLOSED;
  }
  return what;
}

/* EPOLLIN always, EPOLLOUT while the kernel (or TLS) wants it. */
static void want_out(conn *c, bool out) {
  if (out != c->want_out) ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN | (out ? EPOLLOUT : 0), c);
  c->want_out = out;
}

/* Sends len bytes of the pattern at p: how many went, 0 when the kernel
 * (or TLS) must wait (EPOLLOUT armed if that is what it waits for). With
 * --tls a retry after a wait passes the same bytes, at least as many,
 * as OpenSSL wants (they are the same slice of the pattern). */
static size_t conn_send(conn *c, const unsigned char *p, size_t len) {
  if (c->ssl) {
    int w = SSL_write(c->ssl, p, (int)len);
    if (w > 0) return (size_t)w;
    uint32_t events;
    tls_wait(c->ssl, w, "write", c->idx, &events);
    want_out(c, events & EPOLLOUT);
    return 0;
  }
  for (;;) {
    ssize_t w = send(c->fd, p, len, MSG_NOSIGNAL);
    if (w > 0) return (size_t)w;
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      want_out(c, true);
      return 0;
    }
    fail("write", "connection %d: %s", c->idx, strerror(errno));
  }
}

/* Reads into rbuf: the bytes read, or 0 when there are none now. */
static size_t conn_read(conn *c) {
  if (c->ssl) {
    int n = SSL_read(c->ssl, rbuf, RBUF);
    if (n > 0) return (size_t)n;
    uint32_t events;
    tls_wait(c->ssl, n, "read", c->idx, &events);
    if (events & EPOLLOUT) want_out(c, true);
    return 0;
  }
  for (;;) {
    ssize_t n = read(c->fd, rbuf, RBUF);
    if (n > 0) return (size_t)n;
    if (n == 0)
      fail("server_closed", "connection %d after %llu bytes", c->idx,
           (unsigned long long)c->recvd);
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return 0;
    fail("read", "connection %d: %s", c->idx, strerror(errno));
  }
}

static void flush(conn *c) {
  while (c->sent < c->queued) {
    uint64_t left = c->queued - c->sent;
    size_t len = left > PATLEN ? PATLEN : (size_t)left;
    size_t w = conn_send(c, pat + (c->base + c->sent) % PATLEN, len);
    if (w == 0) return;
    c->sent += w;
  }
  want_out(c, false);
}

/* --tls: advances the handshake; true once it is done. */
static bool conn_handshake(conn *c) {
  int r = SSL_do_handshake(c->ssl);
  if (r == 1) {
    c->secure = true;
    tls_check_first(c->ssl);
    want_out(c, false);
    return true;
  }
  uint32_t events;
  tls_wait(c->ssl, r, "handshake", c->idx, &events);
  want_out(c, events & EPOLLOUT);
  return false;
}

static void issue(conn *c, uint64_t completed) {
  while (!stopping && c->issued - completed < (uint64_t)o.depth) {
    c->t_sent[c->issued % (uint64_t)o.depth] = now;
    c->issued++;
    c->queued += o.size;
  }
}

/* Reads what the server echoed, checks it, times the messages it
 * completes and issues as many new ones. */
static void on_readable(conn *c) {
  uint64_t m0 = c->recvd / o.size;
  for (;;) {
    size_t n = conn_read(c);
    if (n == 0) break;
    if (c->recvd + n > c->sent)
      fail("extra_bytes", "connection %d: more bytes back than sent", c->idx);
    check_bytes(rbuf, n, c->base, c->recvd, c->idx);
    c->recvd += n;
    /* Level-triggered: we hear of the rest. TLS reads a record at a time
     * and may hold more than the kernel does: read until it waits. */
    if (!c->ssl && n < RBUF) break;
  }
  uint64_t m1 = c->recvd / o.size;
  if (measuring)
    for (uint64_t m = m0; m < m1; m++)
      hist_add(now - c->t_sent[m % (uint64_t)o.depth]);
  if (measuring) msgs += m1 - m0;
  issue(c, m1);
  flush(c);
}

/* Opens conns[from..to) with at most CONNECT_WINDOW connections in the
 * making, so that the server's accept queue never overflows (an overflow
 * costs a 1 s retransmit and would pass for server latency). With ping,
 * a connection is made once one message of o.size bytes has come back
 * through it: the kernel completes a handshake before the server accepts,
 * so only an answer proves the server has taken the connection. */
static void connect_range(int from, int to, bool reset_on_close, bool ping) {
  int next = from, inflight = 0, done = 0;
  struct epoll_event evs[MAXEV];
  uint64_t give_up = now_ns() + 60 * 1000000000ull;
  while (done < to - from) {
    while (next < to && inflight < CONNECT_WINDOW) {
      conn *c = &conns[next];
      c->idx = next;
      c->base = conn_base((uint64_t)next);
      c->fd = tcp_socket(reset_on_close);
      start_connect(c->fd);
      ep_ctl(EPOLL_CTL_ADD, c->fd, EPOLLOUT, c);
      next++, inflight++;
    }
    int n = epoll_wait(epfd, evs, MAXEV, 1000);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      if (!c->connected) {
        int err = so_error(c->fd);
        if (err) fail("connect", "connection %d: %s", c->idx, strerror(err));
        ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
        c->connected = true;
        if (o.tls) c->ssl = tls_new(c->fd);
      } else if (!c->ssl || c->secure) { /* waiting for the ping's echo */
        if (evs[i].events & EPOLLOUT) flush(c);
        if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
        on_readable(c);
        if (c->recvd < c->queued) continue;
        inflight--, done++;
        continue;
      }
      if (c->ssl && !conn_handshake(c)) continue;
      if (ping) {
        c->queued = o.size;
        flush(c);
        continue;
      }
      inflight--, done++;
    }
    if (now_ns() > give_up) fail("connect_timeout", "%d of %d", done, to - from);
  }
}

static int mode_stream(void) {
  struct epoll_event evs[MAXEV];
  conns = calloc((size_t)o.conns, sizeof *conns);
  uint64_t *times = calloc((size_t)o.conns * (size_t)o.depth, sizeof *times);
  if (!conns || !times) fail("nomem", "%d connections", o.conns);
  for (int i = 0; i < o.conns; i++) conns[i].t_sent = times + (size_t)i * (size_t)o.depth;
  connect_range(0, o.conns, false, false);

  now = now_ns();
  window w = window_start();
  for (int i = 0; i < o.conns; i++) {
    issue(&conns[i], 0);
    flush(&conns[i]);
  }
  /* Run until t_end, then stop issuing and wait for every byte in flight:
   * a run ends only when everything sent has come back intact. */
  uint64_t give_up = 0;
  for (;;) {
    if (window_step(&w) & WINDOW_CLOSED) give_up = now + 5 * 1000000000ull;
    if (stopping) {
      int i = 0;
      while (i < o.conns && conns[i].recvd == conns[i].queued) i++;
      if (i == o.conns) break;
      if (now > give_up)
        fail("drain_timeout", "connection %d: %llu of %llu bytes back", i,
             (unsigned long long)conns[i].recvd,
             (unsigned long long)conns[i].queued);
    }
    int n = epoll_wait(epfd, evs, MAXEV, 50);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns(); /* one clock read per wake-up stamps the whole batch */
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      if (evs[i].events & EPOLLOUT) flush(c);
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
    }
  }
  double secs = window_secs(&w);
  put("secs=%.3f msgs=%llu msgs_per_s=%.0f mib_per_s=%.2f p50_us=%.1f p99_us=%.1f",
      secs, (unsigned long long)msgs, (double)msgs / secs,
      (double)msgs * (double)o.size / secs / (1024.0 * 1024.0),
      hist_pct_us(0.50), hist_pct_us(0.99));
  for (int i = 0; i < o.conns; i++) close(conns[i].fd); /* graceful: FIN */
  put("errors=0");
  print_line();
  return 0;
}

/* ---- idle: memory per held connection ---------------------------------- */

static int mode_idle(void) {
  if (!o.server_pid) fail("usage", "idle mode needs --server-pid");
  o.depth = 1;
  stopping = true; /* no message beyond the one ping */
  conns = calloc((size_t)o.conns, sizeof *conns);
  uint64_t *times = calloc((size_t)o.conns, sizeof *times);
  if (!conns || !times) fail("nomem", "%d connections", o.conns);
  for (int i = 0; i < o.conns; i++) conns[i].t_sent = times + i;

  /* The first connections pay for what a server allocates once (its read
   * buffer, tables that grow in steps): the baseline is taken after them. */
  int warm = o.conns / 100 < 100 ? o.conns / 100 : 100;
  if (warm < 1) warm = 1;
  long rss_start = proc_rss_kib(o.server_pid);
  uint64_t t0 = now_ns();
  connect_range(0, warm, true, true);
  usleep(200 * 1000);
  long rss0 = proc_rss_kib(o.server_pid);
  connect_range(warm, o.conns, true, true);
  double open_s = (double)(now_ns() - t0) / 1e9;
  usleep((useconds_t)o.settle_ms * 1000);
  long rss1 = proc_rss_kib(o.server_pid);
  if (rss0 < 0 || rss1 < 0) fail("no_server_rss", "pid %d", o.server_pid);
  int held = o.conns - warm;
  put("held=%d rss_start_kib=%ld rss_base_kib=%ld rss_kib=%ld "
      "bytes_per_conn=%.0f open_s=%.2f",
      o.conns, rss_start, rss0, rss1, (double)(rss1 - rss0) * 1024.0 / held,
      open_s);
  for (int i = 0; i < o.conns; i++) close(conns[i].fd); /* RST: see tcp_socket */
  put("errors=0");
  print_line();
  return 0;
}

/* ---- churn: connect, echo one message, close --------------------------- */

typedef struct slot {
  int fd;
  SSL *ssl;     /* --tls */
  tls13 *t13;   /* --tls --tls-client tls13 */
  bool wrote;
  uint32_t base;
  size_t got;
  uint64_t t0;
} slot;

static uint64_t churn_seq;

static void churn_start(slot *s) {
  s->fd = tcp_socket(true);
  s->wrote = false;
  s->got = 0;
  s->base = conn_base(churn_seq++);
  s->t0 = now;
  if (o.tls && o.tls13) {
    if (!(s->t13 = tls13_new(s->fd))) fail("tls_new", "out of memory");
  } else if (o.tls) {
    s->ssl = tls_new(s->fd);
  }
  start_connect(s->fd);
  /* Edge-triggered for both directions: no epoll_ctl between the connect
   * and the close, so the generator spends its time where the server does. */
  ep_ctl(EPOLL_CTL_ADD, s->fd, EPOLLIN | EPOLLOUT | EPOLLET, s);
}

/* --tls: the handshake, then the message; false while either waits (the
 * events are edge-triggered, and OpenSSL waits only once a read or a
 * write of the socket said EAGAIN). */
static bool churn_tls_send(slot *s) {
  uint32_t events;
  int r = SSL_do_handshake(s->ssl);
  if (r != 1) {
    tls_wait(s->ssl, r, "handshake", -1, &events);
    return false;
  }
  tls_check_first(s->ssl);
  r = SSL_write(s->ssl, pat + s->base, (int)o.size);
  if (r <= 0) {
    tls_wait(s->ssl, r, "write", -1, &events);
    return false;
  }
  if ((size_t)r != o.size) fail("write", "short TLS write");
  return true;
}

/* --tls-client tls13: what a tls13 call that returned r < 1 means:
 * false to wait, else the end of the run. */
static bool churn_t13_wait(slot *s, ssize_t r, const char *what) {
  if (r == TLS13_WAIT) return false;
  if (r == TLS13_CLOSED) fail("server_closed", "churn connection, %s", what);
  fail("tls", "churn connection, %s: %s", what, tls13_error(s->t13));
  return false;
}

/* --tls-client tls13: churn_tls_send's twin. */
static bool churn_t13_send(slot *s) {
  int r = tls13_handshake(s->t13);
  if (r != 1) return churn_t13_wait(s, r, "handshake");
  static bool said;
  if (!said) put("tls=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 group=X25519 tls_client=tls13");
  said = true;
  ssize_t w = tls13_write(s->t13, pat + s->base, o.size);
  if (w < 1) return churn_t13_wait(s, w, "write");
  if ((size_t)w != o.size) fail("write", "short TLS write");
  return true;
}

/* --tls: the echo so far into rbuf: bytes, or 0 while it waits. */
static ssize_t churn_tls_read(slot *s) {
  uint32_t events;
  int n = SSL_read(s->ssl, rbuf, RBUF);
  if (n > 0) return n;
  tls_wait(s->ssl, n, "read", -1, &events);
  errno = EAGAIN;
  return -1;
}

/* Returns true when the connection has echoed its message. */
static bool churn_event(slot *s, uint32_t events) {
  if (!s->wrote) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      int err = so_error(s->fd);
      fail("connect", "%s", strerror(err ? err : ECONNRESET));
    }
    if (s->t13) {
      if (!churn_t13_send(s)) return false;
    } else if (s->ssl) {
      if (!churn_tls_send(s)) return false;
    } else {
      if (!(events & EPOLLOUT)) return false;
      ssize_t w = send(s->fd, pat + s->base, o.size, MSG_NOSIGNAL);
      if (w < 0 && errno == EAGAIN) return false;
      if (w != (ssize_t)o.size)
        fail("write", "%s", w < 0 ? strerror(errno) : "short write");
    }
    s->wrote = true;
  }
  for (;;) {
    ssize_t n;
    if (s->t13) {
      n = tls13_read(s->t13, rbuf, RBUF);
      if (n < 1 && !churn_t13_wait(s, n, "read")) return false;
    } else {
      n = s->ssl ? churn_tls_read(s) : read(s->fd, rbuf, RBUF);
    }
    if (n > 0) {
      if (s->got + (size_t)n > o.size) fail("extra_bytes", "churn");
      check_bytes(rbuf, (size_t)n, s->base, s->got, -1);
      s->got += (size_t)n;
      if (s->got == o.size) return true;
    } else if (n == 0) {
      fail("server_closed", "churn connection after %zu bytes", s->got);
    } else if (errno == EAGAIN) {
      return false;
    } else if (errno != EINTR) {
      fail("read", "%s", strerror(errno));
    }
  }
}

static int mode_churn(void) {
  struct epoll_event evs[MAXEV];
  if (o.size > PATLEN) fail("usage", "churn messages are at most %u bytes", PATLEN);
  slot *slots = calloc((size_t)o.conns, sizeof *slots);
  if (!slots) fail("nomem", "%d slots", o.conns);
  now = now_ns();
  uint64_t t_meas = now + (uint64_t)(o.warmup * 1e9);
  uint64_t t_end = t_meas + (uint64_t)(o.secs * 1e9), t0 = 0, done = 0;
  for (int i = 0; i < o.conns; i++) churn_start(&slots[i]);
  while (now < t_end) {
    if (!measuring && now >= t_meas) {
      measuring = true;
      t0 = now;
      cpu_mark();
    }
    int n = epoll_wait(epfd, evs, MAXEV, 50);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns();
    for (int i = 0; i < n; i++) {
      slot *s = evs[i].data.ptr;
      if (!churn_event(s, evs[i].events)) continue;
      if (measuring) {
        done++;
        hist_add(now - s->t0);
      }
      SSL_free(s->ssl); /* no close_notify: the RST of tcp_socket ends it */
      tls13_free(s->t13);
      s->ssl = NULL, s->t13 = NULL;
      close(s->fd);
      churn_start(s);
    }
  }
  double secs = (double)(now - t0) / 1e9;
  cpu_report(secs);
  put("secs=%.3f conns_done=%llu conns_per_s=%.0f p50_us=%.1f p99_us=%.1f",
      secs, (unsigned long long)done, (double)done / secs, hist_pct_us(0.50),
      hist_pct_us(0.99));
  for (int i = 0; i < o.conns; i++) close(slots[i].fd);
  put("errors=0");
  print_line();
  return 0;
}

/* ---- sink: bulk one way, into the server's files (S8) ------------------- */

/* A slice of up to SINK_SEND bytes of the pattern from any offset is
 * contiguous here (the pattern repeated), so a send can be large. */
#define SINK_SEND (1024u * 1024u)
static unsigned char *sinkbuf;

typedef struct sink {
  int fd;
  bool connected, shut;
  uint32_t base;
  uint64_t sent, limit;
  char reply[1024];
  size_t rlen;
} sink;

static uint64_t sink_files, sink_bytes, sink_seq;

static void sink_start(sink *k) {
  memset(k, 0, sizeof *k);
  k->base = conn_base(sink_seq++);
  k->limit = (uint64_t)o.file_mib * 1024 * 1024;
  k->fd = tcp_socket(false);
  start_connect(k->fd);
  ep_ctl(EPOLL_CTL_ADD, k->fd, EPOLLOUT, k);
}

static void sink_shutdown(sink *k) {
  if (k->shut) return;
  k->shut = true;
  shutdown(k->fd, SHUT_WR);
  ep_ctl(EPOLL_CTL_MOD, k->fd, EPOLLIN, k);
}

static void sink_send(sink *k) {
  while (!stopping && k->sent < k->limit) {
    uint64_t left = k->limit - k->sent;
    size_t len = left > SINK_SEND ? SINK_SEND : (size_t)left;
    ssize_t w = send(k->fd, sinkbuf + (k->base + k->sent) % PATLEN, len, MSG_NOSIGNAL);
    if (w > 0) {
      k->sent += (uint64_t)w;
      if (measuring) sink_bytes += (uint64_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      return;
    } else {
      fail("write", "sink: %s", w < 0 ? strerror(errno) : "sent nothing");
    }
  }
  sink_shutdown(k);
}

/* The file the server reports holds what was sent: its size, and 64 KiB
 * at its start, middle and end (the unit tests check every byte). */
static void sink_check_file(sink *k, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("sink_file", "%s: %s", path, strerror(errno));
  uint64_t at[3] = {0, k->sent / 2, k->sent > RBUF ? k->sent - RBUF : 0};
  for (int i = 0; i < 3 && k->sent; i++) {
    size_t len = k->sent - at[i] < RBUF ? (size_t)(k->sent - at[i]) : RBUF;
    ssize_t n = pread(fd, rbuf, len, (off_t)at[i]);
    if (n != (ssize_t)len) fail("sink_file", "%s: short read at %llu", path, (unsigned long long)at[i]);
    check_bytes(rbuf, len, k->base, at[i], -1);
  }
  close(fd);
  if (unlink(path) != 0) fail("sink_file", "unlink %s: %s", path, strerror(errno));
}

/* Reads the server's line; at EOF checks it. Returns true when done. */
static bool sink_readable(sink *k) {
  for (;;) {
    ssize_t n = read(k->fd, k->reply + k->rlen, sizeof k->reply - 1 - k->rlen);
    if (n > 0) {
      k->rlen += (size_t)n;
      if (k->rlen == sizeof k->reply - 1) fail("sink_reply", "too long");
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return false;
    if (n < 0) fail("read", "sink: %s", strerror(errno));
    break;
  }
  k->reply[k->rlen] = 0;
  unsigned long long bytes;
  long long size;
  char path[700];
  if (sscanf(k->reply, "done bytes=%llu size=%lld path=%699s", &bytes, &size, path) != 3)
    fail("sink_reply", "got \"%s\"", k->reply);
  if (bytes != k->sent || size != (long long)k->sent)
    fail("sink_size", "sent %llu, server wrote %llu, file has %lld", (unsigned long long)k->sent,
         bytes, size);
  sink_check_file(k, path);
  close(k->fd);
  if (measuring) sink_files++;
  return true;
}

static int mode_sink(void) {
  struct epoll_event evs[MAXEV];
  sinkbuf = malloc(SINK_SEND + PATLEN);
  sink *ks = calloc((size_t)o.conns, sizeof *ks);
  if (!sinkbuf || !ks) fail("nomem", "sink");
  for (size_t i = 0; i < SINK_SEND + PATLEN; i++) sinkbuf[i] = pat[i % PATLEN];
  now = now_ns();
  window w = window_start();
  uint64_t give_up = 0;
  int open_n = o.conns;
  for (int i = 0; i < o.conns; i++) sink_start(&ks[i]);
  while (open_n > 0) {
    if (window_step(&w) & WINDOW_CLOSED) {
      /* Stop sending; every file still has to be written and checked. */
      give_up = now + 30 * 1000000000ull;
      for (int i = 0; i < o.conns; i++)
        if (ks[i].fd >= 0 && ks[i].connected) sink_shutdown(&ks[i]);
    }
    if (stopping && now > give_up) fail("drain_timeout", "%d files not confirmed", open_n);
    int n = epoll_wait(epfd, evs, MAXEV, 50);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns();
    for (int i = 0; i < n; i++) {
      sink *k = evs[i].data.ptr;
      if (!k->connected) {
        int err = so_error(k->fd);
        if (err) fail("connect", "sink: %s", strerror(err));
        k->connected = true;
      }
      if (!k->shut && (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) sink_send(k);
      if (k->shut && (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && sink_readable(k)) {
        if (stopping) {
          k->fd = -1;
          open_n--;
        } else {
          sink_start(k);
        }
      }
    }
  }
  double secs = window_secs(&w);
  put("secs=%.3f bytes=%llu files=%llu file_mib=%d mib_per_s=%.2f", secs,
      (unsigned long long)sink_bytes, (unsigned long long)sink_files, o.file_mib,
      (double)sink_bytes / secs / (1024.0 * 1024.0));
  put("errors=0");
  print_line();
  return 0;
}

/* ---- fanout: a chat room, one line to every other client --------------- */

/* Scenario S7 against cnet-chat and its Node twin (bench/peers/node_chat.js).
 * Every client logs in as u<index> and waits until the room holds all of
 * them: its own greeting or a join announcement saying "<conns> users
 * online" is the last line it is sent before the messages, so no client
 * needs a pause to know the join chatter is over. Then the first K clients
 * (--senders) each keep D lines (-d) of S bytes (-s) in flight; a line is
 * done when every other client has received it as "u<sender>: <text>".
 * Every delivered line is checked (sender, sequence number, text), and
 * timed from the moment its sender issued it. */
#define LINEMAX 512

typedef enum { F_CONNECTING, F_WELCOME, F_NAMING, F_JOINED, F_READY } fstate;

typedef struct fsender {
  uint64_t issued, completed;
  uint64_t *t_sent;    /* issue time of line m at [m % depth] */
  uint32_t *remaining; /* clients yet to receive line m, at [m % depth] */
  char *text;          /* line m's text at [m % depth * LINEMAX] */
  uint16_t *text_len;  /* and its length */
  char *out;           /* issued bytes not yet written */
  size_t out_len, out_cap;
} fsender;

typedef struct fclient {
  int fd;
  int idx;
  fstate state;
  bool want_out;
  fsender *snd;  /* the first --senders clients send too */
  uint64_t *next; /* the sequence number due next from each sender */
  size_t llen;    /* a line begun in one read and not ended yet */
  char lbuf[LINEMAX];
} fclient;

static fclient *fcs;
static int senders = 1;
static int f_pending, f_ready; /* connections not yet greeted; clients ready */
static uint64_t deliveries, lines_done;

static void f_send_raw(fclient *c, const char *p, size_t len) {
  fsender *s = c->snd;
  if (s->out_len + len > s->out_cap) {
    s->out_cap = (s->out_len + len) * 2;
    s->out = realloc(s->out, s->out_cap);
    if (!s->out) fail("nomem", "output of client %d", c->idx);
  }
  memcpy(s->out + s->out_len, p, len);
  s->out_len += len;
}

static void f_flush(fclient *c) {
  fsender *s = c->snd;
  size_t off = 0;
  while (off < s->out_len) {
    ssize_t w = send(c->fd, s->out + off, s->out_len - off, MSG_NOSIGNAL);
    if (w > 0) {
      off += (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      if (!c->want_out) ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN | EPOLLOUT, c);
      c->want_out = true;
      break;
    } else {
      fail("write", "client %d: %s", c->idx, strerror(errno));
    }
  }
  memmove(s->out, s->out + off, s->out_len - off);
  s->out_len -= off;
  if (s->out_len == 0 && c->want_out) {
    ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
    c->want_out = false;
  }
}

/* The text of line seq: its number, a dot, then letters up to S bytes.
 * Digits first keep it from reading as a command (b:, c:, n:, l, help). */
static size_t f_text(char *buf, uint64_t seq) {
  size_t n = (size_t)snprintf(buf, LINEMAX, "%llu.", (unsigned long long)seq);
  for (size_t j = n; j < o.size; j++) buf[n++] = (char)('a' + (seq + j) % 26);
  return n;
}

/* Issues lines from sender c until D are in flight, then writes them. */
static void f_issue(fclient *c) {
  fsender *s = c->snd;
  char buf[LINEMAX + 2];
  while (!stopping && s->issued - s->completed < (uint64_t)o.depth) {
    size_t ring = (size_t)(s->issued % (uint64_t)o.depth);
    s->t_sent[ring] = now;
    s->remaining[ring] = (uint32_t)(o.conns - 1);
    size_t n = f_text(buf, s->issued);
    /* Kept for the check of each of its 999 deliveries: formatting it
     * again for each would cost more than the rest of the check. */
    memcpy(s->text + ring * LINEMAX, buf, n);
    s->text_len[ring] = (uint16_t)n;
    buf[n++] = '\r', buf[n++] = '\n';
    f_send_raw(c, buf, n);
    s->issued++;
  }
  f_flush(c);
}

/* "<digits>" at *p: the number, *p moved past it; -1 when there is none. */
static long long f_number(const char **p) {
  if (**p < '0' || **p > '9') return -1;
  long long v = 0;
  while (**p >= '0' && **p <= '9') v = v * 10 + (*(*p)++ - '0');
  return v;
}

/* The number of users a greeting or join announcement says are online. */
static long long f_online(const char *ln) {
  const char *p = strstr(ln, " users online");
  if (!p) return -1;
  while (p > ln && p[-1] >= '0' && p[-1] <= '9') p--;
  return f_number(&p);
}

static void f_ready_check(fclient *c, const char *ln) {
  if (f_online(ln) != o.conns) return;
  c->state = F_READY;
  f_ready++;
}

/* One chat line "u<sender>: <seq>.<letters>" delivered to client c. */
static void f_delivered(fclient *c, const char *ln, size_t len) {
  const char *p = ln + 1;
  long long from = ln[0] == 'u' ? f_number(&p) : -1;
  if (from < 0 || from >= senders || from == c->idx || p[0] != ':' || p[1] != ' ')
    fail("unexpected_line", "client %d got \"%s\"", c->idx, ln);
  p += 2;
  fsender *s = fcs[from].snd;
  uint64_t seq = c->next[from];
  if (seq >= s->issued) fail("extra_line", "client %d: u%lld line %llu", c->idx, from,
                             (unsigned long long)seq);
  size_t ring = (size_t)(seq % (uint64_t)o.depth);
  size_t wlen = s->text_len[ring];
  if ((size_t)(ln + len - p) != wlen || memcmp(p, s->text + ring * LINEMAX, wlen) != 0)
    fail("mismatch", "client %d: line %llu of u%lld came as \"%s\"", c->idx,
         (unsigned long long)seq, from, ln);
  c->next[from]++;
  if (measuring) {
    deliveries++;
    hist_add(now - s->t_sent[ring]);
  }
  if (--s->remaining[ring] > 0) return;
  /* Delivered to everyone: it is the oldest line in flight, since each
   * client receives a sender's lines in order. */
  if (seq != s->completed) fail("order", "u%lld line %llu done before %llu", from,
                                (unsigned long long)seq,
                                (unsigned long long)s->completed);
  s->completed++;
  if (measuring) lines_done++;
  f_issue(&fcs[from]);
}

static void f_line(fclient *c, char *ln, size_t len) {
  if (len > 0 && ln[len - 1] == '\r') ln[--len] = 0;
  char nick[32];
  switch (c->state) {
  case F_WELCOME: /* the welcome, ending in the prompt: log in */
    if (len < 27 || strcmp(ln + len - 27, "Please enter your nickname:") != 0)
      fail("unexpected_line", "client %d, before its nickname: \"%s\"", c->idx, ln);
    f_pending--;
    c->state = F_NAMING;
    {
      char buf[32];
      int n = snprintf(buf, sizeof buf, "u%d\r\n", c->idx);
      ssize_t w = send(c->fd, buf, (size_t)n, MSG_NOSIGNAL);
      if (w != n) fail("write", "client %d: %s", c->idx, w < 0 ? strerror(errno) : "short");
    }
    return;
  case F_NAMING: /* "Hello u<idx>! N users online. ..." */
    snprintf(nick, sizeof nick, "Hello u%d! ", c->idx);
    if (strncmp(ln, nick, strlen(nick)) != 0)
      fail("login", "client %d got \"%s\"", c->idx, ln);
    c->state = F_JOINED;
    f_ready_check(c, ln);
    return;
  case F_JOINED: /* "* u<k> joined (N users online)", until N is everyone */
    if (strncmp(ln, "* u", 3) != 0 || !strstr(ln, " joined ("))
      fail("unexpected_line", "client %d, while the room fills: \"%s\"", c->idx, ln);
    f_ready_check(c, ln);
    return;
  case F_READY:
    f_delivered(c, ln, len);
    return;
  case F_CONNECTING:
    break;
  }
  fail("unexpected_line", "client %d: \"%s\"", c->idx, ln);
}

/* Reads what the server sent c and handles each whole ln. */
static void f_readable(fclient *c) {
  for (;;) {
    ssize_t n = read(c->fd, rbuf, RBUF);
    if (n == 0) fail("server_closed", "client %d", c->idx);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      fail("read", "client %d: %s", c->idx, strerror(errno));
    }
    char *p = (char *)rbuf, *end = p + n;
    while (p < end) {
      char *nl = memchr(p, '\n', (size_t)(end - p));
      size_t part = (size_t)((nl ? nl : end) - p);
      if (c->llen + part >= LINEMAX) fail("long_line", "client %d", c->idx);
      if (!nl) { /* the rest of the line comes with a later read */
        memcpy(c->lbuf + c->llen, p, part);
        c->llen += part;
        break;
      }
      if (c->llen) {
        memcpy(c->lbuf + c->llen, p, part);
        c->lbuf[c->llen + part] = 0;
        f_line(c, c->lbuf, c->llen + part);
        c->llen = 0;
      } else {
        *nl = 0;
        f_line(c, p, part);
      }
      p = nl + 1;
    }
    if ((size_t)n < RBUF) return; /* level-triggered: we hear of the rest */
  }
}

static void f_event(fclient *c, uint32_t events) {
  if (c->state == F_CONNECTING) {
    int err = so_error(c->fd);
    if (err) fail("connect", "client %d: %s", c->idx, strerror(err));
    ep_ctl(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
    c->state = F_WELCOME;
    return;
  }
  if (events & EPOLLOUT) f_flush(c);
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) f_readable(c);
}

static int mode_fanout(void) {
  struct epoll_event evs[MAXEV];
  if (o.conns < 2 || senders < 1 || senders > o.conns || o.size + 24 > LINEMAX)
    fail("usage", "fanout needs 2 or more clients, 1 to -c senders, -s below %d",
         LINEMAX - 24);
  fcs = calloc((size_t)o.conns, sizeof *fcs);
  uint64_t *next = calloc((size_t)o.conns * (size_t)senders, sizeof *next);
  fsender *snd = calloc((size_t)senders, sizeof *snd);
  if (!fcs || !next || !snd) fail("nomem", "%d clients", o.conns);
  for (int i = 0; i < o.conns; i++) {
    fcs[i].idx = i;
    fcs[i].fd = -1;
    fcs[i].next = next + (size_t)i * (size_t)senders;
  }
  for (int i = 0; i < senders; i++) {
    snd[i].t_sent = calloc((size_t)o.depth, sizeof *snd[i].t_sent);
    snd[i].remaining = calloc((size_t)o.depth, sizeof *snd[i].remaining);
    snd[i].text = malloc((size_t)o.depth * LINEMAX);
    snd[i].text_len = calloc((size_t)o.depth, sizeof *snd[i].text_len);
    if (!snd[i].t_sent || !snd[i].remaining || !snd[i].text || !snd[i].text_len)
      fail("nomem", "sender %d", i);
    fcs[i].snd = &snd[i];
  }

  /* Log everyone in, CONNECT_WINDOW connections at a time until greeted
   * (a greeting proves the server accepted the connection). */
  now = now_ns();
  uint64_t t_setup = now, give_up = now + 60 * 1000000000ull;
  int opened = 0;
  while (f_ready < o.conns) {
    while (opened < o.conns && f_pending < CONNECT_WINDOW) {
      fclient *c = &fcs[opened++];
      c->fd = tcp_socket(false);
      start_connect_to(c->fd, &addrs[c->idx % nports]);
      ep_ctl(EPOLL_CTL_ADD, c->fd, EPOLLOUT, c);
      f_pending++;
    }
    int n = epoll_wait(epfd, evs, MAXEV, 50);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns();
    for (int i = 0; i < n; i++) f_event(evs[i].data.ptr, evs[i].events);
    if (now > give_up)
      fail("login_timeout", "%d of %d clients ready", f_ready, o.conns);
  }
  double setup_s = (double)(now - t_setup) / 1e9;

  window w = window_start();
  for (int i = 0; i < senders; i++) f_issue(&fcs[i]);
  for (;;) {
    if (window_step(&w) & WINDOW_CLOSED) give_up = now + 10 * 1000000000ull;
    if (stopping) {
      int i = 0;
      while (i < senders && snd[i].completed == snd[i].issued) i++;
      if (i == senders) break;
      if (now > give_up)
        fail("drain_timeout", "u%d: %llu of %llu lines delivered to all", i,
             (unsigned long long)snd[i].completed, (unsigned long long)snd[i].issued);
    }
    int n = epoll_wait(epfd, evs, MAXEV, 50);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns();
    for (int i = 0; i < n; i++) f_event(evs[i].data.ptr, evs[i].events);
  }
  double secs = window_secs(&w);
  put("senders=%d setup_s=%.2f secs=%.3f deliveries=%llu msgs_per_s=%.0f "
      "lines_per_s=%.0f p50_us=%.1f p99_us=%.1f",
      senders, setup_s, secs, (unsigned long long)deliveries,
      (double)deliveries / secs, (double)lines_done / secs, hist_pct_us(0.50),
      hist_pct_us(0.99));
  if (server_writes >= 0 && deliveries > 0)
    put("writes_per_delivery=%.4f", (double)server_writes / (double)deliveries);
  for (int i = 0; i < o.conns; i++) close(fcs[i].fd);
  put("errors=0");
  print_line();
  return 0;
}

/* ---- udp: datagram echo (S6) ------------------------------------------- */

/* Every datagram starts with who sent it and which one it is, so that a
 * reply can be matched with its request: the socket, the slot (one of the D
 * in flight on that socket) and a sequence number that is never reused. The
 * rest of it is a slice of the pattern that depends on all three, so a
 * reply must come back byte for byte. UDP may drop: a datagram that has not
 * come back within --udp-timeout ms is counted lost and replaced by a new
 * one (new sequence number), and a reply that comes after that is counted
 * late and ignored, so that a drop costs a count, never a hung run. */
typedef struct udp_hdr {
  uint32_t sock;
  uint32_t slot;
  uint64_t seq;
} udp_hdr;

typedef struct udp_slot {
  uint64_t seq;  /* the datagram in flight in this slot */
  uint64_t t;    /* when it was sent */
  bool busy;
} udp_slot;

typedef struct udp_sock {
  int fd;
  int idx;
  udp_slot *slots;
  int *ready;    /* slots waiting to be sent, ready[0..nready) */
  int nready;
} udp_sock;

#define UDP_BATCH 64  /* datagrams per recvmmsg / sendmmsg */
#define UDP_MIN 16    /* a datagram holds at least the header */
#define UDP_MAX 2048

static udp_sock *usocks;
static uint64_t udp_seq, udp_lost, udp_late, udp_inflight;
static unsigned char ubuf[UDP_BATCH][UDP_MAX];

/* The datagram of (socket, slot, seq) into out. */
static void udp_fill(unsigned char *out, const udp_sock *u, int sl, uint64_t seq) {
  udp_hdr h = {(uint32_t)u->idx, (uint32_t)sl, seq};
  memcpy(out, &h, sizeof h);
  memcpy(out + sizeof h, pat + (seq * 31u + (uint64_t)u->idx) % PATLEN,
         o.size - sizeof h);
}

/* Sends every ready slot of u with a new sequence number, sendmmsg in
 * batches. A full kernel buffer (EAGAIN) leaves the rest ready for the
 * next wake-up. */
static void udp_flush(udp_sock *u) {
  static struct mmsghdr mm[UDP_BATCH];
  static struct iovec iov[UDP_BATCH];
  static unsigned char out[UDP_BATCH][UDP_MAX];
  while (u->nready > 0) {
    int n = u->nready < UDP_BATCH ? u->nready : UDP_BATCH;
    for (int i = 0; i < n; i++) {
      int sl = u->ready[u->nready - 1 - i];
      udp_slot *s = &u->slots[sl];
      s->seq = ++udp_seq;
      s->t = now;
      udp_fill(out[i], u, sl, s->seq);
      iov[i] = (struct iovec){out[i], o.size};
      mm[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
    }
    int w = sendmmsg(u->fd, mm, (unsigned)n, MSG_DONTWAIT);
    if (w < 0 && (errno == EAGAIN || errno == ENOBUFS)) return;
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail("sendmmsg", "socket %d: %s", u->idx, strerror(errno));
    for (int i = 0; i < w; i++) u->slots[u->ready[u->nready - 1 - i]].busy = true;
    u->nready -= w;
    udp_inflight += (uint64_t)w;
    if (w < n) return;
  }
}

/* A slot is free again: send a new datagram from it unless stopping. */
static void udp_free_slot(udp_sock *u, int sl) {
  u->slots[sl].busy = false;
  udp_inflight--;
  if (!stopping) u->ready[u->nready++] = sl;
}

/* Checks one reply and completes its slot. */
static void udp_reply(udp_sock *u, const unsigned char *got, size_t n) {
  static unsigned char want[UDP_MAX];
  udp_hdr h;
  if (n != o.size)
    fail("udp_size", "socket %d: a reply of %zu bytes to %zu", u->idx, n, o.size);
  memcpy(&h, got, sizeof h);
  if (h.sock != (uint32_t)u->idx || h.slot >= (uint32_t)o.depth || h.seq > udp_seq)
    fail("mismatch", "socket %d: a reply that was never sent (socket %u slot %u)",
         u->idx, h.sock, h.slot);
  udp_slot *s = &u->slots[h.slot];
  udp_fill(want, u, (int)h.slot, h.seq);
  if (memcmp(got, want, n) != 0) {
    size_t i = 0;
    while (got[i] == want[i]) i++;
    fail("mismatch", "socket %d, datagram %llu, byte %zu: got 0x%02x, sent 0x%02x",
         u->idx, (unsigned long long)h.seq, i, got[i], want[i]);
  }
  if (!s->busy || s->seq != h.seq) { /* it was counted lost, or a duplicate */
    udp_late++;
    return;
  }
  if (measuring) {
    hist_add(now - s->t);
    msgs++;
  }
  udp_free_slot(u, (int)h.slot);
}

static void udp_readable(udp_sock *u) {
  struct mmsghdr mm[UDP_BATCH];
  struct iovec iov[UDP_BATCH];
  for (;;) {
    for (int i = 0; i < UDP_BATCH; i++) {
      iov[i] = (struct iovec){ubuf[i], sizeof ubuf[i]};
      mm[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
    }
    int n = recvmmsg(u->fd, mm, UDP_BATCH, MSG_DONTWAIT, NULL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    /* ECONNREFUSED: an ICMP port unreachable, the server is gone. */
    if (n < 0) fail("recvmmsg", "socket %d: %s", u->idx, strerror(errno));
    for (int i = 0; i < n; i++) {
      if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
        fail("udp_size", "socket %d: a reply longer than sent", u->idx);
      udp_reply(u, ubuf[i], mm[i].msg_len);
    }
    if (n < UDP_BATCH) break;
  }
  udp_flush(u);
}

/* Datagrams not back within the timeout are lost: their slots send anew. */
static void udp_expire(uint64_t timeout) {
  for (int i = 0; i < o.conns; i++) {
    udp_sock *u = &usocks[i];
    for (int sl = 0; sl < o.depth; sl++)
      if (u->slots[sl].busy && now - u->slots[sl].t > timeout) {
        udp_lost++;
        udp_free_slot(u, sl);
      }
    udp_flush(u);
  }
}

static int udp_socket(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket", "%s", strerror(errno));
  /* Connected: the kernel keeps other senders' datagrams out, and an ICMP
   * error (no server on the port) comes back as ECONNREFUSED. */
  if (connect(fd, (struct sockaddr *)&addrs[0], sizeof addrs[0]) != 0)
    fail("connect", "%s", strerror(errno));
  return fd;
}

/* The server prints its port once bound, but may not read yet: one
 * datagram echoed proves it does. */
static void udp_wait_for_server(void) {
  int fd = udp_socket(), ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN}, out;
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
    fail("epoll", "%s", strerror(errno));
  uint64_t give_up = now_ns() + (uint64_t)o.wait_ms * 1000000u;
  unsigned char probe[UDP_MIN] = "loadgen probe";
  int probes = 0, last_err = 0;
  for (;;) {
    if (send(fd, probe, sizeof probe, 0) < 0) last_err = errno;
    probes++;
    int n = epoll_wait(ep, &out, 1, 100);
    if (n == 1) {
      ssize_t r = recv(fd, rbuf, RBUF, MSG_DONTWAIT);
      if (r == (ssize_t)sizeof probe && memcmp(rbuf, probe, sizeof probe) == 0) break;
      if (r < 0 && errno != ECONNREFUSED && errno != EAGAIN)
        fail("recv", "probe: %s", strerror(errno));
      if (r < 0) last_err = errno;
    }
    if (now_ns() > give_up)
      fail("server_not_up", "no echo of %d probe datagrams (last error: %s)",
           probes, last_err ? strerror(last_err) : "none");
  }
  close(ep);
  close(fd);
}

static int mode_udp(void) {
  struct epoll_event evs[MAXEV];
  if (o.size < UDP_MIN || o.size > UDP_MAX)
    fail("usage", "udp datagrams are %d to %d bytes", UDP_MIN, UDP_MAX);
  usocks = calloc((size_t)o.conns, sizeof *usocks);
  udp_slot *slots = calloc((size_t)o.conns * (size_t)o.depth, sizeof *slots);
  int *ready = calloc((size_t)o.conns * (size_t)o.depth, sizeof *ready);
  if (!usocks || !slots || !ready) fail("nomem", "%d sockets", o.conns);
  udp_wait_for_server();
  for (int i = 0; i < o.conns; i++) {
    udp_sock *u = &usocks[i];
    u->idx = i;
    u->fd = udp_socket();
    u->slots = slots + (size_t)i * (size_t)o.depth;
    u->ready = ready + (size_t)i * (size_t)o.depth;
    ep_ctl(EPOLL_CTL_ADD, u->fd, EPOLLIN, u);
  }

  now = now_ns();
  uint64_t timeout = (uint64_t)o.udp_timeout_ms * 1000000u;
  window w = window_start();
  uint64_t next_expire = now + timeout / 4;
  for (int i = 0; i < o.conns; i++) {
    for (int sl = 0; sl < o.depth; sl++) usocks[i].ready[usocks[i].nready++] = sl;
    udp_flush(&usocks[i]);
  }
  /* Until t_end, then no new datagrams: the run ends when every datagram
   * in flight has come back or been counted lost. */
  for (;;) {
    int step = window_step(&w);
    if (step & WINDOW_OPENED) udp_lost = udp_late = 0; /* the warm-up's do not count */
    if (step & WINDOW_CLOSED)
      for (int i = 0; i < o.conns; i++) usocks[i].nready = 0;
    if (stopping && udp_inflight == 0) break;
    int n = epoll_wait(epfd, evs, MAXEV, (int)(timeout / 4000000u) + 1);
    if (n < 0 && errno != EINTR) fail("epoll_wait", "%s", strerror(errno));
    now = now_ns();
    for (int i = 0; i < n; i++) udp_readable(evs[i].data.ptr);
    if (now >= next_expire) {
      udp_expire(timeout);
      next_expire = now + timeout / 4;
    }
  }
  double secs = window_secs(&w);
  put("secs=%.3f msgs=%llu msgs_per_s=%.0f mib_per_s=%.2f p50_us=%.1f p99_us=%.1f "
      "lost=%llu late=%llu",
      secs, (unsigned long long)msgs, (double)msgs / secs,
      (double)msgs * (double)o.size / secs / (1024.0 * 1024.0),
      hist_pct_us(0.50), hist_pct_us(0.99), (unsigned long long)udp_lost,
      (unsigned long long)udp_late);
  for (int i = 0; i < o.conns; i++) close(usocks[i].fd);
  put("errors=0");
  print_line();
  return 0;
}

/* ---- main -------------------------------------------------------------- */

static const struct {
  const char *name;
  int (*run)(void);
  int depth; /* forced depth, or 0 */
} modes[] = {
    {"pingpong", mode_stream, 1},
    {"pipeline", mode_stream, 0},
    {"bulk", mode_stream, 0},
    {"idle", mode_idle, 1},
    {"churn", mode_churn, 1},
    {"fanout", mode_fanout, 0},
    {"sink", mode_sink, 1},
    {"udp", mode_udp, 0},
};

static void usage(void) {
  fprintf(stderr,
          "usage: loadgen --port P [--host 127.0.0.1] [--mode M] [-c conns]\n"
          "               [-s size] [-d depth] [-t secs] [--warmup secs]\n"
          "               [--server-pid PID] [--server-syscalls FILE]\n"
          "               [--redis-pid PID] [--settle ms] [--wait ms]\n"
          "               [--file-mib MiB] [--senders K] [--udp-timeout ms] [--tls]\n"
          "               [--tls-client openssl|tls13]\n"
          "modes: pingpong pipeline bulk idle churn sink fanout udp\n"
          "--tls: pingpong, pipeline, bulk and churn over TLS 1.3\n"
          "--tls-client tls13: churn's clients bench/tls13.c's (default openssl)\n");
  exit(1);
}

int main(int argc, char **argv) {
  static const struct option lo[] = {
      {"mode", 1, 0, 'm'},   {"host", 1, 0, 'H'},   {"port", 1, 0, 'p'},
      {"conns", 1, 0, 'c'},  {"size", 1, 0, 's'},   {"depth", 1, 0, 'd'},
      {"time", 1, 0, 't'},   {"warmup", 1, 0, 'w'}, {"server-pid", 1, 0, 'P'},
      {"settle", 1, 0, 'S'}, {"wait", 1, 0, 'W'},   {"file-mib", 1, 0, 'F'},
      {"senders", 1, 0, 'K'}, {"udp-timeout", 1, 0, 'U'},
      {"server-syscalls", 1, 0, 'X'}, {"redis-pid", 1, 0, 'R'},
      {"tls", 0, 0, 'T'}, {"tls-client", 1, 0, 'L'}, {0, 0, 0, 0}};
  int ch;
  while ((ch = getopt_long(argc, argv, "m:H:p:c:s:d:t:w:P:S:W:K:U:X:R:", lo, NULL)) != -1) {
    switch (ch) {
    case 'm': o.mode = optarg; break;
    case 'H': o.host = optarg; break;
    case 'p':
      if (nports == MAXSRV) usage();
      ports[nports++] = atoi(optarg);
      break;
    case 'c': o.conns = atoi(optarg); break;
    case 's': o.size = (size_t)strtoul(optarg, NULL, 10); break;
    case 'd': o.depth = atoi(optarg); break;
    case 't': o.secs = atof(optarg); break;
    case 'w': o.warmup = atof(optarg); break;
    case 'K': senders = atoi(optarg); break;
    case 'P':
      if (npids == MAXSRV) usage();
      srv_pids[npids++] = atoi(optarg);
      if (!o.server_pid) o.server_pid = srv_pids[0];
      break;
    case 'S': o.settle_ms = atoi(optarg); break;
    case 'W': o.wait_ms = atoi(optarg); break;
    case 'F': o.file_mib = atoi(optarg); break;
    case 'U': o.udp_timeout_ms = atoi(optarg); break;
    case 'X':
      if (nsyscalls == MAXSRV) usage();
      srv_syscalls[nsyscalls++] = optarg;
      break;
    case 'R': o.redis_pid = atoi(optarg); break;
    case 'T': o.tls = true; break;
    case 'L':
      if (strcmp(optarg, "tls13") == 0) o.tls13 = true;
      else if (strcmp(optarg, "openssl") != 0) usage();
      break;
    default: usage();
    }
  }
  int (*run)(void) = NULL;
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    if (strcmp(o.mode, modes[i].name) != 0) continue;
    run = modes[i].run;
    if (modes[i].depth) o.depth = modes[i].depth;
  }
  bool ports_ok = nports > 0;
  if (o.tls && run != mode_stream && run != mode_churn) usage();
  if (o.tls13 && (!o.tls || run != mode_churn)) usage();
  for (int i = 0; i < nports; i++) ports_ok &= ports[i] > 0 && ports[i] <= 65535;
  if (!run || !ports_ok || o.conns < 1 || o.size < 1 ||
      o.depth < 1 || o.secs <= 0 || o.udp_timeout_ms < 1)
    usage();
  for (int i = 0; i < nports; i++) {
    addrs[i].sin_family = AF_INET;
    addrs[i].sin_port = htons((uint16_t)ports[i]);
    if (inet_pton(AF_INET, o.host, &addrs[i].sin_addr) != 1) usage();
  }
  signal(SIGPIPE, SIG_IGN);

  uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift64: any fixed bytes do */
  for (unsigned i = 0; i < PATLEN; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    pat[i] = pat[i + PATLEN] = (unsigned char)(x >> 56);
  }
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) fail("epoll_create", "%s", strerror(errno));
  if (o.tls && o.tls13) {
    const char *why;
    if (tls13_init(&why) != 0) fail("tls_init", "%s", why);
  } else if (o.tls) {
    tls_init(run == mode_stream);
  }
  put("mode=%s conns=%d size=%zu depth=%d", o.mode, o.conns, o.size, o.depth);
  if (run != mode_udp) wait_for_server(); /* UDP: a probe, in mode_udp */
  return run();
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_write: a TLS write's records leave when the write completes, with
 * those of the writes queued behind it, and before its callback runs (a
 * write's bytes are with the peer's kernel then, as in Node); what a
 * listener wrote before it destroyed the socket (at once, while the
 * records wait, or from the write's callback, once they are sent) still
 * leaves, as in Node:
 *
 *   s.on('data', (d) => { s.write(d.toUpperCase()); s.destroy(); })
 *
 * gives the client "HELLO", 'end', 'close'. And an echo of many records,
 * every byte checked. A TLS 1.3 server's tickets leave in one send with
 * the first write made while they wait, and a client's Finished with its
 * first write: the client counts the segments with data it got (the
 * kernel's tcp_info). Certificates are made by make-certs.sh in a
 * temporary directory. */
#include "harness.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../unit/pattern.h"

static char certs[256];
static char *texts[4];
static int n_texts;

static void remove_certs(void) {
  for (int i = 0; i < n_texts; i++) free(texts[i]);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", certs);
}

/* The text of one of make-certs.sh's files. */
static const char *pem(const char *name) {
  if (!certs[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(certs, sizeof certs, "%s/cnet-tls-XXXXXX", t && *t ? t : "/tmp");
    ASSERT_NOT_NULL(mkdtemp(certs));
    atexit(remove_certs);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "sh '%s/make-certs.sh' '%s'", CNET_TLS_TEST_DIR, certs);
    ASSERT_EQ(system(cmd), 0);
  }
  char path[400];
  snprintf(path, sizeof path, "%s/%s", certs, name);
  FILE *f = fopen(path, "r");
  ASSERT_NOT_NULL(f);
  char *buf = calloc(1, 1 << 16);
  ASSERT_NOT_NULL(buf);
  size_t len = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  buf[len] = '\0';
  ASSERT(n_texts < 4);
  texts[n_texts++] = buf;
  return buf;
}

static cnet_loop *loop;
static cnet_server *server;
static int port;
static enum { DESTROY_AT_ONCE, DESTROY_FROM_CALLBACK, ECHO, MERGE, TICKETS } mode;

/* TICKETS: the segments with data the client's socket has received (the
 * socket found among this process's descriptors by its two ports). */
static unsigned data_segments_in(cnet_socket *cli) {
  cnet_address local, remote;
  ASSERT_EQ(cnet_socket_local_address(cli, &local), 0);
  ASSERT_EQ(cnet_socket_remote_address(cli, &remote), 0);
  for (int fd = 3; fd < 1024; fd++) {
    struct sockaddr_in a, b;
    socklen_t la = sizeof a, lb = sizeof b;
    if (getsockname(fd, (struct sockaddr *)&a, &la) != 0 || a.sin_family != AF_INET ||
        getpeername(fd, (struct sockaddr *)&b, &lb) != 0 ||
        ntohs(a.sin_port) != local.port || ntohs(b.sin_port) != remote.port)
      continue;
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    ASSERT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
    ASSERT(len > offsetof(struct tcp_info, tcpi_data_segs_in));
    return ti.tcpi_data_segs_in;
  }
  fail_msg("the client's socket is not among the descriptors");
  return 0;
}

/* MERGE: bytes waiting in the kernel for the client (its socket's
 * receive queue, from /proc/net/tcp), the server's socket given. */
static long client_queue(cnet_socket *srv_side) {
  cnet_address a;
  ASSERT_EQ(cnet_socket_remote_address(srv_side, &a), 0);
  FILE *f = fopen("/proc/net/tcp", "r");
  ASSERT_NOT_NULL(f);
  char line[512], want[32];
  snprintf(want, sizeof want, "0100007F:%04X", (unsigned)a.port);
  long rx = -1;
  while (fgets(line, sizeof line, f)) {
    char local[32], remote[32];
    unsigned st;
    unsigned long tx, r;
    if (sscanf(line, " %*d: %31s %31s %x %lx:%lx", local, remote, &st, &tx, &r) == 5 &&
        strcmp(local, want) == 0)
      rx = (long)r;
  }
  fclose(f);
  ASSERT(rx >= 0);
  return rx;
}

static long merge_before;

/* A's callback: A's bytes are with the client's kernel, as in Node
 * (there B and C follow after the callback; in cnet, whose completion
 * of A hands B and C over first, they leave with A in one send). */
static void merge_written(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  long got = client_queue(object) - merge_before;
  /* A record of 100 bytes is 100 + 22 on the wire. */
  test_trace("srv:A-written:%s", got >= 122 ? "A-in-kernel" : "not-in-kernel");
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

static void destroy_after_write(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  test_trace("srv:written");
  cnet_socket_destroy(object, NULL);
}

static void srv_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (mode == ECHO) {
    cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
    return;
  }
  if (mode == TICKETS) {
    /* The tickets wait since 'secureConnection' (this drain's), and this
     * write takes them along. */
    cnet_socket_write_string(ev->target, "x", NULL, NULL, NULL);
    return;
  }
  if (mode == MERGE) {
    /* "hello" gets an "x" (the client has read the tickets by the time
     * it answers "go"); "go" gets A, B and C, B and C queued behind A. */
    if (ev->len == 5) {
      cnet_socket_write_string(ev->target, "x", NULL, NULL, NULL);
      return;
    }
    static char a[100], b[100], c[100];
    memset(a, 'a', sizeof a), memset(b, 'b', sizeof b), memset(c, 'c', sizeof c);
    merge_before = client_queue(ev->target);
    cnet_socket_write(ev->target, a, sizeof a, merge_written, NULL);
    cnet_socket_write(ev->target, b, sizeof b, NULL, NULL);
    cnet_socket_write(ev->target, c, sizeof c, NULL, NULL);
    return;
  }
  char buf[64];
  size_t n = ev->len < sizeof buf ? ev->len : sizeof buf;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)(ev->data[i] >= 'a' && ev->data[i] <= 'z' ? ev->data[i] - 32 : ev->data[i]);
  if (mode == DESTROY_FROM_CALLBACK) {
    cnet_socket_write(ev->target, buf, n, destroy_after_write, NULL);
  } else {
    cnet_socket_write(ev->target, buf, n, NULL, NULL);
    cnet_socket_destroy(ev->target, NULL);
  }
}

static void srv_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void srv_close(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  cnet_server_close(server, NULL, NULL);
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  cnet_on(so, CNET_EV_DATA, srv_data, NULL);
  cnet_on(so, CNET_EV_END, srv_end, NULL);
  cnet_on(so, CNET_EV_CLOSE, srv_close, NULL);
}

static struct {
  char got[64];
  size_t len;
  uint64_t bad; /* ECHO: pieces that differ from what was sent */
} rx;

static void cli_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (mode == ECHO) {
    static char want[1 << 16];
    for (size_t off = 0; off < ev->len; off += sizeof want) {
      size_t n = ev->len - off < sizeof want ? ev->len - off : sizeof want;
      pattern_fill(rx.len + off, want, n);
      rx.bad += memcmp(want, ev->data + off, n) != 0;
    }
  } else if (rx.len + ev->len <= sizeof rx.got) {
    memcpy(rx.got + rx.len, ev->data, ev->len);
  }
  rx.len += ev->len;
  if (mode == MERGE && ev->len == 1 && ev->data[0] == 'x')
    cnet_socket_write_string(ev->target, "go", NULL, NULL, NULL);
  if (mode == TICKETS) {
    test_trace("cli:data-segments:%u", data_segments_in(ev->target));
    cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  }
  if (mode == ECHO && rx.len == (8u << 20)) cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void cli_event(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->type == CNET_EV_ERROR)
    test_trace("cli:error:%s", cnet_err_name(ev->error->code));
  else
    test_trace("cli:%s", cnet_event_name((int)ev->type));
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  if (mode != ECHO) {
    cnet_socket_write_string(object, "hello", NULL, NULL, NULL);
    return;
  }
  /* 8 MiB in one write: the server reads it a kernel's read at a time
   * and writes back each record, several records per drain. */
  char *big = malloc(8u << 20);
  ASSERT_NOT_NULL(big);
  pattern_fill(0, big, 8u << 20);
  cnet_socket_write(object, big, 8u << 20, NULL, NULL);
  free(big);
}

static void run(int m) {
  loop = test_loop();
  test_trace_reset();
  rx.len = 0;
  rx.bad = 0;
  mode = m;
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options csec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options co = {.connect = &net, .secure = &csec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &co, on_secure_connect, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  static const int traced[] = {CNET_EV_END, CNET_EV_ERROR, CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof traced / sizeof traced[0]; i++)
    cnet_on(so, traced[i], cli_event, NULL);
  test_run(loop);
  cnet_server_free(server);
  server = NULL;
  test_loop_close(loop);
}

CNET_TEST(write_then_destroy_in_data) {
  run(DESTROY_AT_ONCE);
  ASSERT_EQ(rx.len, 5);
  ASSERT_MEM_EQ(rx.got, "HELLO", 5);
  ASSERT_TRACE("cli:end cli:close");
}

CNET_TEST(destroy_from_write_callback) {
  run(DESTROY_FROM_CALLBACK);
  ASSERT_EQ(rx.len, 5);
  ASSERT_MEM_EQ(rx.got, "HELLO", 5);
  ASSERT_TRACE("srv:written cli:end cli:close");
}

CNET_TEST(write_callback_after_its_bytes_sent) {
  run(MERGE);
  ASSERT_EQ(rx.len, 1 + 300);
  ASSERT_TRACE("srv:A-written:A-in-kernel cli:end cli:close");
}

/* The client's Finished and "hello" leave in one send, which the server
 * reads at once: its two tickets and its "x" leave in one send too. So
 * the client gets two segments with data, the server's flight, then the
 * tickets with "x" (three when either side's last bytes leave alone). */
CNET_TEST(tickets_leave_with_the_first_write) {
  run(TICKETS);
  ASSERT_EQ(rx.len, 1);
  ASSERT_TRACE("cli:data-segments:2 cli:end cli:close");
}

CNET_TEST(echo_of_many_records) {
  run(ECHO);
  ASSERT_EQ(rx.len, 8u << 20);
  ASSERT_EQ(rx.bad, 0);
  ASSERT_TRACE("cli:end cli:close");
}

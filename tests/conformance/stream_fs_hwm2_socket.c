/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of stream_fs_hwm2_socket.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "objlog.h"
#include "trace.h"

static cnet_server *server;
static bool first = true;

static const char *b(bool v) { return v ? "true" : "false"; }

typedef struct feed {
  const char *name;
  char sock_name[16];
  cnet_socket *s;
  cnet_fs_read_stream *rs;
  bool corked;
  void (*done)(void);
} feed;
static feed feeds[2];

static void r_open(const cnet_event *ev, void *arg) {
  (void)ev;
  feed *f = arg;
  olog(f->name, "R open %s", b(cnet_fs_read_stream_pending(f->rs)));
}
static void r_ready(const cnet_event *ev, void *arg) { (void)ev; olog(((feed *)arg)->name, "R ready"); }
static void r_data(const cnet_event *ev, void *arg) {
  feed *f = arg;
  bool flag = cnet_socket_write(f->s, ev->data, ev->len, NULL, NULL);
  olog(f->name, "R data \"%.*s\" flag %s bufferSize %zu bytesWritten %llu needDrain %s %llu",
       (int)ev->len, ev->data, b(flag), cnet_socket_buffer_size(f->s),
       (unsigned long long)cnet_socket_bytes_written(f->s),
       b(cnet_stream_writable_need_drain(f->s)),
       (unsigned long long)cnet_fs_read_stream_bytes_read(f->rs));
}
static void end_on_drain(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void r_end(const cnet_event *ev, void *arg) {
  (void)ev;
  feed *f = arg;
  olog(f->name, "R end %llu", (unsigned long long)cnet_fs_read_stream_bytes_read(f->rs));
  if (f->corked) {
    cnet_socket_uncork(f->s);
    olog(f->name, "uncorked %zu %llu %s", cnet_socket_buffer_size(f->s),
         (unsigned long long)cnet_socket_bytes_written(f->s),
         b(cnet_stream_writable_need_drain(f->s)));
    cnet_once(f->s, CNET_EV_DRAIN, end_on_drain, NULL);
  } else {
    cnet_socket_end(f->s, NULL, 0, NULL, NULL);
  }
}
static void r_close(const cnet_event *ev, void *arg) { (void)ev; olog(((feed *)arg)->name, "R close"); }
static void s_drain(const cnet_event *ev, void *arg) {
  (void)ev;
  feed *f = arg;
  olog(f->name, "drain %zu %llu", cnet_socket_buffer_size(f->s),
       (unsigned long long)cnet_socket_bytes_written(f->s));
}
static void s_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  feed *f = arg;
  olog(f->sock_name, "finish %llu", (unsigned long long)cnet_socket_bytes_written(f->s));
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev;
  feed *f = arg;
  olog(f->sock_name, "close");
  f->done();
}

static void start_feed(feed *f, const char *name, cnet_socket *s, bool corked,
                       void (*done)(void)) {
  f->name = name;
  snprintf(f->sock_name, sizeof f->sock_name, "%s-sock", name);
  f->s = s;
  f->corked = corked;
  f->done = done;
  cnet_fs_stream_options o = {.high_water_mark = 2, .has_high_water_mark = true};
  cnet_fs_create_read_stream(cnet_default_loop(), "a.txt", &o, &f->rs);
  cnet_on(f->rs, CNET_EV_OPEN, r_open, f);
  cnet_on(f->rs, CNET_EV_READY, r_ready, f);
  cnet_on(f->rs, CNET_EV_DATA, r_data, f);
  cnet_on(f->rs, CNET_EV_END, r_end, f);
  cnet_on(f->rs, CNET_EV_CLOSE, r_close, f);
  cnet_on(s, CNET_EV_DRAIN, s_drain, f);
  cnet_on(s, CNET_EV_FINISH, s_finish, f);
  cnet_on(s, CNET_EV_CLOSE, s_close, f);
}

/* A peer that collects what it gets and logs it on 'end'. */
typedef struct peer {
  char name[16];
  char got[64];
  size_t len;
} peer;
static peer peers[3];
static int npeers;
static void p_data(const cnet_event *ev, void *arg) {
  peer *p = arg;
  if (p->len + ev->len <= sizeof p->got) {
    memcpy(p->got + p->len, ev->data, ev->len);
    p->len += ev->len;
  }
}
static void p_end(const cnet_event *ev, void *arg) {
  peer *p = arg;
  olog(p->name, "end \"%.*s\"", (int)p->len, p->got);
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void collect(cnet_socket *s, const char *name) {
  peer *p = &peers[npeers++];
  snprintf(p->name, sizeof p->name, "%s", name);
  cnet_on(s, CNET_EV_DATA, p_data, p);
  cnet_on(s, CNET_EV_END, p_end, p);
}

static void part2(void);
static void all_done(void) { cnet_server_close(server, NULL, NULL); }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  collect(s, first ? "S-peer" : "C-peer");
  if (first) {
    first = false;
    start_feed(&feeds[0], "S", s, false, part2);
  }
}

static void c2_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket *c = target;
  cnet_socket_cork(c);
  olog("C", "connect %zu %u", cnet_stream_writable_high_water_mark(c),
       cnet_stream_writable_corked(c));
  start_feed(&feeds[1], "C", c, true, all_done);
}
static void part2(void) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket_options so = {.high_water_mark = 4, .has_high_water_mark = true};
  cnet_socket *c = NULL;
  cnet_socket_new(cnet_default_loop(), &so, &c);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket_connect(c, &o, c2_connect, NULL);
}

static void listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  collect(c, "P");
}

int main(void) {
  trace_init();
  FILE *f = fopen("a.txt", "wb");
  fputs("abcdefghijk", f);
  fclose(f);
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options so = {.allow_half_open = true};
  cnet_create_server(loop, &so, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  int rc = cnet_loop_close(loop) == 0 ? 0 : 1;
  olog_dump();
  return rc;
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* uv_echo: the libuv echo server of cnet's benchmarks, written as
 * a competent libuv user would: one read buffer for all connections (the
 * alloc callback hands out the same static block), uv_try_write first and
 * a queued uv_write only for what the kernel did not take, and reading
 * stopped while more than 16 KiB wait to be written (Node's high-water
 * mark, where a Node pipe pauses its source).
 *
 *   uv_echo [port]   port 0 (the default) picks one; prints port=N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define RBUF 65536
#define HIGH_WATER (16 * 1024)

static char rbuf[RBUF];

typedef struct wreq {
  uv_write_t req;
  char data[]; /* the bytes the kernel did not take at once */
} wreq;

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)h, (void)suggested;
  *buf = uv_buf_init(rbuf, RBUF);
}

static void close_cb(uv_handle_t *h) { free(h); }

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf);

static void write_cb(uv_write_t *req, int status) {
  uv_stream_t *s = req->handle;
  free(req);
  if (status < 0) {
    if (!uv_is_closing((uv_handle_t *)s)) uv_close((uv_handle_t *)s, close_cb);
    return;
  }
  /* Reading was stopped when the queue passed the mark (s->data says so):
   * go on once it is empty. */
  if (s->data && s->write_queue_size == 0) {
    s->data = NULL;
    uv_read_start(s, alloc_cb, read_cb);
  }
}

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  if (n < 0) { /* UV_EOF or an error */
    uv_close((uv_handle_t *)s, close_cb);
    return;
  }
  if (n == 0) return;
  uv_buf_t b = uv_buf_init(buf->base, (unsigned)n);
  int w = uv_try_write(s, &b, 1);
  if (w == n) return;
  if (w < 0 && w != UV_EAGAIN) {
    uv_close((uv_handle_t *)s, close_cb);
    return;
  }
  if (w < 0) w = 0;
  size_t left = (size_t)n - (size_t)w;
  wreq *r = malloc(sizeof *r + left);
  if (!r) {
    uv_close((uv_handle_t *)s, close_cb);
    return;
  }
  memcpy(r->data, buf->base + w, left);
  uv_buf_t rest = uv_buf_init(r->data, (unsigned)left);
  if (uv_write(&r->req, s, &rest, 1, write_cb) != 0) {
    free(r);
    uv_close((uv_handle_t *)s, close_cb);
    return;
  }
  if (s->write_queue_size > HIGH_WATER) {
    uv_read_stop(s);
    s->data = s;
  }
}

static void on_connection(uv_stream_t *server, int status) {
  if (status < 0) return;
  uv_tcp_t *c = malloc(sizeof *c);
  if (!c) return;
  uv_tcp_init(server->loop, c);
  c->data = NULL;
  if (uv_accept(server, (uv_stream_t *)c) != 0) {
    uv_close((uv_handle_t *)c, close_cb);
    return;
  }
  uv_tcp_nodelay(c, 1);
  uv_read_start((uv_stream_t *)c, alloc_cb, read_cb);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  uv_loop_t *loop = uv_default_loop();
  uv_tcp_t server;
  struct sockaddr_in a;
  int alen = sizeof a;
  uv_tcp_init(loop, &server);
  uv_ip4_addr("127.0.0.1", port, &a);
  int r = uv_tcp_bind(&server, (const struct sockaddr *)&a, 0);
  if (r == 0) r = uv_listen((uv_stream_t *)&server, 511, on_connection);
  if (r == 0) r = uv_tcp_getsockname(&server, (struct sockaddr *)&a, &alen);
  if (r != 0) {
    fprintf(stderr, "uv_echo: listen: %s\n", uv_strerror(r));
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  return uv_run(loop, UV_RUN_DEFAULT);
}

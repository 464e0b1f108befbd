/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of readline_socket.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static const struct { const char *bytes; size_t len; } pieces[] = {
    {"alpha\n", 6},
    {"beta\r\ngam", 9},
    {"ma\r", 3},
    {"\ndelta\repsilon\n\nzeta\n", 21},
    {"\xc3", 1},
    {"\xa9\n", 2},
    {"last line without end", 21},
};
enum { NPIECES = sizeof pieces / sizeof pieces[0] };

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_readline *rl;
static cnet_immediate poll_im, resume_im;
static int ready;
static size_t next_piece, total;

static const char *b(bool v) { return v ? "true" : "false"; }
static unsigned long long nread(void) { return (unsigned long long)cnet_socket_bytes_read(client); }

static void send_next(void);
static void wait_read(cnet_immediate *im, void *arg) {
  (void)arg;
  if (cnet_socket_bytes_read(client) < total) {
    cnet_set_immediate(cnet_default_loop(), im, wait_read, NULL);
    return;
  }
  send_next();
}
static void send_next(void) {
  if (next_piece == NPIECES) {
    cnet_socket_end(ssock, NULL, 0, NULL, NULL);
    return;
  }
  cnet_socket_write(ssock, pieces[next_piece].bytes, pieces[next_piece].len, NULL, NULL);
  total += pieces[next_piece].len;
  next_piece++;
  wait_read(&poll_im, NULL);
}
static void both(void) {
  if (++ready == 2) send_next();
}

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void resume_rl(cnet_immediate *im, void *arg) {
  (void)im; (void)arg;
  cnet_readline_resume(rl);
}
static void on_line(const cnet_event *ev, void *arg) {
  (void)arg;
  t("line \"%.*s\" %zu", (int)ev->len, ev->data, ev->len);
  if (ev->len == 5 && memcmp(ev->data, "delta", 5) == 0) {
    cnet_readline_pause(rl);
    t("paused %s %s", b(cnet_readline_paused(rl)), b(cnet_stream_is_paused(client)));
    cnet_set_immediate(cnet_default_loop(), &resume_im, resume_rl, NULL);
  }
}
static void rl_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("rl pause"); }
static void rl_resume(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("rl resume"); }
static void rl_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("rl close %s %s", b(cnet_readline_closed(rl)), b(cnet_readline_paused(rl)));
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;  (void)arg; both(); }
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end %llu", nread()); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_readline_options ro = {.crlf_delay = CNET_READLINE_CRLF_DELAY_INFINITY};
  if (cnet_readline_create(client, &ro, &rl) != 0) {
    t("cnet_readline_create failed");
    return;
  }
  uint64_t delay = cnet_readline_crlf_delay(rl);
  if (delay == CNET_READLINE_CRLF_DELAY_INFINITY)
    t("rl crlfDelay Infinity terminal %s", b(cnet_readline_terminal(rl)));
  else
    t("rl crlfDelay %llu terminal %s", (unsigned long long)delay, b(cnet_readline_terminal(rl)));
  cnet_on(rl, CNET_EV_LINE, on_line, NULL);
  cnet_on(rl, CNET_EV_PAUSE, rl_pause, NULL);
  cnet_on(rl, CNET_EV_RESUME, rl_resume, NULL);
  cnet_on(rl, CNET_EV_CLOSE, rl_close, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

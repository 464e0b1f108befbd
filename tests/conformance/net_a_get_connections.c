/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_get_connections.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

enum { N = 3 };
static cnet_server *server;
static cnet_socket *clients[N], *accepted[N];
static int nclients, naccepted, ndestroyed;

static void connect_one(void);

static int index_of(cnet_socket **v, int n, void *s) {
  for (int i = 0; i < n; i++)
    if (v[i] == s) return i;
  return -1;
}

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}

/* What to do once a count is printed. */
enum { THEN_NONE, THEN_CONNECTION, THEN_CLOSE, THEN_LISTENING };
struct req {
  char tag[32];
  int then;
};
static struct req reqs[32];
static int nreqs;

static void on_count(void *s, const cnet_error *err, void *arg) {
  int n = cnet_server_connection_count(s);
  struct req *r = arg;
  t("%s %s %d", r->tag, err ? cnet_err_name(err->code) : "null", n);
  switch (r->then) {
    case THEN_LISTENING:
      connect_one();
      break;
    case THEN_CONNECTION:
      if (nclients < N) connect_one();
      else cnet_socket_end(clients[0], NULL, 0, NULL, NULL);
      break;
    case THEN_CLOSE:
      if (ndestroyed == N) cnet_server_close(server, server_closed, NULL);
      break;
  }
}
static void count(const char *tag, int i, int then) {
  struct req *r = &reqs[nreqs++];
  if (i >= 0) snprintf(r->tag, sizeof r->tag, "%s %d", tag, i);
  else snprintf(r->tag, sizeof r->tag, "%s", tag);
  r->then = then;
  cnet_server_get_connections(server, on_count, r);
}

static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  count("S end", index_of(accepted, naccepted, ev->target), THEN_NONE);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  ndestroyed++;
  count("S close", index_of(accepted, naccepted, ev->target), THEN_CLOSE);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  accepted[naccepted++] = s;
  cnet_socket_resume(s);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  count("connection", naccepted, THEN_CONNECTION);
}

static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  int i = index_of(clients, nclients, ev->target);
  if (i + 1 < N) cnet_socket_end(clients[i + 1], NULL, 0, NULL, NULL);
}
static void connect_one(void) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_resume(c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
  clients[nclients++] = c;
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  count("listening", -1, THEN_LISTENING);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

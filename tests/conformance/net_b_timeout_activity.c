/* Twin of net_b_timeout_activity.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c, *ssock;
static cnet_timer iv;
static int step, timeouts;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data \"%.*s\" %d", (int)ev->len, ev->data, timeouts);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_DATA, s_data, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
}

static void tick(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  char msg[8];
  step++;
  int n = snprintf(msg, sizeof msg, "%c%d", step <= 6 ? 'c' : 's', step);
  cnet_socket_write(step <= 6 ? c : ssock, msg, (size_t)n, NULL, NULL);
  if (step == 12) cnet_clear_interval(&iv);
}
static void c_connect(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_socket_set_timeout(c, 200, NULL, NULL);
  cnet_set_interval(&iv, tick, NULL, 40);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\" %d", (int)ev->len, ev->data, timeouts);
}
static void c_timeout(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  timeouts++;
  t("C timeout %d %d", timeouts, step);
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %d", b(ev->had_error), timeouts);
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_TIMEOUT, c_timeout, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &iv);
  server = cnet_create_server(loop, NULL, on_connection, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

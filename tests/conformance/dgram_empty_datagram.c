/* Twin of dgram_empty_datagram.js. */
#include "dgram.h"

static cnet_dgram *r, *s;
static int n;

static void on_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %s %s 0 %zu", (int)ev->len, ev->data, ev->rinfo->address,
    ev->rinfo->family, ev->rinfo->size);
  if (++n == 4) {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, say, "closed");
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  t("%s %s %zu", (const char *)arg, e ? e->message : "null", b);
}

static void on_listening(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  cnet_address a;
  cnet_dgram_address(r, &a);
  cnet_dgram_send(s, "", 0, a.port, "127.0.0.1", sent, "empty string cb");
  cnet_dgram_send(s, NULL, 0, a.port, "127.0.0.1", sent, "empty buffer cb");
  cnet_dgram_send(s, "x", 1, a.port, "127.0.0.1", sent, "x cb");
  cnet_dgram_send_list(s, NULL, 0, a.port, "127.0.0.1", sent, "empty list cb");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_message, NULL, &r);
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(r, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_setters.js. JavaScript prints what the setters return:
 * the ttl, the flag as true/false, undefined for setBroadcast. */
#include "dgram.h"

static cnet_loop *loop;

static void ret_num(const char *label, cnet_dgram *s, int r) {
  if (tr(label, s, r) >= 0)
    t("%s returns %d", label, r);
  else
    t("%s returns undefined", label);
}
static void ret_bool(const char *label, cnet_dgram *s, int r) {
  if (tr(label, s, r) >= 0)
    t("%s returns %s", label, bs(r));
  else
    t("%s returns undefined", label);
}
static void ret_undef(const char *label, cnet_dgram *s, int r) {
  tr(label, s, r);
  t("%s returns undefined", label);
}

/* done is the close callback of the run; it comes to on_listening through
 * bind's arg, as the address of a variable holding it. */
static void run(const char *type, const char *address, cnet_callback *done);

static void on_listening(void *target, const cnet_error *e, void *arg) {
  cnet_callback *done = arg;
  cnet_dgram *s = target;
  t("%s", cnet_dgram_type(s));
  ret_num("setTTL 128", s, cnet_dgram_set_ttl(s, 128));
  ret_num("setTTL 1", s, cnet_dgram_set_ttl(s, 1));
  ret_num("setTTL 255", s, cnet_dgram_set_ttl(s, 255));
  tr("setTTL 0", s, cnet_dgram_set_ttl(s, 0));
  tr("setTTL 256", s, cnet_dgram_set_ttl(s, 256));
  tr("setTTL 1000", s, cnet_dgram_set_ttl(s, 1000));
  ret_num("setMulticastTTL 0", s, cnet_dgram_set_multicast_ttl(s, 0));
  ret_num("setMulticastTTL 128", s, cnet_dgram_set_multicast_ttl(s, 128));
  tr("setMulticastTTL 256", s, cnet_dgram_set_multicast_ttl(s, 256));
  tr("setMulticastTTL -1", s, cnet_dgram_set_multicast_ttl(s, -1));
  ret_bool("setMulticastLoopback true", s, cnet_dgram_set_multicast_loopback(s, true));
  ret_bool("setMulticastLoopback false", s, cnet_dgram_set_multicast_loopback(s, false));
  ret_undef("setBroadcast true", s, cnet_dgram_set_broadcast(s, true));
  ret_undef("setBroadcast false", s, cnet_dgram_set_broadcast(s, false));
  cnet_dgram_close(s, *done, NULL);
}

static void run(const char *type, const char *address, cnet_callback *done) {
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, type, NULL, NULL, &s);
  cnet_dgram_bind(s, 0, address, on_listening, done);
}

static void all_done(void *s, const cnet_error *e, void *arg) { t("done"); }
static cnet_callback then_done = all_done;
static void run_udp6(void *s, const cnet_error *e, void *arg) {
  run("udp6", "::1", &then_done);
}
static cnet_callback then_udp6 = run_udp6;

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  run("udp4", "127.0.0.1", &then_udp6);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

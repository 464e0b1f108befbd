/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dns_lookup.js. */
#include <cnet.h>
#include <string.h>
#include "trace.h"

typedef struct lookup_case {
  const char *label;
  const char *host;
  cnet_lookup_options opts;
} lookup_case;

static char long_label[80];

static const lookup_case cases[] = {
    {"localhost", "localhost", {0}},
    {"localhost-all", "localhost", {.all = true}},
    {"localhost-4", "localhost", {.family = 4}},
    {"localhost-6", "localhost", {.family = 6}},
    {"localhost-6-all", "localhost", {.family = 6, .all = true}},
    {"localhost-6-v4mapped", "localhost",
     {.family = 6, .hints = CNET_DNS_V4MAPPED}},
    {"localhost-ipv4first", "localhost",
     {.all = true, .order = CNET_DNS_ORDER_IPV4FIRST}},
    {"localhost-ipv6first", "localhost",
     {.all = true, .order = CNET_DNS_ORDER_IPV6FIRST}},
    {"127.0.0.1", "127.0.0.1", {0}},
    {"127.0.0.1-all-6", "127.0.0.1", {.all = true, .family = 6}},
    {"::1", "::1", {0}},
    {"::1-4", "::1", {.family = 4}},
    {"127.1", "127.1", {0}},
    {"empty", "", {0}},
    {"empty-6", "", {.family = 6}},
    {"empty-all", "", {.all = true}},
    {"nosuchhost", "nosuchhost.invalid", {0}},
    {"nosuchhost-all", "nosuchhost.invalid", {.all = true}},
    {"long-label", long_label, {0}},
};
#define NCASES (sizeof cases / sizeof cases[0])

static cnet_loop *loop;
static cnet_lookup_req req;
static cnet_immediate im;

static void run(size_t i);

static void show(cnet_lookup_req *r, const cnet_error *err,
                 const cnet_lookup_address *addrs, size_t count, void *arg) {
  (void)r;
  size_t i = (size_t)(uintptr_t)arg;
  const lookup_case *c = &cases[i];
  if (err) {
    /* Node's err.errno is cnet's code; err.hostname is err->address. */
    t("%s error %s %d %s %s %s", c->label, cnet_err_name(err->code), err->code,
      err->syscall, err->address, err->message);
  } else if (c->opts.all) {
    printf("%s all %zu", c->label, count);
    for (size_t k = 0; k < count; k++)
      printf(" %s/%d", addrs[k].address, addrs[k].family);
    putchar('\n');
  } else {
    t("%s %s %d", c->label, addrs[0].address[0] ? addrs[0].address : "null",
      addrs[0].family);
  }
  run(i + 1);
}

static void run(size_t i) {
  if (i == NCASES) {
    t("done");
    return;
  }
  cnet_lookup(loop, &req, cases[i].host, &cases[i].opts, show,
              (void *)(uintptr_t)i);
}

static void on_immediate(cnet_immediate *h, void *arg) {
  (void)h;
  (void)arg;
  t("immediate");
  run(0);
}

static void on_tick(void *arg) { t("tick %s", (const char *)arg); }

static void on_first(cnet_lookup_req *r, const cnet_error *err,
                     const cnet_lookup_address *addrs, size_t count,
                     void *arg) {
  (void)r;
  (void)err;
  (void)count;
  (void)arg;
  t("lookup %s %d", addrs[0].address, addrs[0].family);
}

int main(void) {
  static cnet_lookup_req first;
  trace_init();
  memset(long_label, 'x', 64);
  strcpy(long_label + 64, ".invalid");
  loop = cnet_default_loop();
  cnet_set_immediate(loop, &im, on_immediate, NULL);
  cnet_next_tick(loop, on_tick, "a");
  cnet_lookup(loop, &first, "127.0.0.1", NULL, on_first, NULL);
  cnet_next_tick(loop, on_tick, "b");
  t("sync");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

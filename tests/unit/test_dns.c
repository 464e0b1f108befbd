/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * dns.lookup (src/dns.c). The machine has no network besides loopback, so
 * only names that resolve or fail locally are used: "localhost", IP
 * literals, and names under .invalid. What getaddrinfo answers is checked
 * against getaddrinfo itself, so the tests hold whatever /etc/hosts says
 * about localhost. Threaded: they also run under ThreadSanitizer. */
#include "harness.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

/* What the callbacks saw, as text: "127.0.0.1/4 ::1/6" or the error's
 * code name. */
static char seen[512];
static int calls;
static cnet_error seen_err;
static bool seen_has_err;

static void record(cnet_lookup_req *req, const cnet_error *err,
                   const cnet_lookup_address *addrs, size_t count, void *arg) {
  (void)req;
  (void)arg;
  calls++;
  seen[0] = '\0';
  seen_has_err = err != NULL;
  if (err) {
    seen_err = *err;
    snprintf(seen, sizeof seen, "%s", cnet_err_name(err->code));
    ASSERT_NULL(addrs);
    ASSERT_EQ(0, count);
    return;
  }
  size_t used = 0;
  for (size_t i = 0; i < count; i++)
    used += (size_t)snprintf(seen + used, sizeof seen - used, "%s%s/%d",
                             i ? " " : "", addrs[i].address, addrs[i].family);
}

/* What Node would answer, from getaddrinfo called the way Node calls it;
 * first_only keeps the first address (all: false). */
static void expect_from_getaddrinfo(const char *host, int family, int flags,
                                    bool first_only, char *out, size_t size) {
  struct addrinfo hints = {0}, *res;
  hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  int r = getaddrinfo(host, NULL, &hints, &res);
  if (r != 0) {
    snprintf(out, size, "%s", cnet_err_name(cnet_eai_error(r)));
    return;
  }
  size_t used = 0;
  for (struct addrinfo *p = res; p; p = p->ai_next) {
    char text[INET6_ADDRSTRLEN];
    const void *bin =
        p->ai_family == AF_INET
            ? (const void *)&((struct sockaddr_in *)(void *)p->ai_addr)->sin_addr
            : (const void *)&((struct sockaddr_in6 *)(void *)p->ai_addr)->sin6_addr;
    inet_ntop(p->ai_family, bin, text, sizeof text);
    used += (size_t)snprintf(out + used, size - used, "%s%s/%d",
                             used ? " " : "", text,
                             p->ai_family == AF_INET ? 4 : 6);
    if (first_only) break;
  }
  freeaddrinfo(res);
}

static void lookup_and_run(const char *host, const cnet_lookup_options *opts) {
  cnet_loop *loop = test_loop();
  cnet_lookup_req req;
  calls = 0;
  ASSERT_EQ(0, cnet_lookup(loop, &req, host, opts, record, NULL));
  ASSERT_EQ(0, calls); /* never from inside the call */
  test_run(loop);
  ASSERT_EQ(1, calls);
  test_loop_close(loop);
}

/* ---- names -------------------------------------------------------------- */

CNET_TEST(localhost_resolves_to_a_loopback_address) {
  lookup_and_run("localhost", NULL);
  ASSERT(strcmp(seen, "127.0.0.1/4") == 0 || strcmp(seen, "::1/6") == 0);
  char want[512];
  expect_from_getaddrinfo("localhost", 0, 0, true, want, sizeof want);
  ASSERT_STR_EQ(want, seen);
}

CNET_TEST(localhost_all_gives_every_address_in_getaddrinfo_order) {
  cnet_lookup_options o = {.all = true};
  lookup_and_run("localhost", &o);
  char want[512];
  expect_from_getaddrinfo("localhost", 0, 0, false, want, sizeof want);
  ASSERT_STR_EQ(want, seen);
  ASSERT(strstr(seen, "127.0.0.1/4") || strstr(seen, "::1/6"));
}

CNET_TEST(family_4_gives_only_ipv4) {
  cnet_lookup_options o = {.family = 4, .all = true};
  lookup_and_run("localhost", &o);
  ASSERT_STR_EQ("127.0.0.1/4", seen);
}

CNET_TEST(family_6_gives_only_ipv6_or_enotfound) {
  cnet_lookup_options o = {.family = 6, .all = true};
  lookup_and_run("localhost", &o);
  char want[512];
  expect_from_getaddrinfo("localhost", 6, 0, false, want, sizeof want);
  ASSERT_STR_EQ(want, seen);
  if (!seen_has_err) ASSERT(strstr(seen, "/4") == NULL);
  else ASSERT_EQ(CNET_ENOTFOUND, seen_err.code);
}

CNET_TEST(v4mapped_hint_with_family_6) {
  cnet_lookup_options o = {.family = 6, .hints = CNET_DNS_V4MAPPED};
  lookup_and_run("localhost", &o);
  char want[512];
  expect_from_getaddrinfo("localhost", 6, AI_V4MAPPED, true, want, sizeof want);
  ASSERT_STR_EQ(want, seen);
  ASSERT(strcmp(seen, "::1/6") == 0 || strcmp(seen, "::ffff:127.0.0.1/6") == 0);
}

CNET_TEST(ipv4first_puts_ipv4_addresses_first) {
  cnet_lookup_options o = {.all = true, .order = CNET_DNS_ORDER_IPV4FIRST};
  lookup_and_run("localhost", &o);
  const char *v6 = strstr(seen, "/6"), *v4 = strstr(seen, "/4");
  if (v6 && v4) ASSERT(v4 < v6);
  o.order = CNET_DNS_ORDER_IPV6FIRST;
  lookup_and_run("localhost", &o);
  v6 = strstr(seen, "/6");
  v4 = strstr(seen, "/4");
  if (v6 && v4) ASSERT(v6 < v4);
}

/* ---- errors ------------------------------------------------------------- */

CNET_TEST(unknown_name_is_enotfound_with_node_fields) {
  /* A label longer than 63 bytes: glibc refuses it without asking any
   * DNS server, so this fails the same way on any machine. */
  char host[128];
  memset(host, 'x', 64);
  strcpy(host + 64, ".invalid");
  lookup_and_run(host, NULL);
  ASSERT(seen_has_err);
  ASSERT_EQ(CNET_ENOTFOUND, seen_err.code);
  ASSERT_STR_EQ("getaddrinfo", seen_err.syscall);
  ASSERT_STR_EQ(host, seen_err.address);
  ASSERT_EQ(0, seen_err.port);
  char msg[256];
  snprintf(msg, sizeof msg, "getaddrinfo ENOTFOUND %s", host);
  ASSERT_STR_EQ(msg, seen_err.message);
}

CNET_TEST(nosuchhost_invalid_is_enotfound) {
  /* Here glibc asks the configured DNS server, which answers NXDOMAIN at
   * once; a machine whose server is unreachable would answer EAI_AGAIN
   * after resolv.conf's timeout instead. */
  lookup_and_run("nosuchhost.invalid", NULL);
  ASSERT(seen_has_err);
  ASSERT_EQ(CNET_ENOTFOUND, seen_err.code);
  ASSERT_STR_EQ("getaddrinfo ENOTFOUND nosuchhost.invalid", seen_err.message);
  ASSERT_STR_EQ("getaddrinfo", seen_err.syscall);
  ASSERT_STR_EQ("nosuchhost.invalid", seen_err.address);
}

CNET_TEST(a_long_hostname_is_whole_in_the_message) {
  /* Longer than cnet_error.address holds. */
  char host[200];
  memset(host, 'y', 150);
  strcpy(host + 150, ".invalid");
  lookup_and_run(host, NULL);
  ASSERT_EQ(CNET_ENOTFOUND, seen_err.code);
  ASSERT(strstr(seen_err.message, host) != NULL);
  ASSERT_EQ(sizeof seen_err.address - 1, strlen(seen_err.address));
}

CNET_TEST(bad_arguments_are_rejected_and_cb_is_not_called) {
  cnet_loop *loop = test_loop();
  cnet_lookup_req req;
  calls = 0;
  cnet_lookup_options o = {.family = 5};
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_lookup(loop, &req, "localhost", &o, record, NULL));
  o = (cnet_lookup_options){.hints = 1};
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_lookup(loop, &req, "localhost", &o, record, NULL));
  o = (cnet_lookup_options){.order = (cnet_dns_order)42};
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_lookup(loop, &req, "localhost", &o, record, NULL));
  /* As in Node, options are checked even for an IP literal. */
  o = (cnet_lookup_options){.family = 5};
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_lookup(loop, &req, "127.0.0.1", &o, record, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_lookup(loop, &req, "localhost", NULL, NULL, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_lookup(loop, NULL, "localhost", NULL, record, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_lookup(NULL, &req, "localhost", NULL, record, NULL));
  ASSERT(!cnet_loop_alive(loop));
  test_run(loop);
  ASSERT_EQ(0, calls);
  test_loop_close(loop);
}

/* ---- IP literals and empty names --------------------------------------- */

CNET_TEST(ip_literals_answer_themselves_whatever_the_family) {
  cnet_lookup_options o = {.family = 4};
  lookup_and_run("::1", &o);
  ASSERT_STR_EQ("::1/6", seen);
  o.family = 6;
  lookup_and_run("127.0.0.1", &o);
  ASSERT_STR_EQ("127.0.0.1/4", seen);
  o = (cnet_lookup_options){.all = true};
  lookup_and_run("fe80::1%lo", &o);
  ASSERT_STR_EQ("fe80::1%lo/6", seen);
}

CNET_TEST(forms_isip_rejects_go_to_getaddrinfo) {
  /* "127.1" is no IP address to Node's isIP, but getaddrinfo reads it. */
  lookup_and_run("127.1", NULL);
  ASSERT_STR_EQ("127.0.0.1/4", seen);
}

static void trace_lookup(cnet_lookup_req *req, const cnet_error *err,
                         const cnet_lookup_address *addrs, size_t count,
                         void *arg) {
  (void)req;
  (void)err;
  (void)count;
  test_trace("lookup:%s/%d", addrs[0].address, addrs[0].family);
}

static void trace_tick(void *arg) { test_trace("tick:%s", (const char *)arg); }

static void trace_immediate(cnet_immediate *im, void *arg) {
  (void)im;
  (void)arg;
  test_trace("immediate");
}

CNET_TEST(ip_literal_answers_on_the_next_tick_in_order) {
  cnet_loop *loop = test_loop();
  cnet_lookup_req req;
  cnet_immediate im = {0};
  /* Node: setImmediate; nextTick(a); lookup; nextTick(b) gives a, the
   * lookup, b (all ticks, in order), then the immediate. */
  ASSERT_EQ(0, cnet_set_immediate(loop, &im, trace_immediate, NULL));
  ASSERT_EQ(0, cnet_next_tick(loop, trace_tick, "a"));
  ASSERT_EQ(0, cnet_lookup(loop, &req, "127.0.0.1", NULL, trace_lookup, NULL));
  ASSERT_EQ(0, cnet_next_tick(loop, trace_tick, "b"));
  test_trace("sync");
  test_run(loop);
  ASSERT_TRACE("sync tick:a lookup:127.0.0.1/4 tick:b immediate");
  test_loop_close(loop);
}

CNET_TEST(empty_hostname_answers_null_as_node_does) {
  test_stderr_begin();
  lookup_and_run("", NULL);
  ASSERT_STR_EQ("/4", seen); /* Node: (null, 4) */
  cnet_lookup_options o = {.family = 6};
  lookup_and_run("", &o);
  ASSERT_STR_EQ("/6", seen);
  o = (cnet_lookup_options){.all = true};
  lookup_and_run(NULL, &o);
  ASSERT(!seen_has_err);
  ASSERT_STR_EQ("", seen); /* Node: [] */
  const char *out = test_stderr_end();
  /* Node's deprecation warning, once per process. */
  const char *w = strstr(out, "[DEP0118] DeprecationWarning: The provided "
                              "hostname \"\" is not a valid hostname");
  ASSERT(w != NULL || out[0] == '\0');
  if (w) ASSERT_NULL(strstr(w + strlen("[DEP0118]"), "DEP0118"));
}

/* ---- the loop keeps running while a lookup waits -------------------------- */

static int fires;
static int fires_at_answer = -1;

static void on_interval(cnet_timer *t, void *arg) {
  (void)arg;
  fires++;
  ASSERT_EQ(0, calls); /* the lookup cannot have finished: no thread */
  test_trace("timer:%d", fires);
  if (fires == 3) {
    cnet_clear_interval(t);
    test_pool_unblock();
  }
}

static void answer_after_timers(cnet_lookup_req *req, const cnet_error *err,
                                const cnet_lookup_address *addrs,
                                size_t count, void *arg) {
  record(req, err, addrs, count, arg);
  fires_at_answer = fires;
  test_trace("lookup");
}

CNET_TEST(timers_keep_firing_while_a_lookup_is_in_flight) {
  cnet_loop *loop = test_loop();
  test_pool_block(loop); /* the lookup waits until the third fire */
  cnet_lookup_req req;
  cnet_timer iv;
  calls = 0;
  fires = 0;
  ASSERT_EQ(0, cnet_lookup(loop, &req, "localhost", NULL,
                           answer_after_timers, NULL));
  cnet_timer_init(loop, &iv);
  cnet_set_interval(&iv, on_interval, NULL, 2);
  test_run(loop);
  ASSERT_TRACE("timer:1 timer:2 timer:3 lookup");
  ASSERT_EQ(3, fires_at_answer);
  ASSERT(strcmp(seen, "127.0.0.1/4") == 0 || strcmp(seen, "::1/6") == 0);
  test_loop_close(loop);
}

/* ---- cancel -------------------------------------------------------------- */

static void must_not_be_called(cnet_lookup_req *req, const cnet_error *err,
                               const cnet_lookup_address *addrs, size_t count,
                               void *arg) {
  (void)req;
  (void)err;
  (void)addrs;
  (void)count;
  (void)arg;
  fail_msg("callback of a cancelled lookup");
}

CNET_TEST(cancel_a_queued_lookup_frees_the_req_at_once) {
  cnet_loop *loop = test_loop();
  test_pool_block(loop); /* no thread can start the lookup */
  cnet_lookup_req *req = malloc(sizeof *req);
  ASSERT_NOT_NULL(req);
  ASSERT_EQ(0, cnet_lookup(loop, req, "localhost", NULL, must_not_be_called,
                           NULL));
  ASSERT_EQ(0, cnet_lookup_cancel(req));
  free(req); /* ASan: the library must not touch it again */
  test_pool_unblock();
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(cancel_a_running_lookup_drops_its_answer) {
  cnet_loop *loop = test_loop();
  cnet_lookup_req *req = malloc(sizeof *req);
  ASSERT_NOT_NULL(req);
  /* Whether a thread has already picked it up or not, no callback. */
  ASSERT_EQ(0, cnet_lookup(loop, req, "localhost", NULL, must_not_be_called,
                           NULL));
  ASSERT_EQ(0, cnet_lookup_cancel(req));
  free(req);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(cancel_an_ip_literal_lookup) {
  cnet_loop *loop = test_loop();
  cnet_lookup_req *req = malloc(sizeof *req);
  ASSERT_NOT_NULL(req);
  ASSERT_EQ(0, cnet_lookup(loop, req, "::1", NULL, must_not_be_called, NULL));
  ASSERT_EQ(0, cnet_lookup_cancel(req));
  free(req);
  test_run(loop);
  test_loop_close(loop);
}

static cnet_lookup_req reused;
static int reuse_round;

static void reuse_cb(cnet_lookup_req *req, const cnet_error *err,
                     const cnet_lookup_address *addrs, size_t count,
                     void *arg) {
  (void)err;
  (void)addrs;
  (void)count;
  (void)arg;
  ASSERT(req == &reused);
  /* The lookup is over: nothing left to cancel. */
  ASSERT_EQ(CNET_EINVAL, cnet_lookup_cancel(req));
  test_trace("answer:%d", reuse_round);
  if (++reuse_round < 3)
    ASSERT_EQ(0, cnet_lookup(req->loop, req, reuse_round == 1 ? "::1" : "localhost",
                             NULL, reuse_cb, NULL));
}

CNET_TEST(the_callback_may_reuse_its_req) {
  cnet_loop *loop = test_loop();
  reuse_round = 0;
  ASSERT_EQ(0, cnet_lookup(loop, &reused, "localhost", NULL, reuse_cb, NULL));
  ASSERT(reused.loop == loop);
  test_run(loop);
  ASSERT_TRACE("answer:0 answer:1 answer:2");
  ASSERT_EQ(CNET_EINVAL, cnet_lookup_cancel(&reused));
  test_loop_close(loop);
}

/* ---- default order, and lookups from several loops at once ---------------- */

CNET_TEST(default_result_order_is_verbatim_and_settable) {
  ASSERT_STR_EQ("verbatim", cnet_dns_get_default_result_order());
  ASSERT_EQ(0, cnet_dns_set_default_result_order("ipv4first"));
  ASSERT_STR_EQ("ipv4first", cnet_dns_get_default_result_order());
  ASSERT_EQ(0, cnet_dns_set_default_result_order("ipv6first"));
  ASSERT_STR_EQ("ipv6first", cnet_dns_get_default_result_order());
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_dns_set_default_result_order("x"));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_dns_set_default_result_order(NULL));
  ASSERT_EQ(0, cnet_dns_set_default_result_order("verbatim"));
  ASSERT_STR_EQ("verbatim", cnet_dns_get_default_result_order());
}

#define PER_THREAD 50

struct resolver {
  pthread_t thread;
  cnet_lookup_req reqs[PER_THREAD];
  int ok;
  int bad;
};

static void count_answer(cnet_lookup_req *req, const cnet_error *err,
                         const cnet_lookup_address *addrs, size_t count,
                         void *arg) {
  (void)req;
  struct resolver *r = arg;
  if (!err && count == 1 &&
      (strcmp(addrs[0].address, "127.0.0.1") == 0 ||
       strcmp(addrs[0].address, "::1") == 0))
    r->ok++;
  else
    r->bad++;
}

static void *resolver_main(void *arg) {
  struct resolver *r = arg;
  cnet_loop *loop;
  if (cnet_loop_new(&loop) != 0) abort();
  for (int i = 0; i < PER_THREAD; i++)
    if (cnet_lookup(loop, &r->reqs[i], i % 2 ? "localhost" : "127.0.0.1",
                    NULL, count_answer, r) != 0)
      abort();
  if (cnet_loop_run(loop, CNET_RUN_DEFAULT) != 0) abort();
  if (cnet_loop_close(loop) != 0) abort();
  return NULL;
}

CNET_TEST(lookups_from_loops_on_several_threads) {
  static struct resolver rs[3];
  memset(rs, 0, sizeof rs);
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(0, pthread_create(&rs[i].thread, NULL, resolver_main, &rs[i]));
  for (int i = 0; i < 3; i++) ASSERT_EQ(0, pthread_join(rs[i].thread, NULL));
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ(PER_THREAD, rs[i].ok);
    ASSERT_EQ(0, rs[i].bad);
  }
}

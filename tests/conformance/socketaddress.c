/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.SocketAddress: construction with Node's validation and defaults, then
 * the canonical text of generated IPv6 and IPv4 addresses; the twin of
 * socketaddress.js. */
#include "cnet.h"
#include "trace.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Node leaves an option out where the JS case has undefined: here a NULL
 * address, or a field flagged absent (printed '-'), which is zero. */
#define NONE (-99999)

typedef struct {
  const char *address; /* NULL: left out */
  long port;           /* NONE: left out */
  int family;          /* 0: left out; 5: a family Node rejects ('ipv5') */
  int64_t flowlabel;   /* NONE: left out */
} sa_case;

static const sa_case cases[] = {
    {NULL, NONE, 0, NONE},
    {NULL, NONE, 4, NONE},
    {NULL, NONE, 6, NONE},
    {"1.2.3.4", 80, 0, NONE},
    {"1.2.3.4", 0, 4, NONE},
    {"1.2.3.4", 65535, 4, NONE},
    {"1.2.3.4", 65536, 4, NONE},
    {"1.2.3.4", -1, 4, NONE},
    {"::1", 443, 6, NONE},
    {"::1", 443, 4, NONE},
    {"1.2.3.4", 443, 6, NONE},
    {"1.2.3.4", 0, 5, NONE},
    {"x", 0, 5, NONE},
    {"x", 70000, 4, NONE},
    {"x", 70000, 5, NONE},
    {"::", 0, 6, 0xfffff},
    {"::", 0, 6, 1},
    {"1.2.3.4", 0, 4, 5},
    {"1.2.3.4", 0, 4, 0xffffffff},
    {NULL, 8080, 6, 12345},
    {"", 0, 4, NONE},
    {"", 0, 6, NONE},
    {"01.2.3.4", 0, 4, NONE},
    {"1.2.3.4 ", 0, 4, NONE},
    {"1.2.3", 0, 4, NONE},
    {"256.1.1.1", 0, 4, NONE},
    {"255.255.255.255", 1, 4, NONE},
    {"0.0.0.0", 1, 4, NONE},
    {"localhost", 0, 4, NONE},
    {"::FFFF:1.2.3.4", 0, 6, NONE},
    {"::1.2.3.4", 0, 6, NONE},
    {"::ffff:0:0", 0, 6, NONE},
    {"::ffff:ffff:ffff", 0, 6, NONE},
    {"0:0:0:0:0:ffff:0:1", 0, 6, NONE},
    {"0:0:0:0:0:fffe:0:1", 0, 6, NONE},
    {"0:0:0:0:0:0:0:1", 0, 6, NONE},
    {"0:0:0:0:0:0:0:0", 0, 6, NONE},
    {"0:0:0:0:0:0:1:0", 0, 6, NONE},
    {"0:0:0:0:0:0:0.0.0.2", 0, 6, NONE},
    {"::0.1.0.0", 0, 6, NONE},
    {"1:0:0:1:0:0:0:1", 0, 6, NONE},
    {"1:0:0:0:1:0:0:1", 0, 6, NONE},
    {"0:0:1:0:0:1:0:0", 0, 6, NONE},
    {"1:0:1:1:1:1:1:1", 0, 6, NONE},
    {"1:1:1:1:1:1:1:0", 0, 6, NONE},
    {"1:0:0:0:0:0:0:0", 0, 6, NONE},
    {"ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", 0, 6, NONE},
    {"2001:0db8:0000:0000:0000:0000:1428:57ab", 0, 6, NONE},
    {"fe80::1%lo", 0, 6, NONE},
    {"fe80::1%", 0, 6, NONE},
    {"fe80::1%@@", 0, 6, NONE},
    {"fe80::1%1", 0, 6, NONE},
    {"1111:2222:3333:4444:5555:6666:7777:88889%x", 0, 6, NONE},
    {"1111:2222:3333:4444:5555:6666:7777:8888:9%x", 0, 6, NONE},
    {"::ffff:255.255.255.255%x", 0, 6, NONE},
    {"0000:0000:0000:0000:0000:ffff:255.255.255.255%x", 0, 6, NONE},
    {"1::2::3", 0, 6, NONE},
    {":::", 0, 6, NONE},
    {"::1 ", 0, 6, NONE},
    {"[::1]", 0, 6, NONE},
};

static const char *family_name(int family) {
  return family == 0 ? "-" : family == 4 ? "ipv4" : family == 6 ? "ipv6"
                                                                 : "ipv5";
}

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static const char *canonical(const char *text, int family) {
  static cnet_socket_address sa;
  cnet_socket_address_options opts = {text, 0, family, 0};
  int r = cnet_socket_address_init(&sa, &opts);
  return r < 0 ? cnet_err_name(r) : sa.address;
}

int main(void) {
  trace_init();
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const sa_case *c = &cases[i];
    cnet_socket_address_options opts = {
        c->address, c->port == NONE ? 0 : (int)c->port, c->family,
        c->flowlabel == NONE ? 0 : (uint32_t)c->flowlabel};
    char addr[128], port[16], flow[16], out[256];
    snprintf(addr, sizeof(addr), "%s",
             c->address == NULL ? "-" : c->address[0] ? c->address : "\"\"");
    if (c->port == NONE) snprintf(port, sizeof(port), "-");
    else snprintf(port, sizeof(port), "%ld", c->port);
    if (c->flowlabel == NONE) snprintf(flow, sizeof(flow), "-");
    else snprintf(flow, sizeof(flow), "%lld", (long long)c->flowlabel);

    cnet_socket_address sa;
    int r = cnet_socket_address_init(&sa, &opts);
    if (r < 0)
      snprintf(out, sizeof(out), "%s", cnet_err_name(r));
    else
      snprintf(out, sizeof(out), "%s %d %s %u", sa.address, sa.port,
               family_name(sa.family), (unsigned)sa.flowlabel);
    trace("sa %s %s %s %s => %s", addr, port, family_name(c->family), flow,
          out);
  }

  for (int n = 0; n < 3000; n++) {
    char text[64];
    size_t len = 0;
    for (int g = 0; g < 8; g++) {
      uint32_t k = next() % 8;
      uint32_t v = k < 4 ? 0 : k == 4 ? 1 : k == 5 ? 0xffff : next() % 0x10000;
      len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%x",
                              g ? ":" : "", (unsigned)v);
    }
    trace("v6 %s %s", text, canonical(text, 6));
  }
  for (int n = 0; n < 500; n++) {
    char text[32];
    /* Separate statements: the order of the four draws must be Node's. */
    unsigned a = next() % 256, b = next() % 256;
    unsigned c = next() % 256, d = next() % 256;
    snprintf(text, sizeof(text), "%u.%u.%u.%u", a, b, c, d);
    trace("v4 %s %s", text, canonical(text, 4));
  }
  return 0;
}

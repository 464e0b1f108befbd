/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.BlockList: the operations in blocklist_cases.txt, then generated
 * lists of random rules each checked against a pool of addresses; the twin
 * of blocklist.js. The cases file sits next to this source, which the build
 * compiles by its absolute path, so __FILE__ locates it. */
#include "cnet.h"
#include "trace.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 8

/* Tokens split on spaces; "..." is one token (quotes removed). The line is
 * modified in place. */
static int tokens(char *line, char *tok[MAX_TOKENS]) {
  int n = 0;
  char *p = line;
  while (*p && n < MAX_TOKENS) {
    while (*p == ' ') p++;
    if (!*p) break;
    if (*p == '"') {
      tok[n++] = ++p;
      while (*p && *p != '"') p++;
    } else {
      tok[n++] = p;
      while (*p && *p != ' ') p++;
    }
    if (*p) *p++ = '\0';
  }
  return n;
}

/* Node's family strings as cnet's numbers: '-' (left out) is 0; a string
 * Node rejects becomes a number cnet rejects, so that both the conversion
 * and the calls' own checks are exercised. */
static int family_of(const char *tok) {
  if (strcmp(tok, "-") == 0) return 0;
  int f = cnet_family_from_string(tok);
  return f < 0 ? 5 : f;
}

/* What Node prints for a call that returns nothing or throws. */
static const char *result(int r) { return r == 0 ? "ok" : cnet_err_name(r); }

static const char *boolean(int r) {
  return r == 1 ? "true" : r == 0 ? "false" : cnet_err_name(r);
}

static void print_rules(const cnet_block_list *list) {
  size_t n = cnet_block_list_rule_count(list);
  trace("rules %zu", n);
  for (size_t i = 0; i < n; i++) {
    char buf[CNET_BLOCK_LIST_RULE_MAX];
    int r = cnet_block_list_rule(list, i, buf, sizeof(buf));
    trace("rule %s", r < 0 ? cnet_err_name(r) : buf);
  }
}

/* blockList.check(new SocketAddress({address, family})) in Node; in cnet a
 * SocketAddress's struct sockaddr, as a server would check a peer. */
static const char *check_sockaddr(const cnet_block_list *list,
                                  const char *address, int family) {
  cnet_socket_address sa;
  cnet_socket_address_options opts = {address, 0, family, 0};
  int r = cnet_socket_address_init(&sa, &opts);
  if (r < 0) return cnet_err_name(r);
  return boolean(cnet_block_list_check_sockaddr(
      list, cnet_socket_address_sockaddr(&sa, NULL)));
}

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const v4[] = {
    "0.0.0.0", "1.2.3.4", "1.2.3.5", "10.0.0.0", "10.0.0.1", "10.0.0.10",
    "10.0.0.255", "10.0.1.0", "10.255.255.255", "11.0.0.0", "127.0.0.1",
    "170.85.170.85", "192.168.1.1", "255.255.255.255", "9.255.255.255",
    "128.0.0.0", "127.255.255.255", "1.2.3.255", "1.2.2.0"};
static const char *const v6[] = {
    "::", "::1", "::2", "::ffff:1.2.3.4", "::ffff:10.0.0.1",
    "::ffff:10.0.0.255", "::ffff:0.0.0.0", "::ffff:255.255.255.255",
    "::1.2.3.4", "fe80::1", "fe80::2", "fe80::ffff:1.2.3.4", "2001:db8::",
    "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8592:757c:efae:4e45::1",
    "::fffe:1.2.3.4", "0:0:0:0:0:1:ffff:1.2.3.4", "::ffff:170.85.170.85",
    "::ffff:1.2.2.0", "::ffff:127.255.255.255"};
static const int prefixes4[] = {0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32};
static const int prefixes6[] = {0,  1,  8,  63,  64,  65,  80,  81, 95,
                                96, 97, 104, 111, 112, 120, 127, 128};

static void generated(void) {
  for (int n = 0; n < 300; n++) {
    cnet_block_list *list;
    if (cnet_block_list_new(&list) != 0) abort();
    uint32_t rules = 1 + next() % 5;
    for (uint32_t k = 0; k < rules; k++) {
      int six = next() % 2 == 1;
      const char *const *pool = six ? v6 : v4;
      uint32_t size = six ? COUNT(v6) : COUNT(v4);
      int family = six ? 6 : 4;
      int r;
      switch (next() % 3) {
      case 0:
        r = cnet_block_list_add_address(list, pool[next() % size], family);
        break;
      case 1: {
        const char *s = pool[next() % size];
        const char *e = pool[next() % size];
        r = cnet_block_list_add_range(list, s, e, family);
        break;
      }
      default: {
        const char *net = pool[next() % size];
        int prefix = six ? prefixes6[next() % COUNT(prefixes6)]
                         : prefixes4[next() % COUNT(prefixes4)];
        r = cnet_block_list_add_subnet(list, net, prefix, family);
      }
      }
      if (r != 0) trace("gen %d add %s", n, result(r));
    }
    print_rules(list);
    char bits[COUNT(v4) + COUNT(v6) + 2];
    size_t b = 0;
    for (size_t i = 0; i < COUNT(v4); i++)
      bits[b++] = (char)('0' + cnet_block_list_check(list, v4[i], 4));
    bits[b++] = ' ';
    for (size_t i = 0; i < COUNT(v6); i++)
      bits[b++] = (char)('0' + cnet_block_list_check(list, v6[i], 6));
    bits[b] = '\0';
    trace("gen %d check %s", n, bits);
    cnet_block_list_free(list);
  }
}

int main(void) {
  trace_init();
  char path[4096];
  snprintf(path, sizeof(path), "%s", __FILE__);
  char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash + 1 - path) : 0;
  snprintf(path + dir, sizeof(path) - dir, "blocklist_cases.txt");
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    perror(path);
    return 1;
  }

  cnet_block_list *list;
  if (cnet_block_list_new(&list) != 0) return 1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, f)) >= 0) {
    if (got > 0 && line[got - 1] == '\n') line[--got] = '\0';
    if (line[0] == '\0' || line[0] == '#') continue;
    char shown[512];
    snprintf(shown, sizeof(shown), "%s", line);
    char *a[MAX_TOKENS];
    int n = tokens(line, a);
    const char *op = a[0], *r;
    if (strcmp(op, "new") == 0) {
      cnet_block_list_free(list);
      if (cnet_block_list_new(&list) != 0) return 1;
      trace("new");
      continue;
    }
    if (strcmp(op, "rules") == 0) {
      print_rules(list);
      continue;
    }
    if (strcmp(op, "addAddress") == 0 && n == 3) {
      r = result(cnet_block_list_add_address(list, a[1], family_of(a[2])));
    } else if (strcmp(op, "addRange") == 0 && n == 4) {
      r = result(
          cnet_block_list_add_range(list, a[1], a[2], family_of(a[3])));
    } else if (strcmp(op, "addSubnet") == 0 && n == 4) {
      r = result(cnet_block_list_add_subnet(list, a[1], atoi(a[2]),
                                            family_of(a[3])));
    } else if (strcmp(op, "check") == 0 && n == 3) {
      r = boolean(cnet_block_list_check(list, a[1], family_of(a[2])));
    } else if (strcmp(op, "checksa") == 0 && n == 3) {
      r = check_sockaddr(list, a[1], family_of(a[2]));
    } else {
      fprintf(stderr, "unknown operation: %s\n", shown);
      return 1;
    }
    trace("%s => %s", shown, r);
  }
  free(line);
  fclose(f);
  cnet_block_list_free(list);

  generated();
  return 0;
}

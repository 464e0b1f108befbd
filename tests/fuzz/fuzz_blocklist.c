/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: net.BlockList (cnet_block_list_*), the rules a server checks
 * every peer against.
 *
 * Input: a list of operations. Each adds an address, a range or a subnet,
 * or checks an address; the texts are either made from fuzzer bytes as
 * valid addresses (so that rules exist at all) or taken raw from the input
 * (so that the parser is exercised). Properties:
 *  - an add succeeds exactly when SocketAddress accepts the text(s) for
 *    that family (and start <= end, and the prefix is in range), and a
 *    failed add adds nothing;
 *  - what was added is blocked: the address (and its IPv4-mapped or
 *    unmapped twin), a range's ends and middle, a subnet's network and any
 *    address sharing its prefix;
 *  - every check agrees with a model written here from Node's rules
 *    (SocketAddress compare and is_in_network), on probes right at and
 *    just beyond the rules' edges; check_sockaddr agrees with check;
 *  - the rules are listed newest first in Node's text, which names the
 *    rule that was added. */
#include <arpa/inet.h>

#include <cnet.h>

#include "fuzz.h"

#define MAX_RULES 64

typedef struct bin {
  int family;     /* 4 or 6 */
  uint8_t b[16];  /* an IPv4 address in b[0..3] */
} bin;

enum { R_ADDRESS, R_RANGE, R_SUBNET };

typedef struct model_rule {
  int kind;
  bin a, b;
  int prefix;
} model_rule;

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_mapped(const bin *x) {
  return x->family == 6 && memcmp(x->b, mapped_prefix, 12) == 0;
}

static void to_text(const bin *x, char *out, size_t size) {
  if (!inet_ntop(x->family == 4 ? AF_INET : AF_INET6, x->b, out,
                 (socklen_t)size))
    abort();
}

/* Parses as the BlockList does (SocketAddress's parser, fuzzed on its own
 * in fuzz_addr). */
static bool parse_bin(const char *text, int family, bin *out) {
  cnet_socket_address sa;
  cnet_socket_address_options o = {.address = text, .family = family};
  if (cnet_socket_address_init(&sa, &o) != 0) return false;
  memset(out, 0, sizeof *out);
  out->family = sa.family;
  if (sa.family == 4) {
    struct sockaddr_in in;
    memcpy(&in, &sa.storage, sizeof in);
    memcpy(out->b, &in.sin_addr, 4);
  } else {
    struct sockaddr_in6 in6;
    memcpy(&in6, &sa.storage, sizeof in6);
    memcpy(out->b, &in6.sin6_addr, 16);
  }
  return true;
}

/* Node's SocketAddress compare: -1, 0, 1, or 2 when an IPv4 address meets
 * an IPv6 one that is not IPv4-mapped. */
static int model_compare(const bin *x, const bin *y) {
  const uint8_t *p = x->b, *q = y->b;
  size_t n = 16;
  if (x->family != y->family) {
    const bin *v6 = x->family == 6 ? x : y;
    if (!is_mapped(v6)) return 2;
    p = x->family == 6 ? x->b + 12 : x->b;
    q = y->family == 6 ? y->b + 12 : y->b;
    n = 4;
  } else if (x->family == 4) {
    n = 4;
  }
  for (size_t i = 0; i < n; i++)
    if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
  return 0;
}

static bool bits_equal(const uint8_t *p, const uint8_t *q, int bits) {
  for (int i = 0; i < bits; i++) {
    int m = 0x80 >> (i % 8);
    if ((p[i / 8] & m) != (q[i / 8] & m)) return false;
  }
  return true;
}

/* Node's SocketAddress is_in_network, compared across families on the
 * IPv4-mapped form. */
static bool model_in_network(const bin *x, const bin *net, int prefix) {
  if (x->family == net->family) return bits_equal(x->b, net->b, prefix);
  if (net->family == 6) {
    uint8_t m[16];
    memcpy(m, mapped_prefix, 12);
    memcpy(m + 12, x->b, 4);
    return bits_equal(m, net->b, prefix);
  }
  return is_mapped(x) && bits_equal(x->b + 12, net->b, prefix);
}

static bool model_applies(const model_rule *r, const bin *x) {
  switch (r->kind) {
  case R_ADDRESS:
    return model_compare(&r->a, x) == 0;
  case R_RANGE: {
    int lo = model_compare(x, &r->a), hi = model_compare(x, &r->b);
    return (lo == 0 || lo == 1) && (hi == 0 || hi == -1);
  }
  default:
    return model_in_network(x, &r->a, r->prefix);
  }
}

typedef struct state {
  cnet_block_list *list;
  model_rule rules[MAX_RULES];
  size_t count;
} state;

static bool model_check(const state *st, const bin *x) {
  for (size_t i = 0; i < st->count; i++)
    if (model_applies(&st->rules[i], x)) return true;
  return false;
}

/* Checks one probe through both entry points against the model. */
static void probe(const state *st, const bin *x) {
  char text[INET6_ADDRSTRLEN];
  to_text(x, text, sizeof text);
  int expect = model_check(st, x);
  FUZZ_CHECK(cnet_block_list_check(st->list, text, x->family) == expect);
  if (x->family == 4)
    FUZZ_CHECK(cnet_block_list_check(st->list, text, 0) == expect);
  /* The wrong family for the text: never parses, never blocked. */
  FUZZ_CHECK(cnet_block_list_check(st->list, text, x->family == 4 ? 6 : 4) == 0);
  if (x->family == 4) {
    struct sockaddr_in in = {.sin_family = AF_INET};
    memcpy(&in.sin_addr, x->b, 4);
    FUZZ_CHECK(cnet_block_list_check_sockaddr(st->list, (struct sockaddr *)&in) ==
               expect);
  } else {
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    memcpy(&in6.sin6_addr, x->b, 16);
    FUZZ_CHECK(cnet_block_list_check_sockaddr(st->list, (struct sockaddr *)&in6) ==
               expect);
  }
}

/* x plus delta (+1 or -1), wrapping, over the family's width. */
static bin step(const bin *x, int delta) {
  bin y = *x;
  for (int i = (x->family == 4 ? 4 : 16) - 1; i >= 0; i--) {
    int v = y.b[i] + delta;
    y.b[i] = (uint8_t)v;
    if (v >= 0 && v <= 255) break;
  }
  return y;
}

/* The IPv4-mapped IPv6 twin of an IPv4 address and the other way round
 * (false if x is IPv6 but not mapped). */
static bool twin(const bin *x, bin *out) {
  memset(out, 0, sizeof *out);
  if (x->family == 4) {
    out->family = 6;
    memcpy(out->b, mapped_prefix, 12);
    memcpy(out->b + 12, x->b, 4);
    return true;
  }
  if (!is_mapped(x)) return false;
  out->family = 4;
  memcpy(out->b, x->b + 12, 4);
  return true;
}

/* Probes x, its neighbours and its twin. */
static void probe_around(const state *st, const bin *x) {
  bin t;
  probe(st, x);
  bin up = step(x, 1), down = step(x, -1);
  probe(st, &up);
  probe(st, &down);
  if (twin(x, &t)) probe(st, &t);
}

/* An address from the fuzzer's bytes: IPv4, IPv6, or IPv4-mapped IPv6
 * (the form where the families meet). */
static bin make_bin(fuzz_reader *in, int family) {
  bin x;
  memset(&x, 0, sizeof x);
  x.family = family;
  if (family == 4) {
    for (int i = 0; i < 4; i++) x.b[i] = fuzz_u8(in);
    return x;
  }
  uint8_t how = fuzz_u8(in);
  if (how & 1) {
    memcpy(x.b, mapped_prefix, 12);
    for (int i = 12; i < 16; i++) x.b[i] = fuzz_u8(in);
  } else {
    /* Runs of zeros make "::" in every position. */
    for (int i = 0; i < 16; i++) x.b[i] = (how >> (1 + i / 4)) & 1 ? 0 : fuzz_u8(in);
  }
  return x;
}

/* The text of an operand: a valid address made from bytes, or raw text. */
static const char *operand(fuzz_reader *in, bool raw, int family, char *buf,
                           size_t size) {
  if (raw) return fuzz_string(in, buf, size);
  bin x = make_bin(in, family == 6 ? 6 : 4);
  to_text(&x, buf, size);
  return buf;
}

static void check_listing(const state *st) {
  size_t n = cnet_block_list_rule_count(st->list);
  FUZZ_CHECK(n == st->count);
  for (size_t i = 0; i < n; i++) {
    const model_rule *r = &st->rules[n - 1 - i]; /* newest first */
    char got[CNET_BLOCK_LIST_RULE_MAX], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
    char expect[CNET_BLOCK_LIST_RULE_MAX + 64];
    int len = cnet_block_list_rule(st->list, i, got, sizeof got);
    FUZZ_CHECK(len > 0 && (size_t)len == strlen(got));
    char small[CNET_BLOCK_LIST_RULE_MAX];
    FUZZ_CHECK(cnet_block_list_rule(st->list, i, small, (size_t)len) == CNET_ENOBUFS);
    to_text(&r->a, a, sizeof a);
    const char *fam = r->a.family == 4 ? "IPv4" : "IPv6";
    if (r->kind == R_ADDRESS) {
      snprintf(expect, sizeof expect, "Address: %s %s", fam, a);
    } else if (r->kind == R_RANGE) {
      to_text(&r->b, b, sizeof b);
      snprintf(expect, sizeof expect, "Range: %s %s-%s", fam, a, b);
    } else {
      snprintf(expect, sizeof expect, "Subnet: %s %s/%d", fam, a, r->prefix);
    }
    FUZZ_CHECK(strcmp(got, expect) == 0);
  }
  char buf[CNET_BLOCK_LIST_RULE_MAX];
  FUZZ_CHECK(cnet_block_list_rule(st->list, n, buf, sizeof buf) ==
             CNET_ERR_OUT_OF_RANGE);
}

static void add_rule(state *st, const model_rule *r) {
  FUZZ_CHECK(st->count < MAX_RULES);
  st->rules[st->count++] = *r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader in = fuzz_reader_init(data, size);
  state st = {0};
  FUZZ_CHECK(cnet_block_list_new(&st.list) == 0);
  static const int families[4] = {4, 6, 0, 5};

  for (int ops = 0; in.left > 0 && ops < 48; ops++) {
    uint8_t op = fuzz_u8(&in);
    int kind = op & 3;
    int family = families[(op >> 2) & 3];
    bool raw = (op >> 4) & 1;
    int fam = family == 6 ? 6 : 4;
    bool family_ok = family == 0 || family == 4 || family == 6;
    char t1[256], t2[256];
    size_t before = cnet_block_list_rule_count(st.list);
    model_rule r = {.kind = kind};

    if (kind == 0) {
      const char *a = operand(&in, raw, family, t1, sizeof t1);
      int rc = cnet_block_list_add_address(st.list, a, family);
      bool ok = family_ok && parse_bin(a, fam, &r.a);
      FUZZ_CHECK(rc == (!family_ok ? CNET_ERR_INVALID_ARG_VALUE
                        : ok       ? 0
                                   : CNET_ERR_INVALID_ADDRESS));
      if (ok) {
        add_rule(&st, &r);
        FUZZ_CHECK(cnet_block_list_check(st.list, a, family) == 1);
        probe_around(&st, &r.a);
      }
    } else if (kind == 1) {
      const char *a = operand(&in, raw, family, t1, sizeof t1);
      const char *b = operand(&in, raw, family, t2, sizeof t2);
      int rc = cnet_block_list_add_range(st.list, a, b, family);
      bool ok = family_ok && parse_bin(a, fam, &r.a) && parse_bin(b, fam, &r.b);
      bool ordered = ok && model_compare(&r.a, &r.b) != 1;
      FUZZ_CHECK(rc == (!family_ok ? CNET_ERR_INVALID_ARG_VALUE
                        : !ok      ? CNET_ERR_INVALID_ADDRESS
                        : ordered  ? 0
                                   : CNET_ERR_INVALID_ARG_VALUE));
      if (ordered) {
        r.kind = R_RANGE;
        add_rule(&st, &r);
        FUZZ_CHECK(cnet_block_list_check(st.list, a, family) == 1);
        FUZZ_CHECK(cnet_block_list_check(st.list, b, family) == 1);
        /* The middle: start + end, then halved (a shift right by one that
         * brings the sum's carry in at the top). */
        bin mid = r.a;
        int width = fam == 4 ? 4 : 16;
        unsigned carry = 0;
        for (int i = width - 1; i >= 0; i--) {
          unsigned sum = (unsigned)r.a.b[i] + r.b.b[i] + carry;
          mid.b[i] = (uint8_t)sum;
          carry = sum >> 8;
        }
        for (int i = 0; i < width; i++) {
          unsigned low = mid.b[i] & 1;
          mid.b[i] = (uint8_t)(carry << 7 | mid.b[i] >> 1);
          carry = low;
        }
        FUZZ_CHECK(model_applies(&r, &mid));
        probe(&st, &mid);
        probe_around(&st, &r.a);
        probe_around(&st, &r.b);
      }
    } else if (kind == 2) {
      const char *a = operand(&in, raw, family, t1, sizeof t1);
      uint8_t p = fuzz_u8(&in);
      /* Mostly in range for the family, sometimes just outside. */
      int prefix = (p & 0x80) ? (int)(p & 0x7f) * 3 - 10 : (int)(p % (fam == 4 ? 33 : 129));
      int rc = cnet_block_list_add_subnet(st.list, a, prefix, family);
      bool ok = family_ok && parse_bin(a, fam, &r.a);
      bool in_range = prefix >= 0 && prefix <= (fam == 4 ? 32 : 128);
      FUZZ_CHECK(rc == (!family_ok ? CNET_ERR_INVALID_ARG_VALUE
                        : !ok      ? CNET_ERR_INVALID_ADDRESS
                        : in_range ? 0
                                   : CNET_ERR_OUT_OF_RANGE));
      if (ok && in_range) {
        r.kind = R_SUBNET;
        r.prefix = prefix;
        add_rule(&st, &r);
        FUZZ_CHECK(cnet_block_list_check(st.list, a, family) == 1);
        /* Same prefix, other host bits: inside. The first host bit
         * flipped in the network: outside this rule (maybe not others). */
        int width = fam == 4 ? 32 : 128;
        bin inside = r.a, edge = r.a;
        for (int i = prefix; i < width; i++)
          if (fuzz_u8(&in) & 1) inside.b[i / 8] ^= (uint8_t)(0x80 >> (i % 8));
        FUZZ_CHECK(model_applies(&r, &inside));
        probe(&st, &inside);
        if (prefix > 0) {
          edge.b[(prefix - 1) / 8] ^= (uint8_t)(0x80 >> ((prefix - 1) % 8));
          FUZZ_CHECK(!model_applies(&r, &edge));
          probe(&st, &edge);
        }
        probe_around(&st, &r.a);
      }
    } else {
      /* A check of raw text, or of a made address and its neighbours. */
      if (raw) {
        const char *a = fuzz_string(&in, t1, sizeof t1);
        bin x;
        int expect = family_ok && parse_bin(a, fam, &x) ? model_check(&st, &x) : 0;
        FUZZ_CHECK(cnet_block_list_check(st.list, a, family) == expect);
      } else {
        bin x = make_bin(&in, fam);
        probe_around(&st, &x);
      }
    }
    FUZZ_CHECK(cnet_block_list_rule_count(st.list) == st.count);
    FUZZ_CHECK(st.count == before || st.count == before + 1);
  }
  check_listing(&st);
  cnet_block_list_free(st.list);
  return 0;
}

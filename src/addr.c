/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Addresses: Node's net.isIP family of checks, net.SocketAddress and
 * net.BlockList. This file owns cnet's text <-> binary conversions for IPv4
 * and IPv6; they are written here, rather than taken from inet_pton and
 * inet_ntop, because Node's answers come from its own regular expressions
 * and from libuv's parser and printer, and the C library's differ at the
 * edges (zone ids, which addresses print with an embedded IPv4). */
#include "errors.h"
#include "cnet/addr.h"
#include "cnet/errors.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Characters. Written out so that the locale cannot change the answers.  */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Node's zone id class, [0-9a-zA-Z-.:]: in a JavaScript character class a
 * '-' right after a range is a literal, so this is letters, digits, '-',
 * '.' and ':'. */
static int is_zone_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '-' || c == '.' || c == ':';
}

/* ---------------------------------------------------------------------- */
/* Parsing. Both parsers take a span (not a NUL-terminated string) so that
 * the IPv6 parser can hand the tail of its input to the IPv4 one, and so
 * that a zone id can be cut off without copying. They accept exactly the
 * language of Node's IPv4Reg and of IPv6Reg without its zone suffix, which
 * is also the language libuv's inet_pton accepts. */

/* Four decimal numbers 0-255 separated by dots; a number is "0" or starts
 * with 1-9 (Node's regex has no leading zeros and neither has libuv). */
static int parse_ipv4(const char *s, size_t n, uint8_t out[4]) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || s[i] != '.') return 0;
      i++;
    }
    size_t start = i;
    unsigned value = 0;
    while (i < n && is_digit(s[i]) && i - start < 3) {
      value = value * 10 + (unsigned)(s[i] - '0');
      i++;
    }
    size_t len = i - start;
    if (len == 0 || value > 255) return 0;
    if (len > 1 && s[start] == '0') return 0;
    out[part] = (uint8_t)value;
  }
  return i == n;
}

/* RFC 4291 text: eight groups of 1-4 hex digits, or fewer with one "::"
 * standing for at least one zero group; the last 32 bits may be written as
 * an IPv4 address. */
static int parse_ipv6(const char *s, size_t n, uint8_t out[16]) {
  uint16_t groups[8];
  int count = 0;     /* groups parsed, an embedded IPv4 counting as two */
  int gap_at = -1;   /* index in groups[] where "::" stands, or -1      */
  size_t i = 0;

  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    gap_at = 0;
    i = 2;
  } else if (n >= 1 && s[0] == ':') {
    return 0;
  }

  while (i < n) {
    size_t j = i;
    unsigned value = 0;
    while (j < n && hex_value(s[j]) >= 0) {
      value = (value << 4) | (unsigned)hex_value(s[j]);
      j++;
      if (j - i > 4) return 0;
    }
    if (j < n && s[j] == '.') {
      /* An embedded IPv4 address: it must run to the end. */
      if (count > 6) return 0;
      uint8_t v4[4];
      if (!parse_ipv4(s + i, n - i, v4)) return 0;
      groups[count++] = (uint16_t)(v4[0] << 8 | v4[1]);
      groups[count++] = (uint16_t)(v4[2] << 8 | v4[3]);
      i = n;
      break;
    }
    if (j == i || count == 8) return 0;
    groups[count++] = (uint16_t)value;
    if (j == n) {
      i = n;
      break;
    }
    if (s[j] != ':') return 0;
    if (j + 1 < n && s[j + 1] == ':') {
      if (gap_at >= 0) return 0; /* a second "::" */
      gap_at = count;
      i = j + 2;
      continue; /* "::" may end the address */
    }
    i = j + 1;
    if (i == n) return 0; /* a single trailing ':' */
  }

  if (gap_at < 0) {
    if (count != 8) return 0;
  } else if (count > 7) {
    return 0; /* "::" must stand for at least one group */
  }

  int zeros = 8 - count;
  int k = 0;
  for (int g = 0; g < count; g++) {
    if (g == gap_at)
      for (int z = 0; z < zeros; z++) out[2 * k] = 0, out[2 * k + 1] = 0, k++;
    out[2 * k] = (uint8_t)(groups[g] >> 8);
    out[2 * k + 1] = (uint8_t)groups[g];
    k++;
  }
  if (gap_at == count)
    for (int z = 0; z < zeros; z++) out[2 * k] = 0, out[2 * k + 1] = 0, k++;
  return 1;
}

/* ---------------------------------------------------------------------- */
/* net.isIP()                                                              */

int cnet_is_ipv4(const char *input) {
  uint8_t b[4];
  return input != NULL && parse_ipv4(input, strlen(input), b);
}

int cnet_is_ipv6(const char *input) {
  if (input == NULL) return 0;
  uint8_t b[16];
  const char *zone = strchr(input, '%');
  if (zone == NULL) return parse_ipv6(input, strlen(input), b);
  /* Node's regex: '%' then one or more zone characters, to the end. */
  if (zone[1] == '\0') return 0;
  for (const char *p = zone + 1; *p; p++)
    if (!is_zone_char(*p)) return 0;
  return parse_ipv6(input, (size_t)(zone - input), b);
}

int cnet_is_ip(const char *input) {
  if (cnet_is_ipv4(input)) return 4;
  if (cnet_is_ipv6(input)) return 6;
  return 0;
}

int cnet_family_from_string(const char *family) {
  if (family == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  /* Node lower-cases the string, then compares. */
  char lower[5];
  size_t n = strlen(family);
  if (n != 4) return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  for (size_t i = 0; i < n; i++) {
    char c = family[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  lower[4] = '\0';
  if (strcmp(lower, "ipv4") == 0) return 4;
  if (strcmp(lower, "ipv6") == 0) return 6;
  return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
}

/* ---------------------------------------------------------------------- */
/* Binary addresses as Node's SocketAddress holds them.                   */

typedef struct {
  int family;      /* 4 or 6 */
  uint8_t b[16];   /* network order; an IPv4 address uses b[0..3] */
  uint32_t scope;  /* IPv6 scope id from the zone, else 0 */
} addr_bin;

/* 0 for 0, 4 or 6 (0 is Node's omitted family, 'ipv4'), else the error
 * Node's SocketAddress constructor throws for options.family. */
static int check_family(int family) {
  if (family == 0 || family == 4) return 4;
  if (family == 6) return 6;
  return CNET_ERR_INVALID_ARG_VALUE;
}

/* The address text as libuv's uv_ip4_addr / uv_ip6_addr read it, which is
 * what Node's SocketAddress (and so BlockList) accepts. For IPv6 libuv cuts
 * the text at the first '%', takes the rest as an interface name for the
 * scope id (any characters; unknown names give 0), and copies the address
 * part into a 40-byte buffer, silently truncating it to 39 characters:
 * Node accepts "1111:2222:3333:4444:5555:6666:7777:88889%x" as the address
 * ending in 8888. cnet does the same so that it refuses and accepts
 * exactly what Node does. */
#define LIBUV_ADDRESS_PART_MAX 39

static int parse_address(const char *text, int family, addr_bin *out) {
  memset(out, 0, sizeof(*out));
  out->family = family;
  if (family == 4)
    return parse_ipv4(text, strlen(text), out->b) ? 0
                                                 : CNET_ERR_INVALID_ADDRESS;
  const char *zone = strchr(text, '%');
  size_t n = zone ? (size_t)(zone - text) : strlen(text);
  if (zone && n > LIBUV_ADDRESS_PART_MAX) n = LIBUV_ADDRESS_PART_MAX;
  if (!parse_ipv6(text, n, out->b)) return CNET_ERR_INVALID_ADDRESS;
  if (zone) out->scope = if_nametoindex(zone + 1);
  return 0;
}

/* libuv's (and BSD's) inet_ntop6: lowercase hex without leading zeros, the
 * first longest run of two or more zero groups shown as "::", and the last
 * 32 bits in dotted form for IPv4-mapped (::ffff:a.b.c.d) and the old
 * IPv4-compatible (::a.b.c.d, but not ::1 or ::) addresses. */
static void format_ipv6(const uint8_t b[16], char out[CNET_ADDRESS_STRLEN]) {
  uint16_t w[8];
  for (int i = 0; i < 8; i++) w[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);

  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) j++;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best = -1;

  char *p = out;
  for (int i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) *p++ = ':';
      continue;
    }
    if (i != 0) *p++ = ':';
    if (i == 6 && best == 0 &&
        (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
      p += sprintf(p, "%u.%u.%u.%u", (unsigned)b[12], (unsigned)b[13],
                   (unsigned)b[14], (unsigned)b[15]);
      break;
    }
    p += sprintf(p, "%x", (unsigned)w[i]);
  }
  if (best >= 0 && best + best_len == 8) *p++ = ':';
  *p = '\0';
}

static void format_address(const addr_bin *a, char out[CNET_ADDRESS_STRLEN]) {
  if (a->family == 4)
    sprintf(out, "%u.%u.%u.%u", (unsigned)a->b[0], (unsigned)a->b[1],
            (unsigned)a->b[2], (unsigned)a->b[3]);
  else
    format_ipv6(a->b, out);
}

/* From a struct sockaddr; 0 or CNET_EAFNOSUPPORT. */
static int bin_from_sockaddr(const struct sockaddr *sa, addr_bin *out) {
  memset(out, 0, sizeof(*out));
  if (sa->sa_family == AF_INET) {
    struct sockaddr_in in;
    memcpy(&in, sa, sizeof(in));
    out->family = 4;
    memcpy(out->b, &in.sin_addr, 4);
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    struct sockaddr_in6 in6;
    memcpy(&in6, sa, sizeof(in6));
    out->family = 6;
    memcpy(out->b, &in6.sin6_addr, 16);
    out->scope = in6.sin6_scope_id;
    return 0;
  }
  return CNET_EAFNOSUPPORT;
}

/* ---------------------------------------------------------------------- */
/* Class: net.SocketAddress                                                */

#define FLOWLABEL_MAX 0xfffffu /* 20 bits, Node's kLabelMask */

static void socket_address_fill(cnet_socket_address *sa, const addr_bin *a,
                                int port, uint32_t flowlabel) {
  memset(sa, 0, sizeof(*sa));
  format_address(a, sa->address);
  sa->port = port;
  sa->family = a->family;
  if (a->family == 4) {
    struct sockaddr_in in;
    memset(&in, 0, sizeof(in));
    in.sin_family = AF_INET;
    in.sin_port = htons((uint16_t)port);
    memcpy(&in.sin_addr, a->b, 4);
    memcpy(&sa->storage, &in, sizeof(in));
  } else {
    struct sockaddr_in6 in6;
    memset(&in6, 0, sizeof(in6));
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons((uint16_t)port);
    in6.sin6_flowinfo = htonl(flowlabel);
    in6.sin6_scope_id = a->scope;
    memcpy(&in6.sin6_addr, a->b, 16);
    memcpy(&sa->storage, &in6, sizeof(in6));
    sa->flowlabel = flowlabel;
  }
}

int cnet_socket_address_init(cnet_socket_address *sa,
                             const cnet_socket_address_options *opts) {
  static const cnet_socket_address_options defaults;
  if (sa == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  if (opts == NULL) opts = &defaults;

  /* Node's order: family, address type, port, flow label type; then the
   * address itself is parsed in C++, and last the flow label's range. */
  int family = check_family(opts->family);
  if (family < 0) return family;
  const char *text = opts->address;
  if (text == NULL) text = family == 4 ? "127.0.0.1" : "::";
  if (opts->port < 0 || opts->port > 65535) return cnet__fail(CNET_ERR_SOCKET_BAD_PORT, NULL);

  addr_bin a;
  int r = parse_address(text, family, &a);
  if (r < 0) return r;
  if (family == 6 && opts->flowlabel > FLOWLABEL_MAX)
    return cnet__fail(CNET_ERR_OUT_OF_RANGE, NULL);
  socket_address_fill(sa, &a, opts->port, family == 6 ? opts->flowlabel : 0);
  return 0;
}

int cnet_socket_address_from_sockaddr(cnet_socket_address *sa,
                                      const struct sockaddr *addr) {
  if (sa == NULL || addr == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  addr_bin a;
  int r = bin_from_sockaddr(addr, &a);
  if (r < 0) return r;
  int port;
  uint32_t flowlabel = 0;
  if (a.family == 4) {
    struct sockaddr_in in;
    memcpy(&in, addr, sizeof(in));
    port = ntohs(in.sin_port);
  } else {
    struct sockaddr_in6 in6;
    memcpy(&in6, addr, sizeof(in6));
    port = ntohs(in6.sin6_port);
    flowlabel = ntohl(in6.sin6_flowinfo) & FLOWLABEL_MAX;
  }
  socket_address_fill(sa, &a, port, flowlabel);
  return 0;
}

const struct sockaddr *cnet_socket_address_sockaddr(
    const cnet_socket_address *sa, socklen_t *len) {
  if (len)
    *len = sa->family == 4 ? (socklen_t)sizeof(struct sockaddr_in)
                           : (socklen_t)sizeof(struct sockaddr_in6);
  return (const struct sockaddr *)&sa->storage;
}

int cnet_socket_address_parse(cnet_socket_address *sa, const char *input) {
  if (sa == NULL || input == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  cnet_socket_address_options opts = {NULL, 0, 4, 0};
  /* Room for the longest address libuv reads plus a zone id. */
  char host[256];
  const char *rest;

  if (input[0] == '[') {
    const char *close = strchr(input, ']');
    if (close == NULL) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    size_t n = (size_t)(close - input - 1);
    if (n == 0 || n >= sizeof(host)) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    memcpy(host, input + 1, n);
    host[n] = '\0';
    /* The zone rule of isIPv6 here, not libuv's looser one: text between
     * brackets should look like an address to a reader too. */
    if (!cnet_is_ipv6(host)) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    opts.family = 6;
    rest = close + 1;
  } else {
    const char *colon = strchr(input, ':');
    size_t n = colon ? (size_t)(colon - input) : strlen(input);
    if (n == 0 || n >= sizeof(host)) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    memcpy(host, input, n);
    host[n] = '\0';
    if (!cnet_is_ipv4(host)) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    rest = input + n;
  }

  if (*rest != '\0') {
    if (*rest != ':') return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    rest++;
    size_t digits = strlen(rest);
    if (digits == 0 || digits > 5) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
    long port = 0;
    for (size_t i = 0; i < digits; i++) {
      if (!is_digit(rest[i])) return cnet__fail(CNET_ERR_INVALID_ADDRESS, NULL);
      port = port * 10 + (rest[i] - '0');
    }
    if (port > 65535) return cnet__fail(CNET_ERR_SOCKET_BAD_PORT, NULL);
    opts.port = (int)port;
  }
  opts.address = host;
  return cnet_socket_address_init(sa, &opts);
}

int cnet_socket_address_format(const cnet_socket_address *sa, char *buf,
                               size_t size) {
  int n = snprintf(buf, size, sa->family == 6 ? "[%s]:%d" : "%s:%d",
                   sa->address, sa->port);
  if (n < 0 || (size_t)n >= size) return cnet__fail(CNET_ENOBUFS, NULL);
  return n;
}

/* ---------------------------------------------------------------------- */
/* Class: net.BlockList                                                    */

enum rule_kind { RULE_ADDRESS, RULE_RANGE, RULE_SUBNET };

typedef struct {
  enum rule_kind kind;
  addr_bin a;  /* the address, the range's start, or the network */
  addr_bin b;  /* the range's end */
  int prefix;  /* the subnet's prefix length */
} rule;

/* Rules are kept oldest first and read from the end, so that adding is an
 * append and the listing is Node's (newest first). */
struct cnet_block_list {
  rule *rules;
  size_t count;
  size_t capacity;
};

static const uint8_t v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};

static int is_v4_mapped(const addr_bin *a) {
  return a->family == 6 && memcmp(a->b, v4_mapped_prefix, 12) == 0;
}

/* The last four bytes of a mapped address, the four of an IPv4 one. */
static const uint8_t *v4_bytes(const addr_bin *a) {
  return a->family == 4 ? a->b : a->b + 12;
}

/* Node's SocketAddress::compare: <0, 0, >0, or NOT_COMPARABLE for an IPv4
 * address against an IPv6 one that is not IPv4-mapped. */
#define NOT_COMPARABLE 2

static int compare(const addr_bin *x, const addr_bin *y) {
  int r;
  if (x->family == y->family) {
    r = memcmp(x->b, y->b, x->family == 4 ? 4 : 16);
  } else {
    const addr_bin *v6 = x->family == 6 ? x : y;
    if (!is_v4_mapped(v6)) return NOT_COMPARABLE;
    r = memcmp(v4_bytes(x), v4_bytes(y), 4);
  }
  return (r > 0) - (r < 0);
}

/* Whether the first prefix bits of a and b agree. */
static int same_prefix(const uint8_t *a, const uint8_t *b, int prefix) {
  int whole = prefix / 8, bits = prefix % 8;
  if (memcmp(a, b, (size_t)whole) != 0) return 0;
  if (bits == 0) return 1;
  uint8_t mask = (uint8_t)(0xff << (8 - bits));
  return (a[whole] & mask) == (b[whole] & mask);
}

/* Node's SocketAddress::is_in_network. Across families the comparison is
 * made on the IPv4-mapped form: an IPv4 address against an IPv6 network is
 * mapped first; an IPv6 address against an IPv4 network must be mapped. */
static int in_network(const addr_bin *x, const addr_bin *net, int prefix) {
  if (x->family == net->family)
    return same_prefix(x->b, net->b, prefix);
  if (net->family == 6) {
    uint8_t mapped[16];
    memcpy(mapped, v4_mapped_prefix, 12);
    memcpy(mapped + 12, x->b, 4);
    return same_prefix(mapped, net->b, prefix);
  }
  return is_v4_mapped(x) && same_prefix(x->b + 12, net->b, prefix);
}

static int rule_applies(const rule *r, const addr_bin *x) {
  switch (r->kind) {
  case RULE_ADDRESS:
    return compare(&r->a, x) == 0;
  case RULE_RANGE: {
    /* address >= start && address <= end, where NOT_COMPARABLE is
     * neither. */
    int lo = compare(x, &r->a), hi = compare(x, &r->b);
    return (lo == 0 || lo == 1) && (hi == 0 || hi == -1);
  }
  case RULE_SUBNET:
    return in_network(x, &r->a, r->prefix);
  }
  return 0;
}

int cnet_block_list_new(cnet_block_list **out) {
  if (out == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  *out = calloc(1, sizeof(**out));
  return *out ? 0 : CNET_ENOMEM;
}

void cnet_block_list_free(cnet_block_list *list) {
  if (list == NULL) return;
  free(list->rules);
  free(list);
}

static int push_rule(cnet_block_list *list, const rule *r) {
  if (list->count == list->capacity) {
    size_t cap = list->capacity ? list->capacity * 2 : 8;
    rule *grown = realloc(list->rules, cap * sizeof(*grown));
    if (grown == NULL) return CNET_ENOMEM;
    list->rules = grown;
    list->capacity = cap;
  }
  list->rules[list->count++] = *r;
  return 0;
}

int cnet_block_list_add_address(cnet_block_list *list, const char *address,
                                int family) {
  if (list == NULL || address == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  int fam = check_family(family);
  if (fam < 0) return fam;
  rule r = {.kind = RULE_ADDRESS};
  int err = parse_address(address, fam, &r.a);
  if (err < 0) return err;
  return push_rule(list, &r);
}

int cnet_block_list_add_range(cnet_block_list *list, const char *start,
                              const char *end, int family) {
  if (list == NULL || start == NULL || end == NULL)
    return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  int fam = check_family(family);
  if (fam < 0) return fam;
  rule r = {.kind = RULE_RANGE};
  int err = parse_address(start, fam, &r.a);
  if (err == 0) err = parse_address(end, fam, &r.b);
  if (err < 0) return err;
  /* Node: "The argument 'start' must come before end." */
  if (compare(&r.a, &r.b) == 1) return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  return push_rule(list, &r);
}

int cnet_block_list_add_subnet(cnet_block_list *list, const char *net,
                               int prefix, int family) {
  if (list == NULL || net == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  int fam = check_family(family);
  if (fam < 0) return fam;
  rule r = {.kind = RULE_SUBNET, .prefix = prefix};
  int err = parse_address(net, fam, &r.a);
  if (err < 0) return err;
  if (prefix < 0 || prefix > (fam == 4 ? 32 : 128))
    return cnet__fail(CNET_ERR_OUT_OF_RANGE, NULL);
  return push_rule(list, &r);
}

static int check_bin(const cnet_block_list *list, const addr_bin *x) {
  for (size_t i = list->count; i-- > 0;)
    if (rule_applies(&list->rules[i], x)) return 1;
  return 0;
}

int cnet_block_list_check(const cnet_block_list *list, const char *address,
                          int family) {
  if (list == NULL || address == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  int fam = check_family(family);
  addr_bin x;
  /* Node catches the SocketAddress error and answers false. */
  if (fam < 0 || parse_address(address, fam, &x) < 0) return 0;
  return check_bin(list, &x);
}

int cnet_block_list_check_sockaddr(const cnet_block_list *list,
                                   const struct sockaddr *addr) {
  if (list == NULL || addr == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  addr_bin x;
  if (bin_from_sockaddr(addr, &x) < 0) return 0;
  return check_bin(list, &x);
}

size_t cnet_block_list_rule_count(const cnet_block_list *list) {
  return list ? list->count : 0;
}

int cnet_block_list_rule(const cnet_block_list *list, size_t i, char *buf,
                         size_t size) {
  if (list == NULL || buf == NULL) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  if (i >= list->count) return cnet__fail(CNET_ERR_OUT_OF_RANGE, NULL);
  const rule *r = &list->rules[list->count - 1 - i];
  const char *fam = r->a.family == 4 ? "IPv4" : "IPv6";
  char a[CNET_ADDRESS_STRLEN], b[CNET_ADDRESS_STRLEN];
  format_address(&r->a, a);
  int n = 0;
  switch (r->kind) {
  case RULE_ADDRESS:
    n = snprintf(buf, size, "Address: %s %s", fam, a);
    break;
  case RULE_RANGE:
    format_address(&r->b, b);
    n = snprintf(buf, size, "Range: %s %s-%s", fam, a, b);
    break;
  case RULE_SUBNET:
    n = snprintf(buf, size, "Subnet: %s %s/%d", fam, a, r->prefix);
    break;
  }
  if (n < 0 || (size_t)n >= size) return cnet__fail(CNET_ENOBUFS, NULL);
  return n;
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet addresses: Node's net.isIP / isIPv4 / isIPv6, net.SocketAddress and
 * net.BlockList, plus the text <-> struct sockaddr conversions that the net
 * and dgram code share. Everything here is synchronous and allocation-free
 * except a BlockList's rule table. Reference: docs/addr.md.
 *
 * Families. Node names a family with a string, 'ipv4' or 'ipv6' (any case).
 * cnet uses the number Node itself uses for isIP() and for
 * socket.address().family in other places: 4 or 6. 0 stands for "omitted"
 * and means 4, as Node's default family is 'ipv4'. Anything else is the
 * invalid family Node rejects with ERR_INVALID_ARG_VALUE.
 * cnet_family_from_string() converts Node's strings for callers that read
 * them from configuration. */
#ifndef CNET_ADDR_H
#define CNET_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------- */
/* net.isIP(), net.isIPv4(), net.isIPv6()                                  */

/* 4 for an IPv4 address in dotted-decimal form, 6 for an IPv6 address
 * (zone id allowed), 0 otherwise: exactly Node's answers, which are those of
 * the regular expressions in Node's lib/internal/net.js. In particular:
 *   - IPv4 is four decimal numbers 0-255 without leading zeros ("01.2.3.4"
 *     is not an address), nothing before or after;
 *   - IPv6 is the RFC 4291 text form (at most one "::", an embedded IPv4 in
 *     the last 32 bits, hex groups of 1 to 4 digits in either case),
 *     optionally followed by '%' and a zone id of one or more characters
 *     from [0-9a-zA-Z.:-] ("fe80::1%eth0" is 6, "fe80::1%eth0@1" is 0);
 *   - no whitespace is trimmed. NULL gives 0. */
int cnet_is_ip(const char *input);
/* 1 if cnet_is_ip(input) would return 4, else 0. */
int cnet_is_ipv4(const char *input);
/* 1 if cnet_is_ip(input) would return 6, else 0. */
int cnet_is_ipv6(const char *input);

/* Node's family strings: "ipv4" -> 4, "ipv6" -> 6, compared without regard
 * to case as Node does ("IPv6" is accepted). Anything else, NULL included,
 * returns CNET_ERR_INVALID_ARG_VALUE. */
int cnet_family_from_string(const char *family);

/* ---------------------------------------------------------------------- */
/* Class: net.SocketAddress                                                */

/* Longest address text cnet produces, NUL included (INET6_ADDRSTRLEN). */
#define CNET_ADDRESS_STRLEN 46
/* Longest "host:port" text cnet_socket_address_format produces, NUL
 * included: "[" address "]:" 65535. */
#define CNET_SOCKET_ADDRESS_STRLEN (CNET_ADDRESS_STRLEN + 3 + 5)

/* What `new net.SocketAddress(options)` takes. A zeroed struct gives Node's
 * defaults: { address: '127.0.0.1', port: 0, family: 'ipv4', flowlabel: 0 }. */
typedef struct cnet_socket_address_options {
  const char *address; /* NULL: "127.0.0.1" for family 4, "::" for 6       */
  int port;            /* 0 to 65535                                        */
  int family;          /* 4, 6, or 0 for 4                                  */
  uint32_t flowlabel;  /* IPv6 flow label, 0 to 0xfffff; ignored for IPv4   */
} cnet_socket_address_options;

/* A validated IPv4 or IPv6 socket address: Node's SocketAddress, whose
 * address, port, family and flowlabel properties are the fields here, and
 * the struct sockaddr that the system calls take. Plain data: copy it,
 * embed it, keep it on the stack; there is nothing to free. */
typedef struct cnet_socket_address {
  /* read-only: the address in canonical text form, as Node's `address`
   * property gives it ("::ffff:1.2.3.4", "fe80::1", never a zone id). */
  char address[CNET_ADDRESS_STRLEN];
  int port;           /* read-only: 0 to 65535                           */
  int family;         /* read-only: 4 or 6                               */
  uint32_t flowlabel; /* read-only: IPv6 flow label (host order), or 0   */
  /* read-only: the same address as a sockaddr_in or sockaddr_in6 (port,
   * flow label in network order, sin6_scope_id from the zone id). Use
   * cnet_socket_address_sockaddr() to pass it to a system call. */
  struct sockaddr_storage storage;
} cnet_socket_address;

/* new net.SocketAddress(options). opts may be NULL for all defaults.
 * Validates in Node's order and returns 0 or the first error found:
 *   CNET_ERR_INVALID_ARG_VALUE  family not 0, 4 or 6
 *   CNET_ERR_SOCKET_BAD_PORT    port outside 0-65535
 *   CNET_ERR_INVALID_ADDRESS    address not an address of that family
 *   CNET_ERR_OUT_OF_RANGE       IPv6 flow label above 0xfffff (Node aborts
 *                               the process there; cnet returns this)
 * The address is parsed as Node (libuv's uv_ip4_addr / uv_ip6_addr) parses
 * it, which is not quite cnet_is_ip(): a zone id may hold any character
 * and may be empty ("fe80::1%" is accepted), and an unknown interface name
 * gives scope id 0 rather than an error. On error *sa is left unchanged
 * (CNET_ERR_INVALID_ARG_TYPE if sa is NULL). */
int cnet_socket_address_init(cnet_socket_address *sa,
                             const cnet_socket_address_options *opts);

/* Fills *sa from a struct sockaddr the system returned (accept, recvfrom,
 * getsockname, ...): an AF_INET or AF_INET6 address. Returns 0, or
 * CNET_EAFNOSUPPORT for any other family (a Unix socket path, say). */
int cnet_socket_address_from_sockaddr(cnet_socket_address *sa,
                                      const struct sockaddr *addr);

/* The address as a struct sockaddr for bind/connect/sendto; *len (if not
 * NULL) receives its length, sizeof(struct sockaddr_in) or _in6. */
const struct sockaddr *cnet_socket_address_sockaddr(
    const cnet_socket_address *sa, socklen_t *len);

/* Parses "host:port" text: "1.2.3.4:80", "[::1]:80", or without the port
 * ("1.2.3.4", "[::1]"), which means port 0. An IPv6 address must be in
 * brackets, as in a URL; a zone id may follow it inside them
 * ("[fe80::1%eth0]:80"). The port is 1 to 5 decimal digits. Returns 0,
 * CNET_ERR_INVALID_ADDRESS if the text is not of that form, or
 * CNET_ERR_SOCKET_BAD_PORT if the port is above 65535.
 * (Node 20 has no SocketAddress.parse; Node 22's parses through the URL
 * parser and returns undefined on failure. cnet's is stricter: it takes
 * only IP literals, never host names or the URL parser's other IPv4 forms
 * such as "0x7f.1".) */
int cnet_socket_address_parse(cnet_socket_address *sa, const char *input);

/* Writes "1.2.3.4:80" or "[::1]:80" (Node's SocketAddress::ToString) into
 * buf. Returns the length written (without the NUL), or CNET_ENOBUFS if
 * size is too small; CNET_SOCKET_ADDRESS_STRLEN is always enough. */
int cnet_socket_address_format(const cnet_socket_address *sa, char *buf,
                               size_t size);

/* ---------------------------------------------------------------------- */
/* Class: net.BlockList                                                    */

/* A list of rules (single addresses, ranges, subnets) to refuse peers by,
 * e.g. in a server's 'connection' handler. Opaque; create it with
 * cnet_block_list_new. Not locked: add rules before sharing it between
 * threads; after that, concurrent checks are safe.
 *
 * As in Node, an IPv4 rule also matches the IPv4-mapped IPv6 form of its
 * addresses and the other way round: after adding "1.2.3.4" (family 4),
 * "::ffff:1.2.3.4" (family 6) is blocked, and a rule "::ffff:1.2.3.4"
 * (family 6) blocks "1.2.3.4". Ranges follow Node's comparison: an IPv6
 * address other than an IPv4-mapped one is never inside an IPv4 range, nor
 * an IPv4 address inside an IPv6 range whose bounds are not mapped. */
typedef struct cnet_block_list cnet_block_list;

/* Longest rule text cnet_block_list_rule writes, NUL included. */
#define CNET_BLOCK_LIST_RULE_MAX 112

/* new net.BlockList(). Returns 0 and the list in *out, or CNET_ENOMEM. */
int cnet_block_list_new(cnet_block_list **out);
/* Frees the list and its rules. NULL is ignored. */
void cnet_block_list_free(cnet_block_list *list);

/* blockList.addAddress(address[, family]). Returns 0 or, in Node's order,
 * CNET_ERR_INVALID_ARG_VALUE (family), CNET_ERR_INVALID_ADDRESS. */
int cnet_block_list_add_address(cnet_block_list *list, const char *address,
                                int family);
/* blockList.addRange(start, end[, family]): every address from start to end
 * inclusive. Returns 0 or CNET_ERR_INVALID_ARG_VALUE (family),
 * CNET_ERR_INVALID_ADDRESS (start, then end), CNET_ERR_INVALID_ARG_VALUE
 * (start comes after end: Node's "must come before end"). */
int cnet_block_list_add_range(cnet_block_list *list, const char *start,
                              const char *end, int family);
/* blockList.addSubnet(net, prefix[, family]): the addresses whose first
 * prefix bits are those of net. Returns 0 or CNET_ERR_INVALID_ARG_VALUE
 * (family), CNET_ERR_INVALID_ADDRESS (net), CNET_ERR_OUT_OF_RANGE (prefix
 * not 0-32 for IPv4, 0-128 for IPv6). */
int cnet_block_list_add_subnet(cnet_block_list *list, const char *net,
                               int prefix, int family);
/* Every add function returns CNET_ERR_INVALID_ARG_TYPE for a NULL list or
 * address (Node's answer to a non-string) and CNET_ENOMEM if the rule
 * table cannot grow; a failed call adds nothing. */

/* blockList.check(address[, family]): 1 if a rule matches, else 0. As in
 * Node, an address that does not parse or a family that is not 0/4/6 is
 * simply not blocked (0). CNET_ERR_INVALID_ARG_TYPE for NULL arguments. */
int cnet_block_list_check(const cnet_block_list *list, const char *address,
                          int family);
/* The same check for a peer as the system gives it (accept, recvfrom):
 * 1 if blocked, 0 if not or if addr is neither AF_INET nor AF_INET6. */
int cnet_block_list_check_sockaddr(const cnet_block_list *list,
                                   const struct sockaddr *addr);

/* blockList.rules: the number of rules, and rule i as Node prints it,
 * newest first (i == 0 is the rule added last):
 *   "Address: IPv4 1.2.3.4", "Range: IPv4 10.0.0.1-10.0.0.10",
 *   "Subnet: IPv6 8592:757c:efae:4e45::/64".
 * cnet_block_list_rule returns the length written (without the NUL),
 * CNET_ERR_OUT_OF_RANGE for i >= count, or CNET_ENOBUFS if size is too
 * small (CNET_BLOCK_LIST_RULE_MAX is always enough). */
size_t cnet_block_list_rule_count(const cnet_block_list *list);
int cnet_block_list_rule(const cnet_block_list *list, size_t i, char *buf,
                         size_t size);

#ifdef __cplusplus
}
#endif
#endif

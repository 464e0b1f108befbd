/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Addresses: isIP, SocketAddress and BlockList. Each expectation was
 * checked against Node 20; the conformance scenarios isip, socketaddress
 * and blocklist compare the two over many more inputs. */
#include "harness.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/un.h>

/* ---- net.isIP ---------------------------------------------------------- */

CNET_TEST(is_ip_dotted_quad_is_4) {
  ASSERT_EQ(4, cnet_is_ip("127.0.0.1"));
  ASSERT_EQ(4, cnet_is_ip("0.0.0.0"));
  ASSERT_EQ(4, cnet_is_ip("255.255.255.255"));
}

CNET_TEST(is_ip_rejects_leading_zeros_in_ipv4) {
  ASSERT_EQ(0, cnet_is_ip("01.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.00"));
  ASSERT_EQ(0, cnet_is_ip("::ffff:1.2.3.04"));
}

CNET_TEST(is_ip_rejects_ipv4_octet_above_255) {
  ASSERT_EQ(0, cnet_is_ip("256.0.0.0"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.1000"));
}

CNET_TEST(is_ip_rejects_short_long_and_dotted_ipv4) {
  ASSERT_EQ(0, cnet_is_ip("1.2.3"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.4.5"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.4."));
  ASSERT_EQ(0, cnet_is_ip(".1.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("1..2.3"));
}

CNET_TEST(is_ip_ipv6_forms_are_6) {
  ASSERT_EQ(6, cnet_is_ip("::"));
  ASSERT_EQ(6, cnet_is_ip("::1"));
  ASSERT_EQ(6, cnet_is_ip("1::"));
  ASSERT_EQ(6, cnet_is_ip("1:2:3:4:5:6:7:8"));
  ASSERT_EQ(6, cnet_is_ip("1:2:3:4:5:6:7::"));
  ASSERT_EQ(6, cnet_is_ip("::2:3:4:5:6:7:8"));
  ASSERT_EQ(6, cnet_is_ip("2001:DB8::8:800:200C:417A"));
}

CNET_TEST(is_ip_ipv6_with_embedded_ipv4_is_6) {
  ASSERT_EQ(6, cnet_is_ip("::ffff:1.2.3.4"));
  ASSERT_EQ(6, cnet_is_ip("::1.2.3.4"));
  ASSERT_EQ(6, cnet_is_ip("1:2:3:4:5:6:1.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("1:2:3:4:5:6:7:1.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.4::"));
  ASSERT_EQ(0, cnet_is_ip("::1.2.3.4:1"));
}

CNET_TEST(is_ip_zone_id_of_letters_digits_dot_colon_dash) {
  ASSERT_EQ(6, cnet_is_ip("fe80::2008%eth0"));
  ASSERT_EQ(6, cnet_is_ip("fe80::2008%eth0.0"));
  ASSERT_EQ(6, cnet_is_ip("fe80::2008%1"));
  ASSERT_EQ(6, cnet_is_ip("fe80::2008%a-b:c"));
}

CNET_TEST(is_ip_zone_id_rejects_other_characters_and_empty) {
  ASSERT_EQ(0, cnet_is_ip("fe80::2008%eth0@1"));
  ASSERT_EQ(0, cnet_is_ip("fe80::2008%eth_0"));
  ASSERT_EQ(0, cnet_is_ip("fe80::2008%"));
  ASSERT_EQ(0, cnet_is_ip("fe80::2008%a%b"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.4%eth0"));
}

CNET_TEST(is_ip_rejects_two_double_colons) {
  ASSERT_EQ(0, cnet_is_ip("1::2::3"));
  ASSERT_EQ(0, cnet_is_ip(":::"));
  ASSERT_EQ(0, cnet_is_ip("1:::2"));
}

CNET_TEST(is_ip_rejects_wrong_group_counts) {
  ASSERT_EQ(0, cnet_is_ip("1:2:3:4:5:6:7"));
  ASSERT_EQ(0, cnet_is_ip("1:2:3:4:5:6:7:8:9"));
  /* "::" stands for at least one group. */
  ASSERT_EQ(0, cnet_is_ip("1:2:3:4::5:6:7:8"));
}

CNET_TEST(is_ip_rejects_group_of_five_hex_digits) {
  ASSERT_EQ(0, cnet_is_ip("12345::"));
  ASSERT_EQ(6, cnet_is_ip("1234::"));
}

CNET_TEST(is_ip_rejects_lone_leading_or_trailing_colon) {
  ASSERT_EQ(0, cnet_is_ip(":1::2"));
  ASSERT_EQ(0, cnet_is_ip("1::2:"));
  ASSERT_EQ(0, cnet_is_ip(":"));
}

CNET_TEST(is_ip_does_not_trim_whitespace) {
  ASSERT_EQ(0, cnet_is_ip(" 1.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("1.2.3.4\n"));
  ASSERT_EQ(0, cnet_is_ip("::1 "));
}

CNET_TEST(is_ip_empty_and_null_are_0) {
  ASSERT_EQ(0, cnet_is_ip(""));
  ASSERT_EQ(0, cnet_is_ip(NULL));
  ASSERT_EQ(0, cnet_is_ipv4(NULL));
  ASSERT_EQ(0, cnet_is_ipv6(NULL));
}

CNET_TEST(is_ipv4_and_is_ipv6_answer_1_or_0) {
  ASSERT_EQ(1, cnet_is_ipv4("127.0.0.1"));
  ASSERT_EQ(0, cnet_is_ipv4("::1"));
  ASSERT_EQ(1, cnet_is_ipv6("::1"));
  ASSERT_EQ(0, cnet_is_ipv6("127.0.0.1"));
}

CNET_TEST(is_ip_rejects_non_ascii_bytes) {
  ASSERT_EQ(0, cnet_is_ip("\xef\xbc\x91.2.3.4"));
  ASSERT_EQ(0, cnet_is_ip("fe80::1%\xc3\xa9"));
}

CNET_TEST(family_from_string_ignores_case) {
  ASSERT_EQ(4, cnet_family_from_string("ipv4"));
  ASSERT_EQ(4, cnet_family_from_string("IPv4"));
  ASSERT_EQ(6, cnet_family_from_string("IPV6"));
  ASSERT_EQ(6, cnet_family_from_string("IpV6"));
}

CNET_TEST(family_from_string_rejects_anything_else) {
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_family_from_string("ipv5"));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_family_from_string("ipv44"));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_family_from_string(""));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_family_from_string(NULL));
}

/* ---- net.SocketAddress ------------------------------------------------- */

static cnet_socket_address_options opts(const char *address, int port,
                                        int family, uint32_t flowlabel) {
  cnet_socket_address_options o = {address, port, family, flowlabel};
  return o;
}

CNET_TEST(socket_address_defaults_are_ipv4_loopback_port_0) {
  cnet_socket_address sa;
  cnet_socket_address_options o = {0};
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("127.0.0.1", sa.address);
  ASSERT_EQ(0, sa.port);
  ASSERT_EQ(4, sa.family);
  ASSERT_EQ(0, sa.flowlabel);
}

CNET_TEST(socket_address_null_options_are_the_defaults) {
  cnet_socket_address sa;
  ASSERT_EQ(0, cnet_socket_address_init(&sa, NULL));
  ASSERT_STR_EQ("127.0.0.1", sa.address);
  ASSERT_EQ(4, sa.family);
}

CNET_TEST(socket_address_ipv6_default_address_is_unspecified) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts(NULL, 0, 6, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("::", sa.address);
  ASSERT_EQ(6, sa.family);
}

CNET_TEST(socket_address_bad_family_is_invalid_arg_value) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("1.2.3.4", 0, 5, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_port_outside_0_65535_is_bad_port) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("1.2.3.4", 65536, 4, 0);
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, cnet_socket_address_init(&sa, &o));
  o.port = -1;
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, cnet_socket_address_init(&sa, &o));
  o.port = 65535;
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_checks_port_before_address) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("not an address", 70000, 4, 0);
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_checks_family_before_port) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("x", 70000, 7, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_address_of_other_family_is_invalid_address) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("::1", 0, 4, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_init(&sa, &o));
  o = opts("1.2.3.4", 0, 6, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_host_name_is_invalid_address) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("localhost", 0, 4, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_error_leaves_struct_unchanged) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("10.0.0.1", 80, 4, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  o = opts("bad", 81, 4, 0);
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("10.0.0.1", sa.address);
  ASSERT_EQ(80, sa.port);
}

CNET_TEST(socket_address_prints_ipv6_in_canonical_form) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("2001:0DB8:0:0:0:0:1428:57AB", 0, 6, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("2001:db8::1428:57ab", sa.address);
  o.address = "0:0:0:0:0:FFFF:1.2.3.4";
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("::ffff:1.2.3.4", sa.address);
  o.address = "1:0:0:1:0:0:0:1"; /* the longer run of zeros is compressed */
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("1:0:0:1::1", sa.address);
  o.address = "1:0:1:1:1:1:1:1"; /* a single zero group is not */
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("1:0:1:1:1:1:1:1", sa.address);
}

CNET_TEST(socket_address_flowlabel_kept_for_ipv6_ignored_for_ipv4) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("::1", 0, 6, 0xfffff);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_EQ(0xfffff, sa.flowlabel);
  o = opts("1.2.3.4", 0, 4, 5);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_EQ(0, sa.flowlabel);
}

CNET_TEST(socket_address_flowlabel_over_20_bits_is_out_of_range) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("::1", 0, 6, 0x100000);
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_ipv4_sockaddr_is_in_network_order) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("10.1.2.3", 8080, 4, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  socklen_t len = 0;
  const struct sockaddr *addr = cnet_socket_address_sockaddr(&sa, &len);
  ASSERT_EQ(sizeof(struct sockaddr_in), len);
  const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
  ASSERT_EQ(AF_INET, in->sin_family);
  ASSERT_EQ(htons(8080), in->sin_port);
  ASSERT_EQ(htonl(0x0a010203), in->sin_addr.s_addr);
}

CNET_TEST(socket_address_ipv6_sockaddr_carries_port_and_flowinfo) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("fe80::1", 443, 6, 0x12345);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  socklen_t len = 0;
  const struct sockaddr_in6 *in6 =
      (const struct sockaddr_in6 *)cnet_socket_address_sockaddr(&sa, &len);
  ASSERT_EQ(sizeof(struct sockaddr_in6), len);
  ASSERT_EQ(AF_INET6, in6->sin6_family);
  ASSERT_EQ(htons(443), in6->sin6_port);
  ASSERT_EQ(htonl(0x12345), in6->sin6_flowinfo);
  ASSERT_EQ(0xfe, in6->sin6_addr.s6_addr[0]);
  ASSERT_EQ(0x80, in6->sin6_addr.s6_addr[1]);
  ASSERT_EQ(1, in6->sin6_addr.s6_addr[15]);
}

CNET_TEST(socket_address_zone_id_sets_scope_id_and_is_not_printed) {
  unsigned lo = if_nametoindex("lo");
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("fe80::1%lo", 0, 6, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("fe80::1", sa.address);
  const struct sockaddr_in6 *in6 =
      (const struct sockaddr_in6 *)cnet_socket_address_sockaddr(&sa, NULL);
  ASSERT_EQ(lo, in6->sin6_scope_id);
}

CNET_TEST(socket_address_accepts_any_zone_as_libuv_does) {
  cnet_socket_address sa;
  cnet_socket_address_options o = opts("fe80::1%", 0, 6, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  o.address = "fe80::1%no such interface@";
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  const struct sockaddr_in6 *in6 =
      (const struct sockaddr_in6 *)cnet_socket_address_sockaddr(&sa, NULL);
  ASSERT_EQ(0, in6->sin6_scope_id);
}

CNET_TEST(socket_address_truncates_address_before_zone_as_libuv_does) {
  /* libuv copies the part before '%' into 40 bytes: Node accepts this. */
  cnet_socket_address sa;
  cnet_socket_address_options o =
      opts("1111:2222:3333:4444:5555:6666:7777:88889%x", 0, 6, 0);
  ASSERT_EQ(0, cnet_socket_address_init(&sa, &o));
  ASSERT_STR_EQ("1111:2222:3333:4444:5555:6666:7777:8888", sa.address);
  o.address = "1111:2222:3333:4444:5555:6666:7777:88889";
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_init(&sa, &o));
}

CNET_TEST(socket_address_from_ipv4_sockaddr) {
  struct sockaddr_in in = {0};
  in.sin_family = AF_INET;
  in.sin_port = htons(53);
  in.sin_addr.s_addr = htonl(0xc0a80001);
  cnet_socket_address sa;
  ASSERT_EQ(0, cnet_socket_address_from_sockaddr(&sa, (struct sockaddr *)&in));
  ASSERT_STR_EQ("192.168.0.1", sa.address);
  ASSERT_EQ(53, sa.port);
  ASSERT_EQ(4, sa.family);
}

CNET_TEST(socket_address_from_ipv6_sockaddr) {
  struct sockaddr_in6 in6 = {0};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(9000);
  in6.sin6_flowinfo = htonl(7);
  in6.sin6_addr.s6_addr[15] = 1;
  cnet_socket_address sa;
  ASSERT_EQ(0,
            cnet_socket_address_from_sockaddr(&sa, (struct sockaddr *)&in6));
  ASSERT_STR_EQ("::1", sa.address);
  ASSERT_EQ(9000, sa.port);
  ASSERT_EQ(6, sa.family);
  ASSERT_EQ(7, sa.flowlabel);
}

CNET_TEST(socket_address_from_unix_sockaddr_is_eafnosupport) {
  struct sockaddr_un un = {0};
  un.sun_family = AF_UNIX;
  cnet_socket_address sa;
  ASSERT_EQ(CNET_EAFNOSUPPORT,
            cnet_socket_address_from_sockaddr(&sa, (struct sockaddr *)&un));
}

CNET_TEST(socket_address_round_trips_through_sockaddr) {
  cnet_socket_address a, b;
  cnet_socket_address_options o = opts("2001:db8::7", 65535, 6, 99);
  ASSERT_EQ(0, cnet_socket_address_init(&a, &o));
  ASSERT_EQ(0, cnet_socket_address_from_sockaddr(
                   &b, cnet_socket_address_sockaddr(&a, NULL)));
  ASSERT_STR_EQ(a.address, b.address);
  ASSERT_EQ(a.port, b.port);
  ASSERT_EQ(a.family, b.family);
  ASSERT_EQ(a.flowlabel, b.flowlabel);
}

CNET_TEST(socket_address_parse_ipv4_with_port) {
  cnet_socket_address sa;
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "1.2.3.4:80"));
  ASSERT_STR_EQ("1.2.3.4", sa.address);
  ASSERT_EQ(80, sa.port);
  ASSERT_EQ(4, sa.family);
}

CNET_TEST(socket_address_parse_bracketed_ipv6_with_port) {
  cnet_socket_address sa;
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "[::1]:443"));
  ASSERT_STR_EQ("::1", sa.address);
  ASSERT_EQ(443, sa.port);
  ASSERT_EQ(6, sa.family);
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "[fe80::1%lo]:1"));
  ASSERT_STR_EQ("fe80::1", sa.address);
}

CNET_TEST(socket_address_parse_without_port_means_port_0) {
  cnet_socket_address sa;
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "10.0.0.1"));
  ASSERT_EQ(0, sa.port);
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "[::]"));
  ASSERT_STR_EQ("::", sa.address);
  ASSERT_EQ(0, sa.port);
}

CNET_TEST(socket_address_parse_port_above_65535_is_bad_port) {
  cnet_socket_address sa;
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT,
            cnet_socket_address_parse(&sa, "1.2.3.4:65536"));
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT,
            cnet_socket_address_parse(&sa, "[::1]:99999"));
}

CNET_TEST(socket_address_parse_rejects_malformed_text) {
  static const char *const bad[] = {
      "",          "::1",          "::1:80",     "[::1",     "[::1]80",
      "[]:80",     "[1.2.3.4]:80", "1.2.3.4:",   "1.2.3.4:x", "1.2.3.4:-1",
      "1.2.3:80",  "localhost:80", ":80",        "1.2.3.4:123456",
      "[::1]:80x", " 1.2.3.4:80",  "[fe80::1%a@b]:80"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cnet_socket_address sa;
    ASSERT_EQ(CNET_ERR_INVALID_ADDRESS, cnet_socket_address_parse(&sa, bad[i]));
  }
}

CNET_TEST(socket_address_format_matches_node_to_string) {
  cnet_socket_address sa;
  char buf[CNET_SOCKET_ADDRESS_STRLEN];
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "1.2.3.4:80"));
  ASSERT_EQ(10, cnet_socket_address_format(&sa, buf, sizeof(buf)));
  ASSERT_STR_EQ("1.2.3.4:80", buf);
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "[0:0::1]:8080"));
  ASSERT_EQ(10, cnet_socket_address_format(&sa, buf, sizeof(buf)));
  ASSERT_STR_EQ("[::1]:8080", buf);
}

CNET_TEST(socket_address_format_longest_fits_the_constant) {
  cnet_socket_address sa;
  char buf[CNET_SOCKET_ADDRESS_STRLEN];
  ASSERT_EQ(0, cnet_socket_address_parse(
                   &sa, "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535"));
  int n = cnet_socket_address_format(&sa, buf, sizeof(buf));
  ASSERT(n > 0);
  ASSERT_EQ(strlen(buf), (size_t)n);
}

CNET_TEST(socket_address_format_small_buffer_is_enobufs) {
  cnet_socket_address sa;
  char buf[8];
  ASSERT_EQ(0, cnet_socket_address_parse(&sa, "1.2.3.4:80"));
  ASSERT_EQ(CNET_ENOBUFS, cnet_socket_address_format(&sa, buf, sizeof(buf)));
}

/* ---- net.BlockList ----------------------------------------------------- */

static cnet_block_list *new_list(void) {
  cnet_block_list *list = NULL;
  ASSERT_EQ(0, cnet_block_list_new(&list));
  ASSERT_NOT_NULL(list);
  return list;
}

CNET_TEST(block_list_empty_blocks_nothing) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_check(list, "1.2.3.4", 4));
  ASSERT_EQ(0u, cnet_block_list_rule_count(list));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_add_address_blocks_that_address_only) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 0));
  ASSERT_EQ(1, cnet_block_list_check(list, "1.1.1.1", 0));
  ASSERT_EQ(1, cnet_block_list_check(list, "1.1.1.1", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "1.1.1.2", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv4_rule_blocks_its_ipv4_mapped_form) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.2.3.4", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:1.2.3.4", 6));
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:102:304", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv4_mapped_rule_blocks_the_ipv4_address) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "::ffff:1.1.1.2", 6));
  ASSERT_EQ(1, cnet_block_list_check(list, "1.1.1.2", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv4_compatible_address_is_not_mapped) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.2.3.4", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "::1.2.3.4", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_check_with_wrong_family_is_not_blocked) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 4));
  /* "1.1.1.1" is no IPv6 address, so Node's check answers false. */
  ASSERT_EQ(0, cnet_block_list_check(list, "1.1.1.1", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_range_is_inclusive) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_range(list, "10.0.0.1", "10.0.0.10", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "10.0.0.0", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "10.0.0.1", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "10.0.0.10", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "10.0.0.11", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:10.0.0.5", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv4_range_compares_numerically) {
  /* Node once compared in host byte order (nodejs/node#39074). */
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_range(list, "1.2.3.4", "2.0.0.0", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "1.9.0.0", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "2.0.0.1", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv6_range_with_unmapped_bound_skips_ipv4) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_range(list, "::1", "::ffff:1.0.0.9", 6));
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:1.0.0.5", 6));
  ASSERT_EQ(0, cnet_block_list_check(list, "1.0.0.5", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_range_start_after_end_is_invalid_arg_value) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_block_list_add_range(list, "1.1.1.2", "1.1.1.1", 4));
  ASSERT_EQ(0u, cnet_block_list_rule_count(list));
  ASSERT_EQ(0, cnet_block_list_add_range(list, "1.1.1.1", "1.1.1.1", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_range_bad_bound_is_invalid_address) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS,
            cnet_block_list_add_range(list, "x", "1.1.1.1", 4));
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS,
            cnet_block_list_add_range(list, "1.1.1.1", "y", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_subnet_matches_prefix_bits) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "10.0.0.0", 27, 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "10.0.0.31", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "10.0.0.32", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:10.0.0.1", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_subnet_prefix_0_and_32) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "1.2.3.4", 32, 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "1.2.3.4", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "1.2.3.5", 4));
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "1.2.3.4", 0, 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "200.1.1.1", 4));
  /* An IPv4 network covers only IPv4-mapped IPv6 addresses. */
  ASSERT_EQ(1, cnet_block_list_check(list, "::ffff:200.1.1.1", 6));
  ASSERT_EQ(0, cnet_block_list_check(list, "::1", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv6_subnet_non_aligned_prefix) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "8592:757c:efaf::", 51, 6));
  ASSERT_EQ(1, cnet_block_list_check(
                   list, "8592:757c:efaf:1fff:ffff:ffff:ffff:ffff", 6));
  ASSERT_EQ(0, cnet_block_list_check(
                   list, "8592:757c:efaf:2fff:ffff:ffff:ffff:ffff", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_ipv6_subnet_covers_ipv4_through_mapping) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "::ffff:0:0", 96, 6));
  ASSERT_EQ(1, cnet_block_list_check(list, "8.8.8.8", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "::1.2.3.4", 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_subnet_prefix_out_of_range) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE,
            cnet_block_list_add_subnet(list, "1.1.1.1", 33, 4));
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE,
            cnet_block_list_add_subnet(list, "1.1.1.1", -1, 4));
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE,
            cnet_block_list_add_subnet(list, "::", 129, 6));
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "::", 128, 6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_subnet_checks_address_before_prefix) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_INVALID_ADDRESS,
            cnet_block_list_add_subnet(list, "x", 99, 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_bad_family_is_invalid_arg_value) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_block_list_add_address(list, "1.1.1.1", 5));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_block_list_add_range(list, "x", "y", 2));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_block_list_add_subnet(list, "1.1.1.1", 99, -1));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_check_of_invalid_input_is_false) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "0.0.0.0", 0, 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "not an address", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "1.1.1.1", 5));
  ASSERT_EQ(0, cnet_block_list_check(list, "", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_null_arguments_are_invalid_arg_type) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE,
            cnet_block_list_add_address(list, NULL, 4));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE,
            cnet_block_list_add_range(list, "1.1.1.1", NULL, 4));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE,
            cnet_block_list_add_subnet(NULL, "1.1.1.1", 8, 4));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE, cnet_block_list_check(list, NULL, 4));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE, cnet_block_list_new(NULL));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_rules_are_listed_newest_first) {
  cnet_block_list *list = new_list();
  char buf[CNET_BLOCK_LIST_RULE_MAX];
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 0));
  ASSERT_EQ(0, cnet_block_list_add_range(list, "10.0.0.1", "10.0.0.10", 0));
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "8592:757c:efae:4e45::", 64,
                                          6));
  ASSERT_EQ(3u, cnet_block_list_rule_count(list));
  ASSERT(cnet_block_list_rule(list, 0, buf, sizeof(buf)) > 0);
  ASSERT_STR_EQ("Subnet: IPv6 8592:757c:efae:4e45::/64", buf);
  ASSERT(cnet_block_list_rule(list, 1, buf, sizeof(buf)) > 0);
  ASSERT_STR_EQ("Range: IPv4 10.0.0.1-10.0.0.10", buf);
  ASSERT(cnet_block_list_rule(list, 2, buf, sizeof(buf)) > 0);
  ASSERT_STR_EQ("Address: IPv4 1.1.1.1", buf);
  cnet_block_list_free(list);
}

CNET_TEST(block_list_rules_keep_duplicates_as_node_20_does) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 4));
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 4));
  ASSERT_EQ(2u, cnet_block_list_rule_count(list));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_rule_text_uses_canonical_addresses) {
  cnet_block_list *list = new_list();
  char buf[CNET_BLOCK_LIST_RULE_MAX];
  ASSERT_EQ(0, cnet_block_list_add_address(
                   list, "8592:757c:efae:4e45:fb5d:d62a:0d00:8e17", 6));
  ASSERT(cnet_block_list_rule(list, 0, buf, sizeof(buf)) > 0);
  ASSERT_STR_EQ("Address: IPv6 8592:757c:efae:4e45:fb5d:d62a:d00:8e17", buf);
  cnet_block_list_free(list);
}

CNET_TEST(block_list_longest_rule_fits_the_constant) {
  cnet_block_list *list = new_list();
  char buf[CNET_BLOCK_LIST_RULE_MAX];
  const char *a = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.254";
  const char *b = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
  ASSERT_EQ(0, cnet_block_list_add_range(list, a, b, 6));
  int n = cnet_block_list_rule(list, 0, buf, sizeof(buf));
  ASSERT(n > 0);
  ASSERT_EQ(strlen(buf), (size_t)n);
  cnet_block_list_free(list);
}

CNET_TEST(block_list_rule_bad_index_and_small_buffer) {
  cnet_block_list *list = new_list();
  char small[8];
  ASSERT_EQ(0, cnet_block_list_add_address(list, "1.1.1.1", 4));
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE,
            cnet_block_list_rule(list, 1, small, sizeof(small)));
  ASSERT_EQ(CNET_ENOBUFS, cnet_block_list_rule(list, 0, small, sizeof(small)));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_check_sockaddr_for_accepted_peers) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "192.168.0.0", 16, 4));
  struct sockaddr_in in = {0};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(0xc0a80102);
  ASSERT_EQ(1, cnet_block_list_check_sockaddr(list, (struct sockaddr *)&in));
  in.sin_addr.s_addr = htonl(0xc0a90102);
  ASSERT_EQ(0, cnet_block_list_check_sockaddr(list, (struct sockaddr *)&in));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_check_sockaddr_sees_mapped_peer_of_dual_stack_server) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_address(list, "127.0.0.1", 4));
  struct sockaddr_in6 in6 = {0};
  in6.sin6_family = AF_INET6;
  ASSERT_EQ(1, inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr));
  ASSERT_EQ(1,
            cnet_block_list_check_sockaddr(list, (struct sockaddr *)&in6));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_check_sockaddr_of_unix_peer_is_not_blocked) {
  cnet_block_list *list = new_list();
  ASSERT_EQ(0, cnet_block_list_add_subnet(list, "::", 0, 6));
  struct sockaddr_un un = {0};
  un.sun_family = AF_UNIX;
  ASSERT_EQ(0, cnet_block_list_check_sockaddr(list, (struct sockaddr *)&un));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_grows_to_many_rules) {
  cnet_block_list *list = new_list();
  char addr[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
    ASSERT_EQ(0, cnet_block_list_add_address(list, addr, 4));
  }
  ASSERT_EQ(1000u, cnet_block_list_rule_count(list));
  ASSERT_EQ(1, cnet_block_list_check(list, "10.0.0.1", 4));
  ASSERT_EQ(1, cnet_block_list_check(list, "10.3.231.1", 4));
  ASSERT_EQ(0, cnet_block_list_check(list, "10.3.232.1", 4));
  cnet_block_list_free(list);
}

CNET_TEST(block_list_free_null_is_a_no_op) {
  cnet_block_list_free(NULL);
  ASSERT_EQ(0u, cnet_block_list_rule_count(NULL));
}

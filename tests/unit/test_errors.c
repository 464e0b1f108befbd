/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The error table and Node's message formats. */
#include "harness.h"

#include <stdio.h>

CNET_TEST(system_errors_have_node_names_and_libuv_messages) {
  ASSERT_EQ(-ECONNREFUSED, CNET_ECONNREFUSED);
  ASSERT_STR_EQ("ECONNREFUSED", cnet_err_name(CNET_ECONNREFUSED));
  ASSERT_STR_EQ("connection refused", cnet_strerror(CNET_ECONNREFUSED));
  ASSERT_STR_EQ("EADDRINUSE", cnet_err_name(cnet_errno(EADDRINUSE)));
  ASSERT_STR_EQ("address already in use", cnet_strerror(CNET_EADDRINUSE));
  ASSERT_STR_EQ("EPIPE", cnet_err_name(CNET_EPIPE));
  ASSERT_STR_EQ("EMFILE", cnet_err_name(CNET_EMFILE));
}

CNET_TEST(node_codes_have_their_names) {
  ASSERT_STR_EQ("ERR_SOCKET_BAD_PORT", cnet_err_name(CNET_ERR_SOCKET_BAD_PORT));
  ASSERT_STR_EQ("Server is not running.", cnet_strerror(CNET_ERR_SERVER_NOT_RUNNING));
  ASSERT_STR_EQ("write after end", cnet_strerror(CNET_ERR_STREAM_WRITE_AFTER_END));
  ASSERT(cnet_is_node_error(CNET_ERR_SOCKET_BAD_PORT));
  ASSERT(!cnet_is_node_error(CNET_ECONNRESET));
}

CNET_TEST(unknown_codes_are_named_unknown) {
  ASSERT_STR_EQ("UNKNOWN", cnet_err_name(-999999));
  ASSERT_STR_EQ("UNKNOWN", cnet_err_name(1));
  ASSERT_STR_EQ("unknown error", cnet_strerror(-999999));
}

CNET_TEST(every_code_is_distinct_and_named) {
  static const int codes[] = {
#define XX(name, msg) CNET_##name,
      CNET_ERRNO_MAP(XX)
#undef XX
#define XX(name, num, msg) CNET_##name,
      CNET_EXTRA_MAP(XX)
      CNET_NODE_ERR_MAP(XX)
#undef XX
  };
  size_t n = sizeof codes / sizeof codes[0];
  for (size_t i = 0; i < n; i++) {
    ASSERT(codes[i] < 0);
    ASSERT_NE(0, strcmp("UNKNOWN", cnet_err_name(codes[i])));
    for (size_t j = i + 1; j < n; j++) ASSERT_NE(codes[i], codes[j]);
  }
}

CNET_TEST(resolver_errors_map_as_node_reports_them) {
  ASSERT_EQ(CNET_ENOTFOUND, cnet_eai_error(EAI_NONAME));
  ASSERT_EQ(CNET_EAI_AGAIN, cnet_eai_error(EAI_AGAIN));
  ASSERT_STR_EQ("ENOTFOUND", cnet_err_name(CNET_ENOTFOUND));
  ASSERT_EQ(-3008, CNET_ENOTFOUND);
  /* libuv's numbers, which Node reports as err.errno. */
  ASSERT_EQ(-3004, cnet_eai_error(EAI_FAIL));
  ASSERT_EQ(-3005, cnet_eai_error(EAI_FAMILY));
  ASSERT_EQ(-3006, cnet_eai_error(EAI_MEMORY));
  ASSERT_STR_EQ("EAI_MEMORY", cnet_err_name(cnet_eai_error(EAI_MEMORY)));
}

CNET_TEST(connect_error_message_has_host_and_port) {
  cnet_error e;
  cnet_error_syscall(&e, CNET_ECONNREFUSED, "connect", "127.0.0.1", 9);
  ASSERT_STR_EQ("connect ECONNREFUSED 127.0.0.1:9", e.message);
  ASSERT_STR_EQ("connect", e.syscall);
  ASSERT_STR_EQ("127.0.0.1", e.address);
  ASSERT_EQ(9, e.port);
  ASSERT_EQ(CNET_ECONNREFUSED, e.code);
}

CNET_TEST(ipv6_address_is_printed_without_brackets) {
  cnet_error e;
  cnet_error_syscall(&e, CNET_ECONNREFUSED, "connect", "::1", 9);
  ASSERT_STR_EQ("connect ECONNREFUSED ::1:9", e.message);
}

CNET_TEST(read_error_message_is_syscall_and_code) {
  cnet_error e;
  cnet_error_syscall(&e, CNET_ECONNRESET, "read", NULL, 0);
  ASSERT_STR_EQ("read ECONNRESET", e.message);
  ASSERT_STR_EQ("", e.address);
  ASSERT_EQ(0, e.port);
}

CNET_TEST(path_error_message_has_the_path) {
  cnet_error e;
  cnet_error_syscall(&e, CNET_ENOENT, "connect", "/tmp/nowhere.sock", 0);
  ASSERT_STR_EQ("connect ENOENT /tmp/nowhere.sock", e.message);
}

CNET_TEST(listen_error_message_has_libuv_text) {
  cnet_error e;
  cnet_error_uv(&e, CNET_EADDRINUSE, "listen", "127.0.0.1", 8000);
  ASSERT_STR_EQ("listen EADDRINUSE: address already in use 127.0.0.1:8000",
                e.message);
  cnet_error_uv(&e, CNET_EACCES, "listen", "/root/x.sock", -1);
  ASSERT_STR_EQ("listen EACCES: permission denied /root/x.sock", e.message);
}

CNET_TEST(node_error_with_formatted_message) {
  cnet_error e;
  cnet_error_set(&e, CNET_ERR_SOCKET_BAD_PORT,
                 "Port should be >= 0 and < 65536. Received type number (%d).",
                 65536);
  ASSERT_STR_EQ("Port should be >= 0 and < 65536. Received type number (65536).",
                e.message);
  ASSERT_NULL(e.syscall);
  cnet_error_set(&e, CNET_ERR_SERVER_NOT_RUNNING, NULL);
  ASSERT_STR_EQ("Server is not running.", e.message);
}

CNET_TEST(overlong_address_is_cut_not_overflowed) {
  char path[400];
  memset(path, 'a', sizeof path - 1);
  path[sizeof path - 1] = '\0';
  cnet_error e;
  cnet_error_uv(&e, CNET_EADDRINUSE, "listen", path, 0);
  ASSERT(strlen(e.address) < sizeof e.address);
  ASSERT(strlen(e.message) < sizeof e.message);
  ASSERT_EQ(0, strncmp(e.message, "listen EADDRINUSE: address already in use aaa", 45));
}

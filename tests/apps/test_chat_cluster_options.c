/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's cluster options (apps/cnet-chat/cluster.c): the Redis URL
 * of --redis and the node name of --node, what they take and refuse. */
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "harness.h"

static cluster_options parsed(const char *url) {
  cluster_options o;
  memset(&o, 0, sizeof o);
  const char *why = cluster_parse_url(url, &o);
  if (why) fprintf(stderr, "%s: %s\n", url, why);
  ASSERT(why == NULL);
  return o;
}

static void refused(const char *url) {
  cluster_options o;
  memset(&o, 0, sizeof o);
  ASSERT(cluster_parse_url(url, &o) != NULL);
}

CNET_TEST(url_host_port_and_database) {
  cluster_options o = parsed("redis://127.0.0.1:6380/2");
  ASSERT_STR_EQ("127.0.0.1", o.host);
  ASSERT_EQ(6380, o.port);
  ASSERT_EQ(2, o.db);
}

CNET_TEST(url_defaults_port_6379_database_0) {
  cluster_options o = parsed("redis://redis.internal");
  ASSERT_STR_EQ("redis.internal", o.host);
  ASSERT_EQ(6379, o.port);
  ASSERT_EQ(0, o.db);
  o = parsed("redis://localhost/");
  ASSERT_EQ(6379, o.port);
  ASSERT_EQ(0, o.db);
  o = parsed("redis://localhost/5");
  ASSERT_EQ(6379, o.port);
  ASSERT_EQ(5, o.db);
}

CNET_TEST(url_ipv6_in_brackets) {
  cluster_options o = parsed("redis://[::1]:7000/1");
  ASSERT_STR_EQ("::1", o.host);
  ASSERT_EQ(7000, o.port);
  ASSERT_EQ(1, o.db);
}

CNET_TEST(url_refused) {
  const char *bad[] = {
      "",                        "127.0.0.1:6379",   "http://h:1",
      "redis://",                "redis://:6379",    "redis://h:",
      "redis://h:0",             "redis://h:65536",  "redis://h:12ab",
      "redis://h:99999999999",   "redis://h/x",      "redis://h/-1",
      "redis://[::1",            "redis://[::1]x",   "redis://h:1/2/3",
      "redis://h:1 ",            "redis://h/99999999999",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) refused(bad[i]);
}

CNET_TEST(url_host_too_long) {
  char url[512] = "redis://";
  memset(url + 8, 'a', 300);
  refused(url);
}

CNET_TEST(node_names) {
  ASSERT(cluster_check_node("chat-1") == NULL);
  ASSERT(cluster_check_node("host.example:8088") == NULL);
  char name[CLUSTER_NODE_MAX + 2];
  memset(name, 'n', CLUSTER_NODE_MAX);
  name[CLUSTER_NODE_MAX] = '\0';
  ASSERT(cluster_check_node(name) == NULL);
  name[CLUSTER_NODE_MAX] = 'n';
  name[CLUSTER_NODE_MAX + 1] = '\0';
  ASSERT(cluster_check_node(name) != NULL);
  const char *bad[] = {"", "a b", "a\nb", "a\tb", "caf\xc3\xa9", "a\x7f"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ASSERT(cluster_check_node(bad[i]) != NULL);
}

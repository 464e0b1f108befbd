/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_attempt_defaults.js. */
#include <cnet.h>
#include <inttypes.h>
#include <stdio.h>
#include "trace.h"

static const char *b(bool v) { return v ? "true" : "false"; }

static void set(int64_t ms) {
  int r = cnet_set_default_auto_select_family_attempt_timeout(ms);
  t("set %" PRId64 " %s", ms, r ? cnet_err_name(r) : "ok");
  t("timeout %d", cnet_get_default_auto_select_family_attempt_timeout());
}

int main(void) {
  trace_init();
  t("autoSelectFamily %s", b(cnet_get_default_auto_select_family()));
  cnet_set_default_auto_select_family(false);
  t("autoSelectFamily %s", b(cnet_get_default_auto_select_family()));
  cnet_set_default_auto_select_family(true);
  t("autoSelectFamily %s", b(cnet_get_default_auto_select_family()));
  t("timeout %d", cnet_get_default_auto_select_family_attempt_timeout());
  static const int64_t values[] = {1, 9, 10, 11, 500, 2147483647, 0, -1,
                                   2147483648LL, -2147483649LL, 250};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) set(values[i]);
  return 0;
}

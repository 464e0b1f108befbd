/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What cnet's own calls use to fail: each records the whole error as the
 * thread's last error (cnet_last_error) and returns its code, so that a
 * failing call reads `return cnet__fail(CNET_ERR_..., "message", ...)`. */
#ifndef CNET_SRC_ERRORS_H
#define CNET_SRC_ERRORS_H

#include "cnet.h"

/* Node's message for the code when fmt is NULL. */
int cnet__fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Node's ErrnoException(err, syscall): "setTTL EINVAL". */
int cnet__fail_syscall(int code, const char *syscall);
/* The thread's last error, to fill in place. */
cnet_error *cnet__last_error_slot(void);

#endif

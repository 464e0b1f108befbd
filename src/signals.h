/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the loop asks of the signal watchers (signals.c): their part of
 * cnet_loop_walk and of cnet_loop_close. Named signals.h, not signal.h,
 * so that no include path that has src/ on it hides <signal.h>. */
#ifndef CNET_SIGNALS_H
#define CNET_SIGNALS_H

#include "handle.h"

/* Calls cb for every watcher initialised on loop and not yet closed. */
void cnet__signals_walk(cnet_loop *loop,
                        void (*cb)(const cnet_handle_info *info, void *arg),
                        void *arg);
/* Frees what the loop's first watcher made (its pipe). The loop has no
 * watcher left: cnet_loop_close has checked. */
void cnet__signals_free(cnet_loop *loop);

#endif

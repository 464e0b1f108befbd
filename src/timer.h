/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the loop needs of the timers (timer.c): run the due ones, say how
 * long the poll may wait for the next, free the heap. The timers' own
 * API is public (cnet/loop.h). */
#ifndef CNET_TIMER_H
#define CNET_TIMER_H

#include "cnet.h"

/* Runs every timer due at loop->now, in (due, start order). */
void cnet__timers_run(cnet_loop *loop);
/* Milliseconds until the first timer is due: 0 if one is, -1 if none. */
int cnet__timers_next_timeout(const cnet_loop *loop);
void cnet__timers_free(cnet_loop *loop);

#endif

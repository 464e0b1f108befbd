/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Socket activation, for the servers among the tools: the listening
 * sockets a service manager (systemd's .socket units,
 * systemd-socket-activate, ...) opened for a tool and passed to it, read
 * as sd_listen_fds(3) reads them but written out here, so that the tools
 * need no libsystemd. The sockets come from descriptor 3 on; LISTEN_FDS
 * says how many and LISTEN_PID for which process. */
#ifndef CNET_APPS_LISTEN_FDS_H
#define CNET_APPS_LISTEN_FDS_H

#include <stddef.h>

#define APP_LISTEN_FDS_START 3 /* SD_LISTEN_FDS_START */
/* The most sockets a tool takes: a server each. */
#define APP_LISTEN_FDS_MAX 16

/* The sockets passed to this process. 0 when there are none: no
 * LISTEN_PID, or one naming another process (the variables were meant
 * for a parent that let them through, and sd_listen_fds ignores them
 * too). n when descriptors 3 to 3 + n - 1 are listening stream sockets,
 * now close-on-exec. -1 when the variables are wrong or partial, or a
 * descriptor is not a listening stream socket: why is in err, a sentence
 * naming the variable or the descriptor. Every case unsets LISTEN_PID,
 * LISTEN_FDS and LISTEN_FDNAMES, as sd_listen_fds(1) does, so that they
 * reach no child. */
int app_listen_fds(char *err, size_t size);

#endif

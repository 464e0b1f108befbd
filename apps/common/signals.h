/* What the tools share: SIGINT and SIGTERM delivered through a signalfd
 * that the loop watches, so that shutting down runs as an ordinary
 * callback. */
#ifndef CNET_APPS_SIGNALS_H
#define CNET_APPS_SIGNALS_H

#include <cnet.h>

/* Watches SIGINT and SIGTERM (already blocked by the caller with
 * pthread_sigmask) on loop: cb runs when one arrives; read the
 * signalfd_siginfo from *fd. The watch is unref'd, so it never keeps the
 * loop running by itself. Returns 0, or a negative error with *fd -1. */
int app_watch_signals(cnet_loop *loop, cnet_poll *poll, int *fd,
                      cnet_poll_cb cb, void *arg);

#endif

/* What the tools share: SIGINT and SIGTERM delivered through a signalfd
 * that the loop watches, so that shutting down runs as an ordinary
 * callback. */
#ifndef CNET_APPS_SIGNALS_H
#define CNET_APPS_SIGNALS_H

#include <cnet.h>

/* Blocks SIGINT and SIGTERM in the calling thread, so that only the
 * signalfd sees them, and ignores SIGPIPE (a write to a closed peer is an
 * EPIPE error instead). Call it in main before any thread starts: cnet's
 * worker pool and a tool's own threads inherit the mask. */
void app_block_signals(void);

/* Watches SIGINT and SIGTERM (blocked first by app_block_signals) on loop:
 * cb runs when one arrives; read the signalfd_siginfo from *fd. The watch
 * is unref'd, so it never keeps the loop running by itself. Returns 0, or
 * a negative error with *fd -1. */
int app_watch_signals(cnet_loop *loop, cnet_poll **poll, int *fd,
                      cnet_poll_cb cb, void *arg);

/* Stops the watch and closes the signalfd; *fd becomes -1. Does nothing
 * when *fd is already -1, so that every way out may call it. */
void app_unwatch_signals(cnet_poll **poll, int *fd);

#endif

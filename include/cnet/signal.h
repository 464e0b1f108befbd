/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Signals: Node's process.on('SIGINT' | 'SIGTERM' | 'SIGHUP' | ...), on
 * cnet's loop.
 *
 * A cnet_signal watches one signal for one loop. While it is started, the
 * signal no longer does what it did (end the process, for most): each time
 * the process receives it, the callback of every started watcher of that
 * signal runs, on its loop's thread, in the loop's poll phase. On one
 * loop they run in the order they were started, as Node's listeners run
 * in the order they were added; every loop with a watcher of the signal
 * gets it, whichever thread the kernel chose. When the last watcher of a
 * signal in the process stops, the signal does again what it did before
 * the first one started (its default action, unless the program had set
 * another with sigaction()).
 *
 * A delivery is never lost; two deliveries of one signal that the kernel
 * holds pending at the same time are one delivery (POSIX merges them).
 * The process-wide handler does nothing but count and write a byte to a
 * pipe of each loop that watches (both async-signal-safe), so cnet's
 * signals work with threads, several loops and other file descriptors of
 * yours; a signal that every thread blocks never arrives (see
 * docs/signal.md).
 *
 * As in Node, a watcher does not keep its loop alive: a program whose only
 * handle is a SIGINT watcher ends. cnet_signal_ref makes one count.
 *
 * A cnet_signal is a struct you own (its fields are private): initialise
 * it once, start and stop it as often as you like, and close it before
 * you free it and before its loop is closed. Every call here is made on
 * the loop's thread. */
#ifndef CNET_SIGNAL_H
#define CNET_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cnet_signal cnet_signal;
/* signum is the signal received (Node passes the listener its name and
 * number: cnet_signal_name(signum) gives the name). */
typedef void (*cnet_signal_cb)(cnet_signal *sig, int signum, void *arg);

struct cnet_signal {
  /* private */
  cnet_loop *loop;
  cnet_signal_cb cb;
  void *arg;
  cnet_signal *next;  /* the loop's watchers; one started goes last */
  cnet_signal *prev;
  uint64_t seq;       /* when it started: a delivery calls the earlier */
  int signum;
  uint16_t flags;
};

/* Once, before first use: an inactive, unref'd watcher on loop. The first
 * watcher of a loop makes the loop's signal pipe. Returns 0, CNET_EINVAL
 * (loop or sig NULL), CNET_EMFILE, CNET_ENFILE or CNET_ENOMEM. */
int cnet_signal_init(cnet_loop *loop, cnet_signal *sig);

/* Calls cb(sig, signum, arg) each time the process receives signum
 * (process.on(name, listener)). The callbacks of one delivery run one
 * after the other, then the ticks they queued (as Node runs them after
 * process.emit has called every listener); a watcher stopped or closed by
 * an earlier callback is not called, one started by a callback waits for
 * the next delivery. Starting an active watcher again with the same
 * signal only changes cb and arg; with another signal it moves to that
 * one (watching the new one before it lets go of the old). Returns 0 or
 * CNET_EINVAL: sig not initialised, cb NULL, signum not a signal (not in
 * 1 .. NSIG - 1), or one that cannot be caught, SIGKILL and SIGSTOP (Node
 * throws Error "uv_signal_start EINVAL" for process.on('SIGKILL')). On
 * failure the watcher is as it was. */
int cnet_signal_start(cnet_signal *sig, int signum, cnet_signal_cb cb,
                      void *arg);

/* Stops the watcher (process.removeListener): no callback runs after
 * this returns, not even for a delivery already counted. The last
 * watcher of a signal in the process gives the signal back what it did
 * before. Returns 0, or CNET_EINVAL for a watcher not initialised. */
int cnet_signal_stop(cnet_signal *sig);

/* Stops the watcher and takes it off its loop; the struct may be freed
 * right after (also from its own callback). Nothing for a watcher not
 * initialised or already closed. */
void cnet_signal_close(cnet_signal *sig);

/* A ref'd watcher keeps its loop alive while it is started; a new one is
 * unref'd, as Node's are. */
void cnet_signal_ref(cnet_signal *sig);
void cnet_signal_unref(cnet_signal *sig);
bool cnet_signal_has_ref(const cnet_signal *sig);
/* Whether it is started. */
bool cnet_signal_is_active(const cnet_signal *sig);

/* Node's names (os.constants.signals): "SIGINT" for SIGINT, NULL for a
 * number Node has no name for. Of two names for one signal, the one Node
 * reports (a child's 'exit' signal): "SIGABRT", not "SIGIOT"; "SIGIO",
 * not "SIGPOLL". */
const char *cnet_signal_name(int signum);
/* The number of a name of os.constants.signals ("SIGINT", "SIGIOT"), or
 * CNET_ERR_UNKNOWN_SIGNAL (Node: "Unknown signal: SIGFOO"); names are
 * upper case, as in Node. */
int cnet_signal_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif

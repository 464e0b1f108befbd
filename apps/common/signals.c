/* SIGINT/SIGTERM through a signalfd on the loop, for every tool. */
#include "signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

static void shutdown_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
}

void app_block_signals(void) {
  sigset_t set;
  shutdown_signals(&set);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
}

int app_watch_signals(cnet_loop *loop, cnet_poll **poll, int *fd,
                      cnet_poll_cb cb, void *arg) {
  sigset_t set;
  shutdown_signals(&set);
  *fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (*fd < 0) return -errno;
  int r = cnet_poll_new(loop, *fd, poll);
  if (r == 0) r = cnet_poll_start(*poll, CNET_READABLE, cb, arg);
  if (r != 0) {
    if (*poll) cnet_poll_close(*poll);
    *poll = NULL;
    close(*fd);
    *fd = -1;
    return r;
  }
  cnet_poll_unref(*poll);
  return 0;
}

void app_unwatch_signals(cnet_poll **poll, int *fd) {
  if (*fd < 0) return;
  cnet_poll_close(*poll);
  *poll = NULL;
  close(*fd);
  *fd = -1;
}

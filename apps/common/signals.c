/* SIGINT/SIGTERM through a signalfd on the loop, for every tool. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

int app_watch_signals(cnet_loop *loop, cnet_poll *poll, int *fd,
                      cnet_poll_cb cb, void *arg) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  *fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (*fd < 0) return -errno;
  int r = cnet_poll_init(loop, poll, *fd);
  if (r == 0) r = cnet_poll_start(poll, CNET_READABLE, cb, arg);
  if (r != 0) {
    close(*fd);
    *fd = -1;
    return r;
  }
  cnet_poll_unref(poll);
  return 0;
}

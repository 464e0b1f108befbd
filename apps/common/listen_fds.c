/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Socket activation (listen_fds.h): LISTEN_PID and LISTEN_FDS read
 * strictly, and each descriptor checked before a tool listens on it,
 * so that a unit or a wrapper that gets them wrong is told which and how
 * instead of failing later on a descriptor that was never a socket. */
#include "listen_fds.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "args.h"

static int fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, size, fmt, ap);
  va_end(ap);
  return -1;
}

/* fd must be open, a stream socket, and listening: a socket unit with
 * Accept=yes passes a connection instead, which a server cannot serve. */
static int check_fd(int fd, char *err, size_t size) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0)
    return fail(err, size, "descriptor %d (LISTEN_FDS) is not open", fd);
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) != 0)
    return fail(err, size, "descriptor %d (LISTEN_FDS) is not a socket", fd);
  if (v != SOCK_STREAM)
    return fail(err, size, "descriptor %d (LISTEN_FDS) is not a stream "
                "socket (TCP or a Unix stream)", fd);
  len = sizeof v;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) != 0 || !v)
    return fail(err, size, "descriptor %d (LISTEN_FDS) is not a listening "
                "socket (a socket unit for it needs Accept=no)", fd);
  /* As sd_listen_fds does: a program the tool might start does not
   * inherit the server's sockets. */
  fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  return 0;
}

static int read_environment(char *err, size_t size) {
  const char *pid_s = getenv("LISTEN_PID");
  const char *fds_s = getenv("LISTEN_FDS");
  long pid, n;
  if (!pid_s) {
    if (fds_s)
      return fail(err, size, "LISTEN_FDS=%.32s is set without LISTEN_PID",
                  fds_s);
    return 0;
  }
  if (app_parse_long(pid_s, 1, INT_MAX, &pid) != 0)
    return fail(err, size, "LISTEN_PID=%.32s is not a process id", pid_s);
  if (pid != (long)getpid()) return 0;
  if (!fds_s)
    return fail(err, size, "LISTEN_PID names this process but LISTEN_FDS "
                "is not set");
  if (app_parse_long(fds_s, 1, APP_LISTEN_FDS_MAX, &n) != 0)
    return fail(err, size, "LISTEN_FDS=%.32s is not a number of sockets "
                "from 1 to %d", fds_s, APP_LISTEN_FDS_MAX);
  for (int fd = APP_LISTEN_FDS_START; fd < APP_LISTEN_FDS_START + n; fd++)
    if (check_fd(fd, err, size) != 0) return -1;
  return (int)n;
}

int app_listen_fds(char *err, size_t size) {
  int n = read_environment(err, size);
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  return n;
}

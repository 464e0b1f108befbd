/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Socket activation as the tools read it (apps/common/listen_fds.c): when
 * LISTEN_* count, when they are meant for another process, that they are
 * gone afterwards whatever they said, and what becomes of the sockets.
 * chat_service.test.js runs cnet-chat itself through the same paths. */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "listen_fds.h"

static char err[160];

static void set_env(const char *pid, const char *fds) {
  ASSERT_EQ(0, pid ? setenv("LISTEN_PID", pid, 1) : unsetenv("LISTEN_PID"));
  ASSERT_EQ(0, fds ? setenv("LISTEN_FDS", fds, 1) : unsetenv("LISTEN_FDS"));
  ASSERT_EQ(0, setenv("LISTEN_FDNAMES", "chat", 1));
}

static void assert_env_gone(void) {
  ASSERT_NULL(getenv("LISTEN_PID"));
  ASSERT_NULL(getenv("LISTEN_FDS"));
  ASSERT_NULL(getenv("LISTEN_FDNAMES"));
}

static const char *own_pid(void) {
  static char pid[24];
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  return pid;
}

/* Descriptors 3 and on, for the test to hand out as a service manager
 * would: whatever this process inherited there (CTest lets its log
 * through as 3) is of no use to it. */
static void free_fds(void) {
  for (int fd = APP_LISTEN_FDS_START;
       fd < APP_LISTEN_FDS_START + APP_LISTEN_FDS_MAX; fd++)
    close(fd);
}

/* A listening TCP socket on loopback, as descriptor fd. */
static void listening_at(int fd) {
  /* Made above the descriptors the test hands out, which a new socket
   * would otherwise take. */
  int s0 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT(s0 >= 0);
  int s = fcntl(s0, F_DUPFD_CLOEXEC, 64);
  ASSERT(s >= 64);
  close(s0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_EQ(0, bind(s, (struct sockaddr *)&a, sizeof a));
  ASSERT_EQ(0, listen(s, 8));
  ASSERT_EQ(fd, dup2(s, fd)); /* without close-on-exec, as inherited */
  close(s);
}

CNET_TEST(none_without_listen_pid) {
  set_env(NULL, NULL);
  ASSERT_EQ(0, app_listen_fds(err, sizeof err));
  assert_env_gone();
}

/* Meant for another process (a parent let them through): ignored, as
 * sd_listen_fds ignores them, and not passed on. */
CNET_TEST(meant_for_another_process) {
  char other[24];
  snprintf(other, sizeof other, "%ld", (long)getpid() + 1);
  set_env(other, "1");
  ASSERT_EQ(0, app_listen_fds(err, sizeof err));
  assert_env_gone();
}

CNET_TEST(passed_sockets_are_counted_and_kept_from_children) {
  free_fds();
  listening_at(3);
  listening_at(4);
  set_env(own_pid(), "2");
  ASSERT_EQ(2, app_listen_fds(err, sizeof err));
  assert_env_gone();
  ASSERT(fcntl(3, F_GETFD) & FD_CLOEXEC);
  ASSERT(fcntl(4, F_GETFD) & FD_CLOEXEC);
  close(3);
  close(4);
}

CNET_TEST(wrong_values_say_why_and_are_unset_too) {
  static const struct {
    const char *pid, *fds, *why;
  } table[] = {
      {NULL, "1", "LISTEN_FDS=1 is set without LISTEN_PID"},
      {"", "1", "LISTEN_PID= is not a process id"},
      {"+1", "1", "LISTEN_PID=+1 is not a process id"},
      {"-", NULL, "LISTEN_PID names this process but LISTEN_FDS is not set"},
      {"-", "", "LISTEN_FDS= is not a number of sockets from 1 to 16"},
      {"-", "0", "LISTEN_FDS=0 is not a number of sockets from 1 to 16"},
      {"-", "2 ", "LISTEN_FDS=2  is not a number of sockets from 1 to 16"},
      {"-", "17", "LISTEN_FDS=17 is not a number of sockets from 1 to 16"},
      {"-", "16", "descriptor 3 (LISTEN_FDS) is not open"},
  };
  free_fds();
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    const char *pid = table[i].pid;
    set_env(pid && pid[0] == '-' ? own_pid() : pid, table[i].fds);
    ASSERT_EQ(-1, app_listen_fds(err, sizeof err));
    ASSERT_STR_EQ(table[i].why, err);
    assert_env_gone();
  }
  /* The first descriptor that is not a listening socket is named. */
  listening_at(3);
  set_env(own_pid(), "2");
  ASSERT_EQ(-1, app_listen_fds(err, sizeof err));
  ASSERT_STR_EQ("descriptor 4 (LISTEN_FDS) is not open", err);
  ASSERT_EQ(4, dup2(STDIN_FILENO, 4));
  set_env(own_pid(), "2");
  ASSERT_EQ(-1, app_listen_fds(err, sizeof err));
  ASSERT(strstr(err, "descriptor 4 (LISTEN_FDS) is not ") == err);
  close(3);
  close(4);
}

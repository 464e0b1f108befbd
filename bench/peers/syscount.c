/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* syscount: counts the write system calls of the process it is preloaded
 * into (LD_PRELOAD=libsyscount.so SYSCOUNT_FILE=path server ...), for S7's
 * "sends per delivery". /proc/PID/io's syscw cannot say it: the kernel
 * counts write(2) and writev(2) there but not send(2), sendto(2) or
 * sendmsg(2), which is what cnet uses on sockets; perf's syscall
 * tracepoints can, but need privileges a benchmark should not ask for.
 *
 * Every call to write, writev, send, sendto, sendmsg or sendmmsg that the
 * program (or a library it loads: libcnet, Node's libuv) makes through
 * libc adds one to a counter that lives in SYSCOUNT_FILE, a page the
 * load generator maps and reads at the edges of its measured window. The
 * count is of calls, whatever they carry and whatever the kernel answers
 * (EAGAIN counts: the kernel was entered). Costs one atomic add a call. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static _Atomic unsigned long long unmapped; /* without SYSCOUNT_FILE */
static _Atomic unsigned long long *calls = &unmapped;

__attribute__((constructor)) static void syscount_init(void) {
  const char *path = getenv("SYSCOUNT_FILE");
  if (!path) return;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  if (ftruncate(fd, 4096) == 0) {
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) calls = p;
  }
  close(fd);
}

/* The libc function this one stands for, looked up on first use, and
 * the call counted. */
#define REAL(name)                                                           \
  static __typeof__(&name) real;                                             \
  if (!real) real = (__typeof__(&name))dlsym(RTLD_NEXT, #name);              \
  atomic_fetch_add_explicit(calls, 1, memory_order_relaxed)

ssize_t write(int fd, const void *buf, size_t len) {
  REAL(write);
  return real(fd, buf, len);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  REAL(writev);
  return real(fd, iov, cnt);
}

ssize_t send(int fd, const void *buf, size_t len, int flags) {
  REAL(send);
  return real(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
               const struct sockaddr *to, socklen_t tolen) {
  REAL(sendto);
  return real(fd, buf, len, flags, to, tolen);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  REAL(sendmsg);
  return real(fd, msg, flags);
}

int sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags) {
  REAL(sendmmsg);
  return real(fd, msgs, n, flags);
}

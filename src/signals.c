/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Signals (Node's process.on('SIGINT'), ...): a process-wide handler for
 * each watched signal turns every delivery into callbacks on each loop
 * that watches it. The handler only counts and writes a byte to those
 * loops' pipes, both async-signal-safe and right whichever thread the
 * kernel picked; each loop reads its pipe in the poll phase and calls its
 * watchers. What the handler reads (the loops, what each watches) is
 * guarded by a lock a signal handler may take: a pipe holding one byte
 * while the lock is free (libuv's way). */
#include "signals.h"
#include "poller.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A loop's part, made by its first cnet_signal_init. */
typedef struct cnet__signals {
  struct cnet__signals *next; /* every loop's part: the handler's list */
  struct cnet__signals *prev;
  cnet_loop *loop;
  cnet__io io;                /* the pipe's read end                   */
  int wfd;                    /* its write end, for the handler        */
  cnet_signal *head;          /* the watchers initialised on the loop, */
  cnet_signal *tail;          /* the last started last                 */
  cnet_signal *cursor;        /* the next one a delivery looks at      */
  uint64_t seq;               /* starts so far                         */
  /* Started watchers of each signal on this loop: changed under the
   * lock, read by the handler. */
  unsigned watching[NSIG];
  /* Deliveries the handler counted and the loop has not taken yet. A
   * count going from 0 to 1 writes the signal's number to the pipe, so
   * the pipe holds about one byte per signal and never fills. */
  atomic_uint caught[NSIG];
} cnet__signals;

/* The lock's pipe. Atomics: the handler reads them on any thread. */
static atomic_int lock_rfd = -1, lock_wfd = -1;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static int global_error;
/* Under the lock: the loops' parts, and per signal the watchers started
 * in the whole process and what the signal did before the first. */
static cnet__signals *all_loops;
static struct {
  unsigned watchers;
  struct sigaction before;
} process_signals[NSIG];
static sigset_t fork_mask;

/* ---- the lock ---------------------------------------------------------- */

/* A read that fails for another reason than EINTR means the lock's fds
 * are gone: nothing can be guarded any more, and retrying would spin. */
static void lock_take(void) {
  char c;
  while (read(atomic_load(&lock_rfd), &c, 1) != 1)
    if (errno != EINTR) abort();
}

static void lock_give(void) {
  char c = 0;
  while (write(atomic_load(&lock_wfd), &c, 1) != 1)
    if (errno != EINTR) abort();
}

/* Outside the handler, every signal is blocked while the lock is held: a
 * handler that interrupted the holder would wait for it for ever. */
static void lock(sigset_t *saved) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, saved);
  lock_take();
}

static void unlock(const sigset_t *saved) {
  lock_give();
  pthread_sigmask(SIG_SETMASK, saved, NULL);
}

static int lock_make(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) return cnet_errno(errno);
  char c = 0;
  if (write(fds[1], &c, 1) != 1) {
    int r = cnet_errno(errno);
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  return 0;
}

/* fork() holds the lock across the copy, so that the child never starts
 * with lists half changed; the child then takes a lock of its own. */
static void fork_prepare(void) {
  sigset_t saved;
  lock(&saved);
  fork_mask = saved;
}

static void fork_parent(void) {
  sigset_t saved = fork_mask;
  unlock(&saved);
}

static void fork_child(void) {
  sigset_t saved = fork_mask;
  int fds[2];
  /* If no new pipe can be had, the child keeps sharing the parent's lock,
   * which the parent gives back: slower, still correct. */
  if (lock_make(fds) == 0) {
    close(atomic_exchange(&lock_rfd, fds[0]));
    close(atomic_exchange(&lock_wfd, fds[1]));
  }
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

static void global_init(void) {
  int fds[2];
  global_error = lock_make(fds);
  if (global_error) return;
  atomic_store(&lock_rfd, fds[0]);
  atomic_store(&lock_wfd, fds[1]);
  global_error = -pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* ---- the handler and what it watches ----------------------------------- */

static void on_signal(int signum) {
  int saved_errno = errno;
  lock_take();
  for (cnet__signals *s = all_loops; s; s = s->next) {
    if (!s->watching[signum]) continue;
    if (atomic_fetch_add(&s->caught[signum], 1) == 0) {
      unsigned char b = (unsigned char)signum;
      while (write(s->wfd, &b, 1) < 0 && errno == EINTR) {
      }
    }
  }
  lock_give();
  errno = saved_errno;
}

/* Under the lock. The first watcher in the process installs the handler
 * (which fails for SIGKILL and SIGSTOP: EINVAL). Every signal is blocked
 * while it runs, so that another one on the same thread cannot wait for
 * the lock it holds. */
static int watch(cnet__signals *s, int signum) {
  if (process_signals[signum].watchers == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(signum, &sa, &process_signals[signum].before) != 0)
      return cnet_errno(errno);
  }
  process_signals[signum].watchers++;
  s->watching[signum]++;
  return 0;
}

/* Under the lock. A count left for a signal the loop no longer watches is
 * dropped, so that a watcher started later does not get it; the last
 * watcher in the process puts back what the signal did before. */
static void unwatch(cnet__signals *s, int signum) {
  if (--s->watching[signum] == 0) atomic_store(&s->caught[signum], 0);
  if (--process_signals[signum].watchers == 0)
    sigaction(signum, &process_signals[signum].before, NULL);
}

/* ---- delivery on the loop ---------------------------------------------- */

/* One delivery: every watcher of signum started before it, in order. The
 * cursor survives callbacks that stop, close or restart any watcher. */
static void deliver(cnet__signals *s, int signum) {
  uint64_t before = s->seq;
  for (cnet_signal *w = s->head; w; w = s->cursor) {
    s->cursor = w->next;
    if ((w->flags & CNET__F_ACTIVE) && w->signum == signum && w->seq < before)
      w->cb(w, signum, w->arg);
  }
  s->cursor = NULL;
  cnet__run_ticks(s->loop);
}

static void on_pipe(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  cnet__signals *s = CNET__CONTAINER_OF(io, cnet__signals, io);
  unsigned char got[NSIG];
  unsigned counts[NSIG];
  ssize_t n;
  (void)loop, (void)revents;
  do n = read(io->fd, got, sizeof got);
  while (n < 0 && errno == EINTR);
  /* What arrives while the callbacks run waits for the next poll, as in
   * Node: take every count first. Bytes beyond these wait there too. */
  for (ssize_t i = 0; i < n; i++)
    counts[i] = got[i] < NSIG ? atomic_exchange(&s->caught[got[i]], 0) : 0;
  for (ssize_t i = 0; i < n; i++)
    for (unsigned k = 0; k < counts[i]; k++) deliver(s, got[i]);
}

static int loop_part(cnet_loop *loop, cnet__signals **out) {
  if (loop->signals) {
    *out = loop->signals;
    return 0;
  }
  pthread_once(&global_once, global_init);
  if (global_error) return global_error;
  cnet__signals *s = calloc(1, sizeof *s);
  if (!s) return CNET_ENOMEM;
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    int r = cnet_errno(errno);
    free(s);
    return r;
  }
  for (int i = 0; i < NSIG; i++) atomic_init(&s->caught[i], 0);
  s->loop = loop;
  s->wfd = fds[1];
  s->io.fd = fds[0];
  s->io.cb = on_pipe;
  s->io.events = POLLIN;
  int r = cnet__io_update(loop, &s->io);
  if (r != 0) {
    cnet__io_close(loop, &s->io);
    close(fds[0]);
    close(fds[1]);
    free(s);
    return r;
  }
  sigset_t saved;
  lock(&saved);
  s->next = all_loops;
  if (all_loops) all_loops->prev = s;
  all_loops = s;
  unlock(&saved);
  *out = loop->signals = s;
  return 0;
}

void cnet__signals_free(cnet_loop *loop) {
  cnet__signals *s = loop->signals;
  if (!s) return;
  sigset_t saved;
  lock(&saved);
  if (s->prev)
    s->prev->next = s->next;
  else
    all_loops = s->next;
  if (s->next) s->next->prev = s->prev;
  unlock(&saved);
  cnet__io_close(loop, &s->io);
  close(s->io.fd);
  close(s->wfd);
  free(s);
  loop->signals = NULL;
}

void cnet__signals_walk(cnet_loop *loop,
                        void (*cb)(const cnet_handle_info *info, void *arg),
                        void *arg) {
  if (!loop->signals) return;
  for (const cnet_signal *w = loop->signals->head; w; w = w->next) {
    cnet_handle_info info = {"signal", w, (w->flags & CNET__F_ACTIVE) != 0,
                             (w->flags & CNET__F_REF) != 0};
    cb(&info, arg);
  }
}

/* ---- the watchers ------------------------------------------------------ */

static void unlink_watcher(cnet__signals *s, cnet_signal *w) {
  if (s->cursor == w) s->cursor = w->next;
  if (w->prev)
    w->prev->next = w->next;
  else
    s->head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    s->tail = w->prev;
  w->next = w->prev = NULL;
}

static void append_watcher(cnet__signals *s, cnet_signal *w) {
  w->prev = s->tail;
  w->next = NULL;
  if (s->tail)
    s->tail->next = w;
  else
    s->head = w;
  s->tail = w;
}

int cnet_signal_init(cnet_loop *loop, cnet_signal *sig) {
  if (!loop || !sig) return cnet__fail(CNET_EINVAL, NULL);
  cnet__signals *s = NULL;
  int r = loop_part(loop, &s);
  if (r != 0) return cnet__fail_syscall(r, "uv_signal_init");
  *sig = (cnet_signal){.loop = loop, .flags = CNET__F_INIT};
  append_watcher(s, sig);
  return 0;
}

int cnet_signal_start(cnet_signal *sig, int signum, cnet_signal_cb cb,
                      void *arg) {
  if (!sig || !(sig->flags & CNET__F_INIT) || !cb) return cnet__fail(CNET_EINVAL, NULL);
  if (signum <= 0 || signum >= NSIG) return cnet__fail_syscall(CNET_EINVAL, "uv_signal_start");
  bool active = sig->flags & CNET__F_ACTIVE;
  if (!active || sig->signum != signum) {
    cnet__signals *s = sig->loop->signals;
    sigset_t saved;
    lock(&saved);
    int r = watch(s, signum);
    if (r == 0 && active) unwatch(s, sig->signum);
    unlock(&saved);
    if (r != 0) return cnet__fail_syscall(r, "uv_signal_start");
    sig->signum = signum;
    sig->seq = s->seq++;
    unlink_watcher(s, sig);
    append_watcher(s, sig);
    cnet__flags_update(sig->loop, &sig->flags, CNET__F_ACTIVE, 0);
  }
  sig->cb = cb;
  sig->arg = arg;
  return 0;
}

int cnet_signal_stop(cnet_signal *sig) {
  if (!sig || !(sig->flags & CNET__F_INIT)) return cnet__fail(CNET_EINVAL, NULL);
  if (!(sig->flags & CNET__F_ACTIVE)) return 0;
  sigset_t saved;
  lock(&saved);
  unwatch(sig->loop->signals, sig->signum);
  unlock(&saved);
  cnet__flags_update(sig->loop, &sig->flags, 0, CNET__F_ACTIVE);
  return 0;
}

void cnet_signal_close(cnet_signal *sig) {
  if (!sig || !(sig->flags & CNET__F_INIT)) return;
  cnet_signal_stop(sig);
  unlink_watcher(sig->loop->signals, sig);
  sig->flags = 0;
}

void cnet_signal_ref(cnet_signal *sig) {
  if (sig && (sig->flags & CNET__F_INIT))
    cnet__flags_update(sig->loop, &sig->flags, CNET__F_REF, 0);
}

void cnet_signal_unref(cnet_signal *sig) {
  if (sig && (sig->flags & CNET__F_INIT))
    cnet__flags_update(sig->loop, &sig->flags, 0, CNET__F_REF);
}

bool cnet_signal_has_ref(const cnet_signal *sig) {
  return sig && (sig->flags & CNET__F_REF);
}

bool cnet_signal_is_active(const cnet_signal *sig) {
  return sig && (sig->flags & CNET__F_ACTIVE);
}

/* ---- names ------------------------------------------------------------- */

/* os.constants.signals on Linux, in Node's order; an alias comes after
 * the name Node reports for its number. */
static const struct {
  const char *name;
  int signum;
} names[] = {
    {"SIGHUP", SIGHUP}, {"SIGINT", SIGINT}, {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL}, {"SIGTRAP", SIGTRAP}, {"SIGABRT", SIGABRT},
    {"SIGIOT", SIGIOT}, {"SIGBUS", SIGBUS}, {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1}, {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2}, {"SIGPIPE", SIGPIPE}, {"SIGALRM", SIGALRM},
    {"SIGTERM", SIGTERM}, {"SIGCHLD", SIGCHLD}, {"SIGSTKFLT", SIGSTKFLT},
    {"SIGCONT", SIGCONT}, {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU}, {"SIGURG", SIGURG},
    {"SIGXCPU", SIGXCPU}, {"SIGXFSZ", SIGXFSZ}, {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH}, {"SIGIO", SIGIO},
    {"SIGPOLL", SIGPOLL}, {"SIGPWR", SIGPWR}, {"SIGSYS", SIGSYS},
};

const char *cnet_signal_name(int signum) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].signum == signum) return names[i].name;
  return NULL;
}

int cnet_signal_from_name(const char *name) {
  if (name)
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (strcmp(names[i].name, name) == 0) return names[i].signum;
  return cnet__fail(CNET_ERR_UNKNOWN_SIGNAL, "Unknown signal: %s", name ? name : "");
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A lossy, slow link between two network namespaces, made in user space:
 * what tc's netem does ("loss P% delay D"), for kernels built without
 * sch_netem (and identical on those built with it). Each namespace has a
 * tun device; this program moves every IP packet from one to the other,
 * dropping each with probability P and holding the rest D milliseconds,
 * in both directions, in order (netem without jitter never reorders).
 * Like netem, a direction holds at most 1000 packets; more are dropped.
 *
 *   netns_lossy_link [-l loss%] [-d delay_ms] [-s seed] NS_A TUN_A NS_B TUN_B
 *
 * NS_x is a name under /run/netns; TUN_x a tun device (ip tuntap add ...
 * mode tun) in it, attached here. Prints "ready" once both are attached;
 * on SIGTERM prints per direction how many packets passed and were lost,
 * so that a test can show the link really lost what it should. */
/* _GNU_SOURCE (setns) comes from the build. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LIMIT 1000      /* netem's default queue limit, in packets */
#define SLOT 2048       /* a packet of the tun's MTU (1500) fits */

struct dir {
  const char *name;
  int from, to;
  uint64_t due[LIMIT];
  uint16_t len[LIMIT];
  unsigned char (*buf)[SLOT];
  unsigned head, count;
  unsigned long passed, lost, overflow, refused;
};

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* xorshift64*: a seeded stream, so a run's losses can be told apart from
 * another's by its seed (printed at start). */
static uint64_t rng;
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static int attach(const char *ns, const char *tun) {
  char path[256];
  snprintf(path, sizeof path, "/run/netns/%s", ns);
  int nsfd = open(path, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) != 0) {
    fprintf(stderr, "netns_lossy_link: namespace %s: %s\n", ns, strerror(errno));
    exit(1);
  }
  close(nsfd);
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tun);
  if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0) {
    fprintf(stderr, "netns_lossy_link: tun %s in %s: %s\n", tun, ns, strerror(errno));
    exit(1);
  }
  return fd;
}

/* Reads what is waiting on d->from (a bounded batch, so that the other
 * direction is not starved) and queues or drops each packet. */
static void take(struct dir *d, double loss, uint64_t delay) {
  for (int n = 0; n < 64; n++) {
    unsigned char scratch[SLOT];
    unsigned tail = (d->head + d->count) % LIMIT;
    unsigned char *into = d->count < LIMIT ? d->buf[tail] : scratch;
    ssize_t r = read(d->from, into, SLOT);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      fprintf(stderr, "netns_lossy_link: read %s: %s\n", d->name, strerror(errno));
      exit(1);
    }
    if (uniform() * 100.0 < loss) {
      d->lost++;
    } else if (d->count == LIMIT) {
      d->overflow++;
    } else {
      d->due[tail] = now_ns() + delay;
      d->len[tail] = (uint16_t)r;
      d->count++;
    }
  }
}

/* Delivers every packet whose time has come; returns when the next is due
 * (0 if none waits). */
static uint64_t deliver(struct dir *d) {
  uint64_t t = now_ns();
  while (d->count && d->due[d->head] <= t) {
    /* A write the kernel refuses (its backlog full) is a packet lost on
     * the wire, as it would be on a real link; so is one to a tun that is
     * not up yet (EIO): the script brings the two ends up one after the
     * other, and the first may already send (an IPv6 solicitation, say)
     * before the second is up. */
    if (write(d->to, d->buf[d->head], d->len[d->head]) >= 0) {
      d->passed++;
    } else if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR ||
               errno == EIO) {
      d->refused++;
    } else {
      fprintf(stderr, "netns_lossy_link: write %s: %s\n", d->name, strerror(errno));
      exit(1);
    }
    d->head = (d->head + 1) % LIMIT;
    d->count--;
  }
  return d->count ? d->due[d->head] : 0;
}

int main(int argc, char **argv) {
  double loss = 5;
  long delay_ms = 50;
  uint64_t seed = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);
  int opt;
  while ((opt = getopt(argc, argv, "l:d:s:")) != -1) {
    switch (opt) {
      case 'l': loss = atof(optarg); break;
      case 'd': delay_ms = atol(optarg); break;
      case 's': seed = strtoull(optarg, NULL, 0); break;
      default: return 2;
    }
  }
  if (argc - optind != 4 || loss < 0 || loss > 100 || delay_ms < 0) {
    fprintf(stderr, "usage: netns_lossy_link [-l loss%%] [-d delay_ms] [-s seed] "
                    "NS_A TUN_A NS_B TUN_B\n");
    return 2;
  }
  rng = seed ? seed : 1;
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  /* The signals are let in only inside ppoll, so that one arriving just
   * before it cannot be missed. */
  sigset_t block, open_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &open_mask);

  int a = attach(argv[optind], argv[optind + 1]);
  int b = attach(argv[optind + 2], argv[optind + 3]);
  static unsigned char bufs[2][LIMIT][SLOT];
  struct dir dirs[2] = {{.name = "a->b", .from = a, .to = b, .buf = bufs[0]},
                        {.name = "b->a", .from = b, .to = a, .buf = bufs[1]}};
  uint64_t delay = (uint64_t)delay_ms * 1000000u;
  printf("ready: loss %g%% delay %ld ms each way, seed %llu\n", loss, delay_ms,
         (unsigned long long)seed);

  while (!stop) {
    uint64_t next = 0;
    for (int i = 0; i < 2; i++) {
      uint64_t due = deliver(&dirs[i]);
      if (due && (!next || due < next)) next = due;
    }
    struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
    struct timespec ts, *tp = NULL;
    if (next) {
      uint64_t t = now_ns(), wait = next > t ? next - t : 0;
      ts.tv_sec = (time_t)(wait / 1000000000u);
      ts.tv_nsec = (long)(wait % 1000000000u);
      tp = &ts;
    }
    if (ppoll(p, 2, tp, &open_mask) < 0) {
      if (errno == EINTR) continue;
      perror("netns_lossy_link: ppoll");
      return 1;
    }
    for (int i = 0; i < 2; i++)
      if (p[i].revents & POLLIN) take(&dirs[i], loss, delay);
  }
  for (int i = 0; i < 2; i++) {
    struct dir *d = &dirs[i];
    unsigned long total = d->passed + d->count + d->lost + d->overflow + d->refused;
    printf("%s: %lu packets, %lu lost (%.2f%%), %lu over the queue limit, "
           "%lu refused by the kernel\n", d->name, total, d->lost,
           total ? 100.0 * (double)d->lost / (double)total : 0.0, d->overflow, d->refused);
  }
  return 0;
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* openssl_echo: the hand-written OpenSSL + epoll TLS echo server of cnet's
 * benchmarks (S9, S10), the floor cnet's tls is measured against, as
 * epoll_echo.c is for net.
 *
 * What a careful C programmer writes with OpenSSL and no library: one
 * thread, level-triggered epoll, no memory BIO pair. OpenSSL reads the
 * socket itself (a socket BIO with read-ahead: one read() takes what the
 * kernel has, several records at once, straight into OpenSSL's buffer)
 * and decrypts into one plaintext buffer shared by all connections; the
 * echo is encrypted at once from there. Its records go through a write
 * BIO of a few lines that gathers them in the connection's out buffer,
 * and everything one wake-up produced (several records, or a handshake
 * flight with its session tickets) leaves in one send(). While part of
 * it waits for the kernel the connection is not read (the peer is slowed
 * by TCP flow control), as a Node pipe pauses its source.
 *
 *   openssl_echo CERT KEY [port]   port 0 (the default) picks one;
 *                                  prints port=N */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define PLAIN 16384           /* one record's plaintext: what SSL_read gives */
#define READ_AHEAD 65536      /* OpenSSL's read buffer: one read() per 64 KiB */
#define OUT_HIGH (256 * 1024) /* gathered past this, send before reading more */
#define MAXEV 256

typedef struct conn {
  int fd;
  SSL *ssl;
  bool secure;
  bool waiting; /* out has bytes the kernel refused: EPOLLOUT, not EPOLLIN */
  char *out;    /* ciphertext to send: out[off, len) */
  size_t off, len, cap;
} conn;

static char plain[PLAIN];
static int epfd;
static int lfd;
static SSL_CTX *ctx;
static BIO_METHOD *gather;

/* The write BIO: records are appended to the connection's out buffer,
 * which send_out() hands to the kernel. */
static int gather_write(BIO *b, const char *data, int n) {
  conn *c = BIO_get_data(b);
  if (c->len + (size_t)n > c->cap) {
    size_t cap = c->cap ? c->cap : 32768;
    while (cap < c->len + (size_t)n) cap *= 2;
    char *p = realloc(c->out, cap);
    if (!p) return -1;
    c->out = p;
    c->cap = cap;
  }
  memcpy(c->out + c->len, data, (size_t)n);
  c->len += (size_t)n;
  return n;
}

static long gather_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void)b, (void)num, (void)ptr;
  return cmd == BIO_CTRL_FLUSH; /* send_out() flushes, after each wake-up */
}

static void drop(conn *c) {
  SSL_free(c->ssl); /* frees both BIOs; the socket BIO leaves fd open */
  close(c->fd);     /* also removes it from the epoll set */
  free(c->out);
  free(c);
}

static void set_events(conn *c, uint32_t events) {
  struct epoll_event ev = {.events = events, .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends what is gathered; -1 if the connection failed. What the kernel
 * does not take waits for EPOLLOUT, and reading stops until it is sent. */
static int send_out(conn *c) {
  while (c->off < c->len) {
    ssize_t w = send(c->fd, c->out + c->off, c->len - c->off, MSG_NOSIGNAL);
    if (w > 0) {
      c->off += (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      if (!c->waiting) set_events(c, EPOLLOUT);
      c->waiting = true;
      return 0;
    } else {
      return -1;
    }
  }
  c->off = c->len = 0;
  if (c->waiting) set_events(c, EPOLLIN);
  c->waiting = false;
  return 0;
}

/* Whether SSL_read/SSL_do_handshake's r means "wait for the socket". */
static bool would_block(conn *c, int r) {
  int e = SSL_get_error(c->ssl, r);
  ERR_clear_error();
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

/* Reads and echoes until OpenSSL waits for the socket; returns -1 when
 * the connection is over. */
static int echo(conn *c) {
  if (!c->secure) {
    int r = SSL_do_handshake(c->ssl);
    if (r != 1) return would_block(c, r) ? send_out(c) : -1;
    c->secure = true;
  }
  for (;;) {
    int n = SSL_read(c->ssl, plain, PLAIN);
    if (n <= 0) {
      if (SSL_get_error(c->ssl, n) == SSL_ERROR_ZERO_RETURN) {
        SSL_shutdown(c->ssl); /* the peer's close_notify: ours, then close */
        send_out(c);
        return -1;
      }
      return would_block(c, n) ? send_out(c) : -1;
    }
    if (SSL_write(c->ssl, plain, n) != n) return -1; /* the BIO takes it all */
    if (c->len >= OUT_HIGH) {
      if (send_out(c) != 0) return -1;
      if (c->waiting) return 0; /* the rest after POLLOUT */
    }
  }
}

static void on_accept(void) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return; /* EAGAIN, or EMFILE: the backlog keeps the rest */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn *c = calloc(1, sizeof *c);
    SSL *ssl = SSL_new(ctx);
    BIO *rb = BIO_new_socket(fd, BIO_NOCLOSE), *wb = BIO_new(gather);
    if (!c || !ssl || !rb || !wb) {
      free(c), SSL_free(ssl), BIO_free(rb), BIO_free(wb);
      close(fd);
      continue;
    }
    BIO_set_data(wb, c);
    BIO_set_init(wb, 1);
    SSL_set_bio(ssl, rb, wb);
    SSL_set_accept_state(ssl);
    c->fd = fd;
    c->ssl = ssl;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  }
}

static int setup(const char *cert, const char *key) {
  ctx = SSL_CTX_new(TLS_server_method());
  gather = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "gather");
  if (!ctx || !gather || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    return -1;
  }
  BIO_meth_set_write(gather, gather_write);
  BIO_meth_set_ctrl(gather, gather_ctrl);
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_default_read_buffer_len(ctx, READ_AHEAD);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: openssl_echo CERT KEY [port]\n");
    return 1;
  }
  int port = argc > 3 ? atoi(argv[3]) : 0;
  signal(SIGPIPE, SIG_IGN);
  if (setup(argv[1], argv[2]) != 0) return 1;
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 511) != 0 ||
      getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
    perror("openssl_echo: listen");
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);

  struct epoll_event evs[MAXEV];
  for (;;) {
    int n = epoll_wait(epfd, evs, MAXEV, -1);
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      if (!c) {
        on_accept();
        continue;
      }
      /* Writable again: send the rest, then read what OpenSSL already
       * holds (no EPOLLIN comes for bytes out of the kernel). */
      if (c->waiting) {
        if (send_out(c) != 0) {
          drop(c);
          continue;
        }
        if (c->waiting) continue;
      }
      if (echo(c) != 0) drop(c);
    }
  }
}

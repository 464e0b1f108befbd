/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-cat: a netcat on cnet's public API. It connects to or listens on a
 * TCP port, a Unix socket or a UDP port and joins it to stdin and stdout:
 * bytes from stdin go to the peer and bytes from the peer go to stdout,
 * with cnet_pipe's backpressure so that memory stays flat however much
 * flows. The flags are OpenBSD nc's where they overlap, and ncat's for TLS
 * (--ssl and its kin). Manual: cnet-cat.1. */
#include <cnet.h>

#include "../common/accept_errors.h"
#include "../common/args.h"
#include "../common/tls.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: cnet-cat [options] HOST PORT\n"
    "       cnet-cat [options] -l [HOST] PORT\n"
    "       cnet-cat [options] -U PATH\n"
    "\n"
    "Joins stdin and stdout to a TCP, Unix or UDP socket, built on cnet.\n"
    "\n"
    "  -l                listen for a connection instead of connecting\n"
    "  -k                with -l: keep listening after a connection ends\n"
    "  -u                UDP instead of TCP\n"
    "  -U                PATH is a Unix domain socket\n"
    "  -N                end (half-close) the socket once stdin ends\n"
    "  -w SECS           give up after SECS seconds without traffic\n"
    "  -v                report connections on stderr\n"
    "  -4, -6            IPv4 or IPv6 only (UDP: the socket type)\n"
    "  --broadcast       UDP: allow sending to a broadcast address\n"
    "  --join GROUP[,IFACE]  UDP: join a multicast group (on IFACE's address)\n"
    "  --ttl N           UDP: unicast and multicast TTL\n"
    "  --max-datagram N  UDP: send stdin in datagrams of at most N bytes\n"
    "                    (1-65527; default the most one holds: 65507 on\n"
    "                    IPv4, 65527 on IPv6)\n"
    "  --max-queued N    UDP: drop (and with -v count) datagrams received\n"
    "                    while N bytes wait for stdout (default 1048576)\n"
    "  --ssl             TLS: to the peer, or with -l for the clients (which\n"
    "                    then needs --ssl-cert and --ssl-key)\n"
    "  --ssl-cert FILE   the certificate (PEM): -l's, or the client's own\n"
    "  --ssl-key FILE    its private key (PEM)\n"
    "  --ssl-verify      --ssl that verifies the server's certificate and\n"
    "                    name, and fails if they do not (default: no check)\n"
    "  --ssl-trustfile FILE  with --ssl-verify: the CAs to trust (PEM)\n"
    "                    instead of the system's\n"
    "  -h, --help        this help\n"
    "  -V, --version     the version\n"
    "\n"
    "See cnet-cat(1).\n";

typedef struct cat {
  cnet_loop *loop;
  cnet_stream *in, *out;
  /* Options. */
  bool listen, keep, udp, unix_path, half_close, verbose, broadcast;
  int family; /* 0, 4 or 6 */
  unsigned idle_ms;
  const char *host, *path, *join;
  int port, ttl;
  bool ssl, ssl_verify;
  app_tls_files tls_files;
  cnet_tls_context *tls; /* --ssl */
  /* TCP and Unix. */
  cnet_server *server;
  cnet_socket *sock;    /* the connection, while there is one */
  accept_log accept_errors;
  bool stdin_ended;
  bool peer_ended;
  /* UDP. */
  cnet_dgram *dgram;
  bool have_peer;
  char peer_host[CNET_ADDRESS_MAX];
  int peer_port;
  size_t in_flight;     /* datagrams handed to send, not yet sent */
  size_t max_datagram;  /* --max-datagram; 0 until the family is known */
  size_t max_queued;    /* --max-queued */
  int send_error;       /* the last send error reported, 0 for none */
  unsigned long long dropped; /* datagrams stdout had no room for */
  cnet_timer idle;
  bool idle_started;
  bool secured;  /* --ssl client: the handshake is done */
  bool done;
  int status;
} cat;

/* Datagrams stdin may have in flight before it is paused. */
#define UDP_MAX_IN_FLIGHT 64
/* The payload of the largest UDP datagram: 65535 less the UDP header, and
 * on IPv4 the IP header too (IPv6's is outside its length field). */
#define UDP4_MAX_DATAGRAM 65507
#define UDP6_MAX_DATAGRAM 65527
/* Received datagrams stdout may hold before more are dropped: UDP has no
 * flow control to slow the sender, so the only bound is a cap. */
#define UDP_MAX_QUEUED_DEFAULT (1024 * 1024)

/* A command line cnet-cat cannot run: the message, the usage, status 2. */
static _Noreturn void die_usage(const char *msg, const char *arg) {
  app_usage_error("cnet-cat", usage, msg, arg);
}

/* err->message is Node's and names the call ("connect ECONNREFUSED
 * 127.0.0.1:1"); what (may be NULL) says which of ours it came from. */
static void report(const cnet_error *err, const char *what) {
  if (!err) return;
  if (what) fprintf(stderr, "cnet-cat: %s: %s\n", what, err->message);
  else fprintf(stderr, "cnet-cat: %s\n", err->message);
}

/* ---- The end ------------------------------------------------------------- */

static void on_out_finished(void *object, const cnet_error *err, void *arg) {
  cat *c = arg;
  (void)object, (void)err;
  if (c->out) cnet_stream_destroy(c->out, NULL);
  c->out = NULL;
}

/* Everything is over: stop reading stdin, let stdout write what it holds,
 * and close what is still open. Nothing then keeps the loop running. */
static void finish(cat *c) {
  if (c->done) return;
  c->done = true;
  if (c->verbose && c->dropped)
    fprintf(stderr, "cnet-cat: %llu datagram%s dropped: stdout did not keep up "
                    "(--max-queued %zu)\n",
            c->dropped, c->dropped == 1 ? "" : "s", c->max_queued);
  if (c->idle_started) cnet_timer_stop(&c->idle);
  if (c->in) cnet_stream_destroy(c->in, NULL);
  c->in = NULL;
  if (c->server && cnet_server_listening(c->server))
    cnet_server_close(c->server, NULL, NULL);
  /* A socket whose peer has ended gets our end after its queued bytes;
   * any other is cut. */
  if (c->sock && c->peer_ended) cnet_socket_end(c->sock, NULL, 0, NULL, NULL);
  else if (c->sock) cnet_socket_destroy(c->sock, NULL);
  if (c->dgram) cnet_dgram_close(c->dgram, NULL, NULL);
  c->dgram = NULL;
  /* end() on stdout waits for its buffered bytes; 'finish' destroys it. */
  if (c->out && cnet_stream_end(c->out, NULL, 0, on_out_finished, c) != 0) {
    cnet_stream_destroy(c->out, NULL);
    c->out = NULL;
  }
}

static void on_stdio_error(const cnet_event *ev, void *arg) {
  cat *c = arg;
  /* EPIPE on stdout is how a reader that went away shows; stop quietly. */
  if (ev->error && ev->error->code != CNET_EPIPE) report(ev->error, "stdio");
  if (ev->target == c->in) c->in = NULL;
  if (ev->target == c->out) c->out = NULL;
  finish(c);
}

/* stdin read from a file closes itself after its end: forget it then. */
static void on_stdio_close(const cnet_event *ev, void *arg) {
  cat *c = arg;
  if (ev->target == c->in) c->in = NULL;
  if (ev->target == c->out) c->out = NULL;
}

/* ---- TCP and Unix sockets -------------------------------------------------- */

static void on_idle_timeout(const cnet_event *ev, void *arg) {
  cat *c = arg;
  (void)ev;
  if (c->verbose) fprintf(stderr, "cnet-cat: idle timeout\n");
  /* Timing out before connecting is a failure; after, the end of a quiet
   * session. */
  if (c->sock && (cnet_socket_connecting(c->sock) || (c->ssl && !c->listen &&
                                                      !c->secured)))
    c->status = 1;
  finish(c);
}

static void on_sock_error(const cnet_event *ev, void *arg) {
  cat *c = arg;
  const char *code = cnet_err_name(ev->error->code);
  /* A TLS failure's message ("self-signed certificate") does not carry
   * its code as a system error's does: both are said. */
  if (c->ssl && code && !strstr(ev->error->message, code))
    fprintf(stderr, "cnet-cat: %s: %s\n", code, ev->error->message);
  else
    report(ev->error, NULL);
  c->status = 1;
}

static void on_sock_close(const cnet_event *ev, void *arg) {
  cat *c = arg;
  if (ev->target != c->sock) return;
  c->sock = NULL;
  if (c->verbose && c->listen) fprintf(stderr, "cnet-cat: connection closed\n");
  /* -k: the next connection gets stdin (whatever is left of it). */
  if (c->keep && c->listen && !c->done) return;
  finish(c);
}

/* As nc: a listener is done when its peer ends; a client when both the
 * peer and stdin have ended. With -k the listener waits for the next. */
static void on_sock_end(const cnet_event *ev, void *arg) {
  cat *c = arg;
  if (ev->target != c->sock) return;
  c->peer_ended = true;
  if (c->listen && c->keep) {
    cnet_socket_end(c->sock, NULL, 0, NULL, NULL);
    c->peer_ended = false;
  } else if (c->listen || c->stdin_ended || !c->in) {
    finish(c);
  }
}

static void on_stdin_end(const cnet_event *ev, void *arg) {
  cat *c = arg;
  (void)ev;
  c->stdin_ended = true;
  if (!c->udp && c->peer_ended) finish(c);
}

/* The connection is up: stdin into it, it into stdout. Without -N the
 * socket stays open for writing after stdin ends (as nc), and the peer's
 * end closes the whole thing. */
static void attach(cat *c, cnet_socket *s) {
  c->sock = s;
  cnet_on(s, CNET_EV_ERROR, on_sock_error, c);
  cnet_on(s, CNET_EV_CLOSE, on_sock_close, c);
  cnet_on(s, CNET_EV_END, on_sock_end, c);
  if (c->idle_ms) cnet_socket_set_timeout(s, c->idle_ms, on_idle_timeout, c);
  cnet_pipe_options out_opts = {.end = false};
  cnet_pipe(s, c->out, &out_opts);
  if (c->stdin_ended) {
    if (c->half_close) cnet_socket_end(s, NULL, 0, NULL, NULL);
  } else if (c->in) {
    cnet_pipe_options in_opts = {.end = c->half_close};
    cnet_pipe(c->in, s, &in_opts);
  }
}

/* -v over TLS: what was agreed, and whether the peer was checked. */
static void report_tls(cnet_socket *s) {
  cnet_tls_cipher ci;
  if (cnet_tls_socket_get_cipher(s, &ci) != 0) return;
  fprintf(stderr, "cnet-cat: TLS %s, %s, peer %s\n",
          cnet_tls_socket_get_protocol(s), ci.name,
          cnet_tls_socket_authorized(s) ? "verified" : "not verified");
}

/* With --ssl, runs once the handshake is done (and, with --ssl-verify,
 * the server was verified). */
static void on_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  cat *c = arg;
  cnet_socket *s = target;
  c->secured = c->ssl;
  if (c->verbose) {
    if (c->unix_path)
      fprintf(stderr, "cnet-cat: connected to %s\n", c->path);
    else
      fprintf(stderr, "Connection to %s %d port [tcp/*] succeeded!\n", c->host,
              c->port);
    if (c->ssl) report_tls(s);
  }
  cnet_off(s, CNET_EV_ERROR, on_sock_error, c);
  cnet_off(s, CNET_EV_CLOSE, on_sock_close, c);
  if (c->idle_ms) cnet_socket_set_timeout(s, 0, NULL, NULL);
  attach(c, s);
}

static void on_connection(const cnet_event *ev, void *arg) {
  cat *c = arg;
  cnet_socket *s = ev->object;
  if (c->sock || c->done) { /* one at a time, as nc */
    cnet_socket_destroy(s, NULL);
    return;
  }
  if (c->verbose) {
    cnet_address a;
    if (c->unix_path)
      fprintf(stderr, "cnet-cat: connection received on %s\n", c->path);
    else if (cnet_socket_remote_address(s, &a) == 0)
      fprintf(stderr, "Connection received on %s %d\n", a.address, a.port);
    if (c->ssl) report_tls(s);
  }
  /* Without -k, one connection is all: stop listening. */
  if (!c->keep) cnet_server_close(c->server, NULL, NULL);
  attach(c, s);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cat *c = arg;
  cnet_address a;
  if (!c->verbose) return;
  if (c->unix_path)
    fprintf(stderr, "cnet-cat: listening on %s\n", c->path);
  else if (cnet_server_address(ev->target, &a) == 0)
    fprintf(stderr, "Listening on %s %d\n", a.address, a.port);
}

static void on_server_error(const cnet_event *ev, void *arg) {
  cat *c = arg;
  /* Out of descriptors or memory for a moment: -k goes on listening. */
  if (app_is_accept_error(ev->error)) {
    app_log_accept_error(&c->accept_errors, "cnet-cat", ev->error);
    return;
  }
  report(ev->error, NULL);
  c->status = 1;
  finish(c);
}

/* -l --ssl: a client that failed its handshake is not the connection;
 * the server goes on listening for one that succeeds. */
static void on_tls_client_error(const cnet_event *ev, void *arg) {
  (void)arg;
  report(ev->error, "TLS client");
}

static int start_stream(cat *c) {
  if (c->listen) {
    cnet_server_options so = {.allow_half_open = true};
    if (c->ssl) {
      /* 'secureConnection' is the connection: stdin waits for the
       * handshake, and a failed one leaves the server listening. */
      cnet_tls_server_options to = {.secure_context = c->tls, .server = &so};
      int r = cnet_tls_create_server(c->loop, &to, on_connection, c, &c->server);
      if (r != 0) return r;
      cnet_on(c->server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, c);
    } else {
      cnet_create_server(c->loop, &so, on_connection, c, &c->server);
    }
    if (!c->server) return CNET_ENOMEM;
    cnet_on(c->server, CNET_EV_LISTENING, on_listening, c);
    cnet_on(c->server, CNET_EV_ERROR, on_server_error, c);
    if (c->unix_path) return cnet_server_listen_path(c->server, c->path);
    cnet_listen_options lo = {.port = c->port, .host = c->host};
    return cnet_server_listen_options(c->server, &lo);
  }
  cnet_connect_options co = {
      .port = c->port,
      .host = c->host,
      .path = c->unix_path ? c->path : NULL,
      .family = c->family,
      .allow_half_open = true,
  };
  cnet_socket *s;
  int r;
  if (c->ssl) {
    /* As ncat: the server's certificate is checked only when asked. */
    cnet_tls_connect_options to = {.connect = &co, .secure_context = c->tls,
                                   .has_reject_unauthorized = true,
                                   .reject_unauthorized = c->ssl_verify};
    r = cnet_tls_connect(c->loop, &to, on_connect, c, &s);
  } else {
    r = cnet_connect(c->loop, &co, on_connect, c, &s);
  }
  if (r != 0) return r;
  /* Until it connects, an error is the connect's. */
  c->sock = s;
  cnet_on(s, CNET_EV_ERROR, on_sock_error, c);
  cnet_on(s, CNET_EV_CLOSE, on_sock_close, c);
  if (c->idle_ms) cnet_socket_set_timeout(s, c->idle_ms, on_idle_timeout, c);
  return 0;
}

/* ---- UDP ---------------------------------------------------------------------- */

static void on_udp_idle(cnet_timer *t, void *arg) {
  cat *c = arg;
  (void)t;
  if (c->verbose) fprintf(stderr, "cnet-cat: idle timeout\n");
  finish(c);
}

static void udp_touch(cat *c) {
  if (c->idle_started) cnet_timer_refresh(&c->idle);
}

/* With -N, stdin's end closes the socket once its datagrams are out. */
static void udp_maybe_done(cat *c) {
  if (c->stdin_ended && c->half_close && c->in_flight == 0) finish(c);
}

/* A send failed: reported in Node's words ("send EMSGSIZE"), once while
 * the same error repeats, since the datagrams after it would fail alike
 * (stdin from /dev/zero would print without end). A peer not listening
 * yet (ECONNREFUSED, from an ICMP port unreachable) is not the end, as in
 * nc; anything else is: stdin stops and the exit status is 1. */
static void udp_send_failed(cat *c, const cnet_error *err) {
  if (err->code != c->send_error) report(err, NULL);
  c->send_error = err->code;
  if (err->code == CNET_ECONNREFUSED) return;
  c->status = 1;
  finish(c);
}

static void on_udp_sent(void *d, const cnet_error *err, void *arg) {
  cat *c = arg;
  (void)d, 
  c->in_flight--;
  if (err) udp_send_failed(c, err);
  if (c->in && !c->done && c->in_flight == UDP_MAX_IN_FLIGHT / 2)
    cnet_stream_resume(c->in);
  udp_maybe_done(c);
}

/* Each read of stdin goes out as one datagram, or as several of at most
 * --max-datagram bytes when it is longer: a read of a file or a pipe can
 * be 64 KiB, more than a datagram holds. */
static void on_udp_stdin_data(const cnet_event *ev, void *arg) {
  cat *c = arg;
  if (!c->have_peer || c->done) return;
  const char *p = ev->data;
  size_t left = ev->len;
  do {
    size_t n = left < c->max_datagram ? left : c->max_datagram;
    int r = cnet_dgram_send(c->dgram, p, n, c->listen ? c->peer_port : 0,
                            c->listen ? c->peer_host : NULL, on_udp_sent, c);
    if (r != 0) {
      cnet_error e;
      cnet_error_syscall(&e, r, "send", NULL, 0);
      udp_send_failed(c, &e);
      return;
    }
    c->in_flight++;
    p += n;
    left -= n;
  } while (left > 0 && !c->done);
  udp_touch(c);
  if (c->in && c->in_flight >= UDP_MAX_IN_FLIGHT) cnet_stream_pause(c->in);
}

static void on_udp_stdin_end(const cnet_event *ev, void *arg) {
  cat *c = arg;
  (void)ev;
  c->stdin_ended = true;
  udp_maybe_done(c);
}

static void on_udp_message(const cnet_event *ev, void *arg) {
  cat *c = arg;
  if (c->listen) {
    bool same = c->have_peer && c->peer_port == ev->rinfo->port &&
                strcmp(c->peer_host, ev->rinfo->address) == 0;
    if (!same) {
      /* The first sender is the peer; with -k, the latest one. */
      if (c->have_peer && !c->keep) return;
      snprintf(c->peer_host, sizeof c->peer_host, "%s", ev->rinfo->address);
      c->peer_port = ev->rinfo->port;
      if (c->verbose)
        fprintf(stderr, "Connection received on %s %d\n", c->peer_host,
                c->peer_port);
      if (!c->have_peer && c->in) cnet_stream_resume(c->in);
      c->have_peer = true;
    }
  }
  udp_touch(c);
  if (!c->out) return;
  /* stdout not keeping up: beyond --max-queued waiting bytes a datagram is
   * dropped and counted, as the network itself may drop it. One alone is
   * always taken, whatever its size. */
  size_t queued = cnet_stream_writable_length(c->out);
  if (queued > 0 && queued + ev->len > c->max_queued) {
    if (c->verbose && c->dropped == 0)
      fprintf(stderr, "cnet-cat: stdout is not keeping up: dropping datagrams "
                      "beyond %zu queued bytes\n", c->max_queued);
    c->dropped++;
    return;
  }
  cnet_stream_write(c->out, ev->data, ev->len, NULL, NULL);
}

static void udp_set_options(cat *c) {
  int r = 0;
  /* The setters return a negative code, or (the TTLs, as Node) the value. */
  if (c->broadcast && (r = cnet_dgram_set_broadcast(c->dgram, true)) < 0)
    report(cnet_last_error(), "--broadcast");
  if (r >= 0 && c->ttl > 0) {
    if ((r = cnet_dgram_set_ttl(c->dgram, c->ttl)) < 0 ||
        (r = cnet_dgram_set_multicast_ttl(c->dgram, c->ttl)) < 0)
      report(cnet_last_error(), "--ttl");
  }
  if (r >= 0 && c->join) {
    char group[CNET_ADDRESS_MAX];
    snprintf(group, sizeof group, "%s", c->join);
    char *iface = strchr(group, ',');
    if (iface) *iface++ = '\0';
    if ((r = cnet_dgram_add_membership(c->dgram, group, iface)) < 0)
      report(cnet_last_error(), "--join");
  }
  if (r < 0) {
    c->status = 1;
    finish(c);
  }
}

static void on_udp_listening(const cnet_event *ev, void *arg) {
  cat *c = arg;
  cnet_address a;
  udp_set_options(c);
  if (c->verbose && c->listen && cnet_dgram_address(ev->target, &a) == 0)
    fprintf(stderr, "Bound on %s %d\n", a.address, a.port);
}

static void on_udp_connect(void *target, const cnet_error *err, void *arg) {
  (void)target;
  cat *c = arg;
  if (err != NULL) {
    report(err, "connect");
    c->status = 1;
    finish(c);
    return;
  }
  if (c->verbose)
    fprintf(stderr, "Connection to %s %d port [udp/*] succeeded!\n", c->host,
            c->port);
  c->have_peer = true;
  if (c->in) cnet_stream_resume(c->in);
}

static void on_udp_error(const cnet_event *ev, void *arg) {
  cat *c = arg;
  report(ev->error, "udp");
  /* A refused datagram (no one listening yet) is not fatal, as in nc. */
  if (ev->error && ev->error->code == CNET_ECONNREFUSED) return;
  c->status = 1;
  finish(c);
}

static int start_udp(cat *c) {
  const char *type = c->family == 6 || (c->family == 0 && c->host &&
                                        strchr(c->host, ':'))
                         ? "udp6" : "udp4";
  size_t most = type[3] == '6' ? UDP6_MAX_DATAGRAM : UDP4_MAX_DATAGRAM;
  if (c->max_datagram == 0) c->max_datagram = most;
  cnet_dgram_options o = {.type = type, .reuse_addr = c->join != NULL};
  int err = 0;
  err = cnet_dgram_create_options(c->loop, &o, on_udp_message, c, &c->dgram);
  if (!c->dgram) return err;
  cnet_on(c->dgram, CNET_EV_LISTENING, on_udp_listening, c);
  cnet_on(c->dgram, CNET_EV_ERROR, on_udp_error, c);
  if (c->in) {
    /* Nothing to send to until there is a peer. */
    cnet_stream_pause(c->in);
    cnet_on(c->in, CNET_EV_DATA, on_udp_stdin_data, c);
    cnet_on(c->in, CNET_EV_END, on_udp_stdin_end, c);
  }
  if (c->idle_ms) {
    cnet_timer_init(c->loop, &c->idle);
    cnet_timer_start(&c->idle, on_udp_idle, c, c->idle_ms, 0);
    c->idle_started = true;
  }
  int r;
  if (c->listen) r = cnet_dgram_bind(c->dgram, c->port, c->host, NULL, NULL);
  else r = cnet_dgram_connect(c->dgram, c->port, c->host, on_udp_connect, c);
  if (r != 0) report(cnet_last_error(), "udp");
  return r;
}

/* ---- main ------------------------------------------------------------------ */

/* --ssl and its kin: what goes together, as ncat's. The trust file only
 * matters to a verifying client, so it is not read otherwise. */
static void check_ssl_options(cat *c) {
  app_tls_files *f = &c->tls_files;
  if (!c->ssl && (f->cert || f->key || f->trust))
    die_usage("--ssl-cert, --ssl-key and --ssl-trustfile need --ssl", NULL);
  if (!c->ssl) return;
  if (c->udp) die_usage("--ssl needs TCP or -U, not -u", NULL);
  if (c->listen && c->ssl_verify)
    die_usage("--ssl-verify is for a client: -l does not ask for certificates",
              NULL);
  if (c->listen && (!f->cert || !f->key))
    die_usage("-l --ssl needs --ssl-cert and --ssl-key", NULL);
  if (!c->ssl_verify) f->trust = NULL;
}

int main(int argc, char **argv) {
  enum { OPT_BROADCAST = 256, OPT_JOIN, OPT_TTL, OPT_MAX_DATAGRAM, OPT_MAX_QUEUED,
         OPT_SSL, OPT_SSL_CERT, OPT_SSL_KEY, OPT_SSL_VERIFY, OPT_SSL_TRUSTFILE };
  static const struct option longopts[] = {
      {"broadcast", no_argument, NULL, OPT_BROADCAST},
      {"join", required_argument, NULL, OPT_JOIN},
      {"ttl", required_argument, NULL, OPT_TTL},
      {"max-datagram", required_argument, NULL, OPT_MAX_DATAGRAM},
      {"max-queued", required_argument, NULL, OPT_MAX_QUEUED},
      {"ssl", no_argument, NULL, OPT_SSL},
      {"ssl-cert", required_argument, NULL, OPT_SSL_CERT},
      {"ssl-key", required_argument, NULL, OPT_SSL_KEY},
      {"ssl-verify", no_argument, NULL, OPT_SSL_VERIFY},
      {"ssl-trustfile", required_argument, NULL, OPT_SSL_TRUSTFILE},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  cat c = {.host = NULL, .max_queued = UDP_MAX_QUEUED_DEFAULT};
  long n;
  int opt;
  while ((opt = getopt_long(argc, argv, "46hklNuUvVw:", longopts, NULL)) != -1) {
    switch (opt) {
    case '4': c.family = 4; break;
    case '6': c.family = 6; break;
    case 'k': c.keep = true; break;
    case 'l': c.listen = true; break;
    case 'N': c.half_close = true; break;
    case 'u': c.udp = true; break;
    case 'U': c.unix_path = true; break;
    case 'v': c.verbose = true; break;
    case 'w':
      if (app_parse_long(optarg, 1, 1000000, &n)) die_usage("invalid -w", optarg);
      c.idle_ms = (unsigned)n * 1000u;
      break;
    case OPT_BROADCAST: c.broadcast = true; break;
    case OPT_JOIN: c.join = optarg; break;
    case OPT_TTL:
      if (app_parse_long(optarg, 1, 255, &n)) die_usage("invalid --ttl", optarg);
      c.ttl = (int)n;
      break;
    case OPT_MAX_DATAGRAM:
      if (app_parse_long(optarg, 1, UDP6_MAX_DATAGRAM, &n))
        die_usage("invalid --max-datagram", optarg);
      c.max_datagram = (size_t)n;
      break;
    case OPT_MAX_QUEUED:
      if (app_parse_long(optarg, 0, INT_MAX, &n))
        die_usage("invalid --max-queued", optarg);
      c.max_queued = (size_t)n;
      break;
    case OPT_SSL: c.ssl = true; break;
    case OPT_SSL_CERT: c.tls_files.cert = optarg; break;
    case OPT_SSL_KEY: c.tls_files.key = optarg; break;
    case OPT_SSL_VERIFY: c.ssl = c.ssl_verify = true; break;
    case OPT_SSL_TRUSTFILE: c.tls_files.trust = optarg; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': app_print_version("cnet-cat"); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  int nargs = argc - optind;
  char **args = argv + optind;
  if (c.keep && !c.listen) die_usage("-k needs -l", NULL);
  if (c.unix_path) {
    if (c.udp) die_usage("-U with -u is not supported", NULL);
    if (nargs != 1) die_usage("-U takes one PATH", NULL);
    c.path = args[0];
  } else {
    if (c.listen ? (nargs < 1 || nargs > 2) : nargs != 2)
      die_usage(c.listen ? "-l takes [HOST] PORT" : "HOST and PORT are needed",
                NULL);
    if (nargs == 2) c.host = args[0];
    /* Port 0 (any free one) is for listening only. */
    if (app_parse_port(args[nargs - 1], c.listen, &c.port))
      die_usage("invalid port", args[nargs - 1]);
  }
  if ((c.broadcast || c.join || c.ttl || c.max_datagram ||
       c.max_queued != UDP_MAX_QUEUED_DEFAULT) && !c.udp)
    die_usage("--broadcast, --join, --ttl, --max-datagram and --max-queued "
              "need -u", NULL);
  check_ssl_options(&c);
  if (c.udp && c.listen && !c.host) c.host = c.family == 6 ? "::" : NULL;
  if (c.listen && !c.udp && !c.host && c.family)
    c.host = c.family == 6 ? "::" : "0.0.0.0";

  if (c.ssl && app_tls_context_load("cnet-cat", &c.tls_files, &c.tls) != 0)
    return 1;
  signal(SIGPIPE, SIG_IGN);
  c.loop = cnet_default_loop();
  int err = 0;
  err = cnet_stdin(c.loop, &c.in);
  if (!c.in) fprintf(stderr, "cnet-cat: stdin: %s\n", cnet_strerror(err));
  err = cnet_stdout(c.loop, &c.out);
  if (!c.out) {
    fprintf(stderr, "cnet-cat: stdout: %s\n", cnet_strerror(err));
    return 1;
  }
  cnet_on(c.out, CNET_EV_ERROR, on_stdio_error, &c);
  cnet_on(c.out, CNET_EV_CLOSE, on_stdio_close, &c);
  if (c.in) {
    cnet_on(c.in, CNET_EV_ERROR, on_stdio_error, &c);
    cnet_on(c.in, CNET_EV_CLOSE, on_stdio_close, &c);
    cnet_on(c.in, CNET_EV_END, on_stdin_end, &c);
  }

  int r = c.udp ? start_udp(&c) : start_stream(&c);
  if (r != 0) {
    if (!c.udp) fprintf(stderr, "cnet-cat: %s\n", cnet_err_name(r));
    c.status = 1;
    finish(&c);
  }

  cnet_loop_run(c.loop, CNET_RUN_DEFAULT);

  if (c.server) {
    cnet_server_free(c.server);
    cnet_loop_run(c.loop, CNET_RUN_DEFAULT);
  }
  if (cnet_loop_close(c.loop) != 0) c.status = 1;
  cnet_tls_context_free(c.tls);
  return c.status;
}

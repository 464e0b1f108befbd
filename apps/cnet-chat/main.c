/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat: the seeds' chat room (1.0 and 2.0) as a real server, usable
 * from telnet and nc. This file reads the options, starts the servers (on
 * the sockets a service manager passed, or on --host and --port), turns
 * SIGINT/SIGTERM into a clean shutdown, SIGHUP into a reopen of the
 * transcript (and a reload of the TLS certificate) and SIGUSR1 into a
 * status line; with --tls-cert, a TLS
 * listener beside them for the same room; room.c runs the room,
 * telnet.c speaks telnet, ../common/listen_fds.c reads LISTEN_FDS. Manual:
 * cnet-chat.1. */
#include <cnet.h>

#include "../common/accept_errors.h"
#include "../common/args.h"
#include "../common/listen_fds.h"
#include "../common/shutdown.h"
#include "../common/tls.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "room.h"
#include "transcript.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 8088
#define DEFAULT_TLS_PORT 8443
#define DEFAULT_MAX_USERS 1000
#define DEFAULT_MAX_QUEUE (1u << 20)
#define DEFAULT_MAX_PER_IP 8
#define DEFAULT_LOGIN_TIMEOUT 60 /* seconds */
#define DEFAULT_IDLE_TIMEOUT 0   /* none */
#define DEFAULT_RATE_LINES 10    /* a second */
#define DEFAULT_BURST_LINES 50
#define DEFAULT_RATE_BYTES (8u << 10)
#define DEFAULT_BURST_BYTES (64u << 10)
#define DEFAULT_MAX_INPUT (64u << 10)
/* Seconds a timeout may be: its milliseconds fit an unsigned. */
#define MAX_TIMEOUT (UINT_MAX / 1000)
#define DEFAULT_LEASE 15         /* seconds */
#define MAX_LEASE 3600

static const char usage[] =
    "Usage: cnet-chat [--host ADDR] [--port N] [--max-users N] [--max-per-ip N]\n"
    "                 [--max-queue BYTES] [--max-input BYTES]\n"
    "                 [--rate-lines N] [--burst-lines N]\n"
    "                 [--rate-bytes BYTES] [--burst-bytes BYTES]\n"
    "                 [--login-timeout SECONDS] [--idle-timeout SECONDS]\n"
    "                 [--log FILE] [--tls-cert FILE --tls-key FILE [--tls-port N]]\n"
    "                 [--redis redis://HOST[:PORT][/DB] [--node NAME]\n"
    "                  [--lease SECONDS]]\n"
    "\n"
    "A chat server for telnet and nc, built on cnet.\n"
    "\n"
    "  --host ADDR        address to listen on (default " DEFAULT_HOST ")\n"
    "  --port N           port to listen on, 0 for any free one (default 8088)\n"
    "  --max-users N      connections at once, 0 for no limit (default 1000);\n"
    "                     when full, a newcomer takes the seat of the oldest\n"
    "                     connection that has not given a nickname\n"
    "  --max-per-ip N     connections from one address (IPv6: one /64),\n"
    "                     0 for no limit (default 8)\n"
    "  --max-queue BYTES  bytes waiting to be sent to one client before it is\n"
    "                     dropped as too slow (default 1M)\n"
    "  --max-input BYTES  bytes a client sent that wait for its rate before it\n"
    "                     is dropped as flooding (default 64K)\n"
    "  --rate-lines N     lines a second one client may send, after a burst;\n"
    "                     more wait their turn; 0 for no limit (default 10)\n"
    "  --burst-lines N    lines it may send at once (default 50)\n"
    "  --rate-bytes BYTES bytes a second one client may send, after a burst;\n"
    "                     0 for no limit (default 8K)\n"
    "  --burst-bytes BYTES  bytes it may send at once (default 64K)\n"
    "  --login-timeout SECONDS  time to give a nickname, 0 for no limit\n"
    "                     (default 60)\n"
    "  --idle-timeout SECONDS   a user who sends no line for this long is\n"
    "                     dropped, 0 for never (default 0)\n"
    "  --tls-cert FILE    also listen for TLS clients, on --host and\n"
    "                     --tls-port, with this certificate (PEM, then its\n"
    "                     chain); the same room as the plain listener\n"
    "  --tls-key FILE     its private key (PEM); SIGHUP reads both again\n"
    "  --tls-port N       the TLS port, 0 for any free one (default 8443)\n"
    "  --log FILE         append the room's transcript to FILE; SIGHUP\n"
    "                     opens it again (after logrotate renamed it)\n"
    "  --redis URL        one room with every cnet-chat on this Redis and\n"
    "                     database: redis://HOST[:PORT][/DB] (port 6379,\n"
    "                     database 0 by default); see cnet-chat(1), CLUSTER\n"
    "  --node NAME        this server's name in the cluster, unique in it\n"
    "                     (default HOSTNAME:PID)\n"
    "  --lease SECONDS    how long the cluster waits for a server that stopped\n"
    "                     answering before its users are gone (default 15)\n"
    "  -h, --help         this help\n"
    "  -V, --version      the version\n"
    "Started by a service manager with listening sockets (LISTEN_PID and\n"
    "LISTEN_FDS, as systemd's socket activation sets them), it serves those\n"
    "and ignores --port (the TLS listener is still its own, on --host and\n"
    "--tls-port). SIGUSR1 prints a status line on stderr.\n"
    "Sizes take K and M suffixes (1024, 1048576). Memory stays under about\n"
    "max-users x (max-queue + max-input + 16K) + 16M; see cnet-chat(1).\n"
    "\n"
    "Once connected: type a nickname, then lines to say them to everyone.\n"
    "Commands: b:text, c:nick:text (private), n:newnick, l (list), help,\n"
    "quit or byebye. See cnet-chat(1).\n";

typedef struct options {
  const char *host, *log_path;
  const char *redis, *node;
  unsigned lease_ms;
  int port;
  int tls_port;
  bool has_tls_port;
  app_tls_files tls; /* --tls-cert, --tls-key */
  room_options room; /* all but the transcript and the cluster */
} options;

typedef struct app {
  cnet_loop *loop;
  /* One, or those passed by a service manager; then the TLS one. */
  cnet_server *servers[APP_LISTEN_FDS_MAX + 1];
  int server_count;
  room *room;
  transcript *log;
  cnet_tls_context *tls; /* --tls-cert */
  cnet_server *tls_server;
  const app_tls_files *tls_files; /* read again on SIGHUP */
  app_shutdown_signals signals;
  cnet_signal sighup, sigusr1;
  uint64_t started; /* loop time at the start, for the uptime */
  int signal_count;
  bool signals_done; /* a shutdown signal from now on is ignored */
  int status;
} app;

/* ---- Options ---------------------------------------------------------- */

/* A byte count with an optional K or M (binary) suffix; 0 only if
 * zero_ok. */
static int parse_size(const char *s, bool zero_ok, size_t *out) {
  size_t len = strlen(s);
  char unit = len > 0 ? s[len - 1] : '\0';
  unsigned shift = 0;
  if (unit == 'k' || unit == 'K') shift = 10, len--;
  else if (unit == 'm' || unit == 'M') shift = 20, len--;
  long v;
  if (app_parse_long_n(s, len, zero_ok ? 0 : 1, (long)(SIZE_MAX >> 20), &v))
    return -1;
  *out = (size_t)v << shift;
  return 0;
}

/* A rate: a decimal number, 0 or more (at least min). */
static int parse_rate(const char *s, double min, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= min) || v > 1e12) return -1;
  *out = v;
  return 0;
}

/* A command line cnet-chat cannot run: the message, the usage, status 2. */
static _Noreturn void die_usage(const char *msg, const char *arg) {
  app_usage_error("cnet-chat", usage, msg, arg);
}

/* A count from 0 to INT_MAX, or the command line is wrong. */
static int count_arg(const char *arg, const char *what) {
  long v;
  if (app_parse_long(arg, 0, INT_MAX, &v)) die_usage(what, arg);
  return (int)v;
}

/* Seconds, as the milliseconds the room counts in. */
static unsigned timeout_arg(const char *arg, const char *what) {
  long v;
  if (app_parse_long(arg, 0, MAX_TIMEOUT, &v)) die_usage(what, arg);
  return (unsigned)v * 1000;
}

static double size_arg(const char *arg, bool zero_ok, const char *what) {
  size_t v;
  if (parse_size(arg, zero_ok, &v)) die_usage(what, arg);
  return (double)v;
}

/* One option of getopt_long (c, with its argument). */
static void parse_option(int c, const char *arg, options *o) {
  room_options *ro = &o->room;
  switch (c) {
  case 'H': o->host = arg; break;
  case 'p':
    if (app_parse_port(arg, true, &o->port)) die_usage("invalid port", arg);
    break;
  case 'u': ro->max_users = count_arg(arg, "invalid max-users"); break;
  case 'i': ro->max_per_ip = count_arg(arg, "invalid max-per-ip"); break;
  case 'q':
    if (parse_size(arg, false, &ro->max_queue))
      die_usage("invalid max-queue", arg);
    break;
  case 'I':
    if (parse_size(arg, false, &ro->max_input))
      die_usage("invalid max-input", arg);
    break;
  case 'r':
    if (parse_rate(arg, 0, &ro->rate_lines))
      die_usage("invalid rate-lines", arg);
    break;
  case 'b':
    if (parse_rate(arg, 1, &ro->burst_lines))
      die_usage("invalid burst-lines", arg);
    break;
  case 'R': ro->rate_bytes = size_arg(arg, true, "invalid rate-bytes"); break;
  case 'B':
    ro->burst_bytes = size_arg(arg, false, "invalid burst-bytes");
    break;
  case 'L':
    ro->login_timeout_ms = timeout_arg(arg, "invalid login-timeout");
    break;
  case 'T':
    ro->idle_timeout_ms = timeout_arg(arg, "invalid idle-timeout");
    break;
  case 'l': o->log_path = arg; break;
  case 'C': o->tls.cert = arg; break;
  case 'K': o->tls.key = arg; break;
  case 'P':
    if (app_parse_port(arg, true, &o->tls_port)) die_usage("invalid TLS port", arg);
    o->has_tls_port = true;
    break;
  case 'D': o->redis = arg; break;
  case 'N': o->node = arg; break;
  case 'E': {
    long v;
    if (app_parse_long(arg, 1, MAX_LEASE, &v)) die_usage("invalid lease", arg);
    o->lease_ms = (unsigned)v * 1000;
    break;
  }
  case 'h': fputs(usage, stdout); exit(0);
  case 'V': app_print_version("cnet-chat"); exit(0);
  default: fputs(usage, stderr); exit(2);
  }
}

static void parse_options(int argc, char **argv, options *o) {
  static const struct option longopts[] = {
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'p'},
      {"max-users", required_argument, NULL, 'u'},
      {"max-queue", required_argument, NULL, 'q'},
      {"max-per-ip", required_argument, NULL, 'i'},
      {"max-input", required_argument, NULL, 'I'},
      {"rate-lines", required_argument, NULL, 'r'},
      {"burst-lines", required_argument, NULL, 'b'},
      {"rate-bytes", required_argument, NULL, 'R'},
      {"burst-bytes", required_argument, NULL, 'B'},
      {"login-timeout", required_argument, NULL, 'L'},
      {"idle-timeout", required_argument, NULL, 'T'},
      {"log", required_argument, NULL, 'l'},
      {"tls-cert", required_argument, NULL, 'C'},
      {"tls-key", required_argument, NULL, 'K'},
      {"tls-port", required_argument, NULL, 'P'},
      {"redis", required_argument, NULL, 'D'},
      {"node", required_argument, NULL, 'N'},
      {"lease", required_argument, NULL, 'E'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  *o = (options){
      .host = DEFAULT_HOST,
      .port = DEFAULT_PORT,
      .tls_port = DEFAULT_TLS_PORT,
      .lease_ms = DEFAULT_LEASE * 1000,
      .room = {.max_queue = DEFAULT_MAX_QUEUE,
               .max_users = DEFAULT_MAX_USERS,
               .max_per_ip = DEFAULT_MAX_PER_IP,
               .login_timeout_ms = DEFAULT_LOGIN_TIMEOUT * 1000,
               .idle_timeout_ms = DEFAULT_IDLE_TIMEOUT * 1000,
               .rate_lines = DEFAULT_RATE_LINES,
               .burst_lines = DEFAULT_BURST_LINES,
               .rate_bytes = DEFAULT_RATE_BYTES,
               .burst_bytes = DEFAULT_BURST_BYTES,
               .max_input = DEFAULT_MAX_INPUT},
  };
  int c;
  while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1)
    parse_option(c, optarg, o);
  if (optind < argc) die_usage("unexpected argument", argv[optind]);
  if (!o->redis && o->node) die_usage("--node without --redis", o->node);
  if (!o->tls.cert != !o->tls.key)
    die_usage("--tls-cert and --tls-key go together", NULL);
  if (o->has_tls_port && !o->tls.cert)
    die_usage("--tls-port needs --tls-cert and --tls-key", NULL);
}

/* --redis, --node and --lease as the cluster's options (c). */
static void cluster_args(const options *o, cluster_options *c) {
  memset(c, 0, sizeof *c);
  const char *why = cluster_parse_url(o->redis, c);
  if (why) die_usage(why, o->redis);
  if (o->node) {
    why = cluster_check_node(o->node);
    if (why) die_usage(why, o->node);
    snprintf(c->node, sizeof c->node, "%s", o->node);
  } else {
    char host[CLUSTER_NODE_MAX - 12] = "localhost";
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    for (char *p = host; *p; p++)
      if (*p <= ' ' || *p > '~') *p = '_';
    snprintf(c->node, sizeof c->node, "%s:%ld", host, (long)getpid());
  }
  c->lease_ms = o->lease_ms;
}

/* ---- Events ----------------------------------------------------------- */

/* A Unix socket passed by a service manager: the server knows no path
 * for it (it did not bind it), the socket does. An abstract one has
 * none to show. */
static void print_unix_listening(int fd) {
  struct sockaddr_un un;
  socklen_t len = sizeof un;
  memset(&un, 0, sizeof un);
  if (getsockname(fd, (struct sockaddr *)&un, &len) != 0 ||
      un.sun_family != AF_UNIX || un.sun_path[0] == '\0') {
    printf("cnet-chat listening on descriptor %d\n", fd);
  } else {
    const char *path = un.sun_path;
    printf("cnet-chat listening on %s — connect with: nc -U %s\n", path, path);
  }
}

/* arg: the descriptor a service manager passed, or -1. */
static void on_listening(const cnet_event *ev, void *arg) {
  int fd = (int)(intptr_t)arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) != 0) {
    if (fd >= 0) print_unix_listening(fd);
    fflush(stdout);
    return;
  }
  /* On a wildcard address, tell people the loopback way in. */
  const char *host = a.address;
  if (strcmp(host, "0.0.0.0") == 0) host = "127.0.0.1";
  else if (strcmp(host, "::") == 0) host = "::1";
  printf("cnet-chat listening on %s:%d — connect with: telnet %s %d  or  "
         "nc %s %d\n",
         a.address, a.port, host, a.port, host, a.port);
  fflush(stdout);
}

/* The TLS listener: clients connect with a TLS client instead. */
static void on_tls_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  (void)arg;
  if (cnet_server_address(ev->target, &a) != 0) return;
  const char *host = a.address;
  if (strcmp(host, "0.0.0.0") == 0) host = "127.0.0.1";
  else if (strcmp(host, "::") == 0) host = "::1";
  bool v6 = strchr(host, ':') != NULL;
  printf("cnet-chat listening on %s:%d with TLS — connect with: "
         "openssl s_client -quiet -connect %s%s%s:%d\n",
         a.address, a.port, v6 ? "[" : "", host, v6 ? "]" : "", a.port);
  fflush(stdout);
}

/* A client that failed its handshake never reached the room: said in
 * the log as the room says a refused connection, and the server goes on. */
static void on_tls_client_error(const cnet_event *ev, void *arg) {
  cnet_address peer;
  (void)arg;
  if (cnet_socket_remote_address(cnet_event_socket(ev), &peer) == 0)
    fprintf(stderr, "cnet-chat: TLS client %s:%d: %s\n", peer.address, peer.port,
            ev->error->message);
  else
    fprintf(stderr, "cnet-chat: TLS client: %s\n", ev->error->message);
}

static void close_servers(app *a) {
  for (int i = 0; i < a->server_count; i++)
    if (cnet_server_listening(a->servers[i]))
      cnet_server_close(a->servers[i], NULL, NULL);
}

static void on_server_error(const cnet_event *ev, void *arg) {
  app *a = arg;
  /* Out of descriptors or memory for a moment: the server goes on
   * listening, and so does the room. */
  static accept_log accept_errors;
  if (app_is_accept_error(ev->error)) {
    app_log_accept_error(&accept_errors, "cnet-chat", ev->error);
    return;
  }
  fprintf(stderr, "cnet-chat: %s\n", ev->error->message);
  a->status = 1;
  /* Nothing else keeps the loop running once the other servers close:
   * run returns, and a signal meanwhile is ignored. */
  close_servers(a);
  room_leave_cluster(a->room);
  a->signals_done = true;
}

/* SIGINT or SIGTERM: stop accepting, say goodbye, let queued lines go out.
 * A second one cuts every connection at once; later ones are ignored. */
static void on_signal(cnet_signal *sig, int signum, void *arg) {
  app *a = arg;
  (void)sig;
  if (a->signals_done) return;
  if (++a->signal_count == 1) {
    fprintf(stderr, "cnet-chat: %s, shutting down\n", strsignal(signum));
    close_servers(a);
    room_shutdown(a->room, false);
    /* Nobody left to cut off. */
    a->signals_done = room_connections(a->room) == 0;
  } else {
    room_shutdown(a->room, true);
    a->signals_done = true;
  }
}

/* SIGHUP with --tls-cert: the certificate and key read again (renewed
 * on disk, as certbot renews them) for the connections accepted from
 * now on; those already in keep theirs. What cannot be loaded is said,
 * and the certificate in use stays. */
static void reload_tls(app *a) {
  cnet_tls_context *ctx;
  if (app_tls_context_load("cnet-chat", a->tls_files, &ctx) != 0) {
    fprintf(stderr, "cnet-chat: SIGHUP: keeping the TLS certificate in use\n");
    return;
  }
  if (cnet_tls_server_set_secure_context(a->tls_server, ctx) != 0) {
    fprintf(stderr, "cnet-chat: SIGHUP: %s; keeping the TLS certificate in use\n",
            cnet_last_error()->message);
    cnet_tls_context_free(ctx);
    return;
  }
  cnet_tls_context_free(a->tls);
  a->tls = ctx;
  fprintf(stderr, "cnet-chat: SIGHUP: TLS certificate %s reloaded\n", a->tls_files->cert);
}

/* SIGHUP: logrotate (or an admin) has moved the transcript away, or
 * renewed the TLS certificate. */
static void on_hangup(cnet_signal *sig, int signum, void *arg) {
  app *a = arg;
  (void)sig, (void)signum;
  if (a->log) transcript_reopen(a->log);
  if (a->tls_server) reload_tls(a);
  if (!a->log && !a->tls_server)
    fprintf(stderr, "cnet-chat: SIGHUP: no --log file to reopen\n");
}

static void on_status(cnet_signal *sig, int signum, void *arg) {
  app *a = arg;
  (void)sig, (void)signum;
  room_log_status(a->room, cnet_loop_now(a->loop) - a->started);
}

/* ---- Starting --------------------------------------------------------- */

static int watch_signals(app *a) {
  int r = app_watch_shutdown(a->loop, &a->signals, on_signal, a);
  if (r == 0) r = cnet_signal_init(a->loop, &a->sighup);
  if (r == 0) r = cnet_signal_init(a->loop, &a->sigusr1);
  if (r == 0) r = cnet_signal_start(&a->sighup, SIGHUP, on_hangup, a);
  if (r == 0) r = cnet_signal_start(&a->sigusr1, SIGUSR1, on_status, a);
  return r;
}

/* Once the loop has run. SIGHUP and SIGUSR1 stay blocked, as
 * app_unwatch_shutdown leaves SIGINT and SIGTERM: one that comes while
 * the transcript is being closed is ignored instead of ending the
 * process before the file is complete. */
static void unwatch_signals(app *a) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  cnet_signal_close(&a->sighup);
  cnet_signal_close(&a->sigusr1);
  app_unwatch_shutdown(&a->signals);
}

/* --tls-cert: the TLS listener, on --host and --tls-port, into the same
 * room. The room takes the connection at accept ('connection'), before
 * the handshake: its limits and --login-timeout hold for a client that
 * never finishes one, and what it writes waits for the handshake. */
static int start_tls_server(app *a, const options *o, const cnet_server_options *so) {
  cnet_tls_server_options to = {.secure_context = a->tls, .server = so};
  cnet_server *s;
  if (cnet_tls_create_server(a->loop, &to, NULL, NULL, &s) != 0) {
    fprintf(stderr, "cnet-chat: TLS: %s\n", cnet_last_error()->message);
    return 1;
  }
  a->servers[a->server_count++] = s;
  a->tls_server = s;
  a->tls_files = &o->tls;
  cnet_on(s, CNET_EV_CONNECTION, room_on_connection, a->room);
  cnet_on(s, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, a);
  cnet_on(s, CNET_EV_LISTENING, on_tls_listening, NULL);
  cnet_on(s, CNET_EV_ERROR, on_server_error, a);
  cnet_listen_options lo = {.port = o->tls_port, .host = o->host};
  int r = cnet_server_listen_options(s, &lo);
  if (r != 0) {
    fprintf(stderr, "cnet-chat: listen: %s\n", cnet_err_name(r));
    return 1;
  }
  return 0;
}

/* A server for the room on each socket passed (fds of them), or one on
 * --host and --port. 0, or 1 once the error is printed. */
static int start_servers(app *a, const options *o, int fds) {
  /* Half-open: a client that ends its side still gets the answers to
   * what it sent before, paced as the rest; the room ends the connection
   * once it has acted on everything. */
  cnet_server_options so = {.no_delay = true,
                            .allow_half_open = true,
                            .high_water_mark = room_high_water_mark(&o->room),
                            .coalesce_writes = true}; /* a send per client per turn */
  for (int i = 0; i < (fds > 0 ? fds : 1); i++) {
    cnet_server *s;
    if (cnet_create_server(a->loop, &so, room_on_connection, a->room, &s)) {
      fprintf(stderr, "cnet-chat: out of memory\n");
      return 1;
    }
    a->servers[a->server_count++] = s;
    int fd = fds > 0 ? APP_LISTEN_FDS_START + i : -1;
    cnet_on(s, CNET_EV_LISTENING, on_listening, (void *)(intptr_t)fd);
    cnet_on(s, CNET_EV_ERROR, on_server_error, a);
    cnet_listen_options lo = {.port = o->port, .host = o->host,
                              .has_fd = fd >= 0, .fd = fd};
    int r = cnet_server_listen_options(s, &lo);
    if (r != 0) {
      fprintf(stderr, "cnet-chat: listen: %s\n", cnet_err_name(r));
      return 1;
    }
  }
  return a->tls ? start_tls_server(a, o, &so) : 0;
}

int main(int argc, char **argv) {
  options o;
  parse_options(argc, argv, &o);
  /* Read first, so that whatever happens next, no child could inherit
   * the variables; wrong ones are a way of starting it that cannot work,
   * as a bad option is. */
  char why[160];
  int fds = app_listen_fds(why, sizeof why);
  if (fds < 0) {
    fprintf(stderr, "cnet-chat: socket activation: %s\n", why);
    return 2;
  }

  /* As Node does: a write to a closed pipe (stdout, say) is an EPIPE
   * error, not the end of the server. cnet's own writes never raise it. */
  signal(SIGPIPE, SIG_IGN);

  app a = {0};
  a.loop = cnet_default_loop();
  if (!a.loop) {
    fprintf(stderr, "cnet-chat: out of memory\n");
    return 1;
  }
  /* Opened before the server starts, so that a bad --log stops here. */
  if (o.log_path && transcript_open(&a.log, a.loop, o.log_path) != 0) {
    cnet_loop_close(a.loop);
    return 1;
  }
  /* Loaded before anything listens: a bad file is a startup error. */
  if (o.tls.cert && app_tls_context_load("cnet-chat", &o.tls, &a.tls) != 0) {
    transcript_close(a.log);
    cnet_loop_close(a.loop);
    return 1;
  }
  o.room.transcript = a.log ? transcript_line : NULL;
  o.room.transcript_ctx = a.log;
  cluster_options co;
  if (o.redis) {
    cluster_args(&o, &co);
    const char *bad = cluster_resolve(&co);
    if (bad) {
      fprintf(stderr, "cnet-chat: --redis: %s\n", bad);
      return 1;
    }
    o.room.cluster = &co;
  }
  a.room = room_new(a.loop, &o.room);
  if (!a.room) {
    fprintf(stderr, "cnet-chat: out of memory\n");
    return 1;
  }
  int r = watch_signals(&a);
  if (r != 0) {
    fprintf(stderr, "cnet-chat: signals: %s\n", cnet_strerror(r));
    return 1;
  }
  if (start_servers(&a, &o, fds) != 0) return 1;
  a.started = cnet_loop_now(a.loop);

  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);

  unwatch_signals(&a);
  for (int i = 0; i < a.server_count; i++) cnet_server_free(a.servers[i]);
  /* The servers' last events (their 'close') run before the loop is
   * freed. */
  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);
  room_free(a.room);
  /* Ends the transcript's stream and runs the loop until its 'close'. */
  transcript_close(a.log);
  cnet_tls_context_free(a.tls);
  if (cnet_loop_close(a.loop) != 0) a.status = 1;
  return a.status;
}

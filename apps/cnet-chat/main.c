/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat: the seeds' chat room (1.0 and 2.0) as a real server, usable
 * from telnet and nc. This file reads the options, starts the server, and
 * turns SIGINT/SIGTERM into a clean shutdown; room.c runs the room and
 * telnet.c speaks telnet. Manual: cnet-chat.1. */
#include <cnet.h>

#include "../common/accept_errors.h"
#include "../common/args.h"
#include "../common/shutdown.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "room.h"
#include "transcript.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 8088
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

static const char usage[] =
    "Usage: cnet-chat [--host ADDR] [--port N] [--max-users N] [--max-per-ip N]\n"
    "                 [--max-queue BYTES] [--max-input BYTES]\n"
    "                 [--rate-lines N] [--burst-lines N]\n"
    "                 [--rate-bytes BYTES] [--burst-bytes BYTES]\n"
    "                 [--login-timeout SECONDS] [--idle-timeout SECONDS]\n"
    "                 [--log FILE]\n"
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
    "  --log FILE         append the room's transcript to FILE\n"
    "  -h, --help         this help\n"
    "  -V, --version      the version\n"
    "Sizes take K and M suffixes (1024, 1048576). Memory stays under about\n"
    "max-users x (max-queue + max-input + 16K) + 16M; see cnet-chat(1).\n"
    "\n"
    "Once connected: type a nickname, then lines to say them to everyone.\n"
    "Commands: b:text, c:nick:text (private), n:newnick, l (list), help,\n"
    "quit or byebye. See cnet-chat(1).\n";

typedef struct app {
  cnet_loop *loop;
  cnet_server *server;
  room *room;
  transcript *log;
  app_shutdown_signals signals;
  int signal_count;
  bool signals_done; /* a signal from now on is ignored */
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

/* ---- Events ----------------------------------------------------------- */

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  (void)arg;
  if (cnet_server_address(ev->target, &a) != 0) return;
  /* On a wildcard address, tell people the loopback way in. */
  const char *host = a.address;
  if (strcmp(host, "0.0.0.0") == 0) host = "127.0.0.1";
  else if (strcmp(host, "::") == 0) host = "::1";
  printf("cnet-chat listening on %s:%d — connect with: telnet %s %d  or  "
         "nc %s %d\n",
         a.address, a.port, host, a.port, host, a.port);
  fflush(stdout);
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
  /* Nothing else keeps the loop running: run returns, and a signal
   * meanwhile is ignored. */
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
    if (cnet_server_listening(a->server)) cnet_server_close(a->server, NULL, NULL);
    room_shutdown(a->room, false);
    /* Nobody left to cut off. */
    a->signals_done = room_connections(a->room) == 0;
  } else {
    room_shutdown(a->room, true);
    a->signals_done = true;
  }
}



int main(int argc, char **argv) {
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
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  const char *host = DEFAULT_HOST, *log_path = NULL;
  int port = DEFAULT_PORT;
  long max_users = DEFAULT_MAX_USERS;
  long max_per_ip = DEFAULT_MAX_PER_IP;
  long login_timeout = DEFAULT_LOGIN_TIMEOUT, idle_timeout = DEFAULT_IDLE_TIMEOUT;
  size_t max_queue = DEFAULT_MAX_QUEUE, max_input = DEFAULT_MAX_INPUT;
  size_t rate_bytes = DEFAULT_RATE_BYTES, burst_bytes = DEFAULT_BURST_BYTES;
  double rate_lines = DEFAULT_RATE_LINES, burst_lines = DEFAULT_BURST_LINES;
  int c;
  while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'H': host = optarg; break;
    case 'p':
      if (app_parse_port(optarg, true, &port))
        die_usage("invalid port", optarg);
      break;
    case 'u':
      if (app_parse_long(optarg, 0, INT_MAX, &max_users))
        die_usage("invalid max-users", optarg);
      break;
    case 'q':
      if (parse_size(optarg, false, &max_queue))
        die_usage("invalid max-queue", optarg);
      break;
    case 'i':
      if (app_parse_long(optarg, 0, INT_MAX, &max_per_ip))
        die_usage("invalid max-per-ip", optarg);
      break;
    case 'I':
      if (parse_size(optarg, false, &max_input))
        die_usage("invalid max-input", optarg);
      break;
    case 'r':
      if (parse_rate(optarg, 0, &rate_lines))
        die_usage("invalid rate-lines", optarg);
      break;
    case 'b':
      if (parse_rate(optarg, 1, &burst_lines))
        die_usage("invalid burst-lines", optarg);
      break;
    case 'R':
      if (parse_size(optarg, true, &rate_bytes))
        die_usage("invalid rate-bytes", optarg);
      break;
    case 'B':
      if (parse_size(optarg, false, &burst_bytes))
        die_usage("invalid burst-bytes", optarg);
      break;
    case 'L':
      if (app_parse_long(optarg, 0, MAX_TIMEOUT, &login_timeout))
        die_usage("invalid login-timeout", optarg);
      break;
    case 'T':
      if (app_parse_long(optarg, 0, MAX_TIMEOUT, &idle_timeout))
        die_usage("invalid idle-timeout", optarg);
      break;
    case 'l': log_path = optarg; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': app_print_version("cnet-chat"); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind < argc) die_usage("unexpected argument", argv[optind]);

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
  if (log_path && transcript_open(&a.log, a.loop, log_path) != 0) {
    cnet_loop_close(a.loop);
    return 1;
  }
  room_options ro = {
      .max_queue = max_queue,
      .max_users = (int)max_users,
      .max_per_ip = (int)max_per_ip,
      .login_timeout_ms = (unsigned)login_timeout * 1000,
      .idle_timeout_ms = (unsigned)idle_timeout * 1000,
      .rate_lines = rate_lines,
      .burst_lines = burst_lines,
      .rate_bytes = (double)rate_bytes,
      .burst_bytes = (double)burst_bytes,
      .max_input = max_input,
      .transcript = a.log ? transcript_line : NULL,
      .transcript_ctx = a.log,
  };
  a.room = room_new(a.loop, &ro);
  /* Half-open: a client that ends its side still gets the answers to
   * what it sent before, paced as the rest; the room ends the connection
   * once it has acted on everything. */
  cnet_server_options so = {.no_delay = true,
                            .allow_half_open = true,
                            .high_water_mark = room_high_water_mark(&ro)};
  cnet_create_server(a.loop, &so, room_on_connection, a.room, &a.server);
  if (!a.room || !a.server) {
    fprintf(stderr, "cnet-chat: out of memory\n");
    return 1;
  }
  cnet_on(a.server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(a.server, CNET_EV_ERROR, on_server_error, &a);
  int r = app_watch_shutdown(a.loop, &a.signals, on_signal, &a);
  if (r != 0) {
    fprintf(stderr, "cnet-chat: signals: %s\n", cnet_strerror(r));
    return 1;
  }
  r = cnet_server_listen(a.server, port, host, 0);
  if (r != 0) {
    fprintf(stderr, "cnet-chat: listen: %s\n", cnet_err_name(r));
    return 1;
  }

  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);

  app_unwatch_shutdown(&a.signals);
  cnet_server_free(a.server);
  /* The server's last events (its 'close') run before the loop is freed. */
  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);
  room_free(a.room);
  /* Ends the transcript's stream and runs the loop until its 'close'. */
  transcript_close(a.log);
  if (cnet_loop_close(a.loop) != 0) a.status = 1;
  return a.status;
}

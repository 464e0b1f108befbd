/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-logger: the seeds' msg.txt server on cnet's public API. Every
 * connection is written into one file write stream opened for append (the
 * seeds' pipe with {end: false}), so the file outlives every client; with
 * --per-connection DIR each connection gets a file of its own instead,
 * ended when its client ends. What the files have not written yet is
 * bounded across all connections (--max-queued). SIGINT/SIGTERM stop
 * accepting, cut the connections, finish the files and exit. Manual:
 * cnet-logger.1. */
#include <cnet.h>

#include "../common/accept_errors.h"
#include "../common/args.h"
#include "../common/shutdown.h"
#include "../common/log_limit.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HOST "127.0.0.1"
/* Bytes received and handed to the files but not written yet, across every
 * connection. Each connection's pipe alone would hold one read (64 KiB)
 * per connection when the disk is behind: 1 000 clients, 64 MiB, and the
 * allocator keeps what it grew to. At the bound every connection is
 * paused (TCP slows the clients) until half of it is written. */
#define MAX_QUEUED_DEFAULT (4 * 1024 * 1024)
#define MAX_QUEUED_MAX (1024 * 1024 * 1024)

static const char usage[] =
    "Usage: cnet-logger --port N --out FILE [--host ADDR]\n"
    "       cnet-logger --port N --per-connection DIR [--host ADDR]\n"
    "\n"
    "Appends everything its clients send to one file, built on cnet.\n"
    "\n"
    "  --port N              port to listen on, 0 for any free one\n"
    "  --out FILE            append every connection's bytes to FILE\n"
    "  --per-connection DIR  write each connection to a file of its own in\n"
    "                        DIR, named conn-<N>-<peer address>-<port>.log\n"
    "  --host ADDR           address to listen on (default " DEFAULT_HOST ")\n"
    "  --max-queued N        pause every connection while N bytes received\n"
    "                        wait to be written (default 4194304)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "See cnet-logger(1).\n";

typedef struct app app;

/* One connection. In --per-connection mode it also owns its file stream,
 * and lives until both the socket and the file have closed. */
typedef struct conn {
  app *app;
  unsigned id;
  cnet_socket *socket;          /* NULL once it closed */
  cnet_fs_write_stream *file;   /* per-connection mode; NULL once closed */
  char path[PATH_MAX];
  uint64_t bytes;
  bool file_failed;             /* its file could not be opened */
  struct conn *prev, *next;
} conn;

struct app {
  cnet_loop *loop;
  cnet_server *server;
  cnet_fs_write_stream *out; /* --out; NULL once closed */
  const char *dir;           /* --per-connection */
  unsigned next_id;
  conn *conns;
  size_t queued;             /* handed to the files, not yet written */
  size_t max_queued;         /* --max-queued */
  bool throttled;            /* every connection paused for the files */
  log_limit throttle_log;
  app_shutdown_signals signals;
  bool signals_done;         /* a signal from now on is ignored */
  bool shutting_down;
  int status;
  accept_log accept_errors;
};

/* A command line cnet-logger cannot run: the message, the usage, status 2. */
static _Noreturn void die_usage(const char *msg, const char *arg) {
  app_usage_error("cnet-logger", usage, msg, arg);
}

/* ---- Connections ------------------------------------------------------- */

static void conn_maybe_free(conn *c) {
  if (c->socket || c->file) return;
  app *a = c->app;
  if (c->prev) c->prev->next = c->next;
  else a->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  free(c);
}

/* Every connection's writes, for their completion callback: the logger
 * has one app. */
static app *the_app;

/* Pauses every connection until the files have caught up, so that what
 * waits for them stays under --max-queued however many clients send. */
static void throttle(app *a) {
  a->throttled = true;
  for (conn *c = a->conns; c; c = c->next)
    if (c->socket) cnet_socket_pause(c->socket);
  unsigned long held;
  if (log_limit_take(&a->throttle_log, &held)) {
    fprintf(stderr, "cnet-logger: the files are %zu bytes behind: every connection "
                    "paused until half is written", a->queued);
    if (held) fprintf(stderr, " (%lu more times since the last report)", held);
    fputc('\n', stderr);
  }
}

static void unthrottle(app *a) {
  a->throttled = false;
  for (conn *c = a->conns; c; c = c->next)
    if (c->socket) cnet_socket_resume(c->socket);
}

/* A write reached the file (or failed): its length, carried in arg so that
 * no write needs an allocation of its own, leaves the queue. */
static void on_written(void *object, const cnet_error *err, void *arg) {
  app *a = the_app;
  (void)object, (void)err;
  a->queued -= (size_t)(uintptr_t)arg;
  if (a->throttled && a->queued <= a->max_queued / 2 && !a->shutting_down)
    unthrottle(a);
}

static void on_data(const cnet_event *ev, void *arg) {
  conn *c = arg;
  app *a = c->app;
  c->bytes += ev->len;
  void *dst = a->dir ? (void *)c->file : (void *)a->out;
  if (!dst) return; /* the file failed: the connection is being cut */
  /* The chunk is read already: it is written whatever the queue holds
   * (the one read of each connection that comes in the turn the bound is
   * crossed), and the throttle stops the reads after it. */
  a->queued += ev->len;
  cnet_stream_write(dst, ev->data, ev->len, on_written, (void *)(uintptr_t)ev->len);
  if (a->queued >= a->max_queued && !a->throttled) throttle(a);
}

/* --per-connection: the client's end ends its file, after what it sent. */
static void on_sock_end(const cnet_event *ev, void *arg) {
  conn *c = arg;
  (void)ev;
  if (c->file && !cnet_stream_writable_ended(c->file))
    cnet_stream_end(c->file, NULL, 0, NULL, NULL);
}

static void on_sock_error(const cnet_event *ev, void *arg) {
  conn *c = arg;
  fprintf(stderr, "cnet-logger: connection %u: %s\n", c->id, ev->error->message);
}

static void on_sock_close(const cnet_event *ev, void *arg) {
  conn *c = arg;
  (void)ev;
  /* The bytes were handed to the file stream as they came: 'close' here
   * means every one of them is queued on it, in order. */
  fprintf(stderr, "cnet-logger: connection %u closed, %llu bytes\n", c->id,
          (unsigned long long)c->bytes);
  c->socket = NULL;
  /* A socket destroyed without 'end' leaves its pipe's destination open;
   * a file of its own is ended here. */
  if (c->file && !cnet_stream_writable_ended(c->file))
    cnet_stream_end(c->file, NULL, 0, NULL, NULL);
  conn_maybe_free(c);
}

/* Out of descriptors (or the system's file table full): a shortage of
 * the moment, like a failed accept, not a fault of the logger. */
static bool fd_shortage(int code) {
  return code == CNET_EMFILE || code == CNET_ENFILE;
}

/* The connection's file could not be opened: nothing the client sends can
 * be kept, so it is told at once with a reset rather than a clean end that
 * would look like success. Out of descriptors is the server shedding load
 * and does not count against the exit status; any other failure does. */
static void conn_file_failed(conn *c, const cnet_error *err) {
  fprintf(stderr, "cnet-logger: connection %u: %s; connection reset\n", c->id,
          err->message);
  c->file_failed = true;
  if (!fd_shortage(err->code)) c->app->status = 1;
  if (c->socket) cnet_socket_reset_and_destroy(c->socket);
}

static void on_conn_file_error(const cnet_event *ev, void *arg) {
  conn *c = arg;
  if (ev->error->syscall && strcmp(ev->error->syscall, "open") == 0) {
    conn_file_failed(c, ev->error);
    return;
  }
  fprintf(stderr, "cnet-logger: %s: %s\n", c->path, ev->error->message);
  c->app->status = 1;
  if (c->socket) cnet_socket_destroy(c->socket, NULL);
}

static void on_conn_file_close(const cnet_event *ev, void *arg) {
  conn *c = arg;
  if (!c->file_failed)
    fprintf(stderr, "cnet-logger: connection %u: wrote %llu bytes to %s\n", c->id,
            (unsigned long long)cnet_fs_write_stream_bytes_written(ev->target),
            c->path);
  c->file = NULL;
  conn_maybe_free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  app *a = arg;
  cnet_socket *s = ev->object;
  conn *c = calloc(1, sizeof *c);
  if (!c || a->shutting_down) {
    free(c);
    cnet_socket_destroy(s, NULL);
    return;
  }
  c->app = a;
  c->id = ++a->next_id;
  c->socket = s;
  c->next = a->conns;
  if (a->conns) a->conns->prev = c;
  a->conns = c;

  /* A peer that reset while its connection waited to be taken has no
   * address any more: say so rather than print an empty one. */
  cnet_address peer = {0};
  bool known = cnet_socket_remote_address(s, &peer) == 0;
  if (!known) snprintf(peer.address, sizeof peer.address, "unknown");
  cnet_on(s, CNET_EV_ERROR, on_sock_error, c);
  cnet_on(s, CNET_EV_CLOSE, on_sock_close, c);

  if (a->dir) {
    snprintf(c->path, sizeof c->path, "%s/conn-%u-%s-%d.log", a->dir, c->id,
             peer.address, peer.port);
    int err = 0;
    cnet_fs_stream_options fo = {.flags = "w"};
    err = cnet_fs_create_write_stream(a->loop, c->path, &fo, &c->file);
    if (!c->file) {
      cnet_error e;
      cnet_error_syscall(&e, err, "open", c->path, 0);
      conn_file_failed(c, &e);
      return;
    }
    cnet_on(c->file, CNET_EV_ERROR, on_conn_file_error, c);
    cnet_on(c->file, CNET_EV_CLOSE, on_conn_file_close, c);
    cnet_on(s, CNET_EV_END, on_sock_end, c);
  }
  if (known)
    fprintf(stderr, "cnet-logger: connection %u from %s:%d\n", c->id,
            peer.address, peer.port);
  else
    fprintf(stderr, "cnet-logger: connection %u from a peer already gone\n", c->id);
  /* A 'data' listener starts the flow, unless the files are behind: then
   * the client waits with the others. */
  if (a->throttled) cnet_socket_pause(s);
  cnet_on(s, CNET_EV_DATA, on_data, c);
}

/* ---- The shared file --------------------------------------------------- */

static void on_out_error(const cnet_event *ev, void *arg) {
  app *a = arg;
  fprintf(stderr, "cnet-logger: %s\n", ev->error->message);
  a->status = 1;
  /* Without its file the logger has nothing to do. */
  if (cnet_server_listening(a->server)) cnet_server_close(a->server, NULL, NULL);
  for (conn *c = a->conns; c; c = c->next)
    if (c->socket) cnet_socket_destroy(c->socket, NULL);
  a->signals_done = true;
}

static void on_out_close(const cnet_event *ev, void *arg) {
  app *a = arg;
  (void)ev;
  a->out = NULL;
}

/* ---- Server and signals ------------------------------------------------ */

static void on_listening(const cnet_event *ev, void *arg) {
  app *a = arg;
  cnet_address ad;
  if (cnet_server_address(ev->target, &ad) != 0) return;
  printf("cnet-logger listening on %s:%d, %s %s\n", ad.address, ad.port,
         a->dir ? "one file per connection in" : "appending to",
         a->dir ? a->dir : cnet_fs_write_stream_path(a->out));
  fflush(stdout);
}

static void shut_down(app *a) {
  a->shutting_down = true;
  if (cnet_server_listening(a->server)) cnet_server_close(a->server, NULL, NULL);
  for (conn *c = a->conns; c; c = c->next)
    if (c->socket) cnet_socket_destroy(c->socket, NULL);
  /* Ending the shared file writes out what the connections queued. */
  if (a->out && !cnet_stream_writable_ended(a->out))
    cnet_stream_end(a->out, NULL, 0, NULL, NULL);
  a->signals_done = true;
}

static void on_server_error(const cnet_event *ev, void *arg) {
  app *a = arg;
  /* Out of descriptors or memory for a moment: the server has shed or
   * kept the connection and goes on listening; so does the logger. */
  if (app_is_accept_error(ev->error)) {
    app_log_accept_error(&a->accept_errors, "cnet-logger", ev->error);
    return;
  }
  fprintf(stderr, "cnet-logger: %s\n", ev->error->message);
  a->status = 1;
  shut_down(a);
}

/* A signal once the logger is on its way out is ignored. */
static void on_signal(cnet_signal *sig, int signum, void *arg) {
  app *a = arg;
  (void)sig;
  if (a->signals_done) return;
  fprintf(stderr, "cnet-logger: %s, shutting down\n", strsignal(signum));
  shut_down(a);
}



int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'p'},
      {"out", required_argument, NULL, 'o'},
      {"per-connection", required_argument, NULL, 'd'},
      {"max-queued", required_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  const char *host = DEFAULT_HOST, *out = NULL, *dir = NULL;
  int port = -1;
  long max_queued = MAX_QUEUED_DEFAULT;
  int c;
  while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'H': host = optarg; break;
    case 'p':
      if (app_parse_port(optarg, true, &port)) die_usage("invalid port", optarg);
      break;
    case 'o': out = optarg; break;
    case 'd': dir = optarg; break;
    case 'q':
      if (app_parse_long(optarg, 1, MAX_QUEUED_MAX, &max_queued))
        die_usage("invalid --max-queued", optarg);
      break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': app_print_version("cnet-logger"); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind < argc) die_usage("unexpected argument", argv[optind]);
  if (port < 0 || !out == !dir)
    die_usage("give --port and one of --out or --per-connection", NULL);

  /* As Node does: a write to a closed pipe (stdout, say) is an EPIPE
   * error, not the end of the logger. cnet's own writes never raise it. */
  signal(SIGPIPE, SIG_IGN);

  app a = {.dir = dir, .max_queued = (size_t)max_queued};
  the_app = &a;
  a.loop = cnet_default_loop();
  int r;
  if (out) {
    cnet_fs_stream_options fo = {.flags = "a"};
    r = cnet_fs_create_write_stream(a.loop, out, &fo, &a.out);
    if (!a.out) {
      fprintf(stderr, "cnet-logger: --out %s: %s\n", out, cnet_strerror(r));
      return 1;
    }
    cnet_on(a.out, CNET_EV_ERROR, on_out_error, &a);
    cnet_on(a.out, CNET_EV_CLOSE, on_out_close, &a);
  }
  cnet_create_server(a.loop, NULL, on_connection, &a, &a.server);
  if (!a.server) {
    fprintf(stderr, "cnet-logger: out of memory\n");
    return 1;
  }
  cnet_on(a.server, CNET_EV_LISTENING, on_listening, &a);
  cnet_on(a.server, CNET_EV_ERROR, on_server_error, &a);
  r = app_watch_shutdown(a.loop, &a.signals, on_signal, &a);
  if (r != 0) {
    fprintf(stderr, "cnet-logger: signals: %s\n", cnet_strerror(r));
    return 1;
  }
  r = cnet_server_listen(a.server, port, host, 0);
  if (r != 0) {
    fprintf(stderr, "cnet-logger: listen: %s\n", cnet_err_name(r));
    return 1;
  }

  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);

  app_unwatch_shutdown(&a.signals);
  cnet_server_free(a.server);
  if (a.out && !cnet_stream_writable_ended(a.out))
    cnet_stream_end(a.out, NULL, 0, NULL, NULL);
  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);
  if (cnet_loop_close(a.loop) != 0) a.status = 1;
  return a.status;
}

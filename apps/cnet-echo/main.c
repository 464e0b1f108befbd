/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-echo: an echo server over TCP, a Unix socket or UDP, on cnet's
 * public API. Every byte a client sends comes back to it; every datagram
 * goes back to its sender. --threads N runs N loops, one per thread, on
 * one port (SO_REUSEPORT). --tls serves TLS clients instead of plain
 * ones, with one context shared by every loop. SIGINT/SIGTERM close the servers and every
 * connection and the program exits cleanly. Manual: cnet-echo.1. */
#include <cnet.h>

#include "../common/accept_errors.h"
#include "../common/args.h"
#include "../common/shutdown.h"
#include "../common/tls.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 8124
#define MAX_THREADS 256

static const char usage[] =
    "Usage: cnet-echo [--host ADDR] [--port N] [--unix PATH] [--udp]\n"
    "                 [--threads N] [--tls --tls-cert FILE --tls-key FILE]\n"
    "\n"
    "An echo server built on cnet: every byte a client sends comes back.\n"
    "\n"
    "  --host ADDR   address to listen on (default " DEFAULT_HOST ")\n"
    "  --port N      port to listen on, 0 for any free one (default 8124)\n"
    "  --unix PATH   listen on a Unix domain socket at PATH instead\n"
    "  --udp         echo UDP datagrams to their sender instead of TCP\n"
    "  --threads N   N event loops, one per thread, sharing the port with\n"
    "                SO_REUSEPORT (TCP and UDP; default 1)\n"
    "  --tls         serve TLS clients (TCP or Unix): the bytes echoed are\n"
    "                the plaintext\n"
    "  --tls-cert FILE  the server's certificate, then its chain (PEM)\n"
    "  --tls-key FILE   its private key (PEM)\n"
    "  -h, --help    this help\n"
    "  -V, --version the version\n"
    "\n"
    "On start it prints the address it listens on. See cnet-echo(1).\n";

/* One accepted connection, in its worker's list so that a signal can end
 * them all. */
typedef struct conn {
  struct worker *worker;
  cnet_socket *socket;
  struct conn *prev, *next;
} conn;

typedef struct app app;

/* One loop and its server (or UDP socket). Worker 0 runs on the main
 * thread's default loop; with --threads N the others each run a loop of
 * their own on a thread of their own, all listening on one port with
 * SO_REUSEPORT so that the kernel spreads the clients over them. Nothing
 * is shared between workers but the app's atomics; they reach each other
 * only through cnet_async. */
typedef struct worker {
  app *app;
  int index;
  cnet_loop *loop;
  cnet_server *server; /* TCP or Unix */
  cnet_dgram *dgram;   /* --udp */
  conn *conns;
  unsigned long served; /* connections or datagrams */
  cnet_async stop;      /* closes this worker's server and connections */
  bool started;         /* main thread only: loop set up, thread running */
  pthread_t thread;
} worker;

struct app {
  const char *host;
  const char *unix_path; /* unlinked at exit if we made it */
  bool udp;
  cnet_tls_context *tls; /* --tls: shared by every worker's server */
  int port;              /* the one worker 0 got: the others' port */
  int threads;
  worker *workers;
  atomic_int listening;  /* workers listening; the last one says so */
  atomic_int status;
  accept_log accept_errors; /* one log for every worker's server */
  cnet_async shutdown;   /* on the main loop: stop every worker */
  bool shutting_down;    /* main thread only */
  app_shutdown_signals signals; /* on the main loop */
};

/* A command line cnet-echo cannot run: the message, the usage, status 2. */
static _Noreturn void die_usage(const char *msg, const char *arg) {
  app_usage_error("cnet-echo", usage, msg, arg);
}

static void fail(worker *w, const char *what) {
  fprintf(stderr, "cnet-echo: %s\n", what);
  atomic_store(&w->app->status, 1);
  cnet_async_send(&w->app->shutdown);
}

/* ---- TCP and Unix ------------------------------------------------------ */

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  /* The data is copied if the kernel does not take it at once; when the
   * client does not read, stop reading from it until the queue drains so
   * that a slow reader cannot grow the server's memory. */
  if (!cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL))
    cnet_socket_pause(ev->target);
}

static void on_drain(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_resume(ev->target);
}

static void on_conn_error(const cnet_event *ev, void *arg) {
  (void)arg;
  /* A reset peer is ordinary for an echo server; 'close' follows. */
  fprintf(stderr, "cnet-echo: connection: %s\n", ev->error->message);
}

static void on_conn_close(const cnet_event *ev, void *arg) {
  conn *c = arg;
  worker *w = c->worker;
  (void)ev;
  if (c->prev) c->prev->next = c->next;
  else w->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  worker *w = arg;
  cnet_socket *s = ev->object;
  conn *c = calloc(1, sizeof *c);
  if (!c) {
    cnet_socket_destroy(s, NULL);
    return;
  }
  w->served++;
  c->worker = w;
  c->socket = s;
  c->next = w->conns;
  if (w->conns) w->conns->prev = c;
  w->conns = c;
  cnet_on(s, CNET_EV_CLOSE, on_conn_close, c);
  cnet_on(s, CNET_EV_ERROR, on_conn_error, NULL);
  cnet_on(s, CNET_EV_DRAIN, on_drain, NULL);
  cnet_on(s, CNET_EV_DATA, on_data, NULL);
}

/* A client that failed its handshake (wrong protocol, refused our
 * certificate, left early): said, and the server goes on. */
static void on_tls_client_error(const cnet_event *ev, void *arg) {
  (void)arg;
  fprintf(stderr, "cnet-echo: TLS client: %s\n", ev->error->message);
}

static void on_server_error(const cnet_event *ev, void *arg) {
  worker *w = arg;
  /* Out of descriptors or memory for a moment: the server has shed or
   * kept the connection and goes on listening; so does the program. */
  if (app_is_accept_error(ev->error)) {
    app_log_accept_error(&w->app->accept_errors, "cnet-echo", ev->error);
    return;
  }
  if (w->index == 0) w->app->unix_path = NULL; /* not ours to remove */
  fail(w, ev->error->message);
}

/* ---- UDP --------------------------------------------------------------- */

static void on_message(const cnet_event *ev, void *arg) {
  worker *w = arg;
  w->served++;
  cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
                  ev->rinfo->address, NULL, NULL);
}

static void on_dgram_error(const cnet_event *ev, void *arg) {
  worker *w = arg;
  cnet_address ad;
  /* A bind error ends the program; an ICMP error from one sender does not
   * stop the others being served. */
  if (cnet_dgram_address(ev->target, &ad) != 0) fail(w, ev->error->message);
  else fprintf(stderr, "cnet-echo: %s\n", ev->error->message);
}

/* ---- Workers ------------------------------------------------------------ */

static int start_workers(app *a);

/* Every worker listening: say where, once. Worker 0's 'listening' gives
 * the port (a free one with --port 0) that the others then share. */
static void on_listening(const cnet_event *ev, void *arg) {
  worker *w = arg;
  app *a = w->app;
  cnet_address ad;
  int r = w->dgram ? cnet_dgram_address(ev->target, &ad)
                   : cnet_server_address(ev->target, &ad);
  if (r != 0) return;
  if (w->index == 0) {
    a->port = ad.port;
    if (!a->shutting_down && (r = start_workers(a)) != 0) {
      fail(w, cnet_strerror(r));
      return;
    }
  }
  if (atomic_fetch_add(&a->listening, 1) + 1 != a->threads) return;
  if (a->unix_path)
    printf("cnet-echo listening on unix %s", ad.address);
  else
    printf("cnet-echo listening on %s %s:%d", a->udp ? "udp" : "tcp",
           ad.address, ad.port);
  if (a->tls) printf(" with TLS");
  if (a->threads > 1) printf(" (%d threads)", a->threads);
  putchar('\n');
  fflush(stdout);
}

static void on_stop(cnet_async *async, void *arg) {
  worker *w = arg;
  if (w->server && cnet_server_listening(w->server))
    cnet_server_close(w->server, NULL, NULL);
  if (w->dgram) cnet_dgram_close(w->dgram, NULL, NULL);
  w->dgram = NULL;
  for (conn *c = w->conns; c; c = c->next) cnet_socket_destroy(c->socket, NULL);
  cnet_async_close(async);
}

/* Sets up w on its loop: the stop async, the server or UDP socket, and
 * the listen or bind (which completes once the loop runs). */
static int worker_setup(worker *w) {
  app *a = w->app;
  int r = cnet_async_init(w->loop, &w->stop, on_stop, w);
  if (r != 0) return r;
  if (a->udp) {
    cnet_dgram_options o = {.type = strchr(a->host, ':') ? "udp6" : "udp4",
                            .reuse_port = a->threads > 1};
    r = cnet_dgram_create_options(w->loop, &o, on_message, w, &w->dgram);
    if (!w->dgram) return r;
    cnet_on(w->dgram, CNET_EV_LISTENING, on_listening, w);
    cnet_on(w->dgram, CNET_EV_ERROR, on_dgram_error, w);
    return cnet_dgram_bind(w->dgram, a->port, a->host, NULL, NULL);
  }
  cnet_server_options so = {.no_delay = true};
  if (a->tls) {
    /* 'connection' comes at accept, before the handshake: the socket is
     * in the worker's list at once, so a stop also cuts handshakes. */
    cnet_tls_server_options to = {.secure_context = a->tls, .server = &so};
    if ((r = cnet_tls_create_server(w->loop, &to, NULL, NULL, &w->server)) != 0)
      return r;
    cnet_on(w->server, CNET_EV_CONNECTION, on_connection, w);
    cnet_on(w->server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, w);
  } else {
    cnet_create_server(w->loop, &so, on_connection, w, &w->server);
  }
  if (!w->server) return CNET_ENOMEM;
  cnet_on(w->server, CNET_EV_LISTENING, on_listening, w);
  cnet_on(w->server, CNET_EV_ERROR, on_server_error, w);
  if (a->unix_path) return cnet_server_listen_path(w->server, a->unix_path);
  cnet_listen_options lo = {.port = a->port, .host = a->host,
                            .reuse_port = a->threads > 1};
  return cnet_server_listen_options(w->server, &lo);
}

/* Runs the loop until the worker is stopped, then frees what it made. */
static void worker_run(worker *w) {
  cnet_loop_run(w->loop, CNET_RUN_DEFAULT);
  if (w->server) cnet_server_free(w->server);
  w->server = NULL;
  cnet_loop_run(w->loop, CNET_RUN_DEFAULT);
  if (cnet_loop_close(w->loop) != 0) atomic_store(&w->app->status, 1);
  if (w->app->threads > 1)
    fprintf(stderr, "cnet-echo: thread %d served %lu %s\n", w->index, w->served,
            w->app->udp ? "datagrams" : "connections");
}

static void *worker_thread(void *arg) {
  worker_run(arg);
  return NULL;
}

/* Workers 1..N-1, from worker 0's 'listening' on the main thread. */
static int start_workers(app *a) {
  for (int i = 1; i < a->threads; i++) {
    worker *w = &a->workers[i];
    int r = cnet_loop_new(&w->loop);
    if (r != 0) return r;
    r = worker_setup(w);
    if (r == 0) r = -pthread_create(&w->thread, NULL, worker_thread, w);
    if (r != 0) {
      /* Not running: undo what was made, on this thread. */
      if (w->server) cnet_server_free(w->server);
      if (w->dgram) cnet_dgram_close(w->dgram, NULL, NULL);
      cnet_async_close(&w->stop);
      cnet_loop_run(w->loop, CNET_RUN_DEFAULT);
      cnet_loop_close(w->loop);
      return r;
    }
    w->started = true;
  }
  return 0;
}

/* ---- Signals ----------------------------------------------------------- */

/* On the main loop: a signal or a worker's failure stops every worker. */
static void on_shutdown(cnet_async *async, void *arg) {
  app *a = arg;
  if (a->shutting_down) return; /* each stop async is sent once */
  a->shutting_down = true;
  for (int i = 0; i < a->threads; i++)
    if (a->workers[i].started) cnet_async_send(&a->workers[i].stop);
  /* Kept open (a worker that fails late may still send to it) but no
   * longer keeping the loop alive; closed once every thread is joined. */
  cnet_async_unref(async);
}

/* A signal while shutting down is ignored: the first one is at work. */
static void on_signal(cnet_signal *sig, int signum, void *arg) {
  app *a = arg;
  (void)sig;
  if (a->shutting_down) return;
  fprintf(stderr, "cnet-echo: %s, shutting down\n", strsignal(signum));
  on_shutdown(&a->shutdown, a);
}



int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'p'},
      {"unix", required_argument, NULL, 'U'},
      {"udp", no_argument, NULL, 'u'},
      {"threads", required_argument, NULL, 't'},
      {"tls", no_argument, NULL, 'T'},
      {"tls-cert", required_argument, NULL, 'C'},
      {"tls-key", required_argument, NULL, 'K'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  app a = {.host = DEFAULT_HOST, .port = DEFAULT_PORT, .threads = 1};
  app_tls_files tls = {0};
  bool use_tls = false;
  long v;
  int c;
  while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'H': a.host = optarg; break;
    case 'p':
      if (app_parse_port(optarg, true, &a.port)) die_usage("invalid port", optarg);
      break;
    case 't':
      if (app_parse_long(optarg, 1, MAX_THREADS, &v))
        die_usage("invalid thread count", optarg);
      a.threads = (int)v;
      break;
    case 'U': a.unix_path = optarg; break;
    case 'u': a.udp = true; break;
    case 'T': use_tls = true; break;
    case 'C': tls.cert = optarg; break;
    case 'K': tls.key = optarg; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': app_print_version("cnet-echo"); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind < argc) die_usage("unexpected argument", argv[optind]);
  if (a.udp && a.unix_path)
    die_usage("--udp and --unix do not go together", NULL);
  /* A Unix socket has no SO_REUSEPORT to share it between loops. */
  if (a.unix_path && a.threads > 1)
    die_usage("--threads needs TCP or UDP, not --unix", NULL);
  if (use_tls && a.udp) die_usage("--tls needs TCP or Unix, not --udp", NULL);
  if (use_tls && (!tls.cert || !tls.key))
    die_usage("--tls needs --tls-cert and --tls-key", NULL);
  if (!use_tls && (tls.cert || tls.key))
    die_usage("--tls-cert and --tls-key go with --tls", NULL);

  /* As Node does: a write to a closed pipe (stdout, say) is an EPIPE
   * error, not the end of the server. cnet's own writes never raise it. */
  signal(SIGPIPE, SIG_IGN);

  if (use_tls && app_tls_context_load("cnet-echo", &tls, &a.tls) != 0) return 1;
  a.workers = calloc((size_t)a.threads, sizeof *a.workers);
  if (!a.workers) {
    fprintf(stderr, "cnet-echo: out of memory\n");
    return 1;
  }
  for (int i = 0; i < a.threads; i++) {
    a.workers[i].app = &a;
    a.workers[i].index = i;
  }
  worker *w0 = &a.workers[0];
  w0->loop = cnet_default_loop();
  int r = cnet_async_init(w0->loop, &a.shutdown, on_shutdown, &a);
  if (r == 0)
    r = app_watch_shutdown(w0->loop, &a.signals, on_signal, &a);
  if (r != 0) {
    fprintf(stderr, "cnet-echo: %s\n", cnet_strerror(r));
    return 1;
  }
  r = worker_setup(w0);
  if (r != 0) {
    fprintf(stderr, "cnet-echo: listen: %s\n", cnet_err_name(r));
    return 1;
  }
  w0->started = true;

  /* Returns once worker 0 has stopped (the others stop with it). */
  cnet_loop_run(w0->loop, CNET_RUN_DEFAULT);
  for (int i = 1; i < a.threads; i++)
    if (a.workers[i].started) pthread_join(a.workers[i].thread, NULL);
  cnet_async_close(&a.shutdown);
  app_unwatch_shutdown(&a.signals);
  worker_run(w0);
  if (a.unix_path) unlink(a.unix_path);
  free(a.workers);
  cnet_tls_context_free(a.tls);
  return atomic_load(&a.status);
}

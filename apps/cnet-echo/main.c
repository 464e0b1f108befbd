/* cnet-echo: an echo server over TCP, a Unix socket or UDP, on cnet's
 * public API. Every byte a client sends comes back to it; every datagram
 * goes back to its sender. SIGINT/SIGTERM close the server and every
 * connection and the program exits cleanly. Manual: cnet-echo.1. */
#include <cnet.h>

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 8124

static const char usage[] =
    "Usage: cnet-echo [--host ADDR] [--port N] [--unix PATH] [--udp]\n"
    "\n"
    "An echo server built on cnet: every byte a client sends comes back.\n"
    "\n"
    "  --host ADDR   address to listen on (default " DEFAULT_HOST ")\n"
    "  --port N      port to listen on, 0 for any free one (default 8124)\n"
    "  --unix PATH   listen on a Unix domain socket at PATH instead\n"
    "  --udp         echo UDP datagrams to their sender instead of TCP\n"
    "  -h, --help    this help\n"
    "  -V, --version the version\n"
    "\n"
    "On start it prints the address it listens on. See cnet-echo(1).\n";

/* One accepted connection, in a list so that a signal can end them all. */
typedef struct conn {
  struct app *app;
  cnet_socket *socket;
  struct conn *prev, *next;
} conn;

typedef struct app app;
struct app {
  cnet_loop *loop;
  cnet_server *server;   /* TCP or Unix */
  cnet_dgram *dgram;     /* --udp */
  const char *unix_path; /* unlinked at exit if we made it */
  conn *conns;
  cnet_poll signals;
  int signal_fd;
  int status;
};

static int parse_port(const char *s, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 0 || v > 65535) return -1;
  *out = v;
  return 0;
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
  app *a = c->app;
  (void)ev;
  if (c->prev) c->prev->next = c->next;
  else a->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  app *a = arg;
  cnet_socket *s = ev->object;
  conn *c = calloc(1, sizeof *c);
  if (!c) {
    cnet_socket_destroy(s, NULL);
    return;
  }
  c->app = a;
  c->socket = s;
  c->next = a->conns;
  if (a->conns) a->conns->prev = c;
  a->conns = c;
  cnet_on(s, CNET_EV_CLOSE, on_conn_close, c);
  cnet_on(s, CNET_EV_ERROR, on_conn_error, NULL);
  cnet_on(s, CNET_EV_DRAIN, on_drain, NULL);
  cnet_on(s, CNET_EV_DATA, on_data, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  app *a = arg;
  cnet_address ad;
  if (cnet_server_address(ev->target, &ad) != 0) return;
  if (a->unix_path)
    printf("cnet-echo listening on unix %s\n", ad.address);
  else
    printf("cnet-echo listening on tcp %s:%d\n", ad.address, ad.port);
  fflush(stdout);
}

static void stop_signals(app *a);

static void on_server_error(const cnet_event *ev, void *arg) {
  app *a = arg;
  fprintf(stderr, "cnet-echo: %s\n", ev->error->message);
  a->status = 1;
  a->unix_path = NULL; /* not ours to remove */
  stop_signals(a);
}

/* ---- UDP --------------------------------------------------------------- */

static void on_message(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
                  ev->rinfo->address, NULL, NULL);
}

static void on_dgram_listening(const cnet_event *ev, void *arg) {
  cnet_address ad;
  (void)arg;
  if (cnet_dgram_address(ev->target, &ad) != 0) return;
  printf("cnet-echo listening on udp %s:%d\n", ad.address, ad.port);
  fflush(stdout);
}

static void on_dgram_error(const cnet_event *ev, void *arg) {
  app *a = arg;
  fprintf(stderr, "cnet-echo: %s\n", ev->error->message);
  /* A bind error ends the program; an ICMP error from one sender does not
   * stop the others being served. */
  if (!a->dgram || cnet_dgram_address(a->dgram, &(cnet_address){0}) != 0) {
    a->status = 1;
    if (a->dgram) cnet_dgram_close(a->dgram, NULL, NULL);
    a->dgram = NULL;
    stop_signals(a);
  }
}

/* ---- Signals ----------------------------------------------------------- */

static void stop_signals(app *a) {
  if (a->signal_fd < 0) return;
  cnet_poll_close(&a->signals);
  close(a->signal_fd);
  a->signal_fd = -1;
}

static void on_signal(cnet_poll *p, int status, int events, void *arg) {
  app *a = arg;
  struct signalfd_siginfo si;
  (void)p, (void)status, (void)events;
  if (read(a->signal_fd, &si, sizeof si) != (ssize_t)sizeof si) return;
  fprintf(stderr, "cnet-echo: %s, shutting down\n", strsignal((int)si.ssi_signo));
  if (a->server && cnet_server_listening(a->server))
    cnet_server_close(a->server, NULL, NULL);
  if (a->dgram) cnet_dgram_close(a->dgram, NULL, NULL);
  a->dgram = NULL;
  for (conn *c = a->conns; c; c = c->next) cnet_socket_destroy(c->socket, NULL);
  stop_signals(a);
}

/* Signals arrive through a signalfd, so shutting down is an ordinary
 * callback; the watch is unref'd so it never keeps the loop alive. */
static int watch_signals(app *a) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  a->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (a->signal_fd < 0) return -errno;
  int r = cnet_poll_init(a->loop, &a->signals, a->signal_fd);
  if (r == 0) r = cnet_poll_start(&a->signals, CNET_READABLE, on_signal, a);
  if (r != 0) {
    close(a->signal_fd);
    a->signal_fd = -1;
    return r;
  }
  cnet_poll_unref(&a->signals);
  return 0;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'p'},
      {"unix", required_argument, NULL, 'U'},
      {"udp", no_argument, NULL, 'u'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };
  const char *host = DEFAULT_HOST, *path = NULL;
  long port = DEFAULT_PORT;
  bool udp = false;
  int c;
  while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'H': host = optarg; break;
    case 'p':
      if (parse_port(optarg, &port)) {
        fprintf(stderr, "cnet-echo: invalid port: %s\n%s", optarg, usage);
        return 2;
      }
      break;
    case 'U': path = optarg; break;
    case 'u': udp = true; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V':
      printf("cnet-echo %d.%d.%d\n", CNET_VERSION_MAJOR, CNET_VERSION_MINOR,
             CNET_VERSION_PATCH);
      return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "cnet-echo: unexpected argument: %s\n%s", argv[optind], usage);
    return 2;
  }
  if (udp && path) {
    fprintf(stderr, "cnet-echo: --udp and --unix do not go together\n%s", usage);
    return 2;
  }

  /* Blocked before cnet starts any thread, so only the signalfd sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  app a = {.signal_fd = -1, .unix_path = path};
  a.loop = cnet_default_loop();
  int r = watch_signals(&a);
  if (r != 0) {
    fprintf(stderr, "cnet-echo: signalfd: %s\n", cnet_strerror(r));
    return 1;
  }
  if (udp) {
    const char *type = strchr(host, ':') ? "udp6" : "udp4";
    a.dgram = cnet_dgram_create(a.loop, type, on_message, &a, &r);
    if (!a.dgram) {
      fprintf(stderr, "cnet-echo: %s\n", cnet_strerror(r));
      return 1;
    }
    cnet_on(a.dgram, CNET_EV_LISTENING, on_dgram_listening, &a);
    cnet_on(a.dgram, CNET_EV_ERROR, on_dgram_error, &a);
    r = cnet_dgram_bind(a.dgram, (int)port, host, NULL, NULL);
  } else {
    cnet_server_options so = {.no_delay = true};
    a.server = cnet_create_server(a.loop, &so, on_connection, &a);
    if (!a.server) {
      fprintf(stderr, "cnet-echo: out of memory\n");
      return 1;
    }
    cnet_on(a.server, CNET_EV_LISTENING, on_listening, &a);
    cnet_on(a.server, CNET_EV_ERROR, on_server_error, &a);
    r = path ? cnet_server_listen_path(a.server, path)
             : cnet_server_listen(a.server, (int)port, host, 0);
  }
  if (r != 0) {
    fprintf(stderr, "cnet-echo: listen: %s\n", cnet_err_name(r));
    return 1;
  }

  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);

  stop_signals(&a);
  if (a.dgram) cnet_dgram_close(a.dgram, NULL, NULL);
  if (a.server) cnet_server_free(a.server);
  cnet_loop_run(a.loop, CNET_RUN_DEFAULT);
  if (a.unix_path) unlink(a.unix_path);
  if (cnet_loop_close(a.loop) != 0) a.status = 1;
  return a.status;
}

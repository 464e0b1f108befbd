/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet's side of the randomized stream test: plays a script from gen.js
 * over a real socket pair (TCP, Unix or TLS) and prints what the two ends observed, exactly
 * as stream_diff.js prints Node's (see there for the format). run.js
 * compares the two.
 *
 *   stream_diff SCRIPT [SOCKET_DIR] */
#include <cnet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

enum { MAX_PAUSES = 64, PATTERN = 256 * 1024 + 256 };

typedef struct op {
  char kind;
  long a, b;
} op;

static struct {
  char transport[8], writer[8], start[8];
  size_t hwm;
  op *ops;
  size_t nops;
  long pause_at[MAX_PAUSES], pause_ms[MAX_PAUSES];
  int npauses;
} cfg;

static unsigned char pattern[PATTERN];
static const void *bytes_of(size_t i) { return pattern + i % 251; }

/* The two traces, printed when both sockets have closed. */
typedef struct trace {
  char *p;
  size_t len, cap;
} trace;
static trace W, R;

static void add(trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(trace *t, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (t->len + (size_t)n + 4 > t->cap) {
    t->cap = (t->cap + (size_t)n + 4) * 2;
    t->p = realloc(t->p, t->cap);
    if (!t->p) abort();
  }
  t->len += (size_t)sprintf(t->p + t->len, "%c %s\n", t == &W ? 'W' : 'R', line);
}

static const char *err_name(const cnet_error *e) {
  return e ? cnet_err_name(e->code) : "null";
}

static cnet_loop *loop;
static cnet_server *server;
static int closed;
static char sock_path[256];

static void done(void) {
  if (++closed < 2) return;
  cnet_server_close(server, NULL, NULL);
}

/* ---- the reader ----------------------------------------------------------- */

static struct {
  cnet_socket *so;
  sha256 hash;
  int next;
  cnet_timer resume;
} rd;

static void on_resume_timer(cnet_timer *t, void *arg) {
  (void)t, (void)arg;
  cnet_socket_resume(rd.so);
}

static void r_data(const cnet_event *ev, void *arg) {
  (void)arg;
  sha256_update(&rd.hash, ev->data, ev->len);
  uint64_t got = cnet_socket_bytes_read(rd.so);
  /* bytesRead counts what the kernel gave; Node's 'data' handler sees the
   * same total once the chunk is delivered. */
  if (rd.next < cfg.npauses && got >= (uint64_t)cfg.pause_at[rd.next]) {
    long ms = cfg.pause_ms[rd.next++];
    cnet_socket_pause(rd.so);
    cnet_timer_start(&rd.resume, on_resume_timer, NULL, (uint64_t)ms, 0);
  }
}

static void r_event(const cnet_event *ev, void *arg) {
  (void)arg;
  switch (ev->type) {
    case CNET_EV_END: add(&R, "end"); break;
    case CNET_EV_ERROR: add(&R, "error %s", err_name(ev->error)); break;
    case CNET_EV_CLOSE: {
      char hex[65];
      add(&R, "close %s", ev->had_error ? "true" : "false");
      sha256_hex(&rd.hash, hex);
      add(&R, "bytesRead %llu sha256 %s",
          (unsigned long long)cnet_socket_bytes_read(rd.so), hex);
      cnet_timer_stop(&rd.resume);
      done();
      break;
    }
    default: break;
  }
}

static void reader(cnet_socket *so) {
  rd.so = so;
  sha256_init(&rd.hash);
  cnet_timer_init(loop, &rd.resume);
  cnet_on(so, CNET_EV_DATA, r_data, NULL);
  cnet_on(so, CNET_EV_END, r_event, NULL);
  cnet_on(so, CNET_EV_ERROR, r_event, NULL);
  cnet_on(so, CNET_EV_CLOSE, r_event, NULL);
}

/* ---- the writer ----------------------------------------------------------- */

static struct {
  cnet_socket *so;
  size_t pc, index;
  bool need_drain, waiting_drain;
  long last_cb;        /* index of the last write with a callback, or -1 */
  long waiting_cb;     /* a 'k' step waits for this write's callback */
  unsigned char *called; /* per write: its callback ran */
  cnet_timer timer;
  cnet_immediate im;
} wr;

static void step(void);
static void step_tick(void *arg) { (void)arg; step(); }
static void step_timer(cnet_timer *t, void *arg) { (void)t, (void)arg; step(); }
static void step_immediate(cnet_immediate *im, void *arg) { (void)im, (void)arg; step(); }

static void w_cb(void *object, const cnet_error *err, void *arg) {
  (void)object;
  size_t i = (size_t)(uintptr_t)arg;
  add(&W, "cb %zu %s", i, err_name(err));
  wr.called[i] = 1;
  if (wr.waiting_cb == (long)i) {
    wr.waiting_cb = -1;
    step();
  }
}

static void end_cb(void *object, const cnet_error *err, void *arg) {
  (void)object, (void)arg;
  add(&W, "endcb %s", err_name(err));
}

static void w_event(const cnet_event *ev, void *arg) {
  (void)arg;
  switch (ev->type) {
    case CNET_EV_DRAIN:
      wr.need_drain = false;
      if (wr.waiting_drain) {
        wr.waiting_drain = false;
        cnet_set_immediate(loop, &wr.im, step_immediate, NULL);
      }
      break;
    case CNET_EV_FINISH: add(&W, "finish"); break;
    case CNET_EV_END: add(&W, "end"); break;
    case CNET_EV_ERROR: add(&W, "error %s", err_name(ev->error)); break;
    case CNET_EV_CLOSE:
      add(&W, "close %s", ev->had_error ? "true" : "false");
      add(&W, "bytesWritten %llu",
          (unsigned long long)cnet_socket_bytes_written(wr.so));
      cnet_timer_stop(&wr.timer);
      cnet_clear_immediate(&wr.im);
      done();
      break;
    default: break;
  }
}

static void step(void) {
  cnet_socket *so = wr.so;
  while (wr.pc < cfg.nops) {
    const op *o = &cfg.ops[wr.pc++];
    switch (o->kind) {
      case 'w': {
        size_t i = wr.index++;
        bool with_cb = o->b == 1;
        if (with_cb) wr.last_cb = (long)i;
        if (!cnet_socket_write(so, bytes_of(i), (size_t)o->a, with_cb ? w_cb : NULL,
                               (void *)(uintptr_t)i))
          wr.need_drain = true;
        break;
      }
      case 'c': cnet_socket_cork(so); break;
      case 'u': cnet_socket_uncork(so); break;
      case 't': cnet_next_tick(loop, step_tick, NULL); return;
      case 'i': cnet_set_immediate(loop, &wr.im, step_immediate, NULL); return;
      case 's': cnet_timer_start(&wr.timer, step_timer, NULL, (uint64_t)o->a, 0); return;
      case 'd':
        if (wr.need_drain) {
          wr.waiting_drain = true;
          return;
        }
        break;
      case 'k':
        if (wr.last_cb >= 0 && !wr.called[wr.last_cb]) {
          wr.waiting_cb = wr.last_cb;
          return;
        }
        break;
      case 'e': {
        cnet_callback cb = o->b == 1 ? end_cb : NULL;
        if (o->a >= 0)
          cnet_socket_end(so, bytes_of(wr.index++), (size_t)o->a, cb, NULL);
        else
          cnet_socket_end(so, NULL, 0, cb, NULL);
        break;
      }
    }
  }
}

static void writer(cnet_socket *so) {
  wr.so = so;
  wr.last_cb = wr.waiting_cb = -1;
  wr.called = calloc(cfg.nops + 1, 1);
  cnet_timer_init(loop, &wr.timer);
  static const int evs[] = {CNET_EV_DRAIN, CNET_EV_FINISH, CNET_EV_END, CNET_EV_ERROR,
                            CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) cnet_on(so, evs[i], w_event, NULL);
}

/* ---- set-up ----------------------------------------------------------------- */

static bool writer_is_server(void) { return strcmp(cfg.writer, "server") == 0; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  if (writer_is_server()) {
    writer(so);
    step();
  } else {
    reader(so);
  }
}

/* ---- TLS: the certificates run.js made in the socket directory --------- */

static char *tls_key, *tls_cert, *tls_ca;

static char *read_pem(const char *dir, const char *name) {
  char path[300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(2);
  }
  char *pem = calloc(1, 1 << 16);
  if (!pem || fread(pem, 1, (1 << 16) - 1, f) == 0) exit(2);
  fclose(f);
  return pem;
}

static bool tls_on(void) { return strcmp(cfg.transport, "tls") == 0; }

static cnet_socket *tls_connect(const cnet_connect_options *co) {
  cnet_tls_context_options sec = {.ca = tls_ca};
  cnet_tls_connect_options o = {.connect = co, .secure = &sec};
  cnet_socket *so;
  if (cnet_tls_connect(loop, &o, NULL, NULL, &so) != 0) abort();
  return so;
}

static void on_connect(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  step();
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  cnet_connect_options co = {0};
  cnet_address a;
  if (sock_path[0]) {
    co.path = sock_path;
  } else {
    cnet_server_address(server, &a);
    co.port = a.port;
    co.host = "127.0.0.1";
  }
  cnet_socket *so;
  int r;
  if (tls_on()) {
    so = tls_connect(&co);
  } else if (cfg.hwm) {
    cnet_socket_options so_opts = {.high_water_mark = cfg.hwm};
    r = cnet_socket_new(loop, &so_opts, &so);
    if (!so || cnet_socket_connect(so, &co, NULL, NULL) != 0) abort();
  } else if ((r = cnet_connect(loop, &co, NULL, NULL, &so)) != 0) {
    abort();
  }
  if (writer_is_server()) {
    reader(so);
    return;
  }
  writer(so);
  if (strcmp(cfg.start, "now") == 0)
    step();
  else
    cnet_once(so, CNET_EV_CONNECT, on_connect, NULL);
}

static void load(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(2);
  }
  char line[128];
  size_t cap = 0;
  while (fgets(line, sizeof line, f)) {
    char k[16];
    long a = 0, b = 0;
    char kind = 0;
    if (sscanf(line, "op %c %ld %ld", &kind, &a, &b) >= 1) {
      if (cfg.nops == cap) {
        cap = cap ? cap * 2 : 256;
        cfg.ops = realloc(cfg.ops, cap * sizeof *cfg.ops);
        if (!cfg.ops) abort();
      }
      cfg.ops[cfg.nops++] = (op){kind, a, b};
    } else if (sscanf(line, "pause %ld %ld", &a, &b) == 2 && cfg.npauses < MAX_PAUSES) {
      int i = cfg.npauses++;
      /* Sorted by byte count, as the Node side sorts them. */
      while (i > 0 && cfg.pause_at[i - 1] > a) {
        cfg.pause_at[i] = cfg.pause_at[i - 1];
        cfg.pause_ms[i] = cfg.pause_ms[i - 1];
        i--;
      }
      cfg.pause_at[i] = a;
      cfg.pause_ms[i] = b;
    } else if (sscanf(line, "transport %7s", cfg.transport) == 1 ||
               sscanf(line, "writer %7s", cfg.writer) == 1 ||
               sscanf(line, "start %7s", cfg.start) == 1) {
    } else if (sscanf(line, "hwm %ld", &a) == 1) {
      cfg.hwm = (size_t)a;
    } else if (sscanf(line, "%15s", k) == 1 && strcmp(k, "seed") != 0) {
      fprintf(stderr, "bad line: %s", line);
      exit(2);
    }
  }
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: stream_diff SCRIPT [SOCKET_DIR]\n");
    return 2;
  }
  load(argv[1]);
  for (size_t i = 0; i < PATTERN; i++) pattern[i] = (unsigned char)((i * 7 + (i >> 8)) & 255);
  loop = cnet_default_loop();
  cnet_server_options so = {.high_water_mark = cfg.hwm};
  const char *dir = argc > 2 ? argv[2] : ".";
  if (tls_on()) {
    tls_key = read_pem(dir, "server.key");
    tls_cert = read_pem(dir, "server.pem");
    tls_ca = read_pem(dir, "ca.pem");
    cnet_tls_context_options sec = {.key = tls_key, .cert = tls_cert};
    cnet_tls_server_options o = {.secure = &sec, .server = &so};
    if (cnet_tls_create_server(loop, &o, on_connection, NULL, &server) != 0) return 2;
  } else if (cnet_create_server(loop, &so, on_connection, NULL, &server) != 0) {
    return 2;
  }
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  if (strcmp(cfg.transport, "unix") == 0) {
    snprintf(sock_path, sizeof sock_path, "%s/c%d.sock", dir, (int)getpid());
    unlink(sock_path);
    if (cnet_server_listen_path(server, sock_path) != 0) return 2;
  } else if (cnet_server_listen(server, 0, "127.0.0.1", 0) != 0) {
    return 2;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  fwrite(W.p, 1, W.len, stdout);
  fwrite(R.p, 1, R.len, stdout);
  cnet_server_free(server);
  if (sock_path[0]) unlink(sock_path);
  free(W.p);
  free(R.p);
  free(cfg.ops);
  free(wr.called);
  free(tls_key);
  free(tls_cert);
  free(tls_ca);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}

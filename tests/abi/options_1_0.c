/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* An options struct that grew keeps its old version for the programs
 * compiled against the old layout (docs/abi.md, options that grow).
 * cnet_server_options gained coalesce_writes in 1.1: a program built
 * against 1.0 is linked to cnet_create_server@CNET_1.0, whose struct ends
 * where coalesce_writes begins, so whatever lies after it in the caller's
 * memory must not count. This calls both versions, with coalesce_writes
 * set, and looks at the socket each server accepts: the 1.0 version's
 * does not coalesce, the 1.1 version's does. cnet_connect_options gained
 * high_water_mark in 1.1: cnet_connect@CNET_1.0's socket keeps the default
 * mark whatever follows its struct. Exits 0 when all of it holds. */
#include <cnet.h>

#include <stdio.h>

/* What a program compiled against 1.0 headers calls. */
int create_server_1_0(cnet_loop *loop, const cnet_server_options *opts,
                      cnet_listener connection_listener, void *arg,
                      cnet_server **out);
__asm__(".symver create_server_1_0, cnet_create_server@CNET_1.0");
int connect_1_0(cnet_loop *loop, const cnet_connect_options *opts,
                cnet_callback connect_listener, void *arg, cnet_socket **out);
__asm__(".symver connect_1_0, cnet_connect@CNET_1.0");

static int accepted = -1; /* whether the accepted socket coalesces */

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  accepted = cnet_socket_coalesce_writes(so);
  cnet_socket_destroy(so, NULL);
  cnet_server_close(ev->target, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_server_address(ev->target, &a);
  cnet_socket *c;
  cnet_connect_port(arg, a.port, "127.0.0.1", NULL, NULL, &c);
}

/* Whether the server made by create accepts a coalescing socket: 1 or 0,
 * -1 when it accepted none. */
static int accepts_coalescing(cnet_loop *loop,
                              int (*create)(cnet_loop *, const cnet_server_options *,
                                            cnet_listener, void *, cnet_server **)) {
  cnet_server_options o = {.coalesce_writes = true};
  cnet_server *srv;
  accepted = -1;
  if (create(loop, &o, on_connection, NULL, &srv) != 0) return -1;
  cnet_on(srv, CNET_EV_LISTENING, on_listening, loop);
  if (cnet_server_listen(srv, 0, "127.0.0.1", 0) != 0) return -1;
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(srv);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return accepted;
}

/* The writable mark of the socket connect makes when asked for 1234. */
static size_t connects_with_mark(cnet_loop *loop,
                                 int (*connect)(cnet_loop *, const cnet_connect_options *,
                                                cnet_callback, void *, cnet_socket **)) {
  cnet_connect_options o = {.port = 9, .host = "127.0.0.1", .high_water_mark = 1234,
                            .has_high_water_mark = true};
  cnet_socket *so;
  if (connect(loop, &o, NULL, NULL, &so) != 0) return 0;
  size_t mark = cnet_stream_writable_high_water_mark(so);
  cnet_socket_destroy(so, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return mark;
}

int main(void) {
  cnet_loop *loop;
  if (cnet_loop_new(&loop) != 0) return 1;
  int old = accepts_coalescing(loop, create_server_1_0);
  int now = accepts_coalescing(loop, cnet_create_server);
  int status = 0;
  if (old != 0) {
    printf("cnet_create_server@CNET_1.0 read past a 1.0 struct (accepted: %d)\n", old);
    status = 1;
  }
  if (now != 1) {
    printf("cnet_create_server@@CNET_1.1 ignored coalesce_writes (accepted: %d)\n", now);
    status = 1;
  }
  size_t old_mark = connects_with_mark(loop, connect_1_0);
  size_t mark = connects_with_mark(loop, cnet_connect);
  if (old_mark != 16384) {
    printf("cnet_connect@CNET_1.0 read past a 1.0 struct (mark: %zu)\n", old_mark);
    status = 1;
  }
  if (mark != 1234) {
    printf("cnet_connect@@CNET_1.1 ignored high_water_mark (mark: %zu)\n", mark);
    status = 1;
  }
  if (cnet_loop_close(loop) != 0) status = 1;
  if (status == 0) puts("options_1_0: the 1.0 version reads a 1.0 struct, 1.1 the whole");
  return status;
}

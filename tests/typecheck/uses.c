/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Every object kind through the emitter and stream calls: all compile. */
#include <cnet.h>

static void on_any(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
}

void uses(cnet_loop *loop, cnet_server *srv, cnet_socket *so, cnet_dgram *udp,
          cnet_stream *out, cnet_fs_read_stream *rs, cnet_fs_write_stream *ws,
          cnet_memory_sink *sink, cnet_emitter *mine, void *target);

void uses(cnet_loop *loop, cnet_server *srv, cnet_socket *so, cnet_dgram *udp,
          cnet_stream *out, cnet_fs_read_stream *rs, cnet_fs_write_stream *ws,
          cnet_memory_sink *sink, cnet_emitter *mine, void *target) {
  (void)loop;
  cnet_on(srv, CNET_EV_CONNECTION, on_any, NULL);
  cnet_on(so, CNET_EV_DATA, on_any, NULL);
  cnet_once(udp, CNET_EV_MESSAGE, on_any, NULL);
  cnet_on(out, CNET_EV_DRAIN, on_any, NULL);
  cnet_on(rs, CNET_EV_DATA, on_any, NULL);
  cnet_off(ws, CNET_EV_FINISH, on_any, NULL);
  cnet_on(sink, CNET_EV_FINISH, on_any, NULL);
  cnet_on(mine, 40, on_any, NULL);
  cnet_on(target, CNET_EV_CLOSE, on_any, NULL);
  cnet_set_data(so, loop);
  (void)cnet_get_data(srv);
  (void)cnet_listener_count((const cnet_socket *)so, CNET_EV_DATA);
  cnet_stream_write(so, "x", 1, NULL, NULL);
  cnet_stream_write(ws, "x", 1, NULL, NULL);
  cnet_stream_printf(out, "%d\n", 1);
  cnet_stream_pause(rs);
  cnet_pipe(rs, sink, NULL);
  cnet_unpipe(rs, NULL);
  cnet_stream_end(target, NULL, 0, NULL, NULL);
  (void)cnet_stream_writable_length((const cnet_memory_sink *)sink);
  (void)cnet_is_stream(srv);
}

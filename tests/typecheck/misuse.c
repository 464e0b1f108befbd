/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Misuses the compiler must refuse: each block alone (-DMISUSE=n). */
#include <cnet.h>

static void on_any(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
}

struct mine {
  cnet_emitter em;
  int x;
};

void misuse(cnet_loop *loop, cnet_timer *timer, cnet_server *srv,
            cnet_dgram *udp, struct mine *m, cnet_socket *so);

void misuse(cnet_loop *loop, cnet_timer *timer, cnet_server *srv,
            cnet_dgram *udp, struct mine *m, cnet_socket *so) {
  (void)loop, (void)timer, (void)srv, (void)udp, (void)m, (void)so;
  (void)on_any;
#if MISUSE == 1
  cnet_on(timer, CNET_EV_DATA, on_any, NULL);
#endif
#if MISUSE == 2
  cnet_on(loop, CNET_EV_DATA, on_any, NULL);
#endif
#if MISUSE == 3
  cnet_on(m, CNET_EV_DATA, on_any, NULL); /* pass &m->em */
#endif
#if MISUSE == 4
  cnet_stream_write(srv, "x", 1, NULL, NULL);
#endif
#if MISUSE == 5
  cnet_stream_write(udp, "x", 1, NULL, NULL);
#endif
#if MISUSE == 6
  cnet_pipe(so, srv, NULL);
#endif
#if MISUSE == 7
  cnet_stream_pause(timer);
#endif
#if MISUSE == 8
  cnet_emit(timer, NULL);
#endif
#if MISUSE == 9
  (void)cnet_listener_count(timer, CNET_EV_DATA);
#endif
#if MISUSE == 10
  cnet_set_data(timer, NULL);
#endif
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The chat room of cnet-chat: the connections, their nicknames and the
 * commands (the seeds' chat room 1.0 and 2.0 in one).
 *
 * The room takes each socket the server accepts, greets it, asks for a
 * nickname and from then on delivers what the user types. It owns the
 * per-connection state and frees it on the socket's 'close'. */
#ifndef CNET_CHAT_ROOM_H
#define CNET_CHAT_ROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cnet.h>

#include "cluster.h"
#include "text.h"

typedef struct room room;

/* The bounds of the room, each a command-line option (see main.c and
 * cnet-chat(1)). 0 means no limit where a comment says so. */
typedef struct room_options {
  size_t max_queue;  /* bytes waiting to be sent to one client before it
                        is dropped as not reading                          */
  int max_users;     /* connections at once (0: no limit); when full, a new
                        one takes the seat of the oldest without a nickname */
  int max_per_ip;    /* connections from one address, IPv6 per /64 (0: no
                        limit)                                             */
  unsigned login_timeout_ms; /* to send a nickname (0: no limit)           */
  unsigned idle_timeout_ms;  /* between lines of a joined user (0: none)   */
  /* What one client may send: lines and bytes a second, after a burst
   * (rate 0: no limit). Beyond the rate its input waits its turn; with
   * more than max_input bytes waiting it is dropped as flooding. */
  double rate_lines, burst_lines;
  double rate_bytes, burst_bytes;
  size_t max_input;
  /* Where the room's transcript goes (--log), one line at a time without
   * its end; NULL: nowhere. Must not block. */
  void (*transcript)(void *ctx, const char *line, size_t len);
  void *transcript_ctx;
  /* One room with the other instances on this Redis (--redis); NULL:
   * alone. */
  const cluster_options *cluster;
} room_options;

/* The high-water mark the server must give the sockets it accepts: a
 * client's own commands stop being read while more than this waits to be
 * sent to it, and are read again on its 'drain'. */
size_t room_high_water_mark(const room_options *opts);

room *room_new(cnet_loop *loop, const room_options *opts);
/* A 'connection' listener: arg is the room. */
void room_on_connection(const cnet_event *ev, void *arg);
/* Tells everyone the server is going away and closes every connection:
 * at once if force, else after what is queued for it is sent (a client
 * that does not read is cut after a grace period). */
void room_shutdown(room *r, bool force);
/* Tells the other instances this one is gone, with its users, and closes
 * the link (it would keep the loop running): for a server that stops
 * serving. The room goes on alone. */
void room_leave_cluster(room *r);
/* Connections open (named or not). */
size_t room_connections(const room *r);
/* One line on stderr, as the room logs its events: users online and
 * connections now, then totals since the start: lines users said to
 * others (public or private) and the bytes of their text, connections
 * dropped (by reason) and refused; and uptime_ms as the time up. */
void room_log_status(const room *r, uint64_t uptime_ms);
/* Frees the room; every connection must have closed. */
void room_free(room *r);

#endif

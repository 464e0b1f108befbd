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

#include <cnet.h>

#include "text.h"

typedef struct room room;

typedef struct room_options {
  size_t max_queue;  /* bytes queued for one client before it is dropped  */
  int max_users;     /* connections at once; more are told and closed     */
  /* Where the room's transcript goes (--log), one line at a time without
   * its end; NULL: nowhere. Must not block. */
  void (*transcript)(void *ctx, const char *line, size_t len);
  void *transcript_ctx;
} room_options;

room *room_new(cnet_loop *loop, const room_options *opts);
/* A 'connection' listener: arg is the room. */
void room_on_connection(const cnet_event *ev, void *arg);
/* Tells everyone the server is going away and closes every connection:
 * at once if force, else after what is queued for it is sent (a client
 * that does not read is cut after a grace period). */
void room_shutdown(room *r, bool force);
/* Connections open (named or not). */
size_t room_connections(const room *r);
/* Frees the room; every connection must have closed. */
void room_free(room *r);

#endif

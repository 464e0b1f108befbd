/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* One room across several cnet-chat instances, through Redis (--redis).
 *
 * The cluster is the room's link to the others: it tells Redis who joins,
 * leaves, renames and says what here, and tells the room what happens
 * elsewhere, through the ops table the room gives it. It keeps the roster
 * of the users on the other instances (for `l`, the counts and private
 * messages) and the claims that make nicknames unique across all of them.
 *
 * Every change to the shared state is a Lua script that changes the keys
 * and publishes the event in one atomic step, so every instance sees the
 * events in one order, and one sender's lines in the order sent. Claims
 * (the instance's own and its users' nicknames) hold for a lease the
 * instance renews; one that stops renewing (killed, frozen, cut off) is
 * declared gone by the others, its users announced as left and their
 * nicknames freed. While the link is down the local room goes on alone;
 * nothing waits for Redis in memory, and when the link is back the
 * instance says again who is here. docs/chat-cluster.md has the whole
 * picture. */
#ifndef CNET_CHAT_CLUSTER_H
#define CNET_CHAT_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cnet.h>

typedef struct cluster cluster;

/* The most bytes of a node name (--node). */
#define CLUSTER_NODE_MAX 64

typedef struct cluster_options {
  char host[256];               /* Redis: a host name or address        */
  int port;
  int db;
  char node[CLUSTER_NODE_MAX + 1];
  unsigned lease_ms;
} cluster_options;

/* Reads redis://HOST:PORT[/DB] (HOST may be [an IPv6 address]; PORT
 * 6379 and DB 0 when left out) into o. NULL, or what is wrong. */
const char *cluster_parse_url(const char *url, cluster_options *o);
/* Looks o->host up once (hiredis would at every attempt, blocking the
 * loop) and puts the address in its place. NULL, or what went wrong. */
const char *cluster_resolve(cluster_options *o);
/* NULL, or what is wrong with a node name. */
const char *cluster_check_node(const char *name);

/* A local user as the cluster knows it: embedded in the room's user, which
 * owns the nick and key it points at. */
typedef struct cluster_member {
  struct cluster_member *prev, *next; /* the cluster's local users   */
  struct cluster_claim *claim;        /* a claim awaiting its answer */
  const char *nick, *key;
  uint64_t seq;                       /* join order, cluster-wide     */
  bool in;                            /* on the cluster's list       */
} cluster_member;

/* What a claim (cluster_claim, cluster_rename) came to. */
enum { CLUSTER_OK = 0, CLUSTER_TAKEN = 1, CLUSTER_DOWN = 2 };

/* How the cluster tells the room what happened elsewhere; ctx is the
 * room. After a batch of calls it calls settle. */
typedef struct cluster_ops {
  /* A line said on another instance, for every user here. */
  void (*line)(void *ctx, const char *line, size_t len);
  void (*joined)(void *ctx, const char *nick);
  /* how: "left", "was dropped: idle", or "left: server N is gone". */
  void (*left)(void *ctx, const char *nick, const char *how);
  void (*renamed)(void *ctx, const char *from, const char *to);
  /* A private message for the user here whose key this is. */
  void (*private_message)(void *ctx, const char *key, const char *from,
                          const char *text, size_t len);
  /* The link to the others is lost (up false) or back. */
  void (*link)(void *ctx, bool up);
  /* The answer to cluster_claim or cluster_rename for m. */
  void (*claimed)(void *ctx, cluster_member *m, int result);
  /* m's nickname was taken elsewhere while the link was down: the room
   * must give m another one (and call cluster_changed). */
  void (*conflict)(void *ctx, cluster_member *m);
  void (*settle)(void *ctx);
  /* No longer busy (see cluster_busy). */
  void (*drained)(void *ctx);
} cluster_ops;

/* Starts linking to Redis at once; the room works alone until linked.
 * NULL when out of memory. */
cluster *cluster_new(cnet_loop *loop, const cluster_options *o,
                     const cluster_ops *ops, void *ctx);
/* Whether claims go to Redis now (the link is up): if not, the room
 * decides alone and the cluster catches up once linked. */
bool cluster_ready(const cluster *c);
/* Whether Redis has so much of this instance's to take that the room
 * should stop reading what its users say until ops->drained. */
bool cluster_busy(const cluster *c);
/* Whether the users were told the link is lost and not yet that it is
 * back (a newcomer is told too). */
bool cluster_lost(const cluster *c);

/* Claims m's nickname cluster-wide (ready only); the answer comes through
 * ops->claimed. On CLUSTER_OK, m is a member; m's nick and key must stay
 * as they are until the answer. */
void cluster_claim(cluster *c, cluster_member *m);
/* m (a member) would take this nickname; the answer through
 * ops->claimed, after which the room changes m's nick and key on
 * CLUSTER_OK. */
void cluster_rename(cluster *c, cluster_member *m, const char *nick,
                    const char *key);
/* m joins without Redis (not ready): announced once linked. */
void cluster_add(cluster *c, cluster_member *m);
/* m's nickname changed while not ready. */
void cluster_changed(cluster *c, cluster_member *m);
/* m leaves, told to the others as how. A claim on its way is forgotten
 * (and undone if it succeeds). */
void cluster_leave(cluster *c, cluster_member *m, const char *how);
/* A line said here (formatted, without its CR LF) for the others. */
void cluster_say(cluster *c, const char *line, size_t len);

/* The users on the other instances, in join order. */
typedef struct cluster_user {
  const char *nick, *key;
  uint64_t seq;
} cluster_user;
size_t cluster_others(const cluster *c);
/* The user elsewhere with this key, or false. */
bool cluster_find(const cluster *c, const char *key, cluster_user *out);
/* Calls each for every user elsewhere, in join order. */
void cluster_each(const cluster *c,
                  void (*each)(const cluster_user *u, void *arg), void *arg);
/* A private message from the user here called from, to the user
 * elsewhere with this key. false if nobody elsewhere has the key. */
bool cluster_tell(cluster *c, const char *key, const char *from,
                  const char *text, size_t len);

/* One line on stderr, after the room's status line: the link's state and
 * the users elsewhere. */
void cluster_log_status(const cluster *c);

/* Tells the others every user here leaves, and closes the link once
 * Redis has heard it (or at once if it is down). */
void cluster_close(cluster *c);
/* Frees the cluster; after cluster_close and the loop's run. */
void cluster_free(cluster *c);

#endif

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What an emitter needs to know of the object it is part of: the hooks a
 * cnet type gives events.c (its name, what an unheard 'error' does, what
 * a new listener starts). Objects above the events layer fill them in;
 * events.c calls them through this table, never by name. */
#ifndef CNET_EMITTER_H
#define CNET_EMITTER_H

#include <stdbool.h>

#include "cnet.h"

typedef struct cnet__handle cnet__handle;

/* How a cnet object takes part in emitting: what it does when an 'error'
 * reaches it with no listener, and what it does when a listener is added
 * (a 'data' listener starts a stream flowing, as in Node). */
struct cnet__emitter_ops {
  const char *type_name;
  void (*destroy)(void *object, const cnet_error *err);
  void (*listener_added)(void *object, int type);
  /* Handles: the close phase's step (emits 'close' and frees). */
  void (*closed)(cnet__handle *h);
  bool is_stream; /* the head of a cnet__stream_vt */
  /* Where the object keeps cnet_set_data()'s pointer: create false asks
   * only (NULL: never set), true makes room (NULL: out of memory). NULL
   * hook: a table on the side, for objects there are few of. */
  void **(*data_slot)(void *object, bool create);
};
/* 0, or CNET_ENOMEM when the registry cannot take the emitter (nothing is
 * then initialised). */
int cnet__emitter_init_ops(cnet_emitter *em, const struct cnet__emitter_ops *ops);

/* The library's own emitter calls: the object is known to be an emitter,
 * so no lookup (the public cnet_on(), ... check a caller's void * first).
 * Inside src/ the public names stand for these. */
int cnet__on(void *object, int type, cnet_listener fn, void *arg);
int cnet__once(void *object, int type, cnet_listener fn, void *arg);
int cnet__prepend_listener(void *object, int type, cnet_listener fn, void *arg);
int cnet__prepend_once_listener(void *object, int type, cnet_listener fn,
                                void *arg);
int cnet__off(void *object, int type, cnet_listener fn, void *arg);
int cnet__remove_all_listeners(void *object, int type);
int cnet__listener_count(const void *object, int type);
bool cnet__emit(void *object, cnet_event *ev);
int cnet__set_data(void *object, void *data);
void *cnet__get_data(const void *object);
#ifdef CNET_BUILDING
#define cnet_on cnet__on
#define cnet_once cnet__once
#define cnet_prepend_listener cnet__prepend_listener
#define cnet_prepend_once_listener cnet__prepend_once_listener
#define cnet_off cnet__off
#define cnet_remove_all_listeners cnet__remove_all_listeners
#define cnet_listener_count cnet__listener_count
#define cnet_emit cnet__emit
#define cnet_set_data cnet__set_data
#define cnet_get_data cnet__get_data
#endif

/* Whether a caller's pointer is a live emitter: looked up before it is
 * read. */
bool cnet__is_emitter(const void *object);

/* cb(object, ev->error, arg) once, on the next emit of type (Node's
 * callbacks that are once listeners: connect, bind, close). */
int cnet__once_callback(void *object, int type, cnet_callback cb, void *arg);
int cnet__off_callback(void *object, int type, cnet_callback cb, void *arg);

#endif

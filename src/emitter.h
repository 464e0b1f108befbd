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
};
void cnet__emitter_init_ops(cnet_emitter *em, const struct cnet__emitter_ops *ops);

/* cb(object, ev->error, arg) once, on the next emit of type (Node's
 * callbacks that are once listeners: connect, bind, close). */
int cnet__once_callback(void *object, int type, cnet_callback cb, void *arg);
int cnet__off_callback(void *object, int type, cnet_callback cb, void *arg);

#endif

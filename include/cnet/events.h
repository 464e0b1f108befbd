/* cnet events: every cnet object is an EventEmitter, as in Node.
 *
 * Any number of listeners per event, called in the order they were added;
 * cnet_on / cnet_once / cnet_off / cnet_prepend_listener work on any object
 * (a socket, a server, a UDP socket, a stream or an emitter of your own), so
 * generic code can listen to anything. All listeners share one shape:
 *
 *   static void on_data(const cnet_event *ev, void *arg) {
 *     fwrite(ev->data, 1, ev->len, stdout);
 *   }
 *   cnet_on(sock, CNET_EV_DATA, on_data, NULL);
 *
 * Emitting follows Node exactly: the listeners called by one emit are those
 * present when it started (a listener removed during the emit is still
 * called by it; one added or prepended is not), and a 'once' listener is
 * removed before it runs and runs at most once. An 'error' emitted with no listener is printed to stderr and the
 * object destroyed, never dropped. */
#ifndef CNET_EVENTS_H
#define CNET_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The events of cnet's objects; each says which cnet_event fields it sets. */
typedef enum cnet_event_type {
  CNET_EV_ERROR,       /* error                                            */
  CNET_EV_CLOSE,       /* had_error (sockets)                              */
  CNET_EV_DATA,        /* data, len (text after setEncoding)               */
  CNET_EV_END,         /* -                                                */
  CNET_EV_FINISH,      /* -                                                */
  CNET_EV_DRAIN,       /* -                                                */
  CNET_EV_CONNECT,     /* -                                                */
  CNET_EV_READY,       /* -                                                */
  CNET_EV_LOOKUP,      /* error (NULL on success), address, family, host   */
  CNET_EV_TIMEOUT,     /* -                                                */
  CNET_EV_LISTENING,   /* -                                                */
  CNET_EV_CONNECTION,  /* object: the new cnet_socket                      */
  CNET_EV_DROP,        /* address, port, family (the dropped peer),        */
                       /* local_address, local_port, local_family          */
  CNET_EV_MESSAGE,     /* data, len, rinfo                                 */
  CNET_EV_PIPE,        /* object: the source stream                        */
  CNET_EV_UNPIPE,      /* object: the source stream                        */
  CNET_EV_PAUSE,       /* -                                                */
  CNET_EV_RESUME,      /* -                                                */
  CNET_EV_OPEN,        /* value: the fd (file streams)                     */
  CNET_EV_CONNECTION_ATTEMPT,         /* address, port, family             */
  CNET_EV_CONNECTION_ATTEMPT_FAILED,  /* address, port, family, error      */
  CNET_EV_CONNECTION_ATTEMPT_TIMEOUT, /* address, port, family             */
  CNET_EV_LINE,        /* data, len: the line without its end (readline)  */
  CNET_EV__BUILTIN,    /* first number given to cnet_event_register        */
  CNET_EV__MAX = 0xffff
} cnet_event_type;

/* Where a UDP message came from (Node's rinfo). */
typedef struct cnet_rinfo {
  const char *address;
  const char *family;  /* "IPv4" or "IPv6" */
  int port;
  size_t size;
} cnet_rinfo;

typedef struct cnet_event {
  cnet_event_type type;
  void *target;              /* the object that emitted                   */
  const cnet_error *error;
  const char *data;
  size_t len;
  bool had_error;
  void *object;
  const char *address;
  const char *host;
  int family;                /* 4 or 6 */
  int port;
  const cnet_rinfo *rinfo;
  void *value;               /* events of your own: what you pass         */
  const char *local_address; /* 'drop': the server's end; address, port,  */
  int local_port;            /* family above are the peer's               */
  int local_family;          /* 4 or 6 */
} cnet_event;

typedef void (*cnet_listener)(const cnet_event *ev, void *arg);

/* The emitter part of an object. cnet's objects have one inside; to make an
 * emitter of your own, put a cnet_emitter first in your struct and call
 * cnet_emitter_init on it; cnet_emitter_dispose frees its listener table. */
typedef struct cnet_emitter {
  /* private */
  struct cnet__ltable *table; /* listeners; copied on write during emit   */
  const struct cnet__emitter_ops *ops;
  uint32_t mask;              /* bit t set: event t < 32 may have listeners */
  uint16_t magic;
  uint16_t owner_bits;         /* the embedding object's (a cnet handle's flags) */
} cnet_emitter;

void cnet_emitter_init(cnet_emitter *em);
void cnet_emitter_dispose(cnet_emitter *em);

/* Number for an event of your own, by name; the same name gives the same
 * number. Returns a negative code (CNET_ENOMEM) on failure. */
int cnet_event_register(const char *name);
/* "data", "close", ... or the name given to cnet_event_register. */
const char *cnet_event_name(int type);

/* The object argument is any cnet object or your own emitter. These return
 * 0, or CNET_EINVAL for an object that is not an emitter or a NULL listener,
 * CNET_ENOMEM when the table cannot grow. */
int cnet_on(void *object, int type, cnet_listener fn, void *arg);
int cnet_once(void *object, int type, cnet_listener fn, void *arg);
int cnet_prepend_listener(void *object, int type, cnet_listener fn, void *arg);
/* Removes the most recently added listener matching (fn, arg), as Node's
 * removeListener does; 0 whether or not one was found. */
int cnet_off(void *object, int type, cnet_listener fn, void *arg);
/* Removes every listener of the event (type < 0: of every event). */
int cnet_remove_all_listeners(void *object, int type);
int cnet_listener_count(const void *object, int type);

/* Emits ev on object (ev->type says which event; ev->target is set for
 * you). Returns true if the event had listeners, as Node's emit. An 'error'
 * with no listener is printed to stderr and a cnet object is destroyed with
 * that error (an emitter of your own is only reported). */
bool cnet_emit(void *object, cnet_event *ev);

#ifdef __cplusplus
}
#endif
#endif

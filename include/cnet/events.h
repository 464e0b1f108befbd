/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
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
  CNET_EV_SECURE_CONNECT,    /* - (a TLS client socket)                     */
  CNET_EV_SECURE_CONNECTION, /* object: the new TLS socket (its server)     */
  CNET_EV_TLS_CLIENT_ERROR,  /* error, object: the socket (its server)      */
  CNET_EV_SESSION,     /* data, len: the session (a TLS client socket)     */
  CNET_EV_KEYLOG,      /* data, len: the line; object: the socket when a   */
                       /* server emits it                                  */
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
 * cnet_emitter_init on it; cnet_emitter_dispose frees its listener table.
 * Every field is private: the layout is public only so that you can embed
 * it. */
typedef struct cnet_emitter {
  struct cnet__ltable *table_;
  const struct cnet__emitter_ops *ops_;
  uint32_t mask_;
  uint16_t magic_;
  uint16_t reserved_;
} cnet_emitter;

/* 0, or CNET_ENOMEM (cnet keeps the address of every live emitter, so
 * that a call given a void * can check it without reading it). */
int cnet_emitter_init(cnet_emitter *em);
void cnet_emitter_dispose(cnet_emitter *em);

/* Number for an event of your own, by name; the same name gives the same
 * number. Returns a negative code (CNET_ENOMEM) on failure. */
int cnet_event_register(const char *name);
/* "data", "close", ... or the name given to cnet_event_register. */
const char *cnet_event_name(int type);

/* The objects that are emitters. Each call below takes any of them (or
 * a void * such as ev->target, checked at run time); anything else is a
 * compile error in C11 (see CNET__EMITTER). */
typedef struct cnet_server cnet_server;
typedef struct cnet_socket cnet_socket;
typedef struct cnet_dgram cnet_dgram;
typedef struct cnet_stream cnet_stream;
typedef struct cnet_fs_read_stream cnet_fs_read_stream;
typedef struct cnet_fs_write_stream cnet_fs_write_stream;
typedef struct cnet_memory_sink cnet_memory_sink;
typedef struct cnet_readline cnet_readline;

/* These return 0, or CNET_EINVAL for an object that is not an emitter or
 * a NULL listener, CNET_ENOMEM when the table cannot grow. */
int cnet_on(void *object, int type, cnet_listener fn, void *arg);
int cnet_once(void *object, int type, cnet_listener fn, void *arg);
int cnet_prepend_listener(void *object, int type, cnet_listener fn, void *arg);
int cnet_prepend_once_listener(void *object, int type, cnet_listener fn,
                               void *arg);
/* Removes the most recently added listener matching (fn, arg), as Node's
 * removeListener does; 0 whether or not one was found. */
int cnet_off(void *object, int type, cnet_listener fn, void *arg);
/* Removes every listener of the event (type < 0: of every event). */
int cnet_remove_all_listeners(void *object, int type);
/* The number of listeners, or CNET_EINVAL for a non-emitter. */
int cnet_listener_count(const void *object, int type);

/* Emits ev on object (ev->type says which event; ev->target is set for
 * you). Returns 1 if the event had listeners, 0 if not (Node's emit's
 * true / false), or CNET_EINVAL for an object that is not an emitter or
 * a NULL ev. An 'error' with no listener is printed to stderr and a cnet
 * object is destroyed with that error (an emitter of your own is only
 * reported). */
int cnet_emit(void *object, cnet_event *ev);

/* A pointer of yours on any object (Node code hangs properties on its
 * sockets): cnet never reads it. set returns 0, CNET_EINVAL for a
 * non-emitter or CNET_ENOMEM (a stream makes room for it the first time);
 * get returns NULL until set. */
int cnet_set_data(void *object, void *data);
void *cnet_get_data(const void *object);

/* ---- typed access to an event's fields ----------------------------------- */

/* 'connection', tls's 'secureConnection', 'tlsClientError' and a
 * server's 'keylog': the socket; NULL for any other event. */
static inline cnet_socket *cnet_event_socket(const cnet_event *ev) {
  return ev->type == CNET_EV_CONNECTION || ev->type == CNET_EV_SECURE_CONNECTION ||
                 ev->type == CNET_EV_TLS_CLIENT_ERROR || ev->type == CNET_EV_KEYLOG
             ? (cnet_socket *)ev->object
             : NULL;
}
/* 'message': where the datagram came from; for any other event an empty
 * rinfo (address "", family "", port 0, size 0), never NULL. */
static inline const cnet_rinfo *cnet_event_rinfo(const cnet_event *ev) {
  static const cnet_rinfo none = {"", "", 0, 0};
  return ev->type == CNET_EV_MESSAGE && ev->rinfo ? ev->rinfo : &none;
}
/* 'error' and the events that carry one: the error; for any other event
 * an error with code 0 and an empty message, never NULL. */
static inline const cnet_error *cnet_event_error(const cnet_event *ev) {
  static const cnet_error none = {0, 0, NULL, "", ""};
  return ev->error ? ev->error : &none;
}

/* ---- compile-time checks --------------------------------------------------- */

/* In C11 the calls above are macros that let through only cnet's emitters
 * (and void *), so that cnet_on(&timer, ...) does not compile. An emitter
 * of your own is passed as its cnet_emitter (&mine->emitter) or as a
 * void *. Define CNET_NO_TYPE_CHECKS to turn the macros off. */
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && \
    __STDC_VERSION__ >= 201112L && !defined(CNET_NO_TYPE_CHECKS) &&       \
    !defined(CNET_BUILDING)
#define CNET__EMITTER(o)                                                     \
  _Generic((o), void *: (o), cnet_emitter *: (void *)(o),                   \
           cnet_server *: (void *)(o), cnet_socket *: (void *)(o),          \
           cnet_dgram *: (void *)(o), cnet_stream *: (void *)(o),           \
           cnet_fs_read_stream *: (void *)(o),                               \
           cnet_fs_write_stream *: (void *)(o),                              \
           cnet_memory_sink *: (void *)(o), cnet_readline *: (void *)(o))
#define CNET__CONST_EMITTER(o)                                               \
  _Generic((o), void *: (o), const void *: (o),                             \
           cnet_emitter *: (const void *)(o),                                \
           const cnet_emitter *: (const void *)(o),                          \
           cnet_server *: (const void *)(o),                                 \
           const cnet_server *: (const void *)(o),                           \
           cnet_socket *: (const void *)(o),                                 \
           const cnet_socket *: (const void *)(o),                           \
           cnet_dgram *: (const void *)(o),                                  \
           const cnet_dgram *: (const void *)(o),                            \
           cnet_stream *: (const void *)(o),                                 \
           const cnet_stream *: (const void *)(o),                           \
           cnet_fs_read_stream *: (const void *)(o),                         \
           const cnet_fs_read_stream *: (const void *)(o),                   \
           cnet_fs_write_stream *: (const void *)(o),                        \
           const cnet_fs_write_stream *: (const void *)(o),                  \
           cnet_memory_sink *: (const void *)(o),                            \
           const cnet_memory_sink *: (const void *)(o),                      \
           cnet_readline *: (const void *)(o),                               \
           const cnet_readline *: (const void *)(o))
#define cnet_on(o, t, f, a) cnet_on(CNET__EMITTER(o), t, f, a)
#define cnet_once(o, t, f, a) cnet_once(CNET__EMITTER(o), t, f, a)
#define cnet_prepend_listener(o, t, f, a)                                    \
  cnet_prepend_listener(CNET__EMITTER(o), t, f, a)
#define cnet_prepend_once_listener(o, t, f, a)                               \
  cnet_prepend_once_listener(CNET__EMITTER(o), t, f, a)
#define cnet_off(o, t, f, a) cnet_off(CNET__EMITTER(o), t, f, a)
#define cnet_remove_all_listeners(o, t)                                      \
  cnet_remove_all_listeners(CNET__EMITTER(o), t)
#define cnet_listener_count(o, t) cnet_listener_count(CNET__CONST_EMITTER(o), t)
#define cnet_emit(o, ev) cnet_emit(CNET__EMITTER(o), ev)
#define cnet_set_data(o, d) cnet_set_data(CNET__EMITTER(o), d)
#define cnet_get_data(o) cnet_get_data(CNET__CONST_EMITTER(o))
#else
#define CNET__EMITTER(o) ((void *)(o))
#define CNET__CONST_EMITTER(o) ((const void *)(o))
#endif

#ifdef __cplusplus
}
#endif
#endif

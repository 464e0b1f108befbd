/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet net: Node's net.Server and net.Socket, TCP and Unix domain sockets.
 *
 * Objects, options, defaults, events and errors are Node's; names map one to
 * one (server.listen() is cnet_server_listen(), socket.setTimeout() is
 * cnet_socket_set_timeout()). Servers and sockets are emitters: listen with
 * cnet_on(obj, CNET_EV_..., fn, arg). Every event is listed with the fields
 * of cnet_event it sets.
 *
 * Lifetime: a server is yours until cnet_server_free() (it can listen,
 * close and listen again, as Node's can). A socket is cnet's: it is freed
 * after its 'close' event has been emitted and its listeners have
 * returned; a pointer stays valid until then. To reuse a socket after
 * 'close' (connect it again later), take it with cnet_socket_hold() and
 * give it back with cnet_socket_release(); connecting again from a 'close'
 * listener needs no hold.
 *
 * Data: a 'data' event's ev->data points into cnet's read buffer and is
 * valid only during the call (copy what you keep): no buffer is allocated
 * per connection. Data passed to write() is copied only if the kernel does
 * not take it at once (or it waits: behind another write, corked, or
 * coalesced with the turn's other writes).
 *
 * Errors found inside a call (a bad port, listening twice) are returned
 * from it as Node would throw them; errors found while an operation runs
 * (ECONNREFUSED, ECONNRESET, EADDRINUSE) arrive as an 'error' event on a
 * later turn, followed by 'close' with had_error set. */
#ifndef CNET_NET_H
#define CNET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "events.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- net.Server -------------------------------------------------------- */

/* Events:
 *   CNET_EV_LISTENING   -
 *   CNET_EV_CONNECTION  object: the new cnet_socket (owned by cnet)
 *   CNET_EV_CLOSE       -
 *   CNET_EV_ERROR       error (EADDRINUSE, EACCES, ...)
 *   CNET_EV_DROP        address, port, family, local_address, local_port,
 *                       local_family: the peer refused because of
 *                       max_connections or block_list (Node's 'drop');
 *                       none set (NULL, 0) on a Unix socket server */
typedef struct cnet_server_options {
  bool allow_half_open;   /* default false */
  bool pause_on_connect;  /* default false */
  bool no_delay;          /* default false */
  bool keep_alive;        /* default false */
  unsigned keep_alive_initial_delay; /* ms, default 0 */
  size_t high_water_mark;   /* of accepted sockets; 0: 16 KiB, unless */
  bool has_high_water_mark; /* is set (0 is a valid mark, as Node's) */
  /* Peers to refuse (Node 22's blockList option): a blocked connection
   * is closed at once and reported as 'drop'. Not copied: it must outlive
   * the server. NULL: none. */
  const struct cnet_block_list *block_list;
  /* cnet's own (1.1): accepted sockets coalesce their writes, as
   * cnet_socket_set_coalesce_writes(socket, true) does. Default false. */
  bool coalesce_writes;
} cnet_server_options;

/* net.createServer([options][, connectionListener]): a new server in
 * *out; listener (may be NULL) becomes the first 'connection' listener.
 * 0, or CNET_EINVAL (no loop), CNET_ENOMEM. */
int cnet_create_server(cnet_loop *loop, const cnet_server_options *opts,
                       cnet_listener connection_listener, void *arg,
                       cnet_server **out);

typedef struct cnet_listen_options {
  int port;            /* 0: a free port */
  const char *host;    /* NULL: "::" where IPv6 works, else "0.0.0.0" */
  const char *path;    /* a Unix socket path instead of host/port */
  bool has_fd;         /* listen on fd, an inherited listening socket */
  int fd;
  int backlog;         /* 0: 511 */
  bool exclusive;
  bool ipv6_only;
  bool readable_all;   /* Unix sockets: make the file readable by all */
  bool writable_all;
  bool reuse_port;     /* SO_REUSEPORT: several servers share a port */
} cnet_listen_options;

/* server.listen(port, host, backlog): 0 or, as Node throws them,
 * CNET_ERR_SOCKET_BAD_PORT, CNET_ERR_SERVER_ALREADY_LISTEN. Bind and
 * listen errors arrive as 'error'; success as 'listening' (next tick). */
int cnet_server_listen(cnet_server *server, int port, const char *host,
                       int backlog);
/* server.listen(path) for a Unix domain socket. */
int cnet_server_listen_path(cnet_server *server, const char *path);
/* server.listen(options). fd and the flags not covered above. */
int cnet_server_listen_options(cnet_server *server,
                               const cnet_listen_options *opts);

/* server.address(): 0, or CNET_EBADF when not listening (Node: null). A
 * server that listened on a path keeps reporting it after close, as Node's;
 * one listening on an inherited Unix socket fd reports that last path, or
 * CNET_EBADF (Node: null). */
int cnet_server_address(const cnet_server *server, cnet_address *out);
bool cnet_server_listening(const cnet_server *server);

/* server.close([cb]): stops accepting; 'close' follows once the last
 * connection has ended. cb runs on 'close', or with
 * ERR_SERVER_NOT_RUNNING if the server was not listening. */
int cnet_server_close(cnet_server *server, cnet_callback cb, void *arg);

/* server.getConnections(cb), asynchronous like Node's: cb runs on the
 * next tick; read the count there with cnet_server_connection_count()
 * (Node's count argument). */
int cnet_server_get_connections(cnet_server *server, cnet_callback cb,
                                void *arg);
/* The number of open connections (Node's deprecated server.connections,
 * and what getConnections reports). */
int cnet_server_connection_count(const cnet_server *server);
/* server.maxConnections: 0 (the default) means no limit, as Node's unset
 * or 0; a negative value refuses every connection, as in Node. */
void cnet_server_set_max_connections(cnet_server *server, int max);
int cnet_server_max_connections(const cnet_server *server);

void cnet_server_ref(cnet_server *server);
/* Closes the server if it listens and frees it once its pending events
 * have run. Its connections stay open. */
void cnet_server_free(cnet_server *server);
void cnet_server_unref(cnet_server *server);

/* ---- net.Socket -------------------------------------------------------- */

/* Events, in Node's order:
 *   CNET_EV_LOOKUP   error (NULL on success), address, family, host
 *   CNET_EV_CONNECTION_ATTEMPT          address, port, family: connect()
 *                    is about to be called for this peer (for a path:
 *                    the path, port 0, family 0)
 *   CNET_EV_CONNECTION_ATTEMPT_FAILED   address, port, family, error: that
 *                    attempt failed ('error' follows unless another
 *                    address is tried)
 *   CNET_EV_CONNECTION_ATTEMPT_TIMEOUT  address, port, family: that attempt
 *                    got no answer in the attempt timeout and the next
 *                    address is tried
 *   CNET_EV_CONNECT  -
 *   CNET_EV_READY    -
 *   CNET_EV_DATA     data, len (text after cnet_socket_set_encoding)
 *   CNET_EV_END      - (the peer ended its side)
 *   CNET_EV_FINISH   - (our side ended and everything was written)
 *   CNET_EV_DRAIN    - (the write buffer emptied after write returned false)
 *   CNET_EV_TIMEOUT  -
 *   CNET_EV_PAUSE, CNET_EV_RESUME
 *   CNET_EV_ERROR    error
 *   CNET_EV_CLOSE    had_error */
typedef struct cnet_socket_options {
  bool has_fd;            /* wrap fd, a connected socket (or pipe, tty) */
  int fd;
  bool allow_half_open;   /* default false */
  bool no_readable;       /* with fd: Node's readable: false */
  bool no_writable;       /* with fd: Node's writable: false */
  size_t high_water_mark;   /* writable side; 0: 16 KiB, unless */
  bool has_high_water_mark; /* is set */
} cnet_socket_options;

/* new net.Socket([options]): a new socket in *out. 0, or CNET_ENOMEM or,
 * for a bad fd, the error (CNET_EBADF, CNET_ERR_INVALID_FD_TYPE). */
int cnet_socket_new(cnet_loop *loop, const cnet_socket_options *opts,
                    cnet_socket **out);

typedef struct cnet_connect_options {
  int port;                /* with has_port when it may be 0 */
  bool has_port;           /* port given: {} and {port: 0} differ in Node */
  const char *host;        /* NULL: "localhost" */
  const char *path;        /* Unix socket path instead of host/port */
  const char *local_address;
  int local_port;
  int family;              /* 0, 4 or 6 */
  unsigned timeout;        /* ms; 0: none (socket.setTimeout) */
  bool no_delay;
  bool keep_alive;
  unsigned keep_alive_initial_delay; /* ms */
  bool allow_half_open;    /* cnet_connect only: the new socket's option */
  /* autoSelectFamily and autoSelectFamilyAttemptTimeout of this connect
   * (else the process's defaults, see below); the timeout is in ms, 0:
   * the default. */
  bool has_auto_select_family;
  bool auto_select_family;
  unsigned auto_select_family_attempt_timeout;
  /* highWaterMark of the new socket's writable side, cnet_connect only
   * (as allow_half_open); 0: 16 KiB, unless has_high_water_mark (0 is
   * then the mark). New in 1.1: cnet_connect@CNET_1.0, which programs
   * built against 1.0 call, reads a struct that ends before them. */
  size_t high_water_mark;
  bool has_high_water_mark;
} cnet_connect_options;

/* socket.connect(options[, connectListener]): connect_listener (may be
 * NULL) runs once on 'connect' with err NULL (a failure is an 'error'
 * event, as in Node). 0 or, as Node throws them, CNET_ERR_MISSING_ARGS
 * (no port, no path), CNET_ERR_SOCKET_BAD_PORT,
 * CNET_ERR_INVALID_IP_ADDRESS (local_address), CNET_ERR_INVALID_ARG_VALUE
 * (an empty path); CNET_EBUSY when a destroyed socket has not emitted
 * 'close' yet (connect again from the 'close' listener or later). After a
 * bad port or address the socket stays "opening" until destroyed, as
 * Node's does after the throw. */
int cnet_socket_connect(cnet_socket *socket, const cnet_connect_options *opts,
                        cnet_callback connect_listener, void *arg);
/* socket.connect(port[, host][, connectListener]) (host NULL:
 * "localhost") and socket.connect(path[, connectListener]). */
int cnet_socket_connect_port(cnet_socket *socket, int port, const char *host,
                             cnet_callback connect_listener, void *arg);
int cnet_socket_connect_path(cnet_socket *socket, const char *path,
                             cnet_callback connect_listener, void *arg);
/* net.createConnection / net.connect(options[, connectListener]): a new
 * socket, connecting, in *out. On an error *out is NULL and the socket is
 * gone (Node throws before returning it). */
int cnet_connect(cnet_loop *loop, const cnet_connect_options *opts,
                 cnet_callback connect_listener, void *arg, cnet_socket **out);
/* net.connect(port[, host][, connectListener]) and net.connect(path[,
 * connectListener]). */
int cnet_connect_port(cnet_loop *loop, int port, const char *host,
                      cnet_callback connect_listener, void *arg,
                      cnet_socket **out);
int cnet_connect_path(cnet_loop *loop, const char *path,
                      cnet_callback connect_listener, void *arg,
                      cnet_socket **out);

/* net.setDefaultAutoSelectFamily(value) / getDefaultAutoSelectFamily():
 * whether connecting by name (family 0, no local_address) looks up every
 * address and tries them in turn (true, the default, as in Node 20) or
 * connects to the first address only. For the whole process (every
 * loop), read when a connect starts. */
void cnet_set_default_auto_select_family(bool value);
bool cnet_get_default_auto_select_family(void);
/* net.setDefaultAutoSelectFamilyAttemptTimeout(ms) / its getter: how long
 * each address but the last is given before the next is tried; default
 * 250. Values below 10 become 10, as in Node; 0 or CNET_ERR_OUT_OF_RANGE
 * for ms outside 1..2147483647 (the default is then unchanged). */
int cnet_set_default_auto_select_family_attempt_timeout(int64_t ms);
int cnet_get_default_auto_select_family_attempt_timeout(void);

/* socket.write(data[, cb]): 1 while the buffered bytes are below the
 * high-water mark, 0 when they reach it (wait for 'drain'), as Node's
 * true / false; CNET_EINVAL (a NULL socket or data) writes nothing. cb
 * (may be NULL) runs once the data is handed to the kernel, or with the
 * error. */
int cnet_socket_write(cnet_socket *socket, const void *data, size_t len,
                      cnet_callback cb, void *arg);
/* socket.write(string[, encoding][, cb]): the C string (UTF-8 text) is
 * converted as Node's Buffer.from(string, encoding) would (encoding NULL:
 * "utf8"; "hex", "base64", "latin1", ...). An unknown encoding returns
 * CNET_ERR_UNKNOWN_ENCODING and writes nothing. */
int cnet_socket_write_string(cnet_socket *socket, const char *string,
                             const char *encoding, cnet_callback cb,
                             void *arg);
/* socket.write(util.format(fmt, ...)): printf's format; returns what
 * write returns, or CNET_ENOMEM. */
int cnet_socket_printf(cnet_socket *socket, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* socket.end([data][, cb]): half-close after the buffered data; cb runs on
 * 'finish' (or with the error). data may be NULL. */
int cnet_socket_end(cnet_socket *socket, const void *data, size_t len,
                    cnet_callback cb, void *arg);
/* socket.end(string, encoding[, cb]). */
int cnet_socket_end_string(cnet_socket *socket, const char *string,
                           const char *encoding, cnet_callback cb, void *arg);
/* socket.destroy([err]): err (may be NULL) is copied and emitted; an
 * error with code 0 is a plain Error with only a message (Node's
 * destroy(new Error('boom'))). */
int cnet_socket_destroy(cnet_socket *socket, const cnet_error *err);
int cnet_socket_destroy_soon(cnet_socket *socket);
/* socket.resetAndDestroy(): closes with RST; the peer sees ECONNRESET. */
int cnet_socket_reset_and_destroy(cnet_socket *socket);

int cnet_socket_cork(cnet_socket *socket);
int cnet_socket_uncork(cnet_socket *socket);
int cnet_socket_pause(cnet_socket *socket);
int cnet_socket_resume(cnet_socket *socket);
bool cnet_socket_is_paused(const cnet_socket *socket);
/* socket.setEncoding(enc): utf8, utf16le, latin1, ascii, hex, base64,
 * base64url (Node's names and aliases). CNET_ERR_UNKNOWN_ENCODING else. */
int cnet_socket_set_encoding(cnet_socket *socket, const char *encoding);
/* socket.readableEncoding: the name set, or NULL (Node: null). */
const char *cnet_socket_readable_encoding(const cnet_socket *socket);

/* socket.setTimeout(ms[, cb]): 'timeout' after ms without activity (the
 * socket stays open); cb (may be NULL) is a once 'timeout' listener; 0
 * disables (and removes cb as a listener). 0 or CNET_EINVAL, CNET_ENOMEM. */
int cnet_socket_set_timeout(cnet_socket *socket, unsigned ms, cnet_listener cb,
                            void *arg);
unsigned cnet_socket_timeout(const cnet_socket *socket);
int cnet_socket_set_no_delay(cnet_socket *socket, bool enable);
int cnet_socket_set_keep_alive(cnet_socket *socket, bool enable,
                               unsigned initial_delay_ms);
/* Per-turn write coalescing, cnet's own (1.1; Node has none). On, a write
 * is not sent at once: it waits in the socket's write queue, and the
 * writes of one turn of the loop leave together, in one writev, just
 * before the loop waits for I/O again (or cnet_loop_run returns), as
 * Redis sends its replies before it sleeps. A server writing one line to
 * many clients from several callbacks of a turn then makes one system
 * call per client per turn, not one per line. What waits stays below the
 * high-water mark: the write that reaches it sends the queue at once.
 * Nothing else changes: the waiting bytes count in writableLength, write()
 * returns 0 and 'drain' follows only when the kernel refuses, write
 * callbacks run once the bytes reach the kernel, end(), destroySoon() and
 * destroy() send them first (they would have been sent at the write),
 * corked writes wait for uncork() as ever, and a write error (EPIPE,
 * ECONNRESET) arrives as it would without. Each waiting write is a copy,
 * as a write the kernel refused would be. Turning it off sends what
 * waits at once. Default off; cnet_server_options.coalesce_writes turns
 * it on for every accepted socket. 0, or CNET_EINVAL, CNET_ENOMEM. */
int cnet_socket_set_coalesce_writes(cnet_socket *socket, bool enable);
bool cnet_socket_coalesce_writes(const cnet_socket *socket);

/* socket.address() and localAddress/localPort/localFamily (local), and
 * remoteAddress/remotePort/remoteFamily (remote): 0, or CNET_EBADF /
 * CNET_ENOTCONN / CNET_ENOTSUP (a Unix socket) when Node would give {} /
 * undefined. */
int cnet_socket_local_address(const cnet_socket *socket, cnet_address *out);
int cnet_socket_remote_address(const cnet_socket *socket, cnet_address *out);

/* "opening", "open", "readOnly", "writeOnly" or "closed". */
const char *cnet_socket_ready_state(const cnet_socket *socket);
bool cnet_socket_pending(const cnet_socket *socket);
bool cnet_socket_connecting(const cnet_socket *socket);
bool cnet_socket_destroyed(const cnet_socket *socket);
size_t cnet_socket_buffer_size(const cnet_socket *socket);   /* bufferSize */
size_t cnet_socket_writable_length(const cnet_socket *socket);
/* socket.bytesRead and bytesWritten; on a TLS socket they count the
 * plaintext, as Node's TLSSocket does (the handshake and the records'
 * overhead are not in them). */
uint64_t cnet_socket_bytes_read(const cnet_socket *socket);
uint64_t cnet_socket_bytes_written(const cnet_socket *socket);
bool cnet_socket_writable(const cnet_socket *socket);
bool cnet_socket_readable(const cnet_socket *socket);
/* socket.allowHalfOpen. */
bool cnet_socket_allow_half_open(const cnet_socket *socket);
/* socket.server: the server that accepted the socket (NULL for one made
 * by connect, and once the socket is destroyed: the server may be gone). */
cnet_server *cnet_socket_server(const cnet_socket *socket);
/* socket.errored: the error the socket was destroyed with, or NULL. */
const cnet_error *cnet_socket_errored(const cnet_socket *socket);

/* socket.ref() / unref(). Before the socket connects they wait for
 * 'connect', as Node's do: 0, or CNET_ENOMEM when that cannot be
 * arranged. */
int cnet_socket_ref(cnet_socket *socket);
int cnet_socket_unref(cnet_socket *socket);

/* Keep the socket object after 'close' (to connect it again later). */
void cnet_socket_hold(cnet_socket *socket);
void cnet_socket_release(cnet_socket *socket);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet dgram: Node's dgram module, UDP sockets on cnet's loop.
 *
 * Objects, events, options, defaults and errors are Node's; names map one
 * to one (dgram.createSocket() is cnet_dgram_create(), socket.setTTL() is
 * cnet_dgram_set_ttl(), socket.addMembership() is
 * cnet_dgram_add_membership()). A UDP socket is an emitter: listen with
 * cnet_on(sock, CNET_EV_..., fn, arg). Reference: docs/dgram.md.
 *
 *   static void on_message(const cnet_event *ev, void *arg) {
 *     printf("%.*s from %s:%d\n", (int)ev->len, ev->data,
 *            ev->rinfo->address, ev->rinfo->port);
 *     cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
 *                     ev->rinfo->address, NULL, NULL);
 *   }
 *   cnet_dgram *s;
 *   cnet_dgram_create(loop, "udp4", on_message, NULL, &s);
 *   cnet_dgram_bind(s, 41234, "localhost", NULL, NULL);
 *
 * Lifetime: as cnet's sockets, a UDP socket belongs to cnet. It lives until
 * cnet_dgram_close() and is freed after its 'close' event has been emitted
 * and its listeners have returned (and once nothing it started, such as a
 * name lookup for a send, still refers to it); a pointer stays valid until
 * then. A socket that is never closed stays open: cnet_loop_close()
 * reports it. An 'error' event with no listener is printed to stderr and
 * closes the socket (where Node would end the process).
 *
 * Errors. A call that fails returns a negative code, as Node would throw
 * it, and starts nothing (a second close() still runs its callback on the
 * first one's 'close', as Node's listener would); the whole error (code, syscall, Node's
 * message, e.g. "setTTL EINVAL", "getsockname EBADF", "Port should be > 0
 * and < 65536. Received type number (0).") is then available from
 * cnet_last_error(). Errors found while an operation runs (bind
 * EADDRINUSE, a name that does not resolve, recvmsg ECONNREFUSED) arrive
 * as an 'error' event, or through the send or connect callback when one
 * was given, on a later tick as in Node.
 *
 * Receiving: a 'message' event's data points into the loop's read buffer
 * (or, on a socket busy enough to read 32 datagrams per recvmmsg, into
 * slots of its own) and is valid only during the call (copy what you
 * keep); nothing is allocated per datagram. Up to 32 datagrams are read
 * per wake-up, as libuv does.
 *
 * Sending: data is sent with one sendmsg() from inside the call when the
 * socket is bound, the address is an IP address (or the socket is
 * connected) and nothing is queued; the data is then yours again as soon
 * as the call returns. Otherwise (the implicit bind is still running, the
 * address is a name to look up, the kernel's buffer is full) cnet copies
 * it and sends it later, in Node's order. One exception: a send without
 * a callback made by a 'message' listener of a socket that reads in
 * batches (see Receiving) is held until the batch's listeners have all
 * run, and those go out with one sendmmsg() (data in the batch's slots is
 * not copied; other data of up to 8 KiB is); the data is yours again as
 * soon as the call returns all the same, and order is kept. The callback
 * runs when Node's would: on a later tick, never from inside the call. */
#ifndef CNET_DGRAM_H
#define CNET_DGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "events.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Class: dgram.Socket. Opaque; created by cnet_dgram_create(). */

/* Events (and the cnet_event fields each sets):
 *   CNET_EV_CLOSE      -  (after cnet_dgram_close(), on the next tick)
 *   CNET_EV_CONNECT    -  (cnet_dgram_connect() succeeded)
 *   CNET_EV_ERROR      error
 *   CNET_EV_LISTENING  -  (bound, explicitly or by the first send/connect)
 *   CNET_EV_MESSAGE    data, len, rinfo: the datagram (empty ones too) and
 *                      where it came from, Node's rinfo {address, family
 *                      "IPv4"/"IPv6", port, size}; a link-local IPv6 sender
 *                      is "fe80::1%eth0" as in Node. */

/* ---- dgram.createSocket(options[, callback]) --------------------------- */

typedef struct cnet_dgram_options {
  const char *type;          /* "udp4" or "udp6" (required)               */
  bool reuse_addr;           /* SO_REUSEADDR at bind (Node's reuseAddr)   */
  bool reuse_port;           /* SO_REUSEPORT at bind (Node 22's reusePort) */
  bool ipv6_only;            /* udp6: IPV6_V6ONLY; udp4: bind fails EINVAL */
  uint32_t recv_buffer_size; /* SO_RCVBUF set once bound; 0: the system's */
  uint32_t send_buffer_size; /* SO_SNDBUF set once bound; 0: the system's */
} cnet_dgram_options;

/* dgram.createSocket(type[, callback]) and dgram.createSocket(options[,
 * callback]): the socket in *out. message_listener (may be NULL) becomes
 * the first 'message' listener. 0, or CNET_ERR_SOCKET_BAD_TYPE (type not
 * "udp4"/"udp6"), CNET_EINVAL (loop NULL), CNET_ENOMEM. No file
 * descriptor exists until the socket is bound, as in Node: setters called
 * before that fail with EBADF. */
int cnet_dgram_create(cnet_loop *loop, const char *type,
                      cnet_listener message_listener, void *arg,
                      cnet_dgram **out);
int cnet_dgram_create_options(cnet_loop *loop, const cnet_dgram_options *opts,
                              cnet_listener message_listener, void *arg,
                              cnet_dgram **out);

/* socket.type: "udp4" or "udp6". */
const char *cnet_dgram_type(const cnet_dgram *sock);

/* ---- Class: dgram.Socket, methods in the order of Node's docs ---------- */

/* socket.addMembership(multicastAddress[, multicastInterface]): joins the
 * group on the interface with that address (NULL: one the kernel picks).
 * Returns 0 or CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, CNET_ERR_MISSING_ARGS
 * (group NULL or ""), or the system's error ("addMembership EINVAL" for
 * an address that is not a group, EADDRINUSE when already joined, ENODEV
 * when no interface fits). As in Node (libuv), a socket that is not bound
 * yet gets a file descriptor bound to the wildcard address, port 0. */
int cnet_dgram_add_membership(cnet_dgram *sock, const char *multicast_address,
                              const char *multicast_interface);

/* socket.addSourceSpecificMembership(sourceAddress, groupAddress[,
 * multicastInterface]): joins the source-specific group (IGMPv3 / MLDv2).
 * CNET_ERR_INVALID_ARG_TYPE for a NULL source or group; otherwise as
 * cnet_dgram_add_membership. */
int cnet_dgram_add_source_specific_membership(cnet_dgram *sock,
                                              const char *source_address,
                                              const char *group_address,
                                              const char *multicast_interface);

/* socket.address(): the local address. 0, or CNET_EBADF before the socket
 * is bound ("getsockname EBADF"), CNET_ERR_SOCKET_DGRAM_NOT_RUNNING after
 * close. */
int cnet_dgram_address(cnet_dgram *sock, cnet_address *out);

/* socket.bind([port][, address][, callback]). port 0 picks a free port;
 * address NULL or "" means every interface ("0.0.0.0" for udp4, "::" for
 * udp6); a name is looked up first (family 4 or 6 as the socket's type).
 * cb (may be NULL) runs once on 'listening', with err NULL; if the bind
 * fails it is dropped and the error is an 'error' event, as in Node. As in Node, the port is not checked: it is taken modulo
 * 65536. 'listening' (or 'error': "bind EADDRINUSE 0.0.0.0:41234", a
 * lookup error) comes on a later tick. Returns 0 or
 * CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, CNET_ERR_SOCKET_ALREADY_BOUND (bound,
 * or binding). */
int cnet_dgram_bind(cnet_dgram *sock, int port, const char *address,
                    cnet_callback cb, void *arg);

/* socket.bind(options[, callback]). */
typedef struct cnet_bind_options {
  int port;
  const char *address;
  bool exclusive; /* accepted; cnet has no cluster, so it changes nothing */
  bool has_fd;    /* use fd (any fd >= 0); without it, only an fd > 0 */
  int fd;         /* > 0: use this UDP socket instead (then 'listening' is
                   * emitted from inside the call, as in Node); else 0/-1 */
} cnet_bind_options;
/* Returns what cnet_dgram_bind does, and for fd: CNET_ERR_INVALID_FD_TYPE
 * when it is not a UDP socket. */
int cnet_dgram_bind_options(cnet_dgram *sock,
                            const cnet_bind_options *opts,
                            cnet_callback cb, void *arg);

/* socket.close([callback]): stops receiving and closes the socket; 'close'
 * is emitted on the next tick, then the socket is freed. cb (may be NULL)
 * runs on 'close', with err NULL. Called while the implicit bind of a
 * send is still running, the close waits for it, as in Node. Returns 0 or
 * CNET_ERR_SOCKET_DGRAM_NOT_RUNNING (already closed). */
int cnet_dgram_close(cnet_dgram *sock, cnet_callback cb, void *arg);

/* socket.connect(port[, address][, callback]): makes port/address the only
 * peer (address NULL or "": "127.0.0.1" / "::1"; a name is looked up).
 * Binds first if needed. cb (may be NULL) runs once: on 'connect' with
 * err NULL, or with the error if the connect fails (Node's
 * callback(err)), and then no 'error' is emitted. Returns 0 or CNET_ERR_SOCKET_BAD_PORT (port not 1-65535:
 * "Port should be > 0 and < 65536. Received type number (0)."),
 * CNET_ERR_SOCKET_DGRAM_IS_CONNECTED (connected or connecting),
 * CNET_ERR_SOCKET_DGRAM_NOT_RUNNING. */
int cnet_dgram_connect(cnet_dgram *sock, int port, const char *address,
                       cnet_callback cb, void *arg);

/* socket.disconnect(): forgets the peer. 0 or
 * CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED (not connected, or still
 * connecting), or the system's error ("connect E..."). */
int cnet_dgram_disconnect(cnet_dgram *sock);

/* socket.dropMembership(multicastAddress[, multicastInterface]): leaves
 * the group ("dropMembership EADDRNOTAVAIL" when not a member). */
int cnet_dgram_drop_membership(cnet_dgram *sock, const char *multicast_address,
                               const char *multicast_interface);

/* socket.dropSourceSpecificMembership(sourceAddress, groupAddress[,
 * multicastInterface]). */
int cnet_dgram_drop_source_specific_membership(cnet_dgram *sock,
                                               const char *source_address,
                                               const char *group_address,
                                               const char *multicast_interface);

/* socket.getRecvBufferSize() / getSendBufferSize(): SO_RCVBUF / SO_SNDBUF
 * in bytes (what Linux reports: twice what was set), or
 * CNET_ERR_SOCKET_BUFFER_SIZE ("Could not get or set buffer size:
 * uv_recv_buffer_size returned EBADF (bad file descriptor)" before bind),
 * CNET_ERR_SOCKET_DGRAM_NOT_RUNNING after close. */
int cnet_dgram_get_recv_buffer_size(cnet_dgram *sock);
int cnet_dgram_get_send_buffer_size(cnet_dgram *sock);

/* socket.getSendQueueSize() / getSendQueueCount(): bytes and datagrams
 * waiting for the kernel to take them (0 after close). */
size_t cnet_dgram_get_send_queue_size(const cnet_dgram *sock);
size_t cnet_dgram_get_send_queue_count(const cnet_dgram *sock);

/* socket.ref() / socket.unref(): whether the socket keeps the loop
 * running. A new socket is ref'd; either may be called at any time (no
 * effect after close). */
void cnet_dgram_ref(cnet_dgram *sock);

/* socket.remoteAddress(): the connected peer. 0 or
 * CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED. */
int cnet_dgram_remote_address(cnet_dgram *sock, cnet_address *out);

/* socket.send(msg[, offset, length][, port][, address][, callback]).
 *
 * The callback: err NULL once the datagram is sent, or the error: "send
 * EMSGSIZE 127.0.0.1:41234", a lookup error. (Node's second argument,
 * the datagram's size, is the length you passed.) As in Node, an error
 * the kernel gives for a send without a callback is dropped silently,
 * while a failed name lookup without one is emitted as 'error'. */

/* One datagram: len bytes of msg (len 0 sends an empty datagram) to
 * port/address. On a socket that is not connected, port must be 1-65535
 * and address NULL means "127.0.0.1" (udp4) or "::1" (udp6); a name is
 * looked up first. On a connected socket, port must be 0 and address
 * NULL. Binds the socket first if needed (random port, 'listening').
 * Returns 0 or, as Node throws them, CNET_ERR_SOCKET_DGRAM_IS_CONNECTED,
 * CNET_ERR_SOCKET_BAD_PORT, CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, CNET_ENOMEM. */
int cnet_dgram_send(cnet_dgram *sock, const void *msg, size_t len, int port,
                    const char *address, cnet_callback cb, void *arg);

/* send(buffer, offset, length, ...): bytes offset..offset+length of a
 * buffer of buf_len bytes. CNET_ERR_BUFFER_OUT_OF_BOUNDS ('"offset" is
 * outside of buffer bounds', then the same for "length") comes first. */
int cnet_dgram_send_range(cnet_dgram *sock, const void *buf, size_t buf_len,
                          size_t offset, size_t length, int port,
                          const char *address, cnet_callback cb,
                          void *arg);

/* send([buf1, buf2, ...], ...): the buffers, in order, as one datagram
 * (one sendmsg with an iovec). count 0 sends an empty datagram. */
typedef struct cnet_dgram_buf {
  const void *base;
  size_t len;
} cnet_dgram_buf;
int cnet_dgram_send_list(cnet_dgram *sock, const cnet_dgram_buf *list,
                         size_t count, int port, const char *address,
                         cnet_callback cb, void *arg);

/* socket.setBroadcast(flag): SO_BROADCAST. 0 or "setBroadcast EBADF"
 * before bind, CNET_ERR_SOCKET_DGRAM_NOT_RUNNING after close. */
int cnet_dgram_set_broadcast(cnet_dgram *sock, bool flag);

/* socket.setMulticastInterface(multicastInterface): the interface outgoing
 * multicast leaves by: an IPv4 address of it for udp4, "::%eth0" (scope)
 * for udp6. 0 or CNET_ERR_INVALID_ARG_TYPE (NULL), the system's error
 * ("setMulticastInterface EINVAL" for text that is no address,
 * EADDRNOTAVAIL for an address no interface has, EBADF before bind). */
int cnet_dgram_set_multicast_interface(cnet_dgram *sock,
                                       const char *multicast_interface);

/* socket.setMulticastLoopback(flag): whether this host's own members get
 * what it sends to a group. Returns flag (1 or 0), as Node returns its
 * argument, or an error ("setMulticastLoopback EBADF"). */
int cnet_dgram_set_multicast_loopback(cnet_dgram *sock, bool flag);

/* socket.setMulticastTTL(ttl): hops for multicast, 0-255 (0: this host
 * only). Returns ttl, or "setMulticastTTL EINVAL" outside 0-255, EBADF. */
int cnet_dgram_set_multicast_ttl(cnet_dgram *sock, int ttl);

/* socket.setRecvBufferSize(size) / setSendBufferSize(size): SO_RCVBUF /
 * SO_SNDBUF. 0 or CNET_ERR_SOCKET_BAD_BUFFER_SIZE (size negative or not
 * below 2^32), CNET_ERR_SOCKET_BUFFER_SIZE (the system refused, or not
 * bound yet: "... uv_send_buffer_size returned EBADF (bad file
 * descriptor)"), CNET_ERR_SOCKET_DGRAM_NOT_RUNNING after close. */
int cnet_dgram_set_recv_buffer_size(cnet_dgram *sock, int64_t size);
int cnet_dgram_set_send_buffer_size(cnet_dgram *sock, int64_t size);

/* socket.setTTL(ttl): unicast hops, 1-255. Returns ttl, or
 * "setTTL EINVAL" outside 1-255, "setTTL EBADF" before bind. */
int cnet_dgram_set_ttl(cnet_dgram *sock, int ttl);

void cnet_dgram_unref(cnet_dgram *sock);

#ifdef __cplusplus
}
#endif
#endif

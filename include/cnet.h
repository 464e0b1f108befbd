/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet: Node.js's net and dgram modules, in C.
 *
 * Same objects, events, options, defaults and error codes as Node, on an
 * event loop of cnet's own. One header for everything; the parts are:
 *   cnet/version.h  CNET_VERSION_* and cnet_version(): which cnet this is
 *   cnet/errors.h   error codes (Node's names) and cnet_error
 *   cnet/events.h   EventEmitter: cnet_on, cnet_once, cnet_off, cnet_emit
 *   cnet/loop.h     the loop, timers, immediates, next tick, cross-thread
 *   cnet/signal.h   process.on('SIGINT'), ...: signals as loop callbacks
 *   cnet/addr.h     isIP / isIPv4 / isIPv6, SocketAddress, BlockList
 *   cnet/net.h      net.Server and net.Socket (TCP, Unix sockets)
 *   cnet/dgram.h    dgram.Socket (UDP, broadcast, multicast)
 *   cnet/dns.h      dns.lookup on worker threads
 *   cnet/encoding.h encoding names, StringDecoder, Buffer.from(string, enc)
 *   cnet/stream.h   the stream API, pipe(), file streams, stdio
 *   cnet/readline.h readline.Interface: a readable stream's lines
 * Reference pages for each are in docs/. */
#ifndef CNET_H
#define CNET_H

#include "cnet/version.h"
#include "cnet/errors.h"
#include "cnet/events.h"
#include "cnet/loop.h"
#include "cnet/signal.h"
#include "cnet/addr.h"
#include "cnet/net.h"
#include "cnet/dgram.h"
#include "cnet/dns.h"
#include "cnet/encoding.h"
#include "cnet/stream.h"
#include "cnet/readline.h"
#include "cnet/tls.h"

#endif

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The splice fast path of pipe(): socket -> file write stream through the
 * kernel (splice(2) into a pipe(2) and out of it), never through the
 * loop's read buffer. src/splice.c owns the engine, and pipe()/unpipe()
 * (pipe.c) attach and detach it with the calls listed here. The two
 * streams take part through their vt (cnet__splice_src_ops and
 * cnet__splice_dst_ops in src/stream.h: a socket and a file write stream
 * offer them) and call the engine back through its job's ops alone, so
 * that neither knows this file.
 *
 * Whether a turn goes through the kernel or through the copying path is
 * decided each time the socket is readable: the fast path is taken only
 * while nothing could tell the difference (the pipe's 'data' listener is
 * the only one, no encoding, one destination, the file stream idle and
 * uncorked); otherwise the socket is read as usual. Between jobs the
 * pipe(2) is always empty, so switching back and forth loses no order. */
#ifndef CNET_SPLICE_H
#define CNET_SPLICE_H

#include "stream.h"

/* ---- pipe.c: pipe(), unpipe(), the source's 'close' ------------------- */

/* pipe(src, dst) was set up and src now pipes into npipes destinations:
 * engage the fast path when src is a socket and dst a file write stream
 * (and CNET_NO_SPLICE is not set). */
void cnet__splice_attach(cnet__stream *src, cnet__stream *dst, size_t npipes);
/* src stopped piping into dst (dst NULL: into anything); npipes are left. */
void cnet__splice_detach(cnet__stream *src, cnet__stream *dst, size_t npipes);

/* Bytes moved by splice jobs so far (tests read it). */
extern _Atomic unsigned long long cnet__splice_test_bytes;

#endif

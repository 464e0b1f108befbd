/* The splice fast path of pipe(): socket -> file write stream through the
 * kernel (splice(2) into a pipe(2) and out of it), never through the
 * loop's read buffer. src/splice.c owns the engine; a socket (tcp.c), a
 * file write stream (fs_stream.c) and pipe()/unpipe() (pipe.c) each
 * call it at one or two points, listed here.
 *
 * Whether a turn goes through the kernel or through the copying path is
 * decided each time the socket is readable: the fast path is taken only
 * while nothing could tell the difference (the pipe's 'data' listener is
 * the only one, no encoding, one destination, the file stream idle and
 * uncorked); otherwise the socket is read as usual. Between jobs the
 * pipe(2) is always empty, so switching back and forth loses no order. */
#ifndef CNET_SPLICE_H
#define CNET_SPLICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "stream.h"

struct cnet__splice;

/* ---- pipe.c: pipe(), unpipe(), the source's 'close' ------------------- */

/* pipe(src, dst) was set up and src now pipes into npipes destinations:
 * engage the fast path when src is a socket and dst a file write stream
 * (and CNET_NO_SPLICE is not set). */
void cnet__splice_attach(cnet__stream *src, cnet__stream *dst, size_t npipes);
/* src stopped piping into dst (dst NULL: into anything); npipes are left. */
void cnet__splice_detach(cnet__stream *src, cnet__stream *dst, size_t npipes);

/* ---- tcp.c: the socket side ------------------------------------------- */

/* The socket is readable and flowing: true when a splice job took the
 * read (the caller reads nothing), false to read as usual. */
bool cnet__splice_read(struct cnet__splice *sp);

/* What tcp.c gives splice.c. The slot is NULL when s is not a socket. */
struct cnet__splice **cnet__socket_splice_slot(cnet__stream *s, bool create);
int cnet__socket_fd(const cnet__stream *s);
/* A job is reading the socket: watch no read events until it is done. */
void cnet__socket_hold_reads(cnet__stream *s, bool hold);
/* A job moved n bytes out of the socket, then met EOF (eof) or failed
 * (err: errno, 0 if not): counts bytesRead, refreshes the timeout, stops
 * holding the reads and ends or destroys the socket as a read would. */
void cnet__socket_spliced(cnet__stream *s, size_t n, bool eof, int err);

/* Bytes moved by splice jobs so far (tests read it). */
extern _Atomic unsigned long long cnet__splice_test_bytes;

#endif

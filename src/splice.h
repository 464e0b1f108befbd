/* The splice fast path of pipe(): socket -> file write stream through the
 * kernel (splice(2) into a pipe(2) and out of it), never through the
 * loop's read buffer. src/splice.c owns the engine; a socket (net_socket.c), a
 * file write stream (fs_stream.c) and pipe()/unpipe() (stream_api.c) each
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

/* ---- stream_api.c: pipe(), unpipe(), the source's 'close' ------------- */

/* pipe(src, dst) was set up: engage the fast path when src is a socket
 * and dst a file write stream (and CNET_NO_SPLICE is not set). */
void cnet__splice_attach(cnet__stream *src, cnet__stream *dst);
/* src stopped piping into dst (dst NULL: into anything). */
void cnet__splice_detach(cnet__stream *src, cnet__stream *dst);

/* ---- net_socket.c: the socket side ------------------------------------ */

/* The socket is readable and flowing: true when a splice job took the
 * read (the caller reads nothing), false to read as usual. */
bool cnet__splice_read(struct cnet__splice *sp);

/* What net_socket.c gives splice.c. The slot is NULL when s is not a socket. */
struct cnet__splice **cnet__socket_splice_slot(cnet__stream *s, bool create);
int cnet__socket_fd(const cnet__stream *s);
/* A job is reading the socket: watch no read events until it is done. */
void cnet__socket_hold_reads(cnet__stream *s, bool hold);
/* A job moved n bytes out of the socket, then met EOF (eof) or failed
 * (err: errno, 0 if not): counts bytesRead, refreshes the timeout, stops
 * holding the reads and ends or destroys the socket as a read would. */
void cnet__socket_spliced(cnet__stream *s, size_t n, bool eof, int err);

/* ---- stream.c ----------------------------------------------------------- */

/* Whether setEncoding() gave s a decoder ('data' then carries text). */
bool cnet__stream_decoding(const cnet__stream *s);

/* ---- fs_stream.c: the file side ----------------------------------------- */

/* The slot is NULL when s is not a file write stream. */
struct cnet__splice **cnet__fs_splice_slot(cnet__stream *s);
/* The stream's fd (-1 until it is open). */
int cnet__fs_splice_fd(const cnet__stream *s);
/* Open, no request in flight and none waiting: a job may start. */
bool cnet__fs_splice_idle(const cnet__stream *s);
/* Runs the job on the stream's own request slot (so writes, end and
 * destroy wait for it as for a write): cnet__splice_work on the pool,
 * then cnet__splice_done on the loop. */
int cnet__fs_splice_submit(cnet__stream *s, struct cnet__splice *sp);

/* On the pool: move bytes socket -> pipe -> fd (at *pos when pos is not
 * NULL, advancing it). Returns the bytes that reached the file. */
size_t cnet__splice_work(struct cnet__splice *sp, int fd, int64_t *pos);
/* On the loop, after the job (cancelled: it never ran). Returns the
 * errno of a failed write to the file, 0 if none; the engine may be
 * freed by this call. */
int cnet__splice_done(struct cnet__splice *sp, bool cancelled);

/* Bytes moved by splice jobs so far (tests read it). */
extern _Atomic unsigned long long cnet__splice_test_bytes;

#endif

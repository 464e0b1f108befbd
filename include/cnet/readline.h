/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet readline: Node's readline.Interface over any cnet readable stream
 * (a socket, a file read stream, stdin), the part network programs use:
 * the input cut into lines, one 'line' event each.
 *
 *   static void on_line(const cnet_event *ev, void *arg) {
 *     printf("%.*s\n", (int)ev->len, ev->data);
 *   }
 *   cnet_readline *rl;
 *   if (cnet_readline_create(socket, NULL, &rl) == 0)
 *     cnet_on(rl, CNET_EV_LINE, on_line, NULL);
 *
 * is Node's
 *
 *   readline.createInterface({ input: socket }).on('line', (line) => ...);
 *
 * The interface is an emitter (cnet_on and the other calls of
 * cnet/events.h work on it). Its events, with the cnet_event fields they
 * set (the interface is ev->target):
 *   CNET_EV_LINE    data, len: the line without its end; not
 *                   NUL-terminated, valid during the call only
 *   CNET_EV_PAUSE   - (pause(), or close() on a running interface)
 *   CNET_EV_RESUME  - (resume() on a paused interface)
 *   CNET_EV_ERROR   error: the input's own 'error', passed on as Node
 *                   does, or a line over the maximum length (below)
 *   CNET_EV_CLOSE   - (nothing follows; see close())
 * An 'error' nobody listens to is printed to stderr and closes the
 * interface.
 *
 * Lines are Node's: a line ends at LF, at CR LF (one end, also when the
 * CR and the LF come in two reads; see crlf_delay) and at a lone CR. When
 * the input ends, what follows the last line end is one more line if it
 * is not empty, then the interface closes. The same lines come out however
 * the input is cut into reads (a CR LF cut in two: within crlf_delay).
 *
 * Lines are bytes. A line that lies whole inside one read is passed from
 * where the input read it, without a copy; only a line split across reads
 * is assembled, in a buffer of the interface that never grows past the
 * maximum line length. The bytes are passed as they came: UTF-8 split
 * across reads comes out whole (a line end is never part of a character),
 * but bytes that are not UTF-8 are not replaced with U+FFFD as Node's
 * string lines have them. Set the input's encoding to "utf8" first
 * (cnet_stream_set_encoding) to get Node's replacements.
 *
 * What cnet adds to Node, for input that comes from a peer:
 *   - a maximum line length (max_line_length, 64 KiB by default; Node has
 *     none and lets a line grow until the process runs out of memory). A
 *     line longer than that, counted in bytes without its end, is an
 *     'error' with CNET_ERR_OUT_OF_RANGE, Node's code for a value past its
 *     bound, as soon as the line passes the bound, whether or not its end
 *     has come; the interface then closes (the input is left paused, for
 *     you to destroy). So a peer that sends a line that never ends holds
 *     at most max_line_length bytes of memory.
 *   - the interface closes when its input emits 'close' without 'end'
 *     (a socket destroyed or reset): the input is gone, nothing more can
 *     come. A Node interface stays open then.
 *
 * Where cnet differs from Node on purpose:
 *   - nothing follows 'close': close() from a 'line' listener drops the
 *     lines left in the read being split, where Node still emits them.
 *   - data fed while lines are being emitted (cnet_readline_write(), or a
 *     'data' of an input of your own, from a 'line' listener) is split
 *     after the rest of the current read, in the order it was fed (Node
 *     mixes it into the line being assembled).
 *   - write() and resume() after close() fail with
 *     CNET_ERR_USE_AFTER_CLOSE (Node 20 still splits what write() is
 *     given, and resumes the input).
 *
 * Not applicable: everything of Node's that needs a terminal or an output
 * stream. cnet's interface always has terminal false: there is no output,
 * prompt, question(), history, completer, line (the line being typed),
 * cursor, getCursorPos(), 'history', 'SIGINT', 'SIGTSTP' or 'SIGCONT';
 * there is no async iterator (listen to 'line' and 'close'), and no
 * signal option (call close()).
 *
 * Lifetime: the interface is cnet's. It is freed on a later turn of the
 * loop after its 'close', once the listeners have returned; the pointer
 * stays valid until then. cnet_readline_hold() keeps it (to read its
 * properties later) until cnet_readline_release(). An interface never
 * keeps its loop running; its input does. A loop closed with an interface
 * still open (an input of your own that never ended) reports it as an
 * open "readline.Interface". */
#ifndef CNET_READLINE_H
#define CNET_READLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "events.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cnet_readline cnet_readline;

/* The default maximum line length, in bytes: a line of this many bytes
 * is still a line, one byte more is an error. */
#define CNET_READLINE_MAX_LINE_LENGTH (64 * 1024)
/* crlf_delay: a CR at the end of one read and an LF at the start of the
 * next are always one line end (Node's crlfDelay: Infinity). */
#define CNET_READLINE_CRLF_DELAY_INFINITY UINT64_MAX

typedef struct cnet_readline_options {
  /* Node's crlfDelay, in ms: when a read ends with CR, an LF that starts
   * the next read within this time ends the same line, and one later is
   * a line end of its own (an empty line). 0 means Node's default, 100;
   * below 100 is 100, as in Node. CNET_READLINE_CRLF_DELAY_INFINITY
   * makes CR LF one line end however long the LF takes. The time is the
   * loop's (cnet_loop_now) when each read arrives. */
  uint64_t crlf_delay;
  /* cnet's own: the longest line, in bytes without its end; 0 means
   * CNET_READLINE_MAX_LINE_LENGTH. See the top of this file. */
  size_t max_line_length;
  /* The loop, for an input that is an emitter of your own (below); NULL
   * for a cnet stream, whose loop the interface uses. */
  cnet_loop *loop;
} cnet_readline_options;

/* readline.createInterface({ input, crlfDelay }): an interface reading
 * lines from input, in *out. It listens to the input's 'data', 'end',
 * 'error' and 'close' and starts it flowing (Node's input.resume()).
 *
 * input is a cnet stream with a readable side, or an emitter of your own
 * (a struct that starts with a cnet_emitter) whose CNET_EV_DATA (data,
 * len), CNET_EV_END, CNET_EV_ERROR (error) and CNET_EV_CLOSE you emit
 * with cnet_emit, as a Node program feeds a PassThrough; opts->loop is
 * then required, and pause() and resume() change only the interface.
 *
 * Returns 0, or a negative code with *out NULL: CNET_EINVAL (input or out
 * NULL, input not an emitter or a stream that already emitted 'close',
 * opts->loop missing for an emitter of your own or not the stream's
 * loop), CNET_ERR_INVALID_ARG_TYPE (input is a cnet object that is not a
 * readable stream: a server, a UDP socket, a writable-only stream, an
 * interface), CNET_ENOMEM. */
int cnet_readline_create(void *input, const cnet_readline_options *opts,
                         cnet_readline **out);

/* rl.close(): pauses the input (as pause(), 'pause' included), stops
 * listening to it and emits 'close', all before it returns, as Node's
 * close() does. Lines of the current read not yet emitted are dropped; a
 * line without its end is dropped too (only the input's end makes it a
 * line). 0, also when already closed; CNET_EINVAL for NULL. */
int cnet_readline_close(cnet_readline *rl);

/* rl.pause(): pauses the input stream (cnet_stream_pause) and emits
 * 'pause', if the interface was not paused. As in Node, the lines left in
 * the read being split still come out ('pause' from a 'line' listener
 * stops the next read, not the next line). 0, also when already paused
 * or closed; CNET_EINVAL for NULL. */
int cnet_readline_pause(cnet_readline *rl);

/* rl.resume(): resumes the input stream and emits 'resume', if the
 * interface was paused. 0; CNET_ERR_USE_AFTER_CLOSE once closed;
 * CNET_EINVAL for NULL. */
int cnet_readline_resume(cnet_readline *rl);

/* rl.write(data) on an interface without a terminal: len bytes split as
 * if the input had read them (resuming a paused interface first, as Node
 * does). The lines are emitted before it returns; from inside a 'line'
 * listener they are emitted after the rest of the current read (the
 * bytes are copied). 0; CNET_ERR_USE_AFTER_CLOSE once closed;
 * CNET_EINVAL for NULL, or data NULL with len > 0. */
int cnet_readline_write(cnet_readline *rl, const void *data, size_t len);

/* Properties. rl.closed; rl.paused (Node's own field, set by pause() and
 * close(), cleared by resume()); rl.input (NULL once closed: the input
 * may be freed after the interface stopped listening to it);
 * rl.crlfDelay (the delay in use, after the defaults above);
 * rl.terminal (always false); and cnet's max_line_length in use. */
bool cnet_readline_closed(const cnet_readline *rl);
bool cnet_readline_paused(const cnet_readline *rl);
void *cnet_readline_input(const cnet_readline *rl);
uint64_t cnet_readline_crlf_delay(const cnet_readline *rl);
bool cnet_readline_terminal(const cnet_readline *rl);
size_t cnet_readline_max_line_length(const cnet_readline *rl);

/* Keep the interface after 'close' (to read its properties); release lets
 * it be freed. 0, or CNET_EINVAL for NULL. */
int cnet_readline_hold(cnet_readline *rl);
int cnet_readline_release(cnet_readline *rl);

#ifdef __cplusplus
}
#endif
#endif

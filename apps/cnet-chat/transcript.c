/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The transcript (see transcript.h): each line goes to a cnet file write
 * stream opened with flags "a"; the stream copies it and its worker-pool
 * writes append it to the file in order.
 *
 * A reopen (SIGHUP) opens a second stream on the path and lets lines go
 * on to the first until the second is open; then the first is ended, so
 * that what was written to it lands in the file it had open (renamed
 * away by then), and the second takes its place. Events tell the two
 * apart by their target. */
#include "transcript.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How much may wait for the disk (the stream's writableLength) before
 * lines are dropped. */
#define PENDING_MAX (8u << 20)

struct transcript {
  cnet_loop *loop;
  char *path;
  cnet_fs_write_stream *ws;   /* NULL once it has emitted 'close' */
  cnet_fs_write_stream *next; /* a reopen not open yet, or NULL */
  unsigned long lost;
  bool ready;  /* 'ready': the file is open */
  bool failed; /* 'error': nothing more is written to ws */
  bool reopen_again; /* a reopen was asked while next was opening */
};

static void open_next(transcript *t);

static void write_lost_note(transcript *t) {
  char note[96];
  int n = snprintf(note, sizeof note,
                   "[cnet-chat: %lu lines lost: the disk fell behind]\n",
                   t->lost);
  t->lost = 0;
  cnet_stream_write(t->ws, note, (size_t)n, NULL, NULL);
}

/* The reopened file is open: it takes the place of the old one, which
 * ends once what was written to it is in its file. */
static void swap_in_next(transcript *t) {
  cnet_fs_write_stream *old = t->ws;
  if (old && !t->failed) {
    if (t->lost) write_lost_note(t); /* the gap is in the old file */
    cnet_stream_end(old, NULL, 0, NULL, NULL);
  }
  t->ws = t->next;
  t->next = NULL;
  t->failed = false;
  t->lost = 0;
  fprintf(stderr, "cnet-chat: --log %s reopened\n", t->path);
  if (t->reopen_again) {
    t->reopen_again = false;
    open_next(t);
  }
}

static void on_ready(const cnet_event *ev, void *arg) {
  transcript *t = arg;
  if (ev->target == t->next)
    swap_in_next(t);
  else if (ev->target == t->ws)
    t->ready = true;
}

/* The queue has emptied: the disk has caught up. */
static void on_drain(const cnet_event *ev, void *arg) {
  transcript *t = arg;
  if (ev->target == t->ws && t->lost && !t->failed &&
      !cnet_stream_writable_ended(t->ws))
    write_lost_note(t);
}

/* Failing to open, or a full disk or an I/O error on a write: say so;
 * the stream is destroyed, the room goes on without its transcript (a
 * reopen may bring it back). A reopen that fails leaves the lines going
 * where they went. */
static void on_error(const cnet_event *ev, void *arg) {
  transcript *t = arg;
  if (ev->target == t->next) {
    fprintf(stderr, "cnet-chat: --log: reopen: %s; %s\n", ev->error->message,
            t->ws && !t->failed ? "still writing to the file open before"
                                : "no transcript");
    return;
  }
  if (ev->target == t->ws) t->failed = true;
  fprintf(stderr, "cnet-chat: --log: %s\n", ev->error->message);
}

/* Freed by cnet once this returns. */
static void on_close(const cnet_event *ev, void *arg) {
  transcript *t = arg;
  if (ev->target == t->ws) {
    t->ws = NULL;
  } else if (ev->target == t->next) {
    t->next = NULL;
    if (t->reopen_again) {
      t->reopen_again = false;
      open_next(t);
    }
  }
}

static int create_stream(transcript *t, cnet_fs_write_stream **out) {
  cnet_fs_stream_options fo = {.flags = "a", .mode = 0644};
  int err = cnet_fs_create_write_stream(t->loop, t->path, &fo, out);
  if (!*out) return err;
  cnet_on(*out, CNET_EV_READY, on_ready, t);
  cnet_on(*out, CNET_EV_DRAIN, on_drain, t);
  cnet_on(*out, CNET_EV_ERROR, on_error, t);
  cnet_on(*out, CNET_EV_CLOSE, on_close, t);
  return 0;
}

static void open_next(transcript *t) {
  int err = create_stream(t, &t->next);
  if (err)
    fprintf(stderr, "cnet-chat: --log %s: reopen: %s\n", t->path,
            cnet_strerror(err));
}

void transcript_reopen(transcript *t) {
  if (t->next)
    t->reopen_again = true; /* the file may have moved after next opened */
  else
    open_next(t);
}

int transcript_open(transcript **out, cnet_loop *loop, const char *path) {
  transcript *t = calloc(1, sizeof *t);
  if (!t) {
    fprintf(stderr, "cnet-chat: --log %s: out of memory\n", path);
    return -1;
  }
  t->loop = loop;
  t->path = strdup(path);
  int err = t->path ? create_stream(t, &t->ws) : CNET_ENOMEM;
  if (err) {
    fprintf(stderr, "cnet-chat: --log %s: %s\n", path, cnet_strerror(err));
    free(t->path);
    free(t);
    return -1;
  }
  /* The open runs on the worker pool and keeps the loop alive; an open
   * idle stream does not, so this returns once it is open or has failed
   * (then after its 'close'). */
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  if (!t->ready || t->failed) {
    if (t->ws) {
      cnet_stream_destroy(t->ws, NULL);
      cnet_loop_run(loop, CNET_RUN_DEFAULT);
    }
    free(t->path);
    free(t);
    return -1;
  }
  *out = t;
  return 0;
}

void transcript_line(void *ctx, const char *line, size_t len) {
  transcript *t = ctx;
  if (!t->ws || t->failed) return;
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  size_t slen = strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S ", &tm);
  size_t need = slen + len + 1;

  if (cnet_stream_writable_length(t->ws) + need > PENDING_MAX) {
    t->lost++;
    return;
  }
  /* The stream copies what it is given: one buffer per line, on the
   * stack when it fits. */
  char small[1024];
  char *buf = need <= sizeof small ? small : malloc(need);
  if (!buf) {
    t->lost++;
    return;
  }
  memcpy(buf, stamp, slen);
  memcpy(buf + slen, line, len);
  buf[slen + len] = '\n';
  cnet_stream_write(t->ws, buf, need, NULL, NULL);
  if (buf != small) free(buf);
}

void transcript_close(transcript *t) {
  if (!t) return;
  if (t->ws && !t->failed) {
    if (t->lost) write_lost_note(t);
    cnet_stream_end(t->ws, NULL, 0, NULL, NULL);
  }
  /* The last writes and the close run on the pool and keep the loop
   * alive until the stream's 'close' (and that of a stream a reopen
   * retired). A reopen's open keeps it alive too: none is left here. */
  cnet_loop_run(t->loop, CNET_RUN_DEFAULT);
  if (t->ws || t->next) {
    /* Not closed (it cannot happen): do not leave them on the loop. */
    if (t->ws) cnet_stream_destroy(t->ws, NULL);
    if (t->next) cnet_stream_destroy(t->next, NULL);
    cnet_loop_run(t->loop, CNET_RUN_DEFAULT);
  }
  free(t->path);
  free(t);
}

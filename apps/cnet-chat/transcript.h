/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's --log FILE: the room's transcript appended to a file through
 * a cnet file write stream (cnet_fs_create_write_stream, flags "a"), so the
 * loop never waits for the disk: cnet's worker pool does the write(2)
 * calls. The file can be opened again (SIGHUP) after logrotate or an admin
 * has moved it away. What waits for the disk is capped; if the disk falls that far
 * behind, lines are counted as lost and the count is written once the
 * stream has caught up (its 'drain'). */
#ifndef CNET_CHAT_TRANSCRIPT_H
#define CNET_CHAT_TRANSCRIPT_H

#include <cnet.h>
#include <stddef.h>

typedef struct transcript transcript;

/* Opens (creates, appends to) path on loop, running the loop until the
 * file is open. 0, or -1 once the error has been printed (the stream is
 * then closed and nothing is left on the loop). */
int transcript_open(transcript **out, cnet_loop *loop, const char *path);
/* Writes one line (without its end), stamped with the time. Never blocks
 * on the disk. Matches room_options.transcript. */
void transcript_line(void *ctx, const char *line, size_t len);
/* Opens the path again (SIGHUP, once the file was renamed): lines go on
 * to the file open now until the new open has succeeded, then to the new
 * one, and "cnet-chat: --log PATH reopened" is printed on stderr. If the
 * open fails, the error is printed and lines go on as before. Never
 * blocks on the disk. */
void transcript_reopen(transcript *t);
/* Ends the stream and runs the loop until its 'close': everything written
 * is in the file. Frees t. */
void transcript_close(transcript *t);

#endif

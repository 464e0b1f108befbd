/* cnet-chat's --log FILE: the room's transcript appended to a file without
 * ever making the loop wait for the disk.
 *
 * cnet has no file streams yet (issue 6 asks for --log through one), so a
 * writer thread of this program's own does the write(2) calls: the loop
 * only copies each line into a queue under a mutex. The queue is capped;
 * if the disk falls that far behind, lines are counted as lost and the
 * count is written once the writer catches up. */
#ifndef CNET_CHAT_TRANSCRIPT_H
#define CNET_CHAT_TRANSCRIPT_H

#include <stddef.h>

typedef struct transcript transcript;

/* Opens (creates, appends to) path and starts the writer. 0 or -errno. */
int transcript_open(transcript **out, const char *path);
/* Queues one line (without its end), stamped with the time. Never blocks
 * on the disk. Matches room_options.transcript. */
void transcript_line(void *ctx, const char *line, size_t len);
/* Writes what is queued, stops the writer, closes the file. */
void transcript_close(transcript *t);

#endif

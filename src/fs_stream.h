/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What stdio asks of file streams beyond the public cnet_fs_* API:
 * process.stdin, stdout and stderr on a regular file are file streams. */
#ifndef CNET_FS_STREAM_H
#define CNET_FS_STREAM_H

#include "stream.h"

/* A file stream on this process's fd 0 (a read stream), 1 or 2 (a write
 * stream that pipe() never ends); cnet never closes the fd. NULL with
 * *err set when it cannot be made. */
cnet__stream *cnet__fs_stdio_stream(cnet_loop *loop, int fd, int *err);

#endif

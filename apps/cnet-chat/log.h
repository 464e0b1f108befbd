/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's log: one line on stderr per event worth an operator's eye,
 * "<date> <time> cnet-chat: <who> <what>", who being a peer's address or
 * "-" for the server itself. */
#ifndef CNET_CHAT_LOG_H
#define CNET_CHAT_LOG_H

void chat_log(const char *who, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

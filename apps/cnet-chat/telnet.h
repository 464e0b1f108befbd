/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's telnet side: the option negotiation a telnet client may start
 * (RFC 854 and 855) and the assembly of what a client types into lines.
 *
 * It does no I/O. The owner feeds it the bytes a client sent; it calls back
 * with each complete line, with the answers to the client's negotiation
 * (bytes to send back), and once for a line that grew too long. The same
 * lines come out whether the client sends CR LF, LF or CR NUL, a whole line
 * at a time or one character per packet; backspace and DEL (and telnet's
 * EC/EL commands) edit the line being typed. The server never starts a
 * negotiation, so a client that never sends IAC (nc) never gets one. */
#ifndef CNET_CHAT_TELNET_H
#define CNET_CHAT_TELNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest line, in bytes; a longer one is reported and discarded. */
#define TELNET_LINE_MAX 4096

/* Telnet's command bytes (RFC 854) and the options the parser knows by
 * name (RFC 856, 857, 858, 1073, 1079, 1091, 1184, 1572). */
enum {
  TELNET_SE = 240, TELNET_NOP = 241, TELNET_DM = 242, TELNET_BRK = 243,
  TELNET_IP = 244, TELNET_AO = 245, TELNET_AYT = 246, TELNET_EC = 247,
  TELNET_EL = 248, TELNET_GA = 249, TELNET_SB = 250, TELNET_WILL = 251,
  TELNET_WONT = 252, TELNET_DO = 253, TELNET_DONT = 254, TELNET_IAC = 255
};
enum {
  TELOPT_BINARY = 0, TELOPT_ECHO = 1, TELOPT_SGA = 3, TELOPT_TTYPE = 24,
  TELOPT_NAWS = 31, TELOPT_TSPEED = 32, TELOPT_LINEMODE = 34,
  TELOPT_NEW_ENVIRON = 39
};

typedef struct telnet_ops {
  /* A complete line, without its end and without IAC sequences or control
   * characters. Valid only during the call. Return false to stop: the feed
   * returns right after this line's end, and the owner feeds the rest when
   * it wants the next line (to pace a client, or never if it left). */
  bool (*line)(void *ctx, const char *line, size_t len);
  /* The line being typed passed TELNET_LINE_MAX bytes: it is discarded up
   * to its end. Called once per such line. */
  void (*overlong)(void *ctx);
  /* Bytes to send back to the client: negotiation answers (and the answer
   * to "are you there?"). */
  void (*reply)(void *ctx, const void *bytes, size_t len);
} telnet_ops;

typedef struct telnet {
  /* private */
  const telnet_ops *ops;
  void *ctx;
  uint8_t state;        /* where the parser is in an IAC sequence      */
  uint8_t verb;         /* WILL, WONT, DO or DONT awaiting its option  */
  uint8_t esc;          /* where it is in an ANSI escape sequence      */
  bool after_cr;        /* a CR ended the last line: skip LF or NUL    */
  bool discarding;      /* the line went over TELNET_LINE_MAX          */
  bool negotiated;      /* the client sent a telnet command            */
  bool stop;            /* the line callback said stop: the feed returns */
  uint8_t him[32];      /* bit o: the client does option o (we sent DO) */
  uint8_t us[32];       /* bit o: we do option o (we sent WILL)         */
  size_t len;
  char line[TELNET_LINE_MAX];
} telnet;

void telnet_init(telnet *t, const telnet_ops *ops, void *ctx);
/* Parses bytes the client sent, calling back as it goes. Returns how many
 * it used: len, or fewer when the line callback returned false. */
size_t telnet_feed(telnet *t, const void *data, size_t len);
/* The client closed its side: a last line without an end still counts. */
void telnet_finish(telnet *t);
/* Whether the client speaks telnet (sent at least one IAC command): only
 * then does the server double 0xFF bytes in what it sends. */
bool telnet_negotiated(const telnet *t);
/* Whether option opt is on in the client's direction / in ours. */
bool telnet_him(const telnet *t, int opt);
bool telnet_us(const telnet *t, int opt);

#endif

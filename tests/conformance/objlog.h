/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of lib/objlog.js: per-object event logs, printed one after the
 * other at the end, for objects whose events interleave differently from
 * run to run (a socket and a file stream) while each one's own order is
 * fixed. Logs print in the order they were first written to. */
#ifndef CNET_CONFORMANCE_OBJLOG_H
#define CNET_CONFORMANCE_OBJLOG_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBJLOG_MAX 8
static struct {
  char name[16];
  char *text;
  size_t len;
} objlog_v[OBJLOG_MAX];

__attribute__((format(printf, 2, 3)))
static inline void olog(const char *name, const char *fmt, ...) {
  int i = 0;
  while (i < OBJLOG_MAX && objlog_v[i].name[0] && strcmp(objlog_v[i].name, name)) i++;
  if (i == OBJLOG_MAX) abort();
  if (!objlog_v[i].name[0]) snprintf(objlog_v[i].name, sizeof objlog_v[i].name, "%s", name);
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  size_t need = objlog_v[i].len + strlen(name) + (size_t)n + 3;
  objlog_v[i].text = realloc(objlog_v[i].text, need);
  objlog_v[i].len += (size_t)sprintf(objlog_v[i].text + objlog_v[i].len, "%s %s\n", name, line);
}

static inline void olog_dump(void) {
  for (int i = 0; i < OBJLOG_MAX && objlog_v[i].name[0]; i++) {
    fputs(objlog_v[i].text, stdout);
    free(objlog_v[i].text);
    objlog_v[i].text = NULL;
  }
  fflush(stdout);
}

/* The file's contents as JSON.stringify shows a plain-ASCII string. */
static inline void print_file_json(const char *label, const char *path) {
  FILE *f = fopen(path, "rb");
  printf("%s \"", label);
  if (f) {
    int c;
    while ((c = fgetc(f)) != EOF) {
      if (c == '"' || c == '\\') printf("\\%c", c);
      else if (c == '\n') printf("\\n");
      else putchar(c);
    }
    fclose(f);
  }
  printf("\"\n");
}
#endif

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Every error code keeps its number: a program compiled against one
 * release compares err->code with the numbers its headers had. This reads
 * error_codes.txt ("NAME number" a line, or "NAME -errno" for a system
 * error, whose number is the platform's errno) and checks each line
 * against the maps of cnet/errors.h and against the library's names; a
 * code in the maps but not in the table must be appended to it.
 * Usage: abi_error_codes <error_codes.txt> */
#include <cnet.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct code {
  const char *name;
  int num;
  bool is_errno; /* CNET_ERRNO_MAP: -errno, whatever the platform's is */
  bool is_node;  /* CNET_NODE_ERR_MAP: cnet's numbers, appended only */
  bool listed;   /* seen in the table */
} code;

static code codes[] = {
#define XX(name, msg) {#name, CNET_##name, true, false, false},
    CNET_ERRNO_MAP(XX)
#undef XX
#define XX(name, num, msg) {#name, num, false, false, false},
    CNET_EXTRA_MAP(XX)
#undef XX
#define XX(name, num, msg) {#name, num, false, true, false},
    CNET_NODE_ERR_MAP(XX)
#undef XX
};
enum { NCODES = sizeof codes / sizeof codes[0] };

static code *find(const char *name) {
  for (int i = 0; i < NCODES; i++)
    if (strcmp(codes[i].name, name) == 0) return &codes[i];
  return NULL;
}

/* One line of the table; returns 0 when the code is as the table says.
 * *node_last is the highest number of a Node code seen so far. */
static int check_line(const char *name, const char *value, int *node_last) {
  code *c = find(name);
  if (!c) {
    printf("%s is gone from cnet/errors.h: a code is never removed (programs"
           " compare with it); put it back in its map\n", name);
    return 1;
  }
  c->listed = true;
  bool was_errno = strcmp(value, "-errno") == 0;
  int was = 0;
  if (!was_errno && sscanf(value, "%d", &was) != 1) {
    printf("%s: '%s' is neither a number nor -errno\n", name, value);
    return 1;
  }
  if (was_errno != c->is_errno || (!was_errno && was != c->num)) {
    char now[16];
    snprintf(now, sizeof now, c->is_errno ? "-errno" : "%d", c->num);
    printf("%s is %s now, and was %s: a code's number never changes; give it"
           " back its number in cnet/errors.h\n", name, now, value);
    return 1;
  }
  if (strcmp(cnet_err_name(c->num), name) != 0) {
    printf("%s (%d): the library names it %s\n", name, c->num,
           cnet_err_name(c->num));
    return 1;
  }
  if (c->is_node && c->num > *node_last) *node_last = c->num;
  return 0;
}

static int read_table(const char *path, int *node_last) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return 1;
  }
  int failed = 0;
  char line[256], name[128], value[64];
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || sscanf(line, "%127s %63s", name, value) != 2)
      continue;
    failed |= check_line(name, value, node_last);
  }
  fclose(f);
  return failed;
}

/* Codes of the maps that the table does not list yet: each is to be
 * appended, a Node code with the next number after the table's last. */
static int check_new(const char *path, int node_last) {
  int failed = 0;
  for (int i = 0; i < NCODES; i++) {
    const code *c = &codes[i];
    if (c->listed) continue;
    failed = 1;
    if (c->is_node && c->num <= node_last) {
      printf("%s is new with %d, a number at or below the last one, %d: a"
             " new code takes the next, %d, at the end of CNET_NODE_ERR_MAP\n",
             c->name, c->num, node_last, node_last + 1);
    } else if (c->is_errno) {
      printf("%s is new: append \"%s -errno\" to %s\n", c->name, c->name, path);
    } else {
      printf("%s is new: append \"%s %d\" to %s\n", c->name, c->name, c->num,
             path);
    }
  }
  return failed;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <error_codes.txt>\n", argv[0]);
    return 2;
  }
  int node_last = -5000;
  int failed = read_table(argv[1], &node_last);
  failed |= check_new(argv[1], node_last);
  if (!failed) printf("error codes: %d, each with its number\n", NCODES);
  return failed;
}

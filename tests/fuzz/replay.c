/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The main of a fuzz target outside libFuzzer: feeds every file named on
 * the command line (every file in it, for a directory) to
 * LLVMFuzzerTestOneInput once, in name order. make test runs each target
 * over its corpus this way, under ASan and UBSan, with gcc or clang; a
 * failed property or a sanitizer report aborts and fails the test. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  fuzz_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) fuzz_buf_add(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    perror(path);
    fuzz_buf_free(&b);
    return -1;
  }
  /* A copy of exactly the input's size, as libFuzzer hands it over, so
   * that a read past the end is reported here too. */
  size_t len = b.len;
  uint8_t *data = fuzz_dup(b.p, len);
  fuzz_buf_free(&b);
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns the number of inputs run, or -1. */
static long run_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (count == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
      if (!names) abort();
    }
    names[count] = strdup(e->d_name);
    if (!names[count]) abort();
    count++;
  }
  closedir(d);
  if (count) qsort(names, count, sizeof *names, by_name);
  long ran = 0;
  for (size_t i = 0; i < count; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      if (run_file(path) < 0) ran = -1;
      else if (ran >= 0) ran++;
    }
    free(names[i]);
  }
  free(names);
  return ran;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  long total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 1;
    }
    long n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) == 0;
    if (n < 0) return 1;
    total += n;
  }
  /* An empty corpus would make the test pass while testing nothing. */
  if (total == 0) {
    fprintf(stderr, "%s: no inputs\n", argv[0]);
    return 1;
  }
  printf("%s: %ld inputs, no failure\n", argv[0], total);
  return 0;
}

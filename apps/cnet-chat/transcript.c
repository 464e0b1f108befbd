/* The transcript writer (see transcript.h): the loop appends lines to a
 * pending buffer; a thread swaps it out and writes it to the file. */
#include "transcript.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How much may wait for the disk before lines are dropped. */
#define PENDING_MAX (8u << 20)

struct transcript {
  int fd;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  /* Guarded by lock. */
  char *pending;
  size_t len, cap;
  unsigned long lost;
  bool stop;
};

static void write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      /* A full disk or an I/O error: say so once per batch, go on. */
      fprintf(stderr, "cnet-chat: --log: write: %s\n",
              n < 0 ? strerror(errno) : "no progress");
      return;
    }
    p += n;
    len -= (size_t)n;
  }
}

static void *writer(void *arg) {
  transcript *t = arg;
  char *batch = NULL;
  size_t batch_cap = 0;
  pthread_mutex_lock(&t->lock);
  for (;;) {
    while (t->len == 0 && t->lost == 0 && !t->stop)
      pthread_cond_wait(&t->wake, &t->lock);
    if (t->len == 0 && t->lost == 0 && t->stop) break;
    /* Take the pending lines; the loop goes on filling an empty buffer. */
    char *p = t->pending;
    size_t len = t->len, cap = t->cap;
    t->pending = batch;
    t->cap = batch_cap;
    t->len = 0;
    batch = p;
    batch_cap = cap;
    unsigned long lost = t->lost;
    t->lost = 0;
    pthread_mutex_unlock(&t->lock);
    write_all(t->fd, batch, len);
    if (lost) {
      char note[96];
      int n = snprintf(note, sizeof note,
                       "[cnet-chat: %lu lines lost: the disk fell behind]\n",
                       lost);
      write_all(t->fd, note, (size_t)n);
    }
    pthread_mutex_lock(&t->lock);
  }
  pthread_mutex_unlock(&t->lock);
  free(batch);
  return NULL;
}

int transcript_open(transcript **out, const char *path) {
  transcript *t = calloc(1, sizeof *t);
  if (!t) return -ENOMEM;
  t->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (t->fd < 0) {
    int err = -errno;
    free(t);
    return err;
  }
  pthread_mutex_init(&t->lock, NULL);
  pthread_cond_init(&t->wake, NULL);
  int err = pthread_create(&t->thread, NULL, writer, t);
  if (err) {
    close(t->fd);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
    return -err;
  }
  *out = t;
  return 0;
}

void transcript_line(void *ctx, const char *line, size_t len) {
  transcript *t = ctx;
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  size_t slen = strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S ", &tm);
  size_t need = slen + len + 1;

  pthread_mutex_lock(&t->lock);
  if (t->len + need > PENDING_MAX) {
    t->lost++;
  } else {
    if (t->len + need > t->cap) {
      size_t cap = t->cap ? t->cap : 4096;
      while (cap < t->len + need) cap *= 2;
      char *p = realloc(t->pending, cap);
      if (!p) {
        t->lost++;
        pthread_mutex_unlock(&t->lock);
        return;
      }
      t->pending = p;
      t->cap = cap;
    }
    memcpy(t->pending + t->len, stamp, slen);
    memcpy(t->pending + t->len + slen, line, len);
    t->pending[t->len + slen + len] = '\n';
    t->len += need;
  }
  pthread_cond_signal(&t->wake);
  pthread_mutex_unlock(&t->lock);
}

void transcript_close(transcript *t) {
  if (!t) return;
  pthread_mutex_lock(&t->lock);
  t->stop = true;
  pthread_cond_signal(&t->wake);
  pthread_mutex_unlock(&t->lock);
  pthread_join(t->thread, NULL);
  free(t->pending);
  close(t->fd);
  pthread_cond_destroy(&t->wake);
  pthread_mutex_destroy(&t->lock);
  free(t);
}

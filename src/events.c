/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* EventEmitter for every cnet object.
 *
 * Listeners live in one small table per object (24 bytes a listener, no
 * table until the first one). An emit walks the table it started with;
 * a change made while any emit is walking it goes to a copy, and the old
 * table is freed when its last walker finishes. That gives Node's rules
 * for free: listeners removed during an emit are still called by it, ones
 * added are not, and nothing a listener does can move memory under the
 * walk. Changes outside emits (the common case) edit in place. */
#include "emitter.h"
#include "errors.h"
#include "registry.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* magic_: a cnet emitter has these 15 bits, and the top one when its
 * user data is in the side table (see cnet__set_data). */
#define EMITTER_MAGIC 0x44e7u
#define MAGIC_BITS 0x7fffu
#define HAS_SIDE_DATA 0x8000u
#define IS_EMITTER(em) (((em)->magic_ & MAGIC_BITS) == EMITTER_MAGIC)

enum { ONCE = 1, CALLBACK = 2 };

struct cnet__listener {
  cnet_listener fn;
  void *arg;
  uint16_t type;
  uint8_t once;  /* ONCE, or ONCE | CALLBACK: fn is a cnet_callback */
  uint8_t fired; /* a once listener that ran (shared by walkers of this table) */
  uint32_t id;   /* once listeners: the same in every copy of the table */
};

/* Once listeners that fired while emits are in progress on this thread.
 * A copy of a table made during an emit does not see the fired flag of
 * the table an outer emit walks, so the id is looked up here too: a once
 * listener runs once, however emits nest (Node's onceWrapper.fired). */
static atomic_uint once_ids;
static __thread unsigned emit_depth;
static __thread uint32_t *fired_ids;
static __thread size_t fired_n, fired_cap;

static bool fired_elsewhere(uint32_t id) {
  for (size_t i = 0; i < fired_n; i++)
    if (fired_ids[i] == id) return true;
  return false;
}

static void note_fired(uint32_t id) {
  if (fired_n == fired_cap) {
    size_t cap = fired_cap ? fired_cap * 2 : 8;
    uint32_t *grown = realloc(fired_ids, cap * sizeof *grown);
    if (!grown) return; /* worst case: Node's nesting rule is not kept */
    fired_ids = grown;
    fired_cap = cap;
  }
  fired_ids[fired_n++] = id;
}

enum { MAX_LISTENERS = 0x7fff }; /* per emitter (the table's cap field) */

struct cnet__ltable {
  uint32_t walkers; /* emits in progress over this table */
  uint16_t count;
  uint16_t cap : 15;
  uint16_t has_once : 1; /* a once listener may be here: emits keep track */
  struct cnet__listener v[];
};

static const char *const builtin_names[CNET_EV__BUILTIN] = {
    [CNET_EV_ERROR] = "error",         [CNET_EV_CLOSE] = "close",
    [CNET_EV_DATA] = "data",           [CNET_EV_END] = "end",
    [CNET_EV_FINISH] = "finish",       [CNET_EV_DRAIN] = "drain",
    [CNET_EV_CONNECT] = "connect",     [CNET_EV_READY] = "ready",
    [CNET_EV_LOOKUP] = "lookup",       [CNET_EV_TIMEOUT] = "timeout",
    [CNET_EV_LISTENING] = "listening", [CNET_EV_CONNECTION] = "connection",
    [CNET_EV_DROP] = "drop",           [CNET_EV_MESSAGE] = "message",
    [CNET_EV_PIPE] = "pipe",           [CNET_EV_UNPIPE] = "unpipe",
    [CNET_EV_PAUSE] = "pause",         [CNET_EV_RESUME] = "resume",
    [CNET_EV_OPEN] = "open",
    [CNET_EV_CONNECTION_ATTEMPT] = "connectionAttempt",
    [CNET_EV_CONNECTION_ATTEMPT_FAILED] = "connectionAttemptFailed",
    [CNET_EV_CONNECTION_ATTEMPT_TIMEOUT] = "connectionAttemptTimeout",
    [CNET_EV_LINE] = "line",
    [CNET_EV_SECURE_CONNECT] = "secureConnect",
    [CNET_EV_SECURE_CONNECTION] = "secureConnection",
    [CNET_EV_TLS_CLIENT_ERROR] = "tlsClientError",
    [CNET_EV_SESSION] = "session",
    [CNET_EV_KEYLOG] = "keylog",
};

/* Names of user events, process-wide; registration is rare, so a mutex. */
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;
static char **user_names;
static int user_count;

int cnet_event_register(const char *name) {
  if (!name || !*name) return CNET_EINVAL;
  for (int i = 0; i < CNET_EV__BUILTIN; i++)
    if (strcmp(builtin_names[i], name) == 0) return i;
  int r = CNET_ENOMEM;
  pthread_mutex_lock(&names_mu);
  for (int i = 0; i < user_count; i++)
    if (strcmp(user_names[i], name) == 0) {
      r = CNET_EV__BUILTIN + i;
      goto done;
    }
  if (CNET_EV__BUILTIN + user_count >= CNET_EV__MAX) goto done;
  char *copy = strdup(name);
  char **grown = copy ? realloc(user_names, sizeof *grown * (size_t)(user_count + 1)) : NULL;
  if (!grown) {
    free(copy);
    goto done;
  }
  user_names = grown;
  user_names[user_count] = copy;
  r = CNET_EV__BUILTIN + user_count++;
done:
  pthread_mutex_unlock(&names_mu);
  return r;
}

const char *cnet_event_name(int type) {
  if (type >= 0 && type < CNET_EV__BUILTIN) return builtin_names[type];
  const char *name = NULL;
  pthread_mutex_lock(&names_mu);
  if (type >= CNET_EV__BUILTIN && type - CNET_EV__BUILTIN < user_count)
    name = user_names[type - CNET_EV__BUILTIN];
  pthread_mutex_unlock(&names_mu);
  return name;
}

int cnet_emitter_init(cnet_emitter *em) {
  if (!em) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__emitter_init_ops(em, NULL);
  return r ? cnet__fail(r, NULL) : 0;
}

int cnet__emitter_init_ops(cnet_emitter *em,
                           const struct cnet__emitter_ops *ops) {
  em->table_ = NULL;
  em->magic_ = 0;
  if (cnet__registry_add(em) != 0) return CNET_ENOMEM;
  em->ops_ = ops;
  em->mask_ = 0;
  em->magic_ = EMITTER_MAGIC;
  return 0;
}

static void side_remove(const void *key);

void cnet_emitter_dispose(cnet_emitter *em) {
  if (!em || !IS_EMITTER(em)) return;
  cnet__registry_remove(em);
  if (em->magic_ & HAS_SIDE_DATA) side_remove(em);
  /* A table still walked by an emit is freed by that emit. */
  if (em->table_ && em->table_->walkers == 0) free(em->table_);
  em->table_ = NULL;
  em->mask_ = 0;
  em->magic_ = 0;
}

/* Inside the library, objects are known to be emitters (or disposed
 * ones); a void * from a caller is looked up first (see below). */
static cnet_emitter *as_emitter(const void *object) {
  cnet_emitter *em = (cnet_emitter *)object;
  return em && IS_EMITTER(em) ? em : NULL;
}

bool cnet__is_emitter(const void *object) {
  return cnet__registry_has(object) && as_emitter(object);
}

static uint32_t type_bit(int type) {
  return type < 32 ? 1u << type : 0;
}

static void recompute_mask(cnet_emitter *em) {
  uint32_t m = 0;
  bool once = false;
  if (em->table_) {
    for (unsigned i = 0; i < em->table_->count; i++) {
      m |= type_bit(em->table_->v[i].type);
      once |= em->table_->v[i].once;
    }
    em->table_->has_once = once;
  }
  em->mask_ = m;
}

/* The table to change, with room for `need` listeners: the current one
 * when no emit walks it, otherwise a private copy that replaces it. */
static struct cnet__ltable *writable(cnet_emitter *em, unsigned need) {
  struct cnet__ltable *t = em->table_;
  unsigned count = t ? t->count : 0;
  if (need > MAX_LISTENERS) return NULL;
  if (t && t->walkers == 0 && t->cap >= need) return t;
  unsigned cap = t ? t->cap : 0;
  /* Exact up to four listeners (most objects have a few, and idle
   * connections pay for every byte); then half again, for O(1) adds. */
  if (cap < need) cap = need <= 4 ? need : need + need / 2;
  if (cap > MAX_LISTENERS) cap = MAX_LISTENERS;
  struct cnet__ltable *n;
  if (t && t->walkers == 0) {
    n = realloc(t, sizeof *n + cap * sizeof n->v[0]);
    if (!n) return NULL;
  } else {
    n = malloc(sizeof *n + cap * sizeof n->v[0]);
    if (!n) return NULL;
    n->walkers = 0;
    n->has_once = t ? t->has_once : 0;
    n->count = (uint16_t)count;
    if (count) memcpy(n->v, t->v, count * sizeof n->v[0]);
  }
  n->cap = (uint16_t)cap;
  em->table_ = n;
  return n;
}

static int add(void *object, int type, cnet_listener fn, void *arg,
               uint8_t once, bool prepend) {
  cnet_emitter *em = as_emitter(object);
  if (!em || !fn || type < 0 || type >= CNET_EV__MAX) return CNET_EINVAL;
  struct cnet__ltable *t =
      writable(em, (em->table_ ? em->table_->count : 0) + 1u);
  if (!t) return CNET_ENOMEM;
  struct cnet__listener *l = &t->v[t->count];
  if (prepend) {
    memmove(&t->v[1], &t->v[0], t->count * sizeof t->v[0]);
    l = &t->v[0];
  }
  l->fn = fn;
  l->arg = arg;
  l->type = (uint16_t)type;
  l->once = once;
  l->fired = 0;
  l->id = once ? atomic_fetch_add(&once_ids, 1) + 1 : 0;
  if (once) t->has_once = 1;
  t->count++;
  em->mask_ |= type_bit(type);
  if (em->ops_ && em->ops_->listener_added) em->ops_->listener_added(object, type);
  return 0;
}

int cnet__on(void *object, int type, cnet_listener fn, void *arg) {
  return add(object, type, fn, arg, 0, false);
}

int cnet__once(void *object, int type, cnet_listener fn, void *arg) {
  return add(object, type, fn, arg, ONCE, false);
}

int cnet__prepend_listener(void *object, int type, cnet_listener fn, void *arg) {
  return add(object, type, fn, arg, 0, true);
}

int cnet__prepend_once_listener(void *object, int type, cnet_listener fn,
                               void *arg) {
  return add(object, type, fn, arg, ONCE, true);
}

/* A completion callback is kept as a once listener that calls it with
 * (target, ev->error, arg): no allocation, and it goes with the
 * object's listeners. */
int cnet__once_callback(void *object, int type, cnet_callback cb, void *arg) {
  if (!cb) return CNET_EINVAL;
  return add(object, type, (cnet_listener)(void (*)(void))cb, arg,
             ONCE | CALLBACK, false);
}

int cnet__off_callback(void *object, int type, cnet_callback cb, void *arg) {
  return cnet__off(object, type, (cnet_listener)(void (*)(void))cb, arg);
}

/* ---- user data ------------------------------------------------------------ */

/* Streams keep it in their own rarely needed state (their data_slot); a
 * connection's emitter has no room to spare. The rest (servers, UDP
 * sockets, interfaces, emitters of your own: a few per program) keep it
 * here, in a table sorted by address. */
struct side_entry {
  const void *key;
  void *data;
};
static pthread_mutex_t side_mu = PTHREAD_MUTEX_INITIALIZER;
static struct side_entry *side;
static size_t side_n, side_cap;

/* Under side_mu: the index of key, or where it would go. */
static size_t side_find(const void *key, bool *found) {
  size_t lo = 0, hi = side_n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)side[mid].key < (uintptr_t)key)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = lo < side_n && side[lo].key == key;
  return lo;
}

static int side_set(const void *key, void *data) {
  pthread_mutex_lock(&side_mu);
  bool found;
  size_t i = side_find(key, &found);
  if (!found) {
    if (side_n == side_cap) {
      size_t cap = side_cap ? side_cap * 2 : 16;
      struct side_entry *grown = realloc(side, cap * sizeof *grown);
      if (!grown) {
        pthread_mutex_unlock(&side_mu);
        return CNET_ENOMEM;
      }
      side = grown;
      side_cap = cap;
    }
    memmove(&side[i + 1], &side[i], (side_n - i) * sizeof side[0]);
    side[i].key = key;
    side_n++;
  }
  side[i].data = data;
  pthread_mutex_unlock(&side_mu);
  return 0;
}

static void *side_get(const void *key) {
  pthread_mutex_lock(&side_mu);
  bool found;
  size_t i = side_find(key, &found);
  void *data = found ? side[i].data : NULL;
  pthread_mutex_unlock(&side_mu);
  return data;
}

static void side_remove(const void *key) {
  pthread_mutex_lock(&side_mu);
  bool found;
  size_t i = side_find(key, &found);
  if (found) {
    memmove(&side[i], &side[i + 1], (side_n - i - 1) * sizeof side[0]);
    side_n--;
  }
  if (side_n == 0) {
    free(side);
    side = NULL;
    side_cap = 0;
  }
  pthread_mutex_unlock(&side_mu);
}

int cnet__set_data(void *object, void *data) {
  cnet_emitter *em = as_emitter(object);
  if (!em) return CNET_EINVAL;
  if (em->ops_ && em->ops_->data_slot) {
    void **slot = em->ops_->data_slot(object, true);
    if (!slot) return CNET_ENOMEM;
    *slot = data;
    return 0;
  }
  int r = side_set(em, data);
  if (r == 0) em->magic_ |= HAS_SIDE_DATA;
  return r;
}

void *cnet__get_data(const void *object) {
  cnet_emitter *em = as_emitter(object);
  if (!em) return NULL;
  if (em->ops_ && em->ops_->data_slot) {
    void **slot = em->ops_->data_slot((void *)object, false);
    return slot ? *slot : NULL;
  }
  return (em->magic_ & HAS_SIDE_DATA) ? side_get(em) : NULL;
}

/* Removes entry i of the current table (copying it first if walked). */
static int remove_at(cnet_emitter *em, unsigned i) {
  struct cnet__ltable *t = writable(em, em->table_->count);
  if (!t) return CNET_ENOMEM;
  memmove(&t->v[i], &t->v[i + 1], (t->count - i - 1) * sizeof t->v[0]);
  t->count--;
  recompute_mask(em);
  return 0;
}

int cnet__off(void *object, int type, cnet_listener fn, void *arg) {
  cnet_emitter *em = as_emitter(object);
  if (!em) return CNET_EINVAL;
  struct cnet__ltable *t = em->table_;
  if (!t) return 0;
  /* Node removes the most recently added match. */
  for (unsigned i = t->count; i-- > 0;) {
    struct cnet__listener *l = &t->v[i];
    if (l->type == type && l->fn == fn && l->arg == arg) return remove_at(em, i);
  }
  return 0;
}

int cnet__remove_all_listeners(void *object, int type) {
  cnet_emitter *em = as_emitter(object);
  if (!em) return CNET_EINVAL;
  if (!em->table_) return 0;
  struct cnet__ltable *t = writable(em, em->table_->count);
  if (!t) return CNET_ENOMEM;
  unsigned kept = 0;
  for (unsigned i = 0; i < t->count; i++)
    if (type >= 0 && t->v[i].type != type) t->v[kept++] = t->v[i];
  t->count = (uint16_t)kept;
  recompute_mask(em);
  return 0;
}

int cnet__listener_count(const void *object, int type) {
  cnet_emitter *em = as_emitter(object);
  if (!em) return CNET_EINVAL;
  int n = 0;
  if (em->table_)
    for (unsigned i = 0; i < em->table_->count; i++)
      n += em->table_->v[i].type == type;
  return n;
}

/* A once listener that fires leaves the current table: find its copy there
 * (it may be a different table from the one being walked). */
static void remove_fired(cnet_emitter *em, const struct cnet__listener *l) {
  struct cnet__ltable *t = em->table_;
  if (!t) return;
  for (unsigned i = 0; i < t->count; i++) {
    const struct cnet__listener *c = &t->v[i];
    if (c->type == l->type && c->fn == l->fn && c->arg == l->arg && c->once &&
        !c->fired) {
      remove_at(em, i);
      return;
    }
  }
}

static void unhandled_error(cnet_emitter *em, void *object,
                            const cnet_event *ev) {
  const cnet_error *err = ev->error;
  const char *what = em->ops_ ? em->ops_->type_name : "emitter";
  if (err)
    fprintf(stderr, "cnet: unhandled 'error' event on %s %p: %s (%s)\n", what,
            object, err->message, cnet_err_name(err->code));
  else
    fprintf(stderr, "cnet: unhandled 'error' event on %s %p\n", what, object);
  fflush(stderr);
  if (em->ops_ && em->ops_->destroy) em->ops_->destroy(object, err);
}

bool cnet__emit(void *object, cnet_event *ev) {
  cnet_emitter *em = as_emitter(object);
  if (!em || !ev) return false;
  ev->target = object;
  int type = (int)ev->type;
  bool called = false;
  struct cnet__ltable *t = em->table_;
  if (t && (type >= 32 || (em->mask_ & type_bit(type)))) {
    /* The nesting of emits matters only to once listeners (a copy of
     * one in a table an outer emit walks must not run again): a table
     * without any is walked without that bookkeeping. */
    bool track = t->has_once;
    t->walkers++;
    if (track) emit_depth++;
    for (unsigned i = 0; i < t->count; i++) {
      struct cnet__listener *l = &t->v[i];
      if (l->type != type) continue;
      called = true;
      if (l->once) {
        if (l->fired || (fired_n && fired_elsewhere(l->id))) continue;
        remove_fired(em, l);
        l->fired = 1;
        if (emit_depth > 1 || t != em->table_) note_fired(l->id);
      }
      if (l->once & CALLBACK)
        ((cnet_callback)(void (*)(void))l->fn)(object, ev->error, l->arg);
      else
        l->fn(ev, l->arg);
    }
    if (track && --emit_depth == 0 && fired_ids) {
      free(fired_ids);
      fired_ids = NULL;
      fired_n = fired_cap = 0;
    }
    /* The emitter may have been disposed by a listener; t is ours alone
     * then, and freed below like any replaced table. */
    if (--t->walkers == 0 && t != em->table_) free(t);
  }
  if (!called && type == CNET_EV_ERROR && IS_EMITTER(em))
    unhandled_error(em, object, ev);
  return called;
}

/* ---- the public calls: any void *, checked before it is read ------------- */

#undef cnet_on
#undef cnet_once
#undef cnet_prepend_listener
#undef cnet_prepend_once_listener
#undef cnet_off
#undef cnet_remove_all_listeners
#undef cnet_listener_count
#undef cnet_emit
#undef cnet_set_data
#undef cnet_get_data

/* A failure of a public call is recorded as the thread's last error. */
static int checked(int r) { return r < 0 ? cnet__fail(r, NULL) : r; }
static int refused(void) { return cnet__fail(CNET_EINVAL, "not a cnet emitter"); }

/* A pointer the registry does not know is refused without reading the
 * memory it points to. */
#define CHECKED(object, call) (cnet__is_emitter(object) ? checked(call) : refused())

int cnet_on(void *object, int type, cnet_listener fn, void *arg) {
  return CHECKED(object, cnet__on(object, type, fn, arg));
}
int cnet_once(void *object, int type, cnet_listener fn, void *arg) {
  return CHECKED(object, cnet__once(object, type, fn, arg));
}
int cnet_prepend_listener(void *object, int type, cnet_listener fn, void *arg) {
  return CHECKED(object, cnet__prepend_listener(object, type, fn, arg));
}
int cnet_prepend_once_listener(void *object, int type, cnet_listener fn,
                               void *arg) {
  return CHECKED(object, cnet__prepend_once_listener(object, type, fn, arg));
}
int cnet_off(void *object, int type, cnet_listener fn, void *arg) {
  return CHECKED(object, cnet__off(object, type, fn, arg));
}
int cnet_remove_all_listeners(void *object, int type) {
  return CHECKED(object, cnet__remove_all_listeners(object, type));
}
int cnet_listener_count(const void *object, int type) {
  return CHECKED(object, cnet__listener_count(object, type));
}
int cnet_emit(void *object, cnet_event *ev) {
  if (!cnet__is_emitter(object) || !ev) return refused();
  return cnet__emit(object, ev) ? 1 : 0;
}
int cnet_set_data(void *object, void *data) {
  return CHECKED(object, cnet__set_data(object, data));
}
void *cnet_get_data(const void *object) {
  return cnet__is_emitter(object) ? cnet__get_data(object) : NULL;
}

/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The set of live emitters, so that a call given a void * can tell a cnet
 * object from anything else without reading the memory it points to. */
#ifndef CNET_REGISTRY_H
#define CNET_REGISTRY_H

#include <stdbool.h>

/* Adding an address already there, or removing one that is not, does
 * nothing. CNET_ENOMEM (the set is left as it was) or 0. */
int cnet__registry_add(const void *p);
void cnet__registry_remove(const void *p);
/* Lock-free: safe from any thread while others add and remove. */
bool cnet__registry_has(const void *p);

#endif

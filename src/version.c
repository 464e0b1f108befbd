/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The library's version, as it was built: a program compiled against
 * older headers compares it with its own CNET_VERSION_HEX. */
#include "cnet/version.h"

unsigned cnet_version(void) { return CNET_VERSION_HEX; }

const char *cnet_version_string(void) { return CNET_VERSION_STRING; }

/* What most of cnet's source files need of the loop layer: its state and
 * handle base (handle.h) and the poller (poller.h). A file that needs
 * only one of them includes that one. */
#ifndef CNET_INTERNAL_H
#define CNET_INTERNAL_H

#include "handle.h"
#include "poller.h"

#endif

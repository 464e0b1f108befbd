/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The error table's functions: names, messages and Node's message formats,
 * all generated from the maps in cnet/errors.h. */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *cnet_err_name(int code) {
  switch (code) {
#define XX(name, msg) case CNET_##name: return #name;
    CNET_ERRNO_MAP(XX)
#undef XX
#define XX(name, num, msg) case CNET_##name: return #name;
    CNET_EXTRA_MAP(XX)
    CNET_NODE_ERR_MAP(XX)
#undef XX
    default: return "UNKNOWN";
  }
}

const char *cnet_strerror(int code) {
  switch (code) {
#define XX(name, msg) case CNET_##name: return msg;
    CNET_ERRNO_MAP(XX)
#undef XX
#define XX(name, num, msg) case CNET_##name: return msg;
    CNET_EXTRA_MAP(XX)
    CNET_NODE_ERR_MAP(XX)
#undef XX
    default: return "unknown error";
  }
}

int cnet_errno(int errnum) {
  /* EWOULDBLOCK and ENOTSUP/EOPNOTSUPP share numbers on Linux; the table
   * names them as libuv does. */
  return errnum > 0 ? -errnum : errnum;
}

int cnet_eai_error(int eai) {
  /* Node reports EAI_NONAME and EAI_NODATA as ENOTFOUND (dns.js). */
  switch (eai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
      return CNET_ENOTFOUND;
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return CNET_EAI_ADDRFAMILY;
#endif
    case EAI_AGAIN: return CNET_EAI_AGAIN;
    case EAI_BADFLAGS: return CNET_EAI_BADFLAGS;
#ifdef EAI_CANCELED
    case EAI_CANCELED: return CNET_EAI_CANCELED;
#endif
    case EAI_FAIL: return CNET_EAI_FAIL;
    case EAI_FAMILY: return CNET_EAI_FAMILY;
    case EAI_MEMORY: return CNET_EAI_MEMORY;
    case EAI_OVERFLOW: return CNET_EAI_OVERFLOW;
    case EAI_SERVICE: return CNET_EAI_SERVICE;
    case EAI_SOCKTYPE: return CNET_EAI_SOCKTYPE;
    case EAI_SYSTEM: return cnet_errno(errno);
    default: return CNET_EAI_FAIL;
  }
}

int cnet_is_node_error(int code) {
  switch (code) {
#define XX(name, num, msg) case CNET_##name: return 1;
    CNET_NODE_ERR_MAP(XX)
#undef XX
    default: return 0;
  }
}

static void set_context(cnet_error *err, int code, const char *syscall,
                        const char *address, int port) {
  err->code = code;
  err->syscall = syscall;
  err->port = port; /* as Node sets err.port: -1 stays -1 (Unix paths) */
  err->address[0] = '\0';
  if (address) snprintf(err->address, sizeof err->address, "%s", address);
}

/* Node's " <address>:<port>" / " <address>" suffix. */
static void append_details(cnet_error *err, size_t used) {
  if (used >= sizeof err->message) return;
  char *p = err->message + used;
  size_t left = sizeof err->message - used;
  if (err->port > 0)
    snprintf(p, left, " %s:%d", err->address, err->port);
  else if (err->address[0])
    snprintf(p, left, " %s", err->address);
}

static size_t clamp(int n, size_t cap) {
  return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

void cnet_error_syscall(cnet_error *err, int code, const char *syscall,
                        const char *address, int port) {
  set_context(err, code, syscall, address, port);
  int n = syscall ? snprintf(err->message, sizeof err->message, "%s %s",
                             syscall, cnet_err_name(code))
                  : snprintf(err->message, sizeof err->message, "%s",
                             cnet_err_name(code));
  append_details(err, clamp(n, sizeof err->message));
}

void cnet_error_uv(cnet_error *err, int code, const char *syscall,
                   const char *address, int port) {
  set_context(err, code, syscall, address, port);
  int n = syscall ? snprintf(err->message, sizeof err->message, "%s %s: %s",
                             syscall, cnet_err_name(code), cnet_strerror(code))
                  : snprintf(err->message, sizeof err->message, "%s: %s",
                             cnet_err_name(code), cnet_strerror(code));
  append_details(err, clamp(n, sizeof err->message));
}

void cnet_error_set(cnet_error *err, int code, const char *fmt, ...) {
  set_context(err, code, NULL, NULL, 0);
  if (!fmt) {
    snprintf(err->message, sizeof err->message, "%s", cnet_strerror(code));
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}

/* ---- the thread's last error ------------------------------------------ */

static _Thread_local cnet_error last_error;

const cnet_error *cnet_last_error(void) { return &last_error; }

cnet_error *cnet__last_error_slot(void) { return &last_error; }

int cnet__fail(int code, const char *fmt, ...) {
  cnet_error *e = &last_error;
  set_context(e, code, NULL, NULL, 0);
  if (!fmt) {
    snprintf(e->message, sizeof e->message, "%s", cnet_strerror(code));
    return code;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  return code;
}

int cnet__fail_syscall(int code, const char *syscall) {
  cnet_error_syscall(&last_error, code, syscall, NULL, 0);
  return code;
}

const char *cnet_error_class(int code) {
  switch (code) {
    case CNET_ERR_BUFFER_OUT_OF_BOUNDS:
    case CNET_ERR_OUT_OF_RANGE:
    case CNET_ERR_SOCKET_BAD_PORT:
      return "RangeError";
    case CNET_ERR_INVALID_ARG_TYPE:
    case CNET_ERR_INVALID_ARG_VALUE:
    case CNET_ERR_INVALID_FD_TYPE:
    case CNET_ERR_INVALID_IP_ADDRESS:
    case CNET_ERR_MISSING_ARGS:
    case CNET_ERR_SOCKET_BAD_BUFFER_SIZE:
    case CNET_ERR_SOCKET_BAD_TYPE:
    case CNET_ERR_TLS_INVALID_PROTOCOL_VERSION:
    case CNET_ERR_UNKNOWN_ENCODING:
    case CNET_ERR_UNKNOWN_SIGNAL:
      return "TypeError";
    case CNET_ERR_SOCKET_BUFFER_SIZE:
      return "SystemError";
    default:
      return "Error";
  }
}

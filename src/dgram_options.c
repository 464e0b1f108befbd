/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The UDP socket's fd and its options: the fd made and bound as libuv's
 * uv__udp_bind does it (with the bind options reuseAddr, reusePort,
 * ipv6Only), bound at once for an early membership call, and Node's
 * setters and getters: buffer sizes, broadcast, TTL, multicast TTL,
 * loopback and interface, memberships (source-specific too). */
#include "dgram_impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* ---- the file descriptor ----------------------------------------------------- */

static int new_fd(cnet_dgram *s, int af) {
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return cnet_errno(errno);
  s->io.fd = fd;
  return 0;
}

/* libuv's uv__udp_bind. An fd that exists already (a failed bind, an
 * early addMembership) is bound again, which the kernel refuses. */
int cnet__dgram_do_bind(cnet_dgram *s, const char *ip, int port) {
  struct sockaddr_storage ss;
  socklen_t len;
  if (cnet__dgram_to_sockaddr(s->family, ip, port, &ss, &len) != 0) return cnet__fail(CNET_EINVAL, NULL);
  int af = ss.ss_family;
  if (s->opts.ipv6_only && af != AF_INET6) return cnet__fail(CNET_EINVAL, NULL);
  if (s->io.fd < 0) {
    int e = new_fd(s, af);
    if (e) return e;
  }
  int fd = s->io.fd, one = 1;
  if (s->opts.reuse_addr &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (s->opts.reuse_port &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (s->opts.ipv6_only &&
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (bind(fd, (struct sockaddr *)&ss, len) != 0)
    return errno == EAFNOSUPPORT ? CNET_EINVAL : cnet_errno(errno);
  if (af == AF_INET6) s->fd_v6 = true;
  return 0;
}

/* libuv's uv__udp_maybe_deferred_bind: membership calls on a socket with
 * no fd yet bind one to the wildcard address, port 0. */
static int deferred_bind(cnet_dgram *s, int af) {
  if (s->io.fd >= 0) return 0;
  int e = new_fd(s, af);
  if (e) return e;
  int one = 1;
  if (setsockopt(s->io.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
    return cnet_errno(errno);
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len;
  if (af == AF_INET6) {
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    a6->sin6_family = AF_INET6;
    a6->sin6_addr = in6addr_any;
    len = sizeof *a6;
  } else {
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    a4->sin_family = AF_INET;
    a4->sin_addr.s_addr = htonl(INADDR_ANY);
    len = sizeof *a4;
  }
  if (bind(s->io.fd, (struct sockaddr *)&ss, len) != 0) return cnet_errno(errno);
  if (af == AF_INET6) s->fd_v6 = true;
  return 0;
}

/* ---- buffer sizes ------------------------------------------------------------ */

/* Node's bufferSize(): size 0 reads, anything else sets. */
int cnet__dgram_buffer_size(cnet_dgram *s, int64_t size, bool recv) {
  if (size < 0 || size > (int64_t)UINT32_MAX)
    return fail(s, CNET_ERR_SOCKET_BAD_BUFFER_SIZE, NULL);
  if (s->closed) return not_running(s);
  int value = (int)(uint32_t)size;
  int opt = recv ? SO_RCVBUF : SO_SNDBUF;
  int e = 0;
  if (s->io.fd < 0 || value < 0) {
    e = s->io.fd < 0 ? CNET_EBADF : CNET_EINVAL;
  } else if (value == 0) {
    socklen_t len = sizeof value;
    if (getsockopt(s->io.fd, SOL_SOCKET, opt, &value, &len) != 0) e = cnet_errno(errno);
  } else if (setsockopt(s->io.fd, SOL_SOCKET, opt, &value, sizeof value) != 0) {
    e = cnet_errno(errno);
  }
  if (e) {
    const char *fn = recv ? "uv_recv_buffer_size" : "uv_send_buffer_size";
    fail(s, CNET_ERR_SOCKET_BUFFER_SIZE,
         "Could not get or set buffer size: %s returned %s (%s)", fn,
         cnet_err_name(e), cnet_strerror(e));
    cnet__last_error_slot()->syscall = fn;
    return CNET_ERR_SOCKET_BUFFER_SIZE;
  }
  return value;
}

int cnet_dgram_get_recv_buffer_size(cnet_dgram *s) {
  return s ? cnet__dgram_buffer_size(s, 0, true) : CNET_EINVAL;
}
int cnet_dgram_get_send_buffer_size(cnet_dgram *s) {
  return s ? cnet__dgram_buffer_size(s, 0, false) : CNET_EINVAL;
}
int cnet_dgram_set_recv_buffer_size(cnet_dgram *s, int64_t size) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__dgram_buffer_size(s, size, true);
  return r < 0 ? r : 0;
}
int cnet_dgram_set_send_buffer_size(cnet_dgram *s, int64_t size) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__dgram_buffer_size(s, size, false);
  return r < 0 ? r : 0;
}

/* ---- options --------------------------------------------------------------- */

/* libuv's uv__setsockopt: the IPv6 option on an AF_INET6 fd, else IPv4's. */
static int set_ip_opt(cnet_dgram *s, int opt4, int opt6, int value,
                      const char *syscall) {
  if (s->closed) return not_running(s);
  int r = s->fd_v6 ? setsockopt(s->io.fd, IPPROTO_IPV6, opt6, &value, sizeof value)
                   : setsockopt(s->io.fd, IPPROTO_IP, opt4, &value, sizeof value);
  return r != 0 ? fail_sys(s, cnet_errno(errno), syscall) : 0;
}

int cnet_dgram_set_broadcast(cnet_dgram *s, bool flag) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  int on = flag;
  if (setsockopt(s->io.fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0)
    return fail_sys(s, cnet_errno(errno), "setBroadcast");
  return 0;
}

int cnet_dgram_set_ttl(cnet_dgram *s, int ttl) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  if (ttl < 1 || ttl > 255) return fail_sys(s, CNET_EINVAL, "setTTL");
  int r = set_ip_opt(s, IP_TTL, IPV6_UNICAST_HOPS, ttl, "setTTL");
  return r ? r : ttl;
}

int cnet_dgram_set_multicast_ttl(cnet_dgram *s, int ttl) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  if (ttl < 0 || ttl > 255) return fail_sys(s, CNET_EINVAL, "setMulticastTTL");
  int r = set_ip_opt(s, IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS, ttl, "setMulticastTTL");
  return r ? r : ttl;
}

int cnet_dgram_set_multicast_loopback(cnet_dgram *s, bool flag) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  int r = set_ip_opt(s, IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP, flag,
                     "setMulticastLoopback");
  return r ? r : flag;
}

/* An address text as uv_ip4_addr / uv_ip6_addr read it; 0, 4 or 6. */
static int parse_ip(const char *text, struct sockaddr_storage *ss) {
  socklen_t len;
  if (cnet__dgram_to_sockaddr(4, text, 0, ss, &len) == 0) return 4;
  if (cnet__dgram_to_sockaddr(6, text, 0, ss, &len) == 0) return 6;
  return 0;
}

int cnet_dgram_set_multicast_interface(cnet_dgram *s, const char *iface) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  if (!iface)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"interfaceAddress\" argument must be of type string. "
                "Received undefined");
  struct sockaddr_storage ss;
  int r, kind = parse_ip(iface, &ss);
  if (kind == 4) {
    r = setsockopt(s->io.fd, IPPROTO_IP, IP_MULTICAST_IF,
                   &((struct sockaddr_in *)&ss)->sin_addr, sizeof(struct in_addr));
  } else if (kind == 6) {
    unsigned scope = ((struct sockaddr_in6 *)&ss)->sin6_scope_id;
    r = setsockopt(s->io.fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &scope, sizeof scope);
  } else {
    return fail_sys(s, CNET_EINVAL, "setMulticastInterface");
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), "setMulticastInterface") : 0;
}

/* libuv's uv_udp_set_membership. */
static int membership(cnet_dgram *s, const char *group, const char *iface,
                      bool join) {
  const char *name = join ? "addMembership" : "dropMembership";
  if (s->closed) return not_running(s);
  if (!group || !*group)
    return fail(s, CNET_ERR_MISSING_ARGS,
                "The \"multicastAddress\" argument must be specified");
  struct sockaddr_storage g, i;
  int kind = parse_ip(group, &g), e, r;
  if (kind == 4) {
    if ((e = deferred_bind(s, AF_INET))) return fail_sys(s, e, name);
    struct ip_mreq m;
    memset(&m, 0, sizeof m);
    m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
    if (iface) {
      socklen_t len;
      if (cnet__dgram_to_sockaddr(4, iface, 0, &i, &len))
        return fail_sys(s, CNET_EINVAL, name);
      m.imr_interface = ((struct sockaddr_in *)&i)->sin_addr;
    } else {
      m.imr_interface.s_addr = htonl(INADDR_ANY);
    }
    r = setsockopt(s->io.fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                   &m, sizeof m);
  } else if (kind == 6) {
    if ((e = deferred_bind(s, AF_INET6))) return fail_sys(s, e, name);
    struct ipv6_mreq m;
    memset(&m, 0, sizeof m);
    m.ipv6mr_multiaddr = ((struct sockaddr_in6 *)&g)->sin6_addr;
    if (iface) {
      socklen_t len;
      if (cnet__dgram_to_sockaddr(6, iface, 0, &i, &len))
        return fail_sys(s, CNET_EINVAL, name);
      m.ipv6mr_interface = ((struct sockaddr_in6 *)&i)->sin6_scope_id;
    }
    r = setsockopt(s->io.fd, IPPROTO_IPV6,
                   join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &m, sizeof m);
  } else {
    return fail_sys(s, CNET_EINVAL, name);
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), name) : 0;
}

int cnet_dgram_add_membership(cnet_dgram *s, const char *group, const char *iface) {
  return s ? membership(s, group, iface, true) : CNET_EINVAL;
}
int cnet_dgram_drop_membership(cnet_dgram *s, const char *group, const char *iface) {
  return s ? membership(s, group, iface, false) : CNET_EINVAL;
}

/* libuv's uv_udp_set_source_membership. */
static int source_membership(cnet_dgram *s, const char *source, const char *group,
                             const char *iface, bool join) {
  const char *name = join ? "addSourceSpecificMembership"
                          : "dropSourceSpecificMembership";
  if (s->closed) return not_running(s);
  if (!source || !group)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"%s\" argument must be of type string. Received undefined",
                !source ? "sourceAddress" : "groupAddress");
  struct sockaddr_storage g, src, i;
  socklen_t len;
  int e, r;
  if (cnet__dgram_to_sockaddr(4, group, 0, &g, &len) != 0) {
    if (cnet__dgram_to_sockaddr(6, group, 0, &g, &len) != 0)
      return fail_sys(s, CNET_EINVAL, name);
    if (cnet__dgram_to_sockaddr(6, source, 0, &src, &len) != 0)
      return fail_sys(s, CNET_EINVAL, name);
    if ((e = deferred_bind(s, AF_INET6))) return fail_sys(s, e, name);
    struct group_source_req m;
    memset(&m, 0, sizeof m);
    if (iface) {
      if (cnet__dgram_to_sockaddr(6, iface, 0, &i, &len))
        return fail_sys(s, CNET_EINVAL, name);
      m.gsr_interface = ((struct sockaddr_in6 *)&i)->sin6_scope_id;
    }
    memcpy(&m.gsr_group, &g, sizeof(struct sockaddr_in6));
    memcpy(&m.gsr_source, &src, sizeof(struct sockaddr_in6));
    r = setsockopt(s->io.fd, IPPROTO_IPV6,
                   join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP, &m, sizeof m);
  } else {
    if (cnet__dgram_to_sockaddr(4, source, 0, &src, &len) != 0)
      return fail_sys(s, CNET_EINVAL, name);
    if ((e = deferred_bind(s, AF_INET))) return fail_sys(s, e, name);
    struct ip_mreq_source m;
    memset(&m, 0, sizeof m);
    if (iface) {
      if (cnet__dgram_to_sockaddr(4, iface, 0, &i, &len))
        return fail_sys(s, CNET_EINVAL, name);
      m.imr_interface = ((struct sockaddr_in *)&i)->sin_addr;
    } else {
      m.imr_interface.s_addr = htonl(INADDR_ANY);
    }
    m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
    m.imr_sourceaddr = ((struct sockaddr_in *)&src)->sin_addr;
    r = setsockopt(s->io.fd, IPPROTO_IP,
                   join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, &m, sizeof m);
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), name) : 0;
}

int cnet_dgram_add_source_specific_membership(cnet_dgram *s, const char *source,
                                              const char *group, const char *iface) {
  return s ? source_membership(s, source, group, iface, true) : CNET_EINVAL;
}
int cnet_dgram_drop_source_specific_membership(cnet_dgram *s, const char *source,
                                               const char *group, const char *iface) {
  return s ? source_membership(s, source, group, iface, false) : CNET_EINVAL;
}

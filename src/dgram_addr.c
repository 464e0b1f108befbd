/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* dgram's addresses: the text a method is given to a sockaddr (as libuv's
 * uv_ip4_addr / uv_ip6_addr parse it), a sockaddr to Node's text, and the
 * per-socket memos that spare a busy server both conversions. */
#include "dgram_impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* An address of the socket's family, as libuv's uv_ip4_addr / uv_ip6_addr
 * parse them (Node's send/send6, connect/connect6); EINVAL otherwise. */
int cnet__dgram_to_sockaddr(int family, const char *ip, int port,
                            struct sockaddr_storage *ss, socklen_t *len) {
  cnet_socket_address sa;
  cnet_socket_address_options o = {.address = ip, .port = port & 0xffff,
                                   .family = family};
  if (!ip || cnet_socket_address_init(&sa, &o) != 0) return CNET_EINVAL;
  const struct sockaddr *p = cnet_socket_address_sockaddr(&sa, len);
  memcpy(ss, p, *len);
  return 0;
}

/* inet_ntop for IPv4 without glibc's sprintf, which costs more than
 * the rest of a datagram's trip through cnet. size >= INET_ADDRSTRLEN. */
static void format_ipv4(const struct in_addr *in, char *text) {
  const unsigned char *b = (const unsigned char *)&in->s_addr;
  char *p = text;
  for (int i = 0; i < 4; i++) {
    unsigned v = b[i];
    if (v >= 100) *p++ = (char)('0' + v / 100);
    if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    *p++ = i < 3 ? '.' : '\0';
  }
}

/* Node's AddressToJS: the text, "IPv4"/"IPv6", the port; a link-local
 * IPv6 address gets its interface ("fe80::1%eth0"). */
static void from_sockaddr(const struct sockaddr_storage *ss, char *text,
                          size_t size, const char **family, int *port) {
  if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
    if (!inet_ntop(AF_INET6, &a6->sin6_addr, text, (socklen_t)size)) text[0] = '\0';
    if (IN6_IS_ADDR_LINKLOCAL(&a6->sin6_addr) && a6->sin6_scope_id > 0) {
      size_t n = strlen(text);
      char name[IF_NAMESIZE];
      if (if_indextoname(a6->sin6_scope_id, name))
        snprintf(text + n, size - n, "%%%s", name);
      else
        snprintf(text + n, size - n, "%%%u", (unsigned)a6->sin6_scope_id);
    }
    *family = "IPv6";
    *port = ntohs(a6->sin6_port);
  } else {
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;
    if (size >= INET_ADDRSTRLEN)
      format_ipv4(&a4->sin_addr, text);
    else if (!inet_ntop(AF_INET, &a4->sin_addr, text, (socklen_t)size))
      text[0] = '\0';
    *family = "IPv4";
    *port = ntohs(a4->sin_port);
  }
}

/* rinfo's address and family for a sender the inline memo check did not
 * answer: the memo is made anew. A link-local IPv6 sender is not
 * remembered: its text names an interface, which may be renamed. text is
 * the caller's buffer for that case. */
void cnet__dgram_sender_address_slow(cnet_dgram *s,
                                     const struct sockaddr_storage *peer,
                                     char *text, cnet_rinfo *ri) {
  addr_memo *m = &s->recv_memo;
  if (peer->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)peer;
    const struct sockaddr_in *ma = (const struct sockaddr_in *)&m->sa;
    ri->port = ntohs(a->sin_port);
    ri->family = "IPv4";
    if (m->len != sizeof *a || ma->sin_addr.s_addr != a->sin_addr.s_addr) {
      format_ipv4(&a->sin_addr, m->text);
      memcpy(&m->sa, a, sizeof *a);
      m->len = sizeof *a;
    }
    ri->address = m->text;
    return;
  }
  const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)peer;
  const struct sockaddr_in6 *m6 = (const struct sockaddr_in6 *)&m->sa;
  if (a6->sin6_scope_id != 0) {
    from_sockaddr(peer, text, CNET_ADDRESS_MAX, &ri->family, &ri->port);
    ri->address = text;
    return;
  }
  if (m->len != sizeof *a6 ||
      memcmp(&m6->sin6_addr, &a6->sin6_addr, sizeof a6->sin6_addr) != 0) {
    from_sockaddr(peer, m->text, sizeof m->text, &ri->family, &ri->port);
    memcpy(&m->sa, a6, sizeof *a6);
    m->len = sizeof *a6;
  }
  ri->port = ntohs(a6->sin6_port);
  ri->family = "IPv6";
  ri->address = m->text;
}

/* sin_port and sin6_port are one field for cnet__dgram_send_target. */
_Static_assert(offsetof(struct sockaddr_in, sin_port) ==
                   offsetof(struct sockaddr_in6, sin6_port),
               "the port of both families at one offset");

/* cnet__dgram_send_target for a host its memo does not hold: the last
 * text that parsed is remembered with its sockaddr. */
int cnet__dgram_send_target_slow(cnet_dgram *s, const char *host, int port,
                                 struct sockaddr_storage *to,
                                 socklen_t *to_len) {
  addr_memo *m = &s->send_memo;
  if (!cnet_is_ip(host)) return 0;
  int e = cnet__dgram_to_sockaddr(s->family, host, 0, to, to_len);
  if (e) return e;
  size_t n = strlen(host);
  if (n < sizeof m->text) {
    memcpy(m->text, host, n + 1);
    memcpy(&m->sa, to, *to_len);
    m->len = *to_len;
  }
  ((struct sockaddr_in *)to)->sin_port = htons((uint16_t)(port & 0xffff));
  return 1;
}

int cnet__dgram_fill_address(int fd, bool peer, cnet_address *out) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
               : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r != 0) return cnet_errno(errno);
  memset(out, 0, sizeof *out);
  from_sockaddr(&ss, out->address, sizeof out->address, &out->family, &out->port);
  return 0;
}

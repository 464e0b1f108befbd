/* cnet addresses: Node's net.isIP / isIPv4 / isIPv6, net.SocketAddress and
 * net.BlockList. (Being written; see docs/addr.md when it lands.) */
#ifndef CNET_ADDR_H
#define CNET_ADDR_H

#ifdef __cplusplus
extern "C" {
#endif

/* 4 for an IPv4 address in dotted-decimal form, 6 for an IPv6 address
 * (zone id allowed), 0 otherwise: exactly Node's answers. */
int cnet_is_ip(const char *input);
int cnet_is_ipv4(const char *input);
int cnet_is_ipv6(const char *input);

#ifdef __cplusplus
}
#endif
#endif

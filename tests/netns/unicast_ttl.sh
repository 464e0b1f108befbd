#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The seeds' UDP echo server and TTL client between two hosts, and the TTL
# the client's datagram carries on the wire (setTTL(128)), seen by a plain
# socket on a third host.
#   unicast_ttl.sh <dir of the example programs> <netns_ttl_probe>
set -u
BIN=$1
PROBE=$2
. "$(dirname "$0")/lib.sh"

netns_setup h1=10.77.0.1/24 h2=10.77.0.2/24 h3=10.77.0.3/24

start h1 server "$BIN/udp_echo_server" 41234 10.77.0.1
wait_for server "listening on 10.77.0.1:41234"
in_ns h2 "$BIN/udp_client_ttl" 41234 10.77.0.1 >"$WORK/client" 2>&1 || die "client: $(cat "$WORK/client")"
expect client "^发送了个6字节"
expect client "^珠峰$"
expect client "^{ address: '10.77.0.1', family: 'IPv4', port: 41234, size: 6 }"
expect server "^珠峰$"
expect server "^{ address: '10.77.0.2', family: 'IPv4', port: [0-9]*, size: 6 }"

start h3 probe "$PROBE" -p 41234 -n 2 -e
wait_for probe ready
in_ns h2 "$BIN/udp_client_ttl" 41234 10.77.0.3 >"$WORK/client128" 2>&1 || die "client: $(cat "$WORK/client128")"
in_ns h2 "$BIN/udp_client_ttl" 41234 10.77.0.3 ttl-9 9 >"$WORK/client9" 2>&1 || die "client: $(cat "$WORK/client9")"
expect probe "^ttl 128 珠峰$"
expect probe "^ttl 9 ttl-9$"
expect client9 "^ttl-9$"

echo "unicast_ttl: all checks passed"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The seeds' broadcast server and client across real interfaces: hosts on
# one bridge, the server on 10.77.0.1 answering every datagram with a
# broadcast to 10.77.0.255:41235.
#   - every client listening on 41235 in the subnet gets each broadcast,
#     the server's own host included;
#   - a host on the same wire but in another subnet (10.77.1.9/24), and a
#     socket of the subnet on another port, get nothing;
#   - without SO_BROADCAST the kernel refuses: shown by a client's own
#     send to the broadcast address ("send EACCES").
#   broadcast.sh <dir of the example programs> <netns_ttl_probe>
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"

netns_setup h1=10.77.0.1/24 h2=10.77.0.2/24 h3=10.77.0.3/24 h9=10.77.1.9/24

start h1 server "$BIN/udp_broadcast_server" 10.77.0.1 10.77.0.255 41234 41235
wait_for server "listening on 10.77.0.1:41234"
for h in h1 h2 h3 h9; do
  start $h client.$h "$BIN/udp_broadcast_client" -q -n 2
  wait_for client.$h "listening on 0.0.0.0:41235"
done
start h2 otherport "$BIN/udp_broadcast_client" -q -p 41236
wait_for otherport "listening on 0.0.0.0:41236"

in_ns h2 "$BIN/udp_broadcast_client" -p 41237 -n 0 -m ping-1 10.77.0.1 41234 >"$WORK/sender1" 2>&1 ||
  die "sender 1: $(cat "$WORK/sender1")"
wait_for client.h2 "ping-1"
in_ns h3 "$BIN/udp_broadcast_client" -p 41237 -n 0 -m ping-2 10.77.0.1 41234 >"$WORK/sender2" 2>&1 ||
  die "sender 2: $(cat "$WORK/sender2")"
for h in h1 h2 h3; do
  wait_for client.$h "ping-2"
  expect client.$h "^received : 已经接收客户端发送的数据ping-1 from 10.77.0.1:41234"
  expect client.$h "^received : 已经接收客户端发送的数据ping-2 from 10.77.0.1:41234"
done
expect server "^ping-1 from 10.77.0.2:41237"
expect server "^ping-2 from 10.77.0.3:41237"
sleep 0.3
expect_none client.h9 "^received"
expect_none otherport "^received"

# A broadcast without setBroadcast(true): the kernel says EACCES.
in_ns h2 "$BIN/udp_broadcast_client" -p 41238 -n 0 -m nope 10.77.0.255 41235 >"$WORK/nobroadcast" 2>&1
expect nobroadcast "send EACCES 10.77.0.255:41235"

echo "broadcast: all checks passed"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# cnet-chat over a link that loses 5 % of the packets and delays the rest
# 50 ms each way: the server in one namespace, three clients (Node, over
# raw sockets) in the other. Every reader gets every line of the others,
# whole and in the order the room said them (its transcript), and the
# server exits cleanly with no sanitizer report.
#   chat_netem.sh <cnet-chat> <netns_lossy_link> <node>
set -eu
CHAT=$1
RELAY=$2
NODE=$3
HERE=$(dirname "$0")
. "$HERE/lib.sh"

netns_lossy "$RELAY" srv=10.78.0.1 cli=10.78.0.2

start srv server "$CHAT" --host 10.78.0.1 --port 0 --log "$WORK/room.log"
SERVER=$(last_pid)
wait_for server "^cnet-chat listening on 10.78.0.1:"
PORT=$(sed -n 's/^cnet-chat listening on 10\.78\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/server")

t0=$(date +%s)
in_ns cli "$NODE" "$HERE/chat_netem.js" talk 10.78.0.1 "$PORT" "$WORK" >"$WORK/talk" 2>&1 ||
  { cat "$WORK/talk" "$WORK/server" >&2; die "the clients did not all read every line"; }
cat "$WORK/talk"
echo "the talk took $(($(date +%s) - t0)) s"

kill -TERM "$SERVER"
wait_exit "$SERVER"
status=0
wait "$SERVER" || status=$?
[ "$status" = 0 ] || { cat "$WORK/server" >&2; die "cnet-chat exited with status $status"; }
expect_none server "Sanitizer\|runtime error"
"$NODE" "$HERE/chat_netem.js" transcript "$WORK/room.log" "$WORK" ||
  die "the readers' lines differ from the room's transcript"
lossy_report
echo "chat_netem: all checks passed"

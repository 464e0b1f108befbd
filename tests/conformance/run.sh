#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Runs one conformance scenario: the Node script and the cnet program, each in
# the same fresh working directory, and fails on any difference between their
# traces. Ephemeral ports (32768-65535, printed after ':', '=' or ' ') are
# masked as PORT so that runs compare.
#   run.sh <cnet-program> <node-script>
set -u
prog=$1
script=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/cnet-conf.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

mask() {
  sed -E 's/([:= ])(3276[89]|327[7-9][0-9]|32[89][0-9]{2}|3[3-9][0-9]{3}|[45][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])\b/\1PORT/g'
}

mkdir "$dir/run"
(cd "$dir/run" && node "$script") >"$dir/node.raw" 2>"$dir/node.err"
node_rc=$?
rm -rf "$dir/run" && mkdir "$dir/run"
(cd "$dir/run" && "$prog") >"$dir/cnet.raw" 2>"$dir/cnet.err"
cnet_rc=$?

echo "exit $node_rc" >>"$dir/node.raw"
echo "exit $cnet_rc" >>"$dir/cnet.raw"
mask <"$dir/node.raw" >"$dir/node.trace"
mask <"$dir/cnet.raw" >"$dir/cnet.trace"

if diff -u --label node "$dir/node.trace" --label cnet "$dir/cnet.trace"; then
  echo "conformance: $(basename "$script" .js): $(wc -l <"$dir/node.trace") lines agree"
  exit 0
fi
echo "--- node stderr"; cat "$dir/node.err"
echo "--- cnet stderr"; cat "$dir/cnet.err"
exit 1

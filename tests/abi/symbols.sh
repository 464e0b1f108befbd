#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# What the shared library offers the programs linked against it: its
# SONAME (libcnet.so.<major>) and every function it exports with the
# version node it carries, checked against symbols.txt. A function gone
# or moved to another node breaks those programs; a new one must be in
# the node of the release that adds it (docs/abi.md). Fails naming each.
# Usage: symbols.sh <libcnet.so> <symbols.txt> <major> <minor>
lib=$1
table=$2
major=$3
node=CNET_$3.$4
status=0
export LC_ALL=C

soname=$(readelf -d -W "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$soname" != "libcnet.so.$major" ]; then
  echo "SONAME is '$soname', not libcnet.so.$major: it follows the major"
  status=1
fi

# "name node" for each symbol the library defines and exports; readelf
# prints it as name@@node (the default) or name@node (an older version
# kept for programs linked against it). The nodes themselves are ABS.
exported=$(mktemp)
listed=$(mktemp)
trap 'rm -f "$exported" "$listed"' EXIT
readelf --dyn-syms -W "$lib" |
  awk 'NF >= 8 && $7 != "UND" && $7 != "ABS" && ($5 == "GLOBAL" || $5 == "WEAK") {
         n = split($8, p, "@"); print p[1], (n > 1 ? p[n] : "(none)") }' |
  sort -u >"$exported"
grep -v '^#' "$table" | grep -v '^[[:space:]]*$' | sort -u >"$listed"

# Lines only in symbols.txt, then only in the library.
comm -23 "$listed" "$exported" | while read -r name ver; do
  echo "$name ($ver) is no longer exported: programs linked against it"
  echo "  would not start. Only a new major may remove or rename a function."
done
comm -13 "$listed" "$exported" | while read -r name ver; do
  if [ "$ver" = "$node" ]; then
    echo "$name ($ver) is new: append \"$name $ver\" to $table"
    echo "  (if $node is already released, the function needs a minor release"
    echo "  and a node of its own in src/cnet.map: docs/abi.md)."
  else
    echo "$name is exported as $ver, but this is $node: a function added"
    echo "  now goes in the $node node of src/cnet.map, named there (the"
    echo "  pattern of CNET_$major.0 takes any name no node writes out), and"
    echo "  in $table as \"$name $node\"; a name that is no API wants two"
    echo "  underscores (cnet__x)."
  fi
done
[ -s "$exported" ] || { echo "$lib exports nothing"; status=1; }
if ! cmp -s "$listed" "$exported"; then status=1; fi
[ $status -eq 0 ] &&
  echo "symbols: $soname, $(wc -l <"$exported") functions, as symbols.txt lists them"
exit $status

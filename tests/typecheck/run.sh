#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The compile-time checks of the public headers (docs/conventions.md, "Type
# checking"): every misuse in misuse.c, one per MISUSE(n) block, must fail
# to compile with an error about the _Generic selection, while the same
# calls with the right objects (uses.c) compile cleanly.
# Usage: run.sh <C compiler> <include dir> <generated include dir> <this directory>
# (the generated one is the build's, which holds cnet/version.h).
cc=$1
inc=$2
gen=$3
dir=$4
status=0
flags="-std=c11 -Wall -Wextra -Werror -fsyntax-only -I$inc -I$gen"

if ! $cc $flags "$dir/uses.c" 2>/tmp/cnet-typecheck.$$; then
  echo "uses.c: the right objects do not compile:"
  cat /tmp/cnet-typecheck.$$
  status=1
fi
n=$(grep -c '^#if MISUSE ==' "$dir/misuse.c")
[ "$n" -gt 0 ] || { echo "misuse.c has no MISUSE block"; exit 1; }
i=1
while [ "$i" -le "$n" ]; do
  if $cc $flags -DMISUSE="$i" "$dir/misuse.c" 2>/tmp/cnet-typecheck.$$; then
    echo "misuse $i compiles: $(grep -A1 "^#if MISUSE == $i\$" "$dir/misuse.c" | tail -1)"
    status=1
  elif ! grep -q "_Generic" /tmp/cnet-typecheck.$$; then
    echo "misuse $i fails for another reason:"
    cat /tmp/cnet-typecheck.$$
    status=1
  fi
  i=$((i + 1))
done
rm -f /tmp/cnet-typecheck.$$
[ $status -eq 0 ] && echo "typecheck: uses.c compiles, $n misuses refused"
exit $status

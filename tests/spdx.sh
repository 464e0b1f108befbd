#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Every source file says its license (LICENSE, MIT) in an SPDX line within
# its first lines, with the copyright line after it: this fails for each
# file that does not. Fuzz corpora, benchmark output and docs are not
# source. Usage: spdx.sh <source dir>
root=$1
status=0
count=0
for f in $(cd "$root" && find src include apps examples tests bench scripts .ci cmake \
             -type f \( -name '*.c' -o -name '*.h' -o -name '*.js' -o -name '*.sh' \
             -o -name '*.awk' -o -name '*.map' -o -name '*.1' -o -name '*.dict' \
             -o -name '*.cmake' -o -name '*.in' \
             -o -name CMakeLists.txt -o -name arch-check -o -name run \) \
             -not -path '*/corpus/*' -not -path 'bench/results/*') \
         CMakeLists.txt Makefile; do
  count=$((count + 1))
  if ! head -n 3 "$root/$f" | grep -q 'SPDX-License-Identifier: MIT'; then
    echo "$f: no SPDX-License-Identifier line at the top"
    status=1
  elif ! head -n 4 "$root/$f" | grep -q 'Copyright (c) [0-9]* The cnet authors'; then
    echo "$f: no copyright line under its SPDX line"
    status=1
  fi
done
[ -f "$root/LICENSE" ] || { echo "LICENSE is missing"; status=1; }
[ $status -eq 0 ] && echo "spdx: $count source files, each with its SPDX and copyright lines"
exit $status

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The build names its files one by one (no globs), so a file added to the
# tree but not to its list would be left out without a word: a source not
# compiled, a test or scenario never run. This fails for each such file.
# Usage: listed.sh <source dir>
root=$1
status=0

# listed <CMakeLists.txt> <name as its list spells it> <the file>
listed() {
  if ! sed 's/^[[:space:]]*//; s/[[:space:]]*$//' "$root/$1" | grep -qxF "$2"; then
    echo "$3 is not listed in $1"
    status=1
  fi
}

for f in "$root"/src/*.c; do
  n=${f##*/}
  case $n in poll_*.c) continue ;; esac # poll_${CNET_BACKEND}.c picks one
  listed CMakeLists.txt "$n" "src/$n"
done
for f in "$root"/examples/*.c; do
  n=${f##*/}
  listed examples/CMakeLists.txt "${n%.c}" "examples/$n"
done
for d in unit internal redis tls; do
  for f in "$root"/tests/$d/test_*.c; do
    n=${f##*/test_}
    listed tests/$d/CMakeLists.txt "${n%.c}" "tests/$d/test_$n"
  done
done
for f in "$root"/tests/conformance/*.js; do
  n=${f##*/}
  listed tests/conformance/CMakeLists.txt "${n%.js}" "tests/conformance/$n"
done
for f in "$root"/apps/cnet-chat/*.c; do
  n=${f##*/}
  [ "$n" = main.c ] && continue
  listed tests/fuzz/CMakeLists.txt "\${FUZZ_CHAT_DIR}/$n" "apps/cnet-chat/$n"
done
exit $status

# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Sourced by the tests that read the public headers with awk
# (tests/abi/structs.sh, tests/docs/node-map.sh): an awk function that
# gives a line of C without its comments, /* */ ones spanning lines (the
# state is in the global in_comment) and // ones. Use it as
#   awk "$STRIP_C_COMMENTS"'  ...program... '
STRIP_C_COMMENTS='
function strip_comments(s,    out, i) {
  out = ""
  while (s != "") {
    if (in_comment) {
      i = index(s, "*/")
      if (i == 0) return out
      s = substr(s, i + 2)
      in_comment = 0
    } else {
      i = index(s, "/*")
      if (i == 0) { out = out s; break }
      out = out substr(s, 1, i - 1) " "
      s = substr(s, i + 2)
      in_comment = 1
    }
  }
  sub(/\/\/.*/, "", out)
  return out
}
'

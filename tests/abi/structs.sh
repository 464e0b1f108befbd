#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The layout of every public struct, field by field, against structs.txt.
# A program compiled against 1.0 allocates, embeds or fills these structs
# with 1.0's layout, so no field may change, move or go while the major
# stays; fields may only be added at the end, and only where docs/abi.md
# says how (an options struct, with a new symbol version of each function
# that takes it). A field is its declaration with the comments left out
# and an array's size as a number, so that a bigger buffer counts too.
# Fails naming each struct that differs, and what the rules allow.
# Usage: structs.sh <source dir> <structs.txt>
. "$(dirname "$0")/../lib/strip_c_comments.sh"
root=$1
table=$2
export LC_ALL=C
current=$(mktemp)
trap 'rm -f "$current"' EXIT

# Pass 1 notes "#define NAME number"; pass 2 prints each field of each
# struct with a body as "struct: declaration".
awk "$STRIP_C_COMMENTS"'

# Array sizes written as a constant of the headers become its number.
function sizes(d,    out, name) {
  out = ""
  while (match(d, /\[[A-Z_][A-Z0-9_]*\]/)) {
    name = substr(d, RSTART + 1, RLENGTH - 2)
    out = out substr(d, 1, RSTART - 1) "[" (name in defs ? defs[name] : name) "]"
    d = substr(d, RSTART + RLENGTH)
  }
  return out d
}

function field(d) {
  gsub(/[ \t]+/, " ", d)
  sub(/^ /, "", d); sub(/ $/, "", d)
  if (d != "") print name ": " sizes(d)
}

FNR == 1 { in_comment = 0 }
pass == 1 {
  if ($1 == "#define" && $3 ~ /^[0-9]+$/) defs[$2] = $3
  next
}
{
  line = strip_comments($0)
  if (line ~ /^[ \t]*#/) next
  if (!name && match(line, /^(typedef )?struct cnet_[a-z0-9_]+ *\{/)) {
    name = substr(line, RSTART, RLENGTH)
    sub(/^(typedef )?struct /, "", name); sub(/ *\{$/, "", name)
    body = ""; line = substr(line, RSTART + RLENGTH)
  }
  if (!name) next
  i = index(line, "}")
  body = body " " (i ? substr(line, 1, i - 1) : line)
  if (!i) next
  n = split(body, decls, ";")
  for (k = 1; k <= n; k++) field(decls[k])
  name = ""
}
' pass=1 "$root"/include/cnet/*.h pass=2 "$root"/include/cnet/*.h >"$current"

# Compare struct by struct: the same fields, or the table's followed by
# new ones, or something else.
awk -v table="$table" '
/^#/ || /^[ \t]*$/ { next }
{
  s = $0; sub(/: .*/, "", s); d = substr($0, length(s) + 3)
  if (!(s in seen)) { seen[s] = 1; order[++nstructs] = s }
  if (FILENAME == table) { in_table[s] = 1; was[s] = was[s] "\n    " d }
  else { in_headers[s] = 1; now[s] = now[s] "\n    " d }
}
END {
  status = 0
  for (i = 1; i <= nstructs; i++) {
    s = order[i]
    if (was[s] == now[s]) continue
    status = 1
    if (!(s in in_headers))
      printf "%s is gone or has no body any more: programs built against 1.0\n  allocate or read it; only a new major may change that.\n", s
    else if (!(s in in_table))
      printf "%s is a new public struct: add its fields to %s.\n", s, table
    else if (substr(now[s], 1, length(was[s])) == was[s]) {
      printf "%s has new fields at the end:%s\n", s, substr(now[s], length(was[s]) + 1)
      printf "  An options struct may grow so in a minor release, each function that\n  takes it keeping a version for callers of the old layout (docs/abi.md,\n  \"Options that grow\"); so may the structs cnet only hands out\n  (cnet_rinfo, cnet_handle_info); then append the fields to %s.\n  Any other struct grows only in a new major.\n", table
    } else
      printf "%s changed: it was%s\n  and is now%s\n  Its fields keep their order, types and sizes while the major stays\n  (docs/abi.md); new ones go at the end. A private field may be renamed\n  or reused where it is, its size and place kept: then update %s.\n", s, was[s], now[s], table
  }
  if (nstructs == 0) { print "no public struct found"; status = 1 }
  if (!status) printf "structs: %d public structs, each as %s has it\n", nstructs, table
  exit status
}
' "$table" "$current"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The reference must keep up with the headers. Every public function of
# include/cnet/*.h, of include/cnet/adapters/*.h and of the template of the generated version.h (static
# inline ones too, cnet__ internals not) must be
# named on some page of docs/ other than node-map.md; every one of net.h,
# dgram.h, addr.h and tls.h must also be in docs/node-map.md, the map from
# Node's net, dgram and tls to cnet; and every cnet name node-map.md gives must exist
# in include/. Fails naming each offender.
# Usage: node-map.sh <source dir>
. "$(dirname "$0")/../lib/strip_c_comments.sh"
root=${1:-.}
inc=$root/include/cnet
docs=$root/docs
map=$docs/node-map.md

for f in "$inc"/*.h "$map"; do
  [ -f "$f" ] || { echo "docs.node_map: $f is missing"; exit 1; }
done
pages=
for f in "$docs"/*.md; do
  [ "$f" = "$map" ] || pages="$pages $f"
done

# Files are told apart by their kind, set before each group: "h" for a
# header, "page" for a reference page, "map" for node-map.md.
# shellcheck disable=SC2086
awk "$STRIP_C_COMMENTS"'

# Every identifier of a header (comments left out) is a name that exists;
# an X-macro entry XX(NAME, ...) of errors.h makes CNET_NAME.
function note_identifiers(s,    t) {
  if (match(s, /^[ \t]*XX\([A-Z0-9_]+/)) {
    t = substr(s, RSTART, RLENGTH)
    sub(/^[ \t]*XX\(/, "", t)
    exists["CNET_" t] = 1
  }
  while (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) {
    exists[substr(s, RSTART, RLENGTH)] = 1
    s = substr(s, RSTART + RLENGTH)
  }
}

# The functions a header declares: cnet_x followed by "(" outside any
# brace (struct bodies, inline bodies) and outside preprocessor lines
# (the _Generic macros name every function again).
function note_declarations(s, file,    i, c, rest, name) {
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "{") depth++
    else if (c == "}") depth--
    else if (depth == 0 && c == "c" && (i == 1 || substr(s, i - 1, 1) !~ /[A-Za-z0-9_]/)) {
      rest = substr(s, i)
      if (match(rest, /^cnet_[a-z0-9_]*[ \t]*\(/) && rest !~ /^cnet__/) {
        name = substr(rest, 1, RLENGTH)
        sub(/[ \t]*\($/, "", name)
        if (!(name in declared)) {
          declared[name] = file
          order[++ndeclared] = name
        }
        i += RLENGTH - 1
      }
    }
  }
}

# The cnet names a page gives: cnet_x and CNET_X, whole words. A name
# written as a call, cnet_x(, is remembered as such.
function note_mentions(s, kind,    pre, name, called) {
  s = " " s
  while (match(s, /[^A-Za-z0-9_](cnet|CNET)_[A-Za-z0-9_]*/)) {
    name = substr(s, RSTART + 1, RLENGTH - 1)
    called = substr(s, RSTART + RLENGTH, 1) == "("
    s = substr(s, RSTART + RLENGTH)
    if (name ~ /^(cnet|CNET)__/ || name ~ /_$/) continue
    if (kind == "page") in_pages[name] = 1
    else {
      in_map[name] = 1
      if (called) called_in_map[name] = 1
    }
  }
}

FNR == 1 {
  kind = FILENAME ~ /\.h(\.in)?$/ ? "h" : (FILENAME == map ? "map" : "page")
  in_comment = 0; depth = 0; skip_cpp = 0; continued = 0
  file = FILENAME; sub(/.*\//, "", file); sub(/\.in$/, "", file)
}
kind == "h" {
  line = strip_comments($0)
  note_identifiers(line)
  # extern "C" { ... } sits between #ifdef __cplusplus and #endif.
  if (line ~ /^[ \t]*#[ \t]*ifdef[ \t]+__cplusplus/) { skip_cpp = 1; next }
  if (skip_cpp) { if (line ~ /^[ \t]*#[ \t]*endif/) skip_cpp = 0; next }
  if (continued || line ~ /^[ \t]*#/) { continued = line ~ /\\[ \t]*$/; next }
  note_declarations(line, file)
  next
}
{ note_mentions($0, kind) }

END {
  status = 0
  for (i = 1; i <= ndeclared; i++) {
    name = order[i]
    if (!(name in in_pages)) {
      print name " (" declared[name] ") is on no page of docs/"
      status = 1
    }
    if (declared[name] ~ /^(net|dgram|addr|tls)\.h$/ && !(name in in_map)) {
      print name " (" declared[name] ") is not in docs/node-map.md"
      status = 1
      ++unmapped
    }
    if (declared[name] ~ /^(net|dgram|addr|tls)\.h$/) ++mappable
  }
  for (name in in_map) {
    nmap++
    if (!(name in exists)) {
      print "docs/node-map.md names " name ", which include/cnet/ does not have"
      status = 1
    } else if ((name in called_in_map) && !(name in declared)) {
      print "docs/node-map.md calls " name "(), which is no public function"
      status = 1
    }
  }
  if (ndeclared == 0) { print "no public function found in include/cnet/"; status = 1 }
  printf "docs.node_map: %d public functions, %d of net/dgram/addr/tls in the map, %d cnet names in the map: %s\n", \
    ndeclared, mappable - unmapped, nmap, status ? "FAILED" : "ok"
  exit status
}
' map="$map" "$inc"/*.h "$inc"/adapters/*.h "$inc"/*.h.in $pages "$map"

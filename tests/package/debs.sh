#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The Debian packages of make package (scripts/package.sh,
# cmake/package.cmake), built and taken apart with dpkg-deb:
#  - three packages: libcnet<SOVERSION>, libcnet-dev, cnet-tools;
#  - each holds what it should and nothing more, with its copyright (the
#    MIT terms of LICENSE) and changelog.gz in /usr/share/doc/<package>;
#  - Depends: dpkg-shlibdeps' libraries, and the library package of this
#    version for the other two; the library's shlibs and ldconfig trigger;
#  - the programs are stripped, have no rpath and run against the unpacked
#    library; cnet-chat's systemd units are those of contrib/systemd;
#  - lintian finds no error (what else it says is printed).
# Usage: debs.sh <cnet source> <work dir> <C compiler> <backend> <version> <soversion>
set -eu
src=$1
work=$2
cc=$3
backend=$4
version=$5
sover=$6
build=$work/build
root=$work/root
lib=libcnet$sover
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=usr/lib/$ma
units=""
for u in cnet-chat.service cnet-chat.socket; do
  [ -f "$src/contrib/systemd/$u" ] && units="$units $u"
done
status=0

die() {
  echo "package.debs: $*" >&2
  exit 1
}
bad() {
  echo "package.debs: $*" >&2
  status=1
}
deb() { echo "$build/${1}_${version}_$arch.deb"; }

# contents <package>: its files and links, one a line, sorted.
contents() {
  dpkg-deb -c "$(deb "$1")" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./||' | sort
}

# expect <package> <paths...>: the package holds exactly these (besides
# its headers, which check_headers checks).
expect() {
  p=$1
  shift
  want=$(for f in "$@" "usr/share/doc/$p/changelog.gz" "usr/share/doc/$p/copyright"; do
           echo "$f"; done | sort)
  got=$(contents "$p" | grep -v '^usr/include/' || true)
  [ "$got" = "$want" ] || bad "$p holds
$got
and not
$want"
}

check_headers() {
  got=$(contents libcnet-dev | grep '^usr/include/' || true)
  for h in $(cd "$src/include" && find . -name '*.h' | sed 's|^\./||'); do
    echo "$got" | grep -qx "usr/include/$h" || bad "libcnet-dev lacks usr/include/$h"
  done
  echo "$got" | grep -v '\.h$' | grep . && bad "libcnet-dev: not headers in usr/include"
  return 0
}

# field <package> <field> <text>: the control field has the text.
field() {
  value=$(dpkg-deb -f "$(deb "$1")" "$2")
  case "$value" in *"$3"*) ;; *) bad "$1: $2 is '$value', without '$3'" ;; esac
}

check_control() {
  field "$lib" Section libs
  field "$lib" Depends libc6
  field libcnet-dev Section libdevel
  field libcnet-dev Depends "$lib (= $version)"
  field cnet-tools Section net
  field cnet-tools Depends "$lib (>= $version)"
  field cnet-tools Depends libc6
  field cnet-tools Depends libicu
  if [ "$backend" = uring ]; then
    field "$lib" Depends liburing
    field libcnet-dev Depends liburing-dev
  fi
  dpkg-deb -e "$(deb "$lib")" "$work/control"
  [ "$(cat "$work/control/shlibs")" = "libcnet $sover $lib (>= $version)" ] ||
    bad "$lib: shlibs is '$(cat "$work/control/shlibs")'"
  grep -qx 'activate-noawait ldconfig' "$work/control/triggers" ||
    bad "$lib: no ldconfig trigger"
}

check_docs() {
  for p in "$lib" libcnet-dev cnet-tools; do
    d=$root/usr/share/doc/$p
    head -n 1 "$d/copyright" | grep -q 'copyright-format/1.0' || bad "$p: copyright is not DEP-5"
    grep -qx 'License: MIT' "$d/copyright" || bad "$p: copyright does not say MIT"
    grep -q 'Permission is hereby granted' "$d/copyright" || bad "$p: copyright lacks the terms"
    gzip -dc "$d/changelog.gz" | head -n 1 | grep -q "^cnet ($version) " ||
      bad "$p: changelog.gz does not start with version $version"
  done
  for t in cnet-chat cnet-echo cnet-logger cnet-cat; do
    gzip -t "$root/usr/share/man/man1/$t.1.gz" || bad "$t.1.gz is not gzip"
  done
  for u in $units; do
    cmp -s "$src/contrib/systemd/$u" "$root/usr/lib/systemd/system/$u" ||
      bad "usr/lib/systemd/system/$u differs from contrib/systemd/$u"
  done
}

check_binaries() {
  so=$root/$libdir/libcnet.so.$version
  readelf -d "$so" | grep -q "SONAME.*\[libcnet\.so\.$sover\]" || bad "$so: SONAME is not libcnet.so.$sover"
  [ "$(readlink "$root/$libdir/libcnet.so")" = "libcnet.so.$sover" ] || bad "libcnet.so -> $(readlink "$root/$libdir/libcnet.so")"
  for t in cnet-chat cnet-echo cnet-logger cnet-cat; do
    exe=$root/usr/bin/$t
    readelf -S "$exe" | grep -q '\.symtab' && bad "$t is not stripped"
    readelf -d "$exe" | grep -q 'RPATH\|RUNPATH' && bad "$t has an rpath"
    LD_LIBRARY_PATH=$root/$libdir "$exe" --help >/dev/null 2>&1 || bad "$t --help fails"
  done
  grep -q '^Libs.private: -pthread' "$root/$libdir/pkgconfig/cnet.pc" || bad "cnet.pc: no -pthread"
}

"$src/scripts/package.sh" "$build" -DCMAKE_C_COMPILER="$cc" -DCNET_BACKEND="$backend" \
  >"$work.log" 2>&1 || { cat "$work.log"; die "scripts/package.sh failed"; }
set -- "$build"/*.deb
[ $# -eq 3 ] || die "not three packages: $*"
for p in "$lib" libcnet-dev cnet-tools; do
  [ -f "$(deb "$p")" ] || die "no $(deb "$p")"
done
rm -rf "$root" "$work/control"
for p in "$lib" libcnet-dev cnet-tools; do dpkg-deb -x "$(deb "$p")" "$root"; done

expect "$lib" "$libdir/libcnet.so.$sover" "$libdir/libcnet.so.$version"
expect libcnet-dev "$libdir/libcnet.a" "$libdir/libcnet.so" "$libdir/pkgconfig/cnet.pc" \
  "$libdir/cmake/cnet/cnetConfig.cmake" "$libdir/cmake/cnet/cnetConfigVersion.cmake" \
  "$libdir/cmake/cnet/cnetTargets.cmake" "$libdir/cmake/cnet/cnetTargets-release.cmake"
# shellcheck disable=SC2046 # one path a unit, none with a space
expect cnet-tools usr/bin/cnet-cat usr/bin/cnet-chat usr/bin/cnet-echo usr/bin/cnet-logger \
  usr/share/man/man1/cnet-cat.1.gz usr/share/man/man1/cnet-chat.1.gz \
  usr/share/man/man1/cnet-echo.1.gz usr/share/man/man1/cnet-logger.1.gz \
  $(for u in $units; do echo "usr/lib/systemd/system/$u"; done)
check_headers
check_control
check_docs
check_binaries

command -v lintian >/dev/null || die "lintian is missing (scripts/deps.sh test installs it)"
lint=$(lintian --fail-on error --tag-display-limit 0 "$build"/*.deb 2>&1) ||
  bad "lintian reports errors"
echo "$lint" | grep -v 'running with root privileges' || true
[ $status -eq 0 ] && echo "package.debs: $lib, libcnet-dev, cnet-tools $version as expected${units:+ (units:$units)}"
exit $status

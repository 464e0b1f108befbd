#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# cnet as a project outside it meets it: roundtrip.c (a TCP and a UDP
# round trip on 127.0.0.1) built and run each way a user builds against
# cnet. One step per CTest test (tests/consumer/CMakeLists.txt):
#   install           a Release build of the library alone, installed
#                     into <work>/prefix (the fixture the next three share)
#   pkgconfig-shared  cc $(pkg-config --cflags --libs cnet): linked to the
#                     installed libcnet.so, found at run time by an rpath
#   pkgconfig-static  cc $(pkg-config --static --cflags --libs cnet) -static:
#                     Libs.private must name all the library links
#   find-package      find_package(cnet) in a CMake project: cnet::cnet and
#                     cnet::cnet_static, and a later major version refused
#   add-subdirectory  cnet's source tree added to a CMake project: the
#                     library alone is built, and nothing of cnet's is
#                     installed with the project
# Usage: run.sh <step> <cnet source> <work dir> <C compiler> <backend> <version>
set -eu
step=$1
src=$2
work=$3
cc=$4
backend=$5
version=$6
here=$src/tests/consumer
prefix=$work/prefix
# Run from make test: the nested builds are not part of its jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL

die() {
  echo "consumer $step: $*" >&2
  exit 1
}

# cmake_build <source> <build dir> [-D...]: a quiet Release configure and
# build with the test build's compiler; the output shows on failure only.
cmake_build() {
  s=$1
  b=$2
  shift 2
  log=$b.log
  rm -rf "$b"
  mkdir -p "$(dirname "$b")"
  if ! { cmake -S "$s" -B "$b" -DCMAKE_BUILD_TYPE=Release \
           -DCMAKE_C_COMPILER="$cc" "$@" &&
         cmake --build "$b" -j 2; } >"$log" 2>&1; then
    cat "$log"
    die "the build in $b failed"
  fi
}

# run_roundtrip <program>: it must print both round trips ok.
run_roundtrip() {
  out=$("$1") || die "$1 failed: $out"
  echo "$out"
  echo "$out" | grep -q '^tcp round trip: ok$' || die "$1: no TCP round trip"
  echo "$out" | grep -q '^udp round trip: ok$' || die "$1: no UDP round trip"
}

# needs_libcnet <program> yes|no: whether it loads the shared library.
needs_libcnet() {
  if readelf -d "$1" | grep -q 'NEEDED.*\[libcnet\.so'; then has=yes; else has=no; fi
  [ "$has" = "$2" ] || die "$1: needs libcnet.so: $has, expected $2"
}

step_install() {
  rm -rf "$prefix"
  cmake_build "$src" "$work/cnet" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCNET_BACKEND="$backend" -DCNET_BUILD_TOOLS=OFF \
    -DCNET_BUILD_EXAMPLES=OFF -DCNET_BUILD_TESTS=OFF
  cmake --install "$work/cnet" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; die "install failed"; }
  find "$prefix" -name cnet.pc | grep -q . || die "no cnet.pc in $prefix"
  find "$prefix" -name cnetConfig.cmake | grep -q . || die "no cnetConfig.cmake in $prefix"
  echo "cnet $version installed into $prefix"
}

use_pkgconfig() {
  PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name cnet.pc)")
  export PKG_CONFIG_PATH
  got=$(pkg-config --modversion cnet) || die "pkg-config does not find cnet"
  [ "$got" = "$version" ] || die "pkg-config says version $got, not $version"
  mkdir -p "$work/$step"
}

step_pkgconfig_shared() {
  use_pkgconfig
  exe=$work/$step/roundtrip
  libdir=$(pkg-config --variable=libdir cnet)
  # shellcheck disable=SC2046
  "$cc" -Wall -Wextra -Werror -o "$exe" "$here/roundtrip.c" \
    $(pkg-config --cflags --libs cnet) -Wl,-rpath,"$libdir" ||
    die "the program does not build"
  needs_libcnet "$exe" yes
  # The library it loads is the installed one.
  loaded=$(ldd "$exe" | awk '/libcnet\.so/ { print $3 }')
  [ "$(readlink -f "$loaded")" = "$(readlink -f "$libdir"/libcnet.so.*.*)" ] ||
    die "loads $loaded, not the library installed in $libdir"
  run_roundtrip "$exe"
}

step_pkgconfig_static() {
  use_pkgconfig
  exe=$work/$step/roundtrip
  # glibc warns that a static getaddrinfo needs its shared NSS modules at
  # run time: true, and harmless for numeric addresses.
  # shellcheck disable=SC2046
  "$cc" -Wall -Wextra -Werror -o "$exe" "$here/roundtrip.c" \
    $(pkg-config --static --cflags --libs cnet) -static 2>"$work/$step/link.log" ||
    { cat "$work/$step/link.log"; die "the program does not link statically"; }
  readelf -d "$exe" 2>&1 | grep -q 'no dynamic section' || die "$exe is not static"
  run_roundtrip "$exe"
}

step_find_package() {
  next_major=$((${version%%.*} + 1))
  cmake_build "$here/find_package" "$work/$step" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCNET_VERSION="$version" -DCNET_NEXT_MAJOR="$next_major"
  needs_libcnet "$work/$step/roundtrip_shared" yes
  needs_libcnet "$work/$step/roundtrip_static" no
  run_roundtrip "$work/$step/roundtrip_shared"
  run_roundtrip "$work/$step/roundtrip_static"
}

step_add_subdirectory() {
  b=$work/$step
  rm -rf "$b.prefix"
  cmake_build "$here/add_subdirectory" "$b" -DCNET_SOURCE_DIR="$src" \
    -DCNET_BACKEND="$backend" -DCMAKE_INSTALL_PREFIX="$b.prefix"
  needs_libcnet "$b/roundtrip" yes
  run_roundtrip "$b/roundtrip"
  run_roundtrip "$b/roundtrip_static"
  # Only the library was built: none of cnet's tools, examples or tests
  # (cnet puts its programs in bin/ of the build).
  for exe in cnet-chat cnet-echo cnet-logger cnet-cat echo_server \
             udp_echo_server stream_diff; do
    [ -z "$(find "$b" -name "$exe" -type f)" ] || die "cnet's $exe was built"
  done
  [ -z "$(ls -A "$b/bin" 2>/dev/null)" ] || die "cnet built programs: $(ls "$b/bin")"
  # The project's install has the project's program and nothing of cnet's.
  cmake --install "$b" >"$b.install.log" 2>&1 ||
    { cat "$b.install.log"; die "install failed"; }
  installed=$(cd "$b.prefix" && find . -type f -o -type l | sort)
  [ "$installed" = "./bin/roundtrip" ] ||
    die "the project's install has more than its program: $installed"
  echo "built: the library and roundtrip; installed: $installed"
}

case $step in
  install | pkgconfig-shared | pkgconfig-static | find-package | add-subdirectory)
    "step_$(echo "$step" | tr - _)" ;;
  *) die "unknown step" ;;
esac

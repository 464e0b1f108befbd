#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Builds cnet's Debian packages (cmake/package.cmake says what is in each):
# a Release build of the library and the tools for the prefix /usr, with
# Debian's build flags (dpkg-buildflags, all hardening on), packed by
# CPack's DEB generator. make package runs it; so does the package.debs test.
# Usage: scripts/package.sh <build dir> [cmake arguments...]
# The packages land in <build dir>, and their names are printed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1
shift
unset MAKEFLAGS MFLAGS MAKELEVEL # when make runs it: a build of its own

cd "$src" # dpkg-buildflags maps the current directory away in debug paths
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
# -g0: no debug symbols package is made, so the static library has nothing
# to keep them for (CPack strips the programs and the shared library).
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS) -g0"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCNET_BUILD_TOOLS=ON -DCNET_BUILD_EXAMPLES=OFF -DCNET_BUILD_TESTS=OFF "$@" >/dev/null
cmake --build "$build" -j "${JOBS:-2}"
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log"; exit 1; }
ls "$build"/*.deb

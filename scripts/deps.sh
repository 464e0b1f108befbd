#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# Installs what the build or the tests need, only when it is missing.
#   scripts/deps.sh build   cmake, make, pkg-config, a C compiler (clang if CC=clang),
#                           OpenSSL 3 (tls), ICU and hiredis (cnet-chat)
#   scripts/deps.sh test    the above, cmocka, node (the conformance diffs and the
#                           tests' Node clients), iproute2 (netns tests), and the
#                           real clients the tool tests drive: telnet (in tmux), nc,
#                           systemd-analyze (cnet-chat's units), and redis-server
#                           (the hiredis adapter's and the chat cluster's tests)
#   scripts/deps.sh bench   the build's, the peers' libraries (libuv, libevent),
#                           node, taskset, gnuplot, redis-server and the openssl
#                           CLI (make bench)
#   scripts/deps.sh fuzz    the build's, clang and its libFuzzer runtime (make fuzz)
#   scripts/deps.sh package the build's and dpkg-dev (dpkg-shlibdeps) for the
#                           Debian packages (make package); the test set has
#                           these too, and lintian, which the package test runs
#   CNET_BACKEND=uring      any of the above, plus liburing for the io_uring poller
# Runs apt-get only when something is missing, and 'apt-get update' once.
set -eu
what=${1:-build}
missing=""

need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_hdr() { [ -f "$1" ] || missing="$missing $2"; }

need_cmd cmake cmake
need_cmd make make
need_cmd cc gcc
need_cmd pkg-config pkg-config
# tls: OpenSSL 3's headers and libraries; the tests also drive its CLI
# (certificates made at run time, s_server and s_client as peers).
need_hdr /usr/include/openssl/ssl.h libssl-dev
# cnet-chat's Unicode (normalization, confusables): ICU; its cluster
# (--redis): hiredis.
need_hdr /usr/include/unicode/uspoof.h libicu-dev
need_hdr /usr/include/hiredis/async.h libhiredis-dev
case "${CC:-cc}" in *clang*) need_cmd "${CC}" clang ;; esac
if [ "$what" = test ]; then
  need_hdr /usr/include/cmocka.h libcmocka-dev
  need_cmd node nodejs
  need_cmd openssl openssl
  need_cmd diff diffutils
  need_cmd nm binutils # scripts/arch-check
  need_cmd ip iproute2
  need_cmd telnet telnet
  need_cmd tmux tmux
  need_cmd nc.openbsd netcat-openbsd
  # contrib/systemd's units, checked by systemd-analyze (never booted).
  need_cmd systemd-analyze systemd
  # The hiredis adapter's and the chat cluster's tests: a Redis server.
  need_cmd redis-server redis-server
fi
if [ "$what" = package ] || [ "$what" = test ]; then
  need_cmd dpkg-shlibdeps dpkg-dev
  need_cmd readelf binutils # the shlibs file of the library's package
  need_cmd file file        # CPack picks the files dpkg-shlibdeps reads
fi
if [ "$what" = test ]; then
  need_cmd lintian lintian
fi
if [ "$what" = bench ]; then
  need_hdr /usr/include/uv.h libuv1-dev
  need_hdr /usr/include/event2/bufferevent.h libevent-dev
  need_cmd node nodejs
  need_cmd taskset util-linux
  need_cmd gnuplot gnuplot-nox
  need_cmd redis-server redis-server # S7C: cnet-chat's cluster
  need_cmd openssl openssl           # S9, S10: the run's certificate
fi
if [ "$what" = fuzz ]; then
  need_cmd clang clang
  # libFuzzer ships in clang's runtime directory, packaged apart from clang.
  if ! command -v clang >/dev/null 2>&1 ||
     [ ! -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
    missing="$missing libclang-rt-dev"
  fi
fi
# The io_uring poller (-DCNET_BACKEND=uring), and bench's cnet_uring peer.
if [ "${CNET_BACKEND:-epoll}" = uring ] || [ "$what" = bench ]; then
  need_hdr /usr/include/liburing.h liburing-dev
fi

[ -z "$missing" ] && exit 0
echo "cnet: installing missing packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

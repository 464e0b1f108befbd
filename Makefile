# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# The user-facing commands. CMake does the building; this file picks the
# build directory, installs what is missing (scripts/deps.sh) and runs.
#   make          build the library (build/lib) and programs (build/bin)
#   make test     build and run every test under ASan+UBSan (and TSan for
#                 threaded tests); CC=clang make test does the same with clang,
#                 BACKEND=uring make test with the io_uring poller
#   make run      start the chat server on 127.0.0.1:8088
#   make install  install the library, headers, pkg-config and CMake files,
#                 and the tools (PREFIX=/usr/local)
#   make package  Debian packages of the library, its development files and
#                 the tools (scripts/package.sh): build/package/*.deb
#   make stress   the randomized differential stream test with more seeds
#                 than make test plays: SEEDS=N (default 2000) from FIRST
#                 (default: a new one each run, printed), JOBS at a time
#   make bench    build the benchmark peers and run bench/run.sh: cnet against
#                 epoll, libuv, libevent and Node; writes bench/results/
#   make fuzz     build the libFuzzer targets of tests/fuzz with clang (ASan,
#                 UBSan) into build/fuzz and run each for FUZZ_SECONDS (300),
#                 one after the other; what they find is merged, minimized,
#                 into tests/fuzz/corpus/<target>/, which make test replays.
#                 FUZZ_TARGETS="telnet lines" runs only those (tests/fuzz/README.md)
#   make soak     SOAK_SECONDS (default 600) of mixed chat/echo/logger/cat load,
#                 with resets, against the tools built as make test builds
#                 them (ASan+UBSan); checks each server is back to its baseline
#                 of fds and RSS and still answers; writes build/soak/<time>/
#                 (scripts/soak.sh; results in docs/reliability.md). Not part
#                 of make test.

CC      ?= cc
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
BACKEND ?=
CCNAME  := $(notdir $(firstword $(CC)))
BSUFFIX := $(if $(BACKEND),-$(BACKEND))
BUILD   := build
TBUILD  := build/test-$(CCNAME)$(BSUFFIX)
TSBUILD := build/tsan-$(CCNAME)$(BSUFFIX)
BBUILD  := build/bench
FBUILD  := build/fuzz
PKBUILD := build/package
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?=
# Every build here treats warnings as errors (CNET_WERROR); a plain cmake
# build does not.
CMAKE_Q := -DCMAKE_C_COMPILER=$(firstword $(CC)) -DCNET_WERROR=ON \
           $(if $(BACKEND),-DCNET_BACKEND=$(BACKEND))
export CNET_BACKEND := $(BACKEND)
MAKEFLAGS += --no-print-directory

.PHONY: all build test test-asan test-tsan stress run install package bench fuzz soak clean

all: build

build:
	@scripts/deps.sh build
	@cmake -S . -B $(BUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCNET_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: test-asan test-tsan

test-asan:
	@scripts/deps.sh test
	@cmake -S . -B $(TBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=address >/dev/null
	@cmake --build $(TBUILD) -j $(JOBS)
	@cd $(TBUILD) && ctest --output-on-failure -j $$(( $(JOBS) * 2 ))

# Threaded code again under ThreadSanitizer (tests labelled "threads").
test-tsan:
	@scripts/deps.sh test
	@cmake -S . -B $(TSBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=thread >/dev/null
	@cmake --build $(TSBUILD) -j $(JOBS)
	@cd $(TSBUILD) && ctest --output-on-failure -j $(JOBS) -L threads

# Seeds beyond make test's: each differing seed prints its script's path,
# which reproduces it (node tests/random/stream_diff.js SCRIPT, and the
# cnet player on the same file).
SEEDS ?= 2000
FIRST ?= $(shell echo $$(( $$(date +%s) % 1000000 + 10000 )))
stress:
	@scripts/deps.sh test
	@cmake -S . -B $(TBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=address >/dev/null
	@cmake --build $(TBUILD) -j $(JOBS) --target stream_diff
	@echo "stream_diff: seeds $(FIRST) to $$(( $(FIRST) + $(SEEDS) - 1 ))"
	@node tests/random/run.js $(TBUILD)/bin/stream_diff $(FIRST) $(SEEDS) $(JOBS)

run: build
	@exec $(BUILD)/bin/cnet-chat

# Run as root, the install tells the dynamic linker's cache of the new
# libcnet.so.N, so that a program linked with -lcnet starts at once when
# the libdir is one the linker searches (/usr/local/lib on Debian).
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)
	@if [ "$$(id -u)" -eq 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

package:
	@scripts/deps.sh package
	@scripts/package.sh $(PKBUILD) -DCMAKE_C_COMPILER=$(firstword $(CC)) \
	    $(if $(BACKEND),-DCNET_BACKEND=$(BACKEND))

# Benchmarks: a build of their own (bench/CMakeLists.txt, the library
# at -O2 -g) and a run of every scenario; never part of make test.
bench:
	@scripts/deps.sh bench
	@cmake -S bench -B $(BBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BBUILD) -j $(JOBS)
	@bench/run.sh $(BBUILD)/bin

# Fuzzing: a clang build of its own with libFuzzer; never part of make test
# (which replays the corpora with any compiler).
fuzz:
	@scripts/deps.sh fuzz
	@cmake -S . -B $(FBUILD) -DCMAKE_C_COMPILER=clang -DCNET_WERROR=ON \
	    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DCNET_FUZZ=ON \
	    -DCNET_BUILD_TESTS=OFF \
	    -DCNET_SANITIZE=address >/dev/null
	@cmake --build $(FBUILD) -j $(JOBS) --target fuzzers
	@tests/fuzz/run.sh $(FBUILD)/bin $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The soak (docs/reliability.md): the tools from the ASan test build, a
# long run of mixed load against them; never part of make test.
soak:
	@scripts/deps.sh test
	@cmake -S . -B $(TBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=address >/dev/null
	@cmake --build $(TBUILD) -j $(JOBS) --target cnet-chat cnet-echo cnet-logger cnet-cat
	@scripts/soak.sh $(TBUILD)/bin

clean:
	rm -rf build

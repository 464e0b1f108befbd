# The user-facing commands. CMake does the building; this file picks the
# build directory, installs what is missing (scripts/deps.sh) and runs.
#   make          build the library and programs into build/bin
#   make test     build and run every test under ASan+UBSan (and TSan for
#                 threaded tests); CC=clang make test does the same with clang,
#                 BACKEND=uring make test with the io_uring poller
#   make run      start the chat server on 127.0.0.1:8088
#   make install  install the library and headers (PREFIX=/usr/local)
#   make bench    build the benchmark peers and run bench/run.sh: cnet against
#                 epoll, libuv, libevent and Node; writes bench/results/ (issue 7)
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
CMAKE_Q := -DCMAKE_C_COMPILER=$(firstword $(CC)) $(if $(BACKEND),-DCNET_BACKEND=$(BACKEND))
export CNET_BACKEND := $(BACKEND)
MAKEFLAGS += --no-print-directory

.PHONY: all build test test-asan test-tsan run install bench soak clean

all: build

build:
	@scripts/deps.sh build
	@cmake -S . -B $(BUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: test-asan test-tsan

test-asan:
	@scripts/deps.sh test
	@cmake -S . -B $(TBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=address >/dev/null
	@cmake --build $(TBUILD) -j $(JOBS)
	@cd $(TBUILD) && ctest --output-on-failure -j $$(( $(JOBS) * 2 )) -LE tsan-only

# Threaded code again under ThreadSanitizer (tests labelled "threads").
test-tsan:
	@scripts/deps.sh test
	@cmake -S . -B $(TSBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=Debug \
	    -DCNET_BUILD_TESTS=ON -DCNET_SANITIZE=thread >/dev/null
	@cmake --build $(TSBUILD) -j $(JOBS)
	@cd $(TSBUILD) && ctest --output-on-failure -j $(JOBS) -L threads

run: build
	@if [ -x $(BUILD)/bin/cnet-chat ]; then exec $(BUILD)/bin/cnet-chat; \
	 else echo "cnet-chat is not part of this build yet (see issue 6)"; exit 1; fi

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

# Benchmarks (issue 7): a build of their own (bench/CMakeLists.txt, the library
# at -O2 -g) and a run of every scenario; never part of make test.
bench:
	@scripts/deps.sh bench
	@cmake -S bench -B $(BBUILD) $(CMAKE_Q) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BBUILD) -j $(JOBS)
	@bench/run.sh $(BBUILD)/bin

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

# battrace: build, test, conformance and benchmarks.
#   make            build ./battrace (profile-guided: see PGO below)
#   make test       build and run the Criterion suite
#   make sanitize   the suite and the whole conformance under ASan + UBSan (and a quick
#                   one with temporaries dropped after nearly every call)
#   make tsan       record, replay and --verify on the examples under TSan
#   make conformance  compare `battrace run --json` rows with pyref.py rows
#   make bench      speed against the Python oracle
#   make fuzz       the trace reader, and the parser with the interpreter, under mutation fuzzers (FUZZ_SECONDS=60 each)
#   make difffuzz   random programs through pyref.py and battrace, rows compared (DIFFFUZZ_ROUNDS=200 each kind)
#   make deps       install the Debian packages the build needs
CC      ?= gcc
SHARED  ?= ../shared
BUILD   ?= build
OPT     ?= -O2
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wno-unused-parameter \
           -Wshadow -Wstrict-prototypes -Wmissing-prototypes
LDLIBS  += -lcjson -lm -lpthread

# CUDA (cuda/): kernels.cu and device.cu go through nvcc for sm_90 (H100/H200);
# cudart is linked statically, so ./battrace runs (with 0 devices) on machines
# without a driver. Without nvcc, cuda/device_stub.c stands in (0 devices).
# (ASan with a GPU present needs ASAN_OPTIONS=protect_shadow_gap=0 for cudart.)
# nvcc may be a wrapper script outside the toolkit (CI has /usr/local/bin/nvcc),
# so the toolkit root comes from nvcc itself (--dryrun prints TOP=...), and the
# static runtime is looked for where toolkits put it. No nvcc, or no
# libcudart_static.a: the stub backend, said once at build time.
NVCC      ?= $(shell command -v nvcc || echo /usr/local/cuda/bin/nvcc)
NVCCFLAGS ?= -O2 -std=c++17 --compiler-options -Wall,-Werror -arch=sm_90
HAVE_NVCC := $(shell test -x "$(NVCC)" && echo 1)
ifeq ($(HAVE_NVCC),1)
CUDA_TOP  := $(shell "$(NVCC)" --dryrun -c -x cu /dev/null -o /dev/null 2>&1 | sed -n 's/^\#\$$ TOP=//p')
ifndef CUDA_LIB
CUDA_LIB  := $(patsubst %/,%,$(dir $(firstword $(wildcard \
               $(CUDA_TOP)/lib64/libcudart_static.a \
               $(CUDA_TOP)/targets/x86_64-linux/lib/libcudart_static.a \
               /usr/local/cuda/lib64/libcudart_static.a \
               /usr/lib/x86_64-linux-gnu/libcudart_static.a))))
endif
ifeq ($(CUDA_LIB),)
$(info battrace: $(NVCC) found but no libcudart_static.a; building the CPU-only stub backend)
HAVE_NVCC :=
endif
endif
CUDA_C    := $(filter-out cuda/device_stub.c,$(wildcard cuda/*.c))
ifeq ($(HAVE_NVCC),1)
CUDA_CU     := $(wildcard cuda/*.cu)
CUDA_LDLIBS := -L$(CUDA_LIB) -lcudart_static -ldl -lrt -lpthread -lstdc++
else
CUDA_CU     :=
CUDA_C      += cuda/device_stub.c
CUDA_LDLIBS :=
endif

# Profile-guided optimisation, on by default for build/ (PGO=0: plain -O2).
# The C sources are compiled once more into build-gen/ with
# -fprofile-generate (and the CPU-only stub for CUDA: no kernel is trained);
# that battrace runs tools/pgo_train.sh (the bundled examples, and with
# $(SHARED) the solvers on evaluation tasks, never the bench's workload),
# and build/ is compiled with -fprofile-use. Both builds name each source's
# counts alike (-dumpdir, -dumpbase, flat: GCC keys a static function's profile on
# that name, which would otherwise follow the object's directory). The
# batt's run is 3-10% faster (docs/performance.md). Any source or
# header change trains again. The warnings GCC finds by following values
# through inlined code (uninitialized use, bounds, string overflow) move with
# the inlining, which the profile (and so the training's timing) moves: in
# this build they are printed but not fatal; the plain builds (PGO=0, as
# .ci/run builds it, and make sanitize's) keep every warning an error.
PGO     ?= 1
GEN     := build-gen
PGO_DIR := $(CURDIR)/$(GEN)/profile
ifeq ($(BUILD)$(PGO),build1)
PGO_STAMP := $(BUILD)/pgo.stamp
CFLAGS  += -fprofile-use -fprofile-partial-training -Wno-missing-profile -DBATTRACE_PGO \
           -Wno-error=maybe-uninitialized -Wno-error=array-bounds -Wno-error=stringop-overflow \
           -Wno-error=stringop-overread -Wno-error=restrict
endif
ifneq ($(filter build1 $(GEN)0,$(BUILD)$(PGO)),) # the profile-guided build, or the instrumented one
PGO_AUX  = -dumpdir $(PGO_DIR)/ -dumpbase $(subst /,-,$<)
endif

LIB_SRC  := $(wildcard runtime/*.c ops/*.c tracer/*.c scheduler/*.c) $(CUDA_C)
TOOL_SRC := tools/battrace.c tools/cli.c tools/ordered.c tools/rows.c tools/runner.c tools/replay_verify.c $(wildcard tools/cmd_*.c)
TEST_SRC := $(wildcard tests/test_*.c) tests/support.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(CUDA_CU:%.cu=$(BUILD)/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all test sanitize tsan conformance bench deps clean example fuzz difffuzz

all: battrace

battrace: $(BUILD)/battrace
	cp $< $@

$(BUILD)/battrace: $(TOOL_OBJ) $(BUILD)/libbattrace.a
	$(CC) $(CFLAGS) -o $@ $(TOOL_OBJ) -Wl,--whole-archive $(BUILD)/libbattrace.a -Wl,--no-whole-archive $(LDLIBS) $(CUDA_LDLIBS)

$(BUILD)/libbattrace.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c $(wildcard */*.h) $(PGO_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(CFLAGS) $(PGO_AUX) -c -o $@ $<

$(BUILD)/cuda/%.o: cuda/%.cu $(wildcard cuda/*.h)
	@mkdir -p $(dir $@)
	@echo "  NVCC $<"; $(NVCC) $(NVCCFLAGS) -c -o $@ $<

ifdef PGO_STAMP
$(GEN)/battrace: $(LIB_SRC) $(TOOL_SRC) $(wildcard */*.h)
	$(MAKE) --no-print-directory BUILD=$(GEN) PGO=0 HAVE_NVCC= \
	    OPT="$(OPT) -fprofile-generate -fprofile-update=atomic" $@

$(PGO_STAMP): $(GEN)/battrace tools/pgo_train.sh
	@mkdir -p $(dir $@)
	rm -rf $(PGO_DIR)
	tools/pgo_train.sh $(GEN)/battrace $(SHARED)
	touch $@
endif

$(BUILD)/battrace-tests: $(TEST_OBJ) $(BUILD)/libbattrace.a
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) -Wl,--whole-archive $(BUILD)/libbattrace.a -Wl,--no-whole-archive $(LDLIBS) $(CUDA_LDLIBS) -lcriterion

# --verbose, less the [RUN ] and [PASS] lines: failures and every skipped test
# (no ../shared, no CUDA device) with its reason stay in view
test: $(BUILD)/battrace-tests battrace
	BATTRACE_SHARED=$(SHARED) BATTRACE_BIN=$(CURDIR)/battrace bash -o pipefail -c \
	    '$(BUILD)/battrace-tests --jobs 2 --verbose 2>&1 | grep -v -E "^\[(RUN |PASS)\]"'

# the ASan + UBSan builds' flags (sanitize, fuzz)
SAN_OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_LDLIBS = $(LDLIBS) -fsanitize=address,undefined

sanitize:
	$(MAKE) BUILD=build-san OPT="$(SAN_OPT)" LDLIBS="$(SAN_LDLIBS)" build-san/battrace-tests build-san/battrace
	BATTRACE_SHARED=$(SHARED) BATTRACE_BIN=$(CURDIR)/build-san/battrace ASAN_OPTIONS=detect_leaks=0:protect_shadow_gap=0 build-san/battrace-tests --jobs 2
	BATTRACE=build-san/battrace SHARED=$(SHARED) tools/conformance.sh
	@# again with temporaries dropped after nearly every statement and call (runtime/ctx.h), a quick sample
	$(MAKE) BUILD=build-sanstress OPT="$(SAN_OPT) -DCTX_RECLAIM_MIN=256u" LDLIBS="$(SAN_LDLIBS)" build-sanstress/battrace
	BATTRACE=build-sanstress/battrace SHARED=$(SHARED) QUICK=1 OUT=out/conformance-stress ASAN_OPTIONS=detect_leaks=0:protect_shadow_gap=0 \
	    tools/conformance.sh

# tsan: the threaded paths (record's writer thread, replay's workers, --verify's
# recording again, run's lanes) under ThreadSanitizer, on the bundled examples
tsan:
	$(MAKE) BUILD=build-tsan OPT="-O1 -g -fsanitize=thread" LDLIBS="$(LDLIBS) -fsanitize=thread" build-tsan/battrace
	@mkdir -p build-tsan/out
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace record traces/example_batt.py --tasks traces/tasks -o build-tsan/out/batt.trace
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace replay build-tsan/out/batt.trace --threads 2 --verify
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace replay build-tsan/out/batt.trace --threads 2 --window 1 --json build-tsan/out/lanes.jsonl
	build-tsan/battrace replay build-tsan/out/batt.trace --json build-tsan/out/one.jsonl --quiet
	cmp build-tsan/out/lanes.jsonl build-tsan/out/one.jsonl
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace record traces/example_solvers.py --tasks traces/tasks -o build-tsan/out/own.trace
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace replay build-tsan/out/own.trace --threads 2 --verify --gpu-host
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace run traces/example_batt.py --tasks traces/tasks --threads 3 --quiet
	TSAN_OPTIONS=halt_on_error=1 build-tsan/battrace run traces/example_solvers.py --mode cross --tasks traces/tasks --threads 2 --json build-tsan/out/run2.jsonl

conformance: battrace
	BATTRACE=./battrace SHARED=$(SHARED) tools/conformance.sh

bench: battrace
	BATTRACE=./battrace SHARED=$(SHARED) tools/bench.sh

example: battrace
	@mkdir -p out
	./battrace run traces/example_solvers.py --tasks traces/tasks --json out/example-rows.jsonl
	./battrace run traces/example_batt.py --tasks traces/tasks --json out/example-batt-rows.jsonl
	./battrace record traces/example_solvers.py --tasks traces/tasks -o out/example.trace
	./battrace replay out/example.trace --verify
	@echo "rows: out/example-rows.jsonl, out/example-batt-rows.jsonl; trace: out/example.trace"

# fuzz: under ASan + UBSan, FUZZ_SECONDS each: the trace reader, from a
# hand-made and a recorded seed trace; the program parser and interpreter,
# from the bundled example programs
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) BUILD=build-san OPT="$(SAN_OPT)" LDLIBS="$(SAN_LDLIBS)" build-san/fuzz_trace build-san/battrace
	build-san/fuzz_trace --make-seed build-san/fuzz-seed.trace
	build-san/battrace record traces/example_batt.py --tasks traces/tasks -o build-san/fuzz-batt.trace --quiet
	build-san/fuzz_trace build-san/fuzz-seed.trace build-san/fuzz-batt.trace $(FUZZ_SECONDS)
	$(MAKE) BUILD=build-san OPT="$(SAN_OPT)" LDLIBS="$(SAN_LDLIBS)" build-san/fuzz_program
	ASAN_OPTIONS=detect_leaks=0 build-san/fuzz_program traces/tasks $(FUZZ_SECONDS) traces/example_solvers.py traces/example_batt.py

# difffuzz: random batt and solver programs (arguments of any kind) run by
# pyref.py and battrace, rows compared (tools/difffuzz.py; needs $(SHARED))
DIFFFUZZ_ROUNDS ?= 200
difffuzz: battrace
	SHARED=$(SHARED) python3 tools/difffuzz.py --rounds $(DIFFFUZZ_ROUNDS) --seed 1 --tasks 4 --samples 40
	SHARED=$(SHARED) python3 tools/difffuzz.py --rounds $(DIFFFUZZ_ROUNDS) --seed 1 --tasks 4 --samples 30 --solvers

$(BUILD)/fuzz_trace: $(BUILD)/tools/fuzz_trace.o $(BUILD)/libbattrace.a
	$(CC) $(CFLAGS) -o $@ $< -Wl,--whole-archive $(BUILD)/libbattrace.a -Wl,--no-whole-archive $(LDLIBS) $(CUDA_LDLIBS)

$(BUILD)/fuzz_program: $(BUILD)/tools/fuzz_program.o $(BUILD)/tools/rows.o $(BUILD)/libbattrace.a
	$(CC) $(CFLAGS) -o $@ $(BUILD)/tools/fuzz_program.o $(BUILD)/tools/rows.o -Wl,--whole-archive $(BUILD)/libbattrace.a -Wl,--no-whole-archive $(LDLIBS) $(CUDA_LDLIBS)

deps:
	@missing=""; for p in libcjson-dev libcriterion-dev python3; do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf build build-gen build-san build-tsan battrace

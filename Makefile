# latent: build lib/ into one static archive and every tools/*.c into bin/.
#
#   make            build everything into bin/
#   make test       build, then run the bats suite (tests/*.bats)
#   make asan       build with AddressSanitizer + UBSan into build-asan/, run the suite
#   make deps       install the Debian packages the project needs (root or sudo)
#   make clean

CC      ?= cc
CFLAGS  ?= -std=c11 -O2 -g -Wall -Wextra
CPPFLAGS += -D_DEFAULT_SOURCE -Ilib -I/usr/include/netpbm
LDFLAGS ?=
LDLIBS  = -Wl,--as-needed -lopenblas -llapacke -lnetpbm -lz -lm -lpthread

BUILD   ?= build
BIN     ?= bin
JOBS    ?= 2

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOLS    := $(TOOL_SRC:tools/%.c=$(BIN)/%)
# Test programs (tests/*.c: checks of lib/ that a bats file runs) go to $(BIN)/tests/.
CHECK_SRC := $(sort $(wildcard tests/*.c))
CHECKS   := $(CHECK_SRC:tests/%.c=$(BIN)/tests/%)
ARCHIVE  := $(BUILD)/liblatent.a

.PHONY: all test asan deps clean
.DELETE_ON_ERROR:

all: $(BUILD)/.deps-ok $(TOOLS) $(CHECKS)

# Missing packages are installed once, on the first build (see .ci/install-deps).
$(BUILD)/.deps-ok: .ci/install-deps
	@mkdir -p $(@D)
	@sh .ci/install-deps
	@touch $@

# Extra flags for one module, CFLAGS_<module>. lib/nn.c's elementwise loops run over every
# pixel and parameter of every training step: -O3 vectorises them, which needs sqrtf
# without errno and selects (a > 0 ? a : 0) without FP traps; NaN and Inf still behave as
# IEEE says (this is not -ffast-math), and nothing in nn.c reads errno or enables traps.
CFLAGS_nn = -O3 -fno-math-errno -fno-trapping-math

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_$*) -c -o $@ $<

$(ARCHIVE): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/%: tools/%.c $(ARCHIVE) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVE) $(LDLIBS)

$(BIN)/tests/%: tests/%.c $(ARCHIVE) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVE) $(LDLIBS)

deps:
	sh .ci/install-deps

# The suite runs against whichever bin/ LATENT_BIN names; bats runs files in parallel
# only with GNU parallel, which is not needed here.
test: all
	LATENT_BIN=$(abspath $(BIN)) tests/run

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/bin \
		CFLAGS='-std=c11 -O1 -g -Wall -Wextra -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined' test

clean:
	rm -rf build build-asan bin

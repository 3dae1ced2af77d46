# kpipe: Kafka Streams as a Unix toolkit.
VERSION = 0.1.0
PREFIX ?= /usr/local

CC ?= gcc
CFLAGS ?= -O2 -g
KP_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
	-DKP_VERSION='"$(VERSION)"' -Ilib -MMD -MP
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Debian 12's libjq and libdb ship no .pc file; librdkafka does.
JQ_LIBS = -ljq -lonig -lm
DB_LIBS = -ldb
RDKAFKA_CFLAGS = $(shell pkg-config --cflags rdkafka 2>/dev/null)
RDKAFKA_LIBS = $(shell pkg-config --libs rdkafka 2>/dev/null || echo -lrdkafka)

CMDS = kbroker kcat-in kcount kfilter kjoin kmap kout kquery kwindow
# Per-command link lists: kfilter loads neither librdkafka nor libdb.
LIBS_kbroker = $(RDKAFKA_LIBS)
LIBS_kcat-in = $(JQ_LIBS) $(RDKAFKA_LIBS) $(DB_LIBS)
LIBS_kfilter = $(JQ_LIBS)
LIBS_kmap = $(JQ_LIBS)
LIBS_kout = $(JQ_LIBS) $(RDKAFKA_LIBS) $(DB_LIBS)
LIBS_kcount = $(JQ_LIBS) $(DB_LIBS)
LIBS_kwindow = $(JQ_LIBS) $(DB_LIBS)
LIBS_kjoin = $(JQ_LIBS) $(DB_LIBS)
LIBS_kquery = $(JQ_LIBS) $(DB_LIBS)

# Build directory B (build or build-san) and its extra flags.
B ?= build
XFLAGS ?=

LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
BINDIR = $(if $(filter build,$(B)),bin,$(B)/bin)
BINS = $(CMDS:%=$(BINDIR)/%)

DEBS = build-essential pkg-config librdkafka-dev libdb-dev libjq-dev \
	libonig-dev bats mandoc jq miller kcat

all: $(BINS)

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(KP_CFLAGS) $(RDKAFKA_CFLAGS) $(CFLAGS) $(XFLAGS) -c -o $@ $<

$(B)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(KP_CFLAGS) $(RDKAFKA_CFLAGS) $(CFLAGS) $(XFLAGS) -c -o $@ $<

$(B)/libkpipe.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BINDIR)/%: $(B)/cmd/%.o $(B)/libkpipe.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XFLAGS) -o $@ $< $(B)/libkpipe.a $(LIBS_$*)

deps:
	@missing=; for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		    grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -q $$missing; \
	fi

check: all
	tests/run-bats tests

# The crash harness, longer than make check's 20 kills per sink.
N = 1000
crash: all
	tests/crash/run -n $(N)
	tests/crash/run -n $(N) -p join

sanitize-build:
	$(MAKE) B=build-san XFLAGS='$(SANFLAGS)' CFLAGS='-O1 -g' all

sanitize: sanitize-build
	KPIPE_BIN=$(CURDIR)/build-san/bin tests/run-bats tests

test:
	tests/run

demo:
	demo/run

lint:
	mandoc -Tlint -Wwarning man/*.1

bench: all
	bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1

clean:
	rm -rf bin build build-san

.PHONY: all deps check crash sanitize sanitize-build test demo lint bench install clean

-include $(LIB_OBJ:.o=.d) $(CMDS:%=$(B)/cmd/%.d)

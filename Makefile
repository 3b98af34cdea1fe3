# Gränslös — build, run and test. See README.md.
# `make` builds ./granslos; `make run` serves it with demo data; `make test` runs every test.

CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq libsodium jansson libutf8proc zlib libical libcurl libqrencode xlsxwriter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wno-missing-field-initializers -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS))
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lstemmer -lroaring -lpthread -lm

SRC     := $(sort $(wildcard src/*.c src/*/*.c))
LIBSRC  := $(filter-out src/main.c,$(SRC))
EMBED   := $(sort $(wildcard data/i18n/*.po data/ref/*.csv data/ref/*.tsv data/demo/*.json data/demo/*.txt \
                              src/db/migrations/*.sql src/db/migrations/pg/*.sql src/db/*.sql data/search/*.tsv data/bench/*.csv data/account/*.txt web/*.css web/*.js web/*.svg))

# Two builds share the sources: build/rel (./granslos) and build/asan (sanitizers).
REL_OBJ  := $(LIBSRC:src/%.c=build/rel/%.o)
ASAN_OBJ := $(LIBSRC:src/%.c=build/asan/%.o)
SAN      := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/rel/tests/%)
UNIT_ASAN:= $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

# Fuzz targets (libFuzzer, clang): every parser at the edge; run briefly by make test.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ := $(LIBSRC:src/%.c=build/fuzz/obj/%.o)
FUZZ_CC  := clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined

.PHONY: all run test test-unit test-http test-http-pg test-browser test-fuzz fuzz bench bench-search bench-http bench-match bench-conn bench-nodes bench-start bench-catchup deps deps-test clean

all: granslos

deps:
	@scripts/install-deps run

deps-test:
	@scripts/install-deps test

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

# The checked formatter: tools/fmtcheck reads every call of bprintf/aprintf (core/buf.h) in src/
# and the catalogues, and fails the build on a wrong call (see the tool's header); msgfmt checks
# the c-format entries of the catalogues. Every object waits for it (order-only: a pass does not
# make everything recompile; any change to a source or catalogue runs it again).
PO      := $(sort $(wildcard data/i18n/*.po))
CHECKED := $(sort $(wildcard src/*.c src/*/*.c src/*.h src/*/*.h))
build/fmtcheck: tools/fmtcheck.c
	@mkdir -p build
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<
build/fmtcheck.ok: build/fmtcheck $(CHECKED) $(PO)
	@build/fmtcheck -v $(addprefix --po ,$(PO)) $(CHECKED)
	@if command -v msgfmt >/dev/null 2>&1; then \
	  for f in $(PO); do msgfmt --check-format -o /dev/null $$f || exit 1; done; \
	else echo "fmtcheck: msgfmt not found (Debian: gettext), catalogues not checked by msgfmt" >&2; fi
	@touch $@

build/embedded.c: build/embed $(EMBED)
	build/embed $(EMBED) > $@.tmp && mv $@.tmp $@

build/rel/embedded.o: build/embedded.c
	$(CC) $(CFLAGS) -c -o $@ $<
build/asan/embedded.o: build/embedded.c
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/rel/%.o: src/%.c $(wildcard src/*/*.h src/*.h) | build/fmtcheck.ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/asan/%.o: src/%.c $(wildcard src/*/*.h src/*.h) | build/fmtcheck.ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/fuzz/obj/%.o: src/%.c $(wildcard src/*/*.h src/*.h) | build/fmtcheck.ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -Wshadow,$(CFLAGS)) $(FUZZ_FLAGS) -c -o $@ $<
build/fuzz/obj/embedded.o: build/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ) build/fuzz/obj/embedded.o
	$(FUZZ_CC) $(CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

granslos: $(REL_OBJ) build/rel/embedded.o build/rel/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/granslos: $(ASAN_OBJ) build/asan/embedded.o build/asan/main.o
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/rel/tests/%: tests/unit/%.c $(REL_OBJ) build/rel/embedded.o | build/fmtcheck
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)
build/asan/tests/%: tests/unit/%.c $(ASAN_OBJ) build/asan/embedded.o | build/fmtcheck
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

var/granslos.db: | granslos
	@mkdir -p var
	./granslos demo --db $@

run: deps granslos var/granslos.db
	./granslos serve --db var/granslos.db --listen 127.0.0.1:8080

# Every test: unit tests and HTTP tests, on the normal build and under ASan+UBSan,
# then the browser suite. tests/run prints the one summary line.
test: deps-test
	@$(MAKE) --no-print-directory granslos build/asan/granslos $(UNIT_BIN) $(UNIT_ASAN) $(FUZZ_BIN)
	@tests/run all

test-unit: deps-test
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@tests/run unit

test-http: deps-test
	@$(MAKE) --no-print-directory granslos
	@tests/run http

# the HTTP suite with the store on PostgreSQL 15 (a throwaway cluster; make test runs it too)
test-http-pg: deps-test
	@$(MAKE) --no-print-directory granslos build/rel/tests/test_db
	@tests/run http-pg

test-browser: deps-test
	@$(MAKE) --no-print-directory granslos
	@tests/run browser

# make fuzz (or test-fuzz): every fuzz target for FUZZ_SECONDS each (default 60); make test runs them for 5 s
fuzz: test-fuzz
test-fuzz: deps-test
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} tests/run fuzz

# make bench: every benchmark, each printing its figures (docs/performance.md records them)
bench: bench-search bench-http bench-conn

# the search engine against SQLite FTS5 over 2.5 million generated organisations (ORGS, QUERIES, SEED)
bench-search: granslos
	@scripts/install-deps bench
	./granslos bench search --orgs $${ORGS:-2500000} --queries $${QUERIES:-700} --seed $${SEED:-1} --xapian

# matchmaking and search quality on the judged needs over the real Brønnøysund rows (docs/search.md)
bench-match: granslos
	./granslos bench match

bench-http: granslos
	@scripts/install-deps bench
	bench/http.sh

# 1,000 keep-alive connections from one address (wrk), and the long slow-client test (docs/operations.md)
bench-conn: granslos
	@scripts/install-deps bench
	bench/conn.sh

# make bench-nodes: nginx to 1 and 2 nodes on PostgreSQL and to 1 node on SQLite (docs/performance.md)
bench-nodes: granslos
	@scripts/install-deps bench
	bench/nodes.sh

# start-up of a node (to /readyz) on PostgreSQL and on SQLite at N organisations (default 1,000,000)
bench-start: granslos
	@scripts/install-deps bench
	bench/pg-start.sh

# catch-up delay from node A to node B: on PostgreSQL (a throwaway cluster) and on one SQLite file
bench-catchup: granslos
	GRANSLOS_BIN=./granslos node bench/catchup.mjs pg $${N:-200}
	GRANSLOS_BIN=./granslos node bench/catchup.mjs sqlite $${N:-200}

clean:
	rm -rf build granslos

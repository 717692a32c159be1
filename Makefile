# Gleaner: two commands on a fresh machine.
#   make run    installs what is missing, builds (release), runs the daemon on ./var/inbox → ./var/outbox
#   make test   installs what is missing, builds, runs every test
SWIFT   ?= swift
PREFIX  ?= /usr/local
SYSCONF ?= /etc/gleaner
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE := .build/release/gleaner

.PHONY: all deps build run test bench soak fuzz install uninstall check-config clean quality

all: build

# System packages: libinotifytools (it ships no pkg-config file, so look for its header), poppler-utils.
deps:
	@if [ ! -f /usr/include/inotifytools/inotifytools.h ]; then \
		echo "make: installing libinotifytools0-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libinotifytools0-dev; \
	fi
	@# PDF extraction runs poppler's pdftotext and pdfinfo (GleanerExtract).
	@if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then \
		echo "make: installing poppler-utils"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	fi
	@# The catalogue (issue #15): GRDB links the system SQLite (Debian's has FTS5).
	@if [ ! -f /usr/include/sqlite3.h ]; then \
		echo "make: installing libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev; \
	fi

build: deps
	$(SWIFT) build -c release --product gleaner

SERVE_LISTEN ?= 127.0.0.1:8080
run: build
	@mkdir -p var/inbox var/outbox
	@echo "gleaner: drop .txt, .md, .html, .pdf, .docx, .odt, .epub, .eml or .mbox files into ./var/inbox; results appear in ./var/outbox (Ctrl-C stops)"
	@echo "gleaner: the web app (catalogue, people, search) is at http://$(SERVE_LISTEN)/"
	$(RELEASE) serve --listen $(SERVE_LISTEN) & web=$$!; trap 'kill $$web 2>/dev/null' EXIT INT TERM; $(RELEASE) run

test: deps
	@# The web app's tests load pages in a real headless browser (issue #15).
	@command -v chromium >/dev/null || { echo "make: installing chromium"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@# The metrics are checked with Prometheus's own linter, promtool (issue #16).
	@command -v promtool >/dev/null || { echo "make: installing prometheus (for promtool)"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }
	@# The fleet's tests (issue #18) start throwaway PostgreSQL servers of their own (initdb + pg_ctl).
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "make: installing postgresql"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	$(SWIFT) build --build-tests
	GLEANER_BINARY=$(CURDIR)/.build/debug/gleaner $(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product gleaner
	$(SWIFT) build -c release --product gleaner-bench
	.build/release/gleaner-bench $(BENCH)
	@if [ -z "$(BENCH)" ] || [ "$(BENCH)" = fuzz ]; then $(MAKE) fuzz; fi

# The soak of the daemon for 30 minutes (make bench runs it for 2): steady mixed documents, kill -9, SIGHUP,
# folder bursts, replaced names; fails unless every input has exactly one result and nothing is stranded.
soak: deps
	$(SWIFT) build -c release --product gleaner
	$(SWIFT) build -c release --product gleaner-bench
	GLEANER_SOAK_SECONDS=$${GLEANER_SOAK_SECONDS:-1800} .build/release/gleaner-bench soak

# libFuzzer over the text extractors and the JSON writer for FUZZ_SECONDS (in its own build folder), after
# replaying the regression corpus. A crash, a JSON round-trip failure or a super-linear input stops it; the
# input is kept in .build-fuzz/findings/ (copy it to Tests/GleanerTextTests/FuzzCorpus/).
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build -c release --product gleaner-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -D -Xswiftc FUZZING
	@mkdir -p .build-fuzz/corpus .build-fuzz/findings
	cp Tests/GleanerTextTests/FuzzCorpus/*.* .build-fuzz/corpus/ && rm -f .build-fuzz/corpus/README.md
	.build-fuzz/release/gleaner-fuzz .build-fuzz/corpus -max_len=65536 -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -artifact_prefix=.build-fuzz/findings/ -print_final_stats=1

# Every figure of docs/QUALITY.md from the repository's scoring scripts (Training/quality.py), compared with the
# checked-in baseline docs/quality-baseline.json; figures that went down are printed. Not part of `make test`.
#   make quality                  measure and compare (fresh figures in .build/quality/results.json)
#   make quality STRICT=1         also exit non-zero when a figure went down
#   make quality STEPS=names      only some steps: language, entities, quotes, names, quotes_lang
#   make quality UPDATE=1         write the fresh figures as the new baseline (then update docs/QUALITY.md)
quality: build
	@command -v python3 >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3; }
	python3 Training/quality.py --bin $(RELEASE) $(if $(STEPS),--steps $(STEPS)) $(if $(STRICT),--strict) $(if $(UPDATE),--update)

check-config: build
	$(RELEASE) check-config $(if $(CONFIG),--config $(CONFIG))

# Installs what `make build` built: it never compiles (run `make build` as yourself, then `sudo make install`).
# DESTDIR stages everything under a folder (packaging); the unit is generated for PREFIX and SYSCONF; the
# service user, group and shared folders are declared in sysusers.d and tmpfiles.d files, applied here only
# when installing for real (no DESTDIR). RELEASE= installs another build of the binary (the staged-install test).
BINDIR      ?= $(PREFIX)/bin
UNITDIR     ?= /etc/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
PLUGINDIR   ?= $(PREFIX)/lib/gleaner/plugins
BUILT       := $(dir $(RELEASE))
UNITSED     := -e 's|/usr/local|$(PREFIX)|g' -e 's|/etc/gleaner|$(SYSCONF)|g'
install:
	@test -x $(RELEASE) || { echo "make install: $(RELEASE) is missing: run 'make build' first (as yourself, not as root)"; exit 1; }
	install -D -m 0755 $(RELEASE) $(DESTDIR)$(BINDIR)/gleaner
	install -d $(DESTDIR)$(PREFIX)/share/gleaner/models $(DESTDIR)$(SYSCONF)/processors.d
	for bundle in $(BUILT)*.resources; do \
		[ -d "$$bundle/Model" ] && cp -r "$$bundle"/Model/. $(DESTDIR)$(PREFIX)/share/gleaner/models/ || true; \
	done
	[ -f $(DESTDIR)$(SYSCONF)/gleaner.toml ] || install -m 0644 systemd/gleaner.toml $(DESTDIR)$(SYSCONF)/gleaner.toml
	[ -f $(DESTDIR)$(SYSCONF)/gazetteer.tsv ] || install -m 0644 Config/gazetteer.tsv $(DESTDIR)$(SYSCONF)/gazetteer.tsv
	@# Example plugins where docs/PLUGINS.md and their .toml look for them, runnable.
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 0755 Plugins/external/*.py $(DESTDIR)$(PLUGINDIR)/
	for f in Plugins/external/*.toml; do \
		sed -e 's|/usr/local/lib/gleaner/plugins|$(PLUGINDIR)|g' "$$f" > $(DESTDIR)$(PLUGINDIR)/$$(basename "$$f"); \
		chmod 0644 $(DESTDIR)$(PLUGINDIR)/$$(basename "$$f"); \
	done
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(PREFIX)/share/gleaner/systemd/overrides
	sed $(UNITSED) systemd/gleaner.service > $(DESTDIR)$(UNITDIR)/gleaner.service
	sed $(UNITSED) systemd/gleaner-web.service > $(DESTDIR)$(UNITDIR)/gleaner-web.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/gleaner.service $(DESTDIR)$(UNITDIR)/gleaner-web.service
	install -m 0644 systemd/overrides/*.conf systemd/overrides/README.md $(DESTDIR)$(PREFIX)/share/gleaner/systemd/overrides/
	install -D -m 0644 systemd/gleaner.sysusers $(DESTDIR)$(SYSUSERSDIR)/gleaner.conf
	install -D -m 0644 systemd/gleaner.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gleaner.conf
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/gleaner/README.md
	install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/gleaner/
	@if [ -z "$(DESTDIR)" ]; then \
		systemd-sysusers $(SYSUSERSDIR)/gleaner.conf && systemd-tmpfiles --create $(TMPFILESDIR)/gleaner.conf; \
		echo "installed; now: systemctl daemon-reload && systemctl enable --now gleaner"; \
	else echo "staged in $(DESTDIR)"; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gleaner $(DESTDIR)$(UNITDIR)/gleaner.service $(DESTDIR)$(UNITDIR)/gleaner-web.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/gleaner.conf $(DESTDIR)$(TMPFILESDIR)/gleaner.conf
	rm -rf $(DESTDIR)$(PREFIX)/share/gleaner $(DESTDIR)$(PREFIX)/lib/gleaner $(DESTDIR)$(PREFIX)/share/doc/gleaner

clean:
	rm -rf .build var

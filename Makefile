# Gleaner: two commands on a fresh machine.
#   make run    installs what is missing, builds (release), runs the daemon on ./var/inbox → ./var/outbox
#   make test   installs what is missing, builds, runs every test
SWIFT   ?= swift
PREFIX  ?= /usr/local
SYSCONF ?= /etc/gleaner
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE := .build/release/gleaner

.PHONY: all deps build run test bench install uninstall check-config clean quality

all: build

# The one system library: libinotifytools (it ships no pkg-config file, so look for its header).
deps:
	@if [ ! -f /usr/include/inotifytools/inotifytools.h ]; then \
		echo "make: installing libinotifytools0-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libinotifytools0-dev; \
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
	@echo "gleaner: drop .txt, .md or .html files into ./var/inbox; results appear in ./var/outbox (Ctrl-C stops)"
	@echo "gleaner: the web app (catalogue, people, search) is at http://$(SERVE_LISTEN)/"
	$(RELEASE) serve --listen $(SERVE_LISTEN) & web=$$!; trap 'kill $$web 2>/dev/null' EXIT INT TERM; $(RELEASE) run

test: deps
	@# The web app's tests load pages in a real headless browser (issue #15).
	@command -v chromium >/dev/null || { echo "make: installing chromium"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(SWIFT) build --build-tests
	GLEANER_BINARY=$(CURDIR)/.build/debug/gleaner $(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product gleaner
	$(SWIFT) build -c release --product gleaner-bench
	.build/release/gleaner-bench $(BENCH)

check-config: build
	$(RELEASE) check-config $(if $(CONFIG),--config $(CONFIG))

# Installs the binary, its models, the configuration and the systemd unit.
install: build
	install -D -m 0755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/gleaner
	install -d $(DESTDIR)$(PREFIX)/share/gleaner/models $(DESTDIR)$(SYSCONF)/processors.d
	for bundle in .build/release/*.resources; do \
		[ -d "$$bundle/Model" ] && cp -r "$$bundle"/Model/. $(DESTDIR)$(PREFIX)/share/gleaner/models/ || true; \
	done
	[ -f $(DESTDIR)$(SYSCONF)/gleaner.toml ] || install -m 0644 systemd/gleaner.toml $(DESTDIR)$(SYSCONF)/gleaner.toml
	[ -f $(DESTDIR)$(SYSCONF)/gazetteer.tsv ] || install -m 0644 Config/gazetteer.tsv $(DESTDIR)$(SYSCONF)/gazetteer.tsv
	install -m 0644 Plugins/external/*.toml Plugins/external/*.py -t $(DESTDIR)$(PREFIX)/share/gleaner/ 2>/dev/null || true
	install -D -m 0644 systemd/gleaner.service $(DESTDIR)/etc/systemd/system/gleaner.service
	install -D -m 0644 systemd/gleaner-web.service $(DESTDIR)/etc/systemd/system/gleaner-web.service
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/gleaner/README.md
	# The service user, and the shared folders producers write into (group gleaner, setgid).
	if [ -z "$(DESTDIR)" ]; then \
		getent group gleaner >/dev/null || groupadd --system gleaner; \
		getent passwd gleaner >/dev/null || useradd --system --gid gleaner --home-dir /var/lib/gleaner --shell /usr/sbin/nologin gleaner; \
		install -d -o gleaner -g gleaner -m 2770 /srv/gleaner /srv/gleaner/inbox /srv/gleaner/outbox; \
	fi
	@echo "installed; now: systemctl daemon-reload && systemctl enable --now gleaner"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gleaner $(DESTDIR)/etc/systemd/system/gleaner.service $(DESTDIR)/etc/systemd/system/gleaner-web.service
	rm -rf $(DESTDIR)$(PREFIX)/share/gleaner

clean:
	rm -rf .build var

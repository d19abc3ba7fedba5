# Rotor — see README.md. `make demo` gives the tour, `make test` runs every test.
SWIFT      ?= swift
BUILD_FLAGS ?=

.PHONY: deps build test demo bench bench-bulk clean install

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

# Every test, against SQLite and a throwaway PostgreSQL server (always stopped and removed afterwards).
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	scripts/with-postgres.sh $(SWIFT) test --skip-build $(BUILD_FLAGS)

demo: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo.sh "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/rotor"

bench: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)
	scripts/bench.sh "$$($(SWIFT) build -c release $(BUILD_FLAGS) --show-bin-path)"

# Customer keys in bulk: import keys/s and scheduler rotations/s for 10 000 due keys, on SQLite and PostgreSQL.
bench-bulk: deps
	$(SWIFT) build -c release --product rotor-bench-bulk $(BUILD_FLAGS)
	scripts/with-postgres.sh "$$($(SWIFT) build -c release $(BUILD_FLAGS) --show-bin-path)/rotor-bench-bulk"

# Installs the built binary, the systemd unit (its ExecStart pointed at PREFIX) and the man pages if generated
# (`swift package generate-manual`). Run `make build` first; BIN_DIR defaults to SwiftPM's debug output.
PREFIX  ?= /usr/local
DESTDIR ?=
BIN_DIR ?= $(shell $(SWIFT) build $(BUILD_FLAGS) --show-bin-path)
install:
	@test -x "$(BIN_DIR)/rotor" || { echo "install: no $(BIN_DIR)/rotor; run make build first" >&2; exit 1; }
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/systemd/system"
	install -m 0755 "$(BIN_DIR)/rotor" "$(DESTDIR)$(PREFIX)/bin/rotor"
	sed 's|/usr/local/bin/rotor|$(PREFIX)/bin/rotor|' contrib/rotor.service > "$(DESTDIR)$(PREFIX)/lib/systemd/system/rotor.service"
	chmod 0644 "$(DESTDIR)$(PREFIX)/lib/systemd/system/rotor.service"
	@for page in $$(find .build/plugins -name 'rotor*.1' 2>/dev/null); do \
		install -D -m 0644 "$$page" "$(DESTDIR)$(PREFIX)/share/man/man1/$$(basename "$$page")"; \
	done

clean:
	rm -rf .build

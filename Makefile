# Rotor — see README.md. `make demo` gives the tour, `make test` runs every test.
SWIFT      ?= swift
BUILD_FLAGS ?=
# Release builds (bench, install) link the Swift runtime and Foundation into the binary, so that no dozen Swift
# libraries are bound symbol by symbol at every start (with Package.swift's lld flags for `rotor`, measured on this
# 2-core machine under load, same runs: `rotor version` 19–38 → 11–22 ms, idle `rotor run` 47.6–48.7 → 38–41.5 MB,
# the latter depending on how much of the binary the page cache holds; see `make bench`).
# They name their products: the test-support library cannot be built without the toolchain's shared Testing.
RELEASE_FLAGS ?= -c release --static-swift-stdlib

.PHONY: deps build release test demo bench bench-bulk clean install man

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rotor $(BUILD_FLAGS)

# Every test, against SQLite and a throwaway PostgreSQL server (always stopped and removed afterwards).
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	scripts/with-postgres.sh $(SWIFT) test --skip-build $(BUILD_FLAGS)

demo: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo.sh "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/rotor"

bench: deps
	@scripts/deps.sh wrk
	for product in rotor rotor-bench rotor-bench-bulk; do $(SWIFT) build $(RELEASE_FLAGS) --product $$product $(BUILD_FLAGS) || exit 1; done
	scripts/with-postgres.sh scripts/bench-keys.sh "$$($(SWIFT) build $(RELEASE_FLAGS) $(BUILD_FLAGS) --show-bin-path)"
	scripts/bench.sh "$$($(SWIFT) build $(RELEASE_FLAGS) $(BUILD_FLAGS) --show-bin-path)"
	scripts/with-postgres.sh "$$($(SWIFT) build $(RELEASE_FLAGS) $(BUILD_FLAGS) --show-bin-path)/rotor-bench-bulk"

# Customer keys in bulk: import keys/s and scheduler rotations/s for 10 000 due keys, on SQLite and PostgreSQL.
bench-bulk: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rotor-bench-bulk $(BUILD_FLAGS)
	scripts/with-postgres.sh "$$($(SWIFT) build $(RELEASE_FLAGS) $(BUILD_FLAGS) --show-bin-path)/rotor-bench-bulk"

# One man page per command (rotor.1, rotor.status.1, …) into MAN_DIR, by swift-argument-parser's generate-manual
# plugin, from the debug build (the plugin's own default would build everything again in release mode).
MAN_DIR ?= .build/man
man: build
	$(SWIFT) package $(BUILD_FLAGS) plugin generate-manual --configuration debug --multi-page
	rm -rf "$(MAN_DIR)" && mkdir -p "$(MAN_DIR)"
	find .build/plugins -path '*GenerateManual*' -name 'rotor*.1' -exec cp {} "$(MAN_DIR)/" \;
	@echo "man pages in $(MAN_DIR): $$(ls "$(MAN_DIR)" | wc -l)"

# Installs the release binary (built by `make release`, as `make bench` measures it), the systemd unit (its ExecStart
# pointed at PREFIX) and the man pages of `make man` into PREFIX/share/man/man1. Run `make man` first for those;
# BIN_DIR=$$(swift build --show-bin-path) installs a debug build instead.
PREFIX  ?= /usr/local
DESTDIR ?=
BIN_DIR ?= $(shell $(SWIFT) build $(RELEASE_FLAGS) $(BUILD_FLAGS) --show-bin-path)
install: $(if $(filter command line environment,$(origin BIN_DIR)),,release)
	@test -x "$(BIN_DIR)/rotor" || { echo "install: no $(BIN_DIR)/rotor; run make release first" >&2; exit 1; }
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/systemd/system"
	install -m 0755 "$(BIN_DIR)/rotor" "$(DESTDIR)$(PREFIX)/bin/rotor"
	sed 's|/usr/local/bin/rotor|$(PREFIX)/bin/rotor|' contrib/rotor.service > "$(DESTDIR)$(PREFIX)/lib/systemd/system/rotor.service"
	chmod 0644 "$(DESTDIR)$(PREFIX)/lib/systemd/system/rotor.service"
	@test -d "$(MAN_DIR)" || echo "install: no man pages in $(MAN_DIR); run make man to install them too"
	@for page in $$(find "$(MAN_DIR)" -name 'rotor*.1' 2>/dev/null); do \
		install -D -m 0644 "$$page" "$(DESTDIR)$(PREFIX)/share/man/man1/$$(basename "$$page")"; \
	done

clean:
	rm -rf .build

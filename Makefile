# Rotor — see README.md. `make demo` gives the tour, `make test` runs every test.
SWIFT      ?= swift
BUILD_FLAGS ?=

.PHONY: deps build test demo bench clean

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

clean:
	rm -rf .build

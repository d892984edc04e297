# uptake: set-up and everyday commands. `make test` and `make demo` work on a fresh Debian machine.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev

.PHONY: deps test build release demo models format lint bench-logistic bench-stumps bench-csv bench-features bench-score bench-race fuzz sanitize golden clean

## Installs OpenBLAS, LAPACKE and SQLite from Debian when their headers are missing (no prompt).
deps:
	@if [ ! -f /usr/include/lapacke.h ] || [ ! -f /usr/include/sqlite3.h ] || [ ! -e /usr/include/x86_64-linux-gnu/cblas.h -a ! -e /usr/include/cblas.h ]; then \
	  echo "Installing $(APT_PACKAGES) ..."; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

## Builds and runs the whole test suite (Swift Testing).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Builds uptake in release mode and runs the whole chain on a synthetic council into demo-output/.
demo: deps
	$(SWIFT) build -c release --product uptake
	.build/release/uptake demo --out demo-output

## Regenerates the demo's models and model cards in models/ (same seed, same council; see models/README.md).
models: deps
	$(SWIFT) build -c release --product uptake
	.build/release/uptake demo --out .build/demo-models --models models

## Rewrites sources in place with the committed .swift-format; `lint` only reports, and fails on any finding (run by
## .ci/run). Sources/Linalg and Sources/Learn have their own .swift-format, stricter: no force unwrap, no force try,
## documentation comments that name every parameter, the return value and what is thrown.
format:
	$(SWIFT) format --in-place --recursive Sources Tests benchmarks/Sources

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests benchmarks/Sources

## Logistic regression against scikit-learn on 1,000,000 x 50 (see benchmarks/README.md).
bench-logistic: deps
	python3 -m pip install -q -r benchmarks/requirements.txt
	python3 benchmarks/logistic.py

## Boosted stumps against LightGBM, XGBoost and HistGradientBoosting on the same problem (80/20).
bench-stumps: deps
	python3 -m pip install -q -r benchmarks/requirements.txt
	python3 benchmarks/stumps.py

## CSV reading against pandas (writes benchmarks/data/ once).
bench-csv: deps
	python3 -m pip install -q -r benchmarks/requirements.txt
	python3 benchmarks/csv_read.py

## Point-in-time features on a 1,000,000-children council against DuckDB and pandas.
bench-features: deps
	python3 -m pip install -q -r benchmarks/requirements.txt duckdb pandas
	$(SWIFT) build -c release --product uptake
	.build/release/uptake synth --out benchmarks/data/council-1m --children 1000000 --data-until 2099-12-31 --quiet
	python3 benchmarks/features.py benchmarks/data/council-1m

## Scoring 1,000,000 families with three reasons each, against LightGBM + pandas (see benchmarks/README.md).
bench-score: deps
	python3 -m pip install -q -r benchmarks/requirements.txt
	$(SWIFT) build -c release --product uptake
	python3 benchmarks/score.py

## The whole job, CSV to trained model to scored list, against pandas + scikit-learn / LightGBM / XGBoost.
bench-race: deps
	python3 -m pip install -q -r benchmarks/requirements.txt
	$(SWIFT) build -c release --product uptake
	python3 benchmarks/race.py

## libFuzzer (with AddressSanitizer) on the CSV reader, the config parser, model bundles (raw bytes, and valid bundles
## edited and re-checksummed) and the xlsx reader (raw files, and XML parts zipped into a workbook), FUZZ_SECONDS each
## (default 600). New inputs go to fuzz/.work/; a crash is saved in fuzz/crashes/ and must become a regression test.
## `.ci/run` runs it with FUZZ_SECONDS=30 as a smoke test. Leak detection is off: its only reports are Foundation's
## fileSystemRepresentation buffers, which ZIPFoundation never frees (a few bytes per workbook opened).
FUZZ_SECONDS ?= 600
## A fixed seed makes a run repeatable (CI's smoke uses 1); 0 lets libFuzzer choose.
FUZZ_SEED ?= 0
FUZZ_TARGETS := csv:FuzzCSV:4096 config:FuzzConfig:8192 model:FuzzModel:65536 xlsx:FuzzXLSX:65536
fuzz: deps
	cd fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	mkdir -p fuzz/crashes
	set -e; for spec in $(FUZZ_TARGETS); do \
	  name=$${spec%%:*}; rest=$${spec#*:}; binary=$${rest%%:*}; length=$${rest#*:}; \
	  mkdir -p fuzz/.work/$$name; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  status=0; ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no fuzz/.build/release/$$binary fuzz/.work/$$name \
	    fuzz/corpus/$$name -max_total_time=$(FUZZ_SECONDS) -max_len=$$length -timeout=30 -rss_limit_mb=4096 \
	    -seed=$(FUZZ_SEED) -artifact_prefix=fuzz/crashes/$$name- -print_final_stats=1 > fuzz/.work/$$name.log 2>&1 \
	    || status=$$?; \
	  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*ERROR)' fuzz/.work/$$name.log || true; \
	  if [ $$status -ne 0 ] || ls fuzz/crashes/$$name-* >/dev/null 2>&1; then \
	    echo "fuzz: $$name failed (exit $$status); see fuzz/.work/$$name.log and fuzz/crashes/"; exit 1; fi; \
	done

## The test suite under AddressSanitizer (a separate build folder). swiftc on Linux has no UndefinedBehaviorSanitizer;
## Swift itself traps on overflow and out-of-bounds access, which is what UBSan would add. Leak detection is off:
## its only reports were Foundation's Bundle.allBundles cache and the tests' static fixtures, alive until exit.
sanitize: deps
	$(SWIFT) build --build-tests --scratch-path .build-sanitize -Xswiftc -sanitize=address
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-sanitize -Xswiftc -sanitize=address

## Regenerates the golden references from statsmodels / scikit-learn (needs ../shared/datasets).
golden:
	python3 -m pip install -q -r Tests/Golden/requirements.txt
	python3 Tests/Golden/generate_logistic.py
	python3 Tests/Golden/generate_stumps.py
	python3 Tests/Golden/generate_ebm.py
	python3 Tests/Golden/generate_flatfile.py
	python3 Tests/Golden/generate_xlsx.py
	python3 Tests/Golden/generate_metrics.py

clean:
	rm -rf .build benchmarks/.build fuzz/.build fuzz/.work

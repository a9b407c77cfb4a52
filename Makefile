# TradeLens: two commands set everything up on a fresh machine.
#   make demo   create .venv, install, analyse the bundled sample corpus
#   make test   same environment, run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLES_OUT := reports/samples

.PHONY: install browser ocr demo test lint bench samples-pdf clean

$(STAMP): setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned, so that sentence-transformers pulls no CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium and its driver, from Debian, for the scorecard's browser tests.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

# OCRmyPDF and Tesseract with English, Spanish and French data, from Debian, for scanned PDFs.
OCR_PACKAGES := ocrmypdf tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-fra
ocr:
	@command -v ocrmypdf >/dev/null && command -v tesseract >/dev/null \
		&& tesseract --list-langs 2>/dev/null | grep -qx spa \
		&& tesseract --list-langs 2>/dev/null | grep -qx fra || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$$SUDO apt-get install -y -qq $(OCR_PACKAGES) >/dev/null; }

demo: $(STAMP)
	@$(BIN)/tradelens analyse corpora/samples --out $(SAMPLES_OUT) --format json,md,csv,html \
		--store $(SAMPLES_OUT)/.tradelens; status=$$?; \
	echo "Scorecard site:   $(SAMPLES_OUT)/index.html (open it in a browser)"; \
	echo "Markdown summary: $(SAMPLES_OUT)/index.md"; \
	echo "JSON reports:     $(SAMPLES_OUT)/<agreement_id>.json"; \
	echo "CSV tables:       $(SAMPLES_OUT)/agreements.csv, $(SAMPLES_OUT)/findings.csv"; \
	exit $$status

test: $(STAMP) browser ocr
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check tradelens tests corpora bench

bench: $(STAMP)
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_analyse.py
	$(BIN)/python bench/bench_corpus.py
	$(BIN)/python bench/bench_serve.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_printed_tota.py

samples-pdf: $(STAMP)
	$(BIN)/python corpora/build_samples.py

clean:
	rm -rf $(VENV) .tradelens $(SAMPLES_OUT) .pytest_cache

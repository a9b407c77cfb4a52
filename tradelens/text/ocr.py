"""OCR for PDF pages without a text layer: OCRmyPDF and Tesseract in a bounded subprocess.

Older agreements and signed originals are often scans. OCRmyPDF rasterises the pages that
need it, runs Tesseract on them and writes a PDF whose invisible text layer sits where the
words are printed, so the same layout code (columns, footnotes, running lines) reads an
OCRed page like a typeset one. The hOCR renderer is used because its per-line font sizes
are consistent, and because its hOCR files carry Tesseract's word confidences, which are
kept per page so that findings read from OCR text say how sure the reading was.

Every run works on a copy of the file in its own temporary directory, in its own process
group, with a time limit per page (Tesseract's) and per file (killed when exceeded), a
page limit and an image-size limit (a decompression bomb in a scan stays refused).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tradelens.errors import InputError
from tradelens.text.options import DEFAULT_OPTIONS, ReaderOptions

ENGINE_MISSING = "OCR engine not installed: apt-get install ocrmypdf tesseract-ocr"
#: Tesseract's names for the languages TradeLens reads.
TESSERACT_LANGUAGES = {"en": "eng", "es": "spa", "fr": "fra"}
ALL_LANGUAGES = "eng+spa+fra"
#: A page with fewer characters than this has no usable text layer.
_MIN_PAGE_CHARS = 3
#: Characters of text-layer pages needed before their language chooses the OCR language.
_LANGUAGE_SAMPLE_CHARS = 200

_TIMEOUT_LINE = re.compile(r"^\s*(\d+)\s+\[tesseract\] took too long", re.M)
_PAGE_PREFIX = re.compile(r"^\s*(\d+)\s+(\S.*)$")
_WORD_CONFIDENCE = re.compile(r"class=['\"]ocrx_word['\"][^>]*?x_wconf (\d+)")
_HOCR_FILE = re.compile(r"^(\d{6})_ocr_hocr\.hocr$")

Words = list[dict]


@dataclass
class OcrResult:
    """Words per page (pdfplumber dicts, sizes on the document's scale) and the mean
    Tesseract word confidence (0..1) of each OCRed page."""

    words: list[tuple[Words, float]]
    confidences: dict[int, float | None]


def pages_to_ocr(words: list[tuple[Words, float]], options: ReaderOptions) -> list[int]:
    """1-based numbers of the pages the options say to OCR."""
    if options.ocr == "never":
        return []
    if options.ocr == "always":
        return list(range(1, len(words) + 1))
    return [n for n, (page_words, _) in enumerate(words, start=1)
            if sum(len(w["text"]) for w in page_words) < _MIN_PAGE_CHARS]


def ocr_words(path: Path, words: list[tuple[Words, float]],
              options: ReaderOptions = DEFAULT_OPTIONS) -> OcrResult:
    """The document's words with the pages that need it replaced by their OCR reading."""
    pages = pages_to_ocr(words, options)
    if not pages:
        return OcrResult(words, {})
    if len(pages) > options.ocr_max_pages:
        raise InputError(path, f"{len(pages)} pages need OCR, more than the limit of "
                               f"{options.ocr_max_pages}")
    languages = options.ocr_languages or _document_languages(words, pages)
    read = run_ocr(path, pages, languages, options)
    merged = list(words)
    for number, (page_words, width, _) in read.items():
        merged[number - 1] = (page_words, width)
    _rescale(merged, set(read))
    return OcrResult(merged, {number: conf for number, (_, _, conf) in read.items()})


def _document_languages(words: list[tuple[Words, float]], pages: list[int]) -> str:
    """The language of the pages that have text, else English, Spanish and French."""
    from tradelens.text.language import detect_language

    skip = set(pages)
    text = " ".join(w["text"] for n, (page_words, _) in enumerate(words, start=1)
                    if n not in skip for w in page_words)
    if len(text) >= _LANGUAGE_SAMPLE_CHARS:
        language = detect_language(text)
        if language in TESSERACT_LANGUAGES:
            return TESSERACT_LANGUAGES[language]
    return ALL_LANGUAGES


def _rescale(words: list[tuple[Words, float]], ocred: set[int]) -> None:
    """Put OCR word sizes on the scale of the text-layer pages.

    OCR text is set in a glyphless font sized from the line height, so its body size
    differs from the typeset pages' in the same file; the layout code compares sizes with
    the document's body size, so the OCR pages' body size is mapped onto it.
    """
    typeset = [w for n, (page_words, _) in enumerate(words, start=1) if n not in ocred
               for w in page_words]
    scanned = [w for n, (page_words, _) in enumerate(words, start=1) if n in ocred
               for w in page_words]
    if not typeset or not scanned:
        return
    ratio = _body_size(typeset) / _body_size(scanned)
    for word in scanned:
        word["size"] = float(word["size"]) * ratio


def _body_size(words: Words) -> float:
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(float(word["size"]), 1)] += len(word["text"])
    return weights.most_common(1)[0][0] or 1.0


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Tesseract's installed language data, or an empty set without Tesseract."""
    if not shutil.which("tesseract"):
        return frozenset()
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())


def engine_available() -> bool:
    return bool(shutil.which("ocrmypdf")) and bool(installed_languages())


def run_ocr(path: Path, pages: list[int], languages: str,
            options: ReaderOptions = DEFAULT_OPTIONS,
            ) -> dict[int, tuple[Words, float, float | None]]:
    """OCR `pages` (1-based) of `path`: page -> (words, page width, confidence 0..1)."""
    if not engine_available():
        raise InputError(path, ENGINE_MISSING)
    wanted = [lang for lang in languages.split("+") if lang in installed_languages()]
    if not wanted:
        raise InputError(path, f"OCR language data not installed ({languages}): apt-get "
                               "install tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-fra")
    _check_image_sizes(path, pages, options.ocr_max_image_mpixels)
    with tempfile.TemporaryDirectory(prefix="tradelens-ocr-") as tmp:
        work = Path(tmp)
        (work / "keep").mkdir()
        shutil.copyfile(path, work / "in.pdf")
        command = [
            "ocrmypdf", "-k", "-l", "+".join(wanted), "--pdf-renderer", "hocr",
            "--output-type", "pdf", "--optimize", "0", "--jobs", "1",
            "--force-ocr" if options.ocr == "always" else "--skip-text",
            "--pages", ",".join(map(str, pages)),
            "--tesseract-timeout", f"{options.ocr_page_seconds:g}",
            "--max-image-mpixels", f"{options.ocr_max_image_mpixels:g}",
            "in.pdf", "out.pdf",
        ]
        stderr, code = _run(path, command, work, options.ocr_total_seconds)
        timed_out = _TIMEOUT_LINE.search(stderr)
        if timed_out:
            raise InputError(path, f"OCR gave up on page {timed_out.group(1)} after "
                                   f"{options.ocr_page_seconds:g} s")
        confidences = _confidences(work / "keep")
        if code != 0 or not (work / "out.pdf").is_file():
            # Pages are OCRed in order (one job), so the first without hOCR is the one
            # that failed.
            missing = [n for n in pages if n not in confidences]
            raise InputError(path, f"OCR failed on {_page_list(stderr, missing or pages)} "
                                   f"({_last_error(stderr, code, options)})")
        return _read_pages(path, work / "out.pdf", pages, confidences)


def _check_image_sizes(path: Path, pages: list[int], limit_mpixels: float) -> None:
    """Refuse a page whose images declare more pixels than the limit, before anything is
    decoded (OCRmyPDF checks again as it decodes, without naming the page)."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            for number in pages:
                for image in pdf.pages[number - 1].images:
                    width, height = image.get("srcsize") or (0, 0)
                    if float(width) * float(height) > limit_mpixels * 1_000_000:
                        raise InputError(path, f"OCR refused on page {number}: an image of "
                                               f"{int(width)}x{int(height)} pixels is over "
                                               f"the limit of {limit_mpixels:g} megapixels "
                                               "(a possible decompression bomb)")
    except InputError:
        raise
    except Exception as exc:  # pdfminer's private error types
        raise InputError(path, f"corrupt PDF ({type(exc).__name__})") from exc


def _run(path: Path, command: list[str], cwd: Path, seconds: float) -> tuple[str, int]:
    """Run OCRmyPDF in its own process group; kill the whole group (Tesseract included)
    when the file's time is up."""
    env = {**os.environ, "TMPDIR": str(cwd / "keep"), "OMP_THREAD_LIMIT": "1"}
    try:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise InputError(path, ENGINE_MISSING) from exc
    try:
        _, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise InputError(path, f"OCR took longer than {seconds:g} s for the whole file; "
                               "raise the limit or split the file") from exc
    return stderr, process.returncode


def _page_list(stderr: str, pages: list[int]) -> str:
    """The page OCRmyPDF named in its error (it prefixes page messages with the number)."""
    for line in reversed(stderr.splitlines()):
        match = _PAGE_PREFIX.match(line)
        if match and int(match.group(1)) in pages and "error" in line.lower():
            return f"page {match.group(1)}"
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {pages[0]}-{pages[-1]}" if pages == list(range(pages[0], pages[-1] + 1)) \
        else "pages " + ",".join(map(str, pages[:10])) + ("..." if len(pages) > 10 else "")


def _last_error(stderr: str, code: int, options: ReaderOptions) -> str:
    if "DecompressionBombError" in stderr:
        return (f"an image larger than the limit of {options.ocr_max_image_mpixels:g} "
                "megapixels, a possible decompression bomb")
    lines = [line.strip() for line in stderr.splitlines()
             if line.strip() and not line.startswith(("Temporary working files", "/"))]
    detail = lines[-1] if lines else f"ocrmypdf exit code {code}"
    return detail[:160]


def _confidences(keep: Path) -> dict[int, float | None]:
    """Mean Tesseract word confidence (0..1) per page, from the hOCR files kept by -k."""
    found: dict[int, float | None] = {}
    for hocr in keep.rglob("*_ocr_hocr.hocr"):
        match = _HOCR_FILE.match(hocr.name)
        if not match:
            continue
        scores = [int(s) for s in _WORD_CONFIDENCE.findall(
            hocr.read_text(encoding="utf-8", errors="replace"))]
        found[int(match.group(1))] = round(sum(scores) / len(scores) / 100, 3) \
            if scores else None
    return found


def _read_pages(path: Path, pdf_path: Path, pages: list[int],
                confidences: dict[int, float | None],
                ) -> dict[int, tuple[Words, float, float | None]]:
    import pdfplumber

    out: dict[int, tuple[Words, float, float | None]] = {}
    try:
        with pdfplumber.open(pdf_path) as pdf:
            for number in pages:
                page = pdf.pages[number - 1]
                out[number] = (_sized_words(page), float(page.width), confidences.get(number))
    except Exception as exc:  # pdfminer's private error types
        raise InputError(path, f"OCR output unreadable ({type(exc).__name__})") from exc
    return out


def _sized_words(page) -> Words:  # noqa: ANN001 - a pdfplumber page
    """Words with one size each. OCR lines follow the scan's slight tilt, so the sizes of
    a word's characters differ in the third decimal: grouping by size would cut words
    into letters; the word gets its characters' mean size instead."""
    from tradelens.text.pdf_noise import without_noise

    words = without_noise(page).extract_words(return_chars=True)
    for word in words:
        chars = word.pop("chars")
        word["size"] = round(sum(float(c["size"]) for c in chars) / len(chars), 2)
    return words

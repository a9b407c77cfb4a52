"""Reader options: how far a reader may go to get text out of a file.

Kept apart from the readers so a batch can carry one small, picklable object to its
workers, and so every bound on costly work (OCR time, pages, image sizes) is a setting
with a documented default rather than a constant buried in a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[str, ...] = ("auto", "always", "never")


@dataclass(frozen=True)
class ReaderOptions:
    """`ocr`: `auto` OCRs the PDF pages that have no text layer, `always` OCRs every page
    (for a PDF whose text layer is garbage), `never` refuses image-only pages."""

    ocr: OcrMode = "auto"
    #: Tesseract languages, '+'-joined; None lets the document choose (see ingest/ocr.py).
    ocr_languages: str | None = None
    #: Seconds Tesseract may spend on one page, and the OCR run on one file.
    ocr_page_seconds: float = 60.0
    ocr_total_seconds: float = 900.0
    #: At most this many pages of one file are OCRed; more is refused.
    ocr_max_pages: int = 300
    #: An embedded image larger than this (megapixels) is treated as a decompression bomb.
    ocr_max_image_mpixels: float = 120.0

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")

    @property
    def fingerprint(self) -> str:
        """What changes a report: empty for the defaults, so stored reports stay valid."""
        return "" if self == ReaderOptions() else repr(self)


DEFAULT_OPTIONS = ReaderOptions()

"""Scanned copies of generated PDFs: every page rendered to an image, no text layer left.

A scan is what an archive or a signing ceremony hands a negotiator: pages as pictures.
pdfium renders each page (greyscale, like an office scanner), Pillow writes the images
back as an image-only PDF, and pdfium splices pages of two PDFs into a mixed one.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def rasterise(source: Path, target: Path, dpi: int = 200) -> int:
    """Write an image-only copy of `source`; return its page count."""
    pdf = pdfium.PdfDocument(str(source))
    try:
        images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
                  for i in range(len(pdf))]
    finally:
        pdf.close()
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)


def splice(base: Path, other: Path, target: Path, from_other: set[int]) -> None:
    """`base` with the pages numbered in `from_other` (1-based) taken from `other`."""
    first, second = pdfium.PdfDocument(str(base)), pdfium.PdfDocument(str(other))
    out = pdfium.PdfDocument.new()
    try:
        for number in range(1, len(first) + 1):
            source = second if number in from_other else first
            out.import_pages(source, [number - 1])
        out.save(str(target))
    finally:
        for pdf in (out, first, second):
            pdf.close()

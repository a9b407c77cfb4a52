"""Render the sample agreements kept as text in corpora/sources/ to PDF in corpora/samples/.

The PDFs carry what real treaty PDFs carry and the reader must survive: a running header
on every page, a footer with page numbers, wrapped and justified paragraphs. Run it after
editing a source text:  python corpora/build_samples.py   (needs reportlab: pip install -e .[dev])
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
_HEADING = re.compile(r"^(CHAPTER|PREAMBLE|Article)\b|^[A-Z][A-Z ,]+$")


def render(source: Path, target: Path, header: str) -> int:
    """Write `target` from the text in `source`; returns the number of pages."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=10, leading=12.5,
                          alignment=TA_JUSTIFY, spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, fontName="Times-Bold", spaceBefore=6)

    def story() -> list:
        flow = []
        for line in source.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if not text:
                flow.append(Spacer(1, 3))
                continue
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            flow.append(Paragraph(escaped, heading if _HEADING.match(text) else body))
        return flow

    def decorate(total: int):
        def on_page(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback signature
            width, height = A5
            canvas.saveState()
            canvas.setFont("Times-Italic", 8)
            canvas.drawCentredString(width / 2, height - 10 * mm, header)
            canvas.setFont("Times-Roman", 8)
            canvas.drawCentredString(width / 2, 8 * mm, f"Page {doc.page} of {total}")
            canvas.restoreState()
        return on_page

    def build(total: int) -> int:
        doc = SimpleDocTemplate(str(target), pagesize=A5, topMargin=18 * mm,
                                bottomMargin=16 * mm, leftMargin=15 * mm, rightMargin=15 * mm,
                                title=header, author="TradeLens sample corpus")
        callback = decorate(total)
        doc.build(story(), onFirstPage=callback, onLaterPages=callback)
        return doc.page

    pages = build(0)
    return build(pages)


SAMPLES = {
    "pacific_rim_digital_partnership": "Pacific Rim Digital Partnership - consolidated text",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "samples")
    args = parser.parse_args()
    for name, header in SAMPLES.items():
        target = args.out / f"{name}.pdf"
        pages = render(HERE / "sources" / f"{name}.txt", target, header)
        print(f"{target} ({pages} pages)")


if __name__ == "__main__":
    main()

"""One form for every text TradeLens reads: NFC, without invisible marks or ligatures.

The same word can arrive as different code points, and the taxonomy's patterns, phrase
lists, sentence ends and the embedding cache's text hashes all compare code points:

- "é" is one character when typed, but some PDF producers, macOS tools and converters
  write "e" followed by a combining acute (decomposed), and a few converters write GREEK
  QUESTION MARK (U+037E) for a semicolon. Canonical composition (NFC) makes such twins one
  text without changing how it reads or looks.
- A soft hyphen (Word's optional hyphen, HTML's `&shy;`), a zero-width space, a word
  joiner or a stray byte-order mark prints nothing, yet inside "trans\u00adfer" it hides
  the word from every pattern. They are removed.
- PDF producers leave typographic ligatures in extracted text ("ﬂows" with U+FB02), and
  Word's non-breaking hyphen and the Unicode hyphen (U+2011, U+2010) are hyphens in every
  use. They become the letters and the "-" the taxonomy writes.

The compatibility forms (NFKC) are not used: they would also rewrite superscript footnote
marks, full-width forms and other characters that readers and reports keep as the source
prints them.
"""

from __future__ import annotations

import re
import unicodedata

from tradelens.models import Document

#: What each special code point becomes (None: removed).
_REPLACEMENTS: dict[int, str | None] = {
    0x00AD: None, 0x200B: None, 0x2060: None, 0xFEFF: None,  # invisible
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
    0xFB05: "st", 0xFB06: "st",  # Latin ligatures
    0x2010: "-", 0x2011: "-",  # hyphen, non-breaking hyphen
}
_SPECIAL = re.compile("[" + "".join(map(chr, _REPLACEMENTS)) + "]")


def normal_text(text: str) -> str:
    """`text` without invisible marks or ligatures, in NFC (the same object when nothing
    changes)."""
    if text.isascii():
        return text
    if _SPECIAL.search(text):
        text = text.translate(_REPLACEMENTS)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def normal_document(document: Document) -> Document:
    """Every text a reader put in `document` (blocks, their headings, notes and tracked
    changes, the title and the parties) in normal form; changed in place and returned."""
    for block in document.blocks:
        block.text = normal_text(block.text)
        block.number = normal_text(block.number) if block.number is not None else None
        block.title = normal_text(block.title) if block.title is not None else None
        block.footnotes = [normal_text(note) for note in block.footnotes]
        block.comments = [normal_text(note) for note in block.comments]
        block.changes = [(kind, normal_text(text)) for kind, text in block.changes]
    document.title = normal_text(document.title) if document.title is not None else None
    document.parties = [normal_text(party) for party in document.parties]
    document.parties_original = [normal_text(party) for party in document.parties_original]
    return document

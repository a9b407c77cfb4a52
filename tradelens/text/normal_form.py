"""One Unicode form for every text TradeLens reads: NFC.

The same word can arrive as different code points. "é" is one character when typed, but
some PDF producers, macOS tools and converters write "e" followed by a combining acute
(decomposed, NFD); and a few converters write GREEK QUESTION MARK (U+037E) where a
semicolon was meant. Patterns, phrase lists, sentence ends and the text hashes of the
embedding cache all compare code points, so a decomposed "exigirá" would not be read as a
binding future, and U+037E would not end a sentence. Canonical composition (NFC) makes
such twins one text without changing how it reads or looks. The compatibility forms
(NFKC) are not used: they would also rewrite superscript footnote marks, ligatures and
full-width forms, which readers and reports keep as the source has them.
"""

from __future__ import annotations

import unicodedata

from tradelens.models import Document


def nfc(text: str) -> str:
    """`text` in canonical composition (the same object when it already is)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def nfc_document(document: Document) -> Document:
    """Every text a reader put in `document` (blocks, their headings, notes and tracked
    changes, the title and the parties) in NFC; changed in place and returned."""
    for block in document.blocks:
        block.text = nfc(block.text)
        block.number = nfc(block.number) if block.number is not None else None
        block.title = nfc(block.title) if block.title is not None else None
        block.footnotes = [nfc(note) for note in block.footnotes]
        block.comments = [nfc(note) for note in block.comments]
        block.changes = [(kind, nfc(text)) for kind, text in block.changes]
    document.title = nfc(document.title) if document.title is not None else None
    document.parties = [nfc(party) for party in document.parties]
    document.parties_original = [nfc(party) for party in document.parties_original]
    return document

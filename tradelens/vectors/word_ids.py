"""A WordPiece tokenizer's ids of many texts, remembered word by word.

The static first pass tokenizes every paragraph of every agreement: in a cold ToTA run
about 120,000 texts and 13 million tokens, some 18 s of CPU in `tokenizers` (normalising,
splitting and looking up each word again, though legal drafting uses few distinct words).
Here each text is cut at its plain spaces, the ids of each piece are looked up in a table
filled by the real tokenizer (only the pieces not seen before are tokenized), and
concatenated: 1.5 s instead of 6.9 s of CPU for 40,000 ToTA clauses.

It gives exactly the tokenizer's ids, because with a BERT normaliser and pre-tokenizer
(the only ones it is used with; any other tokenizer runs as it is):

* the normaliser maps each character on its own (control characters dropped, white space
  to a space, CJK characters spaced, lower case, accents stripped), so no mapping reaches
  across a space;
* the pre-tokenizer splits at every space, so a space is a word boundary in the text and
  in the pieces alike;
* WordPiece reads each pre-token alone (its 100-character limit included), and no
  truncation or special token is added.

`tests/test_word_ids.py` checks the equality on hostile strings; the ToTA clauses and the
labelled sets give the same ids either way (docs/performance.md, 0.13.3). Off with the
other speed-ups (`tradelens/speedups.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

from tradelens import speedups

#: Pieces remembered at most; the table starts again when a new batch would pass it (a
#: hostile file of random words costs only its own tokenizing).
MAX_PIECES = 200_000


def splits_at_spaces(tokenizer: Any) -> bool:  # noqa: ANN401 - a tokenizers.Tokenizer
    """Whether the piecewise reading is exact for this tokenizer: a BERT normaliser (or
    none), the BERT pre-tokenizer, a WordPiece model, no truncation or padding."""
    from tokenizers import models, normalizers, pre_tokenizers

    return (isinstance(tokenizer.model, models.WordPiece)
            and isinstance(tokenizer.pre_tokenizer, pre_tokenizers.BertPreTokenizer)
            and (tokenizer.normalizer is None
                 or isinstance(tokenizer.normalizer, normalizers.BertNormalizer))
            and tokenizer.truncation is None and tokenizer.padding is None)


class WordIds:
    """Texts -> the tokenizer's ids without special tokens, piece by piece where exact."""

    def __init__(self, tokenizer: Any) -> None:  # noqa: ANN401 - a tokenizers.Tokenizer
        self.tokenizer = tokenizer
        self.piecewise = speedups.enabled() and splits_at_spaces(tokenizer)
        self.pieces: dict[str, list[int]] = {}

    def __call__(self, texts: Sequence[str]) -> list[list[int]]:
        if not self.piecewise:
            return [e.ids for e in self.tokenizer.encode_batch(list(texts),
                                                               add_special_tokens=False)]
        pieces = self.pieces
        split = [text.split(" ") for text in texts]
        new = list({p for words in split for p in words if p not in pieces})
        if len(pieces) + len(new) > MAX_PIECES:
            pieces.clear()
            new = list({p for words in split for p in words})
        if new:
            encodings = self.tokenizer.encode_batch(new, add_special_tokens=False)
            pieces.update(zip(new, (e.ids for e in encodings), strict=True))
        return [list(chain.from_iterable([pieces[p] for p in words])) for words in split]

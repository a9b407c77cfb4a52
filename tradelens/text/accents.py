"""Spanish and French written without their accents: "informacion", "ARTICULO", "donnees".

Scans, text typed in capitals, e-mails and forms often drop the accents the taxonomy's
cues and phrases are written with, and a cue that does not match costs a finding: on
the out-of-domain test part's Spanish and French items with their accents stripped,
0.12.1's recall fell from 0.907 / 0.971 / 0.852 (data flows, server location, source
code) to 0.796 / 0.676 / 0.667 (docs/evaluation.md). So wherever the taxonomy's words
are matched, an accented letter also matches its bare letter.

One way only: "información" in a cue matches "informacion", but "esta" in a phrase does
not match "está". Text written with its accents therefore reads exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Each accented letter of the taxonomy's languages and the letter it is written as when
#: its accent is dropped (lower case; `re.IGNORECASE` and `str.lower` cover capitals).
BARE_LETTERS = {
    "á": "a", "à": "a", "â": "a", "ä": "a",
    "é": "e", "è": "e", "ê": "e", "ë": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i",
    "ó": "o", "ò": "o", "ô": "o", "ö": "o",
    "ú": "u", "ù": "u", "û": "u", "ü": "u",
    "ç": "c", "ñ": "n", "ÿ": "y",
}
_BARE = str.maketrans(BARE_LETTERS)


def bare(word: str) -> str:
    """`word` (lower case) with its accents dropped, one character for one."""
    return word.translate(_BARE)


def with_bare(words: Iterable[str]) -> frozenset[str]:
    """The lower-case `words` and their forms without accents."""
    return frozenset(form for word in words for form in (word, bare(word)))


def accent_tolerant(pattern: str) -> str:
    """A regular expression in which each accented letter also matches its bare letter:
    outside a character class "ó" becomes "[óo]"; inside one the bare letter is added
    (a negated class is left alone: adding would narrow it)."""
    out: list[str] = []
    opened = -1  # where the open character class starts in `out`, or -1
    negated = False
    escaped = False
    for char in pattern:
        lower = char.lower()
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and opened < 0:
            opened = len(out)
            negated = False
        elif opened >= 0 and char == "^" and len(out) == opened + 1:
            negated = True
        elif char == "]" and opened >= 0 and "".join(out[opened + 1:]) not in ("", "^"):
            opened = -1  # (a "]" first in the class, or after its "^", is literal)
        elif lower in BARE_LETTERS:
            if opened < 0:
                char = f"[{char}{BARE_LETTERS[lower]}]"
            elif not negated:
                char += BARE_LETTERS[lower]
        out.append(char)
    return "".join(out)

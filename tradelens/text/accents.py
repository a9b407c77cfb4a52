"""Spanish and French written without their accents: "informacion", "ARTICULO", "donnees".

Scans, text typed in capitals, e-mails and forms often drop the accents the taxonomy's
cues and phrases are written with, and a cue that does not match costs a finding: on
the out-of-domain test part's Spanish and French items with their accents stripped,
0.12.1's recall fell from 0.907 / 0.971 / 0.852 (data flows, server location, source
code) to 0.778 / 0.676 / 0.667 (docs/evaluation.md, `bench/accents_stripped.py`). So
wherever the taxonomy's words are matched, an accented letter also matches its bare
letter.

One way: "información" in a cue matches "informacion", but "esta" in a phrase does not
match "está". In the phrase and word lists, where a bare form is another word it is not
widened: the futures in -ará (whose bare form is a subjunctive), a word of `HOMOGRAPHS`
standing alone, and a grave that tells French words apart ("à", "où", "là"). Patterns are
not read word by word: every accented letter of a pattern is widened but for such a grave,
so "est[áa]" matches "esta" and "autorizará" matches "autorizara" (a taxonomy author keeps
a letter strict by escaping it, "\\á"). Accented text changes where it writes a taxonomy
word without an accent of its own (the spelling "periodo", French capitals "Etat"), or
where a pattern meets a bare homograph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Each accented letter of the taxonomy's languages and the letter it is written as when
#: its accent is dropped (lower case; `re.IGNORECASE` and `str.lower` cover capitals). The
#: grave on a and u is in `GRAVE`: in French it tells short words apart ("à" / "a", "où" /
#: "ou", "là" / "la"), so it is dropped only well inside a word ("au-delà", "déjà").
BARE_LETTERS = {
    "á": "a", "â": "a", "ä": "a",
    "é": "e", "è": "e", "ê": "e", "ë": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i",
    "ó": "o", "ò": "o", "ô": "o", "ö": "o",
    "ú": "u", "û": "u", "ü": "u",
    "ç": "c", "ñ": "n", "ÿ": "y",
}
GRAVE = {"à": "a", "ù": "u"}
#: Letters before a grave that make it droppable: "delà" and "déjà", not "là" or "où".
_GRAVE_AFTER = 2

#: Words whose bare form is another word of the language ("está" / "esta", "él" / "el"),
#: and the Spanish futures in -ará, whose bare form is a subjunctive ("autorizara"):
#: never widened in the phrase and word lists.
HOMOGRAPHS = frozenset({
    "está", "están", "él", "sí", "más", "sé", "dé", "té", "tú", "mí", "aún", "qué",
    "cuál", "cómo", "dónde", "cuándo", "quién", "sólo", "éste", "ésta", "ése", "ésa",
    "dès", "dû", "sûr", "côte", "tâche", "pêcher", "mûr"})


def bare(word: str) -> str:
    """`word` (lower case) with its accents dropped, one character for one; a grave only
    after at least two letters of the same word ("au-delà", but "là" and "où" stay)."""
    return "".join(_bare_letter(word, i) or c for i, c in enumerate(word))


def _bare_letter(text: str, index: int) -> str | None:
    """The bare letter of `text[index]` (lower case), if it is an accented letter whose
    accent may be dropped there; else None."""
    lower = text[index].lower()
    if lower in BARE_LETTERS:
        return BARE_LETTERS[lower]
    if lower in GRAVE and _letters_before(text, index) >= _GRAVE_AFTER:
        return GRAVE[lower]
    return None


def _letters_before(text: str, index: int) -> int:
    """How many letters run without a break up to `text[index]`."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1].isalpha():
        count += 1
    return count


def _future(word: str) -> bool:
    """A Spanish future in -ará, whose bare form is a subjunctive ("dejara que")."""
    return word.endswith(("ará", "arán"))


def widened(word: str) -> bool:
    """Whether a lower-case taxonomy word standing alone may also be matched bare."""
    return word not in HOMOGRAPHS and not _future(word)


def with_bare(words: Iterable[str]) -> frozenset[str]:
    """The lower-case `words` and, where `widened`, their forms without accents."""
    return frozenset(form for word in words
                     for form in ((word, bare(word)) if widened(word) else (word,)))


def phrase_forms(words: list[str]) -> list[frozenset[str]]:
    """The forms each lower-case word of a taxonomy phrase may take: bare too where
    `widened`, and in a phrase of several words a homograph as well ("no está autorizado"
    is "no esta autorizado" typed bare), its neighbours telling it apart. A future in
    -ará never ("Si una Parte dejara que" is a subjunctive whatever follows)."""
    if len(words) == 1:
        return [with_bare(words)]
    return [frozenset({word} if _future(word) else {word, bare(word)}) for word in words]


def _class_additions(body: str, flags: int) -> str:
    """The bare letters a character class `[body]` must add: those of every accented
    letter it matches (ranges and escapes included)."""
    try:
        matcher = re.compile(f"[{body}]", flags)
    except re.error:
        return ""
    found = {letter for accented, letter in BARE_LETTERS.items()
             if matcher.fullmatch(accented) or matcher.fullmatch(accented.upper())}
    return "".join(sorted(letter for letter in found if not matcher.fullmatch(letter)))


def accent_tolerant(pattern: str, flags: int = re.IGNORECASE) -> str:
    """A regular expression in which each accented letter also matches its bare letter:
    outside a character class "ó" becomes "[óo]"; a class gains the bare letters of the
    accented letters it matches. Left alone, since widening them would narrow the
    pattern or change what it is: negated classes, negative lookarounds, group names,
    comments and escapes."""
    out: list[str] = []
    negative: list[bool] = []  # per open group: a negative lookaround (or inside one)?
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[":
            end = _class_end(pattern, i)
            body = pattern[i + 1:end]
            if body.startswith("^") or any(negative) or end >= len(pattern):
                out.append(pattern[i:end + 1])
            else:
                out.append(f"[{_with_additions(body, _class_additions(body, flags))}]")
            i = end + 1
            continue
        if char == "(":
            head = pattern[i:i + 4]
            if head.startswith(("(?#", "(?P<", "(?P=")):
                end = pattern.find(")" if not head.startswith("(?P<") else ">", i)
                end = len(pattern) - 1 if end < 0 else end
                out.append(pattern[i:end + 1])
                if head.startswith("(?P<"):
                    negative.append(any(negative))
                i = end + 1
                continue
            negative.append(any(negative) or head.startswith(("(?!", "(?<!")))
        elif char == ")" and negative:
            negative.pop()
        elif not any(negative) and (letter := _bare_letter(pattern, i)):
            char = f"[{char}{letter}]"
        out.append(char)
        i += 1
    return "".join(out)


def _with_additions(body: str, additions: str) -> str:
    """A class body with `additions` (plain letters) where they stay literal: before a
    trailing literal "-", which would otherwise open a range ("[é-]" is "[ée-]")."""
    if not additions:
        return body
    escapes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    if body.endswith("-") and escapes % 2 == 0:
        return body[:-1] + additions + "-"
    return body + additions


def _class_end(pattern: str, start: int) -> int:
    """The index of the "]" that closes the class opened at `start` (a "]" first in the
    class, or after its "^", is literal), or len(pattern) if none."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return len(pattern)

"""Document language detection for English, Spanish and French.

Trade agreements in the WTO's three official languages are told apart reliably by the
share of each language's function words; a statistical detector would add a dependency
for no gain on this corpus.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in shall be by or for with that this any such on as its from party".split()
    ),
    "es": frozenset(
        "de la el los las y en que del por con una para su se al lo como parte".split()
    ),
    "fr": frozenset(
        "de la le les et des du en que par une pour sur au aux est dans partie ou".split()
    ),
}
_WORD = re.compile(r"[a-záéíóúñüçàèêëîïôûœ]+")


def detect_language(text: str, sample_chars: int = 20000) -> str | None:
    """Return 'en', 'es' or 'fr' for the dominant language of `text`, or None if unclear."""
    words = _WORD.findall(text[:sample_chars].lower())
    if len(words) < 5:
        return None
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] >= max(2, 0.05 * len(words)) else None


# -- one block at a time ------------------------------------------------------------------
# A paragraph, a page's column or a table cell holds a few dozen words, too few for the
# shares above: each language gets a longer list of its own function words (words two
# languages share, such as `de`, `la`, `que`, count for both and so decide nothing between
# them), and spelling that only one of the three languages uses counts too: `ñ` and acute
# `á í ó ú` (Spanish), `ç`, `œ`, grave and circumflex accents and the elided `l'`, `d'`,
# `qu'` (French). Written by hand, measured on ToTA paragraphs by bench/bench_language.py.

_BLOCK_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in shall be by or for with that this any such on as its from is are "
        "which not may other where under an at it has have their each between within into "
        "these those than all upon whether would should will including there been party "
        "provided shall not nothing referred measures".split()
    ),
    "es": frozenset(
        "de la el los las y en que del por con una un para su sus se al lo como es son cada "
        "parte partes deberá podrá otra otro otras otros sobre dicho dicha cualquier sin ni "
        "este esta estos estas dentro también según mediante entre cuando donde hacia "
        "ninguna ningún presente medidas dichas dichos".split()
    ),
    "fr": frozenset(
        "de la le les et des du en que par une un pour sur au aux est dans ou sont qui ne pas "
        "doit peut chaque cette ces leur leurs être présent présente avec il elle tout toute "
        "tous sous entre ainsi afin lorsque dont celle ceux été partie mesures aucune aucun "
        "conformément".split()
    ),
}
_BLOCK_WORD = re.compile(r"[a-záéíóúñüçàèêëîïôûùâœ]+")
_SPANISH_LETTERS = re.compile(r"[ñáíóú¿¡]")
_FRENCH_LETTERS = re.compile(r"[çœàèêëîïôûùâ]|\b(?:l|d|qu)['’](?=[a-zéèêà])")
#: Fewer words than this say too little to tell a language (an "Article 3" heading).
BLOCK_MIN_WORDS = 4


def block_language(text: str, among: tuple[str, ...] = ("en", "es", "fr")) -> str | None:
    """'en', 'es' or 'fr' for one block of text (a paragraph, a column of a page, a table
    cell), or None when it is too short or too mixed to tell. `among` narrows the choice
    (a title line of an English and French print is one or the other)."""
    if len(among) < 2:
        raise ValueError("block_language needs at least two languages to choose between")
    lower = text.lower()
    words = _BLOCK_WORD.findall(lower)
    if len(words) < BLOCK_MIN_WORDS:
        return None
    scores = {lang: float(sum(1 for w in words if w in _BLOCK_WORDS[lang])) for lang in among}
    if "es" in scores:
        scores["es"] += len(_SPANISH_LETTERS.findall(lower))
    if "fr" in scores:
        scores["fr"] += len(_FRENCH_LETTERS.findall(lower))
    ranked = sorted(scores, key=lambda lang: -scores[lang])
    best, second = scores[ranked[0]], scores[ranked[1]]
    if best < 2 or best - second < max(1.5, 0.15 * best):
        return None
    return ranked[0]

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

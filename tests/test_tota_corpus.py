"""Every ToTA agreement parses and segments without losing a character of article text.

Article text is compared with the clauses made from it as a multiset of non-space
characters: the clause text, the paragraph number the segmenter lifted out ('1.'), and the
inlined footnotes it moved onto the clause. Equality means nothing was dropped and
nothing was duplicated. Clause counts are recorded in pytest's cache
(`tradelens/tota_clause_counts`) for the benchmark and the closing notes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import TOTA
from tradelens.text import read_document
from tradelens.text.segment import segment

FILES = sorted(TOTA.glob("*.xml"))


@pytest.fixture(scope="module")
def clause_counts(request: pytest.FixtureRequest):
    """Collects clause counts per file and records them once, after the last file."""
    counts: dict[str, int] = {}
    yield counts
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        cache.set("tradelens/tota_clause_counts", dict(sorted(counts.items())))


def _chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def test_the_whole_corpus_is_there() -> None:
    assert len(FILES) == 450, f"expected the 450 ToTA files in {TOTA}"


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_article_text_is_lost(path, clause_counts: dict[str, int]) -> None:
    document = read_document(path)
    clauses = segment(document)
    articles = [b for b in document.blocks if b.kind == "article"]
    rebuilt: dict[str | None, Counter[str]] = {}
    for clause in clauses:
        number = f"{clause.paragraph}." if clause.paragraph.isdigit() \
            and clause.paragraph != "0" else ""
        rebuilt.setdefault(clause.source_ref, Counter()).update(
            _chars(number + clause.text + "".join(clause.footnotes)))
    expected: dict[str | None, Counter[str]] = {}
    for article in articles:
        expected.setdefault(article.source_ref, Counter()).update(_chars(article.text))
    expected = {ref: chars for ref, chars in expected.items() if chars}
    lost = [ref for ref in expected if rebuilt.get(ref) != expected[ref]]
    assert not lost, f"{path.name}: article text changed in {lost[:5]}"
    assert clauses, f"{path.name}: no clauses"
    clause_counts[path.stem] = len(clauses)

"""The divisions an article sits in: Part > Title > Chapter > Section, nested by rank.

Agreements divide their text at several levels (a Part holds chapters, a chapter holds
sections), and a modifier written once for a division governs every rule inside it: "this
Part shall not be subject to dispute settlement" reaches every chapter of the Part. Readers
give headings one after another (ToTA even flattens Parts and chapters into one list), so
nesting is rebuilt from each heading's word: a heading closes the open divisions of its
rank or lower and opens one inside those of higher rank. A heading without a known word
(a styled DOCX heading, "Preamble") is a chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Division kinds by depth: a heading closes the open divisions of its depth or deeper.
#: Annexes and appendices stand where chapters do: a chapter's annex ("Annex 8-A") sits
#: between two chapters of its Part, and the next chapter closes it.
DEPTH = {"part": 0, "title": 1, "chapter": 2, "annex": 2, "section": 3}
_KIND_OF_WORD = {
    "part": "part", "partie": "part", "parte": "part",
    "title": "title", "título": "title", "titulo": "title", "titre": "title",
    "chapter": "chapter", "capítulo": "chapter", "capitulo": "chapter", "chapitre": "chapter",
    "module": "chapter", "módulo": "chapter", "modulo": "chapter",
    "annex": "annex", "anexo": "annex", "annexe": "annex",
    "appendix": "annex", "apéndice": "annex", "apendice": "annex", "appendice": "annex",
    "section": "section", "sección": "section", "seccion": "section",
}
#: How a heading word is shown in a clause's location (English, like the rest of a report).
LABELS = {"annex": "Annex", "anexo": "Annex", "annexe": "Annex", "appendix": "Appendix",
          "apéndice": "Appendix", "apendice": "Appendix", "appendice": "Appendix",
          "part": "Part", "partie": "Part", "parte": "Part", "title": "Title",
          "título": "Title", "titulo": "Title", "titre": "Title", "section": "Section",
          "sección": "Section", "seccion": "Section", "module": "Module", "módulo": "Module",
          "modulo": "Module"}
_LEADING_WORD = re.compile(r"^\s*([^\W\d_]+)\b\s*", re.I)
# "this Part", "the present Chapter", "la presente Parte", "este Capítulo", "du présent
# titre": the division a modifier says it governs. A Spanish Part only with "presente":
# "esta Parte" is this Party.
_OWN_DIVISION = re.compile(
    r"(?:\b(?:this|the present)\s+(part|title|chapter|module|section|annex)"
    r"|\b(?:est[ea]|[ae]l presente|del presente)\s+(t[íi]tulo|cap[íi]tulo|m[óo]dulo"
    r"|secci[óo]n|anexo)"
    r"|\bla presente\s+(parte|secci[óo]n)"
    r"|\bprésente?\s+(partie|titre|chapitre|module|section|annexe))\b", re.I)

# "this Article", "el presente artículo", "le présent article": a modifier written for one
# article (an article kept out of dispute settlement) governs that article only.
_OWN_ARTICLE = re.compile(
    r"\b(?:this|the present)\s+article\b|\b(?:est[ea]|[ae]l presente|del presente)\s+"
    r"art[íi]culo\b|\b(?:le|du|au)\s+pr[ée]sent\s+article\b|\bcet\s+article\b", re.I)
# "this Article" named in passing ("paragraph 2 of this Article", "For the purposes of this
# Article, ...") does not make a clause its article's own.
_IN_PASSING = re.compile(
    r"\b(?:sub)?(?:paragraphs?|p[áa]rrafos?|apartados?|paragraphes?|alin[ée]as?)\s+[\w().]+"
    r"\s+(?:of|del|de|du)\s+(?:this|the present|este|el presente|presente|le pr[ée]sent|cet)"
    r"\s+art\w+|\b(?:for the purposes of|nothing in|subject to|notwithstanding|except as "
    r"provided in|a efectos del|para los efectos del|aux fins du)\s+(?:this|the present|"
    r"este|el presente|presente|le pr[ée]sent)\s+art\w+", re.I)
# ... nor does a clause that names other articles by number ("matters arising under
# Articles 9.1 to 9.3").
_OTHER_ARTICLES = re.compile(
    r"\b(?:under|of|to|in|del|de los|de la|du|des|aux?|à l')\s+(?:articles?|art[íi]culos?)"
    r"\s+\d", re.I)


@dataclass(frozen=True)
class Division:
    """One division heading: its kind, its place among the document's headings, its text."""

    kind: str
    index: int
    heading: str | None


def kind_of_word(word: str | None) -> str:
    """The kind of a heading word ("Capítulo" -> "chapter"); unknown words are chapters."""
    return _KIND_OF_WORD.get((word or "").strip().lower(), "chapter")


def split_heading_number(raw: str | None) -> tuple[str | None, str | None]:
    """'PART II' -> ('PART', 'II'); 'CHAPTER 14' -> ('CHAPTER', '14'); '14' -> (None, '14').
    ToTA keeps the heading word in a chapter's number attribute."""
    if not raw or not raw.strip():
        return None, None
    match = _LEADING_WORD.match(raw)
    if match and match.group(1).lower() in _KIND_OF_WORD:
        return match.group(1), raw[match.end():].strip() or None
    return None, raw.strip()


def named_division(text: str) -> str | None:
    """The kind of division a clause says it governs ("this Part" -> "part"), if any."""
    match = _OWN_DIVISION.search(text)
    return kind_of_word(next(g for g in match.groups() if g)) if match else None


def names_own_article_only(text: str) -> bool:
    """Whether a clause says it governs its own article ("This Article shall not be subject
    to dispute settlement") and names no wider division of its own."""
    if _OTHER_ARTICLES.search(text):
        return False
    text = _IN_PASSING.sub(" ", text)
    return _OWN_DIVISION.search(text) is None and _OWN_ARTICLE.search(text) is not None


class DivisionStack:
    """The divisions open at the current point of a document, outermost first."""

    def __init__(self) -> None:
        self.open: tuple[Division, ...] = ()
        self.count = 0

    def enter(self, kind: str, heading: str | None) -> tuple[Division, ...]:
        """A new heading of `kind`: close what it ends, open it, return the open path.
        Indices count every heading, so the innermost one's is the clause's chapter index."""
        self.count += 1
        kept = tuple(d for d in self.open if DEPTH[d.kind] < DEPTH[kind])
        self.open = (*kept, Division(kind, self.count, heading))
        return self.open


def governed_division(divisions: tuple[Division, ...], named: str | None,
                      fallback_index: int) -> int:
    """The index of the division a modifier in a clause with these `divisions` governs:
    the innermost one of the kind its words name ("this Part"); without such words, or
    when the document has no division of that kind, the innermost chapter-or-wider one
    (a Section's scope article speaks for its chapter unless it says "this Section")."""
    if not divisions:
        return fallback_index
    if named is not None:
        same = [d for d in divisions if d.kind == named]
        if same:
            return same[-1].index
    wide = [d for d in divisions if DEPTH[d.kind] <= DEPTH["chapter"]]
    return (wide or divisions)[-1].index

"""Who a right, a duty or an imposition concerns: the actor around a modal phrase.

"Financial institutions of the other Party may transfer information ..." binds the Party
(it must let them); "A Party may require ..." frees it. "Banks shall not be obliged to ..."
protects the banks; "No Party shall be obliged to ..." frees the Party. "Una Parte no podrá
obligar a una empresa ..." binds the Party; "El presente Capítulo no obligará a las Partes
..." frees it. "No será exigible a los proveedores ..." protects the suppliers; "... a una
Parte" frees the Party. "No covered person shall be required to ...", "Ninguna empresa
estará obligada a ...", "Nul ne peut être contraint de ..." bind the Party (no one may
oblige the firm); "No Party shall be required to ..." frees it. The phrase matcher sees the
same words in each pair, so the taxonomy lists the words that grant (`right`), bind a Party
(`duty`), rule a requirement out (`imposed`) or oblige the subject in the passive
(`spared`), and the actors concerned; this module reads which actor it is.

The reading is deliberately shallow and leans to "no change": the subject is the first
actor word after the last ";" or ":" (or a "that" that does not follow an actor) that no
preposition or subordinating conjunction earlier in its comma-delimited stretch governs,
and that is not a possessive ("Subject to the Party's laws, a financial institution may
..." is about the institution). A sentence that names no actor there grants and binds
nothing, and the clause reads as it did before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tradelens.classify.phrases import fold
from tradelens.text.accents import with_bare

# Words, elided articles and prepositions ("d'", "l'"), commas (which end what a
# preposition governs), and the stops that open a new clause.
_TOKEN = re.compile(r"[^\W\d_]+'?|[,;:]")
#: After one of these the subject is read afresh; after "that" or "que" only when it does
#: not follow an actor ("A Party that licenses a supplier may ..." is about the Party).
_CLAUSE_STOPS = frozenset({";", ":"})
#: Where a denial before an actor stops reaching it: a clause stop or a comma.
_LEAD_STOPS = _CLAUSE_STOPS | {","}
_CLAUSE_OPENERS = frozenset({"that", "que", "qu'"})
# The word lists below hold each word's form without accents too (`text/accents.py`).
_WORD = re.compile(r"[^\W\d_]+'?")
_LAST_WORD = re.compile(r"([^\W\d_]+'?)\W*$")
#: A Party named within this many words (and commas) after an imposition is the one it
#: spares ("no será exigible a una Parte"); one named later is where the rule applies.
_SPARED_WITHIN = 5
#: How many words after a right are read for a form that undoes it.
_AFTER = 3
#: A right followed within `_AFTER` words by one of these is a passive, negated or limited
#: form, not a freedom: "may (, however,) be required", "may not", "may only", "podrán
#: ser", "peuvent notamment être tenus".
_NOT_A_RIGHT_AFTER = with_bare({
    "be", "not", "only", "ser", "estar", "no", "solo", "sólo", "solamente", "únicamente",
    "être", "etre", "pas", "uniquement", "seulement"})
#: ... and one followed by a power over others is not a freedom either ("may require",
#: "podrán exigir"), unless a refusal comes first: "may decline any demand", "peut
#: refuser toute demande", "podrá rechazar cualquier solicitud" is a firm's freedom.
_POWER = with_bare({"require", "oblige", "compel", "impose", "request", "demand",
                    "exigir", "requerir", "obligar", "imponer", "solicitar",
                    "exiger", "obliger", "imposer", "demander", "contraindre",
                    "astreindre"})
_REFUSAL = with_bare({"decline", "refuse", "reject", "resist", "negarse", "rechazar",
                      "refuser", "rejeter", "décliner", "opposer"})
#: A right directly preceded by one of these is negated ("no podrán", "ne peuvent").
_NEGATION_BEFORE = with_bare({"not", "no", "ne", "n'", "nunca", "jamais"})
#: A subject with one of these is denied or limited, so the right is a restriction on
#: firms: "No supplier may ...", "Only licensed firms may ...", "Sólo las empresas ...".
_LIMITING = with_bare({"no", "not", "only", "ningún", "ninguna", "ninguno", "solo", "sólo",
                       "solamente", "únicamente", "aucun", "aucune", "nul", "nulle", "seul",
                       "seule", "seuls", "seules", "uniquement", "seulement"})


#: A subject with one of these is denied: "No covered person", "Ninguna empresa", "Aucune
#: personne", or no one at all ("Nul", "Nadie", "Nobody").
_DENYING = with_bare({"no", "neither", "ningún", "ninguna", "ninguno", "aucun", "aucune",
                      "nul", "nulle"})
_NO_ONE = with_bare({"nul", "nulle", "nadie", "nobody"})
#: Between a subject and its passive obligation, a word that opens another clause: the
#: obligation is that clause's ("No institution may transfer data unless the transfer is
#: required by law").
_SUBORDINATING = with_bare({"unless", "if", "where", "when", "whenever", "while", "because",
                            "salvo", "si", "cuando", "sauf", "lorsque", "quand", "car"})
#: ... the denying word within this many words before the subject, in its comma-delimited
#: stretch ("No covered financial service supplier").
_DENIED_WITHIN = 4
#: Words that name a text: a duty phrase after one of them, with no actor for its subject,
#: is that text's ("Le présent article n'empêche pas ...") and frees the Party.
_INSTRUMENTS = with_bare({
    "article", "articles", "chapter", "chapters", "agreement", "paragraph", "paragraphs",
    "provision", "provisions", "protocol", "annex", "note", "section", "subparagraph",
    "chapitre", "chapitres", "accord", "paragraphe", "paragraphes", "disposition",
    "dispositions", "protocole", "annexe", "alinéa", "présent", "présente",
    "artículo", "artículos", "capítulo", "capítulos", "acuerdo", "párrafo", "párrafos",
    "disposición", "disposiciones", "dispuesto", "protocolo", "anexo", "nota", "sección",
    "presente", "inciso", "apartado"})
#: Words that may stand before a duty phrase whose subject is left out.
_CONNECTIVES = with_bare({
    ",", "en", "consecuencia", "por", "lo", "tanto", "así", "asimismo", "además", "tal",
    "fin", "a", "consequently", "accordingly", "therefore", "thus", "furthermore",
    "moreover", "also", "to", "that", "end", "par", "conséquent", "ainsi", "donc", "outre",
    "de", "plus", "cette", "à", "effet", "y", "et", "and", "e", "o", "or", "ou", "no",
    "not", "ne", "n'"})
#: The word before the agent of a passive, up to three words before it ("required by a
#: Party", "por una Parte"): that actor would require, it is not spared.
_AGENT = frozenset({"by", "por", "par"})
#: A passive obligation holding one of these is negated in its own words ("shall not be
#: required", "no estará obligada", "n'est pas tenue"): it spares a subject not denied.
_OWN_NEGATION = frozenset({"not", "no", "pas", "ne", "n'"})


#: An article's heading left at the head of its text ("Article 15.9: Location of Computing
#: Facilities."): it names the topic of the sentence that follows it.
LEADING_ARTICLE_HEADING = re.compile(
    r"\W*(?:[Aa]rticle|ARTICLE|[Aa]rt[íi]culo|ART[ÍI]CULO|[Aa]rt\.|ART\.|[Ss]ection|SECTION|"
    r"[Ss]ecci[óo]n|SECCI[ÓO]N)\s+(?:\d+(?:er|bis|ter|[A-Z])?(?:[.\-]\d+[A-Z]?|-[A-Z])*"
    r"|[IVXLC]+)(?:\s*[:.\-–—]\s*|\s+)(?=[A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔ])")
#: The capitalised determiner that opens the sentence after an article's title ("Article 9
#: Protection of Software Suppliers A supplier").
_OPENER = re.compile(r"\b(?:A|An|The|Each|No|Neither|Every|Any|Un|Una|El|La|Los|Las|Cada|"
                     r"Ninguna|Ningún|Ninguno|Le|Les|Une|Chaque|Aucune|Aucun|Tout|Toute)\b")


def _after_heading(before: str) -> str:
    """`before` from the sentence proper where it opens with an article's heading."""
    heading = LEADING_ARTICLE_HEADING.match(before)
    opener = heading and _OPENER.search(before, heading.end())
    return before[opener.start():] if opener else before


@dataclass(frozen=True)
class SubjectReader:
    """One language's actor lists and the words that govern until the next comma
    (prepositions and subordinating conjunctions: taxonomy `modality`)."""

    private: frozenset[str]
    public: frozenset[str]
    prepositions: frozenset[str]

    @classmethod
    def from_settings(cls, settings: dict[str, list[str]]) -> SubjectReader:
        def words(key: str) -> frozenset[str]:
            return with_bare(fold(w) for w in settings.get(key, []))

        # "à" keeps its grave (`accents.bare`): a bare "a" is the French verb
        return cls(words("private_actors"), words("public_actors"), words("prepositions"))

    def grants_private_right(self, text: str, sentence_start: int, start: int,
                             end: int) -> bool:
        """Whether the right phrase at text[start:end] is a freedom granted to a firm or a
        person (not undone by the words after it, not negated, not limited)."""
        phrase_words = fold(text[start:end]).split()
        after = [fold(w) for w in _WORD.findall(text, end)[:_AFTER]]
        refused = next((i for i, w in enumerate(after) if w in _REFUSAL), len(after))
        if _NOT_A_RIGHT_AFTER.intersection(after) or _POWER.intersection(after[:refused]):
            return False
        before = _LAST_WORD.search(text, sentence_start, start)
        if before and phrase_words and phrase_words[0] not in _NEGATION_BEFORE and \
                fold(before.group(1)) in _NEGATION_BEFORE:
            return False
        subject_text = text[sentence_start:start]
        if _LIMITING.intersection(fold(subject_text).split()):
            return False
        return self.subject(subject_text) == "private"

    def spares_a_private_actor(self, text: str, sentence_start: int, start: int,
                               end: int) -> bool:
        """Whether the passive obligation at text[start:end] ("shall be required",
        "estará obligada", "ne peut être contraint") is denied to a firm or a person ("No
        covered person shall be required by a Party to ...", "Nul ne peut être contraint
        par une Partie de ...", "Una persona cubierta no estará obligada por una Parte a
        ..."), so that it binds the Party that may not oblige them; a Party denied it ("No
        Party shall be required to ...") is freed, and an actor not denied it ("A supplier
        shall be required to ...") is given a duty."""
        tokens = _TOKEN.findall(fold(_after_heading(text[sentence_start:start])))
        if _opens_with_no_one(tokens, self._actor):
            return True
        found = self._subject_at(tokens)
        if found is None or found[1] != "private":
            return False
        at = found[0]
        if _SUBORDINATING.intersection(tokens[at + 1:]):  # "unless the transfer is required"
            return False
        if _OWN_NEGATION.intersection(_TOKEN.findall(fold(text[start:end]))):
            return True
        lead = tokens[max(0, at - _DENIED_WITHIN):at]  # "No covered financial supplier"
        return bool(_DENYING.intersection(lead[_after_last(lead, _LEAD_STOPS):]))

    def binds_a_party(self, text: str, sentence_start: int, start: int) -> bool:
        """Whether the duty phrase starting at `start` is laid on a Party (or a State, a
        government, an authority, a Party's measures). Where no actor is its subject, it
        binds only when no subject is named before it at all, a connective at most: the
        subject left out is then the Party of the clause before ("... En consecuencia, no
        restringirán la transferencia ..."); a named text or body frees the Party ("Le
        présent article n'empêche pas une Partie d'exiger ...", "The Joint Committee does
        not require the Parties ...")."""
        tokens = _TOKEN.findall(fold(_after_heading(text[sentence_start:start])))
        found = self._subject_at(tokens)
        if found is not None:
            return found[1] == "public"
        stretch = tokens[_after_last(tokens, _CLAUSE_STOPS):]
        # Bound when no subject is named at all, only a connective ("En consecuencia, no
        # restringirá ..."); freed by a named text or body ("The Joint Committee does not
        # require ...", "Le présent article n'empêche pas ...").
        return not _INSTRUMENTS.intersection(tokens) and set(stretch) <= _CONNECTIVES

    def imposition_binds(self, text: str, sentence_start: int, start: int, end: int,
                      sentence_end: int) -> bool:
        """Whether the requirement a phrase at text[start:end] rules out ("no requirement
        shall be imposed on ...", "no será exigible a ...", "no podrá imponerse ...") is
        ruled out for firms, so that the phrase binds a Party. It does unless a Party is the
        one spared: the sentence's subject before the phrase ("A Party may not be required
        to ..."), or the first actor after it when that actor comes within
        `_SPARED_WITHIN` words ("no será exigible a una Parte", "imposed on a Party").
        The agent of the passive ("imposed by a Party on a supplier") is the one who would
        require, not the one spared. An actor named further on ("... como condición para su
        venta en el territorio de una Parte") is where the rule applies, not who is spared,
        and an impersonal prohibition that names no actor ("No podrá exigirse la entrega
        del código fuente como condición ...") binds too (docs/evaluation.md, 0.17.0)."""
        if self.subject(text[sentence_start:start]) == "public":
            return False
        after = _TOKEN.findall(fold(text[end:sentence_end]))
        for n, token in enumerate(after):
            actor = self._actor(token)
            if actor and not _AGENT.intersection(after[max(0, n - 3):n]):  # "by a Party"
                return actor == "private" or n >= _SPARED_WITHIN
        return True

    def subject(self, before: str) -> Literal["private", "public"] | None:
        """Who `before` (the sentence up to a phrase) is about: the first actor that no
        preposition or subordinating conjunction governs, after its last ";" or ":" or a
        "that" that does not follow an actor ("The Parties confirm that Article 3 does not
        oblige ..." is about the Article). A possessive ("a Party's commitments") is not a
        subject. An article's heading at the head of the sentence ("Article 9 Protection of
        Software Suppliers A supplier ... may") is skipped to the determiner that opens the
        sentence proper, since a preposition in the title would govern the subject."""
        tokens = _TOKEN.findall(fold(_after_heading(before)))
        found = self._subject_at(tokens)
        return None if found is None else found[1]

    def _subject_at(self, tokens: list[str],
                    ) -> tuple[int, Literal["private", "public"]] | None:
        """`subject`'s actor in `tokens` and where it is."""
        begin = 0
        for i, token in enumerate(tokens):
            if token in _CLAUSE_STOPS or (token in _CLAUSE_OPENERS and not (
                    i and self._actor(tokens[i - 1]))):
                begin = i + 1
        governed = False
        for i, token in enumerate(tokens[begin:], begin):
            if token == ",":
                governed = False
            elif token in self.prepositions:
                governed = True
            elif not governed and not _possessive(tokens, i):
                actor = self._actor(token)
                if actor:
                    return i, actor
        return None

    def _actor(self, token: str) -> Literal["private", "public"] | None:
        word = token.rstrip("'")
        if word in self.private:
            return "private"
        if word in self.public:
            return "public"
        return None


def _after_last(tokens: list[str], stops: frozenset[str]) -> int:
    """Where the stretch after the last of `stops` in `tokens` begins (0 if none)."""
    return max((n + 1 for n, t in enumerate(tokens) if t in stops), default=0)


def _opens_with_no_one(tokens: list[str], actor) -> bool:
    """Whether the sentence opens with no one as its subject: "Nul ne ...", "Nadie ...",
    "Nobody ...", "No one ...", "Personne ne ..." ("Nulle Partie ..." denies a Party)."""
    if not tokens:
        return False
    if tokens[0] in _NO_ONE:
        return len(tokens) == 1 or actor(tokens[1]) is None
    return tokens[:2] == ["no", "one"] or (tokens[0] == "personne" and tokens[1:2] in (
        [], ["ne"], ["n'"]))


def _possessive(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] is "party'" of "party's"."""
    return tokens[i].endswith("'") and i + 1 < len(tokens) and tokens[i + 1] == "s"

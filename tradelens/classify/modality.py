"""Modality: how binding a sentence is, read from the taxonomy's phrases.

The taxonomy lists, per language, binding phrases ("no Party shall require"),
best-endeavour phrases ("shall endeavour to"), negations ("nothing ... shall be construed
to require") and continuations ("to that end"); `...` in a phrase is a bounded gap. The
clause is split into tokens and sentences and the phrases are found in it by one of two
equal backends: with the speed-ups on, the pure-Python tokenizer, sentencizer and matcher
of `phrases.py` (no spaCy import, milliseconds to build); with them off, a blank spaCy
pipeline with its sentencizer and rule Matcher. `tests/test_phrase_matcher.py` and
`bench/modality_equality.py` check that both give identical results.
"""

from __future__ import annotations

import re
import sys
import types
import weakref
from typing import TYPE_CHECKING, Any

from tradelens import speedups
from tradelens.classify.phrases import (
    TYPOGRAPHIC_APOSTROPHE,
    PhraseTools,
    phrase_elements,
)
from tradelens.classify.subjects import LEADING_ARTICLE_HEADING, SubjectReader
from tradelens.models import Span
from tradelens.taxonomy import Taxonomy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

# Words a gap ("shall ... allow") may not cross: a negation turns the phrase around, and
# "be" makes it a passive whose subject is not the one bound ("may not be required to make"
# is not "may not ... make"; 0.17.2).
_GAP_STOP = ["not", "no", "ne", "n'", "pas", "nunca", ".", ";", "be"]
_MODALITIES = ("hard", "soft", "intent", "negation", "continuation", "right", "duty",
               "imposed", "spared")
#: The kinds read with the actor they concern (`classify/subjects.py`).
_BY_ACTOR = ("right", "duty", "imposed", "spared")
#: (label, first token, end token, start char, end char) of one phrase occurrence
Match = tuple[str, int, int, int, int]
#: (first token, end token, start char, end char) of one sentence
Sentence = tuple[int, int, int, int]
_WORD = re.compile(r"[^\W\d_]{2,}")
#: The binding gap phrase an effort can govern (`_without_governed_gaps`).
_POSITIVE_GAP = re.compile(r"shall\b.*\b(allow|permit)\Z", re.I | re.S)
#: Best-endeavour phrases that are an effort towards the verb after them.
_EFFORT = re.compile(r"\b(endeavou?rs?|seek|strive|try|aim|best efforts|every effort|"
                     r"(favou?rable|positive) consideration|spare no effort)\b", re.I)
#: Between an effort and the verb: words that start a second, binding verb.
_SECOND_VERB = re.compile(r"\b(and|or|shall|part(y|ies))\b|[,;]", re.I)
#: A list's lead-in ends in a colon that an item marker follows ("shall: (a)").
_LEAD_IN = re.compile(r"\s*:\s*(?=\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s)")
#: An item's marker in a list: "(a) ", "b) ", "(iii) ", "(2) ", after the lead-in's colon
#: or the previous item's semicolon (and an "and" / "or" there), so that a cross-reference
#: inside an item ("except as provided in subparagraph (d)") does not start one. Group 1 is
#: the marker.
_ITEM_MARKER = re.compile(r"[:;]\s*(?:(?:and|or|y|o|et|ou)\s+)?"
                          r"(\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s+")


class LanguageTools:
    """The sentencizer and the modality Matcher for one language, built on first use:
    importing spaCy and building them costs about a second, and most clauses (every clause
    of many drafts) are settled before modality is read."""

    def __init__(self, lang: str, taxonomy: Taxonomy) -> None:
        self.lang = lang
        self.taxonomy = taxonomy
        self._built: tuple[Language, Matcher] | None = None

    @property
    def built(self) -> bool:
        return self._built is not None

    @property
    def nlp(self) -> Language:
        return self._build()[0]

    @property
    def matcher(self) -> Matcher:
        return self._build()[1]

    def _build(self) -> tuple[Language, Matcher]:
        if self._built is None:
            self._built = _build_tools(self.lang, self.taxonomy)
        return self._built

    def parse(self, doc: Doc) -> tuple[list[Match], list[Sentence]]:
        """The Matcher's phrase occurrences and the sentencizer's sentences."""
        strings = doc.vocab.strings
        matches = [(strings[label], s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
                   for label, s, e in self.matcher(doc)]
        return matches, [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]


#: either backend: spaCy's (speed-ups off) or the pure-Python one (speed-ups on)
ModalityTools = LanguageTools | PhraseTools


def phrase_pattern(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    """A Matcher pattern from a taxonomy phrase; `...` stands for up to ten words. A plain
    apostrophe also matches the typographic one, and a word also its form without
    accents, as in the pure-Python matcher."""
    return [{"LOWER": {"NOT_IN": _with_typographic(_GAP_STOP)}, "OP": "{0,10}"}
            if forms is None else {"LOWER": {"IN": _with_typographic(sorted(forms))}}
            for forms in phrase_elements([token.text for token in nlp.make_doc(phrase)])]


def _with_typographic(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words + [w.replace("'", TYPOGRAPHIC_APOSTROPHE)
                                       for w in words]))


def _import_spacy_without_torch() -> None:
    """Import spaCy without letting thinc import torch: thinc imports torch at import time
    whenever it is installed (seconds and hundreds of MB), though a blank pipeline with a
    sentencizer and a Matcher never uses it. torch stays importable afterwards.

    With the speed-ups on, spaCy's command-line package is also kept out: `spacy`
    imports it only to offer `spacy.info`, and it brings typer, httpx, weasel and Jinja2
    (about a third of spaCy's import time). A later `import spacy.cli` still works."""
    if "spacy" in sys.modules:
        return
    blocked: dict[str, Any] = {}
    if "torch" not in sys.modules:
        blocked["torch"] = None  # makes `import torch` fail
    if speedups.enabled() and "spacy.cli" not in sys.modules:
        info = types.ModuleType("spacy.cli.info")
        info.info = _no_cli  # type: ignore[attr-defined]
        cli = types.ModuleType("spacy.cli")
        cli.info = info  # type: ignore[attr-defined]
        blocked.update({"spacy.cli": cli, "spacy.cli.info": info})
    sys.modules.update(blocked)
    try:
        import spacy  # noqa: F401
    finally:
        for name, stand_in in blocked.items():
            if sys.modules.get(name, 0) is stand_in:
                del sys.modules[name]
        if "spacy" in sys.modules and getattr(sys.modules["spacy"], "cli", None) is \
                blocked.get("spacy.cli", 0):
            del sys.modules["spacy"].cli


def _no_cli(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("spaCy's command line was not imported by TradeLens; "
                       "import spacy.cli first")


def language_tools(lang: str, taxonomy: Taxonomy) -> ModalityTools:
    """The tokenizer, sentencizer and phrase matcher for one language: the pure-Python
    ones with the speed-ups on (spaCy is never imported), spaCy's with them off."""
    if speedups.enabled():
        return python_tools(lang, taxonomy)
    return spacy_tools(lang, taxonomy)


def python_tools(lang: str, taxonomy: Taxonomy) -> PhraseTools:
    """The pure-Python backend (`phrases.py`), whatever the speed-ups switch says."""
    return PhraseTools(lang, taxonomy, _MODALITIES, _GAP_STOP)


def spacy_tools(lang: str, taxonomy: Taxonomy) -> LanguageTools:
    """spaCy's backend, built now, whatever the speed-ups switch says."""
    tools = LanguageTools(lang, taxonomy)
    tools._build()
    return tools


def _build_tools(lang: str, taxonomy: Taxonomy) -> tuple[Language, Matcher]:
    _import_spacy_without_torch()
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for modality in _MODALITIES:
        phrases = taxonomy.modality[lang].get(modality, [])
        if phrases:
            matcher.add(modality, [phrase_pattern(nlp, p) for p in phrases])
    return nlp, matcher


def tokenized(text: str, tools: ModalityTools, doc_cache: dict[str, Any]) -> Any:
    """`tools.nlp(text)`, kept in the caller's `doc_cache` (one per clause), so that the
    several readings of one clause tokenize it at most once, and only if one needs it."""
    if "doc" not in doc_cache:
        doc_cache["doc"] = tools.nlp(text)
    return doc_cache["doc"]


def modality_sentence_spans(text: str, tools: ModalityTools, doc_cache: dict[str, Any],
                            ) -> list[tuple[int, int]]:
    """(start, end) characters of the clause's sentences, by the modality reader's own
    sentencizer (`sentences.sentence_spans` cuts long paragraphs for the topic model,
    by other rules)."""
    _, sentences = tools.parse(tokenized(text, tools, doc_cache))
    return [(start, end) for _, _, start, end in sentences]


def read_strength(tools: ModalityTools, doc: Any,
                  focus: list[tuple[int, int]] | None) -> tuple[str, list[Span]]:
    """Modality of the sentences holding the topic (of the whole clause without a cue):
    `read_modality` without the sentences it read.

    `doc` is what `tools.nlp(text)` returned (a spaCy Doc or a `phrases.Doc`).
    """
    strength, spans, _ = read_modality(tools, doc, focus)
    return strength, spans


def read_modality(tools: ModalityTools, doc: Any, focus: list[tuple[int, int]] | None,
                  ) -> tuple[str, list[Span], list[tuple[int, int]]]:
    """The strength and its evidence, and the (start, end) characters of the sentences
    read: those holding the topic (every one without a cue), a sentence that carries on
    from one of them ("To that end, ...", "such flows"), and, after an article heading that
    names the topic, every sentence in the field (a first-pass word: "Article 9: Computing
    Facilities. 1. The Parties recognise ... 2. No Party shall require ... servers ...";
    before 0.15.0 only the first, so a recognition read before the rule hid it). Within a
    sentence, a negation phrase ("shall be construed to require") means it commits to
    nothing; otherwise its first binding or best-endeavour phrase decides ("shall endeavour
    to ensure that no Party ..." is soft), and a list with no phrase of its own is read
    item by item (`_item_verdict`). Across the sentences, the most binding one decides."""
    chosen = _chosen_sentences(tools, doc, focus)
    verdicts = [v for span, inside in chosen
                if (v := _verdict(doc.text, inside) or _item_verdict(tools, doc.text, span, focus))]
    strength, spans = _most_binding(verdicts) or ("none", [])
    return strength, spans, [span for span, _ in chosen]


def _most_binding(verdicts: list[tuple[str, list[Span]]]) -> tuple[str, list[Span]] | None:
    """The first hard verdict, else the first soft one, else the first negated one."""
    return next((v for strength in ("hard", "soft", "negated")
                 for v in verdicts if v[0] == strength), None)


def sentence_strengths(tools: ModalityTools, doc: Any) -> set[str]:
    """What the clause's sentences say, every sentence read: "hard", "soft" or "negated"
    ("Nothing in this Article shall be construed to require ..."); empty where no phrase
    the rules know is there at all."""
    return {v[0] for _, inside in _chosen_sentences(tools, doc, None)
            if (v := _verdict(doc.text, inside))}


def _verdict(text: str, inside: list[Match]) -> tuple[str, list[Span]] | None:
    """One sentence's strength and evidence from its matches; None without a phrase. The
    first phrase decides, except that a statement of intent yields to a binding phrase in
    the same sentence."""
    spans = _without_governed_gaps(text, [
        Span(start, end, text[start:end], f"modality:{label}")
        for label, _, _, start, end in inside if label != "continuation"])
    negations = [s for s in spans if s.cue == "modality:negation"]
    if negations:
        return "negated", negations[:1]
    if not spans:
        return None
    first = spans[0].cue
    if first == "modality:intent":
        # A statement of intent is soft, but yields to a rule in its own sentence ("As the
        # Parties share the aim of ..., each Party shall allow ...").
        binding = [s for s in spans if s.cue == "modality:hard"]
        return ("hard", binding[:2]) if binding else \
            ("soft", [s for s in spans if s.cue == first][:2])
    return first.split(":")[1], [s for s in spans if s.cue == first][:2]


def _without_governed_gaps(text: str, spans: list[Span]) -> list[Span]:
    """The spans less each "shall ... allow / permit" whose gap holds an effort that
    governs its verb: in "shall endeavour to allow", "shall make every effort to permit"
    or "shall give favourable consideration to requests to permit", the promise is the
    effort, not the permission (before 0.17.25 "shall ... allow" made them hard). Only
    the positive gap phrase, never a prohibition ("may not seek to require" binds); only
    an effort (`_EFFORT`), not a promotion, an encouragement, a consideration or a
    cooperation, which can sit beside a binding verb ("shall promote ... and permit");
    the effort opens the phrase's words (within its first four words, no comma before
    it: "shall, recognising the importance of ..., allow" binds); and between the effort
    and the verb no "and", "or", comma, semicolon, "shall" or Party, which would make
    the verb a second, binding one ("shall consider any request promptly and shall
    permit ...")."""
    def governed(hard: Span) -> bool:
        return bool(_POSITIVE_GAP.match(hard.text)) and any(
            other.cue == "modality:soft" and _EFFORT.search(other.text)
            and hard.start <= other.start and other.end < hard.end
            and "," not in (lead := text[hard.start:other.start])
            and len(lead.split()) <= 3
            and not _SECOND_VERB.search(text, other.end, hard.end)
            for other in spans)

    return [s for s in spans if s.cue != "modality:hard" or not governed(s)]


def _item_verdict(tools: ModalityTools, text: str, sentence: tuple[int, int],
                  focus: list[tuple[int, int]] | None) -> tuple[str, list[Span]] | None:
    """The verdict of a sentence without a phrase of its own that is a list: a lead-in
    ending in a colon ("Each Party shall:", "Neither Party shall impose ... any requirement
    that the investor:") and items ("(a) ...; (c) refrain from requiring ..."). An item
    completes the lead-in's verb, but the items before it are longer than a phrase's gap
    and their semicolons stop it; so each item naming the topic is read joined to the
    lead-in, and the most binding reading decides. The evidence is in the clause's own
    text (the lead-in's words and the item's). None where the sentence is no such list or
    no joined reading has a phrase."""
    start, end = sentence
    if focus is None:
        return None
    for lead_in in _LEAD_IN.finditer(text, start, end):
        if any(lead_in.end() <= f for f, _ in focus):
            break
    else:
        return None
    items = list(_ITEM_MARKER.finditer(text, lead_in.start(), end))
    lead = text[start:lead_in.start()] + " "
    verdicts = []
    for item, stop in zip(items, [m.start() for m in items[1:]] + [end], strict=True):
        if not any(item.start(1) < f_end and f_start < stop for f_start, f_end in focus):
            continue
        joined = lead + text[item.end():stop]
        strength, spans, _ = read_modality(tools, tools.nlp(joined), None)
        if strength != "none":
            pieces = [_moved(span, text, start, len(lead), item.end()) for span in spans]
            verdicts.append((strength, [piece for moved in pieces for piece in moved]))
    return _most_binding(verdicts)


def _moved(span: Span, text: str, lead_start: int, lead_length: int,
           item_start: int) -> list[Span]:
    """A span of the joined reading (the lead-in, a space, then the item) as spans of the
    clause's text: one per side of the join it covers."""
    pieces = []
    if span.start < lead_length - 1:
        end = min(span.end, lead_length - 1)
        pieces.append((lead_start + span.start, lead_start + end))
    if span.end > lead_length:
        begin = max(span.start, lead_length)
        pieces.append((item_start + begin - lead_length, item_start + span.end - lead_length))
    return [Span(a, b, text[a:b], span.cue) for a, b in pieces]


def _chosen_sentences(tools: ModalityTools, doc: Any, focus: list[tuple[int, int]] | None,
                      ) -> list[tuple[tuple[int, int], list[Match]]]:
    """The sentences read, each with its modality matches (rights and duties resolved)."""
    found, sentences = tools.parse(doc)
    matches = sorted(found, key=lambda m: (m[1], -m[2]))
    subjects = subject_reader(tools)
    chosen, previous, heading, article = [], False, False, False
    for first, end_token, start_char, end_char in sentences:
        inside = _rights_read(
            [m for m in matches if first <= m[1] and m[2] <= end_token], subjects,
            doc.text, (start_char, end_char))
        holds_topic = focus is None or any(
            start_char < end and start < end_char for start, end in focus)
        if not holds_topic and is_article_heading(doc.text, start_char, end_char):
            heading = article = False  # the next article: its own heading decides
        carries_on = (previous and any(m[0] == "continuation" for m in inside)) or (
            (heading or article) and names_the_field(tools, doc.text, start_char, end_char))
        if heading:  # a paragraph number ("1.") keeps the heading's topic for the next
            heading = is_bare(doc.text, start_char, end_char)
        elif holds_topic and not inside:
            heading = is_article_heading(doc.text, start_char, end_char)
            article = article or heading
        previous = holds_topic or carries_on
        if previous:
            chosen.append(((start_char, end_char), inside))
    return chosen


def is_bare(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has fewer than three words: a paragraph number ("3."), an
    item marker or a bare "Article 14." left in the text, not a sentence of its own."""
    return len(_WORD.findall(text, start, end)) < 3


def is_article_heading(text: str, start: int, end: int) -> bool:
    """Whether the sentence text[start:end] opens with an article's number and title."""
    return LEADING_ARTICLE_HEADING.match(text, start, end) is not None


def names_the_field(tools: ModalityTools, text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has one of the language's first-pass words (data,
    software, servers, ...): a heading lends its topic only to a sentence in the field,
    not to "Each Party shall ensure that its contact point answers enquiries"."""
    words = tools.taxonomy.first_pass.get(tools.lang)
    return words is None or any(p.search(text, start, end) for p in words)


def subject_reader(tools: ModalityTools) -> SubjectReader:
    """The actor lists of the tools' language and taxonomy, built once per tools."""
    reader = _SUBJECT_READERS.get(tools)
    if reader is None:
        reader = SubjectReader.from_settings(tools.taxonomy.modality[tools.lang])
        _SUBJECT_READERS[tools] = reader
    return reader


_SUBJECT_READERS: weakref.WeakKeyDictionary[Any, SubjectReader] = weakref.WeakKeyDictionary()


def _rights_read(inside: list[Match], subjects: SubjectReader, text: str,
                 sentence: tuple[int, int]) -> list[Match]:
    """A sentence's matches with its rights, duties and impositions resolved by the actor
    they concern: a right granted to a firm or a person, a duty laid on a Party, or a
    requirement that may not be imposed on a firm ("no requirement shall be imposed on a
    supplier"), or a firm no one may oblige ("No covered person shall be required to ...")
    becomes a binding phrase and overrides a negation on the same words ("banks
    shall not be obliged to", "una Parte no obligará a ..."); any other is dropped."""
    if not any(m[0] in _BY_ACTOR for m in inside):
        return inside  # most sentences: nothing to resolve, already in order
    start, end = sentence
    binding = [("hard", *m[1:]) for m in inside if (
        m[0] == "right" and subjects.grants_private_right(text, start, m[3], m[4])
    ) or (m[0] == "duty" and subjects.binds_a_party(text, start, m[3])
    ) or (m[0] == "imposed" and subjects.imposition_binds(text, start, m[3], m[4], end)
    ) or (m[0] == "spared" and subjects.spares_a_private_actor(text, start, m[3], m[4]))]

    def overridden(match: Match) -> bool:
        return match[0] == "negation" and any(
            b[3] < match[4] and match[3] < b[4] for b in binding)

    kept = [m for m in inside if m[0] not in _BY_ACTOR and not overridden(m)]
    return sorted(kept + binding, key=lambda m: (m[1], -m[2]))

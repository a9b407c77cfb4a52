"""Modality: how binding a sentence is, read by spaCy's rule Matcher.

The taxonomy lists, per language, binding phrases ("no Party shall require"),
best-endeavour phrases ("shall endeavour to"), negations ("nothing ... shall be construed
to require") and continuations ("to that end"); `...` in a phrase is a bounded gap. A blank
spaCy pipeline with a sentencizer splits the clause; the Matcher finds the phrases.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from tradelens import speedups
from tradelens.models import Span
from tradelens.taxonomy import Taxonomy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

# Words a gap ("shall ... allow") may not cross: a negation turns the phrase around.
_GAP_STOP = ["not", "no", "ne", "n'", "pas", "nunca", ".", ";"]
_MODALITIES = ("hard", "soft", "negation", "continuation")


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


def phrase_pattern(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    """A Matcher pattern from a taxonomy phrase; `...` stands for up to ten words."""
    pattern: list[dict[str, Any]] = []
    for token in nlp.make_doc(phrase):
        if token.text == "...":
            pattern.append({"LOWER": {"NOT_IN": _GAP_STOP}, "OP": "{0,10}"})
        else:
            pattern.append({"LOWER": token.lower_})
    return pattern


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


def language_tools(lang: str, taxonomy: Taxonomy) -> LanguageTools:
    """The sentencizer and the modality Matcher for one language (built when first used,
    with the speed-ups on)."""
    tools = LanguageTools(lang, taxonomy)
    if not speedups.enabled():
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


def read_strength(tools: LanguageTools, doc: Doc,
                  focus: list[tuple[int, int]] | None) -> tuple[str, list[Span]]:
    """Modality of the sentences holding the topic (of the whole clause without a cue).

    A sentence that carries on from one of them ("To that end, ...", "such flows") is
    read with them. Within a sentence, a negation phrase ("shall be construed to
    require") means it commits to nothing; otherwise its first binding or
    best-endeavour phrase decides ("shall endeavour to ensure that no Party ..." is
    soft). Across the sentences, the most binding one decides.
    """
    strings = doc.vocab.strings
    matches = sorted(((strings[label], start, end) for label, start, end in tools.matcher(doc)),
                     key=lambda m: (m[1], -m[2]))
    chosen, previous = [], False
    for sentence in doc.sents:
        inside = [m for m in matches if sentence.start <= m[1] and m[2] <= sentence.end]
        holds_topic = focus is None or any(
            sentence.start_char < end and start < sentence.end_char for start, end in focus)
        carries_on = previous and any(m[0] == "continuation" for m in inside)
        previous = holds_topic or carries_on
        if previous:
            chosen.append(inside)
    verdicts: list[tuple[str, list[Span]]] = []
    for inside in chosen:
        spans = [Span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), doc[s:e].text,
                      f"modality:{label}") for label, s, e in inside
                 if label != "continuation"]
        negations = [s for s in spans if s.cue == "modality:negation"]
        if negations:
            verdicts.append(("negated", negations[:1]))
        elif spans:
            first = spans[0].cue.split(":")[1]
            verdicts.append((first, [s for s in spans if s.cue == spans[0].cue][:2]))
    for strength in ("hard", "soft", "negated"):
        for verdict in verdicts:
            if verdict[0] == strength:
                return verdict
    return "none", []

"""Clauses -> findings: what each clause commits a Party to, and what softens it.

Three signals decide, each kept as evidence so that a lawyer can check the call:

* topic cues from the taxonomy (regular expressions per category and language);
* modality, the taxonomy's phrases matched within the sentence that carries the topic
  (`modality.py`: pure Python by default, spaCy's rule Matcher with the speed-ups off):
  binding ("no Party shall require"), best-endeavour ("shall endeavour to"), or negated
  ("nothing ... shall be construed to require"), which commits to nothing;
* the nearest team-written exemplars, found in a FAISS index over their embeddings: they
  confirm a cue, overrule it when a hard negative is closer, and catch paraphrases that no
  cue anticipated.

Where a clause is on a category's topic but no modality phrase matches, the learned
commitment reader (`commitment.py`, put to work by `reopen.py`) may still take it for a
commitment, from the multilingual encoder's vector; its findings say so in their decision.

A cheap first pass (`first_pass`) picks the clauses worth that close reading: those that
match a topic cue or one of the taxonomy's broad `first_pass` words. Only they need a
sentence-model vector; the others are settled as "no topic" without one.

Definitions, scope articles and exception paragraphs never become findings: they are
recorded as modifiers and linked to the findings they govern (same clause, same article,
same chapter, or the chapters a general exception names, as each modifier's `reach` says).
A paragraph that states a rule and then its proviso (in a later sentence, or after a turn
such as ", but" in the same one) is the rule's finding, with the proviso as its modifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from tradelens import speedups
from tradelens.classify.commitment import NO_WORDING
from tradelens.classify.decision import Classification, Decision
from tradelens.classify.exemplars import ExemplarIndex
from tradelens.classify.incorporation import CONFIDENCE as INCORPORATION_CONFIDENCE
from tradelens.classify.incorporation import Incorporation, incorporations
from tradelens.classify.learned import RuleSignals, TopicModel
from tradelens.classify.modality import (
    ModalityTools,
    is_article_heading,
    is_bare,
    language_tools,
    modality_sentence_spans,
    read_modality,
    read_strength,
    tokenized,
)
from tradelens.classify.modifiers import link_modifiers, modifier_evidence, replace_cue
from tradelens.classify.reopen import Reopened, enabled_reader, read_commitments, reader_text
from tradelens.classify.screen import Screened, thresholds
from tradelens.classify.sentences import Sentence, SentenceReading, sentence_spans
from tradelens.models import Clause, Finding, ModifierHit, Span
from tradelens.taxonomy import Category, Exemplar, Pattern, Taxonomy
from tradelens.text.amending import amending_preambles, blank_amending_preambles
from tradelens.text.divisions import governed_division, named_division, names_own_article_only
from tradelens.text.pattern_guard import fold
from tradelens.text.references import chapter_references

# "Article 14.13 (Location of Computing Facilities)": a cross-reference whose title would
# otherwise look like a rule of its own. Blanked with spaces, so offsets stay valid.
_CROSS_REFERENCE = re.compile(
    r"\b(?:Articles?|Art[íi]culos?|Art\.)\s+\d+(?:\.\d+)*\s*(\([^()]{3,160}\))", re.I
)
#: A note mark glued to a full stop and repeated before the note's text, as copied text
#: keeps footnotes ("territory.14 14 For greater certainty"): the first mark.
_GLUED_NOTE_MARK = re.compile(r"(?<=[^\W\d_][.;:])(\d{1,3})(?=\s+\1\s+\S)")
#: What every match of each pattern contains: one of these words in the text's `fold`
#: (`text/pattern_guard.py`, which says why a fold keeps what `re.I` matches), and a stop
#: mark followed by a digit. A text without them is left as it is, unsearched: 3 in 4 of
#: ToTA's clauses, half of what blanking cost there. Off with the other speed-ups.
_CROSS_REFERENCE_WORDS = ("article", "articulo", "art.")
_NOTE_MARK_AFTER_STOP = re.compile(r"[.;:]\d")
#: Roles of the files of a multi-file agreement whose modifiers govern the whole agreement.
_SEPARATE_INSTRUMENTS = ("side_letter", "annex", "schedule")
_FIRST_PASS_REASON = ("first pass: no topic cue and none of the taxonomy's first-pass words, "
                      "so the clause was not read closely")


def _rule_before(text: str, offset: int, spans: list[tuple[int, int]], turns: list[Pattern],
                 openings: list[Pattern], tools: ModalityTools,
                 topic_cues: list[Pattern]) -> bool:
    """Whether the sentence holding `offset` states a rule before turning to its proviso:
    one of `turns` (the taxonomy's `proviso_turns`: "but", "unless", "aunque", "sauf si")
    before `offset`, and before the turn, words that name a category's topic (one of
    `topic_cues`: its cues or the first pass's words) and bind or commit to best
    endeavours ("No Party shall prohibit the transfer of information ..., but a Party may
    ..."). A sentence whose subject is a provision opens an exception whatever follows
    (`openings`, the taxonomy's `exception_openings`: "Paragraph 2 shall not prevent a Party
    from restricting transfers ..., but ..."), and so does one with no turn."""
    start = next((s for s, end in spans if s <= offset < end), 0)
    turn = max((m.start() for p in turns for m in p.finditer(text, start)
                if m.start() < offset), default=None)
    if turn is None:
        return False
    before = text[start:turn]
    if any(p.search(before) for p in openings):
        return False
    if not any(p.search(before) for p in topic_cues):
        return False
    strength, _ = read_strength(tools, tools.nlp(before), None)
    return strength in ("hard", "soft")


def _opening_end(text: str, spans: list[tuple[int, int]]) -> int:
    """Where the clause's opening sentence ends: the first sentence of three words or
    more, so that a paragraph number ("3.") or a bare heading ("Article 14.") left in
    the text is not taken for it."""
    for start, end in spans:
        if not is_bare(text, start, end):
            return end
    return len(text)


def _outside_vetoed(text: str, focus: list[tuple[int, int]], negatives: list[Pattern],
                    spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The topic's places that speak for themselves, away from every negative cue (a
    definition, customs officers exchanging data): not in a sentence holding one, and not
    in an article heading (a heading above a customs article names its topic too). A
    negative cue speaks for its own sentence, not for a rule stated in another sentence of
    the paragraph. It does not reach a sentence that carries on from it either ("To that
    end, each Party shall permit ..."): spreading it that way also vetoed real rules after
    a recital ("... may have its own regulatory requirements ... Accordingly, each Party
    shall allow ..."), and a missed rule costs more than a customs clause read as one."""
    clean = [(start, end) for start, end in spans
             if not is_article_heading(text, start, end)
             and not any(p.search(text, start, end) for p in negatives)]
    return [f for f in focus if any(a <= f[0] < b for a, b in clean)]


def blank_cross_references(text: str) -> str:
    """The text as the rules read it, of the same length so that offsets hold: the titles
    of cross-references ("Article 29.1 (General Exceptions)"), note marks run into a
    sentence's end ("business.14 14 For greater certainty ...") and the preamble that
    quotes an amended provision ("Article 12.7 is replaced by the following: '",
    `text/amending.py`) are blanked. A cited title names another article's topic; a glued
    mark keeps the sentencizers from ending the sentence, so a note's "does not oblige"
    would negate the rule before it; a preamble runs on into the rule it quotes."""
    text = blank_amending_preambles(text)
    guarded = speedups.enabled()
    if not guarded or any(word in fold(text) for word in _CROSS_REFERENCE_WORDS):
        text = _CROSS_REFERENCE.sub(
            lambda m: m.group(0)[: m.start(1) - m.start(0)] + " " * len(m.group(1)), text
        )
    if not guarded or _NOTE_MARK_AFTER_STOP.search(text):
        text = _GLUED_NOTE_MARK.sub(lambda m: " " * len(m.group(0)), text)
    return text


class Classifier:
    """Holds the compiled taxonomy, spaCy matchers and the exemplar index for one run."""

    def __init__(self, taxonomy: Taxonomy, exemplar_vectors: np.ndarray,
                 topic_model: TopicModel | None = None) -> None:
        """`topic_model`: the learned topic decision (`learned.py`); without one, the
        hand-written gate decides (a topic cue, or a close positive exemplar)."""
        self.taxonomy = taxonomy
        self.topic_model = topic_model
        self.exemplars: list[Exemplar] = taxonomy.exemplars
        if len(self.exemplars) != len(exemplar_vectors):
            raise ValueError("one vector per exemplar is required")
        self._index = ExemplarIndex(
            self.exemplars, np.asarray(exemplar_vectors, dtype=np.float32),
            by_language=not taxonomy.classifier.get("cross_lingual_exemplars", False),
        )
        self._tools: dict[str, ModalityTools] = {}

    # -- modality tools ---------------------------------------------------------------------

    def _language_tools(self, lang: str) -> ModalityTools:
        if lang not in self._tools:
            self._tools[lang] = language_tools(lang, self.taxonomy)
        return self._tools[lang]

    def _lang(self, language: str | None) -> str:
        return self.taxonomy.reading_language(language)

    # -- exemplars ------------------------------------------------------------------------

    def _similarities(self, scores: np.ndarray, ids: np.ndarray,
                      category: str) -> tuple[float, float, list[dict[str, Any]]]:
        """Closest positive and closest hard negative of `category` among the neighbours."""
        positive, negative = 0.0, 0.0
        nearest = []
        for score, i in zip(scores, ids, strict=True):
            if i < 0:
                continue
            exemplar = self.exemplars[i]
            if exemplar.category != category:
                continue
            nearest.append({"text": exemplar.text, "strength": exemplar.strength,
                            "lang": exemplar.lang, "similarity": round(float(score), 3)})
            if exemplar.strength == "none":
                negative = max(negative, float(score))
            else:
                positive = max(positive, float(score))
        return positive, negative, nearest[:3]

    # -- modifiers ------------------------------------------------------------------------

    def _modifier_hits(self, clause: Clause, text: str, lang: str) -> list[ModifierHit]:
        """Modifiers the clause carries, in its own words or (second) in its footnotes."""
        hits = []
        headings = " / ".join(clause.headings) or None
        for modifier in self.taxonomy.modifiers.values():
            evidence = modifier_evidence(modifier, headings, text, lang)
            source = text
            if not evidence:
                for number, note in enumerate(clause.footnotes, 1):
                    evidence = [replace_cue(s, f"footnote {number}: ") for s in
                                modifier_evidence(modifier, None, note, lang)]
                    if evidence:
                        source = note
                        break
            if evidence:
                # A side letter, annex or schedule governs the agreement's rules: its
                # modifiers reach the chapters it names (every chapter if it names none).
                reach = "agreement" if clause.file_role in _SEPARATE_INSTRUMENTS \
                    and modifier.reach in ("article", "chapter") else modifier.reach
                # One written for "this Article" alone governs that article, not its chapter.
                if reach == "chapter" and names_own_article_only(source):
                    reach = "article"
                hits.append(ModifierHit(
                    modifier=modifier.id, kind=modifier.kind, clause_id=clause.clause_id,
                    reach=reach, article_key=clause.article_key,
                    chapter_index=clause.chapter_index, evidence=evidence,
                    refers_to=chapter_references(source) if reach == "agreement"
                    else None,
                    chapter=clause.chapter,
                    division=governed_division(clause.divisions, named_division(source),
                                               clause.chapter_index),
                ))
        return hits

    def _exclusion(self, text: str, lang: str, hits: list[ModifierHit],
                   tools: ModalityTools, doc_cache: dict[str, Any],
                   preambles: tuple[tuple[int, int], ...] = (),
                   ) -> tuple[str | None, int | None]:
        """Why the clause is a definition, scope statement or exception, if it is one; and
        where its proviso starts, if it is a rule followed by one.

        An exception or enforceability clause is one that opens as such (its evidence in
        the first sentence, or in the headings above it). A rule followed by its proviso
        ("No Party shall ... . Paragraph 1 does not prevent a Party from adopting ...") is
        decided as a rule, and the proviso becomes that finding's modifier; so is a rule
        whose proviso follows it in the same sentence ("No Party shall prohibit ..., but a
        Party may adopt ... no more than necessary"): the words before the evidence bind."""
        # Evidence in an amending preamble ("... is incorporated into Chapter 13 as
        # follows:") is the instrument's, not the quoted rule's: it opens nothing.
        starts = [(min(starts), h) for h in hits
                  if h.kind in ("exception", "enforceability")
                  and not any(s.cue.startswith("footnote") for s in h.evidence)
                  and (starts := [s.start for s in h.evidence
                                  if not any(a <= s.start < b for a, b in preambles)])]
        proviso = None
        if starts:
            spans = modality_sentence_spans(text, tools, doc_cache)
            opening = _opening_end(text, spans)
            first = min(start for start, _ in starts)
            opener = next((h for start, h in starts if start < opening), None)
            topic_cues = [*(p for c in self.taxonomy.categories.values()
                            for p in c.cues.get(lang, [])),
                          *self.taxonomy.first_pass.get(lang, [])]
            turns = self.taxonomy.proviso_turns.get(lang, [])
            openings = self.taxonomy.exception_openings.get(lang, [])
            if opener is not None and not _rule_before(text, first, spans, turns, openings,
                                                       tools, topic_cues):
                return f"it is an exception or enforceability clause ({opener.modifier})", None
            proviso = first if opener is not None else \
                next((start for start, end in spans if start <= first < end), first)
        for pattern in self.taxonomy.non_findings.get(lang, []):
            if pattern.search(text):
                return f"it defines terms or sets scope (matches {pattern.pattern!r})", None
        return None, proviso

    # -- strength -------------------------------------------------------------------------

    # -- one clause, one category -----------------------------------------------------------

    def _decide(self, category: Category, clause: Clause, text: str, lang: str,
                tools: ModalityTools, doc_cache: dict[str, Any], scores: np.ndarray,
                ids: np.ndarray, probability: float | None = None,
                sentence: tuple[int, int] | None = None,
                proviso: int | None = None) -> Decision:
        """`proviso`: where a rule's proviso starts (`_exclusion`); the rule's strength is
        read before it, since "This Article shall not prevent a Party from ..." binds no one.
        `sentence`: the span of the sentence whose topic probability beat its whole
        paragraph's (`_sentence_grain`). Then that sentence is all the cues and modality
        read: a cue, or a negative cue (customs officers exchanging data), two sentences
        away neither lowers the bar for it nor vetoes it. Offsets stay the paragraph's."""
        settings = self.taxonomy.classifier
        decide = Decision  # short alias for the many returns below
        start, end = sentence or (0, len(text))
        cue_pattern, cue = next(((p, m) for p in category.cues.get(lang, [])
                                 if (m := p.search(text, start, end))), (None, None))
        # Every place the topic is named, so that each sentence naming it is read; or the
        # one sentence that decided at the sentence grain.
        focus = [sentence] if sentence else sorted(
            {m.span() for p in category.cues.get(lang, []) for m in p.finditer(text)})
        positive, negative, nearest = self._similarities(scores, ids, category.id)
        negative_cue = next((p for p in category.negative_cues.get(lang, [])
                             if p.search(text, start, end)), None)
        if negative_cue is not None and sentence is None and focus:
            focus = _outside_vetoed(text, focus, category.negative_cues.get(lang, []),
                                    modality_sentence_spans(text, tools, doc_cache))
            if focus:  # the topic is also named where no negative cue reaches
                negative_cue = None
                cue_pattern, cue = next(((p, m) for p in category.cues.get(lang, [])
                                         for m in p.finditer(text)
                                         if any(a <= m.start() < b for a, b in focus)),
                                        (cue_pattern, cue))
        if negative_cue is not None:
            return decide(category.id, "negative cue",
                          f"matches the category's negative cue {negative_cue.pattern!r}")
        # The hard-negative veto belongs to the hand-written gate (no topic model): the
        # model reads both exemplar similarities among its features, and a veto on top of
        # it overruled 16 labelled commitments (13 Spanish or French, where the sentence
        # model's similarities are least reliable) and only non-commitments that the model
        # and the modality phrases turn down anyway (docs/evaluation.md, 0.14.0).
        if (cue is not None and probability is None
                and negative - positive >= settings["hard_negative_margin"]):
            return decide(category.id, "hard negative",
                          f"a hard-negative exemplar is closer ({negative:.2f}) than "
                          f"every positive ({positive:.2f})", cue_pattern.pattern, nearest)
        if probability is not None:
            # The topic model decides; a topic cue lowers the bar it must clear, because
            # the cues were written for exactly these words.
            threshold = self.topic_threshold(with_cue=cue is not None, lang=lang,
                                             category=category.id)
            if probability < threshold:
                return decide(category.id, "no topic",
                              f"the topic model gives {probability:.2f} (below {threshold:g}"
                              f"{' with a topic cue' if cue is not None else ''})",
                              cue_pattern.pattern if cue_pattern else None, nearest)
        elif cue is None and not (positive >= settings["embedding_only_similarity"]
                                  and positive - negative >= settings["embedding_only_margin"]):
            return decide(category.id, "no topic",
                          f"no topic cue, and the closest positive exemplar ({positive:.2f}) "
                          "is not close enough", None, nearest)
        if proviso is not None:  # a rule and its proviso: the rule's sentences decide
            focus = [f for f in focus if f[0] < proviso] or [(0, proviso)]
        strength, modality, read = read_modality(tools, tokenized(text, tools, doc_cache),
                                                 focus or None)
        rule = cue_pattern.pattern if cue_pattern else (
            "topic model" if probability is not None else "nearest exemplar")
        if strength == "negated":
            return decide(category.id, "no commitment",
                          f"its commitment is negated ({modality[0].text!r})", rule, nearest)
        if strength == "none":
            return decide(category.id, "no commitment", NO_WORDING, rule, nearest,
                          read=read)
        closeness = min(1.0, max(0.0, (positive - 0.3) / 0.5))
        if probability is not None:
            confidence = probability
        else:
            confidence = 0.55 + 0.45 * closeness if cue else 0.5 * closeness
        evidence = ([Span(cue.start(), cue.end(), clause.text[cue.start():cue.end()],
                          f"topic:{category.id}")] if cue else []) + modality
        finding = Finding(category=category.id, clause=clause, strength=strength,  # type: ignore[arg-type]
                          confidence=round(confidence, 3), evidence=evidence,
                          nearest_exemplars=nearest)
        how = f"topic cue {cue.group(0)!r}" if cue else f"nearest exemplar ({positive:.2f})"
        if probability is not None:
            how = f"topic model {probability:.2f}, {how}"
        if sentence:
            how += f", read at the sentence grain ({text[sentence[0]:sentence[1]][:60]!r}...)"
        return decide(category.id, "finding",
                      f"{how} with {strength} wording {modality[0].text!r}", rule, nearest,
                      finding)

    def _decide_at_grain(self, category: Category, clause: Clause, text: str, lang: str,
                         tools: ModalityTools, doc_cache: dict[str, Any], scores: np.ndarray,
                         ids: np.ndarray, probability: float | None,
                         sentence: tuple[int, int] | None, proviso: int | None,
                         ) -> tuple[Decision, bool]:
        """`_decide` on a candidate clause, at the sentence grain where a sentence decided
        the topic; and whether its commitment is negated (the reader never reopens that)."""
        decision = self._decide(category, clause, text, lang, tools, doc_cache, scores, ids,
                                probability, sentence, proviso)
        if sentence is None or decision.outcome != "no commitment" or not any(
                p.search(text) for p in category.cues.get(lang, [])):
            return decision, False
        # The likeliest sentence names the topic but commits to nothing (a heading, a scope
        # or an aim): the topic stands, and the paragraph's sentences that name it by a
        # topic cue are read for the commitment (without a cue that would be the whole
        # paragraph, whatever it binds).
        again = self._decide(category, clause, text, lang, tools, doc_cache, scores, ids,
                             probability, None, proviso)
        negated = again.outcome == "no commitment" and again.reason != NO_WORDING
        return (again if again.finding is not None else decision), negated

    def _incorporation(self, clause: Clause, incorporation: Incorporation,
                       brought_in: list[ModifierHit]) -> Decision:
        """A hard finding for a model article the clause brings in by number
        (`incorporation.py`), carrying the modifiers the model article carries in its own
        paragraphs: attached to this finding alone, since another finding of the same
        clause may come from another article or another model (they are added to
        `brought_in`, listed with the clause's other hits once those are linked)."""
        (ref_start, ref_end), (verb_start, verb_end) = incorporation.reference, incorporation.verb
        evidence = [Span(ref_start, ref_end, clause.text[ref_start:ref_end],
                         f"topic:{incorporation.category}"),
                    Span(verb_start, verb_end, clause.text[verb_start:verb_end],
                         "modality:hard")]
        hits = [ModifierHit(modifier=modifier_id, kind=self.taxonomy.modifiers[modifier_id].kind,
                            clause_id=clause.clause_id, reach="clause",
                            article_key=clause.article_key,
                            chapter_index=clause.chapter_index, evidence=evidence[:1],
                            chapter=clause.chapter)
                for modifier_id in incorporation.modifiers]
        brought_in += hits
        finding = Finding(category=incorporation.category, clause=clause, strength="hard",
                          confidence=INCORPORATION_CONFIDENCE, evidence=evidence,
                          modifiers=list(hits),
                          read_by=f"hard by incorporating {incorporation.article}")
        return Decision(incorporation.category, "finding",
                        f"incorporates {incorporation.article} "
                        f"({evidence[1].text!r}), which binds on this category",
                        "incorporation", [], finding)

    # -- the learned topic decision ---------------------------------------------------------

    def rule_signals(self, category: Category, text: str, lang: str, scores: np.ndarray,
                     ids: np.ndarray) -> RuleSignals:
        """What the hand-written rules say about one (cross-reference-blanked) clause text."""
        positive, negative, _ = self._similarities(scores, ids, category.id)
        cue, negative_cue, first_pass = self._cue_signals(category, text, lang)
        return RuleSignals(cue=cue, negative_cue=negative_cue, first_pass=first_pass,
                           positive_similarity=positive, negative_similarity=negative)

    def _cue_signals(self, category: Category, text: str, lang: str,
                     ) -> tuple[bool, bool, bool]:
        """The rule signals that need no vector: topic cue, negative cue, first-pass word."""
        return (any(p.search(text) for p in category.cues.get(lang, [])),
                any(p.search(text) for p in category.negative_cues.get(lang, [])),
                any(p.search(text) for p in self.taxonomy.first_pass.get(lang, [])))

    def topic_threshold(self, with_cue: bool, lang: str | None = None,
                        category: str | None = None) -> float:
        """The probability the topic model must give: lower where the category's topic
        cue matches, because the cues were written for exactly these words. Without a cue,
        `topic_threshold_by_language` may set a language's own bar for a category: the
        multilingual head gives data flows 0.5 to 0.7 on many Spanish and French clauses
        about other information (paperless trade, open data, customs exchanges), and it is
        read without a cue to check it (docs/evaluation.md, 0.15.0). With a cue,
        `topic_threshold_with_cue_by_language` may set a language's own bar: the same head
        gives under 0.2 to many Spanish and French rules whose cue names the topic, above
        all a banned requirement read as one item of a list (docs/evaluation.md, 0.17.1)."""
        settings = self.taxonomy.classifier
        if with_cue:
            own = settings.get("topic_threshold_with_cue_by_language", {}).get(lang)
            return float(own if own is not None
                         else settings.get("topic_threshold_with_cue", 0.5))
        own = settings.get("topic_threshold_by_language", {}).get(lang, {}).get(category)
        return float(own if own is not None else settings.get("topic_threshold", 0.5))

    def screen_parts(self, texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:
        """For the topic screen (`screen.py`), per (text, topic-model category): the logit
        part known without an encoder, and the logit the category's threshold asks for
        (+inf for a category the taxonomy lacks). Texts as the clauses' raw text."""
        assert self.topic_model is not None
        names = self.topic_model.categories
        if not texts:
            return np.zeros((0, len(names))), np.zeros((0, len(names)))
        # A sentence's cues are matched on its own text here and on its span of the
        # paragraph in `_decide` (`search(text, start, end)`): the same, since a sentence
        # starts after whitespace (`sentences.py`) and no topic cue looks behind it.
        blanked = [blank_cross_references(t) for t in texts]
        cues = np.zeros((len(texts), len(names), 3), dtype=bool)
        for column, name in enumerate(names):
            category = self.taxonomy.categories.get(name)
            if category is not None:
                cues[:, column] = [self._cue_signals(category, t, lang) for t in blanked]
        needed = thresholds(cues[:, :, 0], np.array([self.topic_threshold(False, lang, n)
                                                     for n in names]),
                            self.topic_threshold(with_cue=True, lang=lang))
        needed[:, [n not in self.taxonomy.categories for n in names]] = np.inf
        return self.topic_model.known_logits(blanked, cues, lang), needed

    def topic_probabilities(self, texts: list[str], vectors: np.ndarray, lang: str,
                            scores: np.ndarray, ids: np.ndarray) -> dict[str, np.ndarray]:
        """category -> P(topic) per text, from the topic model (texts already blanked;
        `vectors` are the ones its head for `lang` reads, `scores` and `ids` the sentence
        model's exemplar neighbours)."""
        assert self.topic_model is not None
        out = {}
        for category in self.taxonomy.categories.values():
            if category.id not in self.topic_model.categories:
                continue
            signals = [self.rule_signals(category, t, lang, scores[i], ids[i])
                       for i, t in enumerate(texts)]
            out[category.id] = self.topic_model.probabilities(category.id, texts, vectors,
                                                              signals, lang)
        return out

    def sentences(self, clauses: list[Clause], candidates: np.ndarray, lang: str,
                  ) -> list[Sentence]:
        """Each sentence of the long candidate paragraphs (`sentences.py`), for the caller
        to choose and embed."""
        cues = [p for c in self.taxonomy.categories.values() for p in c.cues.get(lang, [])]
        found = []
        for row in np.flatnonzero(candidates):
            text = blank_cross_references(clauses[row].text)
            for start, end in sentence_spans(text):
                sentence = text[start:end]
                found.append(Sentence(int(row), (start, end), sentence,
                                      any(p.search(sentence) for p in cues)))
        return found

    def _sentence_grain(self, lang: str, reading: SentenceReading,
                        probabilities: dict[str, np.ndarray],
                        ) -> dict[tuple[str, int], tuple[int, int]]:
        """The topic model on each chosen sentence of a long paragraph. Where a sentence is
        likelier on a category than its whole paragraph, its probability replaces the
        paragraph's (in `probabilities`) and its span is returned under (category, row),
        so that modality reads that sentence. A sentence holding one of the category's
        negative cues never takes over: it would veto its whole paragraph, and the recital
        it usually is ("each Party may have its own regulatory requirements") names the
        topic as often as the rule in the next paragraph does (docs/evaluation.md,
        0.17.8)."""
        if not reading.rows:
            return {}
        scores, ids = self.neighbours(reading.vectors, lang)
        read = reading.vectors if reading.topic_vectors is None else reading.topic_vectors
        found = self.topic_probabilities(reading.texts, read, lang, scores, ids)
        deciding: dict[tuple[str, int], tuple[int, int]] = {}
        for category_id, values in found.items():
            negatives = self.taxonomy.categories[category_id].negative_cues.get(lang, [])
            for n, row in enumerate(reading.rows):
                if any(p.search(reading.texts[n]) for p in negatives):
                    continue
                if values[n] > probabilities[category_id][row]:
                    probabilities[category_id][row] = values[n]
                    deciding[(category_id, row)] = reading.spans[n]
        return deciding

    def neighbours(self, vectors: np.ndarray, lang: str) -> tuple[np.ndarray, np.ndarray]:
        """(similarities, exemplar numbers) of each vector's nearest exemplars."""
        return self._index.nearest(vectors, self._lang(lang),
                                   int(self.taxonomy.classifier["exemplar_k"]))

    # -- main entry -----------------------------------------------------------------------

    def first_pass(self, clauses: list[Clause], language: str | None) -> np.ndarray:
        """Which clauses the classifier must read closely (and so embed): a topic cue of any
        category, or a first-pass word. Without first-pass words for the language, all."""
        lang = self._lang(language)
        words = self.taxonomy.first_pass.get(lang)
        if words is None:
            return np.ones(len(clauses), dtype=bool)
        patterns = words + [p for c in self.taxonomy.categories.values()
                            for p in c.cues.get(lang, [])]
        return np.fromiter((any(p.search(c.text) for p in patterns) for c in clauses),
                           dtype=bool, count=len(clauses))

    def classify(self, clauses: list[Clause], vectors: np.ndarray, language: str | None,
                 trace: bool = False, candidates: np.ndarray | None = None,
                 topic_vectors: np.ndarray | None = None,
                 sentences: SentenceReading | None = None,
                 screened: Screened | None = None,
                 commitment_vectors: Callable[[list[str]], np.ndarray] | None = None,
                 ) -> Classification:
        """Findings and modifier hits for one agreement's clauses, modifiers linked.

        `candidates` is what the first pass kept and the topic screen let through; rows of
        `vectors` for the other clauses are never read. None means every clause is a
        candidate. `topic_vectors`: what the topic model reads instead of `vectors` (the
        multilingual encoder's, for the languages its artefact names). `sentences`:
        sentences of long paragraphs with their own vectors, read at the sentence grain by
        the topic model. `screened`: what
        the topic screen settled (`screen.py`), for the reason each such decision gives.
        `commitment_vectors`: the multilingual encoder, for the learned commitment reader
        (`commitment.py`) to reopen decisions the rules found no wording in; None: no reader.
        """
        lang = self._lang(language)
        tools = self._language_tools(lang)
        result = Classification([], [])
        if not clauses:
            return result
        if candidates is None:
            candidates = np.ones(len(clauses), dtype=bool)
        rows = np.flatnonzero(candidates)
        scores = np.zeros((len(clauses), 0), dtype=np.float32)
        ids = np.zeros((len(clauses), 0), dtype=np.int64)
        if len(rows):
            found_scores, found_ids = self.neighbours(vectors[rows], lang)
            scores = np.zeros((len(clauses), found_scores.shape[1]), dtype=np.float32)
            ids = np.full((len(clauses), found_ids.shape[1]), -1, dtype=np.int64)
            scores[rows], ids[rows] = found_scores, found_ids
        texts = [blank_cross_references(c.text) for c in clauses]
        probabilities: dict[str, np.ndarray] = {}
        deciding: dict[tuple[str, int], tuple[int, int]] = {}
        if self.topic_model is not None and len(rows):
            if topic_vectors is None and self.topic_model.reads_multilingual(lang):
                # Same width as the sentence model's: they would be misread, not refused.
                raise ValueError(f"the topic model decides {lang} clauses on the multilingual "
                                 "encoder's vectors: pass them as topic_vectors "
                                 "(Pipeline.topic_vectors)")
            read = vectors if topic_vectors is None else topic_vectors
            found = self.topic_probabilities([texts[i] for i in rows], read[rows], lang,
                                             scores[rows], ids[rows])
            for category_id, values in found.items():
                probabilities[category_id] = np.zeros(len(clauses))
                probabilities[category_id][rows] = values
            if sentences is not None:
                deciding = self._sentence_grain(lang, sentences, probabilities)
        placed: list[tuple[int, int, Finding]] = []  # (row, decision index, finding)
        brought_in: list[ModifierHit] = []  # modifiers of model articles incorporated
        reopen: list[Reopened] = []
        reader = enabled_reader(self.taxonomy, self.topic_model) \
            if commitment_vectors is not None else None
        for row, clause in enumerate(clauses):
            text = texts[row]
            hits = self._modifier_hits(clause, clause.text, lang)  # titles in refs count here
            result.modifier_hits.extend(hits)
            doc_cache: dict[str, Any] = {}
            excluded, proviso = self._exclusion(text, lang, hits, tools, doc_cache,
                                                tuple(amending_preambles(clause.text)))
            incorporated = {} if excluded else {
                i.category: i for i in incorporations(self.taxonomy.incorporation,
                                                      clause.text, lang)}
            decisions = []
            for category in self.taxonomy.categories.values():
                if excluded:
                    decisions.append(Decision(category.id, "excluded", excluded))
                    continue
                probability, negated = None, False
                if not candidates[row]:
                    decision = Decision(
                        category.id, "no topic", screened.reason(category.id, row)
                        if screened is not None and screened.rows[row]
                        else _FIRST_PASS_REASON)
                else:
                    probability = (float(probabilities[category.id][row])
                                   if category.id in probabilities else None)
                    decision, negated = self._decide_at_grain(
                        category, clause, text, lang, tools, doc_cache, scores[row],
                        ids[row], probability, deciding.get((category.id, row)), proviso)
                if category.id in incorporated and (decision.finding is None
                                                    or decision.finding.strength != "hard"):
                    # The model article binds, whatever the clause's own words say around
                    # it, first pass or not; and before the reader, which then has
                    # nothing to reopen.
                    decision = self._incorporation(clause, incorporated[category.id],
                                                   brought_in)
                if (reader is not None or trace) and probability is not None and \
                        not negated and decision.reason == NO_WORDING:  # what it would read
                    decision.reader_text = reader_text(self.taxonomy, decision, category,
                                                       probability, clause, text, lang,
                                                       tools, doc_cache)
                if reader is not None and decision.reader_text is not None and \
                        category.id in reader.categories:
                    reopen.append(Reopened(row, len(decisions), category, probability,
                                           decisions))
                decisions.append(decision)
                if decision.finding:
                    placed.append((row, len(decisions) - 1, decision.finding))
            if trace:
                result.decisions[clause.clause_id] = decisions
        if reopen and reader is not None and commitment_vectors is not None:
            placed += read_commitments(self.taxonomy, reader, reopen, clauses, texts, lang,
                                       commitment_vectors)
        result.findings = [f for *_, f in sorted(placed, key=lambda x: (x[0], x[1]))]
        link_modifiers(result.findings, result.modifier_hits, self.taxonomy)
        # A model article's own modifiers, listed with the others once they are linked (a
        # clause-reach hit would otherwise reach every finding of its clause).
        result.modifier_hits += brought_in
        return result

"""Clauses -> findings: what each clause commits a Party to, and what softens it.

Three signals decide, each kept as evidence so that a lawyer can check the call:

* topic cues from the taxonomy (regular expressions per category and language);
* modality, matched by spaCy's rule Matcher within the sentence that carries the topic:
  binding ("no Party shall require"), best-endeavour ("shall endeavour to"), or negated
  ("nothing ... shall be construed to require"), which commits to nothing;
* the nearest team-written exemplars, found in a FAISS index over their embeddings: they
  confirm a cue, overrule it when a hard negative is closer, and catch paraphrases that no
  cue anticipated.

A cheap first pass (`first_pass`) picks the clauses worth that close reading: those that
match a topic cue or one of the taxonomy's broad `first_pass` words. Only they need a
sentence-model vector; the others are settled as "no topic" without one.

Definitions, scope articles and exception paragraphs never become findings: they are
recorded as modifiers and linked to the findings they govern (same clause, same article,
same chapter, or the chapters a general exception names, as each modifier's `reach` says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens.models import Clause, Finding, ModifierHit, Span
from tradelens.references import chapter_references
from tradelens.taxonomy import Category, Exemplar, Modifier, Taxonomy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

# "Article 14.13 (Location of Computing Facilities)": a cross-reference whose title would
# otherwise look like a rule of its own. Blanked with spaces, so offsets stay valid.
_CROSS_REFERENCE = re.compile(
    r"\b(?:Articles?|Art[íi]culos?|Art\.)\s+\d+(?:\.\d+)*\s*(\([^()]{3,160}\))", re.I
)
# Words a gap ("shall ... allow") may not cross: a negation turns the phrase around.
_GAP_STOP = ["not", "no", "ne", "n'", "pas", "nunca", ".", ";"]
_MODALITIES = ("hard", "soft", "negation", "continuation")
#: Roles of the files of a multi-file agreement whose modifiers govern the whole agreement.
_SEPARATE_INSTRUMENTS = ("side_letter", "annex", "schedule")
_FIRST_PASS_REASON = ("first pass: no topic cue and none of the taxonomy's first-pass words, "
                      "so the clause was not read closely")


@dataclass
class _LanguageTools:
    nlp: Language
    matcher: Matcher


@dataclass
class Decision:
    """Why a clause is, or is not, a finding of one category (for `tradelens explain`)."""

    category: str
    outcome: str  # finding | excluded | no topic | negative cue | hard negative | no commitment
    reason: str
    rule: str | None = None
    nearest: list[dict[str, Any]] = field(default_factory=list)
    finding: Finding | None = None


@dataclass
class Classification:
    findings: list[Finding]
    modifier_hits: list[ModifierHit]
    #: clause id -> one decision per category; filled only when asked (`trace=True`).
    decisions: dict[str, list[Decision]] = field(default_factory=dict)


def _blank_cross_references(text: str) -> str:
    return _CROSS_REFERENCE.sub(
        lambda m: m.group(0)[: m.start(1) - m.start(0)] + " " * len(m.group(1)), text
    )


def _phrase_pattern(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    """A Matcher pattern from a taxonomy phrase; `...` stands for up to ten words."""
    pattern: list[dict[str, Any]] = []
    for token in nlp.make_doc(phrase):
        if token.text == "...":
            pattern.append({"LOWER": {"NOT_IN": _GAP_STOP}, "OP": "{0,10}"})
        else:
            pattern.append({"LOWER": token.lower_})
    return pattern


class _ExemplarIndex:
    """Exact inner-product search over exemplar vectors, one index per language or one shared."""

    def __init__(self, exemplars: list[Exemplar], vectors: np.ndarray, by_language: bool) -> None:
        import faiss

        groups: dict[str | None, list[int]] = {}
        for i, exemplar in enumerate(exemplars):
            groups.setdefault(exemplar.lang if by_language else None, []).append(i)
        self.by_language = by_language
        self._groups: dict[str | None, tuple[Any, np.ndarray]] = {}
        for key, members in groups.items():
            index = faiss.IndexFlatIP(vectors.shape[1])
            index.add(np.ascontiguousarray(vectors[members], dtype=np.float32))
            self._groups[key] = (index, np.asarray(members))

    def search(self, vectors: np.ndarray, lang: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        key = lang if self.by_language else None
        if key not in self._groups:
            key = "en" if "en" in self._groups else next(iter(self._groups))
        index, members = self._groups[key]
        k = min(k, len(members))
        scores, local = index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
        return scores, np.where(local >= 0, members[np.maximum(local, 0)], -1)


class Classifier:
    """Holds the compiled taxonomy, spaCy matchers and the exemplar index for one run."""

    def __init__(self, taxonomy: Taxonomy, exemplar_vectors: np.ndarray) -> None:
        self.taxonomy = taxonomy
        self.exemplars: list[Exemplar] = taxonomy.exemplars
        if len(self.exemplars) != len(exemplar_vectors):
            raise ValueError("one vector per exemplar is required")
        self._index = _ExemplarIndex(
            self.exemplars, np.asarray(exemplar_vectors, dtype=np.float32),
            by_language=not taxonomy.classifier.get("cross_lingual_exemplars", False),
        )
        self._tools: dict[str, _LanguageTools] = {}

    # -- spaCy ------------------------------------------------------------------------------

    def _language_tools(self, lang: str) -> _LanguageTools:
        if lang not in self._tools:
            import spacy
            from spacy.matcher import Matcher

            nlp = spacy.blank(lang)
            nlp.add_pipe("sentencizer")
            matcher = Matcher(nlp.vocab)
            for modality in _MODALITIES:
                phrases = self.taxonomy.modality[lang].get(modality, [])
                if phrases:
                    matcher.add(modality, [_phrase_pattern(nlp, p) for p in phrases])
            self._tools[lang] = _LanguageTools(nlp, matcher)
        return self._tools[lang]

    def _lang(self, language: str | None) -> str:
        return language if language in self.taxonomy.modality else "en"

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
        for modifier in self.taxonomy.modifiers.values():
            evidence = modifier_evidence(modifier, clause.chapter, text, lang)
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
                hits.append(ModifierHit(
                    modifier=modifier.id, kind=modifier.kind, clause_id=clause.clause_id,
                    reach=reach, article_key=clause.article_key,
                    chapter_index=clause.chapter_index, evidence=evidence,
                    refers_to=chapter_references(source) if reach == "agreement"
                    else None,
                    chapter=clause.chapter,
                ))
        return hits

    def _exclusion(self, text: str, lang: str, hits: list[ModifierHit]) -> str | None:
        """Why the clause is a definition, scope statement or exception, if it is one."""
        own = [h for h in hits if h.kind in ("exception", "enforceability")
               and not any(s.cue.startswith("footnote") for s in h.evidence)]
        if own:
            return f"it is an exception or enforceability clause ({own[0].modifier})"
        for pattern in self.taxonomy.non_findings.get(lang, []):
            if pattern.search(text):
                return f"it defines terms or sets scope (matches {pattern.pattern!r})"
        return None

    # -- strength -------------------------------------------------------------------------

    @staticmethod
    def _strength(tools: _LanguageTools, doc: Doc,
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

    # -- one clause, one category -----------------------------------------------------------

    def _decide(self, category: Category, clause: Clause, text: str, lang: str,
                tools: _LanguageTools, doc_cache: dict[str, Doc], scores: np.ndarray,
                ids: np.ndarray) -> Decision:
        settings = self.taxonomy.classifier
        decide = Decision  # short alias for the many returns below
        for pattern in category.negative_cues.get(lang, []):
            if pattern.search(text):
                return decide(category.id, "negative cue",
                              f"matches the category's negative cue {pattern.pattern!r}")
        cue_pattern, cue = next(((p, m) for p in category.cues.get(lang, [])
                                 if (m := p.search(text))), (None, None))
        # Every place the topic is named, so that each sentence naming it is read.
        focus = sorted({m.span() for p in category.cues.get(lang, []) for m in p.finditer(text)})
        positive, negative, nearest = self._similarities(scores, ids, category.id)
        if cue is not None:
            if negative - positive >= settings["hard_negative_margin"]:
                return decide(category.id, "hard negative",
                              f"a hard-negative exemplar is closer ({negative:.2f}) than "
                              f"every positive ({positive:.2f})", cue_pattern.pattern, nearest)
        elif not (positive >= settings["embedding_only_similarity"]
                  and positive - negative >= settings["embedding_only_margin"]):
            return decide(category.id, "no topic",
                          f"no topic cue, and the closest positive exemplar ({positive:.2f}) "
                          "is not close enough", None, nearest)
        if "doc" not in doc_cache:  # spaCy runs once per clause, and only if needed
            doc_cache["doc"] = tools.nlp(text)
        strength, modality = self._strength(tools, doc_cache["doc"], focus or None)
        rule = cue_pattern.pattern if cue_pattern else "nearest exemplar"
        if strength in ("none", "negated"):
            why = (f"its commitment is negated ({modality[0].text!r})" if modality
                   else "no binding or best-endeavour wording in the sentence")
            return decide(category.id, "no commitment", why, rule, nearest)
        closeness = min(1.0, max(0.0, (positive - 0.3) / 0.5))
        confidence = 0.55 + 0.45 * closeness if cue else 0.5 * closeness
        evidence = ([Span(cue.start(), cue.end(), clause.text[cue.start():cue.end()],
                          f"topic:{category.id}")] if cue else []) + modality
        finding = Finding(category=category.id, clause=clause, strength=strength,  # type: ignore[arg-type]
                          confidence=round(confidence, 3), evidence=evidence,
                          nearest_exemplars=nearest)
        how = f"topic cue {cue.group(0)!r}" if cue else f"nearest exemplar ({positive:.2f})"
        return decide(category.id, "finding",
                      f"{how} with {strength} wording {modality[0].text!r}", rule, nearest,
                      finding)

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
                 trace: bool = False, candidates: np.ndarray | None = None) -> Classification:
        """Findings and modifier hits for one agreement's clauses, modifiers linked.

        `candidates` is the first pass's verdict; rows of `vectors` for the other clauses
        are never read. None means every clause is a candidate.
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
            found_scores, found_ids = self._index.search(
                vectors[rows], lang, int(self.taxonomy.classifier["exemplar_k"]))
            scores = np.zeros((len(clauses), found_scores.shape[1]), dtype=np.float32)
            ids = np.full((len(clauses), found_ids.shape[1]), -1, dtype=np.int64)
            scores[rows], ids[rows] = found_scores, found_ids
        for row, clause in enumerate(clauses):
            text = _blank_cross_references(clause.text)
            hits = self._modifier_hits(clause, clause.text, lang)  # titles in refs count here
            result.modifier_hits.extend(hits)
            excluded = self._exclusion(text, lang, hits)
            decisions = []
            doc_cache: dict[str, Doc] = {}
            for category in self.taxonomy.categories.values():
                if excluded:
                    decisions.append(Decision(category.id, "excluded", excluded))
                    continue
                if not candidates[row]:
                    decisions.append(Decision(category.id, "no topic", _FIRST_PASS_REASON))
                    continue
                decision = self._decide(category, clause, text, lang, tools, doc_cache,
                                        scores[row], ids[row])
                decisions.append(decision)
                if decision.finding:
                    result.findings.append(decision.finding)
            if trace:
                result.decisions[clause.clause_id] = decisions
        link_modifiers(result.findings, result.modifier_hits, self.taxonomy)
        return result


def modifier_evidence(modifier: Modifier, chapter: str | None, text: str,
                      lang: str) -> list[Span]:
    """What makes a text an instance of `modifier`: its chapter heading or its words."""
    for pattern in modifier.chapter_cues.get(lang, []):
        if chapter and (match := pattern.search(chapter)):
            return [Span(0, 0, match.group(0), f"chapter:{modifier.id}")]
    for rule in modifier.cues.get(lang, []):
        matches = rule.search(text)
        if matches:
            return [Span(m.start(), m.end(), m.group(0), modifier.id) for m in matches]
    return []


def replace_cue(span: Span, prefix: str) -> Span:
    return Span(span.start, span.end, span.text, prefix + span.cue)


def reaches(hit: ModifierHit, clause: Clause) -> bool:
    """Whether a modifier found in one clause governs a rule in `clause`."""
    if hit.reach == "clause":
        return hit.clause_id == clause.clause_id
    if hit.reach == "article":
        return hit.article_key == clause.article_key
    if hit.reach == "chapter":
        return hit.chapter_index == clause.chapter_index
    # "agreement": a general exception reaches the chapters it names; "this Chapter" is
    # its own; naming none, it covers the whole agreement.
    refs = hit.refers_to
    if refs is None or not refs.any:
        return True
    if refs.own and hit.chapter_index == clause.chapter_index:
        return True
    return refs.covers(clause.chapter)


def link_modifiers(findings: list[Finding], hits: list[ModifierHit],
                   taxonomy: Taxonomy) -> None:
    """Attach to each finding the modifiers that reach it and apply to its category."""
    for finding in findings:
        seen: set[str] = set()
        for hit in hits:
            modifier = taxonomy.modifiers[hit.modifier]
            if finding.category not in modifier.applies_to or hit.modifier in seen:
                continue
            if reaches(hit, finding.clause):
                finding.modifiers.append(hit)
                seen.add(hit.modifier)

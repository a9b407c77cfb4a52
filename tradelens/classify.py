"""Clauses -> findings: what each clause commits a Party to, and what softens it.

Three signals decide, each kept as evidence so that a lawyer can check the call:

* topic cues from the taxonomy (regular expressions per category and language);
* modality, matched by spaCy's PhraseMatcher within the sentence that carries the topic:
  binding ("no Party shall require") or best-endeavour ("shall endeavour to");
* the nearest team-written exemplars, found in a FAISS index over their embeddings: they
  confirm a cue, overrule it when a hard negative is closer, and catch paraphrases that no
  cue anticipated.

Definitions, scope articles and exception paragraphs never become findings: they are
recorded as modifiers and linked to the findings they govern (same clause, same article
or same chapter, as each modifier's `reach` says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens.models import Clause, Finding, ModifierHit, Span
from tradelens.taxonomy import Exemplar, Modifier, Taxonomy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

# "Article 14.13 (Location of Computing Facilities)": a cross-reference whose title would
# otherwise look like a rule of its own. Blanked with spaces, so offsets stay valid.
_CROSS_REFERENCE = re.compile(
    r"\b(?:Articles?|Art[íi]culos?|Art\.)\s+\d+(?:\.\d+)*\s*(\([^()]{3,160}\))", re.I
)


@dataclass
class _LanguageTools:
    nlp: Language
    hard: PhraseMatcher
    soft: PhraseMatcher


def _blank_cross_references(text: str) -> str:
    return _CROSS_REFERENCE.sub(
        lambda m: m.group(0)[: m.start(1) - m.start(0)] + " " * len(m.group(1)), text
    )


class Classifier:
    """Holds the compiled taxonomy, spaCy matchers and the exemplar index for one run."""

    def __init__(self, taxonomy: Taxonomy, exemplar_vectors: np.ndarray) -> None:
        import faiss

        self.taxonomy = taxonomy
        self.exemplars: list[Exemplar] = taxonomy.exemplars
        if len(self.exemplars) != len(exemplar_vectors):
            raise ValueError("one vector per exemplar is required")
        self._index = faiss.IndexFlatIP(exemplar_vectors.shape[1])
        self._index.add(np.ascontiguousarray(exemplar_vectors, dtype=np.float32))
        self._tools: dict[str, _LanguageTools] = {}

    # -- spaCy ------------------------------------------------------------------------------

    def _language_tools(self, lang: str) -> _LanguageTools:
        if lang not in self._tools:
            import spacy
            from spacy.matcher import PhraseMatcher

            nlp = spacy.blank(lang)
            nlp.add_pipe("sentencizer")
            phrases = self.taxonomy.modality[lang]
            matchers = []
            for strength in ("hard", "soft"):
                matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
                matcher.add(strength, [nlp.make_doc(p) for p in phrases[strength]])
                matchers.append(matcher)
            self._tools[lang] = _LanguageTools(nlp, *matchers)
        return self._tools[lang]

    def _lang(self, language: str | None) -> str:
        return language if language in self.taxonomy.modality else "en"

    # -- exemplars ------------------------------------------------------------------------

    def _neighbours(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = min(int(self.taxonomy.classifier["exemplar_k"]), len(self.exemplars))
        return self._index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)

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
        hits = []
        for modifier in self.taxonomy.modifiers.values():
            evidence = self._modifier_evidence(modifier, clause, text, lang)
            if evidence:
                hits.append(ModifierHit(
                    modifier=modifier.id, kind=modifier.kind, clause_id=clause.clause_id,
                    reach=modifier.reach, article_key=clause.article_key,
                    chapter_index=clause.chapter_index, evidence=evidence,
                ))
        return hits

    @staticmethod
    def _modifier_evidence(modifier: Modifier, clause: Clause, text: str,
                           lang: str) -> list[Span]:
        """What makes `clause` an instance of `modifier`: its chapter heading or its words."""
        for pattern in modifier.chapter_cues.get(lang, []):
            if clause.chapter and (match := pattern.search(clause.chapter)):
                return [Span(0, 0, match.group(0), f"chapter:{modifier.id}")]
        for rule in modifier.cues.get(lang, []):
            matches = rule.search(text)
            if matches:
                return [Span(m.start(), m.end(), m.group(0), modifier.id) for m in matches]
        return []

    def _is_non_finding(self, text: str, lang: str, hits: list[ModifierHit]) -> bool:
        if any(h.kind in ("exception", "enforceability") for h in hits):
            return True
        return any(p.search(text) for p in self.taxonomy.non_findings.get(lang, []))

    # -- strength -------------------------------------------------------------------------

    @staticmethod
    def _strength(tools: _LanguageTools, doc: Doc,
                  focus: tuple[int, int] | None) -> tuple[str, list[Span]]:
        """Modality of the sentence holding the topic cue (of the whole clause without one)."""
        sentences = [s for s in doc.sents
                     if focus is None or (s.start_char < focus[1] and focus[0] < s.end_char)]
        for strength, matcher in (("hard", tools.hard), ("soft", tools.soft)):
            spans = [
                Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]),
                     doc[start:end].text, f"modality:{strength}")
                for _, start, end in matcher(doc)
                if any(s.start <= start and end <= s.end for s in sentences)
            ]
            if spans:
                return strength, spans[:2]
        return "none", []

    # -- main entry -----------------------------------------------------------------------

    def classify(self, clauses: list[Clause], vectors: np.ndarray,
                 language: str | None) -> tuple[list[Finding], list[ModifierHit]]:
        """Findings and modifier hits for one agreement's clauses, modifiers linked."""
        lang = self._lang(language)
        tools = self._language_tools(lang)
        settings = self.taxonomy.classifier
        scores, ids = self._neighbours(vectors) if len(clauses) else (None, None)
        findings: list[Finding] = []
        modifier_hits: list[ModifierHit] = []
        for row, clause in enumerate(clauses):
            text = _blank_cross_references(clause.text)
            hits = self._modifier_hits(clause, text, lang)
            modifier_hits.extend(hits)
            if self._is_non_finding(text, lang, hits):
                continue
            doc: Doc | None = None  # spaCy runs once per clause, and only if needed
            for category in self.taxonomy.categories.values():
                if any(p.search(text) for p in category.negative_cues.get(lang, [])):
                    continue
                cue = next((m for p in category.cues.get(lang, []) if (m := p.search(text))),
                           None)
                positive, negative, nearest = self._similarities(scores[row], ids[row],
                                                                 category.id)
                if cue is not None:
                    if negative - positive >= settings["hard_negative_margin"]:
                        continue
                elif not (positive >= settings["embedding_only_similarity"]
                          and positive - negative >= settings["embedding_only_margin"]):
                    continue
                focus = (cue.start(), cue.end()) if cue else None
                doc = doc if doc is not None else tools.nlp(text)
                strength, modality = self._strength(tools, doc, focus)
                if strength == "none":
                    continue
                closeness = min(1.0, max(0.0, (positive - 0.3) / 0.5))
                confidence = 0.55 + 0.45 * closeness if cue else 0.5 * closeness
                evidence = ([Span(cue.start(), cue.end(), clause.text[cue.start():cue.end()],
                                  f"topic:{category.id}")] if cue else []) + modality
                findings.append(Finding(
                    category=category.id, clause=clause, strength=strength,  # type: ignore[arg-type]
                    confidence=round(confidence, 3), evidence=evidence,
                    nearest_exemplars=nearest,
                ))
        link_modifiers(findings, modifier_hits, self.taxonomy)
        return findings, modifier_hits


def link_modifiers(findings: list[Finding], hits: list[ModifierHit],
                   taxonomy: Taxonomy) -> None:
    """Attach to each finding the modifiers that reach it and apply to its category."""
    for finding in findings:
        clause = finding.clause
        seen: set[str] = set()
        for hit in hits:
            modifier = taxonomy.modifiers[hit.modifier]
            if finding.category not in modifier.applies_to or hit.modifier in seen:
                continue
            reaches = (
                (hit.reach == "clause" and hit.clause_id == clause.clause_id)
                or (hit.reach == "article" and hit.article_key == clause.article_key)
                or (hit.reach == "chapter" and hit.chapter_index == clause.chapter_index)
            )
            if reaches:
                finding.modifiers.append(hit)
                seen.add(hit.modifier)

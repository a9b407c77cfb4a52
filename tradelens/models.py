"""Plain data passed between pipeline stages.

Stages exchange these dataclasses and nothing else, so each stage can be tested,
replaced or run elsewhere (a worker process, a later distributed executor) alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tradelens.text.divisions import Division
    from tradelens.text.references import ChapterReferences

BlockKind = Literal["chapter", "article", "line"]
Strength = Literal["hard", "soft", "none"]
#: How binding each strength is, for "the strongest of" and "the most binding first".
STRENGTH_ORDER: dict[str, int] = {"none": 0, "soft": 1, "hard": 2}
#: The three kinds of modifier, in the order reports list them.
MODIFIER_KINDS = ("scope", "exception", "enforceability")


@dataclass
class Block:
    """One unit of extracted text with the structure hints its reader could give.

    Structured sources (ToTA XML) emit `chapter` and `article` blocks; layout sources
    (PDF, plain text) emit `line` blocks and leave structure to the segmenter.
    """

    kind: BlockKind
    text: str
    page: int | None = None
    source_ref: str | None = None
    number: str | None = None
    title: str | None = None
    #: 1 = chapter, 2 = article: a heading known from its style (DOCX, HTML) even when its
    #: text has no "Article" keyword.
    heading_level: int | None = None
    footnotes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    #: Tracked changes, as (kind, text) with kind "inserted" or "deleted".
    changes: list[tuple[str, str]] = field(default_factory=list)
    #: Mean Tesseract word confidence (0..1) of the page, for text read by OCR.
    ocr_confidence: float | None = None
    #: For an agreement made of several files (ingest/manifest.py): the file, as the
    #: manifest names it, and its role (main, annex, side_letter, schedule).
    file: str | None = None
    file_role: str | None = None
    #: Where a PDF line was printed: 0 across the page, 1 left column, 2 right column
    #: (None for other formats); a parallel bilingual layout is told apart by it.
    column: int | None = None


@dataclass
class ParallelText:
    """One language version of a document printed with its translation beside it (text/
    parallel.py): each version is analysed as an agreement of its own, `<source_id>_<lang>`."""

    #: The id the whole file would have had: what the versions share.
    source_id: str
    #: How the languages were laid out: "columns", "pages" or "blocks".
    layout: str
    #: Every version's language, in the order the source prints them.
    languages: list[str]

    def version_id(self, language: str) -> str:
        """The agreement id of the version in `language`."""
        return f"{self.source_id}_{language}"


@dataclass
class Document:
    """What every reader returns, whatever the input format."""

    agreement_id: str
    source: str
    format: str
    blocks: list[Block]
    title: str | None = None
    language: str | None = None
    date_signed: str | None = None
    parties: list[str] = field(default_factory=list)
    pages: int | None = None
    #: The parties at signature where the source lists them apart (ToTA `parties_original`).
    parties_original: list[str] = field(default_factory=list)
    date_into_force: str | None = None
    date_inactive: str | None = None
    #: The source's own status ("In Force", "Inactive"...), where it tracks one.
    treaty_status: str | None = None
    #: Set on each language version of a parallel bilingual source (text/parallel.py).
    parallel: ParallelText | None = None


@dataclass
class Clause:
    """A paragraph-level unit of an agreement with its provenance."""

    clause_id: str
    agreement_id: str
    text: str
    chapter: str | None
    article: str | None
    article_key: str
    paragraph: str | None
    location: str
    source_ref: str | None = None
    page: int | None = None
    article_title: str | None = None
    chapter_index: int = 0
    footnotes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    changes: list[tuple[str, str]] = field(default_factory=list)
    #: Sub-paragraph items ("(a)", "(i)") with their text, for display and navigation;
    #: the clause text keeps them, because a lead-in and its items are read together.
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    defined_terms: list[str] = field(default_factory=list)
    #: One text per bracketed option ("[A] / [B]") of a draft; empty when there is no choice.
    options: list[str] = field(default_factory=list)
    #: Lowest OCR confidence (0..1) of the pages the clause was read from by OCR.
    ocr_confidence: float | None = None
    #: The file (and its role) of a multi-file agreement the clause comes from.
    file: str | None = None
    file_role: str | None = None
    #: The divisions the clause sits in, outermost first (Part, Title, Chapter, Section);
    #: the innermost is `chapter` / `chapter_index`. Empty for a clause made without a
    #: document (an evaluation item).
    divisions: tuple[Division, ...] = ()

    @property
    def division_indices(self) -> set[int]:
        """Every division the clause sits in, by index (its chapter index at least)."""
        return {d.index for d in self.divisions} or {self.chapter_index}

    @property
    def headings(self) -> list[str]:
        """The headings of its divisions, outermost first."""
        return [d.heading for d in self.divisions if d.heading] or (
            [self.chapter] if self.chapter else [])


@dataclass
class SubParagraph:
    label: str
    level: int
    text: str


@dataclass
class Span:
    """Evidence: which words of a clause made the classifier decide."""

    start: int
    end: int
    text: str
    cue: str


@dataclass
class ModifierHit:
    """A clause that softens or narrows the rules around it (exception, scope, enforceability)."""

    modifier: str
    kind: str
    clause_id: str
    reach: str
    article_key: str
    chapter_index: int
    evidence: list[Span] = field(default_factory=list)
    #: For modifiers that reach other chapters (general exceptions): the chapters named.
    refers_to: ChapterReferences | None = None
    chapter: str | None = None
    #: The division it governs (`Division.index`): its chapter's, or the Part's when it
    #: says "this Part". None: its chapter index.
    division: int | None = None

    @property
    def governed_index(self) -> int:
        return self.chapter_index if self.division is None else self.division


@dataclass
class Finding:
    """A clause that commits a Party on one taxonomy category."""

    category: str
    clause: Clause
    strength: Strength
    confidence: float
    evidence: list[Span] = field(default_factory=list)
    nearest_exemplars: list[dict] = field(default_factory=list)
    modifiers: list[ModifierHit] = field(default_factory=list)
    #: Set when no modality phrase decided the commitment but the learned reader did
    #: (`classify/commitment.py`) or a model article brought in by number
    #: (`classify/incorporation.py`): what read it, said in the finding's explanation.
    read_by: str | None = None


@dataclass(frozen=True)
class FindingScore:
    """The policy space one finding leaves, with every step that produced it."""

    finding: Finding
    policy_space: float
    explanation: tuple[str, ...]


@dataclass
class CategoryScore:
    category: str
    status: Strength
    policy_space: float
    #: Every finding of the category with its score, most binding first.
    findings: list[FindingScore]
    #: The finding that set the category's score (None when there is no finding).
    decisive: FindingScore | None
    explanation: list[str]


@dataclass
class AgreementScore:
    score: float
    weights: dict[str, float]
    categories: dict[str, CategoryScore]
    explanation: list[str]

"""Load the clause taxonomy from YAML, validate it, and compile its patterns once.

The taxonomy is data so that lawyers and researchers can change categories, cues,
exemplars and weights without code; validation at load turns a typo into an error that
names the file and line instead of a silently wrong score.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tradelens import speedups
from tradelens.errors import SetupError
from tradelens.text.accents import accent_tolerant
from tradelens.text.limits import ambiguous_alternatives, risky_pattern
from tradelens.text.pattern_guard import GuardedPattern

#: A compiled taxonomy pattern: `re`'s own, or the same behind a guard (the speed-ups).
Pattern = re.Pattern[str] | GuardedPattern

CORE_CATEGORIES = ("data_free_flow", "server_location", "source_code_secrecy")


@dataclass(frozen=True)
class Exemplar:
    category: str
    lang: str
    strength: str
    text: str


@dataclass(frozen=True)
class ModifierExemplar:
    """A team-written text that should (`match`) or should not carry the modifier."""

    lang: str
    match: bool
    text: str
    chapter: str | None = None


@dataclass
class CueRule:
    """Matches when every `requires` and `all` pattern and no `none` pattern is found.

    `requires` holds cheap words tested first, so that a costly proximity pattern runs only
    on the few texts that can match it; its matches are not evidence (the `all` match that
    spans the same words is)."""

    all: list[Pattern]
    none: list[Pattern] = field(default_factory=list)
    requires: list[Pattern] = field(default_factory=list)

    def search(self, text: str) -> list[re.Match[str]] | None:
        if not all(p.search(text) for p in self.requires):
            return None
        matches: list[re.Match[str]] = []
        for pattern in self.all:
            match = pattern.search(text)
            if match is None:
                return None
            matches.append(match)
        if any(p.search(text) for p in self.none):
            return None
        return matches


@dataclass
class Category:
    id: str
    label: str
    definition: str
    cues: dict[str, list[Pattern]]
    negative_cues: dict[str, list[Pattern]]
    exemplars: list[Exemplar]


@dataclass
class Modifier:
    id: str
    kind: str
    label: str
    definition: str
    reach: str
    applies_to: list[str]
    relief: float
    cues: dict[str, list[CueRule]]
    sectoral: bool = False
    chapter_cues: dict[str, list[Pattern]] = field(default_factory=dict)
    exemplars: list[ModifierExemplar] = field(default_factory=list)
    #: "paragraph": each rule's words must sit in one numbered paragraph of a text that
    #: runs several together, as the segmenter would cut a document; "clause": anywhere.
    read_within: str = "clause"


@dataclass(frozen=True)
class ModelArticle:
    """An article of a model agreement that holds one category's rule."""

    number: str
    category: str
    #: modifiers written into the article's own paragraphs (its necessity test)
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelAgreement:
    label: str
    names: list[Pattern]
    articles: list[ModelArticle]
    #: modifiers its chapter adds when brought in whole (the RCEP's Article 12.17)
    chapter_modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncorporationTable:
    """What `classify/incorporation.py` reads: the verbs that bring a model agreement's
    article in, the words that keep it out (a negation before the verb, an exception before
    the numbers, a suspension anywhere), the words naming a chapter, the models."""

    verbs: dict[str, list[Pattern]] = field(default_factory=dict)
    negations: dict[str, list[Pattern]] = field(default_factory=dict)
    exclusions: dict[str, list[Pattern]] = field(default_factory=dict)
    vetoes: dict[str, list[Pattern]] = field(default_factory=dict)
    chapter_words: dict[str, list[Pattern]] = field(default_factory=dict)
    models: list[ModelAgreement] = field(default_factory=list)


@dataclass
class Taxonomy:
    version: str
    languages: list[str]
    modality: dict[str, dict[str, list[str]]]
    non_findings: dict[str, list[Pattern]]
    #: language -> words that turn a sentence from its rule to the rule's proviso.
    proviso_turns: dict[str, list[Pattern]]
    #: language -> openings whose subject is a provision: they open exceptions.
    exception_openings: dict[str, list[Pattern]]
    classifier: dict[str, Any]
    #: language -> patterns that send a clause to the sentence model (see `first_pass`).
    first_pass: dict[str, list[Pattern]]
    scoring: dict[str, Any]
    categories: dict[str, Category]
    modifiers: dict[str, Modifier]
    fingerprint: str
    source: str
    #: model agreements' articles another agreement may bring in by number
    incorporation: IncorporationTable = field(default_factory=IncorporationTable)

    def reading_language(self, language: str | None) -> str:
        """The language whose cues and modality phrases read a text in `language`: itself
        when the taxonomy has its phrases, else English."""
        return language if language in self.modality else "en"

    @property
    def exemplars(self) -> list[Exemplar]:
        return [e for c in self.categories.values() for e in c.exemplars]

    def with_scoring(self, scoring: dict[str, Any], origin: str) -> Taxonomy:
        """A copy with user-supplied scoring weights (`--weights FILE`), validated like the rest.

        Besides the `scoring` keys, a weights file may hold `relief: {modifier_id: points}`
        to re-weight what an exception, scope limit or enforceability rule gives back.
        """
        scoring = dict(scoring)
        relief = scoring.pop("relief", None) or {}
        merged = {**self.scoring, **scoring}
        # No line numbers: `merged` mixes the user's file with the bundled defaults.
        _validate(merged, "scoring", origin, None)
        _check_weights(merged, self.categories, origin)
        modifiers = dict(self.modifiers)
        if not isinstance(relief, dict):
            raise SetupError(f"{origin}: relief must map modifier ids to points")
        for modifier_id, points in relief.items():
            if modifier_id not in modifiers:
                raise SetupError(f"{origin}: relief for unknown modifier '{modifier_id}' "
                                 f"(known: {', '.join(sorted(modifiers))})")
            if isinstance(points, bool) or not isinstance(points, int | float) \
                    or not 0 <= points <= 100:
                raise SetupError(f"{origin}: relief for '{modifier_id}' must be a number "
                                 "from 0 to 100")
            modifiers[modifier_id] = replace(modifiers[modifier_id], relief=float(points))
        settings = json.dumps([merged, relief], sort_keys=True)
        digest = hashlib.sha256((self.fingerprint + settings).encode())
        return replace(self, scoring=merged, modifiers=modifiers,
                       fingerprint=digest.hexdigest()[:16])


def default_taxonomy_dir() -> Path:
    return Path(str(resources.files("clause_taxonomy")))


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("tradelens").joinpath("schemas/taxonomy.schema.json").read_text()
    return json.loads(text)


def _line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """1-based line of the YAML node at a JSON-Schema error path, for error messages."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _validate(data: Any, definition: str, origin: str, node: yaml.Node | None) -> None:
    import jsonschema

    schema = {**_schema(), "$ref": f"#/$defs/{definition}"}
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        line = _line_of(node, list(error.absolute_path))
        where = f"{origin}:{line}" if line else origin
        raise SetupError(f"{where}: invalid taxonomy: {error.message}")


def _load_yaml(path: Path, definition: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        data = _parse_yaml(text)
    except UnicodeDecodeError as exc:
        raise SetupError(f"{path}: taxonomy file is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise SetupError(f"{path}: cannot read taxonomy file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SetupError(f"{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc
    try:
        _validate(data, definition, str(path), None)
    except SetupError:
        with contextlib.suppress(yaml.YAMLError):  # the node tree, to name the error's line
            _validate(data, definition, str(path), yaml.compose(text))
        raise
    _check_finite(data, str(path))
    return data


def _parse_yaml(text: str) -> Any:
    """safe_load, by libyaml when it is there and the speed-ups are on (the same data in a
    tenth of the time); a document libyaml refuses is parsed again by PyYAML's own parser,
    so that the error names the problem as before."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None and speedups.enabled():
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - CSafeLoader is safe_load
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def either_apostrophe(pattern: str) -> str:
    """The pattern with each straight apostrophe also matching the typographic one (’):
    Word and PDF drafts write "s’applique", the taxonomy's cues "s'applique"."""
    out: list[str] = []
    opened = -1  # where the open character class starts in `out`, or -1
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "'":
            char = "'’" if opened >= 0 else "['’]"
        elif char == "[" and opened < 0:
            opened = len(out)
        elif char == "]" and opened >= 0 and "".join(out[opened + 1:]) not in ("", "^"):
            opened = -1  # (a "]" first in the class, or after its "^", is literal)
        out.append(char)
    return "".join(out)


#: What `accent_tolerant` does not parse: inline verbose mode and conditional groups.
_UNSUPPORTED = re.compile(r"\(\?[aiLmsu-]*x[aiLmsux-]*[:)]|\(\?\(")


def _compile(patterns: list[str], origin: str) -> list[Pattern]:
    """Each pattern compiled case-insensitively, its accented letters also matching their
    bare ones (`text/accents.py`); with the speed-ups on, behind a guard that answers a
    search that cannot match without running it (`text/pattern_guard.py`)."""
    compiled: list[Pattern] = []
    for pattern in patterns:
        if _UNSUPPORTED.search(pattern):
            raise SetupError(f"{origin}: pattern {pattern!r} refused: verbose mode (?x) and "
                             "conditional groups (?(...) are not supported in taxonomy "
                             "patterns (text/accents.py rewrites them letter by letter)")
        source = either_apostrophe(pattern)
        widened = accent_tolerant(source)
        try:
            regex = re.compile(widened, re.I)
            compiled.append(GuardedPattern(regex, source) if speedups.enabled() else regex)
        except re.error as exc:
            raise SetupError(f"{origin}: bad pattern {pattern!r}: {exc}") from exc
        # Widening puts classes where letters were and adds no repeat, so the widened
        # pattern has a nested repeat whenever the pattern has one; but it can make two
        # alternatives match the same text ("(?:és|es)+"), so those are checked widened.
        risk = risky_pattern(widened)
        if risk:
            raise SetupError(f"{origin}: pattern {pattern!r} refused: {risk}, which can take "
                             "exponential time; rewrite it without the nested repeat")
        if ambiguous := ambiguous_alternatives(widened):
            raise SetupError(f"{origin}: pattern {pattern!r} refused: {ambiguous} (accented "
                             "letters also match their bare letters), which can take "
                             "exponential time; keep one of the alternatives")
    return compiled


def _by_lang(data: dict[str, list[str]] | None, origin: str) -> dict[str, list[Pattern]]:
    return {lang: _compile(patterns, origin) for lang, patterns in (data or {}).items()}


def near_pattern(terms: list[str], within: int) -> str:
    """One pattern that matches the terms in any order, each next one at most `within`
    characters after the one before: what a topic cue written as `{near: [...], within:
    N}` compiles to. A topic is named by what a clause brings together (servers and the
    territory), and drafters put those words in every order ("host its servers in the
    territory", "host, in its territory, the servers")."""
    if not 2 <= len(terms) <= 3:
        raise ValueError(f"a near cue takes two or three terms, not {len(terms)}")
    gap = f".{{0,{within}}}"
    orders = itertools.permutations(f"(?:{t})" for t in terms)
    return "|".join(gap.join(order) for order in orders)


def _cue_patterns(data: dict[str, list[Any]] | None) -> dict[str, list[str]]:
    """A category's topic cues per language as pattern strings: a string is a pattern, a
    `{near: [terms], within: N}` mapping its terms in any order (`near_pattern`)."""
    return {lang: [entry if isinstance(entry, str)
                   else near_pattern(entry["near"], entry["within"]) for entry in entries]
            for lang, entries in (data or {}).items()}


def _check_weights(scoring: dict[str, Any], categories: dict[str, Category], origin: str) -> None:
    unknown = set(scoring["category_weights"]) - set(categories)
    if unknown:
        raise SetupError(f"{origin}: weights for unknown categories: {', '.join(sorted(unknown))}")
    if sum(scoring["category_weights"].get(c, 0) for c in categories) <= 0:
        raise SetupError(f"{origin}: category weights must not all be zero")


def _check_language_bars(settings: dict[str, Any], categories: dict[str, Category],
                         origin: str) -> None:
    """`topic_threshold_by_language` and `topic_threshold_with_cue_by_language` name only
    the taxonomy's languages (and categories): a misspelt name would otherwise change
    nothing, silently."""
    for lang in settings["classifier"].get("topic_threshold_with_cue_by_language", {}):
        if lang not in settings["languages"]:
            raise SetupError(f"{origin}: topic_threshold_with_cue_by_language for {lang!r}, "
                             "which is not one of the taxonomy's languages")
    bars = settings["classifier"].get("topic_threshold_by_language", {})
    for lang, by_category in bars.items():
        if lang not in settings["languages"]:
            raise SetupError(f"{origin}: topic_threshold_by_language for {lang!r}, which is "
                             "not one of the taxonomy's languages")
        unknown = set(by_category) - set(categories)
        if unknown:
            raise SetupError(f"{origin}: topic_threshold_by_language for {lang!r} names "
                             f"unknown categories: {', '.join(sorted(unknown))}")


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """Read taxonomy.yaml, categories/*.yaml and modifiers.yaml from `directory`."""
    directory = directory or default_taxonomy_dir()
    settings_path = directory / "taxonomy.yaml"
    if not settings_path.is_file():
        raise SetupError(f"{directory}: not a taxonomy directory (taxonomy.yaml is missing)")
    settings = _load_yaml(settings_path, "settings")
    digest = hashlib.sha256(settings_path.read_bytes())

    categories: dict[str, Category] = {}
    for path in sorted((directory / "categories").glob("*.yaml")):
        data = _load_yaml(path, "category")
        digest.update(path.read_bytes())
        if data["id"] in categories:
            raise SetupError(f"{path}: category {data['id']!r} is defined twice")
        categories[data["id"]] = Category(
            id=data["id"], label=data["label"], definition=" ".join(data["definition"].split()),
            cues=_by_lang(_cue_patterns(data["cues"]), str(path)),
            negative_cues=_by_lang(data.get("negative_cues"), str(path)),
            exemplars=[Exemplar(data["id"], e["lang"], e["strength"], e["text"])
                       for e in data["exemplars"]],
        )
    missing = [c for c in CORE_CATEGORIES if c not in categories]
    if missing:
        raise SetupError(f"{directory}: core categories missing: {', '.join(missing)}")

    modifiers_path = directory / "modifiers.yaml"
    modifiers: dict[str, Modifier] = {}
    if modifiers_path.is_file():
        digest.update(modifiers_path.read_bytes())
        for entry in _load_yaml(modifiers_path, "modifiers")["modifiers"]:
            unknown = set(entry["applies_to"]) - set(categories)
            if unknown:
                raise SetupError(f"{modifiers_path}: modifier {entry['id']!r} applies to "
                                 f"unknown categories {sorted(unknown)}")
            modifiers[entry["id"]] = Modifier(
                id=entry["id"], kind=entry["kind"], label=entry["label"],
                definition=" ".join(entry["definition"].split()), reach=entry["reach"],
                applies_to=entry["applies_to"], relief=float(entry["relief"]),
                sectoral=bool(entry.get("sectoral", False)),
                read_within=entry.get("read_within", "clause"),
                chapter_cues=_by_lang(entry.get("chapter_cues"), str(modifiers_path)),
                exemplars=[ModifierExemplar(e["lang"], e["match"], e["text"], e.get("chapter"))
                           for e in entry["exemplars"]],
                cues={lang: [CueRule(_compile(rule["all"], str(modifiers_path)),
                                     _compile(rule.get("none", []), str(modifiers_path)),
                                     _compile(rule.get("requires", []), str(modifiers_path)))
                             for rule in rules]
                      for lang, rules in entry["cues"].items()},
            )
    _check_weights(settings["scoring"], categories, str(settings_path))
    _check_language_bars(settings, categories, str(settings_path))
    return Taxonomy(
        version=settings["version"],
        languages=settings["languages"],
        # A kind written with no phrases ("intent:") has none.
        modality={lang: {kind: words or [] for kind, words in kinds.items()}
                  for lang, kinds in settings["modality"].items()},
        non_findings=_by_lang(settings["non_findings"], str(settings_path)),
        proviso_turns=_by_lang(settings.get("proviso_turns"), str(settings_path)),
        exception_openings=_by_lang(settings.get("exception_openings"),
                                    str(settings_path)),
        classifier=settings["classifier"],
        first_pass=_by_lang(settings.get("first_pass"), str(settings_path)),
        scoring=settings["scoring"],
        categories=categories,
        modifiers=modifiers,
        fingerprint=digest.hexdigest()[:16],
        source=str(directory),
        incorporation=_incorporation(settings.get("incorporation"), categories, modifiers,
                                     str(settings_path)),
    )


def _incorporation(data: dict[str, Any] | None, categories: dict[str, Category],
                   modifiers: dict[str, Modifier], origin: str) -> IncorporationTable:
    """The `incorporation` table, its categories and modifiers checked against the
    taxonomy's own."""
    if not data:
        return IncorporationTable()
    models = []
    for model in data["models"]:
        articles = []
        for article in model["articles"]:
            unknown = ({article["category"]} - set(categories)) | (
                set(article.get("modifiers", [])) - set(modifiers)) | (
                set(model.get("chapter_modifiers", [])) - set(modifiers))
            if unknown:
                raise SetupError(f"{origin}: incorporation of {model['label']} article "
                                 f"{article['number']} names unknown categories or modifiers:"
                                 f" {', '.join(sorted(unknown))}")
            articles.append(ModelArticle(article["number"], article["category"],
                                         tuple(article.get("modifiers", []))))
        models.append(ModelAgreement(model["label"], _compile(model["names"], origin),
                                     articles, tuple(model.get("chapter_modifiers", []))))
    return IncorporationTable(
        verbs=_by_lang(data["verbs"], origin), negations=_by_lang(data["negations"], origin),
        exclusions=_by_lang(data["exclusions"], origin),
        vetoes=_by_lang(data.get("vetoes"), origin),
        chapter_words=_by_lang(data.get("chapter_words"), origin), models=models)


def load_weights_file(path: Path) -> dict[str, Any]:
    """A `--weights` file: a YAML mapping shaped like taxonomy.yaml's `scoring` section."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SetupError(f"{path}: weights file is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise SetupError(f"{path}: cannot read weights file ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise SetupError(f"{path}: weights file is not valid YAML ({problem})") from exc
    if not isinstance(data, dict):
        raise SetupError(f"{path}: a weights file is a YAML mapping like taxonomy.yaml's scoring")
    _check_finite(data, str(path))
    return data.get("scoring", data)


def _check_finite(data: Any, origin: str, where: str = "") -> None:
    """Refuse NaN and infinite numbers: YAML allows `.nan` and `.inf`, a score built on
    them is meaningless, and JSON cannot hold them."""
    if isinstance(data, float) and not math.isfinite(data):
        raise SetupError(f"{origin}: {where or 'value'} is {data}; weights must be finite "
                         "numbers")
    if isinstance(data, dict):
        for key, value in data.items():
            _check_finite(value, origin, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            _check_finite(value, origin, f"{where}[{n}]")

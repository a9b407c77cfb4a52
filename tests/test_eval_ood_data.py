"""The out-of-domain evaluation set (tests/data/eval_ood): schema, references, size, split.

These tests check the data only; they never run the classifier on it (README.md there).
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from tests.conftest import ROOT
from tradelens.taxonomy import CORE_CATEGORIES, load_taxonomy

OOD_DIR = ROOT / "tests" / "data" / "eval_ood"
EVAL_DIR = ROOT / "tests" / "data" / "eval"
TAXONOMY = load_taxonomy()
STYLES = {"paraphrase", "passive", "prohibition", "freeing", "negated", "cooperation_list",
          "eu_list", "rcep", "cptpp_usmca", "afcfta", "sectoral_financial", "sectoral_telecom",
          "enforceability", "scope", "exception", "hard_negative", "tota", "long_paragraph"}
NON_FINDING_STYLES = {"exception", "scope", "enforceability", "freeing", "negated"}
KEYS = {"id", "lang", "text", "tota", "chapter", "expect", "modifiers", "style", "note"}
WRITTEN = ("en", "es", "fr")
MINIMUM = {"en": 220, "es": 170, "fr": 170, "tota": 80, "long": 90}
#: Sets whose items name their own language (`lang: mixed` at the top).
MIXED = ("tota", "long")


#: libyaml's safe loader where PyYAML was built with it: the same data, several times faster
#: on the seventeen blind sets the originality checks read.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    assert isinstance(data, dict) and isinstance(data.get("items"), list), path.name
    return data


FILES = {p.name: _load(p) for p in sorted(OOD_DIR.glob("*.yaml"))}
ITEMS = [(name, data["lang"], item) for name, data in FILES.items() for item in data["items"]]


def _set(name: str) -> str:
    return name.split(".")[1]


def _of(set_name: str) -> list[dict[str, Any]]:
    return [item for name, _, item in ITEMS if _set(name) == set_name]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _norm(text).split()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def test_only_split_files_are_present():
    """The unsplit sources are deleted after splitting, so no item is read twice."""
    expected = {f"{part}.{s}.yaml" for part in ("dev", "test") for s in (*WRITTEN, *MIXED)}
    assert set(FILES) == expected


def test_every_item_follows_the_schema():
    for name, lang, item in ITEMS:
        where = f"{name}: {item.get('id')}"
        assert set(item) <= KEYS, where
        assert item["style"] in STYLES, where
        expect = item.get("expect") or {}
        for category, strength in expect.items():
            assert category in TAXONOMY.categories and strength in ("hard", "soft"), where
        assert set(item.get("modifiers") or []) <= set(TAXONOMY.modifiers), where
        if item["style"] in NON_FINDING_STYLES:
            assert not expect, f"{where}: exception, scope and freeing clauses are no findings"
        if _set(name) == "tota":
            assert lang == "mixed" and item["lang"] in ("es", "fr"), where
            assert item["style"] == "tota" and "text" not in item, where
            assert re.fullmatch(r"ood-tota-\d{3}", item["id"]), where
            assert set(item["tota"]) == {"file", "source_ref"}, where
            assert item.get("note"), f"{where}: ToTA items say why"
        elif _set(name) == "long":
            assert lang == "mixed" and item["lang"] in WRITTEN, where
            assert item["style"] == "long_paragraph", where
            assert re.fullmatch(rf"ood-long-{item['lang']}-\d{{2}}", item["id"]), where
            assert len(str(item["text"]).split()) >= 60, f"{where}: long paragraphs only"
        else:
            assert lang == _set(name) and "lang" not in item and "tota" not in item, where
            assert re.fullmatch(rf"ood-{lang}-\d{{3}}", item["id"]), where
            assert len(str(item["text"]).split()) >= 5, where


def test_ids_are_unique_across_both_evaluation_sets():
    ids = [item["id"] for _, _, item in ITEMS]
    for path in sorted(EVAL_DIR.glob("*.yaml")):
        ids += [item["id"] for item in _load(path)["items"]]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates


def test_the_set_meets_its_minimum_sizes():
    for set_name, minimum in MINIMUM.items():
        assert len(_of(set_name)) >= minimum, set_name
    written = sum(len(_of(lang)) for lang in WRITTEN)
    assert written >= 560
    assert written + len(_of("tota")) >= 640


def test_each_language_covers_every_label_style_and_modifier():
    for lang in WRITTEN:
        items = _of(lang)
        for category in CORE_CATEGORIES:
            for strength in ("hard", "soft"):
                found = [i for i in items if (i.get("expect") or {}).get(category) == strength]
                assert len(found) >= 5, (lang, category, strength)
        styles = STYLES - {"tota", "long_paragraph"}
        assert Counter(i["style"] for i in items).keys() == styles, lang
        assert sum(i["style"] == "hard_negative" for i in items) >= 30, lang
        carried = {m for i in items for m in i.get("modifiers") or []}
        assert carried == set(TAXONOMY.modifiers), (lang, set(TAXONOMY.modifiers) - carried)
    tota = _of("tota")
    assert sum(bool(i.get("expect")) for i in tota) >= 25
    assert sum(not i.get("expect") for i in tota) >= 25
    long = _of("long")
    for lang in WRITTEN:  # each category committed on, and tempting negatives, per language
        mine = [i for i in long if i["lang"] == lang]
        for category in CORE_CATEGORIES:
            assert any(category in (i.get("expect") or {}) for i in mine), (lang, category)
        assert sum(not i.get("expect") for i in mine) >= 12, lang


def test_the_sectoral_nafta_clauses_are_in_spanish_and_french():
    for lang in ("es", "fr"):
        for style, modifier in (("sectoral_financial", "financial_services_only"),
                                ("sectoral_telecom", "telecommunications_only")):
            hard = [i for i in _of(lang) if i["style"] == style
                    and (i.get("expect") or {}).get("data_free_flow") == "hard"
                    and modifier in (i.get("modifiers") or [])]
            assert len(hard) >= 5, (lang, style)


def test_no_item_copies_an_exemplar_an_existing_item_or_another_item():
    known = [e.text for e in TAXONOMY.exemplars]
    known += [e.text for m in TAXONOMY.modifiers.values() for e in m.exemplars]
    for path in sorted(EVAL_DIR.glob("*.yaml")):
        known += [item["text"] for item in _load(path)["items"]]
    assert_original([item["text"] for _, _, item in ITEMS if "text" in item], known)


def assert_written_item(item: dict[str, Any], id_prefix: str, lang: str, where: str) -> None:
    """A written item of a training or blind file (`<id_prefix>-<lang>-NNN`): its keys,
    labels, modifiers and style; exception, scope, freeing and negated clauses are none."""
    assert set(item) <= KEYS - {"lang", "tota"}, where
    assert re.fullmatch(rf"{id_prefix}-{lang}-\d{{3}}", item["id"]), where
    assert item["style"] in STYLES - {"tota"}, where
    expect = item.get("expect") or {}
    assert all(c in TAXONOMY.categories and s in ("hard", "soft")
               for c, s in expect.items()), where
    assert set(item.get("modifiers") or []) <= set(TAXONOMY.modifiers), where
    if item["style"] in NON_FINDING_STYLES:
        assert not expect, f"{where}: exception, scope and freeing clauses are no findings"
    assert len(str(item["text"]).split()) >= 5, where


def assert_original(mine: list[str], known: list[str]) -> None:
    """No two of `mine` share a text, and none is a copy or a near copy (word-trigram
    Jaccard 0.75 or more) of a `known` text."""
    known_grams = [g for g in map(_trigrams, known) if g]
    assert len({_norm(t) for t in mine}) == len(mine), "two items share a text"
    assert not {_norm(t) for t in mine} & {_norm(t) for t in known}
    holding: dict[tuple[str, ...], list[int]] = defaultdict(list)  # trigram -> known texts
    for index, grams in enumerate(known_grams):
        for gram in grams:
            holding[gram].append(index)
    for text in mine:
        grams = _trigrams(text)
        shared = Counter(i for gram in grams for i in holding.get(gram, ()))
        # Jaccard |a & b| / |a | b|, over the known texts that share a trigram at all
        overlap = max((n / (len(grams) + len(known_grams[i]) - n) for i, n in shared.items()),
                      default=0.0)
        assert overlap < 0.75, text


def test_the_originality_check_refuses_a_near_copy_and_passes_a_rewrite():
    """Written for this test. A copy with two words changed shares 0.75 or more of its
    trigrams with the original; a rewrite in other words shares far fewer."""
    known = ["Each Party shall allow a covered person to transfer information across its "
             "border by electronic means when the transfer is for the conduct of business.",
             "The Parties shall cooperate on consumer protection in electronic commerce."]
    near = ("Each Party shall allow a covered person to transfer information across its "
            "border by electronic means when the transfer is for the conduct of its trade.")
    rewrite = ("A firm of the other Party may send data abroad electronically when it does "
               "so in the course of its business, and no Party may stop it.")
    grams, other = _trigrams(near), _trigrams(known[0])
    assert len(grams & other) / len(grams | other) >= 0.75, \
        "the copy is not near, or this proves nothing"
    with pytest.raises(AssertionError, match=re.escape(near[:40])):
        assert_original([near], known)
    with pytest.raises(AssertionError, match="share a text"):
        assert_original([rewrite, rewrite], known)
    assert_original([rewrite, "Each Party shall publish its tariffs."], known)


@cache
def _articles(path: Path) -> tuple[str, frozenset[str]]:
    """The agreement's language and the article_identifier of every article element."""
    tree = etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False))
    language = tree.findtext("meta/language") or ""
    refs = frozenset(a.get("article_identifier") for a in tree.iter("article"))
    return language.strip(), refs


def test_every_tota_reference_resolves_to_an_article(tota_dir: Path):
    pairs = Counter((i["tota"]["file"], str(i["tota"]["source_ref"])) for i in _of("tota"))
    assert max(pairs.values()) == 1, "an article is labelled twice"
    for item in _of("tota"):
        path = tota_dir / item["tota"]["file"]
        assert path.is_file(), item["id"]
        language, refs = _articles(path)
        assert str(item["tota"]["source_ref"]) in refs, item["id"]
        assert language == item["lang"], item["id"]


@pytest.fixture(scope="module")
def splitter():
    spec = importlib.util.spec_from_file_location("eval_ood_split", OOD_DIR / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_split_is_the_seeded_one_and_about_forty_percent_dev(splitter):
    """The files hold the seeded stratified split; a label fixed in place after splitting
    changes an item's stratum without moving it, so a few (at most 3%) may disagree."""
    for set_name in (*WRITTEN, *MIXED):
        dev = _load(OOD_DIR / f"dev.{set_name}.yaml")["items"]
        test = _load(OOD_DIR / f"test.{set_name}.yaml")["items"]
        assignment = splitter.assign(dev + test, set_name)
        moved = [i["id"] for i in dev if assignment[i["id"]] != "dev"]
        moved += [i["id"] for i in test if assignment[i["id"]] != "test"]
        assert len(moved) <= 0.03 * len(dev + test), (set_name, moved)
        share = len(dev) / (len(dev) + len(test))
        assert 0.37 <= share <= 0.43, (set_name, share)
        dev_ids = {i["id"] for i in dev}
        strata: dict[tuple[str, ...], list[str]] = {}
        for item in dev + test:
            label = splitter.label(item)
            strata.setdefault((label,), []).append(item["id"])
            strata.setdefault((label, item["style"]), []).append(item["id"])
        slack = 1 + len(moved)
        for key, ids in strata.items():  # every label, and every style within a label
            in_dev = sum(i in dev_ids for i in ids)
            assert abs(in_dev - 0.4 * len(ids)) < slack, (set_name, key, in_dev, len(ids))


def test_the_split_files_are_written_exactly_as_the_script_writes_them(splitter):
    """Re-running the script changes nothing: it never moves an item once split."""
    assert splitter.run(check=True) == 0


def test_the_readme_count_table_is_the_one_the_script_prints(capsys):
    spec = importlib.util.spec_from_file_location("eval_ood_counts", OOD_DIR / "counts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
    printed = capsys.readouterr().out
    readme = (OOD_DIR / "README.md").read_text(encoding="utf-8")
    assert printed.strip() in readme

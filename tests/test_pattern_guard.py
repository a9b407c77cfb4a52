"""The pattern guard (`text/pattern_guard.py`) answers exactly what a plain search answers."""

from __future__ import annotations

import pickle
import random
import re
import sys
from copy import deepcopy
from pathlib import Path

import yaml

from tests.regex_sampler import sample_text
from tradelens.taxonomy import load_taxonomy
from tradelens.text.accents import accent_tolerant
from tradelens.text.pattern_guard import FOLDABLE, GuardedPattern, fold, required_literals

EVAL = Path(__file__).parent / "data" / "eval"


def _every_code_point() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1))


def test_every_character_re_pairs_with_a_literal_letter_folds_to_it():
    """The guard's soundness rests on this: wherever `re.IGNORECASE` lets a text character
    match a character of a literal, `fold` maps both to the same character. Checked against
    every code point `re` itself matches, so a pairing `str.lower` misses (long s, dotless
    i, the Kelvin sign, ...) cannot slip through."""
    everything = _every_code_point()
    # each character is folded on its own (to one ASCII character or none), so a string
    # inside a text stays inside its fold (str.lower reads only a final sigma in its
    # context, and no letter of a literal pairs with a sigma)
    singles = [fold(c) for c in everything]
    assert all(len(f) <= 1 and f.isascii() for f in singles)
    assert fold(everything) == "".join(singles)
    paired = 0
    for letter in sorted(FOLDABLE):
        for found in re.findall(re.escape(letter), everything, re.IGNORECASE):
            assert fold(found) == fold(letter), (letter, found, hex(ord(found)))
            paired += found != letter
    assert paired > 60  # upper/lower case pairs at least, and the odd ones


def test_fold_keeps_the_odd_pairings():
    assert fold("ſecure İnformation \u212aey") == "secure information key"
    assert "transfer" in fold("TRANſFER")


def test_required_literals_of_hand_written_patterns():
    assert required_literals("free flow of (information|data)", re.I) == {"free flow of "}
    assert required_literals(r"\bdata\b", re.I) == {"data"}
    assert required_literals("(cross|trans)border", re.I) == {"border"}
    assert required_literals("(transfer|transmit)s?", re.I) == {"trans"}  # re factors out "trans"
    assert required_literals("(transfer|data)s?", re.I) == {"transfer", "data"}
    assert required_literals("Tr[aá]nsfer", re.I) == {"nsfer"}
    assert required_literals("DATOS", 0) == {"datos"}
    # an optional part, a short alternative or a class alone need nothing
    assert required_literals("(data)?", re.I) is None
    assert required_literals("data|ab", re.I) is None
    assert required_literals("[a-z]+", re.I) is None
    assert required_literals(r"(?=.*privacy).*", re.I) is None
    assert required_literals("(", re.I) is None  # not a pattern: no guard, no error


def _taxonomy_patterns() -> list[GuardedPattern]:
    taxonomy = load_taxonomy()
    patterns = [p for c in taxonomy.categories.values()
                for d in (c.cues, c.negative_cues) for ps in d.values() for p in ps]
    for modifier in taxonomy.modifiers.values():
        patterns += [p for ps in modifier.chapter_cues.values() for p in ps]
        patterns += [p for rules in modifier.cues.values() for r in rules
                     for p in (*r.all, *r.none, *r.requires)]
    for by_lang in (taxonomy.first_pass, taxonomy.non_findings):
        patterns += [p for ps in by_lang.values() for p in ps]
    return patterns


def _texts(patterns: list[GuardedPattern]) -> list[str]:
    """The labelled clauses in three languages, texts drawn from each pattern (so that
    matches happen), and all of them in capitals and with the characters that `re` pairs
    oddly with ASCII letters."""
    rng = random.Random(11)
    texts = [item["text"] for path in sorted(EVAL.glob("*.yaml"))
             for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]]
    texts = rng.sample(texts, min(len(texts), 600))
    for pattern in patterns:
        parsed = re._parser.parse(pattern.pattern, pattern.flags)
        texts += [f"Each Party {sample_text(parsed, rng)} here." for _ in range(2)]
    odd = str.maketrans({"s": "ſ", "i": "ı", "k": "\u212a"})
    return (texts + [t.upper() for t in texts] + [t.translate(odd) for t in texts]
            + [t.upper().replace("I", "İ") for t in texts])


def test_guarded_searches_equal_plain_ones_on_every_bundled_pattern():
    patterns = _taxonomy_patterns()
    assert all(isinstance(p, GuardedPattern) for p in patterns)
    guarded = [p for p in patterns if p.needs is not None]
    assert len(guarded) >= 0.9 * len(patterns)
    texts = _texts(patterns)
    matched = skipped = 0
    for text in texts:
        for pattern in patterns:
            plain = pattern.compiled.search(text)
            mine = pattern.search(text)
            assert (plain and plain.span()) == (mine and mine.span()), (pattern.pattern, text)
            matched += plain is not None
            if pattern.needs is not None:
                skipped += not any(n in fold(text) for n in pattern.needs)
    # both sides exercised: many matches, and most searches answered without a scan
    assert matched > 2000
    assert skipped > 0.5 * len(texts) * len(patterns)


#: Pieces of the random patterns: literals with the letters `re` pairs oddly, classes,
#: anchors, look-arounds, inline flags.
_LETTERS = "abkisKIS é"
_ODD = {"s": "ſ", "i": "ıİ", "k": "\u212a", "K": "\u212a", "I": "İı", "S": "ſ", "é": "É"}


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    def atom() -> str:
        roll = rng.random()
        if depth > 2 or roll < 0.45:
            return "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 5)))
        if roll < 0.55:
            return rng.choice(["[ab]", ".", r"\w", "[^x]", r"\s"])
        if roll < 0.62:
            return rng.choice([r"\b", "^", "$", r"\B"])
        if roll < 0.75:
            return "(" + "|".join(_random_pattern(rng, depth + 1)
                                  for _ in range(rng.randint(1, 3))) + ")"
        if roll < 0.84:
            return "(?:" + _random_pattern(rng, depth + 1) + ")" + rng.choice(
                ["?", "{2}", "{0,2}", "{1,3}", "??", "{1,2}+"])  # bounded: no blow-up
        if roll < 0.89:
            return rng.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rng.choice(["abk", "kis"]) + ")"
        if roll < 0.95:
            return "(?-i:" + _random_pattern(rng, depth + 1) + ")"
        return "(?>" + _random_pattern(rng, depth + 1) + ")"

    return "".join(atom() for _ in range(rng.randint(1, 4)))


def _oddly(text: str, rng: random.Random) -> str:
    """`text` with some letters in the other case or swapped for one `re` pairs them with."""
    out = []
    for char in text:
        roll = rng.random()
        out.append(rng.choice(_ODD[char]) if roll < 0.3 and char in _ODD else
                   char.swapcase() if roll < 0.5 else char)
    return "".join(out)


def test_guarded_searches_equal_plain_ones_on_random_patterns():
    """Patterns no taxonomy holds yet (look-arounds, case-sensitive groups, verbose mode,
    optional and possessive parts) and texts drawn from them, then mangled; with and
    without search bounds."""
    rng = random.Random(5)
    guarded = matched = 0
    for _ in range(1500):
        source = _random_pattern(rng)
        flags = rng.choice([re.I, re.I, 0, re.I | re.X])
        try:
            compiled = re.compile(source, flags)
        except re.error:
            continue
        pattern = GuardedPattern(compiled)
        guarded += pattern.needs is not None
        parsed = re._parser.parse(source, flags)
        for _ in range(5):
            text = rng.choice(["", "x ", "ab "]) + _oddly(sample_text(parsed, rng), rng)
            bounds = rng.choice([{}, {}, {"pos": 1}, {"pos": 0, "endpos": max(0, len(text) - 1)}])
            plain, mine = compiled.search(text, **bounds), pattern.search(text, **bounds)
            assert (plain and plain.span()) == (mine and mine.span()), (source, flags, text)
            matched += plain is not None
    assert guarded > 500 and matched > 1000


def test_widened_random_patterns_guarded_by_their_source_search_as_plain_ones():
    """As the taxonomy builds them: the pattern widened for bare Spanish and French, the
    guard's strings read from the source; texts drawn from the widened pattern, mangled,
    and with their accents dropped."""
    rng = random.Random(7)
    guarded = matched = 0
    for _ in range(1500):
        source = _random_pattern(rng)
        flags = rng.choice([re.I, re.I, 0])
        try:
            compiled = re.compile(accent_tolerant(source, flags), flags)
        except re.error:
            continue
        pattern = GuardedPattern(compiled, source)
        guarded += pattern.needs is not None
        parsed = re._parser.parse(compiled.pattern, flags)
        for _ in range(5):
            text = _oddly(sample_text(parsed, rng), rng)
            text = text.replace("é", "e") if rng.random() < 0.5 else text
            plain, mine = compiled.search(text), pattern.search(text)
            assert (plain and plain.span()) == (mine and mine.span()), (source, flags, text)
            matched += plain is not None
    assert guarded > 500 and matched > 1000


def test_a_widened_pattern_keeps_the_strings_of_its_source():
    widened = re.compile(accent_tolerant("différends"), re.I)
    assert GuardedPattern(widened, "différends").needs == frozenset({"differends"})
    # read from the widened pattern, the class would cut the string short
    assert GuardedPattern(widened).needs == frozenset({"rends"})


def test_a_guarded_pattern_is_the_compiled_one_otherwise_and_pickles():
    compiled = re.compile("free flow of (information|data)", re.I)
    guarded = GuardedPattern(compiled)
    assert guarded.pattern == compiled.pattern and guarded.flags == compiled.flags
    text = "They ensure the FREE FLOW OF DATA; the free flow of information too."
    assert [m.span() for m in guarded.finditer(text)] == \
        [m.span() for m in compiled.finditer(text)]
    copy = pickle.loads(pickle.dumps(guarded))  # workers receive the taxonomy
    assert copy.needs == guarded.needs and copy.search(text).span() == (16, 33)
    assert copy.search("no such words here") is None
    assert copy == guarded and hash(copy) == hash(guarded)
    assert guarded.search(text, pos=17).span() == (39, 63)
    assert guarded.search(text, endpos=32) is None
    # a bytes pattern is not guarded, and searches as re does
    raw = GuardedPattern(re.compile(b"transfer", re.I))
    assert raw.needs is None and raw.search(b"a TRANSFER").span() == (2, 10)


def test_a_pickled_pattern_keeps_its_strings_without_parsing_again(monkeypatch):
    """Batch workers receive the taxonomy with every task: unpickling must not parse each
    pattern again (5.5 % of a whole-corpus run's sampled time), nor compile it again once
    this process holds it, and must give what a fresh pattern is, slot for slot."""
    from tradelens.text import pattern_guard

    fresh = GuardedPattern(re.compile(r"\bsource codes?\b|algorithm", re.I))
    data = pickle.dumps(fresh)

    def refuse(*_args: object) -> None:
        raise AssertionError("parsed or compiled again on unpickling")

    monkeypatch.setattr(pattern_guard, "required_literals", refuse)
    copy = pickle.loads(data)
    for name in GuardedPattern.__slots__:
        assert getattr(copy, name) == getattr(fresh, name), name
    assert copy.needs == frozenset({"source code", "algorithm"})
    assert copy.search("Its SOURCE CODE stays secret").span() == (4, 15)
    assert copy.search("no such words") is None and copy == fresh
    assert hash(copy) == hash(fresh)
    monkeypatch.setattr(pattern_guard.re, "compile", refuse)
    assert pickle.loads(data) is copy  # the second task's taxonomy: nothing rebuilt
    monkeypatch.undo()
    # a bytes pattern and a deep copy restore alike
    raw = GuardedPattern(re.compile(b"transfer", re.I | re.M))
    for restored in (pickle.loads(pickle.dumps(raw)), deepcopy(raw), deepcopy(fresh)):
        original = raw if restored.pattern == raw.pattern else fresh
        assert all(getattr(restored, n) == getattr(original, n)
                   for n in GuardedPattern.__slots__)
        assert restored.flags == original.flags


def test_the_speed_ups_switch_leaves_plain_patterns(monkeypatch):
    from tradelens import taxonomy as taxonomy_module

    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    plain = taxonomy_module._compile(["free flow of data"], "test")
    assert isinstance(plain[0], re.Pattern)
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "on")
    assert isinstance(taxonomy_module._compile(["free flow of data"], "test")[0],
                      GuardedPattern)

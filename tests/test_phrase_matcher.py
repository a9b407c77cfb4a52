"""The pure-Python modality backend (`classify/phrases.py`) reads exactly what spaCy reads.

Findings must be identical with the speed-ups on (pure Python) and off (spaCy), so each
test runs both backends and compares `read_strength` (strength and evidence spans), and
the tokenizer's tables are compared with spaCy's own: special cases, character classes,
sentence-ending marks. Real ToTA clauses (English, Spanish, French), tricky clauses of
our own and seeded random clauses made of phrase words and punctuation are read.
bench/modality_equality.py does the same over all clauses of 60+ agreements.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, strip_accents
from tradelens.classify import modality, phrases
from tradelens.classify.clauses import blank_cross_references
from tradelens.taxonomy import load_taxonomy
from tradelens.text import read_document
from tradelens.text.segment import segment

TAXONOMY = load_taxonomy()
LANGS = ("en", "es", "fr")
_MODAL = {"en": r"\b(shall|must|may|should)\b", "es": r"\b(deber[áa]n?|podr[áa]n?)\b",
          # French treaties bind in the present tense ("autorise", "veille à ce que")
          "fr": r"\b(doit|doivent|peut|peuvent|autoris\w*|veill\w*|s.efforce\w*|aucune?|"
                r"n.est|ne|sont|est)\b"}


@pytest.fixture(scope="module")
def backends() -> dict[str, tuple[object, object]]:
    return {lang: (modality.spacy_tools(lang, TAXONOMY), modality.python_tools(lang, TAXONOMY))
            for lang in LANGS}


def _read(tools: object, text: str, focus: list[tuple[int, int]] | None) -> tuple:
    strength, spans = modality.read_strength(tools, tools.nlp(text), focus)  # type: ignore[attr-defined]
    return strength, [(s.start, s.end, s.text, s.cue) for s in spans]


def _assert_same(backends: dict, lang: str, text: str,
                 focus: list[tuple[int, int]] | None = None) -> tuple:
    spacy_tools, python_tools = backends[lang]
    theirs = [(t.idx, t.idx + len(t)) for t in spacy_tools.nlp(text)]
    assert python_tools.nlp(text).tokens == theirs, text
    for where in (None, focus) if focus else (None,):
        expected = _read(spacy_tools, text, where)
        assert _read(python_tools, text, where) == expected, (text, where)
    return _read(python_tools, text, None)


# -- the tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_special_cases_are_spacys(lang, backends):
    from spacy.symbols import ORTH

    rules = backends[lang][0].nlp.tokenizer.rules
    theirs = {k: tuple(piece[ORTH] for piece in v) for k, v in rules.items()}
    assert phrases.special_cases(lang) == theirs


def test_character_classes_and_sentence_ends_are_spacys():
    from spacy.lang import char_classes
    from spacy.pipeline import Sentencizer

    for theirs, mine in ((char_classes.ALPHA, phrases._ALPHA),
                         (char_classes.ALPHA_LOWER, phrases._LOWER),
                         (char_classes.ALPHA_UPPER, phrases._UPPER),
                         (char_classes._other_symbols, phrases._ICONS)):
        a, b = re.compile(f"[{theirs}]"), re.compile(f"[{mine}]")
        differ = [hex(c) for c in range(0x30000) if bool(a.match(chr(c))) != bool(b.match(chr(c)))]
        assert differ == []
    assert frozenset(Sentencizer.default_punct_chars) == phrases._SENTENCE_ENDS


@pytest.mark.parametrize("lang", LANGS)
def test_every_taxonomy_phrase_is_tokenized_as_spacy_does(lang, backends):
    spacy_tools, python_tools = backends[lang]
    for label in ("hard", "soft", "negation", "continuation"):
        for phrase in TAXONOMY.modality[lang].get(label, []):
            expected = tuple(modality.phrase_pattern(spacy_tools.nlp, phrase))
            mine = python_tools.pattern(phrase)
            assert len(mine) == len(expected), phrase
            for element, spec in zip(mine, expected, strict=True):
                assert (element is None) == ("OP" in spec), phrase
                if element is not None:
                    # the word and its bare form (`text/accents.py`), each also with the
                    # typographic apostrophe
                    assert set(spec["LOWER"]["IN"]) == \
                        element | {form.replace("'", "\u2019") for form in element}, phrase


_CHARS = ("aAbeEilnNosStTzZéÉèçñÑüºª0123456789.,;:!?¿¡()[]{}'\"’‘“”«»-–—‐/\\=<>+*^%$€£°©®•"
          "…_#&@~|")


@pytest.mark.parametrize("lang", LANGS)
def test_random_strings_are_tokenized_as_spacy_does(lang, backends):
    """Prefixes, suffixes, infixes, special cases, URLs and French compounds, stressed
    with random strings of letters, digits, punctuation, quotes, hyphens and symbols."""
    rng = random.Random(1919)
    spacy_tools, python_tools = backends[lang]
    for _ in range(3000):
        word = "".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:  # a real word around it, as in "(a):" or "Party's."
            word = rng.choice(["Party", "shall", "n'", "l'", "www.", "e.g", "Art"]) + word
        text = " ".join([word, rng.choice(["x", "", "y."])])
        theirs = [(t.idx, t.idx + len(t)) for t in spacy_tools.nlp(text)]
        assert python_tools.nlp(text).tokens == theirs, text


# -- hand-written clauses (our own words) -------------------------------------------------

TRICKY = {
    "en": [
        "Each Party shall, subject to paragraph 3 and Article 14.2, allow the cross-border "
        "transfer of information by electronic means.",
        "No Party shall require a covered person to use computing facilities in that Party's "
        "territory (e.g. a local data centre) as a condition for conducting business.",
        "The Parties shall endeavour to cooperate. To that end, a Party cannot restrict such "
        "flows. Nothing in this Chapter shall be construed to require a Party to disclose it.",
        "Each Party shall ensure that:\n(a) its measures do not restrict transfers;\n(b) it "
        "does not impose conditions.",
        "Each Party shall one two three four five six seven eight nine ten allow transfers.",
        "Each Party shall one two three four five six seven eight nine ten eleven allow it.",
        "Each Party shall not, in accordance with Art. 5 of the Annex, impose duties.",
        'The Parties recognise that "digital trade" matters." Each Party shall permit it.',
        "Each Party shall publish the rules at www.example.org/trade-rules and shall allow "
        "comments by e-mail; it shall ... allow replies.",
        "A Party shouldn't require disclosure, and the U.S. Inc. dont id shall not hinder it.",
        "Each Party shall\n\n   allow and/or permit transfers.  No  Party  may  require "
        "them (see paragraph 8) above):",
        "1. For greater certainty, a Party should promote dialogue.) (2) Parties shall not "
        "prohibit it?! Neither side may demand it…",
        "Each Party shall not require, as a 5-year condition, the transfer of source code "
        "-- or the algorithm -- of software owned by a person of the other Party.",
        "The obligation in Article 2 shall not be construed to require disclosure. Each "
        "Party may not impose such requirements; such measures are prohibited.",
    ],
    "es": [
        "¿Podrá una Parte exigir el uso de servidores locales? Ninguna Parte exigirá el uso "
        "de instalaciones informáticas en su territorio.",
        "Cada Parte permitirá la transferencia transfronteriza de información, p.ej. datos "
        "personales. Con ese fin, no se restringirán dichos flujos.",
        "Las Partes procurarán cooperar (art. 14.2) y reconocen la importancia del comercio "
        "con los EE. UU. y la Unión Europea.",
        "Nada de lo dispuesto se interpretará en el sentido de exigir a una Parte que "
        "revele el código fuente; ninguna Parte estará obligada a ello.",
        "Ninguna de las Partes deberá permitir el acceso, salvo lo dispuesto en el "
        "párrafo 2º del artículo 5 (a) y (b) anteriores: ¡no se exigirá nada más!",
        "La Parte no podrá exigir, como condición, la transferencia...  En particular, no "
        "impondrá requisitos a las 10am, etc.",
    ],
    "fr": [
        "Aucune Partie n'exige l'utilisation d'installations informatiques. Chaque Partie "
        "s'efforce de coopérer.",
        "Les Parties reconnaissent l’importance des flux de données ; à cette fin, chaque "
        "Partie n’empêche pas ces flux.",
        "Rien dans le présent chapitre n'est interprété comme obligeant une Partie, "
        "aujourd'hui ou peut-être demain, c'est-à-dire jamais, à divulguer le code source.",
        "Chaque Partie veille à ce que les transferts soient autorisés. M. Dupont, etc. "
        "No. 5 ; sont autorisés les transferts vis-à-vis des pays tiers.",
        "La Partie ne peut exiger la non-discrimination (art. 5) : elle s’abstient de "
        "l'imposer. Qu'est-ce qu'une Partie n'est tenue de faire ?",
    ],
}
# The Spanish and French ones typed without accents too: both backends match a phrase's
# bare form (`text/accents.py`).
for _lang in ("es", "fr"):
    TRICKY[_lang] = TRICKY[_lang] + [strip_accents(t) for t in TRICKY[_lang]]


@pytest.mark.parametrize("lang", LANGS)
def test_tricky_clauses_read_the_same(lang, backends):
    strengths = set()
    for text in TRICKY[lang]:
        found = re.search(_MODAL[lang], text, re.I) or re.search(r"\w+", text)
        strengths.add(_assert_same(backends, lang, text, [found.span()])[0])
    assert strengths & {"hard", "soft", "negated"}  # the clauses do commit to something


def test_a_gap_is_ten_tokens_at_most_and_never_crosses_a_negation(backends):
    _, tools = backends["en"]
    ten = "Each Party shall one two three four five six seven eight nine ten allow it."
    eleven = ten.replace("ten allow", "ten eleven allow")
    negated = "It shall not always allow it."
    assert [m for m in _labels(tools, ten) if m[0] == "hard"]
    assert not [m for m in _labels(tools, eleven) if m[0] == "hard"]
    assert not [m for m in _labels(tools, negated) if m[0] == "hard"]


def _labels(tools: object, text: str) -> list[tuple[str, int, int]]:
    return tools.matches(tools.nlp(text))  # type: ignore[attr-defined]


# -- seeded random clauses: phrase words, punctuation, numbers, abbreviations ----------------

_NOISE = {
    "en": ". ; , : ( ) (a) (b): e.g. i.e. Art. No. 14.2 5-year U.S. \" ” “ ' ’s ... … ? ! "
          "cannot not no Party Parties shall may must \n \n\n and/or www.wto.org".split(" "),
    "es": ". ; , : ( ) (a) ¿ ? ¡ ! p.ej. art. núm. 14.2 EE. UU. « » \" ... no nunca Parte "
          "Partes \n etc. 2º".split(" "),
    "fr": ". ; , : ( ) (a) « » ’ ' l' n' d' s' M. No. etc. art. 14.2 ... ne pas Partie "
          "Parties \n peut-être aujourd'hui".split(" "),
}


@pytest.mark.parametrize("lang", LANGS)
def test_random_clauses_read_the_same(lang, backends):
    rng = random.Random(19)
    # Loose words of every phrase and noise, and now and then a whole phrase of a kind
    # drawn first (its gap filled with noise), so that the long binding lists do not
    # drown the short negation list.
    phrases = [TAXONOMY.modality[lang].get(label, [])
               for label in ("hard", "soft", "negation", "continuation")]
    words = [w for kind in phrases for p in kind for w in p.split() if w != "..."] + \
        _NOISE[lang]

    def piece() -> str:
        if rng.random() < 0.2:
            phrase = rng.choice(rng.choice(phrases))
            return phrase.replace("...", " ".join(rng.choices(_NOISE[lang], k=rng.randint(0, 3))))
        return rng.choice(words)

    strengths = set()
    for _ in range(400):
        pieces = [piece() for _ in range(rng.randint(3, 40))]
        glue = [rng.choice(["", " ", " ", " ", "  ", "\n"]) for _ in pieces]
        text = "".join(p + g for p, g in zip(pieces, glue, strict=True))
        if not text.strip():
            continue
        start = rng.randrange(len(text))
        strengths.add(_assert_same(backends, lang, text, [(start, start + 3)])[0])
    assert {"hard", "soft", "negated"} <= strengths


# -- real ToTA clauses ------------------------------------------------------------------------

# ToTA has two French agreements; Spanish and English ones of several drafting styles.
_TOTA_FILES = {"en": ("pta_1", "pta_104", "pta_2"), "es": ("pta_123", "pta_163"),
               "fr": ("pta_86", "pta_88")}


def _tota_clauses(tota_dir, lang: str, limit: int) -> list[str]:
    out = []
    for stem in _TOTA_FILES[lang]:
        path = tota_dir / f"{stem}.xml"
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        assert f"<language>{lang}</language>" in head, stem
        for clause in segment(read_document(path)):
            text = blank_cross_references(clause.text)
            if re.search(_MODAL[lang], text, re.I):
                out.append(text)
    return out[:: max(1, len(out) // limit)][:limit]


@pytest.mark.parametrize("lang", LANGS)
def test_real_agreement_clauses_read_the_same(lang, backends, tota_dir):
    clauses = _tota_clauses(tota_dir, lang, 120)
    assert len(clauses) >= 60
    strengths = []
    for text in clauses:
        found = re.search(_MODAL[lang], text, re.I)
        strengths.append(_assert_same(backends, lang, text, [found.span()])[0])
    assert "hard" in strengths and len(set(strengths)) >= 2


def test_the_speed_ups_path_never_imports_spacy():
    code = """
import sys
from tradelens.classify import modality
from tradelens.taxonomy import load_taxonomy
tools = modality.language_tools("en", load_taxonomy())
print(modality.read_strength(tools, tools.nlp("No Party shall require it."), None)[0])
print(sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc")))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["hard", "[]"]

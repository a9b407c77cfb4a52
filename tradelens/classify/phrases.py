"""Sentences and modality phrases in pure Python, the same as spaCy's, without spaCy.

Reading modality needs three things from a clause: its tokens, its sentences and where
the taxonomy's phrases occur. spaCy gave them (a blank pipeline, its rule `sentencizer`
and a `Matcher`) at about a second of import and build time per cold run. This module
gives the same answers with `re`: a tokenizer that follows spaCy's algorithm (whitespace
split, special cases, prefixes, suffixes, infixes, URLs, then the special cases that span
several pieces) with rules built like spaCy's English, Spanish and French ones, the rule
sentencizer, and a phrase matcher over lower-cased tokens with spaCy's gap semantics.

The tables (special cases, character classes, affixes, French compounds, sentence
marks) mirror spaCy 3.8's (MIT licence); `tests/test_phrase_matcher.py` compares them with
the installed spaCy, and with `bench/modality_equality.py` checks that `read_strength` gives
identical results (and identical tokens) with either backend on real agreements.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from tradelens.taxonomy import Taxonomy
from tradelens.text.accents import phrase_forms

# -- character classes (as spaCy's `lang/char_classes.py` groups them) --------------------

# Latin letters: basic, fullwidth, Latin-1, Extended-A to -E and Vietnamese, in the ranges
# spaCy lists (newer letters of those blocks are left out, as spaCy leaves them).
_LATIN_RANGES = ((0x41, 0x5A), (0x61, 0x7A), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xC0, 0xD6),
                 (0xD8, 0xF6), (0xF8, 0x17F), (0x180, 0x1BF), (0x1C4, 0x24F), (0x2C60, 0x2C7B),
                 (0x2C7E, 0x2C7F), (0xA722, 0xA76F), (0xA771, 0xA787), (0xA78B, 0xA78E),
                 (0xA790, 0xA7B9), (0xA7FA, 0xA7FA), (0xAB30, 0xAB5A), (0xAB60, 0xAB64),
                 (0x1E00, 0x1EFF))


def _char_class(codes: Iterable[int]) -> str:
    """Code points as the inside of a character class, runs written as ranges (a class
    of single characters compiles far slower, above all under IGNORECASE)."""
    out, run = [], []
    for code in sorted(set(codes)) + [-2]:
        if run and code == run[-1] + 1:
            run.append(code)
            continue
        if run:
            out.append(f"\\U{run[0]:08X}" + (f"-\\U{run[-1]:08X}" if len(run) > 1 else ""))
        run = [code]
    return "".join(out)


def _latin(category: str | None = None) -> str:
    """Latin letters of one Unicode category (Ll, Lu), or all of them."""
    return _char_class(c for lo, hi in _LATIN_RANGES for c in range(lo, hi + 1)
                       if category is None or unicodedata.category(chr(c)) == category)


_PHONETIC = "\u0250-\u02AF\u1D00-\u1D25\u1D6B-\u1D77\u1D79-\u1D9A"  # all lower case
_OTHER_CASED = "ёа-яЁА-ЯәөүҗңһӘӨҮҖҢҺα-ωάέίόώήύΑ-ΩΆΈΊΌΏΉΎіїєґІЇЄҐѓѕјљњќѐѝЃЅЈЉЊЌЀЍ"
_OTHER_LOWER = "ёа-яәөүҗңһα-ωάέίόώήύіїєґѓѕјљњќѐѝ"
_OTHER_UPPER = "ЁА-ЯӘӨҮҖҢҺΑ-ΩΆΈΊΌΏΉΎІЇЄҐЃЅЈЉЊЌЀЍ"
# Scripts without case: Ethiopic, Bengali, Hebrew, Arabic/Persian, Sinhala, Devanagari,
# Kannada, Tamil, Telugu, Hangul, kana and CJK (spaCy counts them as both cases).
_UNCASED = ("\u1200-\u137F\u0980-\u09FF\u0591-\u05F4\uFB1D-\uFB4F\u0620-\u064A\u066E-\u06D5"
            "\u06E5-\u06FF\u0750-\u077F\u08A0-\u08BD\uFB50-\uFBB1\uFBD3-\uFD3D\uFD50-\uFDC7"
            "\uFDF0-\uFDFB\uFE70-\uFEFC\U0001EE00-\U0001EEBB\u0D80-\u0DFF\u0900-\u097F"
            "\u0C80-\u0CFF\u0B80-\u0BFF\u0C00-\u0C7F\uAC00-\uD7AF\u1100-\u11FF\u3040-\u309F"
            "\u30A0-\u30FFー\u4E00-\u9FFF\u3400-\u4DBF\U00020000-\U0002A6DF"
            "\U0002A700-\U0002EBEF\u2E80-\u2EFF\u2F00-\u2FDF\u2FF0-\u2FFF\u3000-\u303F"
            "\u31C0-\u31EF\u3200-\u32FF\u3300-\u33FF\uF900-\uFAFF\uFE30-\uFE4F"
            "\U0001F200-\U0001F2FF\U0002F800-\U0002FA1F")


_LOWER = _latin("Ll") + _PHONETIC + _OTHER_LOWER + _UNCASED
_UPPER = _latin("Lu") + _OTHER_UPPER + _UNCASED
_ALPHA = _latin() + _PHONETIC + _OTHER_CASED + _UNCASED
# Symbols (Unicode "So") that split off like punctuation: dingbats, arrows, box drawing...
_ICONS = ("\u00A6\u00A9\u00AE\u00B0\u0482\u058D\u058E\u060E\u060F\u06DE\u06E9\u06FD\u06FE"
          "\u07F6\u09FA\u0B70\u0BF3-\u0BF8\u0BFA\u0C7F\u0D4F\u0D79\u0F01-\u0F03\u0F13"
          "\u0F15-\u0F17\u0F1A-\u0F1F\u0F34\u0F36\u0F38\u0FBE-\u0FC5\u0FC7-\u0FCC\u0FCE\u0FCF"
          "\u0FD5-\u0FD8\u109E\u109F\u1390-\u1399\u1940\u19DE-\u19FF\u1B61-\u1B6A\u1B74-\u1B7C"
          "\u2100\u2101\u2103-\u2106\u2108\u2109\u2114\u2116\u2117\u211E-\u2123\u2125\u2127"
          "\u2129\u212E\u213A\u213B\u214A\u214C\u214D\u214F\u218A\u218B\u2195-\u2199"
          "\u219C-\u219F\u21A1\u21A2\u21A4\u21A5\u21A7-\u21AD\u21AF-\u21CD\u21D0\u21D1\u21D3"
          "\u21D5-\u21F3\u2300-\u2307\u230C-\u231F\u2322-\u2328\u232B-\u237B\u237D-\u239A"
          "\u23B4-\u23DB\u23E2-\u2426\u2440-\u244A\u249C-\u24E9\u2500-\u25B6\u25B8-\u25C0"
          "\u25C2-\u25F7\u2600-\u266E\u2670-\u2767\u2794-\u27BF\u2800-\u28FF\u2B00-\u2B2F"
          "\u2B45\u2B46\u2B4D-\u2B73\u2B76-\u2B95\u2B98-\u2BC8\u2BCA-\u2BFE\u2CE5-\u2CEA"
          "\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u2FF0-\u2FFB\u3004\u3012\u3013\u3020\u3036"
          "\u3037\u303E\u303F\u3190\u3191\u3196-\u319F\u31C0-\u31E3\u3200-\u321E\u322A-\u3247"
          "\u3250\u3260-\u327F\u328A-\u32B0\u32C0-\u32FE\u3300-\u33FF\u4DC0-\u4DFF"
          "\uA490-\uA4C6\uA828-\uA82B\uA836\uA837\uA839\uAA77-\uAA79\uFDFD\uFFE4\uFFE8\uFFED"
          "\uFFEE\uFFFC\uFFFD\U00010137-\U0001013F\U00010179-\U00010189\U0001018C-\U0001018E"
          "\U00010190-\U0001019B\U000101A0\U000101D0-\U000101FC\U00010877\U00010878"
          "\U00010AC8\U0001173F\U00016B3C-\U00016B3F\U00016B45\U0001BC9C\U0001D000-\U0001D0F5"
          "\U0001D100-\U0001D126\U0001D129-\U0001D164\U0001D16A-\U0001D16C\U0001D183"
          "\U0001D184\U0001D18C-\U0001D1A9\U0001D1AE-\U0001D1E8\U0001D200-\U0001D241"
          "\U0001D245\U0001D300-\U0001D356\U0001D800-\U0001D9FF\U0001DA37-\U0001DA3A"
          "\U0001DA6D-\U0001DA74\U0001DA76-\U0001DA83\U0001DA85\U0001DA86\U0001ECAC"
          "\U0001F000-\U0001F02B\U0001F030-\U0001F093\U0001F0A0-\U0001F0AE\U0001F0B1-\U0001F0BF"
          "\U0001F0C1-\U0001F0CF\U0001F0D1-\U0001F0F5\U0001F110-\U0001F16B\U0001F170-\U0001F1AC"
          "\U0001F1E6-\U0001F202\U0001F210-\U0001F23B\U0001F240-\U0001F248\U0001F250"
          "\U0001F251\U0001F260-\U0001F265\U0001F300-\U0001F3FA\U0001F400-\U0001F6D4"
          "\U0001F6E0-\U0001F6EC\U0001F6F0-\U0001F6F9\U0001F700-\U0001F773\U0001F780-\U0001F7D8"
          "\U0001F800-\U0001F80B\U0001F810-\U0001F847\U0001F850-\U0001F859\U0001F860-\U0001F887"
          "\U0001F890-\U0001F8AD\U0001F900-\U0001F90B\U0001F910-\U0001F93E\U0001F940-\U0001F970"
          "\U0001F973-\U0001F976\U0001F97A\U0001F97C-\U0001F9A2\U0001F9B0-\U0001F9B9"
          "\U0001F9C0-\U0001F9C2\U0001F9D0-\U0001F9FF\U0001FA60-\U0001FA6D")
_PUNCT = list("…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪") + ["……"]
_QUOTES = list("'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》\u3008\u3009\u2329\u232a⟦⟧")
_CURRENCY = list("$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫€₭₮₯₰₱₲₳₴₵₶₷₸₹₺₻₼₽₾₿") + ["US$", "C$", "A$"]
_UNITS = ("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t "
          "lb oz m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м "
          "м² м³ дм дм² дм³ см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб "
          "МБ мб Гб ГБ гб Тб ТБ тбكم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ "
          "كوب اكواب").split()
_HYPHENS = ["-", "–", "—", "--", "---", "——", "~"]
_ELLIPSES = [r"\.\.+", "…"]


def _alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(i) for i in items)


# spaCy writes punctuation and quotes as `a|b|c` and sometimes puts that inside a
# character class, where the bars become members: reproduced, since it changes matches.
_PUNCT_BARS = "|".join(_PUNCT)
_QUOTE_CHARS = "".join(_QUOTES)
_Q = re.escape(_QUOTE_CHARS)


def _base_rules(lang: str) -> tuple[list[str], list[str], list[str]]:
    """Prefix, suffix and infix expressions, in spaCy's order (order decides ties)."""
    quotes = [re.escape(q) for q in _QUOTES]
    punct = [re.escape(p) for p in _PUNCT[:-1]]
    punct.insert(1, re.escape("……"))
    icons = [f"[{_ICONS}]"]
    prefixes = (["§", "%", "=", "—", "–", r"\+(?![0-9])"] + punct + _ELLIPSES + quotes
                + [re.escape(c) for c in _CURRENCY_ORDER] + icons)
    p_class = re.escape(_PUNCT_BARS)
    dot_after = (rf"(?<=[0-9{_LOWER}%²\-\+{p_class}(?:{_Q})])\.")
    if lang == "fr":
        dot_after = rf"(?<=[0-9{_LOWER}%²\-\+(?:{_Q})])\."
    if lang == "es":
        dot_after = rf"(?<=[0-9{_LOWER}%²\-\+{p_class}(?:{_Q}—–)])\."
    units = _UNITS if lang != "es" else [u for u in _UNITS if u != "%"]
    tail = [r"(?<=[0-9])\+", r"(?<=°[FfCcKk])\.", rf"(?<=[0-9])(?:{_alternation(_CURRENCY_ORDER)})",
            rf"(?<=[0-9])(?:{'|'.join(units)})", dot_after, rf"(?<=[{_UPPER}][{_UPPER}])\."]
    if lang == "fr":
        suffixes = punct + _ELLIPSES + quotes + tail[:2] + [r"(?<=[0-9])%"] + tail[2:] + [
            rf"(?<=[{_ALPHA}])[{_FR_HYPHENS}]({_FR_HYPHEN_SUFFIXES})"]
    elif lang == "es":
        suffixes = ["—", "–"] + punct + _ELLIPSES + quotes + icons + tail
    else:
        suffixes = (punct + _ELLIPSES + quotes + icons + ["'s", "'S", "’s", "’S", "—", "–"]
                    + tail)
    digit_ops = r"(?<=[0-9])[+\-\*^](?=[0-9-])" if lang != "es" else r"(?<=[0-9])[+\*^](?=[0-9-])"
    q_infix = _Q if lang != "es" else re.escape(_QUOTE_CHARS + "—–")
    infixes = _ELLIPSES + icons + [
        digit_ops,
        rf"(?<=[{_LOWER}{q_infix}])\.(?=[{_UPPER}{q_infix}])",
        rf"(?<=[{_ALPHA}]),(?=[{_ALPHA}])",
    ]
    if lang != "es":  # English also splits a hyphen after a digit ("5-year")
        after = "0-9" if lang == "en" else ""
        infixes.append(rf"(?<=[{_ALPHA}{after}])(?:{'|'.join(_HYPHENS)})(?=[{_ALPHA}])")
    infixes.append(rf"(?<=[{_ALPHA}0-9])[:<>=/](?=[{_ALPHA}])")
    if lang == "fr":
        prefixes.append(rf"(?:([dlnDLN])[{_FR_ELISION}])(?=[{_ALPHA}])")
        infixes.append(rf"(?<=[{_ALPHA}][{_FR_ELISION}])(?=[{_ALPHA}])")
    return prefixes, suffixes, infixes


_CURRENCY_ORDER = ["$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴", "₠", "₡", "₢",
                   "₣", "₤", "₥", "₦", "₧", "₨", "₩", "₪", "₫", "€", "₭", "₮", "₯", "₰", "₱",
                   "₲", "₳", "₴", "₵", "₶", "₷", "₸", "₹", "₺", "₻", "₼", "₽", "₾", "₿"]
_FR_ELISION = "'’"
_FR_HYPHENS = "-–—‐‑"
_FR_HYPHEN_SUFFIXES = "|".join(
    "ce clés elle en il ils je là moi nous on t vous CE CLÉS ELLE EN IL ILS JE LÀ MOI NOUS ON "
    "T VOUS".split())

# -- French words kept whole (spaCy's French `token_match`) ----------------------------------

_FR_HYPHEN_PREFIXES = (
    "a[ée]ro abat a[fg]ro after aigues? am[ée]ricano anglo anti apr[èe]s arabo arcs? archi "
    "arrières? audio avant avion auto banc bas(?:ses?)? bateaux? bec? belles? beau best bio? "
    "bien blanc bo[îi]te bonn?e?s? bois bou(?:c|rg) b[êe]ta cache cap(?:ello)? casse castel "
    "champ chapelle ch[âa]teau(?:neuf)? chasse cha(?:ud|t)e?s? chauffe chou chromo claire?s? "
    "co(?:de|ca)? compte contre cordon coupe? courte?s? couvre crash crise croche cross cyber "
    "côte demi di(?:sney)? dix d[ée]s? dys ex? émirato entre est ethno ex extra extrême [ée]co "
    "faux fil fort franco?s? gallo gardes? gastro grande? gratte gr[ée]co gros g[ée]o haute?s? "
    "homm?es? hors hyper indo infra inter intra islamo italo jean labio latino live lot louis "
    "m[ai]cro mal médio mesnil mi(?:ni)? mono mont?s? moyen multi m[ée]cano m[ée]dico m[ée]do "
    "m[ée]ta mots? neuro noix non nord notre n[ée]o ouest outre ouvre passe perce pharmaco "
    "ph[oy]to pieds? pique poissons? ponce pont po[rs]t pousse primo pro(?:cès|to)? pare "
    "petite?s? plessis porte pré prêchi protège pseudo pêle péri puy quasi quatre radio "
    "recourt rythmo (?:re)?doubles? r[ée] r[ée]tro requin sans? sa?inte?s? semi serre sino "
    "socio sociale?s? soixante sous su[bdrs] super taille tire thermo tiers tourne toute?s? "
    "tra[iî]ne? trans trente trois trousse tr(?:i|ou) t[ée]l[ée] utéro vaso vi[cd]e vid[ée]o "
    "vie(?:ux|i?lles?|i?l) vill(?:e|eneuve|ers|ette|iers|y) vingt voitures? wagons? ultra à "
    "[ée]lectro [ée]qui Fontaine Marie Neuville Pierre Val Vaux").split() + [
    "La Chapelle", "Le Mesnil"]
_FR_WHOLE_WORDS = (
    "a-sexualis+ arginine-méthyl+ binge-watch+ black-out* bouche-por+ burn-out* by-pass* "
    "ch'tiis+ chape-chut+ down-load* [ée]tats-uni* droits?-de-l'homm+ fac-simil* fleur-bleuis+ "
    "flic-flaqu+ fox-trott+ google-is+ hard-discount* hip-hop* jet-set* knock-out* lèche-bott+ "
    "litho-typographi+ lock-out* lombri-compost+ mac-adamis+ marque-pag+ mouton-noiris+ "
    "new-york* pair-programm+ people-is+ plan-socialis+ premier-ministr* prud'hom+ "
    "réarc-bout+ refox-trott+ remicro-ond+ repique-niqu+ repetit-déjeun+ rick-roll* "
    "rond-ponn+ shift-cliqu+ soudo-bras+ stabilo-boss+ strip-teas+ terra-form* teuf-teuf* "
    "yo-yo+ zig-zag* z'yeut+").split()
_FR_HYPHEN_WORDS = "l[èe]s? la en des? d[eu] sur sous aux? à et près saint".split()


def _french_token_match() -> Callable[[str], object]:
    """One expression for spaCy's French `token_match` (its alternatives grouped, so the
    letter classes compile once each; a match exists for the same strings)."""
    h, el, al, a = _FR_HYPHENS, _FR_ELISION, _LOWER, _ALPHA
    stems: dict[str, list[str]] = {"+": [], "*": []}
    for word in _FR_WHOLE_WORDS:
        stem = word[:-1].replace("-", f"[{h}]")
        if "droits" not in stem:  # that one keeps a plain apostrophe inside "de-l'homm"
            stem = stem.replace("'", f"[{el}]")
        stems[word[-1]].append(stem)
    rest = f"[{al}][{h}{al}{el}]*"
    whole = [f"(?:{'|'.join(stems['+'])})[{al}]+", f"(?:{'|'.join(stems['*'])})[{al}]*",
             f"(?:{'|'.join(_FR_HYPHEN_PREFIXES)})[{h}]{rest}",
             f"(?:r?é?entr|grande?s?|r)[{el}]{rest}",
             f"[{a}]+[{h}](?:{'|'.join(_FR_HYPHEN_WORDS)})[{h}](?:l[{el}])?[{a}]+"]
    return re.compile("(?iu)^(?:" + "|".join(whole) + ")$").match


# -- URLs (spaCy keeps a web address whole) ----------------------------------------------------

_URL = re.compile(
    r"(?u)^(?:(?:[\w\+\-\.]{2,})://)?(?:\S+(?::\S*)?@)?(?:"
    r"(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})"
    r"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})"
    r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}"
    r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))"
    r"|(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?"
    r"[A-Za-z0-9\u00a1-\uffff]\.)+" + f"(?:[{_LOWER}]{{2,63}}))"
    r"(?::\d{2,5})?(?:[/?#]\S*)?$").match

# -- special cases: strings spaCy never splits, or splits its own way --------------------------

_EMOTICONS = (
    r""":) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} 8) 8-) (-8
    ;) ;-) (; (-; :( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ =| :|
    :-| ]= =[ :1 :P :-P :p :-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x
    :-x :D :-D ;D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v
    V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3
    (^_^) (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>""").split()
_BASE_WHOLE = ([" ", "\t", "\\t", "\n", "\\n", "\u2014", "\u00a0", "'", '\\")', "<space>", "''",
                "C++", "’", "’’", ":’(", ":’)", ":’-(", ":’-)"]
               + [f"{c}." for c in "abcdefghijklmnopqrstuvwxyzäöü"] + _EMOTICONS)
_EN_WHOLE = (
    "a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov. i.e. I.e. I.E. Inc. "
    "Jr. Ltd. Md. Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. Rev. Sen. St. vs. v.s. "
    "Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Ala. Ariz. Ark. Calif. Colo. "
    "Conn. Del. Fla. Ga. Ia. Id. Ill. Ind. Kan. Kans. Ky. La. Mass. Mich. Minn. Miss. N.C. "
    "N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Okla. Ore. Pa. S.C. Tenn. Va. Wash. Wis. Ak. "
    "Mt. and/or w/o em ll nuff").split()
_EN_APOSTROPHE_WHOLE = ("'S 'bout 'cause 'cos 'coz 'cuz 'em 'll 'nuff 're 's 'd 'Cause 'Cos 'Coz "
                        "'Cuz").split()
_EN_DROPPED_G = "doin goin havin lovin nothin nuthin somethin ol".split()
_ES_WHOLE = (
    "Av. Avda. Cía. Dr. Dra. EE.UU. Ee.Uu. Gob. Gral. Ing. J.C. Lic. P.D. Prof. Profa. "
    "Q.E.P.D. S.A. S.L. S.R.L. Sr. Sra. Srta. Ud. Uds. Vd. Vds. a.C. a.J.C. apdo. aprox. d.C. "
    "d.J.C. dna. dpto. ej. esq. etc. fig. km/h m.n. n° núm. p.ej. pág. q.e.p.d. s.s.s. vol. "
    "°C").split() + ["EE. UU.", "Ee. Uu."]
_FR_WHOLE = (
    "av. janv. févr. avr. juill. sept. oct. nov. déc. apr. Dr. M. Mr. Mme. Mlle. n° d° St. "
    "Ste. après-midi au-delà au-dessus celle-ci celles-ci celui-ci cf. ci-dessous elle-même "
    "en-dessous etc. jusque-là lui-même MM. No. peut-être pp. quelques-uns rendez-vous Vol. "
    "aujourd'hui Aujourd'hui aujourd’hui Aujourd’hui").split()


def _title_too(words: Iterable[str]) -> list[str]:
    return [v for w in words for v in (w, w.title())]


def _english_contractions() -> dict[str, tuple[str, ...]]:
    """English contractions, written with ', ’ or no apostrophe ("dont" is "do" + "nt")."""
    out: dict[str, tuple[str, ...]] = {}

    def add(*parts: str) -> None:
        for apostrophe in ("'", "’", ""):
            pieces = tuple(p.replace("'", apostrophe) for p in parts)
            out["".join(pieces)] = pieces

    for orth in _title_too(["i"]):
        add(orth, "'m")
        add(orth, "'m", "a")
    for orth in _title_too(["i", "you", "he", "she", "it", "we", "they"]):
        for tail in (("'ll",), ("'ll", "'ve"), ("'d",), ("'d", "'ve")):
            add(orth, *tail)
    for orth in _title_too(["i", "you", "we", "they"]):
        add(orth, "'ve")
    for orth in _title_too(["you", "we", "they"]):
        add(orth, "'re")
    for orth in _title_too(["he", "she", "it"]):
        add(orth, "'s")
    for word in ("who", "what", "when", "where", "why", "how", "there", "that", "this",
                 "these", "those"):
        for orth in _title_too([word]):
            if word not in ("these", "those"):
                add(orth, "'s")
            for tail in (("'ll",), ("'ll", "'ve"), ("'d",), ("'d", "'ve")):
                add(orth, *tail)
            if word not in ("that", "this"):
                add(orth, "'re")
                add(orth, "'ve")
    for orth in _title_too(["how"]):
        add(orth, "'d", "'y")
        del out[f"{orth}dy"]  # only the forms with an apostrophe
    for verb in ("ca", "could", "did", "does", "do", "had", "may", "might", "must", "need",
                 "ought", "sha", "should", "wo", "would"):
        for orth in _title_too([verb]):
            add(orth, "n't")
            add(orth, "n't", "'ve")
    for verb in ("could", "might", "must", "should", "would", "not"):
        for orth in _title_too([verb]):
            add(orth, "'ve")
    for verb in ("ai", "are", "is", "was", "were", "have", "has", "dare"):
        for orth in _title_too([verb]):
            add(orth, "n't")
    for hour in range(1, 13):
        for period in ("a.m.", "am", "p.m.", "pm"):
            out[f"{hour}{period}"] = (str(hour), period)
    for orth in _title_too(["c"]):
        add(orth + "'m", "on")
        del out[f"{orth}mon"]
    out.update({"y'all": ("y'", "all"), "y’all": ("y’", "all"), "yall": ("y", "all"),
                "cannot": ("can", "not"), "Cannot": ("Can", "not"),
                "gonna": ("gon", "na"), "Gonna": ("Gon", "na"),
                "gotta": ("got", "ta"), "Gotta": ("Got", "ta"),
                "let's": ("let", "'s"), "let’s": ("let", "’s"),
                "Let's": ("Let", "'s"), "Let’s": ("Let", "’s")})
    for word in ("Ill", "ill", "Its", "its", "Hell", "hell", "Shell", "shell", "Shed", "shed",
                 "were", "Were", "Well", "well", "Whore", "whore"):
        out.pop(word, None)
    return out


def _french_questions() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {"J.-C.": ("J.", "-C.")}
    for verb in ("a", "est", "semble", "indique", "moque", "passe"):
        for orth in _title_too([verb]):
            for pronoun in ("elle", "il", "on"):
                out[f"{orth}-t-{pronoun}"] = (orth, "-t", "-" + pronoun)
    for orth in _title_too(["est"]):
        out[f"{orth}-ce"] = (orth, "-ce")
    for pre in ("qu", "n"):
        for orth in _title_too([pre]):
            for apostrophe in ("'", "’"):
                out[f"{orth}{apostrophe}est-ce"] = (orth + apostrophe, "est", "-ce")
    out.update({"est-il": ("est", "-il"), "EST-IL": ("EST", "-IL")})
    for s, verb, pronoun in (("s", "est", "il"), ("S", "EST", "IL")):
        for apostrophe in ("'", "’"):
            out[f"{s}{apostrophe}{verb}-{pronoun}"] = (s + apostrophe, verb, "-" + pronoun)
    return out


def special_cases(lang: str) -> dict[str, tuple[str, ...]]:
    """String -> its tokens, for the strings the tokenizer treats specially."""
    out = {w: (w,) for w in _BASE_WHOLE}
    degrees = {f"°{u}.": ("°", u, ".") for u in "CFKcfk"}
    if lang == "en":
        out.update(_english_contractions())
        out.update({w: (w,) for w in _EN_WHOLE})
        for word in _EN_APOSTROPHE_WHOLE:
            out[word] = (word,)
            out["’" + word[1:]] = ("’" + word[1:],)
        out.update({"‘S": ("‘S",), "‘s": ("‘s",)})
        for word in _title_too(_EN_DROPPED_G):
            for end in ("", "'", "’"):
                out[word + end] = (word + end,)
        for word in ("ma'am", "Ma'am", "o'clock", "O'clock"):
            out[word] = (word,)
            out[word.replace("'", "’")] = (word.replace("'", "’"),)
        out.update(degrees)
    elif lang == "es":
        out.update({w: (w,) for w in _ES_WHOLE})
        for hour in range(1, 13):
            for period in ("a.m.", "am", "p.m.", "pm"):
                out[f"{hour}{period}"] = (str(hour), period)
        out.update({"12m.": ("12", "m."), "pal": ("pa", "l")})
        out.update(degrees)
    elif lang == "fr":
        out.update({w: (w,) for w in _FR_WHOLE})
        out.update(_french_questions())
        out.update(degrees)
    return out


# -- the tokenizer ----------------------------------------------------------------------------


_CACHE_LIMIT = 100_000  # distinct whitespace-free chunks remembered per language


class Tokenizer:
    """spaCy's tokenization algorithm over one language's rules; tokens are (start, end)."""

    def __init__(self, lang: str) -> None:
        prefixes, suffixes, infixes = _base_rules(lang)
        self._prefix = re.compile("|".join("^" + p for p in prefixes)).search
        self._suffix = re.compile("|".join(s + "$" for s in suffixes)).search
        self._infix = re.compile("|".join(infixes)).finditer
        self._token_match = _french_token_match() if lang == "fr" else None
        self.specials = special_cases(lang)
        self._cache: dict[str, tuple[tuple[int, int], ...]] = {}
        # Special cases that the first pass would cut into pieces (spaCy's second pass).
        self._multi: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for string in self.specials:
            if (self._prefix(string) or any(True for _ in self._infix(string))
                    or self._suffix(string) or " " in string):
                plain = tuple(string[s:e] for s, e in self._first_pass(string, specials=False))
                self._multi.setdefault(plain[0], []).append((string, plain))
        self._longest = max((len(p) for v in self._multi.values() for _, p in v), default=1)

    def __call__(self, text: str) -> list[tuple[int, int]]:
        tokens = self._first_pass(text, specials=True)
        return self._join_specials(text, tokens) if self._multi else tokens

    def _first_pass(self, text: str, specials: bool) -> list[tuple[int, int]]:
        tokens: list[tuple[int, int]] = []
        for m in re.finditer(r"\s+|\S+", text):
            start, end = m.span()
            if text[start].isspace():
                if start > 0 and text[start] == " ":
                    start += 1  # one space after a word belongs to that word
                if start < end:
                    tokens.append((start, end))
                continue
            chunk = text[start:end]
            pieces = self._cache.get(chunk) if specials else None
            if pieces is None:
                pieces = tuple(self._pieces(chunk, specials))
                if specials:
                    if len(self._cache) >= _CACHE_LIMIT:  # a hostile text cannot grow it
                        self._cache.clear()
                    self._cache[chunk] = pieces
            tokens.extend((start + s, start + e) for s, e in pieces)
        return tokens

    def _pieces(self, chunk: str, specials: bool) -> list[tuple[int, int]]:
        """Tokens of one whitespace-free chunk, as offsets into it."""
        table = self.specials if specials else {}
        if chunk in table:
            return self._special(chunk, 0)
        string, left, right = chunk, 0, len(chunk)  # string == chunk[left:right]
        prefixes: list[tuple[int, int]] = []
        suffixes: list[tuple[int, int]] = []
        last = -1
        while string and len(string) != last:
            if self._token_match and self._token_match(string):
                break
            if string in table:
                break
            last = len(string)
            pre = self._prefix(string)
            pre_len = pre.end() - pre.start() if pre else 0
            if pre_len and string[pre_len:] in table:
                prefixes.append((left, left + pre_len))
                left += pre_len
                string = chunk[left:right]
                break
            suf = self._suffix(string[pre_len:])
            suf_len = suf.end() - suf.start() if suf else 0
            if suf_len and string[:-suf_len] in table:
                suffixes.append((right - suf_len, right))
                right -= suf_len
                string = chunk[left:right]
                break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append((left, left + pre_len))
                suffixes.append((right - suf_len, right))
                left, right = left + pre_len, right - suf_len
            elif pre_len:
                prefixes.append((left, left + pre_len))
                left += pre_len
            elif suf_len:
                suffixes.append((right - suf_len, right))
                right -= suf_len
            string = chunk[left:right]
        out = prefixes
        if string:
            if string in table:
                out += self._special(string, left)
            elif (self._token_match and self._token_match(string)) or _URL(string):
                out.append((left, right))
            else:
                start = 0
                for m in self._infix(string):
                    if m.start() == 0:
                        continue
                    if m.start() != start:
                        out.append((left + start, left + m.start()))
                    if m.start() != m.end():
                        out.append((left + m.start(), left + m.end()))
                    start = m.end()
                if start < len(string):
                    out.append((left + start, right))
        out.extend(reversed(suffixes))
        return out

    def _special(self, string: str, offset: int) -> list[tuple[int, int]]:
        out, at = [], offset
        for piece in self.specials[string]:
            out.append((at, at + len(piece)))
            at += len(piece)
        return out

    def _join_specials(self, text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Re-cut runs of tokens that spell a special case exactly ("(a):" ends in "):")."""
        found = []
        for i, (start, end) in enumerate(tokens):
            for string, plain in self._multi.get(text[start:end], ()):
                j = i + len(plain)
                if j <= len(tokens) and all(
                        text[s:e] == p for (s, e), p in zip(tokens[i:j], plain, strict=True)):
                    found.append((i, j, string))
        if not found:
            return tokens
        # Longest first (then the earlier one), skipping any whose ends are already taken.
        found.sort(key=lambda f: (f[1] - f[0], -f[0]))
        taken: set[int] = set()
        chosen = []
        for i, j, string in reversed(found):
            if i not in taken and j - 1 not in taken:
                chosen.append((i, j, string))
            taken.update(range(i, j))
        out, at = [], 0
        for i, j, string in sorted(chosen):
            out.extend(tokens[at:i])
            start, end = tokens[i][0], tokens[j - 1][1]
            if text[start:end] == string:
                out += self._special(string, start)
            else:
                out.extend(tokens[i:j])
            at = j
        out.extend(tokens[at:])
        return out


# -- sentences --------------------------------------------------------------------------------

_SENTENCE_ENDS = frozenset(
    "!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？"
    "𐩖𐩗𑁇𑁈𑂾𑂿𑃀𑃁𑅁𑅂𑅃𑇅𑇆𑇍𑇞𑇟𑈸𑈹𑈻𑈼𑊩𑑋𑑌𑗂𑗃𑗉𑗊𑗋𑗌𑗍𑗎𑗏𑗐𑗑𑗒𑗓𑗔𑗕𑗖𑗗𑙁𑙂𑜼𑜽𑜾𑩂𑩃𑪛𑪜𑱁𑱂𖩮𖩯𖫵𖬷𖬸𖭄𛲟𝪈｡。")


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(c).startswith("P") for c in token)


def sentence_starts(words: list[str]) -> list[int]:
    """spaCy's rule sentencizer: a sentence starts at the first token after an end mark
    (".", "?", "!"...) that is neither punctuation (a closing quote or bracket stays
    with the sentence it closes) nor another end mark."""
    if not words:
        return []
    starts, seen_end = [0], False
    for i, word in enumerate(words):
        is_end = word in _SENTENCE_ENDS
        if seen_end and not is_end and not _is_punct(word):
            starts.append(i)
            seen_end = False
        elif is_end:
            seen_end = True
    return starts


# -- phrases ----------------------------------------------------------------------------------

#: a phrase element: the lower-case forms a token may take (the phrase's word, and that
#: word without its accents: `text/accents.py`), or None for a gap of 0 to 10 tokens
Element = frozenset[str] | None
GAP_LIMIT = 10
#: The typographic apostrophe of Word and PDF texts ("n’empêche"), read as the plain one
#: the taxonomy's phrases are written with.
TYPOGRAPHIC_APOSTROPHE = "\u2019"


def fold(word: str) -> str:
    """A token's form for phrase matching: lower case, typographic apostrophe made plain."""
    return word.lower().replace(TYPOGRAPHIC_APOSTROPHE, "'")


def phrase_elements(tokens: list[str]) -> tuple[Element, ...]:
    """A taxonomy phrase's tokens as elements: the forms each word may take
    (`accents.phrase_forms`, which reads the words together), None for a `...` gap. Both
    matchers build their patterns from these."""
    forms = iter(phrase_forms([fold(t) for t in tokens if t != "..."]))
    return tuple(None if t == "..." else next(forms) for t in tokens)


@dataclass(frozen=True)
class Doc:
    """A clause as read here: its text, tokens (start, end), their lower-case forms and the
    token index each sentence starts at."""

    text: str
    tokens: list[tuple[int, int]]
    lowers: list[str]
    starts: list[int]

    def sentences(self) -> list[tuple[int, int, int, int]]:
        """(first token, end token, start char, end char) per sentence."""
        bounds = self.starts + [len(self.tokens)]
        return [(a, b, self.tokens[a][0], self.tokens[b - 1][1])
                for a, b in zip(bounds, bounds[1:], strict=False)]


class PhraseTools:
    """Tokenizer, sentencizer and phrase matcher for one language, pure Python."""

    def __init__(self, lang: str, taxonomy: Taxonomy, labels: Iterable[str],
                 gap_stop: Iterable[str]) -> None:
        self.lang = lang
        self.taxonomy = taxonomy
        self.tokenizer = _tokenizer(lang)
        self.gap_stop = frozenset(fold(w) for w in gap_stop)
        self.labels = list(labels)
        self._by_first: dict[str, list[tuple[int, str, tuple[Element, ...]]]] = {}
        for rank, label in enumerate(self.labels):
            for phrase in taxonomy.modality[lang].get(label, []):
                pattern = self.pattern(phrase)
                if pattern and pattern[0] is not None:
                    for form in sorted(pattern[0]):
                        self._by_first.setdefault(form, []).append((rank, label, pattern))

    built = True  # nothing is built lazily: the tables cost milliseconds

    def pattern(self, phrase: str) -> tuple[Element, ...]:
        """A taxonomy phrase as `phrase_elements` of its tokens."""
        return phrase_elements([phrase[s:e] for s, e in self.tokenizer(phrase)])

    def nlp(self, text: str) -> Doc:
        tokens = self.tokenizer(text)
        words = [text[s:e] for s, e in tokens]
        return Doc(text, tokens, [fold(w) for w in words], sentence_starts(words))

    def parse(self, doc: Doc) -> tuple[list[tuple[str, int, int, int, int]],
                                       list[tuple[int, int, int, int]]]:
        """Phrase occurrences (label, first token, end token, start char, end char) and
        sentences (first token, end token, start char, end char), as spaCy gives them."""
        matches = [(label, s, e, doc.tokens[s][0], doc.tokens[e - 1][1])
                   for label, s, e in self.matches(doc)]
        return matches, doc.sentences()

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(label, first token, end token) of every phrase occurrence, each once."""
        found: set[tuple[int, str, int, int]] = set()
        lowers = doc.lowers
        for i, word in enumerate(lowers):
            for rank, label, pattern in self._by_first.get(word, ()):
                for end in self._ends(lowers, i, pattern):
                    found.add((rank, label, i, end))
        return [(label, s, e) for rank, label, s, e in sorted(found, key=lambda f: (
            f[2], -f[3], f[0]))]

    def _ends(self, lowers: list[str], i: int, pattern: tuple[Element, ...]) -> set[int]:
        """Token positions where `pattern` can end when it starts at token i."""
        at = {i}
        for element in pattern:
            nxt: set[int] = set()
            for j in at:
                if element is None:
                    k = j
                    nxt.add(k)
                    while k < len(lowers) and k - j < GAP_LIMIT and \
                            lowers[k] not in self.gap_stop:
                        k += 1
                        nxt.add(k)
                elif j < len(lowers) and lowers[j] in element:
                    nxt.add(j + 1)
            at = nxt
            if not at:
                break
        return {e for e in at if e > i}


@lru_cache(maxsize=8)
def _tokenizer(lang: str) -> Tokenizer:
    return Tokenizer(lang)

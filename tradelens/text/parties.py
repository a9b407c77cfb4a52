"""Parties as data: names and codes of an agreement's parties -> ISO 3166 alpha-3 codes.

A country's policy space is limited by every agreement it signed, so the ledger and the
research tables need each agreement's parties as stable codes. Sources name them in many
ways: ToTA lists ISO codes, text headers and DOCX documents name countries in English,
Spanish or French, and a group (the EU, ASEAN, EFTA...) signs as one Party. Groups are
expanded to their members on the date of signature, from `tradelens/data/regions.yaml`;
the ISO list and its Spanish and French names come from the pycountry package.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA_FILE = "tradelens/data/regions.yaml"
_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_warned: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Member:
    code: str
    joined: dt.date
    left: dt.date | None = None

    def on(self, day: dt.date | None) -> bool:
        """Member on `day` (today's members when the date is unknown)."""
        if day is None:
            return self.left is None
        return self.joined <= day and (self.left is None or day < self.left)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    members: tuple[Member, ...]

    def members_on(self, day: dt.date | None) -> list[str]:
        return [m.code for m in self.members if m.on(day)]


@dataclass(frozen=True)
class Registry:
    """Every name and code a source may use, normalised, with what it stands for."""

    names: dict[str, str]  # normalised name -> ISO3 code
    codes: dict[str, str]  # accepted code -> canonical ISO3 code
    groups: dict[str, Group]  # normalised group name or code -> group
    country_names: dict[str, str]  # ISO3 -> English short name


def normalise(name: str) -> str:
    """Case, accents, punctuation and a leading 'the' do not matter when matching names."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date ('2016-02-04') or a bare year; None for anything else."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        match = re.fullmatch(r"\s*(1[89]\d\d|20\d\d)\s*", value)
        return dt.date(int(match.group(1)), 1, 1) if match else None


def _name_variants(name: str) -> list[str]:
    """'Korea, Republic of' -> also 'Republic of Korea'; 'Bolivia (State of)' -> 'Bolivia'."""
    variants = [name]
    bare = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    if bare != name:
        variants.append(bare)
    if "," in bare:
        head, _, tail = bare.partition(",")
        variants += [f"{tail.strip()} {head.strip()}", head.strip()]
    return variants


def _iso_names() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised name -> code, code -> English name) for every ISO 3166 country, in
    English, Spanish and French."""
    import pycountry

    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang],
                                        fallback=True) for lang in ("es", "fr")]
    names: dict[str, str] = {}
    english: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        english[code] = getattr(country, "common_name", None) or country.name
        own = [n for n in (country.name, getattr(country, "official_name", None),
                           getattr(country, "common_name", None)) if n]
        for name in own + [t.gettext(n) for t in translations for n in own]:
            for variant in _name_variants(name):
                names.setdefault(normalise(variant), code)
    return names, english


@cache
def registry() -> Registry:
    """The ISO list plus the package's data file, loaded once."""
    data = yaml.safe_load(resources.files("tradelens").joinpath("data/regions.yaml").read_text(
        encoding="utf-8"))
    names, english = _iso_names()
    codes = {code: code for code in english}
    for code, label in (data.get("extra_codes") or {}).items():
        codes[code] = code
        english.setdefault(code, label)
        names.setdefault(normalise(label), code)
    for code, aliases in (data.get("aliases") or {}).items():
        for alias in aliases:
            if _ALPHA3.match(alias):
                codes[alias] = code
            names[normalise(alias)] = code
    groups: dict[str, Group] = {}
    for key, body in (data.get("groups") or {}).items():
        group = Group(key, body["label"], tuple(
            Member(m["code"], _date(m["joined"]), _date(m.get("left")))  # type: ignore[arg-type]
            for m in body["members"]))
        for name in [key, body["label"], *body.get("names", []), *body.get("codes", [])]:
            groups[normalise(name)] = group
    return Registry(names, codes, groups, english)


def country_name(code: str) -> str:
    return registry().country_names.get(code, code)


def resolve(name: str, day: dt.date | None = None) -> list[str] | None:
    """The ISO3 codes a party name or code stands for on `day` (a group gives its members
    then); None when the name is unknown."""
    reg = registry()
    token = name.strip()
    if token.upper() in reg.codes and (_ALPHA3.match(token) or token.isupper()):
        return [reg.codes[token.upper()]]
    key = normalise(token)
    if key in reg.groups:
        return reg.groups[key].members_on(day)
    if key in reg.names:
        return [reg.names[key]]
    return None


_POSTPOSED = re.compile(r"\b(?:of|of the|de|del|de la|d')$", re.IGNORECASE)


def split_names(value: str) -> list[str]:
    """A header's list of parties, `Chile; Korea, Republic of` or `Chile, Korea, Republic of`.

    Semicolons separate names when there are any. Commas do too, except inside a name
    written in the ISO or WTO inverted form ('Korea, Republic of', 'Hong Kong, China',
    'Corea, República de'): two neighbours are one name when together they name a country
    or when the second ends in a postposed 'of' / 'de', so an unknown inverted name is
    still warned about whole."""
    if ";" in value:
        return [p.strip() for p in value.split(";") if p.strip()]
    pieces = [p.strip() for p in value.split(",") if p.strip()]
    names: list[str] = []
    for piece in pieces:
        if names:
            joined = f"{names[-1]}, {piece}"
            if _POSTPOSED.search(piece) or country_code(joined):
                names[-1] = joined
                continue
        names.append(piece)
    return names


def country_code(name: str) -> str | None:
    """One country's ISO3 code from a code or a name (groups are not countries)."""
    reg = registry()
    if name.strip().upper() in reg.codes:
        return reg.codes[name.strip().upper()]
    return reg.names.get(normalise(name))


def party_codes(names: list[str], date_signed: str | None, source: str) -> list[str]:
    """Sorted ISO3 codes of `names`, groups expanded at the date of signature. An unknown
    name gets one warning line on stderr naming the file, and is left out."""
    day = parse_date(date_signed)
    found: set[str] = set()
    unknown = []
    for name in names:
        codes = resolve(name, day)
        if codes is None:
            unknown.append(name)
        else:
            found.update(codes)
    warn_unknown(source, unknown)
    return sorted(found)


def warn_unknown(source: str, names: list[str]) -> None:
    """One warning line per file for the names it gives that are no known party."""
    fresh = [n for n in dict.fromkeys(names) if (source, n) not in _warned]
    if not fresh:
        return
    _warned.update((source, n) for n in fresh)
    listed = ", ".join(repr(n) for n in fresh)
    print(f"warning: {source}: unknown part{'y' if len(fresh) == 1 else 'ies'} {listed} "
          f"(not a country, code or group in {DATA_FILE}); left out of party_codes",
          file=sys.stderr)


def contract_fields(document: Any) -> dict[str, Any]:
    """The report's additive agreement fields: party codes (groups expanded at signature,
    from the parties at signature where the source lists them) and the dates and status
    the source gives."""
    named = getattr(document, "parties_original", None) or document.parties
    return {
        "party_codes": party_codes(list(named), document.date_signed, document.source),
        "date_into_force": getattr(document, "date_into_force", None),
        "date_inactive": getattr(document, "date_inactive", None),
        "treaty_status": getattr(document, "treaty_status", None),
    }


def sides(codes: list[str], day: dt.date | None) -> dict[str, str]:
    """Which side of the agreement each party is on: code -> side key.

    A group whose every member on `day` is a party, in an agreement that also has
    non-members, signed as one side (the EU and Mexico; EFTA and Chile): the agreement
    creates no commitments among the group's own members. Every other party is its own
    side. Larger groups are tried first, and a party is on one side only.
    """
    present = set(codes)
    side = {code: code for code in codes}
    seen: set[str] = set()
    groups = sorted({g.key: g for g in registry().groups.values()}.values(),
                    key=lambda g: -len(g.members_on(day)))
    for group in groups:
        members = set(group.members_on(day))
        if len(members) >= 2 and members <= present and present - members \
                and not members & seen:
            seen |= members
            for code in members:
                side[code] = group.key
    return side

"""A small workspace of generated text agreements with real party names, for the ledger,
the export and the country pages.

Each agreement is a plain-text file with an `Id:/Title:/Parties:/Date signed:` header and a
digital chapter whose rules are chosen per category (hard, soft or absent). The clauses are
the team's own wording in the usual drafting styles. `codes` is what the fixture means by
its parties (groups written out at the date of signature): tests compute expected figures
from it, never from TradeLens's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EU_2002 = ["AUT", "BEL", "DEU", "DNK", "ESP", "FIN", "FRA", "GBR", "GRC", "IRL", "ITA", "LUX",
           "NLD", "PRT", "SWE"]

RULES = {
    ("data_free_flow", "hard"): (
        "Cross-Border Transfer of Information",
        "Each Party shall allow the cross-border transfer of information by electronic "
        "means, including personal information, where that transfer is carried out for the "
        "business of a covered person."),
    ("data_free_flow", "soft"): (
        "Information Flows",
        "The Parties shall endeavour to refrain from imposing unnecessary barriers to "
        "the flow of information by electronic means across their borders."),
    ("server_location", "hard"): (
        "Location of Computing Facilities",
        "No Party shall require a covered person to use or locate computing facilities in "
        "its territory as a condition for doing business in that territory."),
    ("source_code_secrecy", "hard"): (
        "Source Code",
        "No Party shall require the transfer of, or access to, the source code of software "
        "owned by a person of another Party as a condition for the import, distribution, "
        "sale or use of that software in its territory."),
}


@dataclass
class FixtureAgreement:
    id: str
    title: str
    parties: str  # the header line, as a drafter would write it
    codes: list[str]  # what the fixture means by those parties
    signed: str
    into_force: str | None
    rules: dict[str, str] = field(default_factory=dict)  # category -> hard / soft

    @property
    def start_year(self) -> int:
        return int((self.into_force or self.signed)[:4])

    def text(self) -> str:
        header = [f"Id: {self.id}", f"Title: {self.title}", f"Parties: {self.parties}",
                  f"Date signed: {self.signed}"]
        if self.into_force:
            header.append(f"Date into force: {self.into_force}")
        body = ["", "CHAPTER 1", "INITIAL PROVISIONS", "",
                "Article 1.1: Objectives",
                "The Parties hereby establish a free trade area to expand trade in goods and "
                "services between them on a predictable basis.", "",
                "Article 1.2: Tariff Elimination",
                "Each Party shall progressively eliminate its customs duties on originating "
                "goods in accordance with its Schedule.", ""]
        if self.rules:
            body += ["CHAPTER 9", "DIGITAL TRADE", ""]
            for n, (category, strength) in enumerate(sorted(self.rules.items()), start=1):
                title, clause = RULES[(category, strength)]
                body += [f"Article 9.{n}: {title}", clause, ""]
        return "\n".join(header + body) + "\n"


AGREEMENTS = [
    FixtureAgreement("andes_pacific", "Chile - Peru Free Trade Agreement (fixture)",
                     "Chile, Perú", ["CHL", "PER"], "2006-08-22", "2009-03-01",
                     {"data_free_flow": "hard"}),
    FixtureAgreement("pacific_alliance_protocol", "Pacific Alliance Digital Protocol (fixture)",
                     "Pacific Alliance", ["CHL", "COL", "MEX", "PER"], "2014-02-10",
                     "2016-05-01", {"data_free_flow": "hard", "server_location": "hard"}),
    FixtureAgreement("europe_chile", "EU - Chile Association Agreement (fixture)",
                     "European Union, República de Chile", EU_2002 + ["CHL"], "2002-11-18",
                     "2003-02-01", {}),
    FixtureAgreement("japan_singapore", "Japan - Singapore Partnership (fixture)",
                     "Japan, Singapore", ["JPN", "SGP"], "2002-01-13", None,
                     {"data_free_flow": "soft", "source_code_secrecy": "hard"}),
    # one party TradeLens cannot know (a warning), and a title a spreadsheet would run
    FixtureAgreement("atlantis_chile", "=Atlantis - Chile Trade Pact (fixture)",
                     "Chile, Atlantis", ["CHL"], "2011-05-05", "2012-01-01", {}),
]
UNKNOWN_PARTY = "Atlantis"


def write_fixture(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for agreement in AGREEMENTS:
        (directory / f"{agreement.id}.txt").write_text(agreement.text(), encoding="utf-8")
    return directory


def sides(agreement: FixtureAgreement) -> dict[str, str]:
    """The fixture's own reading: the EU signs as one side; everyone else alone."""
    return {c: ("EU" if agreement.id == "europe_chile" and c in EU_2002 else c)
            for c in agreement.codes}

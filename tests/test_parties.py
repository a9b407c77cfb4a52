"""Parties as data: names and codes to ISO3, groups expanded at the date of signature."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from tradelens.report.contract import report_schema
from tradelens.text import parties, read_document
from tradelens.text.metadata import parse_header
from tradelens.text.parties import country_code, party_codes, resolve, sides

EU_FOUNDERS = {"BEL", "DEU", "FRA", "ITA", "LUX", "NLD"}


@pytest.mark.parametrize("name, code", [
    ("Chile", "CHL"), ("Perú", "PER"), ("Pérou", "PER"), ("México", "MEX"),
    ("Estados Unidos", "USA"), ("États-Unis", "USA"), ("United States of America", "USA"),
    ("Republic of Korea", "KOR"), ("Corée du Sud", "KOR"), ("Viet Nam", "VNM"),
    ("Türkiye", "TUR"), ("the Netherlands", "NLD"), ("Hong Kong, China", "HKG"),
    ("Japón", "JPN"), ("Singapour", "SGP"), ("AUS", "AUS"), ("RKS", "XKX"),
])
def test_country_names_and_codes_in_three_languages(name, code):
    assert resolve(name) == [code]
    assert country_code(name) == code


def test_groups_are_expanded_to_their_members_on_the_date():
    eu_1960 = set(resolve("European Union", dt.date(1960, 1, 1)))
    assert eu_1960 == EU_FOUNDERS
    eu_2010 = set(resolve("Unión Europea", dt.date(2010, 1, 1)))
    assert {"POL", "GBR", "ROU"} <= eu_2010 and "HRV" not in eu_2010 and len(eu_2010) == 27
    eu_2021 = set(resolve("Union européenne", dt.date(2021, 1, 1)))
    assert "GBR" not in eu_2021 and "HRV" in eu_2021 and len(eu_2021) == 27
    assert "VEN" in resolve("Mercosur", dt.date(2014, 1, 1))
    assert "VEN" not in resolve("Mercosur", dt.date(2018, 1, 1))
    assert set(resolve("Alianza del Pacífico", dt.date(2014, 2, 10))) == {
        "CHL", "COL", "MEX", "PER"}
    # a code a source lists for a group is expanded the same way
    assert set(resolve("EU", dt.date(1960, 1, 1))) == EU_FOUNDERS


def test_a_group_that_signs_as_one_side_creates_no_pairs_among_its_members():
    codes = sorted(EU_FOUNDERS | {"CHL"})
    side = sides(codes, dt.date(1960, 1, 1))
    assert {side[c] for c in EU_FOUNDERS} == {"EU"} and side["CHL"] == "CHL"
    # all members and nobody else: an agreement among them, every pair counts
    assert set(sides(sorted(EU_FOUNDERS), dt.date(1960, 1, 1)).values()) == EU_FOUNDERS


def test_unknown_party_is_one_warning_line_naming_the_file(capsys):
    codes = party_codes(["Chile", "Narnia", "Narnia"], "2010-01-01", "drafts/pact.txt")
    assert codes == ["CHL"]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("warning: drafts/pact.txt: unknown party 'Narnia'")
    assert parties.DATA_FILE in lines[0]


def test_tota_parties_at_signature_and_dates_reach_the_contract(tota_dir):
    document = read_document(tota_dir / "pta_100.xml")  # EU - Andorra, signed 1991
    fields = parties.contract_fields(document)
    assert document.parties_original and set(fields["party_codes"]) == set(
        document.parties_original)
    assert "POL" in document.parties and "POL" not in fields["party_codes"]
    assert fields["date_into_force"] and fields["date_into_force"] >= document.date_signed
    agreement = {"id": "x", "title": None, "source": "x.xml", "format": "xml",
                 "language": None, "date_signed": None, "parties": [], **fields}
    schema = report_schema()["properties"]["agreement"]
    jsonschema.validate(agreement, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**agreement, "party_codes": ["chile"]}, schema)
    json.dumps(fields)  # plain data


def test_docx_core_keywords_can_name_the_parties(tmp_path):
    from tests.docx_maker import Para, write_docx

    path = write_docx(tmp_path / "draft.docx",
                      [Para([("text", "Article 1: Objectives")]),
                       Para([("text", "The Parties shall cooperate.")])],
                      keywords="Parties: Japón, Unión Europea | Date signed: 2018-07-17")
    document = read_document(path)
    assert document.parties == ["Japón", "Unión Europea"]
    assert document.date_signed == "2018-07-17"
    codes = parties.contract_fields(document)["party_codes"]
    assert "JPN" in codes and "GBR" in codes and "HRV" in codes and len(codes) == 29


@pytest.mark.parametrize("value, names", [
    ("Chile, Peru", ["Chile", "Peru"]),
    ("Chile; Korea, Republic of", ["Chile", "Korea, Republic of"]),
    ("Chile, Korea, Republic of, Peru", ["Chile", "Korea, Republic of", "Peru"]),
    ("Hong Kong, China, Chile", ["Hong Kong, China", "Chile"]),
    ("México, Corea, República de", ["México", "Corea, República de"]),
    ("Narnia, Kingdom of, Chile", ["Narnia, Kingdom of", "Chile"]),
])
def test_a_header_keeps_inverted_country_names_whole(value, names):
    meta, used = parse_header([f"Parties: {value}", "", "Article 1"])
    assert meta["parties"] == names
    assert used == 2

"""A modifier read within one numbered paragraph (`read_within: paragraph`, taxonomy
2027.1.2; docs/evaluation.md, "Modifiers read within a paragraph").

The segmenter cuts a document's article into its numbered paragraphs, even where they run
together on one line, so the pipeline reads each paragraph's modifiers alone. A whole
article pasted as one text used to be read as one: a security paragraph's "any measure it
considers necessary" turned paragraph 3's necessity test into a self-judging one, and a
review "three years after entry into force" turned a chapter's exclusion from dispute
settlement into a transition period. The necessity tests and the dispute-settlement
modifiers now read their words within one paragraph. The clauses are the team's own.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from tradelens.classify.modifiers import modifier_evidence
from tradelens.errors import SetupError
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy
from tradelens.text.segment import numbered_parts

ARTICLE = (
    "Article 7 Location of Computing Facilities 1. The Parties recognise that each Party may "
    "have its own rules on computing facilities. 2. No Party shall require a covered person "
    "to use or locate computing facilities in its territory as a condition for doing "
    "business there. 3. Nothing in this Article prevents a Party from maintaining a measure "
    "inconsistent with paragraph 2 that is necessary to achieve a legitimate public policy "
    "objective, if it is not a disguised restriction on trade. 4. Nothing in this Article "
    "prevents a Party from taking any measure that it considers necessary for the "
    "protection of its essential security interests.")

REVIEWED = (
    "Article 4 Transfer of Information 1. Each Party shall allow a covered person to send "
    "information across its borders by electronic means for its business. 2. The Parties "
    "shall review this Article three years after the entry into force of this Agreement. "
    "3. No Party shall have recourse to dispute settlement under this Agreement for any "
    "matter arising under this Chapter.")


def test_numbered_parts_cut_where_the_segmenter_cuts():
    parts = [ARTICLE[a:b] for a, b in numbered_parts(ARTICLE)]
    assert len(parts) == 3 + 1 and parts[0].startswith("Article 7")
    assert parts[2].lstrip().startswith("3. Nothing") and parts[3].lstrip().startswith("4.")
    # A number out of sequence after a reference is not a paragraph.
    text = "Each Party shall act pursuant to Article 13. 14. Each Party shall notify it."
    assert numbered_parts(text) == [(0, len(text))]


@pytest.mark.parametrize(("modifier", "text", "read", "clause_wide"), [
    ("lppo_necessity", ARTICLE, True, False),
    ("lppo_self_judging", ARTICLE, False, True),
    ("no_dispute_settlement", REVIEWED, True, False),
    ("temporary_exemption", REVIEWED, False, True),
])
def test_a_modifier_is_read_within_one_paragraph(modifier, text, read, clause_wide):
    bundled = load_taxonomy().modifiers[modifier]
    assert bundled.read_within == "paragraph"
    assert bool(modifier_evidence(bundled, None, text, "en")) is read
    everywhere = dataclasses.replace(bundled, read_within="clause")
    assert bool(modifier_evidence(everywhere, None, text, "en")) is clause_wide


def test_evidence_offsets_are_the_whole_texts():
    spans = modifier_evidence(load_taxonomy().modifiers["lppo_necessity"], None, ARTICLE,
                              "en")
    assert spans and all(ARTICLE[s.start:s.end] == s.text for s in spans)


def test_an_unknown_reading_is_refused_with_the_file_named(tmp_path: Path):
    target = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), target,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "modifiers.yaml"
    text = path.read_text()
    assert "read_within: paragraph" in text
    path.write_text(text.replace("read_within: paragraph", "read_within: sentence", 1))
    with pytest.raises(SetupError, match="modifiers.yaml") as error:
        load_taxonomy(target)
    assert "sentence" in str(error.value)

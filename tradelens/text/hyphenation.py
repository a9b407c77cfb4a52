"""Words hyphenated across line ends, joined again: "locali-" + "sation".

Text laid out in lines breaks long words with a hyphen: a PDF's text layer, and the text
files that `pdftotext`, e-mail and hard-wrapped drafts give. A pattern does not read
"locali- sation", so both the PDF and the text reader join such lines back.
"""

from __future__ import annotations

import re

from tradelens.models import Block

_HYPHEN_END = re.compile(r"[a-zà-ÿ]-$")
_COMPOUND = re.compile(r"[A-Za-zà-ÿ]+-[a-zà-ÿ]+")


def join_hyphenated(blocks: list[Block]) -> list[Block]:
    """The blocks with each line that ends in a hyphenated word joined to the next line
    when that starts in lower case.

    The hyphen stays when the document writes the word with a hyphen elsewhere
    ('cross-' + 'border' where 'cross-border' occurs within a line): a compound split at
    its own hyphen, whose wording the classifier reads.
    """
    compounds = {m.lower() for block in blocks for m in _COMPOUND.findall(block.text)}
    out: list[Block] = []
    for block in blocks:
        previous = out[-1].text.rstrip() if out else ""
        if previous and _HYPHEN_END.search(previous) and block.text[:1].islower():
            head = previous.split()[-1]
            tail = (block.text.split() or [""])[0]
            keep = f"{head}{tail}".lower().strip(".,;:()") in compounds
            out[-1].text = (previous if keep else previous[:-1]) + block.text
            out[-1].footnotes += block.footnotes
        else:
            out.append(block)
    return out

"""Page names for agreements in an output folder that also holds the batch's own pages.

An agreement may be called anything a file or an `Id:` header says, `index` included; its
page must never take the place of `index.html`, `index.md` or `methodology.html`. Ids are
slugs (`[a-z0-9_]`, see tradelens/text/metadata.py), so a reserved id gets an `a-` prefix,
which no slug has; an id that already starts with `a-` (a hand-written report) gets one
too, so two agreements never share a page.
"""

from __future__ import annotations

import re

_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")
#: Stems of the pages a batch writes for itself (HTML site and Markdown summary).
RESERVED = frozenset({"index", "methodology"})


def page_stem(agreement_id: str) -> str:
    """The file stem of one agreement's page (`<stem>.html`, `<stem>.md`)."""
    if agreement_id.lower() in RESERVED or agreement_id.lower().startswith("a-"):
        return f"a-{agreement_id}"
    return agreement_id


def anchor(clause_id: str) -> str:
    """An HTML id for a clause id ("pta_449:a40220:p2" -> "pta_449-a40220-p2")."""
    return _UNSAFE_ID.sub("-", clause_id.lower()).strip("-")

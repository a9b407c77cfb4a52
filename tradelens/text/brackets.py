"""Bracketed drafting: '[A] / [B]' is a choice the Parties have not made yet.

A negotiating text carries its open choices inline. Each option is kept apart as its own
text so that later stages can score "the draft if option 1 wins" against "if option 2
wins". A bracket without an alternative is text not yet agreed; it stays in every option.
"""

from __future__ import annotations

import re

_ALTERNATIVES = re.compile(r"\[[^\[\]]*\](?:\s*/\s*\[[^\[\]]*\])+")
_ONE = re.compile(r"\[([^\[\]]*)\]")


def bracket_options(text: str) -> list[str]:
    """Return one text per option, or [] when the text holds no '[..] / [..]' choice.

    Option k takes the k-th alternative of every choice (the last one where a choice has
    fewer), the convention of drafts that number their options across a chapter.
    """
    choices = [_ONE.findall(match.group(0)) for match in _ALTERNATIVES.finditer(text)]
    if not choices:
        return []
    count = max(len(choice) for choice in choices)
    options = []
    for k in range(count):
        picks = iter([choice[min(k, len(choice) - 1)] for choice in choices])
        chosen = _ALTERNATIVES.sub(lambda _match, picks=picks: next(picks), text)
        chosen = _ONE.sub(lambda match: match.group(1), chosen)
        options.append(" ".join(chosen.split()))
    return options

"""Random texts of the language a parsed regular expression describes, for tests that
check a shortcut against the patterns' plain searches."""

from __future__ import annotations

import random

#: What a wildcard stands for in drawn texts: mostly spaces, so word boundaries hold.
_FILLER = "ab    "


def sample_text(parsed, rng: random.Random) -> str:
    """One random string of the language a parsed regular expression describes (bounded
    repeats; assertions and word boundaries are left to the final search to check)."""
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name in ("ANY", "NOT_LITERAL"):
            out.append(rng.choice(_FILLER))
        elif name == "IN":
            chars = [chr(a) for o, a in arg if str(o) == "LITERAL"]
            chars += [chr(c) for o, a in arg if str(o) == "RANGE" for c in range(a[0], a[1] + 1)]
            if any(str(o) == "NEGATE" for o, _ in arg) or not chars:
                chars = [c for c in _FILLER if c not in chars]
            out.append(rng.choice(chars))
        elif name == "BRANCH":
            out.append(sample_text(rng.choice(arg[1]), rng))
        elif name == "SUBPATTERN":
            out.append(sample_text(arg[-1], rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            count = rng.randint(low, min(high, low + 6))
            out.append("".join(sample_text(body, rng) for _ in range(count)))
        elif name == "CATEGORY":
            out.append("a")
    return "".join(out)

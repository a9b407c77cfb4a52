"""Skip a regular-expression search that cannot match: the words any match must contain.

The taxonomy's patterns are searched about 1.5 million times in a 60-agreement cold run,
nearly always in vain, and Python's `re` scans a case-insensitive pattern character by
character. Most patterns cannot match without one of a few fixed strings ("transfer",
"free flow of ", "computing facilities"); a substring test for those in the lower-cased
text costs a fraction of a scan. `GuardedPattern.search` does that test first and returns
None, as the search would, when none is there; otherwise it searches as before.

Exact, not a heuristic, because each step only ever widens what may match:

* `required_literals` reads the parsed pattern (`re`'s own parser). In a sequence the
  literal runs are candidates, and the one with the longest shortest member is kept; a
  branch needs one of its alternatives' sets (none if any alternative needs none); a group
  or a repeat of at least one needs what its body needs; anything else (classes, `.`,
  optional parts, look-arounds, back-references) breaks a run and needs nothing. The
  whole text is tested, wherever the search starts or ends (`pos`, `endpos`): a string
  that is nowhere in the text is not in any part of it.
* Only characters of `FOLDABLE` enter a literal, and `fold` maps every character that
  `re.IGNORECASE` lets match one of them to that one's folded form (`str.lower`, after
  the few that `re` pairs differently: dotted and dotless i, long s, Kelvin and Angstrom
  signs; then accents dropped and anything else outside ASCII removed), character by
  character, so that a literal in a text is still in the text's fold.
  `tests/test_pattern_guard.py` checks that claim against every code point `re` itself
  matches, and the guard against plain searches.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any

try:  # re's parser: the same tree `re.compile` builds from
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an interpreter without them: no guards
    _parse = _sre = None

#: Characters a literal may contain: ASCII and the accented letters of the taxonomy's
#: languages. Anything else ends a literal run (so it can only make a guard weaker).
FOLDABLE = frozenset(
    " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "áéíóúñüçàèùâêîôûëïÿœæÁÉÍÓÚÑÜÇÀÈÙÂÊÎÔÛËÏŸŒÆ’"
)
#: Characters `re.IGNORECASE` pairs with a FOLDABLE letter that `str.lower` does not
#: lower to it (or, for İ, lowers to two characters).
_PAIRS = (("İ", "i"), ("ı", "i"), ("ſ", "s"), ("\u212a", "k"), ("\u212b", "å"))
#: Literals shorter than this are not worth a guard: they are in nearly every text.
MIN_LENGTH = 3


def fold(text: str) -> str:
    """`text` lower-cased as `re.IGNORECASE` compares letters, accents dropped and every
    other character outside ASCII removed. Each character is mapped on its own (to one
    ASCII character or to none), so a string inside a text stays inside its fold; and a
    pattern whose accented letters also match their bare ones (`text/accents.py`) keeps
    the strings of its accented source."""
    if text.isascii():
        return text.lower()
    for odd, letter in _PAIRS:
        if odd in text:
            text = text.replace(odd, letter)
    return unicodedata.normalize("NFD", text.lower()).encode("ascii", "ignore").decode()


#: The last few texts folded, and their folds: the callers try many patterns in a row on
#: one text, or alternate between a clause and its headings.
_recent: list[tuple[str, str]] = []
_RECENT = 4


def _folded(text: str) -> str:
    """`fold(text)`, remembered for the last `_RECENT` texts (by identity)."""
    for seen, folded in _recent:
        if seen is text:
            return folded
    folded = fold(text)
    _recent.insert(0, (text, folded))
    del _recent[_RECENT:]
    return folded


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Folded strings of which every match of `pattern` contains at least one, or None
    when no such set of useful strings is known."""
    if _parse is None:
        return None
    try:
        tree = _parse.parse(pattern, flags)
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    return _needs(tree)


def _needs(items: Any) -> frozenset[str] | None:  # noqa: ANN401 - a parsed sequence
    """The best set of needed strings of a parsed sequence, or None."""
    return _best(_sequence(list(items)))


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """The option whose shortest string is longest (fewest strings on a tie)."""
    useful = [o for o in options if o and min(map(len, o)) >= MIN_LENGTH]
    if not useful:
        return None
    return max(useful, key=lambda o: (min(map(len, o)), -len(o)))


def _sequence(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Candidate sets for a sequence of parsed items: each literal run, and each item's
    own set."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            options.append(frozenset({fold("".join(run))}))
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL and chr(value) in FOLDABLE:
            run.append(chr(value))
            continue
        if op is _sre.AT:  # \b, ^, $: match no character, so the run goes on
            continue
        close()
        found = _item(op, value)
        if found is not None:
            options.append(found)
    close()
    return options


def _item(op: Any, value: Any) -> frozenset[str] | None:  # noqa: ANN401 - re's tree
    """What one non-literal item needs, or None."""
    if op is _sre.SUBPATTERN:
        return _needs(value[-1])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, _high, body = value
        return _needs(body) if low >= 1 else None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _needs(value)
    if op is _sre.BRANCH:
        union: set[str] = set()
        for alternative in value[1]:
            found = _needs(alternative)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    return None


class GuardedPattern:
    """A compiled pattern whose `search` first looks for the strings any match needs.
    Everything else (`finditer`, `pattern`, ...) is the compiled pattern's own."""

    __slots__ = ("compiled", "needs")

    def __init__(self, compiled: re.Pattern[Any], source: str | None = None) -> None:
        """`source`: the pattern before `accent_tolerant` widened it, whose strings (with
        their accents folded away) every match of the widened one still contains."""
        self.compiled = compiled
        self.needs = (required_literals(source or compiled.pattern, compiled.flags)
                      if isinstance(compiled.pattern, str) else None)

    def search(self, string: str, pos: int = 0,
               endpos: int = sys.maxsize) -> re.Match[str] | None:
        """`re.Pattern.search`, answered None at once when no needed string is there."""
        needs = self.needs
        if needs is not None and isinstance(string, str):
            folded = _folded(string)
            if not any(literal in folded for literal in needs):
                return None
        return self.compiled.search(string, pos, endpos)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GuardedPattern):
            return self.compiled == other.compiled
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.compiled)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - re.Pattern's own
        if name.startswith("__") or name in GuardedPattern.__slots__:
            raise AttributeError(name)  # not forwarded: copy and pickle probe these
        return getattr(self.compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[Any, int, frozenset[str] | None]]:
        return _unpickled, (self.compiled.pattern, self.compiled.flags, self.needs)

    def __repr__(self) -> str:
        return f"GuardedPattern({self.compiled!r})"


#: The patterns this process has unpickled, by source and flags. A batch worker receives
#: the taxonomy with every task: parsing each pattern again for its strings cost about
#: 60 ms a task (docs/performance.md, 0.12.1), and compiling it again is cheap only while
#: `re`'s own cache, 512 patterns shared with every other caller, still holds it.
_UNPICKLED: dict[tuple[Any, int], GuardedPattern] = {}
_UNPICKLED_MAX = 4096


def _unpickled(pattern: str | bytes, flags: int,
               needs: frozenset[str] | None) -> GuardedPattern:
    """A pickled `GuardedPattern`: the one this process already holds for the same source
    and flags, or one built from them and the strings that travelled with it (pickles of
    these patterns live only within one run, between its processes, so the strings are
    the ones `required_literals` gave). Built without `__init__`, so a slot added there
    must be set here too (a test compares every slot)."""
    key = (pattern, flags)
    found = _UNPICKLED.get(key)
    if found is None:
        if len(_UNPICKLED) >= _UNPICKLED_MAX:
            _UNPICKLED.clear()
        found = GuardedPattern.__new__(GuardedPattern)
        found.compiled, found.needs = re.compile(pattern, flags), needs
        _UNPICKLED[key] = found
    return found

"""What one input may cost: every bound on a hostile document, in one place.

Each limit is a setting with a default, read from an environment variable when it is
checked (so a test, a server or a batch script can change it without code); a file over
a limit is refused with an `InputError` naming the file, the limit and the variable that
raises it. docs/security.md lists them and the tests that hold them.

PDF streams are the one cost a file's size does not bound: a few kilobytes of Deflate
can inflate to gigabytes, and pdfminer inflates a whole stream in memory. So before a
PDF reaches pdfplumber, every Deflate stream is inflated here incrementally, in chunks,
and the PDF is refused as soon as the total passes the cap; nothing is kept.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import signal
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The standard library's own regex parser (Python 3.11+), to inspect user patterns.
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

from tradelens.errors import InputError


@dataclass(frozen=True)
class Limit:
    """One documented bound: its environment variable, default and unit."""

    env: str
    default: float
    unit: str
    what: str

    def value(self) -> float:
        """The limit in force: the variable if set to a positive number, else the default."""
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            value = float(raw)
        except ValueError:
            return self.default
        return value if math.isfinite(value) and value > 0 else self.default


MB = 1024 * 1024

FILE_MB = Limit("TRADELENS_MAX_FILE_MB", 100, "MB", "size of one input file")
PDF_PAGES = Limit("TRADELENS_MAX_PAGES", 3000, "pages", "pages in one PDF")
PDF_STREAM_MB = Limit("TRADELENS_MAX_PDF_STREAM_MB", 512, "MB",
                      "inflated size of all Deflate streams of one PDF")
CHARACTERS = Limit("TRADELENS_MAX_CHARACTERS", 30_000_000, "characters",
                   "characters of text in one document")
CLAUSES = Limit("TRADELENS_MAX_CLAUSES", 100_000, "clauses", "clauses in one document")
FILE_SECONDS = Limit("TRADELENS_FILE_SECONDS", 600, "seconds",
                     "time to read, classify and score one file")

ALL = (FILE_MB, PDF_PAGES, PDF_STREAM_MB, CHARACTERS, CLAUSES, FILE_SECONDS)


def _refuse(path: Path, amount: str, limit: Limit) -> InputError:
    value = float(limit.value())
    shown = str(int(value)) if value.is_integer() else f"{value:g}"
    return InputError(path, f"{amount}, over the limit of {shown} {limit.unit} "
                            f"(set {limit.env} to raise it)")


def check_file_size(path: Path, size: int) -> None:
    if size > FILE_MB.value() * MB:
        raise _refuse(path, f"file of {size / MB:.0f} MB", FILE_MB)


def check_characters(path: Path, count: int) -> None:
    if count > CHARACTERS.value():
        raise _refuse(path, f"{count} characters of text", CHARACTERS)


def check_clauses(path: Path, count: int) -> None:
    if count > CLAUSES.value():
        raise _refuse(path, f"{count} clauses", CLAUSES)


def check_pages(path: Path, count: int) -> None:
    if count > PDF_PAGES.value():
        raise _refuse(path, f"PDF of {count} pages", PDF_PAGES)


# -- PDF streams --------------------------------------------------------------------------

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 20


def check_pdf_streams(path: Path) -> None:
    """Inflate every Deflate stream of the PDF in bounded chunks; refuse the file when the
    total passes the cap. Damaged streams are left to the PDF parser to report."""
    cap = int(PDF_STREAM_MB.value() * MB)
    total = 0
    with path.open("rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return
        with data:
            for match in _STREAM.finditer(data):
                total += _inflated_size(data, match.end(), cap - total)
                if total > cap:
                    raise InputError(path, f"PDF streams inflate to more than {cap // MB} "
                                           "MB (a compression bomb?); refused (set "
                                           f"{PDF_STREAM_MB.env} to raise the limit)")


def _inflated_size(data: mmap.mmap, start: int, budget: int) -> int:
    """How many bytes the Deflate stream at `start` inflates to, stopping once past
    `budget`; 0 if it does not start with a zlib header."""
    if start + 2 > len(data):
        return 0
    cmf, flg = data[start], data[start + 1]
    if cmf & 0x0F != 8 or (cmf * 256 + flg) % 31:
        return 0
    inflater = zlib.decompressobj()
    size, at = 0, start
    while size <= budget and not inflater.eof:
        chunk = inflater.unconsumed_tail
        if not chunk:
            if at >= len(data):
                break
            chunk = data[at:at + _CHUNK]
            at += len(chunk)
        try:
            size += len(inflater.decompress(chunk, _CHUNK))
        except zlib.error:  # damaged: the PDF parser will say so
            break
    return size


# -- time ---------------------------------------------------------------------------------

class OutOfTime(Exception):
    """Raised inside a file's analysis when its time budget is spent."""


_budget_active = False

#: Set (to anything) to let an unexpected exception in one file's analysis surface with
#: its traceback, as the test suite does, instead of becoming that file's error line.
STRICT_ENV = "TRADELENS_STRICT"


@contextmanager
def time_budget(path: Path) -> Iterator[None]:
    """Stop one file's work after FILE_SECONDS with an InputError. Uses SIGALRM, so it
    acts only in a main thread (a worker process's tasks run there); elsewhere it is a
    no-op, as it is inside another file budget. Long calls inside C code are interrupted
    when they return to Python."""
    global _budget_active
    seconds = FILE_SECONDS.value()
    if _budget_active or not hasattr(signal, "setitimer") or not _in_main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _budget_active = True
    try:
        yield
    except OutOfTime:
        raise _refuse(path, f"analysis took more than {seconds:g} s", FILE_SECONDS) from None
    finally:
        _budget_active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def guarded_file(path: Path) -> Iterator[None]:
    """One file's work within its time budget, with any exception a reader did not
    anticipate turned into that file's InputError: such an exception is a defect to
    report, but one hostile file must not end a batch of hundreds or a command with a
    traceback. With TRADELENS_STRICT set, it is raised as it is."""
    try:
        with time_budget(path):
            yield
    except InputError:
        raise
    except MemoryError as exc:
        raise InputError(path, "ran out of memory while reading it") from exc
    except RecursionError as exc:
        raise InputError(path, "structure nested too deeply to read") from exc
    except Exception as exc:
        if os.environ.get(STRICT_ENV):
            raise
        raise InputError(path, f"could not be analysed ({type(exc).__name__}: {exc}); "
                               "please report this file") from exc


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# -- regular expressions from a user taxonomy ----------------------------------------------

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", None)} - {None}


def risky_pattern(pattern: str) -> str | None:
    """Why a regular expression may backtrack catastrophically, or None.

    Flags the shape behind most exponential-time regexes: an unbounded repeat whose body
    holds another unbounded repeat and nothing else it must match (`(a+)+`, `(\\w+\\s?)*`,
    `(\\s*\\w+)*`, `(?:x*)*`). A body with a second required part (`(\\d+\\.)+`,
    `(\\w+\\s+)*`) is accepted. A heuristic: overlapping alternatives (`(a|aa)+`) pass.
    """
    parsed = _parsed(pattern)
    return None if parsed is None else _scan(parsed)


_MAY_REPEAT = re.compile(r"[+*]|\{\d*,")


def ambiguous_alternatives(pattern: str) -> str | None:
    """Why a regular expression may backtrack exponentially through a repeated choice
    between two alternatives that match the same text, or None.

    `(?:és|es)+` is fine; widened for bare Spanish (`text/accents.py`) it becomes
    `(?:[ée]s|es)+`, whose alternatives both match "es", and a failing search then tries
    every way of splitting a run of "es". Checked: alternatives made of letters and
    classes of letters, of the same length, under an unbounded repeat, case-insensitively.
    """
    if "|" not in pattern or not _MAY_REPEAT.search(pattern):
        return None  # no choice, or no repeat: nothing to parse
    parsed = _parsed(pattern)
    return None if parsed is None else _scan_choices(parsed, repeated=False)


def _letters(alternative: list) -> list[frozenset[str]] | None:
    """The characters each position of an alternative may be (lower case), if it is made
    of literals and classes of literals and ranges only."""
    out: list[frozenset[str]] = []
    for op, arg in _flatten(alternative):
        if op == sre_constants.LITERAL:
            out.append(frozenset(chr(arg).lower()))
        elif op == sre_constants.IN and all(
                kind in (sre_constants.LITERAL, sre_constants.RANGE) for kind, _ in arg):
            chars: set[str] = set()
            for kind, value in arg:
                codes = [value] if kind == sre_constants.LITERAL else \
                    range(value[0], min(value[1], value[0] + 512) + 1)
                chars.update(chr(code).lower() for code in codes)
            out.append(frozenset(chars))
        else:
            return None
    return out


def _scan_choices(items: list, repeated: bool) -> str | None:
    for op, arg in items:
        if op == sre_constants.BRANCH and repeated:
            shapes = [shape for b in arg[1] if (shape := _letters(list(b)))]
            for n, first in enumerate(shapes):
                for second in shapes[n + 1:]:
                    if len(first) == len(second) and all(a & b for a, b in zip(
                            first, second, strict=True)):
                        return "a repeated choice between alternatives that match the " \
                               "same text"
        inside = repeated or (op in _REPEATS and _unbounded(arg[1]))
        for child in _children(op, arg):
            found = _scan_choices(child, inside)
            if found:
                return found
    return None


def _children(op: object, arg: object) -> list[list]:
    """The item lists directly inside a parsed item: a repeat's body, a group's, each
    alternative of a choice, a lookaround's."""
    if op in _REPEATS:
        return [list(arg[2])]  # type: ignore[index]
    if op == sre_constants.SUBPATTERN:
        return [list(arg[-1])]  # type: ignore[index]
    if op == sre_constants.BRANCH:
        return [list(b) for b in arg[1]]  # type: ignore[index]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [list(arg[1])]  # type: ignore[index]
    return []


@lru_cache(maxsize=16)
def _parsed_tuple(pattern: str) -> tuple | None:
    try:
        return tuple(_sre_parse.parse(pattern))
    except re.error:
        return None  # the caller's compile reports the syntax error


def _parsed(pattern: str) -> list | None:
    """`re`'s parse of `pattern` (None if it does not parse), kept for the few patterns
    last asked for: a taxonomy pattern is checked by `risky_pattern` and
    `ambiguous_alternatives` in turn."""
    parsed = _parsed_tuple(pattern)
    return None if parsed is None else list(parsed)


def _unbounded(max_count: int) -> bool:
    return max_count == sre_constants.MAXREPEAT or max_count > 100


def _optional(item: tuple) -> bool:
    """Whether a parsed item may match nothing (a repeat with minimum 0, or a group or
    alternative made only of such items)."""
    op, arg = item
    if op in _REPEATS:
        return arg[0] == 0 or all(_optional(i) for i in arg[2])
    if op == sre_constants.SUBPATTERN:
        return all(_optional(i) for i in arg[-1])
    if op == sre_constants.BRANCH:
        return any(all(_optional(i) for i in branch) for branch in arg[1])
    return op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def _holds_unbounded(items: list) -> bool:
    for op, arg in items:
        if op in _REPEATS and _unbounded(arg[1]):
            return True
        if op == sre_constants.SUBPATTERN and _holds_unbounded(list(arg[-1])):
            return True
        if op == sre_constants.BRANCH and any(_holds_unbounded(list(b)) for b in arg[1]):
            return True
    return False


def _flatten(items: list) -> list:
    """Items with plain groups opened, so `((a+)b?)` is seen as `a+`, `b?`."""
    out = []
    for op, arg in items:
        if op == sre_constants.SUBPATTERN:
            out.extend(_flatten(list(arg[-1])))
        else:
            out.append((op, arg))
    return out


def _scan(items: list) -> str | None:
    for op, arg in items:
        if op in _REPEATS:
            body = _flatten(list(arg[2]))
            if _unbounded(arg[1]) and _holds_unbounded(body):
                required = [i for i in body if not _optional(i)]
                if not required or (len(required) == 1 and _holds_unbounded(required)):
                    return "an unbounded repeat of a group that itself repeats without " \
                           "a required separator (nested quantifier)"
        for child in _children(op, arg):
            found = _scan(child)
            if found:
                return found
    return None

"""Every hostile file is bounded (issue 15): each limit of tradelens/text/limits.py refuses
its file with one line naming the file, the limit and the setting that raises it.

Each hostile file is read by the real CLI in a child process capped at 2 GB of address
space and given 60 s; running past either is a failure of the test, not a timing claim.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tradelens.errors import SetupError
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy

TWO_GB = 2 * 1024 ** 3


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (TWO_GB, TWO_GB))


def run_bounded(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`tradelens ARGS` in a child with 2 GB of address space and 60 s."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "tradelens.cli", *args], env=environment,
                          capture_output=True, text=True, timeout=60, preexec_fn=_cap_memory)


def one_error(result: subprocess.CompletedProcess[str], path: Path) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith(f"error: {path}:"), lines[0]
    return lines[0]


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table from numbered object bodies."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


def _deflate_bomb(inflated: int) -> bytes:
    """Deflate data that inflates to `inflated` bytes of a repeated text operator."""
    packer = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 72 712 Td (Article 1. Each Party shall allow.) Tj ET\n" * 16384
    parts, left = [], inflated
    while left > 0:
        piece = chunk[:left]
        parts.append(packer.compress(piece))
        left -= len(piece)
    parts.append(packer.flush())
    return b"".join(parts)


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small PDF whose one content stream inflates to 2 GiB."""
    stream = _deflate_bomb(TWO_GB)
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]))
    return path


def test_pdf_stream_bomb_is_refused_within_bounds(pdf_bomb: Path) -> None:
    assert pdf_bomb.stat().st_size < 20 * 1024 * 1024
    line = one_error(run_bounded("segment", str(pdf_bomb)), pdf_bomb)
    assert "inflate to more than 512 MB" in line and "TRADELENS_MAX_PDF_STREAM_MB" in line


def test_pdf_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "long.pdf"
    pdf = canvas.Canvas(str(path))
    for n in range(1, 31):
        pdf.drawString(72, 720, f"Article {n}. The Parties shall cooperate on matter {n}.")
        pdf.showPage()
    pdf.save()
    line = one_error(run_bounded("segment", str(path), TRADELENS_MAX_PAGES="20"), path)
    assert "PDF of 30 pages, over the limit of 20 pages" in line
    assert run_bounded("segment", str(path)).returncode == 0  # under the default


@pytest.fixture(scope="module")
def huge_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 MB of agreement-like text."""
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    block = "".join(f"Article {n}. The Parties shall endeavour to cooperate on electronic "
                    f"commerce and the transfer of information, item {n}.\n"
                    for n in range(1, 10001)).encode()
    with path.open("wb") as handle:
        for _ in range(200 * 1024 * 1024 // len(block) + 1):
            handle.write(block)
    return path


def test_200_mb_text_is_refused_by_size(huge_text: Path) -> None:
    line = one_error(run_bounded("segment", str(huge_text)), huge_text)
    assert "over the limit of 100 MB" in line and "TRADELENS_MAX_FILE_MB" in line


def test_200_mb_text_is_refused_by_characters(huge_text: Path) -> None:
    result = run_bounded("segment", str(huge_text), TRADELENS_MAX_FILE_MB="1000")
    line = one_error(result, huge_text)
    assert "characters of text, over the limit of 30000000 characters" in line
    assert "TRADELENS_MAX_CHARACTERS" in line


def test_too_many_clauses_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("\n\n".join(f"Article {n}: Matter {n}\nThe Parties shall cooperate on "
                                f"matter {n}." for n in range(1, 301)))
    line = one_error(run_bounded("segment", str(path), TRADELENS_MAX_CLAUSES="100"), path)
    assert re.search(r"\b[1-9]\d{2,} clauses, over the limit of 100 clauses", line)


def test_time_budget_per_file() -> None:
    path = SAMPLES / "draft_digital_chapter.txt"
    result = run_bounded("segment", str(path), TRADELENS_FILE_SECONDS="0.001")
    line = one_error(result, path)
    assert "took more than 0.001 s" in line and "TRADELENS_FILE_SECONDS" in line


def test_every_limit_has_a_default_and_is_documented() -> None:
    from tradelens.text.limits import ALL

    doc = (ROOT / "docs" / "security.md").read_text()
    for limit in ALL:
        assert limit.default > 0
        assert f"`{limit.env}`" in doc


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$", r"(?:x*)*y", r"((ab)*c?)+d",
                                     r"(?:\s*\w+)*,"])
def test_catastrophic_patterns_are_flagged(pattern: str) -> None:
    from tradelens.text.limits import risky_pattern

    assert risky_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"\bshall\b", r"(\d+\.)+\d", r"[a-z]+(?:-[a-z]+)*",
                                     r"(?:\w+\s+){0,6}data", r"no party shall.{0,80}locat"])
def test_ordinary_patterns_pass(pattern: str) -> None:
    from tradelens.text.limits import risky_pattern

    assert risky_pattern(pattern) is None


def test_taxonomy_with_a_catastrophic_pattern_is_refused_at_load(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), taxonomy)
    category = taxonomy / "categories" / "server_location.yaml"
    text = category.read_text()
    category.write_text(text.replace("  en:\n", "  en:\n    - '(\\w+\\s?)+servers$'\n", 1))
    with pytest.raises(SetupError, match=r"server_location.yaml: pattern .* refused: .*nested"):
        load_taxonomy(taxonomy)
    load_taxonomy(default_taxonomy_dir())  # every bundled pattern passes


@pytest.mark.parametrize("pattern, ambiguous", [
    ("(?:[ée]s|es)+;", True),          # "(?:és|es)+;" widened for bare Spanish
    ("(?:Es|es)+", True),              # the search ignores case
    ("(?:(?:[ée]s|es)x)+", True),       # a separator does not help: each turn can split
    ("(?:[a-z]s|qs){2,}", True),
    ("(?:[ée]s|as)+;", False),
    ("(?:[ée]s|es)?x", False),         # not repeated
    ("(a|aa)+", False),                # alternatives of different lengths: not checked
    (r"(?:\w+s|es)+", False),          # only letters and classes of letters are compared
])
def test_repeated_choices_between_twins_are_flagged(pattern: str, ambiguous: bool) -> None:
    from tradelens.text.limits import ambiguous_alternatives

    assert bool(ambiguous_alternatives(pattern)) is ambiguous


@pytest.mark.parametrize("pattern, reason", [
    ("(?:és|es)+;", "same text"),
    ("(?x) cross [ ]border # é", "verbose mode"),
    ("(?P<año>x)?(?(año)é|o)", "conditional groups"),
])
def test_taxonomy_patterns_the_accent_rewrite_would_break_are_refused(
        tmp_path: Path, pattern: str, reason: str) -> None:
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), taxonomy)
    category = taxonomy / "categories" / "server_location.yaml"
    category.write_text(category.read_text().replace("  en:\n", f"  en:\n    - '{pattern}'\n",
                                                     1))
    with pytest.raises(SetupError, match=rf"server_location.yaml: pattern .* refused: .*{reason}"):
        load_taxonomy(taxonomy)

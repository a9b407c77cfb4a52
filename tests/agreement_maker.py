"""Small plain-text agreements written on the fly for workspace tests: each has a title,
a date, a cooperation article and one binding data-transfer paragraph whose wording
varies with `n`, so every text (and every clause) is distinct."""

from __future__ import annotations

from pathlib import Path

_SECTORS = ("logistics", "tourism", "agriculture", "textiles", "fisheries", "mining",
            "education", "health", "energy", "construction")


def agreement_text(n: int, agreement_id: str | None = None) -> str:
    sector = _SECTORS[n % len(_SECTORS)]
    header = f"Id: {agreement_id}\n" if agreement_id else ""
    return (
        f"{header}Title: Test Partnership Agreement number {n}\n"
        f"Date signed: {2000 + n % 20}-03-{1 + n % 27:02d}\n\n"
        "CHAPTER 1\nGENERAL PROVISIONS\n\n"
        "Article 1: Objectives\n"
        f"The Parties intend to deepen trade in {sector} services, with review number {n}.\n\n"
        "CHAPTER 2\nELECTRONIC COMMERCE\n\n"
        "Article 2.1: Cooperation\n"
        f"1. The Parties shall endeavour to exchange views on {sector} platforms (item {n}).\n\n"
        "Article 2.2: Transfer of Information\n"
        "1. Each Party shall allow the cross-border transfer of information by electronic "
        f"means, including personal information, for the conduct of {sector} business "
        f"covered by schedule {n}.\n"
    )


def write_agreement(path: Path, n: int, agreement_id: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(agreement_text(n, agreement_id), encoding="utf-8")
    return path

"""`tradelens search` and `lineage` as text: matches with their agreement, date and score."""

from __future__ import annotations

from typing import Any

from tradelens.report.display import excerpt


def render_matches(matches: list[dict[str, Any]]) -> str:
    if not matches:
        return "no match"
    lines = []
    for match in matches:
        tags = f" [{', '.join(match['categories'])}]" if match["categories"] else ""
        score = f", score {match['score']:g}" if match["score"] is not None else ""
        lines += _entry(f"{match['similarity']:.3f}  {match['clause_id']}  "
                        f"({match['date_signed'] or 'undated'}{score}){tags}", match)
    return "\n".join(lines)


def _entry(head: str, match: dict[str, Any], indent: str = "       ") -> list[str]:
    """A heading line, then the agreement and location, then an excerpt of the text."""
    return [head, f"{indent}{match['title'] or match['agreement_id']}: {match['location']}",
            f"{indent}\"{excerpt(match['text'], 160)}\""]


def render_lineage(data: dict[str, Any]) -> str:
    chain = data["chain"]
    if len(chain) == 1:
        return (f"{chain[0]['clause_id']}: no older clause at similarity "
                f">= {data['threshold']:g} in this workspace")
    lines = [f"lineage of {data['clause']['clause_id']} (similarity >= {data['threshold']:g}), "
             "oldest first:"]
    for step in chain:
        link = f"  -> {step['to_next']:.3f} to the next" if step["to_next"] is not None else ""
        lines += _entry(f"{step['date_signed']}  {step['clause_id']}  "
                        f"(similarity {step['similarity']:.3f} to the clause){link}", step)
    return "\n".join(lines)

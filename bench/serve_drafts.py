"""Synthetic negotiating drafts of any length for the `tradelens serve` benchmark and
screenshot: articles built from a pool of clauses written by the team (binding and soft
rules on data flows, localisation and source code, exceptions, scope lines, procedure and
cooperation), varied by a run number so that no run is answered from a cache."""

from __future__ import annotations

_POOL = (
    "Each Party shall allow the cross-border transfer of information by electronic means, "
    "including personal information, when this activity is for the conduct of the business "
    "of a covered person.",
    "No Party shall require a covered person to use or locate computing facilities in that "
    "Party's territory as a condition for conducting business in that territory.",
    "No Party shall require the transfer of, or access to, source code of software owned by "
    "a person of another Party, as a condition for the import, distribution, sale or use of "
    "such software in its territory.",
    "Nothing in this Article shall prevent a Party from adopting or maintaining measures "
    "inconsistent with paragraph 1 to achieve a legitimate public policy objective, provided "
    "that the measure does not impose restrictions greater than are required to achieve the "
    "objective.",
    "The Parties shall endeavour to cooperate on building the capacity of small and "
    "medium-sized enterprises to take part in trade by electronic means.",
    "Each Party shall publish its measures of general application relating to this Chapter "
    "promptly and, where practicable, online.",
    "The Parties recognise the importance of consumer protection in online commerce and "
    "shall exchange information on their experience of enforcing it.",
    "This Chapter shall not apply to government procurement or to information held or "
    "processed by or on behalf of a Party.",
    "Each Party shall maintain a legal framework that provides for the protection of the "
    "personal information of the users of electronic commerce.",
    "A Party may request consultations with another Party on any matter arising under this "
    "Chapter, and the other Party shall give the request sympathetic consideration.",
)


def draft_text(clauses: int, run: int = 0) -> str:
    """A draft of exactly `clauses` numbered paragraphs, five to an article."""
    lines = [f"Id: bench_draft_{clauses}_{run}",
             f"Title: Benchmark draft, {clauses} clauses (run {run})",
             "Parties: Aurelia, Fennora", "", "CHAPTER 7", "DIGITAL TRADE", ""]
    for i in range(clauses):
        if i % 5 == 0:
            lines += ["", f"Article 7.{i // 5 + 1}: Provisions of group {i // 5 + 1}"]
        text = _POOL[(i * 7 + run) % len(_POOL)]
        lines.append(f"{i % 5 + 1}. {text[:-1]}, as set out in schedule {run}-{i}.")
    return "\n".join(lines) + "\n"

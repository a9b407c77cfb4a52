"""Classification: clauses -> findings (category, strength, confidence, evidence) and the
modifiers that soften them, from the taxonomy's cues, modality phrases and exemplars.

`clauses.py` decides per clause and category; `modality.py` reads how binding a sentence
is; `exemplars.py` finds the nearest team-written exemplars; `modifiers.py` finds and links
exceptions, scope limits and enforceability rules.
"""

from tradelens.classify.clauses import Classification, Classifier, Decision

__all__ = ["Classification", "Classifier", "Decision"]

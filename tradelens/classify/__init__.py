"""Classification: clauses -> findings (category, strength, confidence, evidence) and the
modifiers that soften them, from the taxonomy's cues, modality phrases and exemplars.

`clauses.py` decides per clause and category (`decision.py` holds what it decided and
why); `modality.py` reads how binding a sentence is; `reopen.py` lets the learned
commitment reader (`commitment.py`) look again where no wording was found; `exemplars.py`
finds the nearest team-written exemplars; `modifiers.py` finds and links exceptions, scope
limits and enforceability rules.
"""

from tradelens.classify.clauses import Classifier
from tradelens.classify.decision import Classification, Decision

__all__ = ["Classification", "Classifier", "Decision"]

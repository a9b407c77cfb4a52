"""The learned commitment reader: does a clause commit a Party where the rules see no wording?

Modality is read from the taxonomy's phrases (`modality.py`), and a clause on a category's
topic whose wording none of them matches is decided "no commitment". On texts the phrases
were not written from, that is where about half of the misses fall: impersonal and nominal
prohibitions ("shall not be made conditional on", "L'imposition ... est prohibée"),
permissions granted to the trader ("tendrán la libertad de elegir"), commitments in
translated drafting. Each new phrase fixed one set and did not carry to the next.

This reader looks at those decisions only, and learns from the team's labelled clauses: a
logistic regression over the multilingual encoder's vector of the clause (the same for
every language) and the category gives P(the clause commits on the category); at
`commitment_threshold` (a taxonomy setting) the decision becomes a finding, and a second
regression over the same features gives its strength (hard or soft). A decision the rules
read as negated ("Nothing in this Chapter obliges ...") is never reopened, nor is a clause
with a negation phrase in any sentence, nor a text of fewer than `commitment_min_words`
words outside its headings (a list item has no verb to commit with). It reads the whole
clause where the rules know no binding or best-endeavour phrase anywhere in it; where
they know one outside the topic's sentences (a binding sentence on
another matter beside the topic's), that wording stays theirs and the reader reads the
topic's sentences alone (`reopen.reader_text`). "No wording" still covers a
permission a Party holds, which the rules drop on purpose (docs/evaluation.md says how
the reader, its gate and what it reads were judged). The
finding's confidence is the topic probability times P(commitment), and its decision says
that no wording the rules know was found, so a reader knows where to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tradelens.taxonomy import Taxonomy

#: The reason `Classifier._decide` gives when no binding or best-endeavour phrase matches:
#: the only "no commitment" the reader may reopen.
NO_WORDING = "no binding or best-endeavour wording in the sentence"
#: The multilingual vectors weigh this much against the category indicators.
VECTOR_SCALE = 5.0
#: The reader's taxonomy settings (`classifier` in taxonomy.yaml) when it leaves them out;
#: `commitment_reader` itself is off unless the taxonomy turns it on.
DEFAULTS = {"commitment_threshold": 0.8, "commitment_min_words": 6,
            "commitment_topic_floor": 0.0}


def commitment_setting(taxonomy: Taxonomy, name: str) -> float:
    """`commitment_threshold`, `commitment_min_words` or `commitment_topic_floor`, as the
    taxonomy sets it."""
    return float(taxonomy.classifier.get(name, DEFAULTS[name]))


def commitment_reads(taxonomy: Taxonomy) -> str:
    """`commitment_reads`: what the reader reads of a clause whose wording the rules set
    aside (`reopen.reader_text`): "clause" (nothing: such a clause is not reopened) or
    "topic_sentences" (the sentences that name the topic)."""
    return str(taxonomy.classifier.get("commitment_reads", "clause"))


@dataclass(frozen=True, eq=False)
class CommitmentReader:
    """Two logistic regressions over [VECTOR_SCALE x vector, one-hot category]."""

    categories: tuple[str, ...]
    #: (features + 1,) weights of P(commitment), intercept last.
    commit: np.ndarray
    #: (features + 1,) weights of P(hard | commitment), intercept last.
    hard: np.ndarray
    #: The multilingual encoder the vectors come from (its weights id).
    encoder_id: str

    def features(self, vectors: np.ndarray, categories: list[str]) -> np.ndarray:
        indicators = np.array([[float(c == k) for k in self.categories] for c in categories],
                              dtype=np.float64).reshape(len(categories), len(self.categories))
        return np.hstack([np.asarray(vectors, dtype=np.float64) * VECTOR_SCALE, indicators])

    def read(self, vectors: np.ndarray, categories: list[str],
             ) -> tuple[np.ndarray, np.ndarray]:
        """(P(commitment), P(hard)) per (vector, category) pair."""
        return self.read_features(self.features(vectors, categories))

    def read_features(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(commitment), P(hard)) per row of features (`features`)."""
        return _sigmoid(x @ self.commit[:-1] + self.commit[-1]), \
            _sigmoid(x @ self.hard[:-1] + self.hard[-1])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))

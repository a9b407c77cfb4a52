"""How the transformers' inputs are grouped into batches (`vectors/encoder.token_batches`):
every input once, longest first, no batch past its padded-token budget unless an input is
longer than the budget on its own."""

from __future__ import annotations

import random

from tradelens.vectors.encoder import token_batches


def test_every_input_once_longest_first_within_the_budget():
    lengths = [random.Random(n).randint(3, 600) for n in range(300)]
    batches = token_batches(lengths, max_rows=16, max_tokens=256)
    flat = [row for batch in batches for row in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[r] for r in flat] == sorted(lengths, reverse=True)
    for batch in batches:
        padded = len(batch) * lengths[batch[0]]
        assert len(batch) <= 16
        assert padded <= 256 or len(batch) == 1


def test_short_inputs_share_a_batch_and_long_ones_run_alone():
    batches = token_batches([500, 20, 300, 20, 20, 20], max_rows=3, max_tokens=256)
    assert batches == [[0], [2], [1, 3, 4], [5]]
    assert token_batches([]) == []

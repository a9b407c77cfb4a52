"""The commands beyond `analyse`, one module each, callable from Python and from the CLI:
`compare`, `check`, `explain`, `evaluate`, `search` (text rendering of workspace queries),
and `inputs` (what a user may name as an agreement)."""

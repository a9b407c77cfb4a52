"""Reports: the contract (`contract.py`) and one writer per output format.

Kept free of heavy imports: the CLI reads `FORMATS` to check `--format` at once.
"""

FORMATS = ("json", "md", "csv", "html")

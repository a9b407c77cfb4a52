"""Renderers: the JSON contract, CSV tables, Markdown summaries and the HTML scorecard."""

FORMATS = ("json", "md", "csv", "html")

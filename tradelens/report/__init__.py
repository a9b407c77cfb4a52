"""Renderers: the JSON contract, CSV tables and Markdown summaries."""

FORMATS = ("json", "md", "csv")

"""TradeLens: how much digital industrial-policy space a trade agreement leaves."""

__version__ = "0.2.0"

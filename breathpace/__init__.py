"""breathpace: a breath-paced guided exercise player for the terminal."""

__version__ = "0.1.0"

"""Helpers shared by the notes service."""

VERSION = "0.1.0"


def slug(text: str) -> str:
    return "-".join(text.lower().split())

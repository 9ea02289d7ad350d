"""Near-duplicate fingerprints for grouping articles into stories (placeholder)."""

from __future__ import annotations


def fingerprint(text: str) -> list[int]:
    return []

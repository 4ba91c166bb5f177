"""Words for counts, shared by the reports, the support case and the pictures.

>>> plural(1, "IP"), plural(2, "IP"), plural(2, "address"), plural(2, "AZ loss", "AZ losses")
('1 IP', '2 IPs', '2 addresses', '2 AZ losses')
"""

from __future__ import annotations


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1: ``words`` when given, else
    ``word`` plus ``es`` after an ``s`` and ``s`` otherwise."""
    if n == 1:
        return f"{n:,} {word}"
    return f"{n:,} {words or word + ('es' if word.endswith('s') else 's')}"

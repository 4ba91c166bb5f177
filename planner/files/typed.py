"""What options spell in text: ``REGION=N``, ``N=PERCENT``, ``--azs N``, whole numbers.

The command line hands these texts over as typed, and the library's functions take
the same texts (or the values they stand for), so a notebook and a command line get the
same checks and the same messages, each naming the field and the text as written.

>>> pairs("held", ["us-east-1=4", "eu-west-1/bulk = 2"], "REGION=N")
{'us-east-1': '4', 'eu-west-1/bulk': '2'}
>>> azs(["3"]), azs(["us-east-1=4", "eu-west-1=2"])
('3', {'us-east-1': '4', 'eu-west-1': '2'})
>>> partway(["2=40", "1=15"])
[(2, 40), (1, 15)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from planner.errors import InputError


@overload
def whole(field: str, text: None) -> None: ...
@overload
def whole(field: str, text: int | str) -> int: ...
@overload
def whole(field: str, text: Any) -> int | None: ...
def whole(field: str, text: Any) -> int | None:
    """A whole number as typed (``None`` stays ``None``), by ipcost's one rule
    (:func:`planner.model.checks.as_int`); anything else names the field."""
    if text is None:
        return None
    if isinstance(text, str):
        try:  # digits are read exactly, however large: the caller's limit names the value
            return int(text.strip())
        except ValueError:
            pass
    from planner.model.checks import as_int

    try:
        return int(as_int(field, text))
    except InputError:  # named as typed: '2.5', 'two'
        raise InputError(field, text, "expected a whole number") from None


def pairs(field: str, texts: Sequence[str], form: str) -> dict[str, str]:
    """``NAME=VALUE`` texts as ``{name: value}`` (both stripped); ``form`` says what is
    expected in an error."""
    out: dict[str, str] = {}
    for text in texts:
        name, sep, value = str(text).partition("=")
        if not sep:
            raise InputError(field, text, f"expected {form}")
        out[name.strip()] = value.strip()
    return out


def azs(texts: Sequence[str] | None) -> str | dict[str, str] | None:
    """``--azs N`` (every Region) or ``--azs REGION=N``, repeatable; the values are
    checked by the resolver, which names the Region's table count."""
    if not texts:
        return None
    if len(texts) == 1 and "=" not in texts[0]:
        return texts[0]
    return pairs("azs", texts, "N alone, or REGION=N for each Region")


def partway(texts: Sequence[Any]) -> list[tuple[int, int]]:
    """IPs partway through warm-up, ``N=PERCENT`` each (or (N, PERCENT) pairs as they are);
    the counts and percentages are checked by :func:`planner.warmup`."""
    out: list[tuple[int, int]] = []
    for item in texts:
        if isinstance(item, tuple | list):
            out.append((item[0], item[1]))
            continue
        count, sep, percent = str(item).partition("=")
        if not sep:
            raise InputError("partway", item, "expected N=PERCENT, such as 2=40")
        out.append((whole("partway", count.strip()), whole("partway", percent.strip())))
    return out

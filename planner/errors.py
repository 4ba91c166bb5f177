"""The errors ipcost raises for bad input.

Every error a user can cause is a :class:`PlannerError`. The command line turns
each one into a single ``Error: ...`` line on stderr and exit status 1; library
callers catch them like any ``ValueError`` or ``KeyError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PlannerError(Exception):
    """Something the user gave ipcost cannot be used as it is."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class InputError(PlannerError, ValueError):
    """A value is outside what the model allows.

    ``field`` is the setting's name in the shared vocabulary (``rate``,
    ``utilization``, ...), which is also the command-line option's name.
    """

    def __init__(
        self,
        field: str,
        value: object,
        allowed: str,
        *,
        missing: bool = False,
        where: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.where = where
        what = " is missing" if missing else f": {_show(value)} is not allowed"
        super().__init__(f"{_at(where)}{field}{what}; {allowed}")


class UnknownNameError(PlannerError, KeyError):
    """A name (Region, profile, price) is not in the reference table."""

    def __init__(
        self, field: str, value: str, known: Iterable[str], *, where: str | None = None
    ) -> None:
        self.field = field
        self.value = value
        self.where = where
        known = sorted(known)
        folded = {k.casefold(): k for k in known}
        close = [
            folded[c]
            for c in difflib.get_close_matches(str(value).casefold(), folded, n=3, cutoff=0.5)
        ]
        hint = (
            f"did you mean {' or '.join(close)}?"
            if close
            else f"known: {', '.join(known) if len(known) <= 12 else ', '.join(known[:12]) + ', ...'}"
        )
        super().__init__(f"{_at(where)}{field}: unknown {value!r}; {hint}")


class DataFileError(PlannerError, ValueError):
    """A data file (price book, Region table, plan) is missing or malformed."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


class PriceNotFoundError(PlannerError, KeyError):
    """The price book has no price in force for a SKU, Region and date."""


def _at(where: str | None) -> str:
    """``where`` the value came from (a file and entry), as a message prefix."""
    return f"{where}: " if where else ""


def _show(value: object) -> str:
    """A value as a user wrote it: text quoted, a boolean as true or false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return str(value)


class AwsError(PlannerError):
    """An AWS call the snapshot makes failed in a way the user can act on: credentials,
    permissions, a Region without SES, throttling that outlasted the retries."""

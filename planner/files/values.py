"""Setting values as written: each checked once, with the same words wherever it came from.

A :class:`Layer` holds the values of one place (the command line or library keywords,
a plan's ``[defaults]``, one ``[[regions]]`` entry); :func:`check_layer` checks and
parses each value it gives (what needs no Region: numbers in range, a known profile,
a choice). An error names the layer and the value as the user wrote it. The resolver
(:mod:`planner.scenario.settings`) picks values from checked layers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from planner.errors import InputError, UnknownNameError
from planner.files.tables import load_profiles
from planner.model import limits, sizing
from planner.model.fees import DAY_COUNTS, LEASE_PRORATIONS

#: Sizing settings: allowed as options, in a plan's [defaults] and in each [[regions]] entry.
SIZING_SETTINGS = (
    "per_ip_rate",
    "profile",
    "utilization",
    "min_per_region",
    "az_failures",
    "azs",
    "peak_factor",
)
#: Billing settings: options and a plan's [defaults] (one convention per budget).
BILLING_SETTINGS = ("day_count", "lease_proration")
#: Warm-up settings: options and a plan's [defaults].
WARMUP_SETTINGS = ("curve",)
#: Schedule timing: days a support case takes, and days worth keeping an IP through a gap.
SCHEDULE_SETTINGS = ("lead_days", "keep_days")
#: SES pricing plans, get-account's names in lower case (``none``: a la carte).
PRICING_PLANS = ("none", "essentials", "pro", "enterprise")
GIVEN = "given"
DEFAULT = "default"


@dataclass(frozen=True)
class Layer:
    """Values from one place: ``where`` is ``None`` for options and keywords, else a label
    such as ``plan.toml, [defaults]``. ``None`` values count as not given."""

    where: str | None
    values: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    @property
    def origin(self) -> str:
        return GIVEN if self.where is None else self.where


# ----------------------------------------------------------------------------- checks


class _Typed(str):
    """A number as the user typed it (``"0.0"``), shown in a message without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def raw_number(field: str, raw: Any, where: str | None, whole: bool) -> float:
    kind = "a whole number" if whole else "a number"
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputError(field, raw, f"expected {kind}", where=where)
    if isinstance(raw, int):
        return raw
    try:
        value = float(raw)
    except ValueError:
        raise InputError(field, raw, f"expected {kind}", where=where) from None
    if whole and not (math.isfinite(value) and value.is_integer()):
        raise InputError(field, as_typed(raw), f"expected {kind}", where=where)
    return value


def as_typed(raw: Any) -> Any:
    """A value for a message, as written: a typed number unquoted, a float without
    numpy's dressing (``300``, ``1e+20``, ``nan``)."""
    if isinstance(raw, str):
        return _Typed(raw.strip())
    if isinstance(raw, np.generic):
        raw = raw.item()
    if isinstance(raw, float):
        return _Typed(str(int(raw)) if raw.is_integer() and abs(raw) < 2**53 else repr(raw))
    return raw


def _number(
    field: str, ok: Callable[[float], bool], allowed: str, *, whole: bool = False
) -> Callable[[Any, str | None], Any]:
    def check(raw: Any, where: str | None) -> Any:
        value = raw_number(field, raw, where, whole)
        if not (math.isfinite(value) and ok(value)):
            raise InputError(field, as_typed(raw), allowed, where=where)
        return int(value) if whole else float(value)

    return check


def _choice(field: str, allowed: tuple[str, ...]) -> Callable[[Any, str | None], str]:
    def check(raw: Any, where: str | None) -> str:
        if not isinstance(raw, str) or raw.strip().lower() not in allowed:
            raise InputError(field, raw, f"expected one of {', '.join(allowed)}", where=where)
        return raw.strip().lower()

    return check


_PER_IP_ALLOWED = (
    f"expected {limits.MIN_PER_IP_RATE:g} to {limits.MAX_PER_IP_RATE:,} [msg/s], a number or a "
    "ratio such as 3000000/86400"
)
_PER_IP_NUMBER = _number(
    "per_ip_rate", lambda v: limits.MIN_PER_IP_RATE <= v <= limits.MAX_PER_IP_RATE, _PER_IP_ALLOWED
)


def _per_ip_rate(raw: Any, where: str | None) -> Fraction:
    """A per-IP rate, exactly: a number as typed, or a ratio (``"625/18"``, a
    :class:`~fractions.Fraction`), which is how results report a rate with no finite
    decimal, so that a reported rate typed back gives the same IPs."""
    if not isinstance(raw, Fraction) and not (isinstance(raw, str) and "/" in raw):
        value = _PER_IP_NUMBER(raw, where)
        return sizing.exact(value)
    try:
        num, den = sizing.exact_parts("per_ip_rate", raw)
    except InputError as exc:
        raise InputError("per_ip_rate", as_typed(raw), exc.allowed, where=where) from None
    value = sizing.exact(num) / sizing.exact(den)
    if not limits.MIN_PER_IP_RATE <= value <= limits.MAX_PER_IP_RATE:
        raise InputError("per_ip_rate", as_typed(raw), _PER_IP_ALLOWED, where=where)
    return value


def _profile(raw: Any, where: str | None) -> str:
    profiles = load_profiles()
    if not isinstance(raw, str) or raw.strip() not in profiles.names:
        raise UnknownNameError("profile", str(raw), profiles.names, where=where)
    return raw.strip()


def _curve(raw: Any, where: str | None) -> str:
    """A curve's name; which names exist depends on the warm-up table in use, so
    :func:`warmup_curve` looks it up."""
    if not isinstance(raw, str) or not raw.strip():
        raise InputError("curve", raw, "expected the name of a warm-up curve", where=where)
    return raw.strip()


def _azs(raw: Any, where: str | None) -> Any:
    if isinstance(raw, Mapping):
        return {str(k).strip(): _AZ_COUNT(v, where) for k, v in raw.items()}
    return _AZ_COUNT(raw, where)


_AZ_COUNT = _number(
    "azs", lambda v: 1 <= v <= limits.MAX_AZS,
    f"expected 1 to {limits.MAX_AZS} Availability Zones", whole=True,
)  # fmt: skip

#: A peak send rate, shown as written in a message (the sizing call checks its own).
CHECK_RATE = _number(
    "rate", lambda v: 0 < v <= limits.MAX_RATE,
    f"expected a number greater than 0, at most {limits.MAX_RATE:,} [msg/s]",
)  # fmt: skip

#: The checks that need no Region: one per setting.
CHECKS: dict[str, Callable[[Any, str | None], Any]] = {
    "per_ip_rate": lambda raw, where: _per_ip_rate(raw, where),
    "profile": _profile,
    "utilization": _number(
        "utilization",
        lambda v: 0 < v <= 1,
        "expected a fraction greater than 0 and at most 1 (0.8 = 80 % of per-IP rate)",
    ),
    "min_per_region": _number(
        "min_per_region", lambda v: 0 <= v <= limits.MAX_IPS,
        f"expected 0 to {limits.MAX_IPS:,} IPs", whole=True,
    ),
    "az_failures": _number(
        "az_failures", lambda v: 0 <= v < limits.MAX_AZS,
        f"expected 0 to {limits.MAX_AZS - 1} (fewer than the usable AZs)", whole=True,
    ),
    "azs": _azs,
    "peak_factor": _number(
        "peak_factor", lambda v: 1 <= v <= limits.MAX_PEAK_FACTOR,
        f"expected a ratio of peak to average rate of 1 to {limits.MAX_PEAK_FACTOR:,}",
    ),
    "curve": _curve,
    "day_count": _choice("day_count", DAY_COUNTS),
    "lease_proration": _choice("lease_proration", LEASE_PRORATIONS),
    **{
        name: _number(name, lambda v: 0 <= v <= limits.MAX_LEAD_DAYS,
                      f"expected 0 to {limits.MAX_LEAD_DAYS:,} days", whole=True)
        for name in SCHEDULE_SETTINGS
    },
}  # fmt: skip


def check_layer(
    layer: Layer,
    names: Sequence[str] = SIZING_SETTINGS + BILLING_SETTINGS + WARMUP_SETTINGS + SCHEDULE_SETTINGS,
) -> Layer:
    """The layer with every value it gives checked and parsed (what needs no Region).

    A layer that gives both ``per_ip_rate`` and ``profile`` is an error.
    """
    values = {n: CHECKS[n](layer.get(n), layer.where) for n in names if layer.get(n) is not None}
    if "per_ip_rate" in values and "profile" in values:
        raise InputError(
            "profile",
            layer.get("profile"),
            "a per-IP rate was given too; give a per-IP rate or a profile",
            where=layer.where,
        )
    return Layer(layer.where, values)

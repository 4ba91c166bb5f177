"""Sizing: how many dedicated IPs a send rate needs, and what a fleet carries.

Vocabulary (shared by the library, the plan file, the CLI and the JSON):
``rate`` [msg/s] peak send rate; ``per_ip_rate`` [msg/s] what one warm IP sends at
full use; ``utilization`` [0-1] the share of that the plan may use;
``min_per_region`` [IPs]; ``azs`` [AZs] usable Availability Zones;
``az_failures`` [AZs] how many AZ losses the fleet must survive.

Every function takes scalars or arrays (numpy arrays, pandas Series, lists) that
broadcast together and returns a numpy array, or a numpy scalar for scalar input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.model import limits
from planner.model.arrays import FloatArray, IntArray, Numbers
from planner.model.checks import as_float, as_int, require
from planner.model.zones import AZS_ALLOWED, ips_lost

if TYPE_CHECKING:
    from fractions import Fraction


SECONDS_PER_DAY = 86_400

#: A float quotient this close (relative) to a whole number is settled exactly. Binary
#: floats make 315 / (45 * 0.7) come out as 10.000000000000002; the exact quotient of
#: the decimals as typed is 10. A product of a few floats is off by well under 1e-15
#: relative, so outside this window the float ceiling is already the exact one.
NEAR_WHOLE = 1e-9


def _scalar_or_array(arr: npt.NDArray[Any]) -> Any:
    return arr if arr.ndim else arr[()]


def check_rate(field: str, rate: Any) -> FloatArray:
    """``rate`` as floats; every value must be a finite number above 0."""
    arr = as_float(field, rate)
    if field == "per_ip_rate":
        lo, hi = limits.MIN_PER_IP_RATE, limits.MAX_PER_IP_RATE
        require(field, arr, (arr >= lo) & (arr <= hi), f"expected {lo:g} to {hi:,} [msg/s]")
    else:
        require(
            field,
            arr,
            (arr > 0) & (arr <= limits.MAX_RATE),
            f"expected a number greater than 0, at most {limits.MAX_RATE:,} [msg/s]",
        )
    return arr


def check_utilization(utilization: Any) -> FloatArray:
    arr = as_float("utilization", utilization)
    require(
        "utilization",
        arr,
        (arr > 0) & (arr <= 1),
        "expected a fraction greater than 0 and at most 1 (0.8 = 80 % of per-IP rate)",
    )
    return arr


def rate_from_volume(daily_volume: Numbers, peak_factor: Numbers = 1.0) -> Any:
    """Peak send rate from a daily volume: ``R = V / 86400 * p``. [msg/s]

    Parameters
    ----------
    daily_volume : float or array_like
        Messages sent in a day, greater than 0. [messages/day]
    peak_factor : float or array_like
        Peak rate over the day's average rate, at least 1. [ratio]

    >>> float(rate_from_volume(8_640_000, 2.5))
    250.0
    """
    volume = as_float("daily_volume", daily_volume)
    require(
        "daily_volume",
        volume,
        np.isfinite(volume) & (volume > 0),
        "expected a number of messages a day greater than 0",
    )
    peak = as_float("peak_factor", peak_factor)
    require(
        "peak_factor",
        peak,
        np.isfinite(peak) & (peak >= 1),
        "expected a ratio of peak to average rate of at least 1",
    )
    return _scalar_or_array(volume / SECONDS_PER_DAY * peak)


def exact(value: Any) -> Fraction:
    """The decimal a float was typed as, exactly: its shortest round-tripping form.

    >>> exact(0.7), exact(1375.000001), exact(3)
    (Fraction(7, 10), Fraction(1375000001, 1000000), Fraction(3, 1))
    """
    from fractions import Fraction  # only for the rare near-whole quotient

    return Fraction(repr(float(value)))


def decimal_parts(values: Any) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Each float as the decimal it was typed as: ``mantissa / 10**exponent``, vectorised.

    The exponent is the fewest decimal places that give the float back. A decimal of
    at most 15 significant digits is the only one of its length that reads as its
    float, so the parts are the typed decimal exactly; ``found`` is False for any
    float that needs more digits (its parts are then 0).

    >>> [a.tolist() for a in decimal_parts([0.7, 1375.000001, 12.5, 3.0])]
    [[7, 1375000001, 125, 3], [1, 6, 1, 0], [True, True, True, True]]
    """
    x = np.atleast_1d(np.asarray(values, dtype=np.float64))
    mantissa = np.zeros(x.shape, dtype=np.int64)
    exponent = np.zeros(x.shape, dtype=np.int64)
    found = np.zeros(x.shape, dtype=bool)
    for places in range(16):
        scale = 10.0**places
        scaled = np.rint(x * scale)
        hit = ~found & (np.abs(scaled) < 1e15) & (scaled / scale == x)
        mantissa[hit] = scaled[hit].astype(np.int64)
        exponent[hit] = places
        found |= hit
        if found.all():
            break
    return mantissa, exponent, found


_POWERS_OF_TEN = np.array([10**k for k in range(16 * 8)], dtype=object)


def ceil_ratio(numerators: Sequence[Any], denominators: Sequence[Any]) -> IntArray:
    """``ceil(prod(numerators) / prod(denominators))``, exact on the decimals as typed.

    Every factor is a float (or array of floats) standing for the decimal it was
    typed as (see :func:`exact`). The quotient is computed in floats, vectorised;
    the elements within :data:`NEAR_WHOLE` of a whole number are settled again in
    integer arithmetic on the decimals' mantissas (:func:`decimal_parts`), still
    vectorised, so 1375.000001 / (12.5 x 0.55) = 200.000000145... is 201 and
    315 / (45 x 0.7) is exactly 10. A factor of more than 15 significant digits is
    settled as a :class:`~fractions.Fraction` of its shortest form. Factors must be
    finite and positive, at most eight of them.

    >>> ceil_ratio([1375.000001], [12.5, 0.55]).tolist(), ceil_ratio([315], [45, 0.7]).tolist()
    (201, 10)
    """
    factors = np.broadcast_arrays(
        *(np.asarray(f, dtype=np.float64) for f in (*numerators, *denominators))
    )
    top, bottom = factors[: len(numerators)], factors[len(numerators) :]
    quotient = np.prod(top, axis=0) / np.prod(bottom, axis=0)
    n = np.atleast_1d(np.ceil(quotient)).reshape(-1)
    near = np.flatnonzero(
        np.abs(quotient - np.rint(quotient)) <= NEAR_WHOLE * np.maximum(np.abs(quotient), 1)
    )
    if near.size:
        # quotient = (prod top mantissas x 10**places below) / (prod bottom x 10**places above)
        a = np.ones(near.size, dtype=object)
        b = np.ones(near.size, dtype=object)
        places_top = np.zeros(near.size, dtype=np.int64)
        places_bottom = np.zeros(near.size, dtype=np.int64)
        typed = np.ones(near.size, dtype=bool)
        for group, product, places in ((top, a, places_top), (bottom, b, places_bottom)):
            for f in group:
                mantissa, exponent, found = decimal_parts(f.reshape(-1)[near])
                product *= mantissa.astype(object)
                places += exponent
                typed &= found
        a = a * _POWERS_OF_TEN[places_bottom]
        b = np.where(typed, b * _POWERS_OF_TEN[places_top], 1)  # untyped: settled below
        n[near] = (-(-a // b)).astype(np.float64)  # exact integer ceiling, then stored
        for i in near[~typed]:  # more than 15 significant digits: the slow exact way
            ratio = exact(1)
            for f in top:
                ratio *= exact(f.reshape(-1)[i])
            for f in bottom:
                ratio /= exact(f.reshape(-1)[i])
            n[i] = -(-ratio.numerator // ratio.denominator)
    return n.reshape(quotient.shape).astype(np.int64)


def _decimal_places(denominator: int) -> int | None:
    """How many decimal places a fraction of this (reduced) denominator has; None when its
    decimal never ends."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def exact_text(value: Fraction) -> str:
    """An exact quantity as text that :func:`as_ratio` reads back to the same value: the
    decimal when it has one (``"40"``, ``"34.5"``), else ``"numerator/denominator"``.

    >>> from fractions import Fraction
    >>> exact_text(Fraction(40)), exact_text(Fraction(69, 2)), exact_text(Fraction(3_000_000, 86_400))
    ('40', '34.5', '625/18')
    """
    places = _decimal_places(value.denominator)
    if places is None:
        return f"{value.numerator}/{value.denominator}"
    digits = str(abs(value.numerator) * 10**places // value.denominator).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    if not places:
        return sign + digits
    return sign + (digits[:-places] + "." + digits[-places:]).rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Ratio:
    """An exact quantity: ``prod(top) / prod(bottom)``, each factor a float (or array of
    floats) standing for the decimal it was typed as; arrays broadcast.

    Rates from a daily volume (``V x p / 86400``) and per-IP rates from a profile
    (``M / 86400``) are ratios, so the one sizing call divides exactly.
    """

    top: tuple[Any, ...]
    bottom: tuple[Any, ...] = ()

    def value(self) -> FloatArray:
        """The quantity as floats (for checks and reports, never for a ceiling)."""
        top = np.prod(
            np.broadcast_arrays(*(np.asarray(f, dtype=np.float64) for f in self.top)), axis=0
        )
        if not self.bottom:
            return np.asarray(top, dtype=np.float64)
        bottom = np.prod(
            np.broadcast_arrays(*(np.asarray(f, dtype=np.float64) for f in self.bottom)), axis=0
        )
        return np.asarray(top / bottom, dtype=np.float64)


def exact_parts(field: str, value: Any) -> tuple[float, float]:
    """A Fraction, a ``"a/b"`` text or a number as (numerator, denominator) floats that
    each stand for a decimal exactly."""
    from fractions import Fraction

    if isinstance(value, Fraction):
        if _decimal_places(value.denominator) is not None:  # a decimal: its float reads back
            return float(value), 1.0
        if max(abs(value.numerator), value.denominator) > 2**53:
            raise InputError(field, str(value), "expected a fraction of whole numbers of at most "
                             f"{2**53:,}")  # fmt: skip
        return float(value.numerator), float(value.denominator)
    if isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        try:
            num, den = float(top), float(bottom)
        except ValueError:
            raise InputError(field, value, "expected a number or a ratio such as "
                             "3000000/86400") from None  # fmt: skip
        if not (math.isfinite(num) and math.isfinite(den) and den > 0):
            raise InputError(field, value, "expected a ratio of finite numbers, the second "
                             "greater than 0, such as 3000000/86400")  # fmt: skip
        return num, den
    try:
        return float(value), 1.0
    except (TypeError, ValueError):
        raise InputError(field, value, "expected a number") from None


def as_ratio(field: str, value: Any) -> Ratio:
    """``value`` as an exact :class:`Ratio`: a Ratio as it is; a
    :class:`~fractions.Fraction` or a text ``"a/b"`` (what results report for a
    per-IP rate that has no finite decimal, e.g. ``"625/18"``), or numbers and arrays
    of any of these.

    >>> as_ratio("per_ip_rate", "3000000/86400").value().tolist()
    34.72222222222222
    """
    if isinstance(value, Ratio):
        return value
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged
        arr = np.asarray(value, dtype=object)
    if arr.dtype.kind in "biuf":
        return Ratio((as_float(field, arr),))
    if arr.dtype.kind != "O":
        arr = arr.astype(object)
    parts = [exact_parts(field, v) for v in arr.ravel()]
    top = np.array([p[0] for p in parts], dtype=np.float64).reshape(arr.shape)
    bottom = np.array([p[1] for p in parts], dtype=np.float64).reshape(arr.shape)
    return Ratio((top,), (bottom,))


def ips_for_ratio(top: Sequence[Any], bottom: Sequence[Any]) -> IntArray:
    """The one ceiling of the sizing: ``ceil(prod(top) / prod(bottom))``, at least 1, exact
    on the decimals as typed. :func:`ips_for_rate` and :func:`planner.scenario.settings.size`
    (behind every command) both count IPs here; callers check their inputs first."""
    return np.maximum(ceil_ratio(top, bottom), 1)


def ips_for_rate(rate: Numbers, per_ip_rate: Numbers, utilization: Numbers = 1.0) -> Any:
    """IPs the rate needs, before minimums and AZ losses: ``ceil(R / (c * u))``, at least 1.

    Exact on the decimals as typed (see :func:`ceil_ratio`). ``per_ip_rate`` may be what a
    result reports: a :class:`~fractions.Fraction` or its text (``"625/18"``, a profile of
    3,000,000 messages a day), which gives back the result's count.

    >>> int(ips_for_rate(300, 40, 0.8)), int(ips_for_rate(315, 45, 0.7))
    (10, 10)
    >>> int(ips_for_rate(32, 40, 0.8)), int(ips_for_rate(1375.000001, 12.5, 0.55))
    (1, 201)
    >>> int(ips_for_rate(250, "625/18", 0.8)), int(ips_for_rate(250, 34.72222222222222, 0.8))
    (9, 10)
    """
    r, c = as_ratio("rate", rate), as_ratio("per_ip_rate", per_ip_rate)
    r_value = check_rate("rate", r.value())
    c_value = check_rate("per_ip_rate", c.value())
    u = check_utilization(utilization)
    r_value, c_value, u = np.broadcast_arrays(r_value, c_value, u)
    require(
        "rate", r_value, r_value / (c_value * u) <= limits.MAX_IPS,
        f"needs more than {limits.MAX_IPS:,} IPs at this per-IP rate and utilization",
    )  # fmt: skip
    return _scalar_or_array(ips_for_ratio([*r.top, *c.bottom], [*r.bottom, *c.top, u]))


def ips_to_survive(ips_for_rate: Numbers, azs: Numbers, az_failures: Numbers) -> Any:
    """Smallest spread-out fleet that keeps ``ips_for_rate`` IPs after ``az_failures`` AZ losses.

    With an even spread over ``k`` AZs, ``n`` IPs keep ``n - L(n)`` after the
    ``f`` fullest AZs go down (see :func:`planner.model.zones.ips_lost`). That count
    grows by ``k - f`` per whole layer of ``k`` IPs, so the smallest ``n`` keeping
    ``N`` IPs is, with ``q, j = divmod(N, k - f)``, ``q * k`` when ``j == 0`` and
    ``q * k + f + j`` otherwise. ``az_failures`` must be less than ``azs``.

    >>> int(ips_to_survive(10, 6, 1)), int(ips_to_survive(5, 2, 1)), int(ips_to_survive(7, 3, 0))
    (12, 10, 7)
    """
    need, k, f = np.broadcast_arrays(
        as_int("ips", ips_for_rate), as_int("azs", azs), as_int("az_failures", az_failures)
    )
    require("azs", k, (k >= 1) & (k <= limits.MAX_AZS), AZS_ALLOWED)
    require("az_failures", f, f >= 0, "expected 0 or more")
    require(
        "az_failures",
        f,
        f < k,
        "expected fewer AZ failures than usable Availability Zones (a Region that loses "
        "every AZ carries nothing)",
    )
    q, j = np.divmod(need, k - f)
    n = np.where(j == 0, q * k, q * k + f + j)
    return _scalar_or_array(n.astype(np.int64))


def ips_needed(
    rate: Numbers,
    per_ip_rate: Numbers,
    utilization: Numbers = 1.0,
    min_per_region: Numbers = 2,
    az_failures: Numbers = 0,
    azs: Numbers = 3,
) -> Any:
    """IPs a Region needs for a peak rate, with the minimum and AZ losses applied.

    ``n`` is the smallest count of at least ``max(n_rate, min_per_region)`` whose
    capacity after losing the ``az_failures`` fullest AZs still carries the rate,
    where ``n_rate = ceil(rate / (per_ip_rate * utilization))``.

    Parameters
    ----------
    rate : float or array_like
        Peak send rate, greater than 0. [msg/s]
    per_ip_rate : float or array_like
        What one warm IP sends at full use. [msg/s]
    utilization : float or array_like
        Share of ``per_ip_rate`` the plan may use, in (0, 1]. [fraction]
    min_per_region : int or array_like
        Fewest IPs in a Region. [IPs]
    az_failures : int or array_like
        Availability Zone losses to survive, less than ``azs``. [AZs]
    azs : int or array_like
        Usable Availability Zones. [AZs]

    Examples
    --------
    >>> int(ips_needed(300, 40, 0.8, azs=6)), int(ips_needed(300, 40, 0.8, az_failures=1, azs=6))
    (10, 12)
    >>> ips_needed([1, 300, 1000], 40, 0.8, azs=6).tolist()
    [2, 10, 32]
    """
    return fleet_size(
        ips_for_rate(rate, per_ip_rate, utilization), min_per_region, az_failures, azs
    )


def fleet_size(ips_for_rate: Any, min_per_region: Any, az_failures: Any, azs: Any) -> Any:
    """IPs a Region holds for ``ips_for_rate``: AZ losses survived, then the minimum applied.

    >>> fleet_size([1, 10], 2, 1, 6).tolist()
    [2, 12]
    """
    minimum = as_int("min_per_region", min_per_region)
    require("min_per_region", minimum, minimum >= 0, "expected 0 or more IPs")
    n = np.maximum(ips_to_survive(ips_for_rate, azs, az_failures), minimum)
    return _scalar_or_array(np.asarray(n, dtype=np.int64))


def capacity(ips: Numbers, per_ip_rate: Numbers, utilization: Numbers = 1.0) -> Any:
    """Send rate a fleet carries at the target utilization: ``n * c * u``. [msg/s]

    ``ips`` may count warm-IP equivalents: an IP a third of the way through its warm-up
    counts 1/3 (see :mod:`planner.model.ledger`). This is the one place the product is made.

    >>> float(capacity(10, 40, 0.8)), float(capacity(2.5, "625/18", 0.8))
    (320.0, 69.44444444444444)
    """
    n = as_float("ips", ips)
    require("ips", n, (n >= 0) & np.isfinite(n), "expected 0 or more IPs")
    c = check_rate("per_ip_rate", as_ratio("per_ip_rate", per_ip_rate).value())
    u = check_utilization(utilization)
    return _scalar_or_array(np.asarray(n * c * u, dtype=np.float64))


def capacity_after_loss(
    ips: Numbers, per_ip_rate: Numbers, utilization: Numbers, azs: Numbers, az_failures: Numbers = 1
) -> Any:
    """Send rate still carried after the ``az_failures`` fullest AZs go down. [msg/s]

    >>> float(capacity_after_loss(10, 40, 0.8, 6, 1))
    256.0
    """
    left = np.asarray(as_int("ips", ips) - ips_lost(ips, azs, az_failures))
    return capacity(left, per_ip_rate, utilization)

"""Settings: the one place a sizing or billing setting gets its value, checked.

A setting takes its value from the first *layer* that gives it, in this order:

1. ``given``: a command-line option or a library keyword;
2. a plan entry's own value (``[[regions]] #N``);
3. the plan's ``[defaults]``;
4. the shipped default (``planner/data/defaults.csv``), with its source.

``per_ip_rate`` and ``profile`` are one choice (the capacity of a warm IP): the
first layer that gives either decides, and a layer giving both is an error. Every
value is checked here, once, with the same words whatever its layer; an error
names the layer (the option, ``[defaults]`` or ``[[regions]] #N`` of the file) and
the value as written. Each resolution keeps a record of its :class:`Assumption`\\ s.

:func:`size` is the one sizing call: ``estimate``, budgets and every later command
turn resolved settings and a demand (rate, daily volume or IP count) into IP
counts through it, exactly (see :func:`planner.model.sizing.ceil_ratio`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError, UnknownNameError
from planner.files.tables import SECONDS_PER_DAY, RegionCatalog, load_defaults, load_profiles
from planner.files.values import CHECKS, DEFAULT, GIVEN, Layer, as_typed, raw_number
from planner.model import limits, sizing
from planner.model.arrays import FloatArray, IntArray


@dataclass(frozen=True)
class Assumption:
    """A setting as used: its value, where it came from, and the source behind a default."""

    setting: str
    value: Any
    origin: str
    """``given`` (option or keyword), a plan label (``plan.toml, [defaults]``), or ``default``."""
    source: str = ""
    """For a default: why it is what it is (defaults.csv); for a profile: the profile's source."""

    @property
    def plain_value(self) -> Any:
        """The value as strict JSON holds it: an exact ratio as its text ("625/18"), an
        exact amount as its decimal text, anything else as it is."""
        from decimal import Decimal
        from fractions import Fraction

        if isinstance(self.value, Fraction):
            return sizing.exact_text(self.value)
        return str(self.value) if isinstance(self.value, Decimal) else self.value


@dataclass(frozen=True)
class Settings:
    """One Region's resolved sizing settings."""

    region: str
    per_ip_rate: float
    """What one warm IP sends at full use [msg/s]."""
    per_ip_exact: tuple[float, float]
    """``per_ip_rate`` as numerator / denominator of typed decimals: ``(c, 1)`` for a
    given rate, ``(messages_per_ip_per_day, 86400)`` for a profile."""
    profile: str | None
    utilization: float
    min_per_region: int
    az_failures: int
    azs: int
    peak_factor: float
    assumptions: tuple[Assumption, ...]

    @functools.cached_property
    def exact_per_ip_rate(self) -> Fraction:
        """:attr:`per_ip_rate` as the exact quotient of the decimals typed."""
        return sizing.exact(self.per_ip_exact[0]) / sizing.exact(self.per_ip_exact[1])

    def assumption(self, setting: str) -> Assumption:
        return next(a for a in self.assumptions if a.setting == setting)


@dataclass(frozen=True)
class Billing:
    """The billing conventions of a relinquish or a budget."""

    day_count: str
    lease_proration: str
    assumptions: tuple[Assumption, ...]


def _first(name: str, layers: Sequence[Layer]) -> tuple[Any, Layer | None]:
    for layer in layers:
        value = layer.get(name)
        if value is not None:
            return value, layer
    return None, None


def _pick(name: str, layers: Sequence[Layer]) -> tuple[Any, Assumption]:
    """The first layer's value of ``name``, else the shipped default, with its record."""
    value, layer = _first(name, layers)
    if layer is not None:
        return value, Assumption(name, value, layer.origin)
    entry = load_defaults()[name]
    value = CHECKS[name](entry.value, "planner/data/defaults.csv")
    return value, Assumption(name, value, DEFAULT, entry.source)


# --------------------------------------------------------------------------- resolving


def resolve(region: str, layers: Sequence[Layer], catalog: RegionCatalog) -> Settings:
    """One Region's sizing settings from checked ``layers`` (first wins), then the defaults.

    Layers must have been through :func:`check_layer`. ``azs`` may be a number or, in
    the given layer, ``{region: number}``.
    """
    found = catalog[region]
    per_ip_exact, profile, records = _capacity(layers)
    picked: dict[str, Any] = {}
    for name in ("utilization", "min_per_region", "peak_factor", "az_failures"):
        picked[name], record = _pick(name, layers)
        records.append(record)
    azs, record = _azs(region, layers, catalog)
    records.append(record)
    failures = picked["az_failures"]
    if failures >= azs:
        _, failures_layer = _first("az_failures", layers)
        raise InputError(
            "az_failures",
            failures,
            f"{region} has {azs} usable Availability Zone{'s' if azs != 1 else ''}; "
            f"expected fewer AZ failures than that (at most {azs - 1})",
            where=failures_layer.where if failures_layer else None,
        )
    return Settings(
        region=found.region,
        per_ip_rate=per_ip_exact[0] / per_ip_exact[1],
        per_ip_exact=per_ip_exact,
        profile=profile,
        utilization=picked["utilization"],
        min_per_region=picked["min_per_region"],
        az_failures=failures,
        azs=azs,
        peak_factor=picked["peak_factor"],
        assumptions=tuple(records),
    )


def _capacity(layers: Sequence[Layer]) -> tuple[tuple[float, float], str | None, list[Assumption]]:
    """The capacity of a warm IP, exactly, as (numerator, denominator): ``per_ip_rate`` or
    ``profile``, whichever the first layer that gives either gives; the profile's name;
    and the records."""
    layer = next(
        (la for la in layers if la.get("per_ip_rate") is not None or la.get("profile") is not None),
        None,
    )
    if layer is not None and layer.get("per_ip_rate") is not None:
        rate = Fraction(layer.get("per_ip_rate"))
        return (
            sizing.exact_parts("per_ip_rate", rate),
            None,
            [Assumption("per_ip_rate", rate, layer.origin)],
        )
    profile, record = _pick("profile", [layer] if layer else [])
    prof = load_profiles()[profile]
    rate_record = Assumption(
        "per_ip_rate",
        Fraction(prof.messages_per_ip_per_day, SECONDS_PER_DAY),
        f"profile {prof.profile}",
        f"{prof.messages_per_ip_per_day:,} messages per IP per day ({prof.source})",
    )
    exact = (float(prof.messages_per_ip_per_day), float(SECONDS_PER_DAY))
    return exact, profile, [record, rate_record]


def _azs(region: str, layers: Sequence[Layer], catalog: RegionCatalog) -> tuple[int, Assumption]:
    """The Region's usable AZs: given (at most the Region table's count), else the table's."""
    found = catalog[region]
    azs, layer = _first("azs", layers)
    if isinstance(azs, Mapping):
        azs = azs.get(region)
    if azs is None:
        usable = found.usable_azs
        return usable, Assumption("azs", usable, "Region table", f"{found.notes or found.source}")
    assert layer is not None
    if azs > found.az_count:
        raise InputError(
            "azs",
            azs,
            f"{region} has {found.az_count} Availability Zone"
            f"{'s' if found.az_count != 1 else ''} in the Region table; "
            f"expected 1 to {found.az_count}",
            where=layer.where,
        )
    return int(azs), Assumption("azs", azs, layer.origin)


def resolve_curve(layers: Sequence[Layer], table: Any = None) -> tuple[Any, Assumption]:
    """The warm-up curve from checked ``layers`` (first wins), then the default (linear),
    looked up in ``table`` (default: the shipped curves); an unknown name is an error
    naming where it came from."""
    from planner.files.tables import load_warmup

    name, record = _pick("curve", layers)
    curves = load_warmup(table)
    if name not in curves.names:
        where = record.origin if record.origin not in (GIVEN, DEFAULT) else None
        raise UnknownNameError("curve", str(name), curves.names, where=where)
    return curves[name], record


@dataclass(frozen=True)
class Timing:
    """A schedule's timing: days from opening a support case to holding the IPs, and the
    gap (in days) an IP is kept through rather than relinquished and leased again."""

    lead_days: int
    keep_days: int
    assumptions: tuple[Assumption, ...]


def resolve_timing(layers: Sequence[Layer]) -> Timing:
    """The schedule's timing from checked ``layers`` (first wins), then the defaults."""
    lead, lead_record = _pick("lead_days", layers)
    keep, keep_record = _pick("keep_days", layers)
    return Timing(lead, keep, (lead_record, keep_record))


def resolve_billing(layers: Sequence[Layer]) -> Billing:
    """The billing conventions from checked ``layers`` (first wins), then the defaults."""
    day_count, day_record = _pick("day_count", layers)
    proration, proration_record = _pick("lease_proration", layers)
    return Billing(day_count, proration, (day_record, proration_record))


# ------------------------------------------------------------------------------ sizing


@dataclass(frozen=True)
class Sized:
    """IP counts of :func:`size`, one per row."""

    rate: FloatArray
    """Peak send rate sized for [msg/s]; NaN for a row given as an IP count alone."""
    ips_for_rate: IntArray
    """``ceil(rate / (per_ip_rate x utilization))``, at least 1; -1 without a rate."""
    ips: IntArray
    """IPs held: the count given, or the rate's count with AZ losses and the minimum."""


def size(
    rows: Sequence[Settings],
    *,
    rate: Any = None,
    daily_volume: Any = None,
    ips: Any = None,
    where: Sequence[str | None] | None = None,
) -> Sized:
    """The one sizing call: IPs for each row's demand under its resolved settings.

    ``rate`` [msg/s], ``daily_volume`` [messages/day] and ``ips`` hold one value per
    row, ``None`` where a row does not give that quantity (or are ``None`` for all). A row
    with ``ips`` holds that many (and a rate or volume beside it is what they are
    checked against); otherwise it is sized from its rate or volume. Rates are
    ``daily_volume / 86400 x peak_factor``. The quotient is exact on the decimals as
    typed: ``(R or V x p) / (c x u)``, with a profile's ``c`` as ``M / 86400``.
    ``where`` labels each row for errors (``None``: the option or keyword).
    """
    count = len(rows)
    labels = list(where) if where is not None else [None] * count
    r = _Column.of("rate", rate, count, labels)
    v = _Column.of("daily_volume", daily_volume, count, labels)
    n_given = _Column.of("ips", ips, count, labels)
    _check_demand(r, v, n_given, labels)
    held, by_volume, has_rate = n_given.present, v.present, r.present | v.present
    # (R or V x p) x c_den / (c_num x u x (86400 for a volume)), each factor a typed decimal.
    amount, amount_den = _exact_amounts(np.where(by_volume, v.values, r.values),
                                        np.where(by_volume, v.cells, r.cells), by_volume)  # fmt: skip
    c_num, c_den = np.array([s.per_ip_exact for s in rows], dtype=np.float64).reshape(-1, 2).T
    u, peak, minimum, failures, azs = (
        np.array([getattr(s, name) for s in rows], dtype=dtype) for name, dtype in _SIZING_COLUMNS
    )
    factor = np.where(by_volume, peak, 1.0)
    per_day = np.where(by_volume, float(SECONDS_PER_DAY), 1.0)
    rate_sized = np.where(has_rate, amount / amount_den * factor / per_day, np.nan)
    # The float quotient is within a hair of the exact one: far too many IPs is caught
    # here, before it becomes an integer.
    rough = amount * factor * c_den / (amount_den * c_num * u * per_day)
    _too_many(has_rate & ~(rough <= limits.MAX_IPS), by_volume, r.cells, v.cells, labels, "at this per-IP "
              "rate and utilization; expected a smaller rate (or a larger per-IP rate)")  # fmt: skip
    n_rate = np.full(count, -1, dtype=np.int64)
    if has_rate.any():
        n_rate[has_rate] = sizing.ips_for_ratio(
            [amount[has_rate], factor[has_rate], c_den[has_rate]],
            [amount_den[has_rate], c_num[has_rate], u[has_rate], per_day[has_rate]],
        )
    n = np.where(held, n_given.values, 0).astype(np.int64)
    if (~held).any():
        n[~held] = sizing.fleet_size(n_rate[~held], minimum[~held], failures[~held], azs[~held])
    _too_many(n > limits.MAX_IPS, by_volume, r.cells, v.cells, labels,
              "once AZ losses are survived; expected a smaller rate or fewer az_failures")  # fmt: skip
    return Sized(rate=rate_sized, ips_for_rate=n_rate, ips=n)


#: The columns of the settings the sizing reads, as (attribute, dtype).
_SIZING_COLUMNS = (
    ("utilization", np.float64), ("peak_factor", np.float64), ("min_per_region", np.int64),
    ("az_failures", np.int64), ("azs", np.int64),
)  # fmt: skip


@dataclass(frozen=True)
class _Column:
    """One demand column of :func:`size`: numbers where given, and the cells as written."""

    values: FloatArray
    present: npt.NDArray[np.bool_]
    cells: Any

    @classmethod
    def of(cls, field: str, values: Any, count: int, labels: Sequence[str | None]) -> _Column:
        if values is None:
            return cls(np.zeros(count), np.zeros(count, dtype=bool), np.full(count, None))
        cells = np.empty(count, dtype=object)
        cells[:] = list(np.asarray(values, dtype=object).reshape(count))
        present = np.array([c is not None for c in cells], dtype=bool)
        try:
            return cls(np.where(present, cells, 0).astype(np.float64), present, cells)
        except (TypeError, ValueError):
            for i in np.flatnonzero(present).tolist():
                raw_number(field, cells[i], labels[i], whole=False)
            raise


def _check_demand(r: _Column, v: _Column, n: _Column, labels: Sequence[str | None]) -> None:
    """Each row's rate, volume or IP count within its limits, and exactly one demand."""
    _require_rows("rate", r.cells, ~r.present | ((r.values > 0) & (r.values <= limits.MAX_RATE)),
                  f"expected a number greater than 0, at most {limits.MAX_RATE:,} [msg/s]",
                  labels)  # fmt: skip
    _require_rows("daily_volume", v.cells,
                  ~v.present | ((v.values > 0) & (v.values <= limits.MAX_DAILY_VOLUME)),
                  f"expected a number of messages a day greater than 0, at most "
                  f"{limits.MAX_DAILY_VOLUME:,}", labels)  # fmt: skip
    _require_rows("ips", n.cells, ~n.present | ((n.values >= 1) & (n.values <= limits.MAX_IPS)
                  & (n.values == np.floor(n.values))),
                  f"expected a whole number of 1 to {limits.MAX_IPS:,} IPs in each Region",
                  labels)  # fmt: skip
    _require_rows("daily_volume", v.cells, ~(r.present & v.present),
                  "a peak send rate was given too; give a rate or a daily volume, not both",
                  labels)  # fmt: skip
    _require_rows("rate", r.cells, n.present | r.present | v.present,
                  "give a peak send rate [msg/s], a daily volume [messages/day] or an IP count",
                  labels, missing=True)  # fmt: skip


def _exact_amounts(
    amount: FloatArray, cells: Any, by_volume: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Each row's demand as numerator and denominator: the number as typed over 1, or a
    demand given exactly as a fraction (compare's month over 365/12 days)."""
    amount, amount_den = amount.copy(), np.ones(len(amount))
    exact = np.fromiter((isinstance(c, Fraction) for c in cells), dtype=bool, count=len(cells))
    for i in np.flatnonzero(exact):
        field = "daily_volume" if by_volume[i] else "rate"
        amount[i], amount_den[i] = sizing.exact_parts(field, cells[i])
    return amount, amount_den


def _too_many(
    bad: npt.NDArray[np.bool_],
    by_volume: npt.NDArray[np.bool_],
    rate: Any,
    volume: Any,
    where: Sequence[str | None],
    why: str,
) -> None:
    """An error for the first row whose demand needs more IPs than :data:`limits.MAX_IPS`."""
    rows = np.flatnonzero(bad)
    if rows.size:
        i = int(rows[0])
        field = "daily_volume" if by_volume[i] else "rate"
        raise InputError(
            field,
            as_typed(volume[i] if by_volume[i] else rate[i]),
            f"needs more than {limits.MAX_IPS:,} IPs in a Region {why}",
            where=where[i],
        )


def _require_rows(
    field: str,
    cells: Any,
    ok: npt.NDArray[np.bool_],
    allowed: str,
    where: Sequence[str | None],
    *,
    missing: bool = False,
) -> None:
    """An error for the first row that is not ``ok``, its value shown as written."""
    bad = np.flatnonzero(~ok)
    if bad.size:
        i = int(bad[0])
        raise InputError(field, as_typed(cells[i]), allowed, missing=missing, where=where[i])

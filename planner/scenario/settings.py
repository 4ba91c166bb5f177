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
from planner.files.values import (
    CHECKS,
    DEFAULT,
    GIVEN,
    Layer,
    _as_typed,
    _raw_number,
)
from planner.model import limits, sizing

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Assumption:
    """A setting as used: its value, where it came from, and the source behind a default."""

    setting: str
    value: Any
    origin: str
    """``given`` (option or keyword), a plan label (``plan.toml, [defaults]``), or ``default``."""
    source: str = ""
    """For a default: why it is what it is (defaults.csv); for a profile: the profile's source."""


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
    records: list[Assumption] = []

    # The capacity of a warm IP: per_ip_rate or profile, whichever the first layer gives.
    capacity_layer = next(
        (la for la in layers if la.get("per_ip_rate") is not None or la.get("profile") is not None),
        None,
    )
    per_ip_exact: tuple[float, float]
    profile: str | None = None
    if capacity_layer is not None and capacity_layer.get("per_ip_rate") is not None:
        rate = Fraction(capacity_layer.get("per_ip_rate"))
        per_ip_exact = sizing.exact_parts("per_ip_rate", rate)
        records.append(Assumption("per_ip_rate", rate, capacity_layer.origin))
    else:
        profile, record = _pick("profile", [capacity_layer] if capacity_layer else [])
        prof = load_profiles()[profile]
        records.append(record)
        per_ip_exact = (float(prof.messages_per_ip_per_day), float(SECONDS_PER_DAY))
        records.append(
            Assumption(
                "per_ip_rate",
                Fraction(prof.messages_per_ip_per_day, SECONDS_PER_DAY),
                f"profile {prof.profile}",
                f"{prof.messages_per_ip_per_day:,} messages per IP per day ({prof.source})",
            )
        )

    picked: dict[str, Any] = {}
    for name in ("utilization", "min_per_region", "peak_factor", "az_failures"):
        picked[name], record = _pick(name, layers)
        records.append(record)

    azs, azs_layer = _first("azs", layers)
    if isinstance(azs, Mapping):
        azs = azs.get(region)
    if azs is None:
        azs = found.usable_azs
        records.append(Assumption("azs", azs, "Region table", f"{found.notes or found.source}"))
    else:
        assert azs_layer is not None
        if azs > found.az_count:
            raise InputError(
                "azs",
                azs,
                f"{region} has {found.az_count} Availability Zone"
                f"{'s' if found.az_count != 1 else ''} in the Region table; "
                f"expected 1 to {found.az_count}",
                where=azs_layer.where,
            )
        records.append(Assumption("azs", azs, azs_layer.origin))

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

    def column(field: str, values: Any) -> tuple[FloatArray, npt.NDArray[np.bool_], Any]:
        """Numbers, where given, and the cells as written (for messages)."""
        if values is None:
            return np.zeros(count), np.zeros(count, dtype=bool), np.full(count, None)
        cells = np.empty(count, dtype=object)
        cells[:] = list(np.asarray(values, dtype=object).reshape(count))
        present = np.array([c is not None for c in cells], dtype=bool)
        try:
            return np.where(present, cells, 0).astype(np.float64), present, cells
        except (TypeError, ValueError):
            for i in np.flatnonzero(present):
                _raw_number(field, cells[i], labels[i], whole=False)
            raise

    r, has_r, r_cells = column("rate", rate)
    v, has_v, v_cells = column("daily_volume", daily_volume)
    n_given, held, n_cells = column("ips", ips)
    _require_rows("rate", r_cells, ~has_r | ((r > 0) & (r <= limits.MAX_RATE)),
                  f"expected a number greater than 0, at most {limits.MAX_RATE:,} [msg/s]",
                  labels)  # fmt: skip
    _require_rows("daily_volume", v_cells, ~has_v | ((v > 0) & (v <= limits.MAX_DAILY_VOLUME)),
                  f"expected a number of messages a day greater than 0, at most "
                  f"{limits.MAX_DAILY_VOLUME:,}", labels)  # fmt: skip
    _require_rows("ips", n_cells, ~held | ((n_given >= 1) & (n_given <= limits.MAX_IPS)
                  & (n_given == np.floor(n_given))),
                  f"expected a whole number of 1 to {limits.MAX_IPS:,} IPs in each Region",
                  labels)  # fmt: skip
    _require_rows("daily_volume", v_cells, ~(has_r & has_v),
                  "a peak send rate was given too; give a rate or a daily volume, not both",
                  labels)  # fmt: skip
    _require_rows("rate", r_cells, held | has_r | has_v,
                  "give a peak send rate [msg/s], a daily volume [messages/day] or an IP count",
                  labels, missing=True)  # fmt: skip

    c_num = np.array([s.per_ip_exact[0] for s in rows], dtype=np.float64)
    c_den = np.array([s.per_ip_exact[1] for s in rows], dtype=np.float64)
    u = np.array([s.utilization for s in rows], dtype=np.float64)
    peak = np.array([s.peak_factor for s in rows], dtype=np.float64)
    by_volume = has_v
    has_rate = has_r | has_v
    # (R or V x p) x c_den / (c_num x u x (86400 for a volume)), each factor a typed decimal.
    amount = np.where(by_volume, v, r)
    # A demand given exactly as a fraction (compare's month over 365/12 days) divides too.
    amount_den = np.ones(count)
    cells = np.where(by_volume, v_cells, r_cells)
    exact_rows = np.fromiter((isinstance(c, Fraction) for c in cells), dtype=bool, count=count)
    for i in np.flatnonzero(exact_rows):
        cell = cells[i]
        amount[i], amount_den[i] = sizing.exact_parts(
            "daily_volume" if by_volume[i] else "rate", cell
        )
    factor = np.where(by_volume, peak, 1.0)
    per_day = np.where(by_volume, float(SECONDS_PER_DAY), 1.0)
    send_rate = np.where(has_rate, amount / amount_den * factor / per_day, np.nan)
    # The float quotient is within a hair of the exact one: far too many IPs is caught
    # here, before it becomes an integer.
    rough = amount * factor * c_den / (amount_den * c_num * u * per_day)
    _too_many(has_rate & ~(rough <= limits.MAX_IPS), by_volume, r_cells, v_cells, labels, "at this per-IP "
              "rate and utilization; expected a smaller rate (or a larger per-IP rate)")  # fmt: skip
    n_rate = np.full(count, -1, dtype=np.int64)
    if has_rate.any():
        n_rate[has_rate] = sizing.ips_for_ratio(
            [amount[has_rate], factor[has_rate], c_den[has_rate]],
            [amount_den[has_rate], c_num[has_rate], u[has_rate], per_day[has_rate]],
        )
    n = np.where(held, n_given, 0).astype(np.int64)
    to_size = ~held
    if to_size.any():
        n[to_size] = sizing.fleet_size(
            n_rate[to_size],
            np.array([s.min_per_region for s in rows], dtype=np.int64)[to_size],
            np.array([s.az_failures for s in rows], dtype=np.int64)[to_size],
            np.array([s.azs for s in rows], dtype=np.int64)[to_size],
        )
    _too_many(n > limits.MAX_IPS, by_volume, r_cells, v_cells, labels,
              "once AZ losses are survived; expected a smaller rate or fewer az_failures")  # fmt: skip
    return Sized(rate=send_rate, ips_for_rate=n_rate, ips=n)


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
            _as_typed(volume[i] if by_volume[i] else rate[i]),
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
        raise InputError(field, _as_typed(cells[i]), allowed, missing=missing, where=where[i])

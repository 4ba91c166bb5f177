"""``estimate``: size, spread and price the dedicated IPs of one or more Regions.

This is the orchestration behind ``ipcost estimate``: it resolves defaults and
reference data, calls the vectorised model once over all Regions, and returns an
:class:`Estimate` that renders as a table, CSV, JSON or Markdown, or becomes a
pandas DataFrame. It imports neither pandas nor matplotlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from planner import fees, zones
from planner import sizing as cap
from planner._checks import as_date, as_float, as_int, require, today_utc
from planner.errors import InputError
from planner.money import format_cents
from planner.reference import (
    SECONDS_PER_DAY,
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
    load_defaults,
    load_prices,
    load_profiles,
    load_regions,
)

if TYPE_CHECKING:
    import pandas as pd

DAYS_PER_MONTH = 365 / 12


@dataclass(frozen=True)
class Assumptions:
    """Every setting an estimate used, with where it came from."""

    basis: str
    """``rate``, ``daily_volume`` or ``ips``: what the IP count was sized from."""
    per_ip_rate: float
    per_ip_rate_from: str
    profile: str | None
    utilization: float
    min_per_region: int
    az_failures: int
    peak_factor: float | None
    sku: str
    fee_per_ip: int | None
    """Cents per IP per month in force on the price date (``None`` if Regions differ)."""
    price_source: str
    sources: dict[str, str] = field(default_factory=dict)
    """Setting name -> where its value came from (an option, or a default and its source)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "per_ip_rate": round(self.per_ip_rate, 6),
            "per_ip_rate_from": self.per_ip_rate_from,
            "profile": self.profile,
            "utilization": self.utilization,
            "min_per_region": self.min_per_region,
            "az_failures": self.az_failures,
            "peak_factor": self.peak_factor,
            "sku": self.sku,
            "fee_per_ip": None if self.fee_per_ip is None else format_cents(self.fee_per_ip),
            "price_source": self.price_source,
        }


@dataclass(frozen=True)
class RegionEstimate:
    """The sizing, spread and fee of one Region."""

    region: str
    send_rate: float | None
    """Peak send rate sized for [msg/s]; ``None`` for an explicit IP count alone."""
    availability_zones: int
    ips_for_rate: int | None
    ips: int
    spread: dict[str, int]
    capacity: float
    capacity_one_az_down: float
    fee_per_ip: int
    monthly_fee: int
    annual_fee: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "send_rate": None if self.send_rate is None else round(self.send_rate, 4),
            "availability_zones": self.availability_zones,
            "ips_for_rate": self.ips_for_rate,
            "ips": self.ips,
            "spread": dict(self.spread),
            "capacity": round(self.capacity, 2),
            "capacity_one_az_down": round(self.capacity_one_az_down, 2),
            "monthly_fee": format_cents(self.monthly_fee),
            "annual_fee": format_cents(self.annual_fee),
        }


@dataclass(frozen=True)
class Estimate:
    """The result of :func:`estimate`."""

    currency: str
    price_date: dt.date
    assumptions: Assumptions
    regions: tuple[RegionEstimate, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ips(self) -> int:
        return sum(r.ips for r in self.regions)

    @property
    def monthly_fee(self) -> int:
        return sum(r.monthly_fee for r in self.regions)

    @property
    def annual_fee(self) -> int:
        return sum(r.annual_fee for r in self.regions)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost estimate --format json``."""
        return {
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "assumptions": self.assumptions.to_dict(),
            "regions": [r.to_dict() for r in self.regions],
            "total": {
                "ips": self.ips,
                "monthly_fee": format_cents(self.monthly_fee),
                "annual_fee": format_cents(self.annual_fee),
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per Region; money as exact decimal strings, spread as a dict."""
        import pandas as pd

        frame = pd.DataFrame([r.to_dict() for r in self.regions])
        frame.insert(len(frame.columns), "currency", self.currency)
        return frame

    def spread_frame(self) -> pd.DataFrame:
        """Long form of the spread: one row per Region and AZ ID."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"region": r.region, "az_id": az, "ips": n}
                for r in self.regions
                for az, n in r.spread.items()
            ],
            columns=["region", "az_id", "ips"],
        )


def _per_region(name: str, values: Any, count: int) -> Any:
    """One value for every Region, or one value per Region, as an array of ``count``."""
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    if arr.ndim != 1 or arr.size not in (1, count):
        raise InputError(
            name,
            ", ".join(str(v) for v in arr.ravel()),
            f"{arr.size} values for {count} Regions; expected one value for every Region "
            "or one per Region, in the Regions' order",
        )
    return np.resize(arr, count)


def _default(setting: str, given: Any, sources: dict[str, str]) -> Any:
    if given is not None:
        sources[setting] = "given"
        return given
    entry = load_defaults()[setting]
    sources[setting] = f"default ({entry.source})"
    return entry.value


def _zone_counts(
    catalog: RegionCatalog, names: Sequence[str], azs: int | Mapping[str, int] | None
) -> np.ndarray:
    if isinstance(azs, Mapping):
        unknown = [k for k in azs if k not in names]
        if unknown:
            raise InputError(
                "azs", unknown[0], f"names a Region that is not estimated ({', '.join(names)})"
            )
    counts = []
    for name in names:
        region = catalog[name]
        wanted = azs.get(name) if isinstance(azs, Mapping) else azs
        k = region.usable_azs if wanted is None else int(as_int("azs", wanted))
        limit = region.az_count
        if not 1 <= k <= limit:
            raise InputError(
                "azs",
                k,
                f"{name} has {limit} Availability Zone{'s' if limit != 1 else ''} in the "
                f"Region table; expected 1 to {limit}",
            )
        counts.append(k)
    return np.asarray(counts, dtype=np.int64)


def estimate(
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Any = None,
    daily_volume: Any = None,
    peak_factor: float | None = None,
    ips: Any = None,
    per_ip_rate: float | None = None,
    profile: str | None = None,
    utilization: float | None = None,
    min_per_region: int | None = None,
    az_failures: int | None = None,
    azs: int | Mapping[str, int] | None = None,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
) -> Estimate:
    """Size, spread and price the standard dedicated IPs of each Region.

    Give one of ``rate`` [msg/s], ``daily_volume`` [messages/day] or ``ips``
    [IPs]: one value for every Region or one per Region. Settings left as
    ``None`` take the defaults in ``planner/data/defaults.csv``, and the result's
    :class:`Assumptions` say which were used and why.

    Examples
    --------
    >>> e = estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8, date="2026-11-27")
    >>> e.regions[0].ips, list(e.regions[0].spread.values()), format_cents(e.monthly_fee)
    (10, [2, 2, 2, 2, 1, 1], '249.50')
    """
    names = [regions] if isinstance(regions, str) else list(regions)
    if not names:
        raise InputError("region", "", "expected at least one Region")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError("region", duplicates[0], "expected each Region once")
    catalog = (
        regions_file if isinstance(regions_file, RegionCatalog) else load_regions(regions_file)
    )
    for name in names:
        catalog[name]  # raises with the closest names for an unknown Region
    book = prices if isinstance(prices, PriceBook) else load_prices(prices)
    price_date = today_utc() if date is None else as_date("date", date)
    count = len(names)

    given = [k for k, v in (("rate", rate), ("daily_volume", daily_volume)) if v is not None]
    if len(given) > 1:
        raise InputError(
            "daily_volume",
            np.atleast_1d(np.asarray(daily_volume, dtype=object))[0],
            "a peak send rate was given too; give a rate or a daily volume, not both",
        )
    if not given and ips is None:
        raise InputError(
            "rate",
            None,
            "give a peak send rate [msg/s], a daily volume [messages/day] or an IP count",
            missing=True,
        )

    sources: dict[str, str] = {}
    peak: float | None = None
    send_rate: np.ndarray | None = None
    if rate is not None:
        send_rate = cap.check_rate("rate", as_float("rate", _per_region("rate", rate, count)))
        if peak_factor is not None:
            peak = float(as_float("peak_factor", peak_factor))
    elif daily_volume is not None:
        peak = float(as_float("peak_factor", _default("peak_factor", peak_factor, sources)))
        send_rate = np.asarray(
            cap.rate_from_volume(
                as_float("daily_volume", _per_region("daily_volume", daily_volume, count)), peak
            ),
            dtype=np.float64,
        ).reshape(count)
    basis = "ips" if ips is not None else given[0]

    if per_ip_rate is not None and profile is not None:
        raise InputError(
            "profile", profile, "a per-IP rate was given too; give a per-IP rate or a profile"
        )
    profile_name: str | None
    if per_ip_rate is not None:
        c = float(cap.check_rate("per_ip_rate", per_ip_rate))
        per_ip_from = "given"
        profile_name = None
    else:
        profile_name = str(_default("profile", profile, sources))
        prof = load_profiles()[profile_name]
        c = prof.per_ip_rate
        per_ip_from = (
            f"profile {prof.profile}: {prof.messages_per_ip_per_day:,} messages per IP per day "
            f"({prof.source})"
        )
    u = float(cap.check_utilization(_default("utilization", utilization, sources)))
    m = int(as_int("min_per_region", _default("min_per_region", min_per_region, sources)))
    require("min_per_region", np.asarray(m), np.asarray(m >= 0), "expected 0 or more IPs")
    f = int(as_int("az_failures", _default("az_failures", az_failures, sources)))
    require("az_failures", np.asarray(f), np.asarray(f >= 0), "expected 0 or more")
    k = _zone_counts(catalog, names, azs)
    for name, zones_here in zip(names, k, strict=True):
        if f >= zones_here:
            raise InputError(
                "az_failures",
                f,
                f"{name} has {zones_here} usable Availability Zone"
                f"{'s' if zones_here != 1 else ''}; expected fewer AZ failures than that "
                f"(at most {zones_here - 1})",
            )

    n_rate: np.ndarray | None = None
    if send_rate is not None:
        n_rate = np.asarray(cap.ips_for_rate(send_rate, c, u), dtype=np.int64).reshape(count)
    if ips is not None:
        n = as_int("ips", _per_region("ips", ips, count)).reshape(count)
        require("ips", n, n >= 1, "expected at least 1 IP in each Region")
    else:
        assert send_rate is not None
        n = np.asarray(cap.ips_needed(send_rate, c, u, m, f, k), dtype=np.int64).reshape(count)

    layout = zones.spread(n, k)
    carried = np.asarray(cap.capacity(n, c, u), dtype=np.float64).reshape(count)
    one_down = np.asarray(cap.capacity_after_loss(n, c, u, k, 1), dtype=np.float64).reshape(count)
    sku = default_value("sku")
    fee = book.fee_cents(sku, names, np.datetime64(price_date, "D"))
    monthly = np.asarray(fees.monthly_fee(n, fee)).reshape(count)
    annual = np.asarray(fees.annual_fee(n, fee)).reshape(count)
    price_rows = [
        p for p in book if p.sku == sku and p.tier_from is None and p.in_force(price_date)
    ]
    price_source = "; ".join(sorted({p.source for p in price_rows}))

    rows = []
    for i, name in enumerate(names):
        zone_ids = catalog[name].zone_ids(int(k[i]))
        rows.append(
            RegionEstimate(
                region=name,
                send_rate=None if send_rate is None else float(send_rate[i]),
                availability_zones=int(k[i]),
                ips_for_rate=None if n_rate is None else int(n_rate[i]),
                ips=int(n[i]),
                spread={az: int(layout[i, j]) for j, az in enumerate(zone_ids)},
                capacity=float(carried[i]),
                capacity_one_az_down=float(one_down[i]),
                fee_per_ip=int(fee[i]),
                monthly_fee=int(monthly[i]),
                annual_fee=int(annual[i]),
            )
        )

    assumptions = Assumptions(
        basis=basis,
        per_ip_rate=c,
        per_ip_rate_from=per_ip_from,
        profile=profile_name,
        utilization=u,
        min_per_region=m,
        az_failures=f,
        peak_factor=peak,
        sku=sku,
        fee_per_ip=int(fee[0]) if len(set(fee.tolist())) == 1 else None,
        price_source=price_source,
        sources=sources,
    )
    return Estimate(
        currency=book.currency,
        price_date=price_date,
        assumptions=assumptions,
        regions=tuple(rows),
        warnings=tuple(_warnings(rows, send_rate, daily_volume, peak)),
    )


def _warnings(
    rows: Sequence[RegionEstimate],
    send_rate: np.ndarray | None,
    daily_volume: Any,
    peak: float | None,
) -> list[str]:
    """Plans that price fine but deserve a second look."""
    out = []
    warm = int(default_value("warm_messages_per_ip_per_month"))
    for i, row in enumerate(rows):
        if row.ips == 1:
            out.append(
                f"{row.region}: 1 IP has no Availability Zone redundancy; AWS advises more "
                "than one dedicated IP per Region"
            )
        if send_rate is None:
            continue
        if row.send_rate is not None and row.capacity < row.send_rate * (1 - cap.REL_TOL):
            out.append(
                f"{row.region}: {row.ips} IPs carry {row.capacity:,.2f} msg/s, less than the "
                f"{row.send_rate:,.2f} msg/s peak rate"
            )
        # Daily volume: as given, or the most a peak rate can send in a day.
        per_day = float(send_rate[i]) * SECONDS_PER_DAY / (peak or 1.0)
        per_ip_month = per_day * DAYS_PER_MONTH / row.ips
        if per_ip_month < warm:
            how = "" if daily_volume is not None else "at most "
            out.append(
                f"{row.region}: {row.ips} IPs for {how}{per_day:,.0f} messages a day is about "
                f"{per_ip_month:,.0f} a month per IP, below the {warm:,} that keeps an IP warm; "
                "receivers may see snowshoeing: consider fewer IPs or shared IPs"
            )
    return out

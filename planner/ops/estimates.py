"""``estimate``: size, spread and price the dedicated IPs of one or more Regions.

This is the orchestration behind ``ipcost estimate``: it resolves defaults and
reference data, calls the vectorised model once over all Regions, and returns an
:class:`Estimate` that renders as a table, CSV, JSON or Markdown, or becomes a
pandas DataFrame. It imports neither pandas nor matplotlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.files.tables import (
    SECONDS_PER_DAY,
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.files.values import GIVEN, SIZING_SETTINGS
from planner.model import fees, zones
from planner.model import sizing as cap
from planner.model.arrays import Numbers
from planner.model.money import amount, money_frame
from planner.model.sizing import exact_text
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Assumption, Settings, Sized, size

if TYPE_CHECKING:
    import pandas as pd

    from planner.files.snapshot import Account


DAYS_PER_MONTH = 365 / 12


@dataclass(frozen=True)
class Assumptions:
    """Every setting an estimate used, with where it came from."""

    basis: str
    """``rate``, ``daily_volume`` or ``ips``: what the IP count was sized from."""
    per_ip_rate: Fraction
    """What one warm IP sends [msg/s], exactly (a profile's messages a day / 86,400): fed
    back to :func:`planner.ips_for_rate` or ``--per-ip-rate`` it gives the same IPs."""
    per_ip_rate_from: str
    profile: str | None
    utilization: float
    min_per_region: int
    az_failures: int
    peak_factor: float | None
    sku: str
    fee_per_ip: Decimal | None
    """Fee per IP per month in force on the price date (``None`` if Regions differ)."""
    price_source: str
    records: tuple[Assumption, ...] = ()
    """Every sizing setting as used: value, where it came from, the source of a default."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "per_ip_rate": exact_text(self.per_ip_rate),
            "per_ip_rate_from": self.per_ip_rate_from,
            "profile": self.profile,
            "utilization": self.utilization,
            "min_per_region": self.min_per_region,
            "az_failures": self.az_failures,
            "peak_factor": self.peak_factor,
            "sku": self.sku,
            "fee_per_ip": None if self.fee_per_ip is None else str(self.fee_per_ip),
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
    fee_per_ip: Decimal
    monthly_fee: Decimal
    annual_fee: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "send_rate": self.send_rate,
            "availability_zones": self.availability_zones,
            "ips_for_rate": self.ips_for_rate,
            "ips": self.ips,
            "spread": dict(self.spread),
            "capacity": round(self.capacity, 2),
            "capacity_one_az_down": round(self.capacity_one_az_down, 2),
            "monthly_fee": str(self.monthly_fee),
            "annual_fee": str(self.annual_fee),
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
    def monthly_fee(self) -> Decimal:
        return sum((r.monthly_fee for r in self.regions), amount(0))

    @property
    def annual_fee(self) -> Decimal:
        return sum((r.annual_fee for r in self.regions), amount(0))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost estimate --format json``."""
        return {
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "assumptions": self.assumptions.to_dict(),
            "regions": [r.to_dict() for r in self.regions],
            "total": {
                "ips": self.ips,
                "monthly_fee": str(self.monthly_fee),
                "annual_fee": str(self.annual_fee),
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per Region: the JSON keys as columns, money exact (the ``money`` dtype).

        ``send_rate`` and the capacities are msg/s; ``spread`` is a dict per row.
        """
        frame = money_frame([r.to_dict() for r in self.regions], ("monthly_fee", "annual_fee"))
        frame.insert(len(frame.columns), "currency", self.currency)
        return cast("pd.DataFrame", frame)

    @property
    def capacity_per_ip(self) -> float:
        """What each IP adds at the estimate's utilization [msg/s]: one step of its curve."""
        a = self.assumptions
        return float(cap.capacity(1, a.per_ip_rate, a.utilization))

    def ips_by_rate(self, region: str, rates: Any, az_failures: int) -> npt.NDArray[np.int64]:
        """IPs ``region`` needs at each of ``rates`` [msg/s] under this estimate's per-IP
        rate, utilization, minimum and zones, surviving ``az_failures`` AZ losses: the
        sizing rule over an array of rates, so a picture draws the curve without sizing."""
        a = self.assumptions
        row = next(r for r in self.regions if r.region == region)
        return np.asarray(cap.ips_needed(rates, a.per_ip_rate, a.utilization, a.min_per_region,
                                         az_failures, row.availability_zones), dtype=np.int64)  # fmt: skip

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
    if values is None:
        return None
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    if arr.ndim != 1 or arr.size not in (1, count):
        raise InputError(
            name,
            ", ".join(str(v) for v in arr.ravel()),
            f"{arr.size} values for {count} Regions; expected one value for every Region "
            "or one per Region, in the Regions' order",
        )
    return np.resize(arr, count)  # as given: the sizing call reads and checks them


def estimate(
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Numbers | None = None,
    daily_volume: Numbers | None = None,
    ips: Numbers | None = None,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    zones_file: PathLike | None = None,
    account_file: PathLike | None = None,
    account_dir: PathLike | Account | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Estimate:
    """Size, spread and price the standard dedicated IPs of each Region.

    Give one of ``rate`` [msg/s], ``daily_volume`` [messages/day] or ``ips``
    [IPs]: one value for every Region or one per Region. The sizing ``settings``
    (``per_ip_rate`` or ``profile``, ``utilization``, ``min_per_region``, ``az_failures``,
    ``azs``, ``peak_factor``) left out take the defaults in ``planner/data/defaults.csv`` (resolved by
    :mod:`planner.scenario.settings`, as for plans), and the result's :class:`Assumptions`
    say which were used and why. ``azs`` is a number for every Region or
    ``{region: number}``. ``zones_file`` (``aws ec2 describe-availability-zones``
    output) sets the AZs of the Regions it lists to the account's own; ``account_file``
    (``aws sesv2 get-account``) adds a warning when a rate is above the account's
    maximum send rate; ``account_dir``, a snapshot (``ipcost snapshot -o DIR`` or its
    :class:`~planner.Account`), gives both for every Region it holds, and its price list.
    ``scenario``, a built :class:`~planner.Scenario` (as the command line builds one),
    stands for the settings and files.

    Examples
    --------
    >>> e = estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8, date="2026-11-27")
    >>> e.regions[0].ips, list(e.regions[0].spread.values()), e.monthly_fee
    (10, [2, 2, 2, 2, 1, 1], Decimal('249.50'))
    """
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS, function="estimate", prices=prices,
        regions_file=regions_file, zones_file=zones_file, account_file=account_file, account_dir=account_dir, date=date,
    )  # fmt: skip
    return estimate_in(scenario, regions, rate=rate, daily_volume=daily_volume, ips=ips)


def estimate_in(
    scenario: Scenario,
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Numbers | None = None,
    daily_volume: Numbers | None = None,
    ips: Numbers | None = None,
) -> Estimate:
    """:func:`estimate` in a built scenario: the demand is one of ``rate``,
    ``daily_volume`` or ``ips``, one value for every Region or one per Region."""
    catalog = scenario.catalog
    names = _check_regions([regions] if isinstance(regions, str) else list(regions), catalog)
    per_region_azs = (
        scenario.given.get("azs") if isinstance(scenario.given.get("azs"), Mapping) else {}
    )
    unknown = [name for name in per_region_azs if name not in names]
    if unknown:
        raise InputError(
            "azs", unknown[0], f"names a Region that is not estimated ({', '.join(names)})"
        )
    rows = [scenario.settings(name) for name in names]
    count = len(names)
    sized = size(
        rows,
        rate=_per_region("rate", rate, count),
        daily_volume=_per_region("daily_volume", daily_volume, count),
        ips=_per_region("ips", ips, count),
    )
    has_rate = rate is not None or daily_volume is not None
    sku = default_value("sku")
    fee = scenario.book.fee_cents(sku, names, np.datetime64(scenario.price_date, "D"))
    result_rows = _region_estimates(catalog, rows, sized, fee, has_rate)
    basis = "ips" if ips is not None else ("rate" if rate is not None else "daily_volume")
    assumptions = _assumptions(rows[0], basis, daily_volume is not None, sku, fee, scenario)
    warnings = _warnings(result_rows, daily_volume, assumptions.peak_factor,
                         assumptions.min_per_region if basis == "ips" else None)  # fmt: skip
    return Estimate(
        currency=scenario.book.currency,
        price_date=scenario.price_date,
        assumptions=assumptions,
        regions=result_rows,
        warnings=scenario.quota_warnings([(r.region, r.send_rate) for r in result_rows])
        + tuple(warnings),
    )


def _check_regions(given: Sequence[str], catalog: RegionCatalog) -> list[str]:
    """The Regions' names as the table spells them: at least one, each known, each once."""
    if not given:
        raise InputError("region", "", "expected at least one Region")
    names = [catalog[name].region for name in given]  # unknown: the closest names
    duplicates = [g for g, n in zip(given, names, strict=True) if names.count(n) > 1]
    if duplicates:
        raise InputError("region", duplicates[-1], "expected each Region once")
    return names


def _region_estimates(
    catalog: RegionCatalog,
    rows: Sequence[Settings],
    sized: Sized,
    fee: npt.NDArray[np.int64],
    has_rate: bool,
) -> tuple[RegionEstimate, ...]:
    """Spread, capacity and fees of every Region at once, then one result per Region."""
    count = len(rows)
    n = sized.ips
    c, u = rows[0].exact_per_ip_rate, rows[0].utilization  # given once for all Regions
    k = np.array([s.azs for s in rows], dtype=np.int64)
    layout = zones.spread(n, k)
    carried = np.asarray(cap.capacity(n, c, u), dtype=np.float64).reshape(count)
    one_down = np.asarray(cap.capacity_after_loss(n, c, u, k, 1), dtype=np.float64).reshape(count)
    monthly = np.asarray(fees.monthly_fee(n, fee)).reshape(count)
    annual = np.asarray(fees.annual_fee(n, fee)).reshape(count)
    return tuple(
        RegionEstimate(
            region=s.region,
            send_rate=float(sized.rate[i]) if has_rate else None,
            availability_zones=int(k[i]),
            ips_for_rate=int(sized.ips_for_rate[i]) if has_rate else None,
            ips=int(n[i]),
            spread={
                az: int(layout[i, j]) for j, az in enumerate(catalog[s.region].zone_ids(int(k[i])))
            },
            capacity=float(carried[i]),
            capacity_one_az_down=float(one_down[i]),
            fee_per_ip=amount(fee[i]),
            monthly_fee=amount(monthly[i]),
            annual_fee=amount(annual[i]),
        )
        for i, s in enumerate(rows)
    )


def _assumptions(
    first: Settings,
    basis: str,
    by_volume: bool,
    sku: str,
    fee: npt.NDArray[np.int64],
    scenario: Scenario,
) -> Assumptions:
    """What the estimate rests on: the settings (the same for every Region but ``azs``),
    where each came from, and the price in force."""
    in_force = [
        p for p in scenario.book
        if p.sku == sku and p.tier_from is None and p.in_force(scenario.price_date)
    ]  # fmt: skip
    peak_given = first.assumption("peak_factor").origin == GIVEN
    return Assumptions(
        basis=basis,
        per_ip_rate=first.exact_per_ip_rate,
        per_ip_rate_from=(
            GIVEN if first.profile is None else first.assumption("per_ip_rate").source
        ),
        profile=first.profile,
        utilization=first.utilization,
        min_per_region=first.min_per_region,
        az_failures=first.az_failures,
        peak_factor=first.peak_factor if by_volume or peak_given else None,
        sku=sku,
        fee_per_ip=amount(fee[0]) if len(set(fee.tolist())) == 1 else None,
        price_source="; ".join(sorted({p.source for p in in_force})),
        records=tuple(a for a in first.assumptions if a.setting != "azs"),
    )


def _warnings(
    rows: Sequence[RegionEstimate],
    daily_volume: Any,
    peak: float | None,
    given_below: int | None = None,
) -> list[str]:
    """Plans that price fine but deserve a second look. ``given_below``: the minimum
    per Region, when IP counts were given (and so not raised to it)."""
    out = []
    warm = int(default_value("warm_messages_per_ip_per_month"))
    for row in rows:
        if given_below is not None and row.ips < given_below:
            out.append(
                f"{row.region}: {row.ips} IP{'s' if row.ips != 1 else ''} as given, fewer than "
                f"min_per_region {given_below}; a given count is priced as it is"
            )
        if row.ips == 1:
            out.append(
                f"{row.region}: 1 IP has no Availability Zone redundancy; AWS advises more "
                "than one dedicated IP per Region"
            )
        if row.send_rate is None or row.ips_for_rate is None:
            continue
        if row.ips < row.ips_for_rate:  # exact: fewer IPs than ceil(rate / (c x u))
            out.append(
                f"{row.region}: {row.ips} IPs carry {row.capacity:,.2f} msg/s, less than the "
                f"{row.send_rate:,.2f} msg/s peak rate"
            )
        # Daily volume: as given, or the most a peak rate can send in a day.
        per_day = row.send_rate * SECONDS_PER_DAY / (peak or 1.0)
        per_ip_month = per_day * DAYS_PER_MONTH / row.ips
        if per_ip_month < warm:
            how = "" if daily_volume is not None else "at most "
            out.append(
                f"{row.region}: {row.ips} IPs for {how}{per_day:,.0f} messages a day is about "
                f"{per_ip_month:,.0f} a month per IP, below the {warm:,} that keeps an IP warm; "
                "receivers may see snowshoeing: consider fewer IPs or shared IPs"
            )
    return out

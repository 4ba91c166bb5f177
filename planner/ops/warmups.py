"""``warmup``: when newly leased standard IPs carry a send rate, day by day.

SES warms a new standard IP automatically over 45 days, whatever the volume; until
the dedicated IPs carry the whole rate, SES sends the rest over shared IPs (a first
fleet) or the account's older warm IPs. The model, per day since the lease (the lease
day is day 1):

- a new IP carries ``share(d)`` of the per-IP rate, from the warm-up curve
  (``planner/data/warmup.csv``; ``linear``: ``min(d / 45, 1)``);
- an IP already partway (SES's ``WarmupPercentage`` p) continues the same curve from
  the first day at which it reaches p %;
- warm IPs carry the full rate;
- fleet capacity = utilization x per-IP rate x (warm + sum of shares); the dedicated
  IPs carry ``min(capacity, rate)`` and the overflow ``rate - dedicated`` goes over
  shared or older IPs. The ready date is the first day capacity reaches the rate,
  decided in rational arithmetic on the decimals as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.errors import InputError
from planner.files import typed
from planner.files.tables import PathLike, RegionCatalog, WarmupCurve, WarmupTable
from planner.files.values import CHECK_RATE
from planner.model import limits, sizing
from planner.model.arrays import FloatArray, Numbers
from planner.model.checks import as_date, as_int, require
from planner.model.ledger import BEFORE, LEASE, Curves, Ledger, build, day_number
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Assumption, Settings

if TYPE_CHECKING:
    import pandas as pd

#: The settings a warm-up view takes: what a warm IP carries, and the curve.
WARMUP_OPTIONS = ("per_ip_rate", "profile", "utilization", "curve")
MAX_DAYS = 3_660
"""Days a warm-up view may show: ten years."""


@dataclass(frozen=True)
class Warmup:
    """The result of :func:`warmup`: one value per day, from the lease day on."""

    region: str
    curve: str
    start: dt.date
    rate: float
    """The target peak send rate [msg/s]."""
    ips: int
    """New IPs leased on ``start``."""
    warm: int
    partway: tuple[tuple[int, int], ...]
    """(IPs, warm-up percentage) of IPs partway through their warm-up."""
    per_ip_rate: Fraction
    """What one warm IP sends [msg/s], exactly (see :attr:`planner.Assumptions.per_ip_rate`)."""
    utilization: float
    dates: tuple[dt.date, ...]
    capacity: FloatArray
    """What the dedicated IPs can carry each day at the target utilization [msg/s]."""
    dedicated: FloatArray
    overflow: FloatArray
    ready_date: dt.date | None
    """The first day the dedicated IPs alone carry the rate; None if they never do."""
    assumptions: tuple[Assumption, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost warmup --format json``."""
        return {
            "ready_date": None if self.ready_date is None else self.ready_date.isoformat(),
            "curve": self.curve,
            "region": self.region,
            "rate": self.rate,
            "ips": self.ips,
            "warm": self.warm,
            "partway": [{"ips": n, "percent": p} for n, p in self.partway],
            "per_ip_rate": sizing.exact_text(self.per_ip_rate),
            "utilization": self.utilization,
            "days": [
                {
                    "date": day.isoformat(),
                    "day": i + 1,
                    "capacity": round(float(c), 4),
                    "dedicated": round(float(d), 4),
                    "overflow": round(float(o), 4),
                }
                for i, (day, c, d, o) in enumerate(
                    zip(self.dates, self.capacity, self.dedicated, self.overflow, strict=True)
                )
            ],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per day: ``date``, ``day``, ``capacity``, ``dedicated``, ``overflow`` [msg/s]."""
        import pandas as pd

        return pd.DataFrame(
            {
                "date": pd.to_datetime(list(self.dates)),
                "day": np.arange(1, len(self.dates) + 1),
                "capacity": self.capacity,
                "dedicated": self.dedicated,
                "overflow": self.overflow,
            }
        )


def _count(field: str, value: Any) -> int:
    n = as_int(field, value)
    require(field, n, (n >= 0) & (n <= limits.MAX_IPS), f"expected 0 to {limits.MAX_IPS:,} IPs")
    return int(n)


def _partway(partway: Sequence[tuple[Any, Any]]) -> tuple[tuple[int, int], ...]:
    out = []
    for count, percent in partway:
        p = as_int("partway", percent)
        require("partway", p, (p >= 0) & (p <= 100), "expected a warm-up percentage, 0 to 100")
        out.append((_count("partway", count), int(p)))
    return tuple(out)


def warmup(
    region: str = "us-east-1",
    *,
    ips: int | str,
    rate: Numbers,
    start: dt.date | str,
    warm: int | str = 0,
    partway: Sequence[str | tuple[int, int]] = (),
    days: int | str | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    curves: PathLike | WarmupTable | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Warmup:
    """Day by day from ``start``, what ``ips`` new IPs (with ``warm`` warm ones and
    ``partway`` = [(IPs, percent), ...], or ``["IPs=percent", ...]`` as ``--partway``
    spells it) carry of ``rate`` [msg/s].

    ``days`` defaults to the curve's length plus one, the first day every new IP is
    warm. The ``settings`` (``per_ip_rate`` or ``profile``, ``utilization``, ``curve``)
    resolve as for :func:`planner.estimate`; ``scenario``, a built
    :class:`~planner.Scenario`, stands for them and the files.

    Examples
    --------
    >>> w = warmup(ips=4, rate=64, start="2026-12-01", per_ip_rate=40, utilization=0.8)
    >>> w.ready_date, round(float(w.capacity[0]), 9), round(float(w.overflow[0]), 9)
    (datetime.date(2026, 12, 23), 2.844444444, 61.155555556)
    """
    scenario = Scenario.given_or_built(scenario, settings, allowed=WARMUP_OPTIONS,
                                       function="warmup", regions_file=regions_file, curves=curves)  # fmt: skip
    s, curve = scenario.settings(region), scenario.curve
    checked = float(CHECK_RATE(rate, None))
    new, warm_ips = _count("ips", ips), _count("warm", warm)
    parts = _partway(typed.partway(partway))
    if new + warm_ips + sum(n for n, _ in parts) == 0:
        raise InputError("ips", 0, "expected at least 1 IP, new, warm or partway")
    first = as_date("start", start)
    horizon = _horizon(days, curve.days + 1)
    fleet = _fleet(s, curve, day_number(first), new, warm_ips, parts)
    capacity = fleet.capacity(0, day_number(first) + np.arange(horizon),
                              Curves.of([curve.shares(s.per_ip_rate)], [0]), s.exact_per_ip_rate,
                              s.utilization)  # fmt: skip
    needed = sizing.exact(checked) / (s.exact_per_ip_rate * sizing.exact(s.utilization))
    ready = _ready_day(fleet, day_number(first), list(curve.exact_shares(s.exact_per_ip_rate)),
                       needed, max(horizon, curve.days + 1))  # fmt: skip
    dedicated = np.minimum(capacity, checked)
    return Warmup(
        region=s.region, curve=curve.curve, start=first, rate=checked, ips=new, warm=warm_ips,
        partway=parts, per_ip_rate=s.exact_per_ip_rate, utilization=s.utilization,
        dates=tuple(first + dt.timedelta(days=i) for i in range(horizon)), capacity=capacity,
        dedicated=dedicated, overflow=checked - dedicated,
        ready_date=None if ready is None else first + dt.timedelta(days=ready),
        assumptions=(scenario.curve_record, s.assumption("per_ip_rate"), s.assumption("utilization")),
    )  # fmt: skip


def _horizon(days: Any, default: int) -> int:
    """Days to show: as asked (1 to :data:`MAX_DAYS`), else ``default``."""
    if days is None:
        return default
    wanted = as_int("days", days)
    require(
        "days", wanted, (wanted >= 1) & (wanted <= MAX_DAYS), f"expected 1 to {MAX_DAYS:,} days"
    )
    return int(wanted)


def _fleet(
    settings: Settings, curve: WarmupCurve, start: int, new: int, warm: int,
    parts: Sequence[tuple[int, int]],
) -> Ledger:  # fmt: skip
    """The pool's ledger: ``warm`` IPs warm, ``parts`` (IPs, percent) partway from where
    their percentage stands on the curve, and ``new`` IPs leased on ``start``."""
    partly = [
        (n, curve.resume_index(Fraction(p, 100), settings.exact_per_ip_rate)) for n, p in parts
    ]
    held = ([0] * (1 + len(partly)), [warm, *(n for n, _ in partly)],
            [BEFORE, *(start - r for _, r in partly)], [0, *(r for _, r in partly)])  # fmt: skip
    return build([(settings.region, "warmup")], held, ([start], [0], [LEASE], [new]), start)


def _ready_day(
    fleet: Ledger, start: int, shares: list[Fraction], needed: Fraction, horizon: int
) -> int | None:
    """The first day (0-based) the fleet's warm IPs reach ``needed`` warm-IP equivalents,
    exactly; a fleet that only warms up never falls, so the day is found by bisection."""
    if fleet.warm_exact(0, start + horizon - 1, shares) < needed:
        return None
    low, high = 0, horizon - 1
    while low < high:
        middle = (low + high) // 2
        if fleet.warm_exact(0, start + middle, shares) >= needed:
            high = middle
        else:
            low = middle + 1
    return low

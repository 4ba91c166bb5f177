"""A published warm-up curve and its arithmetic: what one new IP may send on each day
after its lease, as a share of its warm per-IP rate, and the days to warm.

:class:`WarmupCurve` is the value the warm-up table's reader
(:func:`planner.files.tables.load_warmup`) builds; the rules live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from planner.model.sizing import SECONDS_PER_DAY

#: How a warm-up table's ``limit`` becomes a per-IP rate [msg/s]: a ``share`` of the
#: warm rate, or a cap of messages an hour or a day spread evenly over it.
WARMUP_UNITS = {"share": None, "per_hour": 3600, "per_day": SECONDS_PER_DAY}


@dataclass(frozen=True)
class WarmupCurve:
    """A published warm-up schedule: per day since the lease (the lease day is day 1),
    what one new IP may send; after its last day the IP is warm."""

    curve: str
    unit: str
    limits: tuple[Fraction, ...]
    """Day 1, 2, ...: a share of the per-IP rate (``unit`` share), or a cap [messages]."""
    source: str
    _exact: dict[Fraction, tuple[Fraction, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Exact shares by per-IP rate, computed once each (a fleet asks per event)."""
    _warm: dict[Fraction, int] = field(default_factory=dict, compare=False, repr=False)
    """Days to warm by per-IP rate, found once each."""

    @property
    def days(self) -> int:
        return len(self.limits)

    def shares(self, per_ip_rate: float) -> npt.NDArray[np.float64]:
        """Day by day (day 1 first), the share of ``per_ip_rate`` one new IP carries: the
        table's share, or ``min(1, cap / seconds / per_ip_rate)`` for a cap; then 1.0, the
        first day after the table (warm), which stands for every later day."""
        seconds = WARMUP_UNITS[self.unit]
        values = np.array([float(x) for x in self.limits])
        if seconds is not None:
            values = values / seconds / per_ip_rate
        return np.concatenate([np.minimum(values, 1.0), [1.0]])

    def exact_shares(self, per_ip_rate: Fraction) -> tuple[Fraction, ...]:
        """:meth:`shares` in rational arithmetic, for deciding days exactly."""
        if per_ip_rate not in self._exact:
            seconds = WARMUP_UNITS[self.unit]
            self._exact[per_ip_rate] = (
                *(min(x if seconds is None else x / seconds / per_ip_rate, Fraction(1))
                  for x in self.limits), Fraction(1),
            )  # fmt: skip
        return self._exact[per_ip_rate]

    def resume_index(self, percent: Fraction, per_ip_rate: Fraction) -> int:
        """Where an IP at ``percent`` of its rate stands on the curve: the index of the
        first day at or above it (0: a new IP; 100 %: warm). ``warm_index`` is the 100 %
        case: the lease day plus this many days is the first warm day (W - 1)."""
        shares = self.exact_shares(per_ip_rate)
        return next((i for i, s in enumerate(shares) if s >= percent), len(shares) - 1)

    def warm_index(self, per_ip_rate: Fraction) -> int:
        """Days from the lease to the first day a new IP carries its full rate (W - 1)."""
        if per_ip_rate not in self._warm:  # asked once per pool: found once per rate
            self._warm[per_ip_rate] = self.resume_index(Fraction(1), per_ip_rate)
        return self._warm[per_ip_rate]

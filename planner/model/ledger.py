"""The fleet ledger: what each Region/pool holds, day by day, built once.

A ledger is a table of *cohorts*: IPs of one group (a Region and pool) leased on one
day (or held from before the ledger starts) and relinquished on one day (or still
held). Every question about a fleet reads it, vectorised over cohorts and days:

- :meth:`Ledger.held`: IPs held on a day, after that day's events;
- :meth:`Ledger.warm`: those IPs as warm-IP equivalents, along each group's warm-up
  curve (an IP on day 10 of a 45-day linear warm-up counts 10/45);
- :meth:`Ledger.bill`: IPs, IP-days, charges and refunds per group and month, under
  the billing rules of :mod:`planner.model.fees`.

Budgets, schedules (their months, daily capacity and plot), the warm-up view and the
budget's warm-capacity warning all read a ledger; nothing else replays a fleet.

Building it (:func:`build`) applies events in date order, one day's relinquishes
before its leases; a relinquish takes the newest IPs of its pool first (the cohorts
of a pool form a stack, newest on top), so the work is linear in cohorts and events:
no event copies or re-scans the pool.

Warm-up: a cohort's share on day ``d`` is ``shares[min(max(d - origin, floor), last)]``,
where ``origin`` is the day its curve's day 1 falls on (the lease day for a new IP),
``floor`` the curve position it starts from (an IP reported partway resumes where the
curve first reaches its percentage, and does not fall back before the day it was
read), and ``shares[last] == 1`` (warm). IPs held from before with no warm-up to do
have ``origin = BEFORE``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from planner.errors import PlannerError
from planner.model import fees, sizing
from planner.model.arrays import FloatArray, IntArray

NEVER = int(np.datetime64("9999-12-31", "D").astype(np.int64))
"""An ``end`` day: still held."""
BEFORE = int(np.datetime64("0001-01-01", "D").astype(np.int64))
"""A ``lease`` (or ``origin``) day: held (or warm) from before the ledger starts."""
_SPAN = 1 << 23  # more than NEVER - BEFORE: a (group, day) pair as one sortable key
LEASE, RELINQUISH = 1, 0


_EPOCH = dt.date(1970, 1, 1).toordinal()


def day_date(number: Any) -> dt.date:
    """A day number (:func:`day_number`) back as a date.

    >>> day_date(20819)
    datetime.date(2027, 1, 1)
    """
    return dt.date.fromordinal(int(number) + _EPOCH)


def day_number(date: Any) -> int:
    """A date as days since 1970-01-01 (a ``datetime64[D]`` as an integer).

    >>> day_number(dt.date(1970, 1, 2)), day_number(np.datetime64("2027-01-01"))
    (1, 20819)
    """
    if isinstance(date, dt.date):
        return date.toordinal() - _EPOCH
    return int(np.datetime64(date, "D").astype(np.int64))


class ShortfallError(PlannerError):
    """A relinquish of more IPs than its pool holds on its day."""

    def __init__(self, event: int, held: int) -> None:
        super().__init__(f"event {event} relinquishes more than the {held} IPs held")
        self.event, self.held = event, held


@dataclass(frozen=True)
class Curves:
    """Warm-up shares for each group: the distinct share tables (each ending with 1.0,
    warm) laid end to end, and which table each group uses."""

    flat: FloatArray
    start: IntArray
    """Where each group's table starts in :attr:`flat`."""
    last: IntArray
    """Each group's last index (its warm position)."""

    @classmethod
    def of(cls, tables: Sequence[FloatArray], table_of_group: Sequence[int]) -> Curves:
        lengths = np.array([len(t) for t in tables], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        chosen = np.asarray(table_of_group, dtype=np.int64)
        flat = np.concatenate(tables) if tables else np.zeros(0)
        return cls(flat, starts[chosen], lengths[chosen] - 1)


@dataclass(frozen=True)
class Ledger:
    """Cohorts as columns (days are days since 1970-01-01; see :data:`BEFORE`, :data:`NEVER`)."""

    groups: list[tuple[str, str]]
    group: IntArray
    count: IntArray
    lease: IntArray
    """The day the cohort was leased, or :data:`BEFORE`."""
    end: IntArray
    """The day it was relinquished (its last day billed, inclusive), or :data:`NEVER`."""
    origin: IntArray
    floor: IntArray
    lease_cohort: IntArray
    """For each event given to :func:`build`, the cohort a lease made (-1 for a relinquish)."""
    start: int
    """The first day asked about: IPs held from before that are still warming count
    from it (a query before it sees them as warm)."""
    _cache: dict[str, list[Any]] = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------------ held and warm

    def held(self, group: Any, day: Any) -> IntArray:
        """IPs each ``group`` holds on each ``day`` (arrays broadcast), after its events."""
        g, d = np.broadcast_arrays(np.asarray(group, np.int64), np.asarray(day, np.int64))
        return self._steps(self.lease, self.count, g, d) - self._steps(self.end, self.count, g, d)

    def warm(self, group: Any, day: Any, curves: Curves) -> FloatArray:
        """Warm-IP equivalents each ``group`` holds on each ``day``: held IPs less what
        the ones still warming lack (``1 - share``), along ``curves``."""
        g, d = np.broadcast_arrays(np.asarray(group, np.int64), np.asarray(day, np.int64))
        keys, warming, carried = self._warming(curves)
        q = _key(g, d).ravel()
        whole = np.asarray(self.held(g, d), dtype=np.float64).ravel()
        partly = np.zeros(q.shape)  # IPs still warming count as what they carry
        if len(keys):
            at = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
            hit = keys[at] == q
            whole[hit] -= warming[at[hit]]
            partly[hit] = carried[at[hit]]
        return (whole + partly).reshape(g.shape)

    def capacity(
        self, group: Any, day: Any, curves: Curves, per_ip_rate: Any, utilization: Any
    ) -> FloatArray:
        """Send rate the warm IPs carry [msg/s]: :func:`planner.model.sizing.capacity` of
        :meth:`warm`; ``per_ip_rate`` and ``utilization`` per query (or one for all)."""
        return np.asarray(
            sizing.capacity(self.warm(group, day, curves), per_ip_rate, utilization), np.float64
        )

    def warm_exact(self, group: int, day: int, shares: Sequence[Fraction]) -> Fraction:
        """:meth:`warm` of one group on one day in rational arithmetic (``shares`` from
        :meth:`planner.files.tables.WarmupCurve.exact_shares`), to decide a day exactly."""
        last = len(shares) - 1
        mine = (self.group == group) & (self.lease <= day) & (self.end > day)
        total = Fraction(0)
        for n, origin, floor, lease in zip(
            self.count[mine].tolist(), self.origin[mine].tolist(), self.floor[mine].tolist(),
            self.lease[mine].tolist(), strict=True,
        ):  # fmt: skip
            warm = origin == BEFORE or (lease == BEFORE and day < self.start)
            total += n * shares[last if warm else min(max(day - origin, floor), last)]
        return total

    def _steps(self, days: IntArray, counts: IntArray, g: IntArray, d: IntArray) -> IntArray:
        """Sum of ``counts`` of each group's cohorts whose ``days`` are on or before ``d``."""
        keys, total = self._sorted(days is self.lease)
        upto = np.searchsorted(keys, _key(g, d), side="right")
        first = np.searchsorted(keys, _key(g, np.full_like(d, BEFORE)), side="left")
        return np.asarray(total[upto] - total[first], dtype=np.int64)

    def _sorted(self, by_lease: bool) -> tuple[IntArray, IntArray]:
        """Cohort (group, day) keys by lease or by end, sorted, and running IP counts."""
        cache = self._cache.setdefault("lease" if by_lease else "end", [])
        if not cache:
            keys = _key(self.group, self.lease if by_lease else self.end)
            order = np.argsort(keys, kind="stable")
            cache += [keys[order], np.concatenate([[0], np.cumsum(self.count[order])])]
        return cache[0], cache[1]

    def _warming(self, curves: Curves) -> tuple[IntArray, FloatArray, FloatArray]:
        """Sorted (group, day) keys of the days some held IPs are still warming, with how
        many are and their shares summed: each cohort on each day before its curve reaches
        1 (at most the curve's length; IPs held from before warm from the ledger's start)."""
        g = self.group
        last = curves.last[g]
        # Days lacking: from the lease (or the first day anyone asks, BEFORE) up to the
        # day the curve reaches 1, and not after the relinquish.
        warm_day = np.where(self.origin == BEFORE, BEFORE, self.origin + last)
        begin = np.where(self.lease == BEFORE, self.start, self.lease)
        stop = np.minimum(warm_day, self.end)
        length = np.maximum(stop - begin, 0)
        length = np.where(self.origin == BEFORE, 0, length)
        if not length.any():
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        cohort = np.repeat(np.arange(len(g)), length)
        offset = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
        day = begin[cohort] + offset
        position = np.minimum(
            np.maximum(day - self.origin[cohort], self.floor[cohort]), last[cohort]
        )
        share = curves.flat[curves.start[g[cohort]] + position]
        keys, where = np.unique(_key(g[cohort], day), return_inverse=True)
        n = self.count[cohort].astype(np.float64)
        warming = np.bincount(where, weights=n, minlength=len(keys)).astype(np.float64)
        carried = np.bincount(where, weights=n * share, minlength=len(keys)).astype(np.float64)
        return keys.astype(np.int64), warming, carried

    # ------------------------------------------------------------------------ billing

    def bill(
        self, first: IntArray, days: IntArray, fee: IntArray, billing: Any
    ) -> dict[str, IntArray]:
        """Per group and month (arrays of shape groups x months): ``ips_start``, ``leased``,
        ``relinquished``, ``ip_days``, ``charge`` and ``refund`` [cents].

        ``first`` is each month's first day, ``days`` its length, ``fee`` the fee per IP
        and month of each group [cents], ``billing`` the day count and lease proration.
        Each IP-month is charged by :func:`planner.model.fees.prorated_charge` (half up, per
        IP-month); the refund of a relinquished IP is what its month would have billed
        without the relinquish, less the charge.
        """
        shape = (len(self.groups), len(first))
        last_day = first + days - 1
        # Cohorts held through every month bill the full fee: they add to totals directly.
        whole = (self.lease < first[0]) & (self.end > last_day[-1])
        held_all = np.bincount(self.group[whole], weights=self.count[whole], minlength=shape[0])
        held_all = held_all.astype(np.int64)
        out = {
            "ips_start": np.repeat(held_all[:, None], shape[1], axis=1),
            "leased": np.zeros(shape, np.int64),
            "relinquished": np.zeros(shape, np.int64),
            "ip_days": held_all[:, None] * days[None, :],
            "charge": held_all[:, None] * fee,
            "refund": np.zeros(shape, np.int64),
        }
        part = ~whole
        g, n = self.group[part], self.count[part][:, None]
        lease, end = self.lease[part][:, None], self.end[part][:, None]
        lo, hi, d = first[None, :], last_day[None, :], days[None, :]
        leased_in = (lease >= lo) & (lease <= hi)
        gone_in = (end >= lo) & (end <= hi)
        active = (lease <= hi) & (end >= lo)
        lease_day = np.where(leased_in, lease - lo + 1, 1)
        billed = fees.days_billed(
            d, lease_day, np.where(gone_in, end - lo + 1, d),
            leased_in_month=leased_in, relinquished_in_month=gone_in,
            day_count=billing.day_count, lease_proration=billing.lease_proration,
        ) * active  # fmt: skip
        billed_if_kept = fees.days_billed(
            d, lease_day, leased_in_month=leased_in, lease_proration=billing.lease_proration
        )
        charge = np.asarray(fees.prorated_charge(fee[g], billed, d), np.int64)
        kept = np.asarray(fees.prorated_charge(fee[g], billed_if_kept, d), np.int64)
        for name, values in (
            ("ips_start", n * ((lease < lo) & (end >= lo))),
            ("leased", n * leased_in),
            ("relinquished", n * (gone_in & active)),
            ("ip_days", n * billed),
            ("charge", n * charge * active),
            ("refund", n * (kept - charge) * (gone_in & active)),
        ):
            np.add.at(out[name], g, values)
        return out


def _key(group: Any, day: Any) -> IntArray:
    return np.asarray(group, np.int64) * _SPAN + (np.asarray(day, np.int64) - BEFORE)


def build(
    groups: list[tuple[str, str]],
    held: tuple[Any, Any, Any, Any],
    events: tuple[Any, Any, Any, Any],
    start: int,
) -> Ledger:
    """The ledger of a starting fleet and its events.

    ``held`` = (group, count, origin, floor) of cohorts held from before (``origin`` =
    :data:`BEFORE` for warm IPs); ``events`` = (day, group, action, count) with action
    :data:`LEASE` or :data:`RELINQUISH`, in any order. A relinquish of more IPs than
    its pool holds raises :class:`ShortfallError` naming the event's index. ``start``
    is the first day anyone will ask about (see :attr:`Ledger.start`).
    """
    h_group, h_count, h_origin, h_floor = (np.asarray(a, np.int64).reshape(-1) for a in held)
    e_day, e_group, e_action, e_count = (np.asarray(a, np.int64).reshape(-1) for a in events)
    pools = _Pools(h_group.tolist(), h_count.tolist(), h_origin.tolist(), h_floor.tolist())
    # Each pool that relinquishes keeps its cohorts on a stack, newest last; pools that
    # never relinquish need none.
    pools.stacks = {int(g): [] for g in np.unique(e_group[e_action == RELINQUISH])}
    pools.total = dict.fromkeys(pools.stacks, 0)
    mine = np.flatnonzero(np.isin(h_group, list(pools.stacks)))
    for i in mine[np.lexsort((h_origin[mine], h_group[mine]))].tolist():  # oldest first
        pools.push(pools.group[i], i)
    made = [-1] * len(e_day)
    days, gs, acts, ns = e_day.tolist(), e_group.tolist(), e_action.tolist(), e_count.tolist()
    for e in np.lexsort((e_action, e_day)).tolist():  # by day, relinquishes first
        if acts[e] == LEASE:
            made[e] = pools.lease(gs[e], ns[e], days[e])
        elif not pools.relinquish(gs[e], ns[e], days[e]):
            raise ShortfallError(e, pools.total[gs[e]])
    column = functools.partial(np.array, dtype=np.int64)
    return Ledger(
        groups=groups, group=column(pools.group), count=column(pools.count),
        lease=column(pools.leased), end=column(pools.end), origin=column(pools.origin),
        floor=column(pools.floor), lease_cohort=column(made), start=start,
    )  # fmt: skip


class _Pools:
    """The cohorts being built, as lists, and the stacks of the pools that relinquish."""

    def __init__(self, group: list[int], count: list[int], origin: list[int], floor: list[int]):
        self.group, self.count, self.origin, self.floor = group, count, origin, floor
        self.leased = [BEFORE] * len(group)
        self.end = [NEVER] * len(group)
        self.stacks: dict[int, list[int]] = {}
        self.total: dict[int, int] = {}

    def push(self, group: int, cohort: int) -> None:
        if group in self.stacks:
            self.stacks[group].append(cohort)
            self.total[group] += self.count[cohort]

    def add(self, group: int, count: int, leased: int, end: int, origin: int, floor: int) -> int:
        for column, value in zip((self.group, self.count, self.leased, self.end, self.origin,
                                  self.floor), (group, count, leased, end, origin, floor), strict=True):  # fmt: skip
            column.append(value)
        return len(self.group) - 1

    def lease(self, group: int, count: int, day: int) -> int:
        cohort = self.add(group, count, day, NEVER, day, 0)
        self.push(group, cohort)
        return cohort

    def relinquish(self, group: int, count: int, day: int) -> bool:
        """The newest ``count`` IPs of the pool go on ``day``; False if it holds fewer."""
        if count > self.total[group]:
            return False
        self.total[group] -= count
        stack = self.stacks[group]
        while count:
            top = stack[-1]
            if self.count[top] <= count:  # the whole cohort goes
                count -= self.count[top]
                self.end[top] = day
                stack.pop()
                continue
            self.count[top] -= count  # part of it goes: the part becomes a cohort of its own
            self.add(group, count, self.leased[top], day, self.origin[top], self.floor[top])
            count = 0
        return True

"""A budget as a result: :class:`Budget`, the plan's bill as its ledger makes it (exact
cents by Region, pool and month), with its frame, its JSON and what it rests on.

``planner.budget`` returns one, and a schedule's :attr:`~planner.Schedule.budget` is one,
so a notebook, a report and a workbook read one shape whichever made it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.files.plans import Event
from planner.model.arrays import IntArray
from planner.model.money import amount, money_array
from planner.scenario.ledgers import BUDGET_COLUMNS, BudgetArrays
from planner.scenario.settings import Assumption, Billing

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUDGET_COLUMNS", "Budget", "budget_frame"]

#: The columns that hold money, in the order the budget lists them.
MONEY = ("charge", "refund", "mail", "plan_fee")


@dataclass(frozen=True)
class Budget:
    """The result of :func:`planner.budget`: month-by-month fees of a plan.

    :meth:`to_frame` is the budget CSV's table (a row per month x Region x pool that holds
    IPs); :attr:`totals` its exact sums; :attr:`warnings` what the plan has that the
    budget leaves out; :attr:`assumptions` every setting and price it rests on;
    :attr:`ready`, for each of :attr:`events`, the day a lease's IPs are warm.
    """

    arrays: BudgetArrays
    """The bill as the ledger makes it: arrays of (groups, months), money in cents."""
    events: tuple[Event, ...] = ()
    """The plan's events, in the plan's order (:attr:`ready` runs beside them)."""

    @property
    def start(self) -> str:
        """The first month budgeted (``"2027-01"``), whether or not any pool holds IPs in it."""
        return str(self.arrays.months[0])

    @property
    def end(self) -> str:
        """The last month budgeted."""
        return str(self.arrays.months[-1])

    @property
    def currency(self) -> str:
        return self.arrays.currency

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the plan has that the budget leaves out (events after its last month), and
        relinquishes that leave a pool short of warm capacity."""
        return self.arrays.warnings

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """Every setting the budget rests on, with where it came from, and the prices."""
        return self.arrays.assumptions

    @property
    def billing(self) -> Billing:
        """The billing conventions used (day count, lease proration), with their origins."""
        return self.arrays.billing

    @property
    def ready(self) -> tuple[dt.date | None, ...]:
        """For each of :attr:`events`: the day a lease's IPs are warm, else None."""
        return self.arrays.ready

    @property
    def pricing_plan(self) -> str | None:
        """The SES pricing plan of a budget that bills mail, else None."""
        return next((str(a.value) for a in self.assumptions if a.setting == "pricing_plan"), None)

    @property
    def whole_bill(self) -> bool:
        """True when the plan gave volumes, so the budget bills mail and the plan fee too."""
        return self.arrays.mail is not None

    @property
    def columns(self) -> list[str]:
        """The budget CSV's columns: ``mail`` and ``plan_fee`` before the currency when the
        plan gave volumes."""
        if self.whole_bill:
            return [*BUDGET_COLUMNS[:-1], "mail", "plan_fee", BUDGET_COLUMNS[-1]]
        return list(BUDGET_COLUMNS)

    def _money(self) -> dict[str, IntArray]:
        parts = dict(zip(MONEY, (self.arrays.charge, self.arrays.refund, self.arrays.mail,
                                 self.arrays.plan_fee), strict=True))  # fmt: skip
        return {k: v for k, v in parts.items() if v is not None}

    @property
    def totals(self) -> dict[str, Decimal]:
        """Exact sums: ``charge`` and ``refund``, and ``mail`` and ``plan_fee`` when the plan
        gave volumes."""
        return {k: amount(int(v.sum())) for k, v in self._money().items()}

    def by_region(self) -> dict[str, dict[str, int]]:
        """``ip_days`` and each money column [cents] per Region, in the plan's order: exact
        integer sums, one vectorised pass per column."""
        index: dict[str, int] = {}
        codes = np.array([index.setdefault(r, len(index)) for r, _ in self.arrays.groups],
                         dtype=np.int64)  # fmt: skip
        parts = {"ip_days": self.arrays.ip_days, **self._money()}
        sums = {}
        for k, v in parts.items():
            out = np.zeros(len(index), dtype=np.int64)
            np.add.at(out, codes, v.sum(axis=1))
            sums[k] = out.tolist()
        return {region: {k: sums[k][i] for k in parts} for region, i in index.items()}

    def to_frame(self) -> pd.DataFrame:
        """The budget CSV's table: ``month`` (a monthly Period), ``region`` and ``pool``
        (categoricals), ``ips_start``, ``leased``, ``relinquished``, ``ips_end``,
        ``ip_days`` (int64), ``charge`` and ``refund`` (the money dtype: ``.sum()`` is an
        exact Decimal), ``mail`` and ``plan_fee`` when the plan gave volumes, and
        ``currency``. Months in which a pool holds no IPs are left out."""
        return budget_frame(self.arrays)

    def events_frame(self) -> pd.DataFrame:
        """The plan's events in date order, with the day each lease is warm."""
        import pandas as pd

        return pd.DataFrame(self.event_rows(), columns=EVENT_COLUMNS)

    def event_rows(self) -> list[list[Any]]:
        """:meth:`events_frame`'s rows, as plain values."""
        ready = self.ready or (None,) * len(self.events)
        pairs = sorted(zip(self.events, ready, strict=False), key=lambda pair: pair[0].date)
        return [[e.date.isoformat(), e.region, e.pool or "", e.action, e.count,
                 r.isoformat() if r else "", e.note] for e, r in pairs]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost budget --format json``: its months, currency, rows
        (money as decimal text), totals, events, warnings and assumptions."""
        frame = self.to_frame()
        counts = {"ips_start", "leased", "relinquished", "ips_end", "ip_days"}
        rows = [
            {k: str(v) if k == "month" or k in MONEY else int(v) if k in counts else str(v)
             for k, v in zip(self.columns, row, strict=True)}
            for row in frame[self.columns].itertuples(index=False)
        ]  # fmt: skip
        return {
            "start": self.start,
            "end": self.end,
            "currency": self.currency,
            "rows": rows,
            "totals": {k: str(v) for k, v in self.totals.items()},
            "events": [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in self.event_rows()],
            "warnings": list(self.warnings),
            "assumptions": {a.setting: {"value": a.plain_value, "origin": a.origin,
                                        "source": a.source} for a in self.assumptions},
        }  # fmt: skip


EVENT_COLUMNS = ["date", "region", "pool", "action", "count", "warm_from", "note"]


def budget_frame(arrays: BudgetArrays) -> pd.DataFrame:
    """The tidy DataFrame of :class:`BudgetArrays` (see :meth:`Budget.to_frame`)."""
    import pandas as pd

    keep = ((arrays.ips_start + arrays.leased) > 0).T  # by month, then in the plan's order
    mi, gi = np.nonzero(keep)
    # Rows run by month, then group: read each (groups, months) array month by month, so
    # the reads go forward through memory instead of striding across it.
    flat = mi * len(arrays.groups) + gi

    def by_month(values: IntArray) -> IntArray:
        return np.ascontiguousarray(values.T).ravel()

    def cells(values: IntArray) -> IntArray:
        return np.asarray(by_month(values)[flat], dtype=np.int64)

    ips_end = arrays.ips_start + arrays.leased - arrays.relinquished

    def category(names: list[str]) -> pd.Categorical:
        codes, categories = pd.factorize(pd.Series(names, dtype=object))  # in the plan's order
        return pd.Categorical.from_codes(codes[gi], categories=pd.Index(categories))

    # The five count columns are taken straight into one block, which pandas keeps as it
    # is (a frame built from separate columns would copy them all into one again).
    counts = np.empty((5, len(gi)), dtype=np.int64)
    for row, values in enumerate((arrays.ips_start, arrays.leased, arrays.relinquished,
                                  ips_end, arrays.ip_days)):  # fmt: skip
        np.take(by_month(values), flat, out=counts[row])
    frame = pd.DataFrame(counts.T, columns=BUDGET_COLUMNS[3:8], copy=False)
    # datetime64[M] counts months from 1970-01, as pandas' monthly Period ordinals do.
    month = pd.PeriodIndex.from_ordinals(arrays.months[mi].astype(np.int64), freq="M")  # type: ignore[attr-defined]  # not in pandas-stubs
    frame.insert(0, "month", month)
    frame.insert(1, "region", category([r for r, _ in arrays.groups]))  # type: ignore[arg-type]  # pandas-stubs lacks Categorical
    frame.insert(2, "pool", category([p for _, p in arrays.groups]))  # type: ignore[arg-type]
    frame["charge"] = money_array(cells(arrays.charge))
    frame["refund"] = money_array(cells(arrays.refund))
    if arrays.mail is not None and arrays.plan_fee is not None:
        frame["mail"] = money_array(cells(arrays.mail))
        frame["plan_fee"] = money_array(cells(arrays.plan_fee))
    frame["currency"] = pd.Categorical.from_codes(
        np.zeros(len(gi), dtype=np.int64), categories=pd.Index([arrays.currency])
    )
    return frame

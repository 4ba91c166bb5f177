"""``budget``: month-by-month fees of a plan, per Region and pool, in exact cents.

The arithmetic is the plan's ledger (:mod:`planner.scenario.ledgers`), shared with
``schedule``; this operation reads the plan and its events, builds the scenario and
returns the ledger's bill as a :class:`~planner.scenario.budgets.Budget`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.files.plans import Event, Plan
from planner.files.tables import PathLike, PriceBook, RegionCatalog
from planner.model.money import amount
from planner.scenario.budgets import BUDGET_COLUMNS, Budget
from planner.scenario.ledgers import budget_arrays
from planner.scenario.scenario import SETTINGS, Scenario

__all__ = ["BUDGET_COLUMNS", "Budget", "budget", "lease_charge"]


def budget(
    plan: Plan | str | Path,
    *,
    start: str | None = None,
    months: int | None = None,
    events: str | Path | Sequence[Event] | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Budget:
    """Month-by-month budget of a plan, per Region and pool.

    ``.to_frame()`` is the budget CSV's table, one row per month x Region x pool:
    ``month`` (a pandas Period), ``region`` and ``pool`` (categoricals), ``ips_start``,
    ``leased``, ``relinquished``, ``ips_end``, ``ip_days`` (int64), ``charge`` and
    ``refund`` (exact money, the ``money`` dtype: ``.charge.sum()`` is an exact
    :class:`~decimal.Decimal`) and ``currency``. Months in which a pool holds no IPs are
    left out. ``.totals`` are its exact sums, ``.to_dict()`` its JSON.

    Sizing settings (``per_ip_rate`` or ``profile``, ``utilization``, ``min_per_region``,
    ``az_failures``, ``azs``, ``peak_factor``), billing settings (``day_count``,
    ``lease_proration``) and the warm-up ``curve`` given here come before the plan's entries
    and ``[defaults]``. ``start`` may be later than the plan's own start: the budget
    then begins with the fleet the earlier events leave. ``events`` (an event-log
    path, or events) replaces the plan's event file.

    ``.warnings`` lists what the plan has that the budget leaves out (events after its
    last month); ``.billing`` the billing conventions used and where each came from;
    ``.start`` and ``.end`` the first and last month budgeted (the frame has no rows for
    months no pool holds IPs); ``.ready``, for each of ``.events`` (the plan's), the day a
    lease's IPs are warm under the warm-up ``curve`` (the plan's, or linear). A relinquish
    that leaves a pool sized from a rate with less warm capacity than that rate is a
    warning.

    ``scenario``, a :class:`~planner.Scenario` built for this plan (as the command line
    builds one), stands for the settings and files above.
    """

    from planner.files.plans import read_plan

    if not isinstance(plan, Plan):
        plan = read_plan(plan, events_file=events if isinstance(events, str | Path) else None)
    elif isinstance(events, str | Path):  # replaces the plan's event log, as read_plan does
        plan = plan.with_events_file(events)
    if events is not None and not isinstance(events, str | Path):
        plan = replace(plan, events=plan.events + tuple(events))
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SETTINGS, function="budget", plan=plan, prices=prices,
        regions_file=regions_file,
    )  # fmt: skip
    return Budget(budget_arrays(plan, scenario, start=start, months=months), plan.events)


def lease_charge(region: str, count: int, date: dt.date | str, **kwargs: Any) -> Decimal:
    """Charge for ``count`` IPs leased on ``date``, for the rest of that month.

    >>> lease_charge("us-east-1", 1, "2026-12-20")
    Decimal('9.66')
    """
    day = dt.date.fromisoformat(str(date)) if not isinstance(date, dt.date) else date
    plan = Plan(
        start=f"{day:%Y-%m}",
        months=1,
        events=(Event(date=day, region=region, action="lease", count=count),),
    )
    return amount(int(budget_arrays(plan, Scenario.build(plan=plan, **kwargs)).charge.sum()))

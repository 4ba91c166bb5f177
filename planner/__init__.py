"""ipcost: capacity and cost planning for Amazon SES dedicated IP addresses.

The library behind the ``ipcost`` command line. Its names load on first use, so
importing it loads nothing heavy, and the estimate path never loads pandas or
matplotlib; results convert to DataFrames with ``to_frame()``, and
``from planner import plot`` draws them with matplotlib.

>>> import planner
>>> e = planner.estimate("us-east-1", rate=300, per_ip_rate=40, utilization=0.8, date="2026-11-27")
>>> e.ips, e.monthly_fee
(10, Decimal('249.50'))
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

# The exports load on first use (PEP 562), so `ipcost estimate` and `ipcost --help`
# import only the modules they need.
_EXPORTS = {
    "DataFileError": "planner.errors",
    "Estimate": "planner.ops.estimates",
    "Event": "planner.files.plans",
    "InputError": "planner.errors",
    "Plan": "planner.files.plans",
    "PlanError": "planner.files.plans",
    "PlannerError": "planner.errors",
    "PriceBook": "planner.files.tables",
    "PriceNotFoundError": "planner.errors",
    "RegionCatalog": "planner.files.tables",
    "RegionEstimate": "planner.ops.estimates",
    "RegionLine": "planner.files.plans",
    "Scenario": "planner.scenario.scenario",
    "Relinquish": "planner.ops.relinquishes",
    "RelinquishDays": "planner.ops.relinquishes",
    "UnknownNameError": "planner.errors",
    "amount": "planner.model.money",
    "annual_fee": "planner.model.fees",
    "budget": "planner.ops.budgets",
    "Account": "planner.files.snapshot",
    "snapshot": "planner.ops.snapshots",
    "Snapshot": "planner.ops.snapshots",
    "Budget": "planner.ops.budgets",
    "capacity": "planner.model.sizing",
    "capacity_after_loss": "planner.model.sizing",
    "cents": "planner.model.money",
    "div_half_up": "planner.model.money",
    "estimate": "planner.ops.estimates",
    "format_cents": "planner.model.money",
    "ips_for_rate": "planner.model.sizing",
    "ips_lost": "planner.model.zones",
    "ips_needed": "planner.model.sizing",
    "ips_to_survive": "planner.model.sizing",
    "lease_charge": "planner.ops.budgets",
    "load_defaults": "planner.files.tables",
    "load_prices": "planner.files.tables",
    "load_profiles": "planner.files.tables",
    "load_regions": "planner.files.tables",
    "money_array": "planner.model.money",
    "monthly_fee": "planner.model.fees",
    "parse_cents": "planner.model.money",
    "rate_from_volume": "planner.model.sizing",
    "read_events": "planner.files.plans",
    "read_plan": "planner.files.plans",
    "relinquish": "planner.ops.relinquishes",
    "request": "planner.ops.cases",
    "Answers": "planner.ops.cases",
    "SupportCases": "planner.ops.cases",
    "relinquish_schedule": "planner.ops.relinquishes",
    "spread": "planner.model.zones",
    "write_budget_csv": "planner.edges.reports",
    "render_request": "planner.edges.reports",
    "write_xlsx": "planner.edges.workbook",
    "Warmup": "planner.ops.warmups",
    "Comparison": "planner.ops.comparisons",
    "Fleet": "planner.ops.fleets",
    "fleet": "planner.ops.fleets",
    "read_aws": "planner.files.aws",
    "read_price_list": "planner.files.pricelist",
    "read_history": "planner.files.history",
    "forecast": "planner.ops.forecasting",
    "Forecast": "planner.ops.forecasting",
    "PriceList": "planner.files.pricelist",
    "Schedule": "planner.ops.schedules",
    "ScheduledEvent": "planner.ops.schedules",
    "schedule": "planner.ops.schedules",
    "schedule_quantiles": "planner.ops.schedules",
    "QuantilePlans": "planner.ops.schedules",
    "read_forecast": "planner.files.forecasts",
    "compare": "planner.ops.comparisons",
    "warmup": "planner.ops.warmups",
    "load_warmup": "planner.files.tables",
}


#: Modules offered by a short name: ``from planner import plot`` draws results.
_MODULES = {"plot": "planner.edges.plots"}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_MODULES))


if TYPE_CHECKING:
    import planner.edges.plots as plot
    from planner.edges.reports import render_request, write_budget_csv
    from planner.edges.workbook import write_xlsx
    from planner.errors import (
        DataFileError,
        InputError,
        PlannerError,
        PriceNotFoundError,
        UnknownNameError,
    )
    from planner.files.aws import read_aws
    from planner.files.forecasts import read_forecast
    from planner.files.history import read_history
    from planner.files.plans import Event, Plan, PlanError, RegionLine, read_events, read_plan
    from planner.files.pricelist import PriceList, read_price_list
    from planner.files.snapshot import Account
    from planner.files.tables import (
        PriceBook,
        RegionCatalog,
        load_defaults,
        load_prices,
        load_profiles,
        load_regions,
        load_warmup,
    )
    from planner.model.fees import annual_fee, monthly_fee
    from planner.model.money import (
        amount,
        cents,
        div_half_up,
        format_cents,
        money_array,
        parse_cents,
    )
    from planner.model.sizing import (
        capacity,
        capacity_after_loss,
        ips_for_rate,
        ips_needed,
        ips_to_survive,
        rate_from_volume,
    )
    from planner.model.zones import ips_lost, spread
    from planner.ops.budgets import Budget, budget, lease_charge
    from planner.ops.cases import Answers, SupportCases, request
    from planner.ops.comparisons import Comparison, compare
    from planner.ops.estimates import Estimate, RegionEstimate, estimate
    from planner.ops.fleets import Fleet, fleet
    from planner.ops.forecasting import Forecast, forecast
    from planner.ops.relinquishes import Relinquish, RelinquishDays, relinquish, relinquish_schedule
    from planner.ops.schedules import (
        QuantilePlans,
        Schedule,
        ScheduledEvent,
        schedule,
        schedule_quantiles,
    )
    from planner.ops.snapshots import Snapshot, snapshot
    from planner.ops.warmups import Warmup, warmup
    from planner.scenario.scenario import Scenario

__all__ = [
    "Account",
    "Answers",
    "Budget",
    "Comparison",
    "DataFileError",
    "Estimate",
    "Event",
    "Fleet",
    "Forecast",
    "InputError",
    "Plan",
    "PlanError",
    "PlannerError",
    "PriceBook",
    "PriceList",
    "PriceNotFoundError",
    "QuantilePlans",
    "RegionCatalog",
    "RegionEstimate",
    "RegionLine",
    "Relinquish",
    "RelinquishDays",
    "Scenario",
    "Schedule",
    "ScheduledEvent",
    "Snapshot",
    "SupportCases",
    "UnknownNameError",
    "Warmup",
    "__version__",
    "amount",
    "annual_fee",
    "budget",
    "capacity",
    "capacity_after_loss",
    "cents",
    "compare",
    "div_half_up",
    "estimate",
    "fleet",
    "forecast",
    "format_cents",
    "ips_for_rate",
    "ips_lost",
    "ips_needed",
    "ips_to_survive",
    "lease_charge",
    "load_defaults",
    "load_prices",
    "load_profiles",
    "load_regions",
    "load_warmup",
    "money_array",
    "monthly_fee",
    "parse_cents",
    "plot",
    "rate_from_volume",
    "read_aws",
    "read_events",
    "read_forecast",
    "read_history",
    "read_plan",
    "read_price_list",
    "relinquish",
    "relinquish_schedule",
    "render_request",
    "request",
    "schedule",
    "schedule_quantiles",
    "snapshot",
    "spread",
    "warmup",
    "write_budget_csv",
    "write_xlsx",
]

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
    "Estimate": "planner._estimate",
    "Event": "planner.plan",
    "InputError": "planner.errors",
    "Plan": "planner.plan",
    "PlanError": "planner.plan",
    "PlannerError": "planner.errors",
    "PriceBook": "planner.reference",
    "PriceNotFoundError": "planner.errors",
    "RegionCatalog": "planner.reference",
    "RegionEstimate": "planner._estimate",
    "RegionLine": "planner.plan",
    "Relinquish": "planner._relinquish",
    "UnknownNameError": "planner.errors",
    "amount": "planner.money",
    "annual_fee": "planner.fees",
    "budget": "planner._budget",
    "capacity": "planner.sizing",
    "capacity_after_loss": "planner.sizing",
    "cents": "planner.money",
    "div_half_up": "planner.money",
    "estimate": "planner._estimate",
    "format_cents": "planner.money",
    "ips_for_rate": "planner.sizing",
    "ips_lost": "planner.zones",
    "ips_needed": "planner.sizing",
    "ips_to_survive": "planner.sizing",
    "lease_charge": "planner._budget",
    "load_defaults": "planner.reference",
    "load_prices": "planner.reference",
    "load_profiles": "planner.reference",
    "load_regions": "planner.reference",
    "money_array": "planner.money",
    "monthly_fee": "planner.fees",
    "parse_cents": "planner.money",
    "rate_from_volume": "planner.sizing",
    "read_events": "planner.plan",
    "read_plan": "planner.plan",
    "relinquish": "planner._relinquish",
    "relinquish_schedule": "planner._relinquish",
    "spread": "planner.zones",
    "write_budget_csv": "planner.views",
    "Warmup": "planner._warmup",
    "Comparison": "planner._compare",
    "Fleet": "planner.aws",
    "fleet": "planner.aws",
    "read_aws": "planner.aws",
    "Schedule": "planner._schedule",
    "schedule": "planner._schedule",
    "read_forecast": "planner._schedule",
    "compare": "planner._compare",
    "warmup": "planner._warmup",
    "load_warmup": "planner.reference",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from planner._budget import budget, lease_charge
    from planner._compare import Comparison, compare
    from planner._estimate import Estimate, RegionEstimate, estimate
    from planner._relinquish import Relinquish, relinquish, relinquish_schedule
    from planner._schedule import Schedule, read_forecast, schedule
    from planner._warmup import Warmup, warmup
    from planner.aws import Fleet, fleet, read_aws
    from planner.errors import (
        DataFileError,
        InputError,
        PlannerError,
        PriceNotFoundError,
        UnknownNameError,
    )
    from planner.fees import annual_fee, monthly_fee
    from planner.money import amount, cents, div_half_up, format_cents, money_array, parse_cents
    from planner.plan import Event, Plan, PlanError, RegionLine, read_events, read_plan
    from planner.reference import (
        PriceBook,
        RegionCatalog,
        load_defaults,
        load_prices,
        load_profiles,
        load_regions,
        load_warmup,
    )
    from planner.sizing import (
        capacity,
        capacity_after_loss,
        ips_for_rate,
        ips_needed,
        ips_to_survive,
        rate_from_volume,
    )
    from planner.views import write_budget_csv
    from planner.zones import ips_lost, spread

__all__ = [
    "Comparison",
    "DataFileError",
    "Estimate",
    "Event",
    "Fleet",
    "InputError",
    "Plan",
    "PlanError",
    "PlannerError",
    "PriceBook",
    "PriceNotFoundError",
    "RegionCatalog",
    "RegionEstimate",
    "RegionLine",
    "Relinquish",
    "Schedule",
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
    "rate_from_volume",
    "read_aws",
    "read_events",
    "read_forecast",
    "read_plan",
    "relinquish",
    "relinquish_schedule",
    "schedule",
    "spread",
    "warmup",
    "write_budget_csv",
]

"""``request``: what to enter in the Support Center case for dedicated IPs, per Region.

Three modes, decided here: the request case from a demand (sized as ``estimate``
sizes it), the request case from a forecast (scheduled as ``schedule`` schedules it),
or the relinquish case. The result holds the fields; :mod:`planner.edges.reports`
writes them as Markdown or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.files import typed
from planner.files.tables import PathLike
from planner.files.values import SIZING_SETTINGS
from planner.ops.estimates import Estimate, estimate_in
from planner.ops.schedules import Schedule, schedule
from planner.scenario.scenario import Scenario

#: The Support Center case for dedicated IPs (FACTS: requested per Region; the form asks
#: for the Desired Maximum Send Rate, and AWS sizes the IPs from it).
CASE_TYPE = "Service limit increase: Amazon SES dedicated IPs"
LIMIT = "Desired Maximum Send Rate"


@dataclass(frozen=True)
class Case:
    """The request case of one Region: the limit, its new value and the IPs wanted."""

    region: str
    new_limit_value: float | None
    """The Region's peak send rate [msg/s]; None when only an IP count is known."""
    ips: int
    use_case_description: str
    case: str = CASE_TYPE
    limit: str = LIMIT


@dataclass(frozen=True)
class RelinquishCase:
    """The case that relinquishes ``count`` IPs in one Region (it cannot be undone)."""

    region: str
    count: int | None
    request: str
    description: str
    case: str = CASE_TYPE


@dataclass(frozen=True)
class SupportCases:
    """The result of :func:`request`: request cases, or relinquish cases."""

    requests: tuple[Case, ...] = ()
    relinquish: tuple[RelinquishCase, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost request --format json``."""
        if self.relinquish:
            return {"relinquish": [_fields(c, RELINQUISH_KEYS) for c in self.relinquish]}
        return {"requests": [_fields(c, REQUEST_KEYS) for c in self.requests]}


REQUEST_KEYS = ("case", "region", "limit", "new_limit_value", "ips", "use_case_description")
RELINQUISH_KEYS = ("case", "region", "request", "description")


def _fields(case: Case | RelinquishCase, keys: Sequence[str]) -> dict[str, Any]:
    values = asdict(case)
    return {k: values[k] for k in keys}


def request(
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Any = None,
    daily_volume: Any = None,
    ips: Any = None,
    relinquish: Any = None,
    forecast: PathLike | None = None,
    date: Any = None,
    zones_file: PathLike | None = None,
    scenario: Scenario | None = None,
    **sizing: Any,
) -> SupportCases:
    """The Support Center case text per Region: to relinquish ``relinquish`` IPs; from a
    ``forecast`` (scheduled as :func:`planner.schedule` does); or from ``rate``,
    ``daily_volume`` or ``ips`` (sized as :func:`planner.estimate` does). ``sizing``
    takes estimate's sizing settings; ``scenario`` stands for them and the files.

    >>> cases = request("us-east-1", rate=300, per_ip_rate=40, date="2027-01-01")
    >>> cases.requests[0].ips, cases.requests[0].new_limit_value
    (10, 300.0)
    """
    names = [regions] if isinstance(regions, str) else list(regions)
    if relinquish is not None:
        return SupportCases(
            relinquish=_relinquish_cases(names, typed.whole("relinquish", relinquish))
        )
    if scenario is None:
        scenario = Scenario.build(sizing, allowed=SIZING_SETTINGS, zones_file=zones_file, date=date)
    if forecast is not None:
        if rate is not None or daily_volume is not None or ips is not None:
            raise InputError("forecast", str(forecast), "a rate, volume or IP count was given too")
        return SupportCases(requests=_schedule_cases(schedule(Path(forecast), scenario=scenario)))
    est = estimate_in(scenario, names, rate=rate, daily_volume=daily_volume, ips=ips)
    return SupportCases(requests=_estimate_cases(est, scenario), warnings=est.warnings)


def _relinquish_cases(names: Sequence[str], count: int | None) -> tuple[RelinquishCase, ...]:
    return tuple(
        RelinquishCase(
            region=name, count=count, request=f"Relinquish {count} dedicated IPs",
            description=(
                f"Please relinquish {count} of our dedicated IPs in {name} (their addresses: "
                "'ipcost fleet' or 'aws sesv2 get-dedicated-ips'). We understand that "
                "relinquishing cannot be undone: the IPs cannot be returned to us, and new ones "
                "would need warming up again."
            ),
        )
        for name in names
    )  # fmt: skip


def _estimate_cases(est: Estimate, scenario: Scenario) -> tuple[Case, ...]:
    """A case per Region of an estimate: its rate, its IPs and how they were sized."""
    a, days = est.assumptions, scenario.curve.days
    out = []
    for r in est.regions:
        rate = r.send_rate
        survive = (
            f", and {r.ips} so that losing {a.az_failures} of {r.availability_zones} Availability "
            f"Zones still leaves the peak carried"
            if a.az_failures and r.ips_for_rate is not None
            else ""
        )
        sizing = (
            f"At {float(a.per_ip_rate):,.2f} msg/s per warm IP and {a.utilization:.0%} utilization, "
            f"{r.ips_for_rate} IPs carry the peak{survive}. "
            if r.ips_for_rate is not None
            else ""
        )
        daily = None if rate is None else rate * 86_400 / (a.peak_factor or 1.0)
        volume = (
            f"up to {daily:,.0f} messages a day, peaking at {rate:,.2f} msg/s"
            if rate
            else "our mail"
        )
        description = (
            f"We send {volume} from {r.region} and request {r.ips} dedicated IP"
            f"{'s' if r.ips != 1 else ''}. {sizing}"
            "Our volume is steady and regular, so the IPs stay warm, and we want our sending "
            "reputation to rest on our own mail rather than on the shared pool's. We understand "
            f"new IPs warm up automatically over about {days} days and that AWS spreads them "
            "across the Region's Availability Zones."
        )
        value = None if rate is None else round(rate, 2)
        out.append(Case(r.region, value, r.ips, description))
    return tuple(out)


def _schedule_cases(plan: Schedule) -> tuple[Case, ...]:
    """A case per Region from a schedule: the forecast's peak month and its IPs, and the
    first request's date."""
    days = plan.fleet.found.curve.days
    out = []
    for region, months in plan.months.groupby("region", sort=False):
        peak = months.iloc[int(months["peak_rate"].to_numpy().argmax())]  # the busiest month
        leases = [e for e in plan.events if e.region == region and e.action == "lease"]
        first = min(leases, key=lambda e: e.date) if leases else None
        when = (f" The first IPs must be requested by {first.request_by} to be warm on "
                f"{first.ready_date}." if first is not None else "")  # fmt: skip
        ips = int(months["ips_needed"].max())
        description = (
            f"Our forecast for {region} peaks at {float(peak['peak_rate']):,.2f} msg/s in "
            f"{peak['month']}; its busiest months need {ips} dedicated IP{'s' if ips != 1 else ''} "
            f"(sized as for an estimate, month by month).{when} Our volume is steady and "
            "regular, so the IPs stay warm, and we want our sending reputation to rest on our "
            f"own mail rather than on the shared pool's. We understand new IPs warm up "
            f"automatically over about {days} days."
        )
        out.append(Case(str(region), round(float(peak["peak_rate"]), 2), ips, description))
    return tuple(out)

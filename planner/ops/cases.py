"""``request``: the Support Center case for dedicated IPs, field by field, per Region.

The form (SES developer guide, "Requesting and relinquishing dedicated IP addresses";
FACTS.md) asks, for a request: Limit type *SES Sending Limits*, *Mail Type*, *Website
URL*, whether you only send to recipients who asked for your mail, whether you have a
process for bounces and complaints, whether you comply with the AWS Service Terms and
AUP, then per Region the *Limit* (*Desired Maximum Send Rate*) and its *New limit
value*, a use-case description, and the contact language (English or Japanese). For a
relinquish: Limit type, Region, Limit, New limit value (any number: AWS does not use
it), the count and addresses in the description, and the contact language.

Three modes, decided here: a request from a demand (sized as ``estimate`` sizes it), a
request from a forecast (one case per wave of the schedule's leases: the leases due to
be requested on one date), or a relinquish. What ipcost cannot know is the user's
answer (:class:`Answers`) or a visible placeholder saying what to write; nothing about
the user's mail is invented.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.files import typed
from planner.files.tables import PathLike
from planner.files.values import SIZING_SETTINGS
from planner.model.limits import MAX_IPS
from planner.ops.estimates import Estimate, RegionEstimate, estimate_in
from planner.ops.form import CASE_TYPE, LANGUAGES, LIMIT, LIMIT_TYPE, QUESTIONS
from planner.ops.schedules import Schedule, ScheduledEvent, schedule
from planner.scenario.scenario import Scenario


def placeholder(question: str) -> str:
    """What the case shows for an answer not given: a visible prompt, never a guess."""
    option, what, _ = QUESTIONS[question]
    return f"[to fill in: {what} ({option})]"


@dataclass(frozen=True)
class Answers:
    """The user's answers to the form's questions, as given; ``None`` stays a placeholder."""

    mail_type: str | None = None
    website: str | None = None
    opt_in: str | None = None
    bounce_process: str | None = None
    aup: str | None = None
    contact_language: str | None = None
    usage: str | None = None
    why_dedicated: str | None = None

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> Answers:
        """Checked answers: one line of text each; ``aup`` only ``yes``; the language
        English or Japanese."""
        out: dict[str, str | None] = {}
        for name in QUESTIONS:
            value = given.get(name)
            if value is None:
                out[name] = None
                continue
            text = str(value).strip()
            if not text or "\n" in text or "\r" in text:
                raise InputError(name, value, "expected one line of text")
            out[name] = text
        if out["aup"] is not None and out["aup"].lower() != "yes":
            raise InputError("aup", out["aup"], "expected yes (the form asks you to confirm it)")
        if out["contact_language"] is not None:
            if out["contact_language"].lower() not in LANGUAGES:
                raise InputError("contact_language", out["contact_language"],
                                 "expected english or japanese")  # fmt: skip
            out["contact_language"] = out["contact_language"].capitalize()
        return cls(**out)

    def text(self, question: str) -> str:
        """The answer, or its placeholder."""
        value = getattr(self, question)
        return placeholder(question) if value is None else str(value)

    def to_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Case:
    """The request case of one Region (and, from a forecast, one wave of leases)."""

    region: str
    new_limit_value: float | None
    """The Region's total peak send rate [msg/s]; None when only an IP count is known."""
    ips: int
    use_case_description: str
    answers: Answers
    request_by: dt.date | None = None
    """From a forecast: the day the case must be opened for the IPs to be warm in time."""
    for_month: str | None = None
    case: str = CASE_TYPE
    limit_type: str = LIMIT_TYPE
    limit: str = LIMIT

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case, "region": self.region, "limit_type": self.limit_type,
            "limit": self.limit, "new_limit_value": self.new_limit_value, "ips": self.ips,
            "request_by": None if self.request_by is None else self.request_by.isoformat(),
            "for_month": self.for_month, **self.answers.to_dict(),
            "use_case_description": self.use_case_description,
        }  # fmt: skip


@dataclass(frozen=True)
class RelinquishCase:
    """The case that relinquishes ``count`` IPs in one Region (it cannot be undone)."""

    region: str
    count: int
    addresses: tuple[str, ...]
    refund: Decimal
    date: dt.date
    use_case_description: str
    answers: Answers
    currency: str = "USD"
    case: str = CASE_TYPE
    limit_type: str = LIMIT_TYPE
    limit: str = LIMIT
    new_limit_value: None = None
    """Any number will do: AWS does not use it for a relinquish."""

    @property
    def request(self) -> str:
        return f"Relinquish {self.count} dedicated IP{'s' if self.count != 1 else ''}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case, "region": self.region, "limit_type": self.limit_type,
            "limit": self.limit, "new_limit_value": None, "request": self.request,
            "count": self.count, "addresses": list(self.addresses), "date": self.date.isoformat(),
            "refund": str(self.refund), "currency": self.currency,
            "contact_language": self.answers.contact_language,
            "use_case_description": self.use_case_description,
            "description": self.use_case_description,
        }  # fmt: skip


@dataclass(frozen=True)
class SupportCases:
    """The result of :func:`request`: request cases, or relinquish cases."""

    requests: tuple[Case, ...] = ()
    relinquish: tuple[RelinquishCase, ...] = ()
    warnings: tuple[str, ...] = ()
    answers: Answers = field(default_factory=Answers)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost request --format json``."""
        if self.relinquish:
            return {"relinquish": [c.to_dict() for c in self.relinquish]}
        return {"requests": [c.to_dict() for c in self.requests]}


def request(
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Any = None,
    daily_volume: Any = None,
    ips: Any = None,
    forecast: PathLike | None = None,
    relinquish: Any = None,
    addresses: Sequence[str] = (),
    fleet_files: Sequence[PathLike] = (),
    held: Any = None,
    answers: Answers | Mapping[str, Any] | None = None,
    date: Any = None,
    today: Any = None,
    zones_file: PathLike | None = None,
    account_file: PathLike | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> SupportCases:
    """The Support Center cases, per Region: to relinquish ``relinquish`` IPs (their
    ``addresses``, checked against ``fleet_files`` when given, refunded as relinquished
    on ``date``); from a ``forecast`` (scheduled as :func:`planner.schedule` does, one case
    per wave of leases); or from ``rate``, ``daily_volume`` or ``ips`` (sized as
    :func:`planner.estimate` does). ``answers`` are the user's answers to the form
    (:class:`Answers`); the sizing ``settings``, files, ``date`` and ``today`` build the
    scenario, or ``scenario`` stands for them.

    >>> cases = request("us-east-1", rate=300, per_ip_rate=40, date="2027-01-01")
    >>> cases.requests[0].ips, cases.requests[0].new_limit_value
    (10, 300.0)
    """
    names = [regions] if isinstance(regions, str) else list(regions)
    given = answers if isinstance(answers, Answers) else Answers.of(answers or {})
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS, function="request", zones_file=zones_file,
        account_file=account_file, date=date, today=today,
    )  # fmt: skip
    demand = {"rate": rate, "daily_volume": daily_volume, "ips": ips, "forecast": forecast}
    if relinquish is not None:
        _only("relinquish", relinquish, demand)
        return _relinquish(scenario, names, typed.whole("relinquish", relinquish), addresses,
                           fleet_files, held, given)  # fmt: skip
    if addresses or fleet_files or held is not None:
        what, value = (("ip", addresses[0]) if addresses else ("fleet", str(fleet_files[0]))
                       if fleet_files else ("held", held))  # fmt: skip
        raise InputError(what, value, "only a relinquish (--relinquish N) takes addresses, fleet "
                         "files or a held count")  # fmt: skip
    if forecast is not None:
        _only("forecast", str(forecast), {"rate": rate, "daily_volume": daily_volume, "ips": ips})
        plan = schedule(Path(forecast), scenario=scenario)
        cases = _waves(plan, given, scenario)
        return SupportCases(requests=cases, warnings=plan.warnings, answers=given)
    est = estimate_in(scenario, names, rate=rate, daily_volume=daily_volume, ips=ips)  # quota too
    cases = tuple(_estimate_case(r, est, scenario, given) for r in est.regions)
    return SupportCases(requests=cases, warnings=est.warnings, answers=given)


def _only(field_name: str, value: Any, others: Mapping[str, Any]) -> None:
    """``value`` (when given) contradicts each of ``others`` that is given too."""
    if value is None:
        return
    clash = [name for name, v in others.items() if v is not None and v != [] and v != ()]
    if clash:
        raise InputError(field_name, value, f"--{clash[0].replace('_', '-')} was given too; "
                         "give one kind of request")  # fmt: skip


def _sizing_words(est: Estimate, row: RegionEstimate) -> str:
    """How an estimate's count was sized, from its assumptions."""
    a = est.assumptions
    per_ip = f"{float(a.per_ip_rate):,.2f} msg/s per warm IP"
    source = f"profile {a.profile}: {a.per_ip_rate_from}" if a.profile else "as we gave it"
    survive = (
        f", and enough that losing {a.az_failures} of {row.availability_zones} Availability Zones "
        "still carries the peak"
        if a.az_failures
        else ""
    )
    return (
        f"Sized with ipcost: {per_ip} ({source}), {a.utilization:.0%} of it used, at least "
        f"{a.min_per_region} IPs in a Region{survive}: {row.ips_for_rate} IPs for the rate, "
        f"{row.ips} in all."
    )


def _estimate_case(row: RegionEstimate, est: Estimate, scenario: Scenario, given: Answers) -> Case:
    """A request case from an estimate's Region: its rate (as given) and its IPs."""
    plural = "s" if row.ips != 1 else ""
    if row.send_rate is None:
        ask = f"We request {row.ips} dedicated IP{plural} in {row.region} (a count we chose)."
        how = ""
    else:
        ask = (f"We request {row.ips} dedicated IP{plural} in {row.region} for a peak send "
               f"rate of {row.send_rate:,.2f} msg/s.")  # fmt: skip
        how = " " + _sizing_words(est, row)
    value = None if row.send_rate is None else round(row.send_rate, 2)
    return Case(row.region, value, row.ips, _description(ask + how, given, scenario), given)


def _description(facts: str, given: Answers, scenario: Scenario) -> str:
    """The use-case description: the facts ipcost knows, then the user's own words (or
    placeholders) for how the IPs will be used and why they are dedicated."""
    return (
        f"{facts} How we will use them: {given.text('usage')} Why dedicated rather than "
        f"shared IPs: {given.text('why_dedicated')} We understand new IPs warm up automatically over "
        f"about {scenario.curve.days} days and that AWS spreads them across the Region's "
        "Availability Zones."
    )


def _waves(plan: Schedule, given: Answers, scenario: Scenario) -> tuple[Case, ...]:
    """One case per Region and request-by date: the IPs leased then (summed over the
    Region's pools) and the Region's total peak in the month they are for."""
    waves: dict[tuple[str, dt.date], list[ScheduledEvent]] = {}
    for e in plan.events:
        if e.action == "lease" and e.request_by is not None:
            waves.setdefault((e.region, e.request_by), []).append(e)
    months = plan.months
    out = []
    for (region, request_by), leases in sorted(waves.items(), key=lambda w: (w[0][1], w[0][0])):
        month = leases[0].for_month
        rows = months[(months["region"] == region) & (months["month"] == month)]
        total = round(float(rows["peak_rate"].sum()), 2)
        count = sum(e.count for e in leases)
        held = int(rows["ips_needed"].sum())
        pools = ", ".join(f"{r.pool} {r.peak_rate:,.2f}" for r in rows.itertuples())
        facts = (
            f"We request {count} more dedicated IP{'s' if count != 1 else ''} in {region}, to "
            f"be warm on {leases[0].ready_date} for {month}, when our forecast peaks at "
            f"{total:,.2f} msg/s in {region} (by pool, msg/s: {pools}) and needs {held} IPs in "
            f"all, sized with ipcost month by month."
        )
        out.append(Case(region, total, count, _description(facts, given, scenario), given,
                        request_by=request_by, for_month=month))  # fmt: skip
    return tuple(out)


def _relinquish(
    scenario: Scenario,
    names: Sequence[str],
    count: int | None,
    addresses: Sequence[str],
    fleet_files: Sequence[PathLike],
    held: Any,
    given: Answers,
) -> SupportCases:
    """The relinquish case per Region: the count (1 to what is held, when known), the
    addresses (checked against the fleet files), the refund as of the price date."""
    from planner.ops.relinquishes import relinquish as priced

    if count is None or not 1 <= count <= MAX_IPS:
        raise InputError("relinquish", count, f"expected 1 to {MAX_IPS:,} IPs")
    regions = _regions(scenario, names)
    if addresses and len(regions) != 1:
        raise InputError("ip", addresses[0], "expected addresses for one Region at a time")
    owned = _held(scenario, regions[0], fleet_files, held) if len(regions) == 1 else None
    n = count
    if owned is not None and not 1 <= n <= owned:
        raise InputError("relinquish", n, f"{regions[0]} holds {owned} standard IPs; expected 1 "
                         f"to {owned}")  # fmt: skip
    ips = _addresses(addresses, n, fleet_files, regions[0] if regions else "")
    cases = []
    for region in regions:
        price = priced(region, n, scenario.price_date, scenario=scenario)
        listed = (
            f" ({', '.join(ips)})"
            if ips
            else " (their addresses: 'ipcost fleet' or 'aws sesv2 get-dedicated-ips')"
        )
        facts = (
            f"Please relinquish {n} of our dedicated IPs in {region}{listed}. We understand that "
            "relinquishing cannot be undone: the IPs cannot be returned to us, and new ones "
            f"would need warming up again. The New limit value above is not used. Relinquished "
            f"on {price.date}, the month's fee is prorated by days elapsed: "
            f"{price.refund} {price.currency} of it is refunded."
        )  # fmt: skip
        cases.append(RelinquishCase(region, n, ips, price.refund, price.date, facts, given,
                                    price.currency))  # fmt: skip
    return SupportCases(relinquish=tuple(cases), answers=given)


def _regions(scenario: Scenario, names: Sequence[str]) -> list[str]:
    """The Regions as the table spells them (an unknown one is an error), each once."""
    spelled = [scenario.catalog[name].region for name in names]
    twice = [n for n, s in zip(names, spelled, strict=True) if spelled.count(s) > 1]
    if twice:
        raise InputError("region", twice[-1], "expected each Region once")
    return spelled


def _held(
    scenario: Scenario, region: str, fleet_files: Sequence[PathLike], held: Any
) -> int | None:
    """The standard IPs held in the Region: from the fleet files, or as given."""
    if fleet_files:
        from planner.ops.fleets import fleet

        found = fleet(fleet_files, region, scenario=scenario)
        return sum(p.ips for p in found.pools if p.scaling == "STANDARD")
    return typed.whole("held", held)


def _addresses(
    addresses: Sequence[str], count: int, fleet_files: Sequence[PathLike], region: str
) -> tuple[str, ...]:
    """The IPs to relinquish: IPv4 addresses, each once, as many as relinquished, and
    each a standard IP of the fleet files when given."""
    out = []
    for text in addresses:
        try:
            out.append(str(ipaddress.IPv4Address(str(text).strip())))
        except ValueError:
            raise InputError(
                "ip", text, "expected an IPv4 address, such as 198.51.100.10"
            ) from None
    if len(set(out)) != len(out):
        raise InputError(
            "ip", next(a for a in out if out.count(a) > 1), "expected each address once"
        )
    if out and len(out) != count:
        raise InputError("ip", ", ".join(out), f"{len(out)} addresses for {count} IPs relinquished; "
                         "expected one address per IP")  # fmt: skip
    if out and fleet_files:
        from planner.files.aws import read_aws

        account = read_aws(fleet_files)
        standard = {ip.ip for ip in account.ips if ip.warmup_percentage != -1}
        missing = [a for a in out if a not in standard]
        if missing:
            raise InputError("ip", missing[0], f"is not a standard dedicated IP in the fleet files "
                             f"of {region} ({', '.join(account.files)})")  # fmt: skip
    return tuple(out)

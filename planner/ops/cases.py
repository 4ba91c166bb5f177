"""``request``: the Support Center cases for dedicated IPs, laid out as the form asks.

One case per filing date (SES developer guide, "Requesting and relinquishing dedicated
IP addresses"; the form is :mod:`planner.files.form`):

- *Case classification* once: the Limit type (SES Sending Limits), Mail Type, Website
  URL, the two optional answers (only recipients who asked for mail; bounces and
  complaints) and the AUP question;
- *Requests*: one block per Region ("Add another request" between them), each with the
  Limit (Desired Maximum Send Rate) and its New limit value, a whole number of messages
  per second (the Region's rate across its pools, rounded up);
- *Case description*: one use-case description for the whole case;
- *Contact options*: the preferred contact language.

Three modes, decided here: a request from a demand (sized as ``estimate`` sizes it), the
cases of a forecast's schedule (one request case per filing date with every Region
leasing then, and a relinquish case per relinquish date), or a relinquish. What ipcost
cannot know is the user's answer (:class:`Answers`) or a visible ``[to fill in: ...]``
placeholder naming the option that fills it: no claim about the user's mail, traffic or
intent is made for them. What the tool tells the user but does not send to AWS (the IPs
per Region, the refund, the sizing) is the case's ``notes_for_you``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import InputError
from planner.files import typed
from planner.files.form import CASE_TYPE, CLASSIFICATION, LIMIT, LIMIT_TYPE, QUESTIONS, check_answer
from planner.files.plans import DEFAULT_POOL
from planner.files.tables import PathLike
from planner.files.values import GIVEN, SCHEDULE_SETTINGS, SIZING_SETTINGS
from planner.model.arrays import DateLike, Numbers
from planner.model.limits import MAX_IPS
from planner.ops.estimates import Estimate, estimate
from planner.ops.schedules import Schedule, ScheduledEvent, schedule
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Settings
from planner.words import plural

if TYPE_CHECKING:
    import pandas as pd

    from planner.files.snapshot import Account
    from planner.ops.forecasting import Forecast

REQUEST = "request"
RELINQUISH = "relinquish"


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
        """Checked answers (:func:`planner.files.form.check_answer`): one line of text
        each; Mail Type, the AUP answer and the language one of the form's choices, shown
        as the form shows them; the website an http(s) address."""
        unknown = [name for name in given if name not in QUESTIONS]
        if unknown:
            raise TypeError(f"answers: unknown question {unknown[0]!r}; expected one of "
                            f"{', '.join(QUESTIONS)}")  # fmt: skip
        return cls(**{name: check_answer(name, given.get(name)) for name in QUESTIONS})

    def text(self, question: str) -> str:
        """The answer, or its placeholder."""
        value = getattr(self, question)
        return placeholder(question) if value is None else str(value)

    def to_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class LimitRequest:
    """One block of the form's *Requests*: a Region, its Limit and New limit value."""

    region: str
    new_limit_value: int | str
    """A whole number of messages per second, or a placeholder saying what to write."""
    ips: int
    """IPs asked for (a request) or relinquished in the Region: for the user, not a box."""
    region_name: str = ""
    """The Region's name, as the form's drop-down shows it (US East (N. Virginia))."""
    limit: str = LIMIT

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "limit": self.limit,
                "new_limit_value": self.new_limit_value}  # fmt: skip


@dataclass(frozen=True)
class SupportCase:
    """One Support Center case, box by box; ``kind`` is ``request`` or ``relinquish``."""

    kind: str
    requests: tuple[LimitRequest, ...]
    use_case_description: str
    """Paragraphs separated by a blank line."""
    answers: Answers
    file_by: dt.date | None = None
    """The day to open it: a schedule's request-by date, or the relinquish date."""
    notes_for_you: tuple[str, ...] = ()
    refund: Decimal | None = None
    """A relinquish: what it refunds, in all (told to the user, not sent to AWS)."""
    currency: str = "USD"
    case_type: str = CASE_TYPE
    limit_type: str = LIMIT_TYPE

    def classification(self) -> tuple[tuple[str, str, str | None], ...]:
        """The Case classification boxes after Limit type: (key, label, value); a
        relinquish leaves them blank (``None``): its form asks only the Limit type."""
        return tuple(
            (key, label, None if self.kind == RELINQUISH else self.answers.text(key))
            for key, label in CLASSIFICATION
        )

    @property
    def contact_language(self) -> str:
        return self.answers.text("contact_language")

    @property
    def ips(self) -> int:
        """IPs asked for or relinquished, over the case's Regions."""
        return sum(r.ips for r in self.requests)

    def to_dict(self) -> dict[str, Any]:
        """One case of the JSON contract of ``ipcost request --format json``."""
        boxes = {("website_url" if key == "website" else key): value
                 for key, _, value in self.classification()}  # fmt: skip
        return {
            "kind": self.kind,
            "file_by": None if self.file_by is None else self.file_by.isoformat(),
            "case_type": self.case_type,
            "limit_type": self.limit_type,
            **boxes,
            "requests": [r.to_dict() for r in self.requests],
            "use_case_description": self.use_case_description,
            "contact_language": self.contact_language,
            "notes_for_you": list(self.notes_for_you),
        }


@dataclass(frozen=True)
class SupportCases:
    """The result of :func:`request`: the cases in filing order, and the warnings."""

    cases: tuple[SupportCase, ...]
    warnings: tuple[str, ...] = ()
    answers: Answers = field(default_factory=Answers)

    @property
    def requests(self) -> tuple[SupportCase, ...]:
        return tuple(c for c in self.cases if c.kind == REQUEST)

    @property
    def relinquishes(self) -> tuple[SupportCase, ...]:
        return tuple(c for c in self.cases if c.kind == RELINQUISH)

    def to_list(self) -> list[dict[str, Any]]:
        """The JSON contract of ``ipcost request --format json``: a list of cases."""
        return [c.to_dict() for c in self.cases]

    def to_dict(self) -> dict[str, Any]:
        """``{"cases": ...}``: the cases as ``ipcost request -f json`` lists them."""
        return {"cases": self.to_list()}

    def to_frame(self) -> Any:
        """One row per request block: ``case`` (1, 2, ...), ``kind``, ``file_by``,
        ``region``, ``new_limit_value`` (msg/s, or the placeholder's text) and ``ips``."""
        import pandas as pd

        return pd.DataFrame(
            [{"case": i, "kind": c.kind, "file_by": c.file_by, "region": r.region,
              "new_limit_value": r.new_limit_value, "ips": r.ips}
             for i, c in enumerate(self.cases, start=1) for r in c.requests],
            columns=["case", "kind", "file_by", "region", "new_limit_value", "ips"],
        )  # fmt: skip


def request(
    regions: str | Sequence[str] = ("us-east-1",),
    *,
    rate: Numbers | None = None,
    daily_volume: Numbers | None = None,
    ips: Numbers | None = None,
    forecast: PathLike | Forecast | pd.DataFrame | None = None,
    quantile: float | None = None,
    relinquish: int | str | None = None,
    addresses: Sequence[str] = (),
    fleet_files: Sequence[PathLike] = (),
    held: int | str | None = None,
    answers: Answers | Mapping[str, Any] | None = None,
    date: DateLike | None = None,
    today: DateLike | None = None,
    zones_file: PathLike | None = None,
    account_file: PathLike | None = None,
    account_dir: PathLike | Account | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> SupportCases:
    """The Support Center cases: one request case for ``rate``, ``daily_volume`` or
    ``ips`` in every Region (sized as :func:`planner.estimate` sizes); from a ``forecast``
    (scheduled as :func:`planner.schedule` does, for its ``quantile`` column when given,
    from the account's fleet in ``fleet_files`` when given), one request case per filing date and a relinquish case
    per relinquish date; or one case relinquishing ``relinquish`` IPs in
    each Region (their ``addresses``, checked against ``fleet_files`` when given,
    refunded as relinquished on ``date``). ``answers`` are the user's answers to the form
    (:class:`Answers`); the sizing ``settings``, files, ``date`` and ``today`` build the
    scenario, or ``scenario`` stands for them.

    >>> cases = request(["us-east-1", "eu-west-1"], rate=[450, 120], date="2027-01-01")
    >>> [(r.region, r.new_limit_value, r.ips) for r in cases.cases[0].requests]
    [('us-east-1', 450, 17), ('eu-west-1', 120, 5)]
    """
    names = [regions] if isinstance(regions, str) else list(regions)
    given = answers if isinstance(answers, Answers) else Answers.of(answers or {})
    cases = _cases(names, rate, daily_volume, ips, (forecast, quantile), relinquish, addresses, fleet_files,
                   held, given, Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS + SCHEDULE_SETTINGS, function="request", zones_file=zones_file,
        account_file=account_file, account_dir=account_dir, date=date, today=today))  # fmt: skip
    if given.aup == "No":
        refusal = ("aup: the case answers No to complying with the AWS Service Terms and AUP; "
                   "AWS grants sending limits to senders who comply")  # fmt: skip
        return replace(cases, warnings=(*cases.warnings, refusal))
    return cases


def _cases(
    names: Sequence[str],
    rate: Any,
    daily_volume: Any,
    ips: Any,
    asked: tuple[PathLike | Forecast | pd.DataFrame | None, float | None],
    relinquish: Any,
    addresses: Sequence[str],
    fleet_files: Sequence[PathLike],
    held: Any,
    given: Answers,
    scenario: Scenario,
) -> SupportCases:
    """The cases of :func:`request`, in its three modes (``asked``: the forecast and its
    quantile)."""
    forecast, quantile = asked
    demand = {"rate": rate, "daily_volume": daily_volume, "ips": ips, "forecast": forecast}
    if relinquish is not None:
        _only("relinquish", relinquish, demand)
        return _relinquish(scenario, names, typed.whole("relinquish", relinquish), addresses,
                           fleet_files, held, given)  # fmt: skip
    if addresses or (fleet_files and forecast is None) or held is not None:
        what, value = (("ip", addresses[0]) if addresses else ("fleet", str(fleet_files[0]))
                       if fleet_files else ("held", held))  # fmt: skip
        raise InputError(what, value, "only a relinquish (--relinquish N) takes addresses or a "
                         "held count, and fleet files a relinquish or a forecast")  # fmt: skip
    if forecast is not None:
        _only(
            "forecast",
            str(forecast) if isinstance(forecast, str | Path) else "a forecast",
            {"rate": rate, "daily_volume": daily_volume, "ips": ips},
        )
        plan = schedule(  # from the account's fleet, when its files are given
            Path(forecast) if isinstance(forecast, str) else forecast,
            fleet_files=fleet_files,
            quantile=quantile,
            scenario=scenario,
        )
        waves = _waves(plan, given, scenario)
        cases = (*waves, *_schedule_relinquishes(plan, given, scenario, waves))
        ordered = sorted(cases, key=lambda c: (c.file_by or dt.date.min, c.kind != REQUEST))
        return SupportCases(cases=tuple(ordered), warnings=plan.warnings, answers=given)
    est = estimate(
        names, rate=rate, daily_volume=daily_volume, ips=ips, scenario=scenario
    )  # quota too
    _whole_rates(est, rate)
    return SupportCases(cases=(_estimate_case(est, scenario, given),), warnings=est.warnings,
                        answers=given)  # fmt: skip


def _whole_rates(est: Estimate, rate: Any) -> None:
    """A rate the New limit value box can hold: at least 1 msg/s (the box takes a whole
    number, and a case for less than one message a second asks for nothing)."""
    if est.assumptions.basis != "rate":
        return
    for i, row in enumerate(est.regions):
        if row.send_rate is not None and row.send_rate < 1:
            values = list(rate) if isinstance(rate, list | tuple) else [rate]
            typed_value = values[i] if i < len(values) else values[0]
            raise InputError("rate", typed_value, "the form's New limit value is a whole number "
                             "of messages per second; expected at least 1 for a case")  # fmt: skip


def _only(field_name: str, value: Any, others: Mapping[str, Any]) -> None:
    """``value`` (when given) contradicts each of ``others`` that is given too."""
    if value is None:
        return
    clash = [name for name, v in others.items() if v is not None and v != [] and v != ()]
    if clash:
        raise InputError(field_name, value, f"--{clash[0].replace('_', '-')} was given too; "
                         "give one kind of request")  # fmt: skip


# --------------------------------------------------------------------------- words


def _listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _rate_words(rate: float) -> str:
    """A rate as a person writes it: 450, 231.48."""
    return f"{rate:,.0f}" if rate == int(rate) else f"{rate:,.2f}"


def limit_value(rate: float) -> int:
    """The New limit value box: a rate [msg/s] rounded up to a whole number, at least 1."""
    return max(1, math.ceil(round(rate, 9)))


def _how_sized(rows: Sequence[tuple[Settings, int | None]], counts: Sequence[int]) -> str:
    """How the counts were reached, in plain words, from each Region's settings, its IPs
    for the rate alone (``None``: not told) and the ``counts`` asked for."""
    first = rows[0][0]
    per_ip = first.exact_per_ip_rate
    if first.profile is not None:
        per_day = per_ip * 86_400
        capacity = (f"{float(per_ip):,.2f} messages per second per warm IP ({float(per_day):,.0f} "
                    "messages a day)")  # fmt: skip
    else:
        capacity = f"{_rate_words(float(per_ip))} messages per second per warm IP"
    parts = [f"we plan on {capacity}, using at most {first.utilization:.0%} of it",
             f"we keep at least {plural(first.min_per_region, 'IP')} in each Region"]  # fmt: skip
    if first.az_failures:
        zones = _listed([f"{s.azs} in {s.region}" for s, _ in rows])
        parts.append(f"and each Region still carries its peak with {first.az_failures} of its "
                     f"Availability Zones lost (Availability Zones: {zones})")  # fmt: skip
    sized = [(s.region, n) for s, n in rows if n is not None]
    rate_alone = (
        f" The send rate alone would need {_listed([f'{n:,} in {r}' for r, n in sized])}."
        if any(n is not None and n != ips for (_, n), ips in zip(rows, counts, strict=True))
        else ""
    )  # fmt: skip
    return "How we reached these counts: " + "; ".join(parts) + "." + rate_alone


def _answers_paragraphs(given: Answers) -> list[str]:
    return [f"How we will use the dedicated IPs: {given.text('usage')}",
            f"Why dedicated rather than shared IPs: {given.text('why_dedicated')}"]  # fmt: skip


# --------------------------------------------------------------- a request from a demand


def _estimate_case(est: Estimate, scenario: Scenario, given: Answers) -> SupportCase:
    """The one request case of an estimate: a block per Region in the order given."""
    a = est.assumptions
    rows = est.regions
    settings = [scenario.settings(r.region) for r in rows]
    peak_given = a.basis == "rate" or (
        a.basis == "daily_volume" and settings[0].assumption("peak_factor").origin == GIVEN
    )
    blocks, notes = [], []
    for r in rows:
        if a.basis == "ips" or r.send_rate is None:
            value: int | str = "[to fill in: your peak send rate in messages per second (--rate)]"
        elif not peak_given:
            value = (f"[to fill in: your peak send rate in messages per second; "
                     f"{_rate_words(r.send_rate)} is the day's average (--rate or --peak-factor)]")  # fmt: skip
        else:
            value = limit_value(r.send_rate)
        blocks.append(LimitRequest(r.region, value, r.ips, scenario.catalog[r.region].name))
        raised = [] if r.ips_for_rate is None or r.ips == r.ips_for_rate else [
            f"{r.ips_for_rate:,} for the rate alone"]  # fmt: skip
        notes.append(f"{r.region}: {plural(r.ips, 'IP')}"
                     + (f" ({raised[0]})" if raised else "")
                     + f", {r.monthly_fee:,} {est.currency} a month at {r.fee_per_ip} per IP; "
                     f"spread over {_listed([f'{az}: {n}' for az, n in r.spread.items()])}")  # fmt: skip
        if isinstance(value, int) and r.send_rate is not None and value != r.send_rate:
            notes.append(f"{r.region}: New limit value {value:,} is {r.send_rate:,.2f} msg/s "
                         "rounded up to a whole number, as the box takes")  # fmt: skip
    ask = _ask(est, peak_given)
    specific = _specific(est, settings)
    sized = (
        [_how_sized([(s, r.ips_for_rate) for s, r in zip(settings, rows, strict=True)],
                    [r.ips for r in rows])]
        if a.basis != "ips" else []
    )  # fmt: skip
    description = "\n\n".join([ask + specific, *sized, *_answers_paragraphs(given)])
    return SupportCase(REQUEST, tuple(blocks), description, given, notes_for_you=tuple(notes),
                       currency=est.currency)  # fmt: skip


def _ask(est: Estimate, peak_given: bool) -> str:
    """The first sentences: what is asked, and the rate or volume behind it, as given."""
    rows = est.regions
    where = _listed([r.region for r in rows])
    head = f"We request dedicated IP addresses for Amazon SES in {where}."
    a = est.assumptions
    if a.basis == "rate":
        rates = _first_with_unit([(_rate_words(r.send_rate or 0), r.region) for r in rows],
                                 "messages per second")  # fmt: skip
        return head + f" Our peak send rate is {rates}."
    if a.basis == "daily_volume":
        volumes = _first_with_unit([(f"{r.send_rate * 86_400 / (a.peak_factor or 1):,.0f}",
                                     r.region) for r in rows if r.send_rate is not None],
                                   "messages a day")  # fmt: skip
        if peak_given:
            return head + (f" We send about {volumes}; our peak send rate is "
                           f"{a.peak_factor:g} times the day's average rate.")  # fmt: skip
        return head + (f" We send about {volumes}. The IP counts were sized from the day's "
                       "average rate, not from a peak.")  # fmt: skip
    return head


def _first_with_unit(items: Sequence[tuple[str, str]], unit: str) -> str:
    """``450 messages per second in us-east-1 and 120 in eu-west-1``."""
    return _listed([f"{n} {unit} in {r}" if i == 0 else f"{n} in {r}"
                    for i, (n, r) in enumerate(items)])  # fmt: skip


def _specific(est: Estimate, settings: Sequence[Settings]) -> str:
    """The counts stated plainly where the plan needs a specific count (AWS otherwise
    sizes from the rate alone), with the reasons; else the count the sizing gives."""
    rows = est.regions
    counts = _listed([f"{plural(r.ips, 'IP')} in {r.region}" for r in rows])
    if est.assumptions.basis == "ips":
        return f" We need a specific number of IPs: {counts}."
    reasons = []
    if any(r.ips_for_rate is not None and r.ips > r.ips_for_rate for r in rows):
        first = settings[0]
        if first.az_failures:
            reasons.append(f"so that each Region keeps its full send rate if "
                           f"{plural(first.az_failures, 'Availability Zone')} is lost")  # fmt: skip
        if any(r.ips_for_rate is not None and r.ips_for_rate < first.min_per_region for r in rows):
            reasons.append(f"to hold at least {first.min_per_region} in each Region")
    if not reasons:
        return f" By our sizing this needs {counts}."
    return (f" We need a specific number of IPs, more than the send rate alone implies: "
            f"{counts}, {' and '.join(reasons)}.")  # fmt: skip


# ------------------------------------------------------------------ cases from a forecast


def _region_order(plan: Schedule) -> dict[str, int]:
    return {name: i for i, name in enumerate(dict.fromkeys(plan.months["region"]))}


def _waves(plan: Schedule, given: Answers, scenario: Scenario) -> list[SupportCase]:
    """One request case per filing date: a block per Region leasing then (its pools
    summed), New limit value the Region's total forecast peak in the busiest month they
    are for (a late wave may lease for two months at once), never below what an earlier
    case of the plan asks for or the account's current rate: a request never lowers it."""
    waves: dict[dt.date, dict[str, list[ScheduledEvent]]] = {}
    for e in plan.events:
        if e.action == "lease" and e.request_by is not None:
            waves.setdefault(e.request_by, {}).setdefault(e.region, []).append(e)
    order = _region_order(plan)
    months = plan.months
    out = []
    asked: dict[str, int] = {}  # the highest New limit value so far, per Region
    for file_by, by_region in sorted(waves.items()):
        blocks, asks, notes, sized = [], [], [], []
        adding = False
        for region in sorted(by_region, key=order.__getitem__):
            leases = by_region[region]
            month, rows = _busiest(months, region, {e.for_month for e in leases})
            peak = float(rows["peak_rate"].sum())
            count = sum(e.count for e in leases)
            held = int(rows["ips_needed"].sum())
            value = max(limit_value(peak), asked.get(region, 0),
                        _current_rate(scenario, region) or 0)  # fmt: skip
            if value > limit_value(peak):
                notes.append(f"{region}: New limit value {value}, not this wave's peak "
                             f"{limit_value(peak)}: asking for less than the plan's earlier "
                             "cases or the account's current rate would lower it")  # fmt: skip
            asked[region] = value
            blocks.append(LimitRequest(region, value, count, scenario.catalog[region].name))
            pools = ("" if len(rows) == 1 else " (by pool: " + _listed(
                [f"{pool} {_rate_words(float(r))}"
                 for pool, r in zip(rows["pool"], rows["peak_rate"], strict=True)]) + ")")  # fmt: skip
            asks.append(f"In {region}: {plural(count, 'more IP')}, warm by "
                        f"{leases[0].ready_date}, for a forecast peak of {_rate_words(peak)} "
                        f"messages per second in {month}{pools}, when we need "
                        f"{plural(held, 'IP')} there in all.")  # fmt: skip
            notes.append(f"{region}: lease {plural(count, 'IP')} for "
                         f"{_listed(sorted({e.for_month for e in leases}))} (warm by "
                         f"{leases[0].ready_date}); {held:,} held in all in {month}")  # fmt: skip
            sized.append((scenario.settings(region), None))
        pooled = any(len(rows) > 1 for rows in by_region.values()) or any(
            e.pool != DEFAULT_POOL for leases in by_region.values() for e in leases
        )
        reasons = ["they add to the IPs we already hold"] if adding else []
        if pooled:
            reasons.append("each pool sends from IPs of its own")
        lost = sized[0][0].az_failures
        if lost:
            reasons.append(f"each Region keeps its peak with {plural(lost, 'Availability Zone')} "
                           "lost")  # fmt: skip
        description = "\n\n".join([
            "We request more dedicated IP addresses for Amazon SES, ahead of our forecast "
            "growth. " + " ".join(asks) + (" We ask for these specific counts, not a count "
            f"sized from the send rate alone: {_listed(reasons)}." if reasons else ""),
            _how_sized(sized, [b.ips for b in blocks]), *_answers_paragraphs(given),
        ])  # fmt: skip
        out.append(SupportCase(REQUEST, tuple(blocks), description, given, file_by=file_by,
                               notes_for_you=tuple(notes), currency=scenario.book.currency))  # fmt: skip
    return out


def _busiest(months: pd.DataFrame, region: str, wanted: set[str]) -> tuple[str, pd.DataFrame]:
    """Of the ``wanted`` months, the one whose Region total peak is highest (the later on a
    tie), and its rows (a row per pool)."""
    rows = months[(months["region"] == region) & months["month"].isin(wanted)]
    totals = rows.groupby("month", sort=True)["peak_rate"].sum()
    month = str(totals[totals == totals.max()].index[-1])
    return month, rows[rows["month"] == month]


def _schedule_relinquishes(
    plan: Schedule, given: Answers, scenario: Scenario, waves: Sequence[SupportCase]
) -> list[SupportCase]:
    """A relinquish case per relinquish date of the schedule, a block per Region; its New
    limit value the highest the plan's earlier cases ask for in the Region, if any."""
    dates: dict[dt.date, dict[str, int]] = {}
    for e in plan.events:
        if e.action == "relinquish":
            by_region = dates.setdefault(e.date, {})
            by_region[e.region] = by_region.get(e.region, 0) + e.count
    order = _region_order(plan)
    out = []
    for day, counts in sorted(dates.items()):
        raised: dict[str, int] = {}
        for wave in waves:
            if wave.file_by is not None and wave.file_by < day:
                for block in wave.requests:
                    if isinstance(block.new_limit_value, int):
                        raised[block.region] = max(raised.get(block.region, 0),
                                                   block.new_limit_value)  # fmt: skip
        out.append(_relinquish_case(
            scenario, {r: counts[r] for r in sorted(counts, key=order.__getitem__)}, (), given,
            day, raised))  # fmt: skip
    return out


# ------------------------------------------------------------------------ relinquishing


def _relinquish(
    scenario: Scenario,
    names: Sequence[str],
    count: int | None,
    addresses: Sequence[str],
    fleet_files: Sequence[PathLike],
    held: Any,
    given: Answers,
) -> SupportCases:
    """One case relinquishing ``count`` IPs in each Region (1 to what is held, when
    known), the addresses checked against the fleet files, refunded as of the price date."""
    if count is None or not 1 <= count <= MAX_IPS:
        raise InputError("relinquish", count, f"expected 1 to {MAX_IPS:,} IPs")
    regions = _regions(scenario, names)
    if addresses and len(regions) != 1:
        raise InputError("ip", addresses[0], "expected addresses for one Region at a time")
    owned = _held(scenario, regions[0], fleet_files, held) if len(regions) == 1 else None
    if owned is not None and not 1 <= count <= owned:
        raise InputError("relinquish", count, f"{regions[0]} holds {owned} standard IPs; "
                         f"expected 1 to {owned}")  # fmt: skip
    ips = _addresses(addresses, count, fleet_files, regions[0] if regions else "")
    case = _relinquish_case(scenario, dict.fromkeys(regions, count), ips, given,
                            scenario.price_date)  # fmt: skip
    return SupportCases(cases=(case,), answers=given)


def _relinquish_case(
    scenario: Scenario,
    counts: Mapping[str, int],
    addresses: Sequence[str],
    given: Answers,
    day: dt.date,
    raised: Mapping[str, int] | None = None,
) -> SupportCase:
    """The case relinquishing ``counts`` IPs per Region on ``day``: the Limit and a New
    limit value that changes nothing, the count and addresses in the description, that it
    cannot be reversed; the refund is a note for the user, not text for AWS. ``raised``:
    the highest New limit value earlier cases of the same plan ask for, per Region (the
    account's rate then, if AWS grants them)."""
    from planner.ops.relinquishes import relinquish as priced

    raised = raised or {}
    rates = {region: max((r for r in (_current_rate(scenario, region), raised.get(region))
                          if r is not None), default=None) for region in counts}  # fmt: skip
    blank = ("[to fill in: any whole number; AWS does not use it to relinquish. Your current "
             "maximum send rate changes nothing (--account-file reads it)]")  # fmt: skip
    blocks = tuple(LimitRequest(region, blank if (r := rates[region]) is None else r, n,
                                scenario.catalog[region].name) for region, n in counts.items())  # fmt: skip
    current = next((r for r in rates.values() if r is not None), None)
    asks = []
    for region, n in counts.items():
        listed = (": " + ", ".join(addresses) if addresses else
                  f": [to fill in: the {plural(n, 'address')} to relinquish (--ip; 'aws sesv2 "
                  "get-dedicated-ips' lists them)]")  # fmt: skip
        asks.append(f"Please relinquish {plural(n, 'dedicated IP address')} in {region}{listed}.")
    keep = ("The New limit value above is our current maximum send rate: we do not ask to "
            "change our sending quota." if current is not None else
            "We do not ask to change our sending quota.")  # fmt: skip
    description = "\n\n".join([" ".join(asks), "We understand that relinquishing cannot be "
                               "reversed: these addresses cannot be returned to us. " + keep])  # fmt: skip
    notes = ["Case classification: choose the Limit type only; Mail Type, Website URL, the "
             "two optional questions and the AUP question stay blank for a relinquish"]  # fmt: skip
    notes += [f"{region}: New limit value {raised[region]} is the highest this plan's earlier "
              "cases ask for there: your maximum send rate by then if AWS grants them; if it "
              "does not, put the rate the console shows" for region in counts
              if raised.get(region) is not None and rates[region] == raised[region]]  # fmt: skip
    refund = Decimal(0)
    for region, n in counts.items():
        price = priced(region, n, day, scenario=scenario)
        refund += price.refund
        notes.append(
            f"{region}: relinquished on {price.date}, {plural(n, 'IP')}, refund "
            f"{price.refund:,} {price.currency} ({price.refund_per_ip} each: the month's "
            f"{price.monthly_fee_per_ip} prorated by days elapsed, {price.days_billed} of "
            f"{price.days_in_month} billed, day count {price.day_count}; AWS does not say "
            "whether the relinquish day counts)"
        )  # fmt: skip
    return SupportCase(RELINQUISH, blocks, description, given, file_by=day,
                       notes_for_you=tuple(notes), refund=refund,
                       currency=scenario.book.currency)  # fmt: skip


def _current_rate(scenario: Scenario, region: str) -> int | None:
    """The account's maximum send rate in ``region`` as the box takes it (a whole number),
    when known."""
    account = scenario.account_for(region)
    rate = None if account is None else account.max_send_rate
    if rate is None or Fraction(rate).denominator != 1:
        return None
    return int(rate)


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
    count: int | None = typed.whole("held", held)
    return count


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

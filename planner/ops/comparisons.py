"""``compare``: standard dedicated IPs against managed dedicated IPs for a monthly volume.

Standard IPs cost a fee per IP per month, whatever they send. Managed IPs cost a base
fee per account and Region a month plus usage per 1,000 messages, in tiers
(``planner/data/prices.csv``: ``managed-ip-base`` and ``managed-ip-usage``). Usage is
charged tier by tier, each tier's charge rounded half up to the cent; no price is
published above the last tier, so a volume beyond it is an error unless your price
book (``--prices``) adds the tier.

The standard fleet is the ``ips`` given, or sized from the volume through the one
sizing call: an average day of the month (``monthly_volume x 12 / 365``) times the
peak factor. The break-even volume is the least monthly volume at which managed IPs
cost at least as much as that standard fleet.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pandas as pd

    from planner.files.snapshot import Account

import numpy as np

from planner.errors import InputError, PlannerError, PriceNotFoundError, UnknownNameError
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
    read_rows,
)
from planner.files.values import PRICING_PLANS, SIZING_SETTINGS
from planner.model import limits
from planner.model.arrays import Numbers
from planner.model.checks import as_float, as_int, require
from planner.model.fees import managed_fee_cents, monthly_fee
from planner.model.money import amount, div_half_up_fraction, money_frame
from planner.model.pricing import A_LA_CARTE, Managed, mail_cents, managed_cents
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Assumption, Settings, size

#: The columns of a bill line that hold money.
BILL_MONEY = ("plan_fee", "mail", "ip_fees", "total")

AVERAGE_DAYS_PER_MONTH = Fraction(365, 12)
#: SES pricing plans (get-account's names, lower case) and the ways to send.
PLANS = PRICING_PLANS
IP_MODES = ("shared", "standard", "managed")


@dataclass(frozen=True)
class Tier:
    """One usage tier as charged: messages in it, price per 1,000 and the charge."""

    tier_from: int
    tier_to: int
    messages: int
    price: Decimal
    charge: Decimal


@dataclass(frozen=True)
class Fit:
    """Which IPs AWS's guidance points to for a volume, and why: advice beside the money."""

    ip_mode: str
    """``shared``, ``standard`` or ``managed``."""
    why: str
    daily_volume: int
    """The month's volume as an average day [messages]."""
    per_ip: int | None
    """What each standard IP would carry a day [messages]."""
    threshold: int
    sources: tuple[str, ...]
    variation: float | None = None
    """The send history's day-to-day variation (standard deviation over mean), when given."""

    def to_dict(self) -> dict[str, Any]:
        return {"ip_mode": self.ip_mode, "why": self.why, "daily_volume": self.daily_volume,
                "per_standard_ip": self.per_ip, "threshold_per_ip": self.threshold,
                "daily_variation": None if self.variation is None else round(self.variation, 4),
                "sources": list(self.sources)}  # fmt: skip


@functools.cache
def _fit_rules() -> dict[str, tuple[str, str]]:
    _, rows = read_rows(None, "fit.csv", ("rule", "value", "unit", "source"))
    return {row["rule"]: (row["value"], row["source"]) for _, row in rows}


def daily_variation(history: Sequence[PathLike], today: dt.date) -> float:
    """The day-to-day variation of the send history: the coefficient of variation
    (standard deviation over mean) of the messages sent each UTC day it covers."""
    from planner.files.history import read_history

    read = read_history(history, today=today)
    finest = int(read.period.min())
    keep = read.period == finest
    days = read.start[keep].astype("datetime64[D]")
    sent = np.bincount(np.unique(days, return_inverse=True)[1], weights=read.sent[keep])
    if finest > 86_400 or len(sent) < 7 or sent.mean() <= 0:
        raise InputError("history", ", ".join(str(h) for h in history), "expected at least 7 "
                         "days of sends at a day's resolution or finer")  # fmt: skip
    return float(sent.std() / sent.mean())


def average_day(volume: int) -> int:
    """A month's volume as an average day's messages, shown and judged one way: over
    365/12 days, exactly, rounded half up (5,000,000 a month is 164,384 a day)."""
    return div_half_up_fraction(Fraction(volume) / AVERAGE_DAYS_PER_MONTH)


def judge_fit(
    volume: int, ips: int, given: bool, variation: float | None = None
) -> tuple[Fit, tuple[str, ...]]:
    """Which IPs fit ``volume`` messages a month (as an average day) and the ``ips``
    standard IPs priced, by AWS's guidance (``planner/data/fit.csv``): below the threshold
    a day in all, shared IPs; enough in all but too little per standard IP, managed IPs
    (they scale with the volume); else standard IPs, if the mail is regular and
    predictable (managed if it is irregular). A warning when the standard IPs would each
    carry less than the threshold."""
    rules = _fit_rules()
    threshold = int(rules["dedicated_min_daily_per_ip"][0])
    sources = tuple(v[1] for v in rules.values())
    daily = average_day(volume)
    per_ip = daily // ips if ips else None
    if daily < threshold:
        mode, why = "shared", (
            f"about {daily:,} messages a day is less than the {threshold:,} a day AWS once "
            "required to lease dedicated IPs; AWS recommends shared IPs unless you send large "
            "volumes on a regular, predictable basis")  # fmt: skip
    elif per_ip is not None and per_ip < threshold:
        mode, why = "managed", (
            f"about {daily:,} messages a day, but only {per_ip:,} for each of {ips} standard "
            f"IPs, under {threshold:,}: too little per IP to keep a reputation; managed IPs "
            "scale with the volume")  # fmt: skip
    elif variation is not None and variation > float(rules["irregular_daily_variation"][0]):
        mode, why = "managed", (
            f"about {daily:,} messages a day, but irregular: the history's days vary by "
            f"{variation:.0%} of their mean, above {float(rules['irregular_daily_variation'][0]):.0%}; "
            "AWS advises managed IPs for highly irregular sending")  # fmt: skip
    else:
        regular = ("" if variation is None else
                   f", regular (the history's days vary by {variation:.0%} of their mean)")  # fmt: skip
        mode, why = "standard", (
            f"about {daily:,} messages a day{regular}, {per_ip or 0:,} for each of {ips} "
            "standard IPs: enough to keep each IP's reputation"
            + (" if the mail is regular and predictable; if it is highly irregular, AWS "
               "advises managed IPs" if variation is None else ""))  # fmt: skip
    warnings: tuple[str, ...] = ()
    if per_ip is not None and per_ip < threshold:
        warnings = (f"{ips} standard IP{'s' if ips != 1 else ''} would each carry about "
                    f"{per_ip:,} messages a day, under the {threshold:,} a day AWS once "
                    "required for dedicated IPs: too little to keep a reputation"
                    + (" (the count was given)" if given else ""),)  # fmt: skip
    return Fit(mode, why, daily, per_ip, threshold, sources, variation), warnings


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`; money as exact amounts."""

    region: str
    currency: str
    price_date: dt.date
    monthly_volume: int
    ips: int
    ips_from: str
    """``given``, or how the fleet was sized."""
    fee_per_ip: Decimal
    standard_fee: Decimal
    managed_base: Decimal | None
    managed_tiers: tuple[Tier, ...]
    managed_fee: Decimal | None
    """None when the book prices no managed usage this high (see :attr:`managed_missing`)."""
    break_even_volume: int | None
    """Least monthly volume at which managed costs at least the standard fleet; None if
    managed stays cheaper up to the last published tier."""
    assumptions: tuple[Assumption, ...]
    bill: tuple[BillLine, ...] = ()
    """The whole monthly bill under each plan and way to send (:func:`bill`)."""
    bill_break_even: int | None = None
    """The volume at which the bill's second cheapest line catches up with the cheapest."""
    managed_plan: str = A_LA_CARTE
    """The plan whose managed pricing the standard-against-managed lines use."""
    managed_missing: str | None = None
    """Why managed IPs have no price here (a volume above the book's last tier)."""
    plans_left_out: tuple[tuple[str, str], ...] = ()
    """Plans the bill could not price on the day, each with why."""
    fit: Fit | None = None
    warnings: tuple[str, ...] = ()
    managed: Managed | None = field(default=None, repr=False, compare=False)
    """The managed pricing looked up (:func:`planner.model.pricing.managed_cents`), which
    prices other volumes for a picture."""
    _asked: tuple[Scenario, Any, tuple[str, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    """What the bill was asked with (scenario, ``ips``, plans), for :meth:`bill_by_volume`."""

    def bill_by_volume(self, volumes: Sequence[int]) -> pd.DataFrame:
        """The bill at other monthly volumes, asked as this one was (the same plans, and
        standard IPs given or sized per volume alike): ``volume, plan, ip_mode, ips,
        plan_fee, mail, ip_fees, total`` [money], one row per volume, plan and way to send;
        at :attr:`monthly_volume` it is :attr:`bill`."""
        import pandas as pd

        from planner.model.money_column import MoneyDtype

        if self._asked is None:
            raise InputError("bill", self.region, "this comparison has no bill to extend")
        scenario, ips, plans = self._asked
        rows = [(int(v), *line_tuple(x)) for v in volumes
                for x in bill(scenario, self.region, int(v), ips, plans)[0]
                if x.total is not None]  # fmt: skip
        frame = pd.DataFrame(rows, columns=["volume", "plan", "ip_mode", "ips", "plan_fee",
                                            "mail", "ip_fees", "total"])  # fmt: skip
        for column in ("plan_fee", "mail", "ip_fees", "total"):
            frame[column] = frame[column].astype(MoneyDtype())
        return frame

    @property
    def cheapest(self) -> BillLine | None:
        """The whole bill's cheapest priced line."""
        return _cheapest(self.bill)[0]

    @property
    def cheaper(self) -> str:
        """Of standard and managed IPs' fees alone (the bill's :attr:`cheapest` weighs the
        whole bill, shared IPs and plans included)."""
        if self.managed_fee is None:
            return "standard"
        if self.standard_fee == self.managed_fee:
            return "same"
        return "standard" if self.standard_fee < self.managed_fee else "managed"

    def to_frame(self) -> pd.DataFrame:
        """The whole bill, a row per pricing plan and way to send (the JSON's ``bill``);
        money in the money dtype."""
        return cast("pd.DataFrame", money_frame(self.to_dict()["bill"], BILL_MONEY))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost compare --format json``."""
        return {
            "region": self.region,
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "monthly_volume": self.monthly_volume,
            "standard": {
                "ips": self.ips,
                "fee_per_ip": str(self.fee_per_ip),
                "monthly_fee": str(self.standard_fee),
            },
            "managed": {
                "plan": self.managed_plan,
                "base_fee": None if self.managed_base is None else str(self.managed_base),
                "usage": [
                    {
                        "tier_from": t.tier_from,
                        "tier_to": t.tier_to,
                        "messages": t.messages,
                        "price_per_1000": str(t.price),
                        "charge": str(t.charge),
                    }
                    for t in self.managed_tiers
                ],
                "monthly_fee": None if self.managed_fee is None else str(self.managed_fee),
                "missing": self.managed_missing,
            },
            "cheaper": self.cheaper,
            "break_even_volume": self.break_even_volume,
            "bill": [line.to_dict() for line in self.bill],
            "plans_left_out": [{"plan": p, "why": why} for p, why in self.plans_left_out],
            "fit": None if self.fit is None else self.fit.to_dict(),
            "warnings": list(self.warnings),
            "cheapest": None if self.cheapest is None else {
                "plan": self.cheapest.plan, "ip_mode": self.cheapest.ip_mode,
                "total": str(self.cheapest.total),
                "break_even_volume": self.bill_break_even,
            },
        }  # fmt: skip


@dataclass(frozen=True)
class Comparisons:
    """:func:`compare` of several Regions, each with its own volume, and their total."""

    regions: tuple[Comparison, ...]

    @property
    def standard_fee(self) -> Decimal:
        return sum((c.standard_fee for c in self.regions), amount(0))

    @property
    def managed_fee(self) -> Decimal | None:
        fees = [c.managed_fee for c in self.regions]
        return None if None in fees else sum((f for f in fees if f is not None), amount(0))

    def bill_totals(self) -> list[tuple[str, str, Decimal | None]]:
        """The whole bill of all the Regions under each plan and way to send: (plan, way
        to send, total), None where a Region's line has no price."""
        totals: dict[tuple[str, str], Decimal | None] = {}
        for c in self.regions:
            for line in c.bill:
                key = (line.plan, line.ip_mode)
                if key not in totals:
                    totals[key] = line.total
                elif totals[key] is not None:
                    totals[key] = None if line.total is None else totals[key] + line.total  # type: ignore[operator]
        count = {k for k in totals if all(any((b.plan, b.ip_mode) == k for b in c.bill)
                                          for c in self.regions)}  # fmt: skip
        return [(p, m, t) for (p, m), t in totals.items() if (p, m) in count]

    def to_frame(self) -> pd.DataFrame:
        """Each Region's bill (:meth:`Comparison.to_frame`), one after another."""
        import pandas as pd

        return pd.concat([c.to_frame() for c in self.regions], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """``ipcost compare --format json`` with more than one ``--region``."""
        managed = self.managed_fee
        return {
            "regions": [c.to_dict() for c in self.regions],
            "total": {"standard_monthly_fee": str(self.standard_fee),
                      "managed_monthly_fee": None if managed is None else str(managed),
                      "bill": [{"plan": p, "ip_mode": m, "total": None if t is None else str(t)}
                               for p, m, t in self.bill_totals()],
                      "currency": self.regions[0].currency},
        }  # fmt: skip


def _break_even(standard: int, managed: Managed) -> int | None:
    """Least volume whose managed fee reaches ``standard`` cents (the fee never falls)."""
    base, tiers = managed.base, list(managed.rates)
    low, high = 0, tiers[-1][1]
    if managed_fee_cents(high, base, tiers)[0] < standard:
        return None
    while low < high:
        middle = (low + high) // 2
        if managed_fee_cents(middle, base, tiers)[0] >= standard:
            high = middle
        else:
            low = middle + 1
    return low


def compare(
    region: str | Sequence[str] = "us-east-1",
    *,
    monthly_volume: Numbers,
    ips: Numbers | None = None,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    plan: str | None = None,
    history: Sequence[PathLike] | None = None,
    account_file: PathLike | None = None,
    account_dir: PathLike | Account | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Comparison | Comparisons:
    """The monthly cost of standard IPs against managed IPs for ``monthly_volume`` messages.

    A list of one Region with one volume (and at most one IP count) is the single case,
    as the command line gives it. With several Regions (a list), each is paired with its
    own volume (and IP count, if given): the result is :class:`Comparisons`, each Region priced with its own managed
    base fee and tiers, and their total. Each Region's :attr:`Comparison.bill` is the
    whole monthly bill under every pricing plan (or ``plan`` alone, or the account's
    current plan from ``account_file``'s get-account output, or each Region's in the
    snapshot ``account_dir``) and way to send. The
    :attr:`Comparison.fit` weighs the Region's send ``history`` too, when given: its
    day-to-day variation.

    Examples
    --------
    >>> c = compare(monthly_volume=20_000_000, ips=4, date="2027-01-01")
    >>> c.managed_fee, c.standard_fee, c.cheaper, c.break_even_volume
    (Decimal('1215.00'), Decimal('99.80'), 'standard', 1059938)
    """
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS, function="compare", prices=prices,
        regions_file=regions_file, date=date, account_file=account_file, account_dir=account_dir,
    )  # fmt: skip
    plans = _plans(plan, scenario, [region] if isinstance(region, str) else region)
    variation = None if history is None else daily_variation(history, scenario.today)
    if isinstance(region, str) or (len(region) == 1 and _one(monthly_volume)
                                   and (ips is None or _one(ips))):  # fmt: skip
        one = region if isinstance(region, str) else region[0]
        return _compare(scenario, one, _single(monthly_volume), _single(ips), plans, variation)
    if variation is not None:
        raise InputError("history", ", ".join(map(str, history or ())), "is one Region's "
                         "history; compare one Region with it")  # fmt: skip
    names, volumes = list(region), _paired("monthly_volume", monthly_volume, len(region))
    counts = [None] * len(names) if ips is None else _paired("ips", ips, len(names))
    seen = [scenario.catalog[n].region for n in names]
    twice = [n for n, r in zip(names, seen, strict=True) if seen.count(r) > 1]
    if twice:
        raise InputError("region", twice[-1], "expected each Region once")
    return Comparisons(tuple(_compare(scenario, n, v, k, plans)
                             for n, v, k in zip(names, volumes, counts, strict=True)))  # fmt: skip


def _one(value: Numbers) -> bool:
    """True for one number, or a list (or array) of one."""
    return isinstance(value, str | Decimal | Fraction) or np.size(value) == 1


def _single(value: Any) -> Any:
    """A one-element list (or array) as its element; anything else as it is."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return value
    return next(iter(value))


def _plans(plan: str | None, scenario: Scenario, regions: Sequence[str]) -> tuple[str, ...]:
    """The plans to price: the one asked, else the account's current plan (the one its
    Regions share), else all."""
    if plan is not None:
        name = str(plan).strip().lower()
        if name not in PLANS:
            raise InputError("plan", plan, f"expected one of {', '.join(PLANS)}")
        return (name,)
    current = {a.plan if a is not None else None for a in map(scenario.account_for, regions)}
    if len(current) == 1 and None not in current:
        return (current.pop(),)  # type: ignore[return-value]
    return PLANS


def _paired(field_name: str, values: Any, count: int) -> list[Any]:
    """One value per Region, in the Regions' order: a Region without its own is an error."""
    listed = list(values) if isinstance(values, list | tuple) else [values]
    if len(listed) != count:
        raise InputError(field_name, ", ".join(str(v) for v in listed), f"{len(listed)} values for "
                         f"{count} Regions; expected one per --region, in their order")  # fmt: skip
    return listed


def _compare(
    scenario: Scenario,
    region: str,
    monthly_volume: Any,
    ips: Any,
    plans: Sequence[str] = PLANS,
    variation: float | None = None,
) -> Comparison:
    book, day = scenario.book, scenario.price_date
    volume = _volume(monthly_volume)
    s = scenario.settings(region)
    n, how = _standard_ips(s, volume, ips)
    when = np.datetime64(day, "D")
    fee = int(book.fee_cents(default_value("sku"), s.region, when))
    standard = int(monthly_fee(n, fee))
    # Standard against managed under the plan asked for (or the account's), else a la
    # carte: the same managed_cents the bill's managed lines read.
    summary_plan = plans[0] if len(plans) == 1 else A_LA_CARTE
    managed: Managed | None = None
    missing = None
    try:
        managed = managed_cents(book, s.region, day, summary_plan, volume)
    except (PriceNotFoundError, InputError, UnknownNameError) as exc:
        missing = _missing(exc)
    lines, left_out = bill(scenario, region, volume, ips, plans)
    first, second = _cheapest(lines)
    crossing = (
        None if first is None or second is None
        else _bill_break_even(scenario, region, volume, ips, first, second)
    )  # fmt: skip
    fit, warnings = judge_fit(volume, n, how == "given", variation)
    return Comparison(
        region=s.region, currency=book.currency, price_date=day, monthly_volume=volume,
        ips=n, ips_from=how, fee_per_ip=amount(fee), standard_fee=amount(standard),
        managed_base=None if managed is None else amount(managed.base),
        managed_tiers=() if managed is None else tuple(
            Tier(start, end, messages, amount(cents), amount(charge))
            for start, end, messages, cents, charge in managed.tiers),
        managed_fee=None if managed is None else amount(managed.total),
        break_even_volume=None if managed is None else _break_even(standard, managed),
        assumptions=s.assumptions, bill=lines, bill_break_even=crossing,
        managed_plan=summary_plan, managed_missing=missing, plans_left_out=left_out, fit=fit,
        warnings=warnings, managed=managed, _asked=(scenario, ips, tuple(plans)),
    )  # fmt: skip


def _missing(exc: Exception) -> str:
    """Why a line has no price, in a few words: above the book's last tier, or the book's
    own message."""
    import re

    text = str(exc)
    above = re.search(r"publishes (.+?) up to ([\d,]+) messages a month", text)
    if above:
        return (f"no {above.group(1)} price above {above.group(2)} messages a month in the "
                "price book (add a tier with --prices)")  # fmt: skip
    return text.split(": ", 1)[1] if text.startswith("price: ") else text


def _volume(monthly_volume: Any) -> int:
    """Messages a month: a whole number, 0 or more."""
    volume = as_float("monthly_volume", monthly_volume)
    require("monthly_volume", volume, (volume >= 0) & (volume <= 31 * limits.MAX_DAILY_VOLUME)
            & (volume == volume.round()), "expected a whole number of messages a month, 0 or more")  # fmt: skip
    return int(volume)


def _standard_ips(settings: Settings, volume: int, ips: Any) -> tuple[int, str]:
    """The standard fleet, given or sized for the month's volume as an average day (the
    month over 365/12 days, exactly), and how it came about."""
    if ips is not None:
        return int(size([settings], ips=[int(as_int("ips", ips))]).ips[0]), "given"
    if volume == 0:
        raise InputError(
            "monthly_volume", 0, "expected messages to size standard IPs for, or --ips"
        )
    daily = Fraction(volume) / AVERAGE_DAYS_PER_MONTH
    n = int(size([settings], daily_volume=[daily]).ips[0])
    return n, (f"sized for {average_day(volume):,} messages a day (the month's volume over "
               f"365/12 days) x peak factor {settings.peak_factor:g}")  # fmt: skip


# ------------------------------------------------------------------ the whole bill


@dataclass(frozen=True)
class BillLine:
    """A month's SES bill in a Region under one plan and one way to send [money]; a line
    the price book cannot price holds ``None`` where it cannot and says why in ``missing``."""

    region: str
    plan: str
    ip_mode: str
    ips: int
    plan_fee: Decimal | None
    mail: Decimal | None
    ip_fees: Decimal | None
    missing: str | None = None

    @property
    def total(self) -> Decimal | None:
        if self.plan_fee is None or self.mail is None or self.ip_fees is None:
            return None
        return self.plan_fee + self.mail + self.ip_fees

    def to_dict(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {"region": self.region, "plan": self.plan, "ip_mode": self.ip_mode,
                "ips": self.ips, "plan_fee": text(self.plan_fee), "mail": text(self.mail),
                "ip_fees": text(self.ip_fees), "total": text(self.total),
                "missing": self.missing}  # fmt: skip


def line_tuple(line: BillLine) -> tuple[Any, ...]:
    """A bill line's plan, way to send, IPs and money (plan fee, mail, IP fees, total)."""
    return (line.plan, line.ip_mode, line.ips, line.plan_fee, line.mail, line.ip_fees,
            line.total)  # fmt: skip


def _line(
    book: PriceBook, region: str, day: dt.date, plan: str, mode: str, volume: int, ips: int
) -> BillLine:
    """One plan's and way to send's bill, each part priced where the book can."""
    when = np.datetime64(day, "D")

    def ip_fees() -> int:
        if mode == "shared":
            return 0
        if mode == "standard":
            return int(monthly_fee(ips, int(book.fee_cents(default_value("sku"), region, when))))
        return managed_cents(book, region, day, plan, volume).total

    pricing: tuple[Callable[[], int], ...] = (
        lambda: int(book.fee_cents(f"{plan}:plan-fee", region, when)),
        lambda: mail_cents(book, region, day, plan, volume),
        ip_fees,
    )
    money: list[Decimal | None] = []
    missing = []
    for price in pricing:
        try:
            money.append(amount(price()))
        except (PriceNotFoundError, InputError, UnknownNameError) as exc:
            money.append(None)
            missing.append(_missing(exc))
    count = {"shared": 0, "standard": ips}.get(mode, 0)
    return BillLine(region, plan, mode, count, money[0], money[1], money[2],
                    "; ".join(missing) or None)  # fmt: skip


def _plans_in_force(
    book: PriceBook, region: str, day: dt.date, plans: Sequence[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The plans whose fee the book has in force on ``day`` (plans launched 2026-07-21),
    and each plan left out with why."""
    out, left = [], []
    for plan in plans:
        try:
            book.fee_cents(f"{plan}:plan-fee", region, np.datetime64(day, "D"))
        except (PriceNotFoundError, UnknownNameError) as exc:
            left.append((plan, _missing(exc)))
            continue
        out.append(plan)
    return out, left


def bill(
    scenario: Scenario, region: str, volume: int, ips: Any = None, plans: Sequence[str] = PLANS
) -> tuple[tuple[BillLine, ...], tuple[tuple[str, str], ...]]:
    """Every plan's and way to send's monthly bill for ``volume`` messages in ``region``:
    shared IPs (no IP fee), standard IPs (given, or sized from the volume as ``compare``
    sizes them) and managed IPs, each with the plan fee and the outbound mail. A line the
    book cannot price is kept, marked; the plans left out (none in force) are named."""
    s = scenario.settings(region)
    n, _ = _standard_ips(s, volume, ips)
    book, day = scenario.book, scenario.price_date
    # Every plan in force on the day; a plan asked for by name must be priced, or the
    # price book's error names the plan's SKU, the Region, the day and the book.
    chosen, left = _plans_in_force(book, s.region, day, plans)
    if tuple(plans) != PLANS and left:  # a plan asked for by name must be priced
        plan = left[0][0]
        try:
            book.fee_cents(f"{plan}:plan-fee", s.region, np.datetime64(day, "D"))
        except UnknownNameError as exc:
            raise PriceNotFoundError(f"price: {book.label} does not price the {plan} plan "
                                     f"for {s.region} on {day} ({exc})") from None  # fmt: skip
    if not chosen:
        raise PriceNotFoundError(f"price: no pricing plan's fee (none:plan-fee, ...) for "
                                 f"{s.region} on {day} in {book.label}")  # fmt: skip
    lines = tuple(_line(book, s.region, day, plan, mode, volume, n)
                  for plan in chosen for mode in IP_MODES)  # fmt: skip
    return lines, tuple(left)


def _cheapest(lines: Sequence[BillLine]) -> tuple[BillLine | None, BillLine | None]:
    """The two cheapest priced lines (the first listed wins a tie)."""
    ranked = sorted((x for x in lines if x.total is not None), key=lambda x: x.total)  # type: ignore[arg-type, return-value]
    return (ranked[0] if ranked else None), (ranked[1] if len(ranked) > 1 else None)


def _bill_break_even(
    scenario: Scenario, region: str, volume: int, ips: Any, first: BillLine, second: BillLine
) -> int | None:
    """The volume nearest above ``volume`` at which ``second`` costs no more than
    ``first`` (found by bisection between ``volume`` and 100 times it), or None."""

    def gap(v: int) -> int:
        lines = {
            (x.plan, x.ip_mode): x
            for x in bill(scenario, region, v, ips, (first.plan, second.plan))[0]
        }
        a, b = lines[(first.plan, first.ip_mode)].total, lines[(second.plan, second.ip_mode)].total
        if a is None or b is None:
            raise PriceNotFoundError("price: beyond the book's last tier")
        return int((b - a) * 100)

    low, high = volume, max(volume * 100, 1_000)
    try:
        if gap(high) > 0:
            return None
        while low < high:
            middle = (low + high) // 2
            if gap(middle) <= 0:
                high = middle
            else:
                low = middle + 1
    except PlannerError:  # beyond the last published tier
        return None
    return low

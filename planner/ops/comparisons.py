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
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

import numpy as np

from planner.errors import InputError, PlannerError, PriceNotFoundError, UnknownNameError
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.files.values import PRICING_PLANS, SIZING_SETTINGS
from planner.model import limits
from planner.model.checks import as_float, as_int, require
from planner.model.fees import MESSAGES_PER_UNIT, managed_fee_cents, monthly_fee, tiered_cents
from planner.model.money import amount, div_half_up
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Assumption, Settings, size

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
    managed_base: Decimal
    managed_tiers: tuple[Tier, ...]
    managed_fee: Decimal
    break_even_volume: int | None
    """Least monthly volume at which managed costs at least the standard fleet; None if
    managed stays cheaper up to the last published tier."""
    assumptions: tuple[Assumption, ...]
    bill: tuple[BillLine, ...] = ()
    """The whole monthly bill under each plan and way to send (:func:`bill`)."""
    bill_break_even: int | None = None
    """The volume at which the bill's second cheapest line catches up with the cheapest."""
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
                for x in bill(scenario, self.region, int(v), ips, plans)]  # fmt: skip
        frame = pd.DataFrame(rows, columns=["volume", "plan", "ip_mode", "ips", "plan_fee",
                                            "mail", "ip_fees", "total"])  # fmt: skip
        for column in ("plan_fee", "mail", "ip_fees", "total"):
            frame[column] = frame[column].astype(MoneyDtype())
        return frame

    @property
    def cheapest(self) -> BillLine | None:
        return _cheapest(self.bill)[0] if self.bill else None

    @property
    def cheaper(self) -> str:
        if self.standard_fee == self.managed_fee:
            return "same"
        return "standard" if self.standard_fee < self.managed_fee else "managed"

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
                "base_fee": str(self.managed_base),
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
                "monthly_fee": str(self.managed_fee),
            },
            "cheaper": self.cheaper,
            "break_even_volume": self.break_even_volume,
            "bill": [line.to_dict() for line in self.bill],
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
    def managed_fee(self) -> Decimal:
        return sum((c.managed_fee for c in self.regions), amount(0))

    def to_dict(self) -> dict[str, Any]:
        """``ipcost compare --format json`` with more than one ``--region``."""
        return {
            "regions": [c.to_dict() for c in self.regions],
            "total": {"standard_monthly_fee": str(self.standard_fee),
                      "managed_monthly_fee": str(self.managed_fee),
                      "currency": self.regions[0].currency},
        }  # fmt: skip


def _break_even(standard: int, base: int, tiers: list[tuple[int, int, int]]) -> int | None:
    """Least volume whose managed fee reaches ``standard`` cents (the fee never falls)."""
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
    monthly_volume: Any,
    ips: Any = None,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    plan: str | None = None,
    account_file: PathLike | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Comparison | Comparisons:
    """The monthly cost of standard IPs against managed IPs for ``monthly_volume`` messages.

    With several Regions (a list), each is paired with its own volume (and IP count, if
    given): the result is :class:`Comparisons`, each Region priced with its own managed
    base fee and tiers, and their total. Each Region's :attr:`Comparison.bill` is the
    whole monthly bill under every pricing plan (or ``plan`` alone, or the account's
    current plan from ``account_file``'s get-account output) and way to send.

    Examples
    --------
    >>> c = compare(monthly_volume=20_000_000, ips=4, date="2027-01-01")
    >>> c.managed_fee, c.standard_fee, c.cheaper, c.break_even_volume
    (Decimal('1215.00'), Decimal('99.80'), 'standard', 1059938)
    """
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS, function="compare", prices=prices,
        regions_file=regions_file, date=date, account_file=account_file,
    )  # fmt: skip
    plans = _plans(plan, scenario)
    if isinstance(region, str):
        return _compare(scenario, region, monthly_volume, ips, plans)
    names, volumes = list(region), _paired("monthly_volume", monthly_volume, len(region))
    counts = [None] * len(names) if ips is None else _paired("ips", ips, len(names))
    seen = [scenario.catalog[n].region for n in names]
    twice = [n for n, r in zip(names, seen, strict=True) if seen.count(r) > 1]
    if twice:
        raise InputError("region", twice[-1], "expected each Region once")
    return Comparisons(tuple(_compare(scenario, n, v, k, plans)
                             for n, v, k in zip(names, volumes, counts, strict=True)))  # fmt: skip


def _plans(plan: str | None, scenario: Scenario) -> tuple[str, ...]:
    """The plans to price: the one asked, else the account's current plan, else all."""
    if plan is not None:
        name = str(plan).strip().lower()
        if name not in PLANS:
            raise InputError("plan", plan, f"expected one of {', '.join(PLANS)}")
        return (name,)
    if scenario.account is not None and scenario.account.plan is not None:
        return (scenario.account.plan,)
    return PLANS


def _paired(field_name: str, values: Any, count: int) -> list[Any]:
    """One value per Region, in the Regions' order: a Region without its own is an error."""
    listed = list(values) if isinstance(values, list | tuple) else [values]
    if len(listed) != count:
        raise InputError(field_name, ", ".join(str(v) for v in listed), f"{len(listed)} values for "
                         f"{count} Regions; expected one per --region, in their order")  # fmt: skip
    return listed


def _compare(
    scenario: Scenario, region: str, monthly_volume: Any, ips: Any, plans: Sequence[str] = PLANS
) -> Comparison:
    book, day = scenario.book, scenario.price_date
    volume = _volume(monthly_volume)
    s = scenario.settings(region)
    n, how = _standard_ips(s, volume, ips)
    when = np.datetime64(day, "D")
    fee = int(book.fee_cents(default_value("sku"), s.region, when))
    standard = int(monthly_fee(n, fee))
    base = int(book.fee_cents("managed-ip-base", s.region, when))
    tiers = book.tiers("managed-ip-usage", s.region, day)
    managed, charged = managed_fee_cents(volume, base, tiers)
    lines = bill(scenario, region, volume, ips, plans)
    first, second = _cheapest(lines)
    crossing = (
        None if second is None else _bill_break_even(scenario, region, volume, ips, first, second)
    )
    return Comparison(
        region=s.region, currency=book.currency, price_date=day, monthly_volume=volume,
        ips=n, ips_from=how, fee_per_ip=amount(fee), standard_fee=amount(standard),
        managed_base=amount(base),
        managed_tiers=tuple(Tier(start, end, messages, amount(cents), amount(charge))
                            for start, end, messages, cents, charge in charged),
        managed_fee=amount(managed), break_even_volume=_break_even(standard, base, tiers),
        assumptions=s.assumptions, bill=lines, bill_break_even=crossing,
        _asked=(scenario, ips, tuple(plans)),
    )  # fmt: skip


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
    return n, (f"sized for {float(daily):,.0f} messages a day (the month's volume over 365/12 "
               f"days) x peak factor {settings.peak_factor:g}")  # fmt: skip


# ------------------------------------------------------------------ the whole bill


@dataclass(frozen=True)
class BillLine:
    """A month's SES bill in a Region under one plan and one way to send [money]."""

    region: str
    plan: str
    ip_mode: str
    ips: int
    plan_fee: Decimal
    mail: Decimal
    ip_fees: Decimal

    @property
    def total(self) -> Decimal:
        return self.plan_fee + self.mail + self.ip_fees

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "plan": self.plan, "ip_mode": self.ip_mode, "ips": self.ips,
                "plan_fee": str(self.plan_fee), "mail": str(self.mail),
                "ip_fees": str(self.ip_fees), "total": str(self.total)}  # fmt: skip


def line_tuple(line: BillLine) -> tuple[str, str, int, Decimal, Decimal, Decimal, Decimal]:
    """A bill line's plan, way to send, IPs and money (plan fee, mail, IP fees, total)."""
    return (line.plan, line.ip_mode, line.ips, line.plan_fee, line.mail, line.ip_fees,
            line.total)  # fmt: skip


def priced_sku(book: PriceBook, plan: str, sku: str) -> str:
    """A plan's own price book row for ``sku`` where it has one, else the a la carte one."""
    own = f"{plan}:{sku}"
    return own if any(p.sku == own for p in book) else sku


def mail_cents(book: PriceBook, region: str, day: dt.date, plan: str, volume: int) -> int:
    """Outbound mail for ``volume`` messages: the plan's marginal tiers, or a la carte."""
    sku = priced_sku(book, plan, "outbound-email")
    if any(p.sku == sku and p.tier_from is not None for p in book):
        return sum(t[-1] for t in tiered_cents(volume, book.tiers(sku, region, day), f"{sku} mail"))
    per_1000 = int(book.fee_cents(sku, region, np.datetime64(day, "D")))
    return int(div_half_up(volume * per_1000, MESSAGES_PER_UNIT))


def _line_cents(
    book: PriceBook, region: str, day: dt.date, plan: str, mode: str, volume: int, ips: int
) -> tuple[int, int, int]:
    """(plan fee, mail, IP fees) in cents of one plan and way to send."""
    when = np.datetime64(day, "D")
    plan_fee = int(book.fee_cents(f"{plan}:plan-fee", region, when))
    mail = mail_cents(book, region, day, plan, volume)
    if mode == "shared":
        return plan_fee, mail, 0
    if mode == "standard":
        return (
            plan_fee,
            mail,
            int(monthly_fee(ips, int(book.fee_cents(default_value("sku"), region, when)))),
        )
    base = int(book.fee_cents(priced_sku(book, plan, "managed-ip-base"), region, when))
    usage = book.tiers(priced_sku(book, plan, "managed-ip-usage"), region, day)
    return plan_fee, mail, managed_fee_cents(volume, base, usage)[0]


def _plans_in_force(book: PriceBook, region: str, day: dt.date, plans: Sequence[str]) -> list[str]:
    """The plans whose fee the price book has in force on ``day`` (plans launched 2026-07-21)."""
    out = []
    for plan in plans:
        try:
            book.fee_cents(f"{plan}:plan-fee", region, np.datetime64(day, "D"))
        except (PriceNotFoundError, UnknownNameError):
            continue
        out.append(plan)
    return out


def bill(
    scenario: Scenario, region: str, volume: int, ips: Any = None, plans: Sequence[str] = PLANS
) -> tuple[BillLine, ...]:
    """Every plan's and way to send's monthly bill for ``volume`` messages in ``region``:
    shared IPs (no IP fee), standard IPs (given, or sized from the volume as ``compare``
    sizes them) and managed IPs, each with the plan fee and the outbound mail."""
    s = scenario.settings(region)
    n, _ = _standard_ips(s, volume, ips)
    book, day = scenario.book, scenario.price_date
    # Every plan in force on the day; a plan asked for by name must be priced, or the
    # price book's error names the plan's SKU, the Region, the day and the book.
    chosen = _plans_in_force(book, s.region, day, plans) if tuple(plans) == PLANS else plans
    if not chosen:
        raise PriceNotFoundError(f"price: no pricing plan's fee (none:plan-fee, ...) for "
                                 f"{s.region} on {day} in {book.label}")  # fmt: skip
    lines = []
    for plan in chosen:
        for mode in IP_MODES:
            try:
                fee, mail, ip_fees = _line_cents(book, s.region, day, plan, mode, volume, n)
            except UnknownNameError as exc:
                raise PriceNotFoundError(f"price: {book.label} does not price the {plan} plan "
                                         f"for {s.region} on {day} ({exc})") from None  # fmt: skip
            lines.append(BillLine(s.region, plan, mode, {"shared": 0, "standard": n}.get(mode, 0),
                                  amount(fee), amount(mail), amount(ip_fees)))  # fmt: skip
    return tuple(lines)


def _cheapest(lines: Sequence[BillLine]) -> tuple[BillLine, BillLine | None]:
    ranked = sorted(lines, key=lambda line: line.total)  # stable: the first listed wins a tie
    return ranked[0], ranked[1] if len(ranked) > 1 else None


def _bill_break_even(
    scenario: Scenario, region: str, volume: int, ips: Any, first: BillLine, second: BillLine
) -> int | None:
    """The volume nearest above ``volume`` at which ``second`` costs no more than
    ``first`` (found by bisection between ``volume`` and 100 times it), or None."""

    def gap(v: int) -> int:
        lines = {
            (x.plan, x.ip_mode): x
            for x in bill(scenario, region, v, ips, (first.plan, second.plan))
        }
        a, b = lines[(first.plan, first.ip_mode)], lines[(second.plan, second.ip_mode)]
        return int((b.total - a.total) * 100)

    low, high = volume, max(volume * 100, 1_000)
    try:
        if gap(high) > 0:
            return None
    except PlannerError:  # beyond the last published tier
        return None
    while low < high:
        middle = (low + high) // 2
        if gap(middle) <= 0:
            high = middle
        else:
            low = middle + 1
    return low

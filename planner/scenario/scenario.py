"""The scenario: what one run assumes, resolved once at the edge and handed down.

A :class:`Scenario` holds the loaded tables (the Region table with the account's own
AZs applied, the price book, the warm-up curves), the checked layers of settings (the
options or keywords, then a plan's ``[defaults]``), the price date and today, and
resolves from them, once each: a Region's (or a plan entry's) sizing settings, the
billing conventions and the warm-up curve, each with its record of assumptions.

The command line and the library's keyword calls build one with :meth:`Scenario.build`
(from options, a plan and files); the operations take it with the demand (rates, a
plan's lines, a forecast, a fleet) and never see a path or a raw option.

>>> s = Scenario.build({"per_ip_rate": 40, "utilization": 0.8}, date="2027-01-01")
>>> s.settings("us-east-1").per_ip_rate, s.billing.day_count, s.curve.curve
(40.0, 'inclusive', 'linear')
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from planner.errors import DataFileError, InputError
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    WarmupCurve,
    WarmupTable,
    load_prices,
    load_regions,
    load_warmup,
)
from planner.files.values import (
    BILLING_SETTINGS,
    SCHEDULE_SETTINGS,
    SIZING_SETTINGS,
    WARMUP_SETTINGS,
    Layer,
    check_layer,
)
from planner.model.checks import as_date, today_utc
from planner.scenario.settings import (
    Assumption,
    Billing,
    Settings,
    Timing,
    resolve,
    resolve_billing,
    resolve_curve,
    resolve_timing,
)

if TYPE_CHECKING:
    from planner.files.aws import AwsAccount
    from planner.files.plans import Plan
    from planner.files.snapshot import Account

#: Every setting a scenario takes from options: sizing, billing and warm-up.
SETTINGS = SIZING_SETTINGS + BILLING_SETTINGS + WARMUP_SETTINGS + SCHEDULE_SETTINGS


@dataclass(frozen=True)
class Scenario:
    """What a run assumes (see the module's docstring); build it with :meth:`build`."""

    catalog: RegionCatalog
    """The Region table, with the account's own AZs where a zones file gave them."""
    book: PriceBook
    layers: tuple[Layer, ...]
    """Checked settings, first wins: the options or keywords, then a plan's ``[defaults]``."""
    price_date: dt.date
    today: dt.date
    account: AwsAccount | None = None
    """What ``aws sesv2 get-account`` output says (the maximum send rate), if given."""
    curves_file: PathLike | WarmupTable | None = None
    """The warm-up curves' table (default: the shipped one), loaded when first used."""
    zones: AwsAccount | None = None
    """The account's ``describe-availability-zones`` output, when given: every Region a
    run sizes must be in it, with an available AZ."""
    accounts: Mapping[str, AwsAccount] = field(default_factory=dict)
    """Each Region's ``get-account`` output, from a snapshot (``account_dir``)."""
    snapshot: Account | None = None
    """The snapshot the account's files came from, if one was given."""
    _resolved: dict[tuple[str, str | None], Settings] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(
        cls,
        options: Mapping[str, Any] | None = None,
        *,
        plan: Plan | None = None,
        allowed: Sequence[str] = SETTINGS,
        prices: PathLike | PriceBook | None = None,
        regions_file: PathLike | RegionCatalog | None = None,
        zones_file: PathLike | None = None,
        curves: PathLike | WarmupTable | None = None,
        account_file: PathLike | None = None,
        account_dir: PathLike | Account | None = None,
        date: dt.date | str | None = None,
        today: dt.date | str | None = None,
    ) -> Scenario:
        """A scenario from ``options`` (setting name -> value as typed; ``None`` = not
        given), a ``plan`` (its ``[defaults]`` and ``zones_file``) and the files given.

        ``allowed`` are the settings the caller takes; the options' values are checked
        here, once. ``date`` is the price date and ``today`` today (both default to
        today, UTC). The AWS files are read only when given, so a plain estimate starts
        light. ``account_dir``, a snapshot (``ipcost snapshot -o DIR``, or its
        :class:`~planner.Account`), gives the account's zones in every Region it holds,
        each Region's ``get-account`` and its price list, imported over the price book;
        a zones or account file given beside it comes first.
        """
        given = check_layer(Layer(None, dict(options or {})), allowed)
        layers = [given]
        if plan is not None:
            layers.append(Layer(f"{plan.source}, [defaults]", plan.defaults))
            zones_file = zones_file if zones_file is not None else plan.zones_file
        catalog = load_regions(regions_file)
        snap = _snapshot(account_dir)
        zones_files = (zones_file if zones_file is not None else
                       snap.zones_files() if snap is not None else None)  # fmt: skip
        account = zones = None
        if zones_files is not None or account_file is not None:
            from planner.files.aws import account_view, read_one

            if zones_files is not None:
                catalog, zones = account_view(catalog, zones_files)
            if account_file is not None:
                account = read_one(account_file, "SendQuota", "account_file")
        now = today_utc() if today is None else as_date("today", today)
        return cls(
            catalog=catalog,
            book=_book(prices, snap, regions_file),
            accounts=_accounts(snap),
            snapshot=snap,
            curves_file=curves,
            layers=tuple(layers),
            price_date=now if date is None else as_date("date", date),
            today=now,
            account=account,
            zones=zones,
        )

    @classmethod
    def given_or_built(
        cls,
        scenario: Scenario | None,
        settings: Mapping[str, Any],
        *,
        allowed: Sequence[str],
        function: str,
        **files: Any,
    ) -> Scenario:
        """The ``scenario`` a library call was given, or one built from its keyword
        ``settings`` and ``files`` (:meth:`build`'s). A setting the function does not take
        is a TypeError, as is a scenario given beside settings or files."""
        unknown = [name for name in settings if name not in allowed]
        if unknown:
            raise TypeError(f"{function}() got an unexpected keyword argument {unknown[0]!r}")
        if scenario is None:
            return cls.build(settings, allowed=allowed, **files)
        extra = [k for k, v in {**settings, **files}.items() if v is not None and k != "plan"]
        if extra:
            raise TypeError(f"{function}() takes a scenario or its settings and files, not "
                            f"both ({extra[0]!r} was given too)")  # fmt: skip
        return scenario

    def with_plan(self, plan: Plan) -> Scenario:
        """This scenario with ``plan``'s ``[defaults]`` after the options (a starting fleet
        read from another plan is sized under its own defaults)."""
        defaults = Layer(f"{plan.source}, [defaults]", plan.defaults)
        return replace(self, layers=(self.given, defaults), _resolved={})

    @property
    def given(self) -> Layer:
        """The options or keywords, checked."""
        return self.layers[0]

    def settings(self, region: str, entry: Layer | None = None) -> Settings:
        """A Region's sizing settings, or a plan entry's (its own values first); each
        resolved once."""
        key = (region, None if entry is None or not entry.values else entry.where)
        if key not in self._resolved:
            self._check_zones(region)
            layers = self.layers if key[1] is None else (self.layers[0], entry, *self.layers[1:])
            self._resolved[key] = resolve(
                region, [la for la in layers if la is not None], self.catalog
            )
        return self._resolved[key]

    def _check_zones(self, region: str) -> None:
        """A zones file that does not cover ``region`` is an error, never a silent fall back
        to the Region table (the AWS CLI's default Region is the usual cause)."""
        if self.zones is None:
            return
        name = self.catalog[region].region
        if name in self.zones.zones:
            return
        label = ", ".join(self.zones.files)
        if self.snapshot is not None and name not in self.snapshot.regions:
            raise InputError("region", name, f"the snapshot in {self.snapshot.folder} holds "
                             f"{', '.join(self.snapshot.regions)}; take {name} too (ipcost "
                             f"snapshot --region {name}) or leave out --account-dir")  # fmt: skip
        if name in self.zones.zones_seen:
            raise DataFileError(label, f"lists no available Availability Zone in {name}; expected "
                                "at least one with State available")  # fmt: skip
        raise DataFileError(label, f"has no Availability Zones of {name}; expected aws ec2 "
                            f"describe-availability-zones --region {name} output")  # fmt: skip

    @functools.cached_property
    def curves(self) -> WarmupTable:
        """The warm-up curves by name."""
        return load_warmup(self.curves_file)

    def quota_warnings(self, rates: Sequence[tuple[str, float | None]]) -> tuple[str, ...]:
        """A warning for each (Region, rate [msg/s]) above the account's maximum send rate
        (``aws sesv2 get-account`` output, when given), naming both."""
        out = []
        for region, rate in rates:
            account = self.account_for(region)
            if account is None or account.max_send_rate is None or rate is None:
                continue
            if rate > account.max_send_rate:
                out.append(f"{region}: {rate:,.2f} msg/s is above the account's maximum send "
                           f"rate of {account.max_send_rate:,.2f} msg/s "
                           f"({', '.join(account.files)}); ask for a sending quota increase too")  # fmt: skip
        return tuple(out)

    def account_for(self, region: str) -> AwsAccount | None:
        """What ``get-account`` says in ``region``: the snapshot's file for it, else the
        one ``account_file`` given for every Region."""
        return self.accounts.get(region, self.account)

    @functools.cached_property
    def timing(self) -> Timing:
        """A schedule's lead and keep days, with where each came from."""
        return resolve_timing(self.layers)

    @functools.cached_property
    def billing(self) -> Billing:
        """The day count and lease proration, with where each came from."""
        return resolve_billing(self.layers)

    @functools.cached_property
    def _curve(self) -> tuple[WarmupCurve, Assumption]:
        return resolve_curve(self.layers, self.curves)

    @property
    def curve(self) -> WarmupCurve:
        """The warm-up curve, looked up in :attr:`curves`."""
        return self._curve[0]

    @property
    def curve_record(self) -> Assumption:
        return self._curve[1]


def _snapshot(folder: PathLike | Account | None) -> Account | None:
    if folder is None or not isinstance(folder, str | os.PathLike):
        return folder
    from planner.files.snapshot import Account

    return Account(folder)


def _accounts(snap: Account | None) -> dict[str, AwsAccount]:
    """Each Region's get-account output in a snapshot."""
    if snap is None:
        return {}
    from planner.files.aws import read_one

    return {r: read_one(snap.account_file(r), "SendQuota", "account_dir") for r in snap.regions}


def _book(
    prices: PathLike | PriceBook | None,
    snap: Account | None,
    regions_file: PathLike | RegionCatalog | None,
) -> PriceBook:
    """The price book, with a snapshot's price list imported over it."""
    book = load_prices(prices)
    if snap is None:
        return book
    from planner.files.pricelist import read_price_list

    return read_price_list([snap.price_list()], regions_file=regions_file).merged(book)

"""The reports of the ``ipcost`` commands, in every output format.

Each ``render_*`` function takes a library result and a format from
:data:`planner.edges.formats.FORMATS` and returns the text. JSON follows the contract in
each result's ``to_dict()``; tables show every assumption the numbers rest on.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.edges.formats import (
    Cell,
    Notes,
    csv_table,
    format_rows,
    frame_csv,
    header_words,
    json_text,
    markdown_table,
    text_table,
    text_width,
)
from planner.files.output import write_atomic
from planner.files.tables import PRICE_COLUMNS, REGION_COLUMNS, PriceBook, RegionCatalog
from planner.files.values import GIVEN
from planner.model.money import amount
from planner.model.pricing import plan_name
from planner.model.sizing import exact_text
from planner.ops.estimates import Estimate
from planner.scenario.settings import Assumption
from planner.words import plural

if TYPE_CHECKING:
    import pandas as pd

    from planner.model.peaks import Burst
    from planner.ops.cases import SupportCase, SupportCases
    from planner.ops.comparisons import Comparison, Comparisons
    from planner.ops.fleets import Fleet
    from planner.ops.forecasting import Forecast
    from planner.ops.relinquishes import Relinquish
    from planner.ops.schedules import QuantilePlans, Schedule
    from planner.ops.warmups import Warmup
    from planner.scenario.budgets import Budget

_BASIS = {
    "rate": "peak send rate",
    "daily_volume": "daily volume / 86,400 s x peak factor",
    "ips": "IP count as given",
}


def _estimate_rows(est: Estimate) -> tuple[list[str], list[list[Cell]]]:
    cur = est.currency
    headers = [
        "region",
        "send rate [msg/s]",
        "AZs",
        "IPs for rate",
        "IPs",
        "capacity [msg/s]",
        "1 AZ down [msg/s]",
        f"monthly fee [{cur}]",
        f"annual fee [{cur}]",
    ]
    rows: list[list[Cell]] = [
        [
            r.region,
            r.send_rate,
            r.availability_zones,
            r.ips_for_rate,
            r.ips,
            r.capacity,
            r.capacity_one_az_down,
            r.monthly_fee,
            r.annual_fee,
        ]
        for r in est.regions
    ]
    return headers, rows


def _assumption_lines(est: Estimate, notes: Notes) -> list[tuple[str, str]]:
    """(setting, value) lines, each default citing its source in ``notes``."""
    a = est.assumptions
    records = {r.setting: r for r in a.records}

    def tag(setting: str) -> str:
        record = records.get(setting)
        if record is None or record.origin == GIVEN:
            return "  (given)"
        return f"  (default){notes.after(record.source)}"

    lines = [("sized from", _BASIS[a.basis])]
    if a.peak_factor is not None:
        lines.append(("peak factor", f"{a.peak_factor:g}{tag('peak_factor')}"))
    if a.profile is not None:
        per_ip = (f"{float(a.per_ip_rate):,.2f} msg/s (exactly {exact_text(a.per_ip_rate)}), "
                  f"profile {a.profile}{tag('profile')}"
                  f"{notes.after(f'profile {a.profile}: {a.per_ip_rate_from}')}")  # fmt: skip
    else:
        per_ip = f"{float(a.per_ip_rate):,.2f} msg/s  (given)"
    lines.append(("per-IP rate", per_ip))
    lines.append(("utilization", f"{a.utilization:g}{tag('utilization')}"))
    lines.append(("min per Region", f"{a.min_per_region} IPs{tag('min_per_region')}"))
    lines.append(("AZ failures", f"{a.az_failures} survived{tag('az_failures')}"))
    lines.append(("AZs", ", ".join(f"{r.region} {r.availability_zones}" for r in est.regions)
                  + notes.after(AZ_ORDER)))  # fmt: skip
    if a.fee_per_ip is not None:
        fee = f"{a.fee_per_ip} {est.currency} per IP-month"
    else:
        fee = ", ".join(f"{r.region} {r.fee_per_ip}" for r in est.regions)
        fee += f" {est.currency} per IP-month"
    lines.append(("price", f"{fee} ({a.sku}, in force on {est.price_date})"
                  f"{notes.after(a.price_source)}"))  # fmt: skip
    lines.append(("annual fee", "12 x the monthly fee at that price"))
    lines.append(("capacity", "IPs x per-IP rate x utilization; 1 AZ down loses the fullest AZ"))
    return lines


#: Why a Region's AZ IDs are not in number order: the spread's order, explained where it shows.
AZ_ORDER = (
    "AZs are listed, and filled, in the Region table's order, which puts last an AZ "
    "that is constrained or that many accounts cannot use (ipcost regions says which)"
)


def render_estimate(est: Estimate, fmt: str) -> str:
    """``ipcost estimate`` in one of the output formats."""
    if fmt == "json":
        return json_text(est.to_dict())
    if fmt == "csv":
        return format_rows(*estimate_table(est), "csv")
    headers, rows = _estimate_rows(est)
    total: list[Cell] = [
        "total",
        None,
        None,
        None,
        est.ips,
        None,
        None,
        est.monthly_fee,
        est.annual_fee,
    ]
    spread_headers = ["region", "IPs per Availability Zone (AZ ID: IPs)"]
    spread_rows: list[list[Cell]] = [
        [r.region, "  ".join(f"{az}: {n}" for az, n in r.spread.items())] for r in est.regions
    ]
    title = f"Standard dedicated IPs, priced on {est.price_date} ({est.currency})"
    notes = Notes()
    assumptions = _assumption_lines(est, notes)
    if fmt == "markdown":
        parts = [
            f"## {title}\n",
            markdown_table(headers, [*rows, total]),
            "\n### Spread\n",
            markdown_table(spread_headers, spread_rows),
            "\n### Assumptions\n",
            markdown_table(["setting", "value"], [[k, v] for k, v in assumptions]),
            notes.markdown(),
        ]
        return "".join(parts)
    width = max(len(k) for k, _ in assumptions)
    parts = [
        title + "\n\n",
        text_table(headers, [*rows, total]),
        "\n",
        text_table(spread_headers, spread_rows),
        "\nAssumptions\n",
        "".join(f"  {k.ljust(width)}  {v}\n" for k, v in assumptions),
        notes.text(),
    ]
    return "".join(parts)


def estimate_table(est: Estimate) -> tuple[list[str], list[list[Cell]]]:
    """The CSV's table: the JSON keys as columns; the spread as "az_id:count" pairs; money
    as numbers."""
    keys = [*est.regions[0].to_dict(), "currency"]
    rows: list[list[Cell]] = [
        [
            " ".join(f"{az}:{n}" for az, n in r.spread.items())
            if k == "spread"
            else getattr(r, k)
            if k in ("monthly_fee", "annual_fee")
            else est.currency
            if k == "currency"
            else v
            for k, v in {**r.to_dict(), "currency": est.currency}.items()
        ]
        for r in est.regions
    ]
    return keys, rows


def regions_table(catalog: RegionCatalog) -> tuple[list[str], list[list[Cell]]]:
    """The Region table, every column."""
    rows: list[list[Cell]] = [
        [r.region, r.name, r.partition, r.az_count, r.usable_azs, " ".join(r.az_ids), r.notes,
         r.source, r.as_of]
        for r in catalog
    ]  # fmt: skip
    return list(REGION_COLUMNS), rows


def render_regions(catalog: RegionCatalog, fmt: str) -> str:
    """``ipcost regions``: every column in CSV, JSON and Markdown; a table cites its notes
    and sources."""
    full, rows = regions_table(catalog)
    if fmt != "table":
        return format_rows(full, rows, fmt)
    notes = Notes()
    shown: list[list[Cell]] = [
        [r.region, r.name, r.partition, r.az_count, r.usable_azs, " ".join(r.az_ids),
         " ".join(c for c in (notes.cite(r.notes), notes.cite(r.source)) if c)]
        for r in catalog
    ]  # fmt: skip
    headers = ["region", "name", "partition", "AZs", "usable AZs", "AZ IDs, in fill order",
               "notes"]  # fmt: skip
    return text_table(headers, shown) + notes.text()


def prices_table(book: PriceBook) -> tuple[list[str], list[list[Cell]]]:
    """The price book, every column, prices as exact decimals."""
    rows: list[list[Cell]] = [
        [p.sku, p.region, p.unit, amount(p.price_cents), p.currency,
         p.effective_from.isoformat(), p.effective_to.isoformat() if p.effective_to else "",
         p.tier_from, p.tier_to, p.source]
        for p in book
    ]  # fmt: skip
    return list(PRICE_COLUMNS), rows


def render_prices(book: PriceBook, fmt: str) -> str:
    """``ipcost prices``: the price book, prices as exact decimals; a table cites sources."""
    full, rows = prices_table(book)
    if fmt != "table":
        return format_rows(full, rows, fmt)
    notes = Notes()
    currencies = {p.currency for p in book}
    one = next(iter(currencies)) if len(currencies) == 1 else None
    shown: list[list[Cell]] = [
        [p.sku, p.region, amount(p.price_cents) if one else f"{amount(p.price_cents)} {p.currency}",
         p.unit, f"{p.effective_from} to {p.effective_to}" if p.effective_to
         else f"{p.effective_from} on", _tier_text(p.tier_from, p.tier_to), notes.cite(p.source)]
        for p in book
    ]  # fmt: skip
    headers = ["SKU", "region", f"price [{one}]" if one else "price", "per", "in force",
               "tier [units a month]", "source"]  # fmt: skip
    return text_table(headers, shown) + notes.text()


def _tier_text(low: int | None, high: int | None) -> str:
    """A tier's range for a person: "" (no tier), "0 to 10,000,000", "100,000,000 on"."""
    if low is None and high is None:
        return ""
    return f"{low or 0:,} to {high:,}" if high is not None else f"{low or 0:,} on"


def relinquish_table(result: Relinquish) -> tuple[list[str], list[list[Cell]]]:
    """The JSON keys as columns, in one row; money as numbers (decimal strings in JSON)."""
    from planner.ops.relinquishes import MONEY_KEYS

    flat = result.to_dict()
    cells: list[Cell] = [
        Decimal(v) if isinstance(v, str) and k in MONEY_KEYS else v for k, v in flat.items()
    ]
    return list(flat), [cells]


def render_relinquish(result: Relinquish, fmt: str) -> str:
    """``ipcost relinquish``: per IP and in total, with what waiting costs."""
    if fmt == "json":
        return json_text(result.to_dict())
    cur = result.currency
    rows: list[list[Cell]] = [
        ["monthly fee", result.monthly_fee_per_ip, result.count * result.monthly_fee_per_ip],
        ["charge", result.charge_per_ip, result.charge],
        ["refund", result.refund_per_ip, result.refund],
    ]  # fmt: skip
    headers = ["", f"per IP [{cur}]", f"{result.count} IPs [{cur}]"]
    if fmt == "csv":
        return format_rows(*relinquish_table(result), "csv")
    day_rule = "is" if result.day_count == "inclusive" else "is not"
    facts = [
        ("Region", result.region),
        ("relinquish date", f"{result.date} (day {result.date.day} of {result.days_in_month})"),
        ("days billed", f"{result.days_billed} of {result.days_in_month} (day_count {result.day_count}: the relinquish day {day_rule} billed)"),
        ("each day of delay", f"+{result.cost_per_day_of_delay} {cur} for the {result.count} IPs"),
    ]  # fmt: skip
    if result.held is not None:
        facts.append(
            (
                "monthly fee before",
                f"{result.monthly_fee_before} {cur} ({result.held} IPs)",
            )
        )
        facts.append(
            (
                "monthly fee after",
                f"{result.monthly_fee_after} {cur} ({result.held - result.count} IPs)",
            )
        )
    warning = "Relinquishing is irreversible: a relinquished IP is gone for good, and a new one needs warming up again."
    title = f"Relinquish {result.count} standard dedicated IP{'s' if result.count != 1 else ''} in {result.region} on {result.date}"
    if fmt == "markdown":
        return (
            f"## {title}\n\n" + markdown_table(headers, rows) + "\n"
            + markdown_table(["", ""], [[k, v] for k, v in facts]) + f"\n**{warning}**\n"
        )  # fmt: skip
    width = max(len(k) for k, _ in facts)
    return (
        title + "\n\n" + text_table(headers, rows) + "\n"
        + "".join(f"  {k.ljust(width)}  {v}\n" for k, v in facts)
        + f"\n{warning}\nProration: fee x days billed / days in month, rounded half up to the cent, per IP.\n"
    )  # fmt: skip


def budget_totals(
    result: Budget,
) -> tuple[dict[str, dict[str, int | Decimal]], dict[str, int | Decimal]]:
    """IP-days and each money column (``charge``, ``refund``, and ``mail`` and ``plan_fee``
    when the plan gave volumes) per Region in the plan's order, and in all: the budget's
    own exact sums (:meth:`planner.Budget.by_region`), money as exact amounts."""
    regions = result.by_region()
    per_region = {region: {k: v if k == "ip_days" else amount(v) for k, v in parts.items()}
                  for region, parts in regions.items()}  # fmt: skip
    in_all: dict[str, int | Decimal] = {"ip_days": sum(p["ip_days"] for p in regions.values()),
                                        **result.totals}  # fmt: skip
    return per_region, in_all


def _budget_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[Cell]]:
    counts = {"ips_start", "leased", "relinquished", "ips_end", "ip_days"}
    return [
        [
            str(v) if k == "month" else int(v) if k in counts else v
            for k, v in zip(columns, row, strict=True)
        ]
        for row in frame[columns].itertuples(index=False)
    ]


def render_budget(result: Budget, fmt: str) -> str | Iterator[str]:
    """``ipcost budget``: the tidy month x Region x pool table, with totals in the table view.

    CSV comes in chunks (see :func:`planner.edges.formats.frame_csv`), so a large budget is
    written without first building the whole text; JSON is :meth:`planner.Budget.to_dict`.
    """
    columns = result.columns
    if fmt == "json":
        return json_text(result.to_dict())
    frame = result.to_frame()
    if fmt == "csv":
        return frame_csv(frame[columns])
    cur = result.currency
    per_region, in_all = budget_totals(result)
    money = list(in_all)[1:]
    whole = result.whole_bill  # the whole bill is IP fees, mail and plan fee

    def bill(row: Mapping[str, Any]) -> list[Cell]:
        return [row["charge"] + row["mail"] + row["plan_fee"]] if whole else []

    total_rows: list[list[Cell]] = [
        [region, int(row["ip_days"]), *(row[m] for m in money), *bill(row)]
        for region, row in per_region.items()
    ]
    total_rows.append(["total", int(in_all["ip_days"]), *(in_all[m] for m in money),
                       *bill(in_all)])  # fmt: skip
    total_headers = ["region", "IP-days", *(f"{m.replace('_', ' ')} [{cur}]" for m in money),
                     *([f"whole bill [{cur}]"] if whole else [])]  # fmt: skip
    headers = [header_words(c) for c in columns[:-1]]
    headers = [f"{h} [{cur}]" if c in MONEY_COLUMNS else h
               for h, c in zip(headers, columns[:-1], strict=True)]  # fmt: skip
    body = [row[:-1] for row in _budget_rows(frame, columns)]
    first, last = result.start, result.end
    what = (f"the whole SES bill under the {plan_name(str(result.pricing_plan))} pricing plan: "
            "standard dedicated IPs, outbound mail and the plan fee"
            if whole else "standard dedicated IPs")  # fmt: skip
    title = f"Budget {first} to {last}, {what} ({cur}; charge and refund per month)"
    settings = _settings_line(result.assumptions)
    title += f"\n{settings}" if settings else ""
    if not len(frame):
        title += "\n\nNo pool holds IPs in these months."
    event_headers, event_rows = budget_event_table(result)
    if fmt == "markdown":
        out = f"## {title}\n\n" + markdown_table(headers, body)
        if event_rows:
            out += "\n### Events\n\n" + markdown_table(event_headers, event_rows)
        return out + "\n### Totals\n\n" + markdown_table(total_headers, total_rows)
    out = title + "\n\n" + _fitting_table(headers, body, columns[:-1])
    if event_rows:
        out += _events_title(event_rows, first, last) + text_table(event_headers, event_rows)
    note = ("  whole bill = charge + mail + plan fee (the refund is what relinquishing saved, "
            "already out of the charge)\n" if whole else "")  # fmt: skip
    return out + "\nTotals\n" + text_table(total_headers, total_rows) + note


MONEY_COLUMNS = frozenset({"charge", "refund", "mail", "plan_fee"})


def _settings_line(records: Sequence[Assumption]) -> str:
    """The settings a budget rests on, each with where it came from (a workbook's
    ``assumptions`` sheet adds each default's source)."""
    keep = ("utilization", "az_failures", "min_per_region", "per_ip_rate", "curve", "day_count",
            "lease_proration")  # fmt: skip
    shown = [f"{header_words(a.setting)} {a.plain_value} ({a.origin})"
             for a in records if a.setting in keep]  # fmt: skip
    return "Settings: " + "; ".join(shown) if shown else ""


def _fitting_table(headers: list[str], body: list[list[Cell]], keys: list[str]) -> str:
    """The budget's table, or, where its numbers cannot share one screen's width (a whole
    bill's), its IPs and its money as two tables, each keyed by month, Region and pool."""
    table = text_table(headers, body)
    if max(len(line) for line in table.splitlines()) <= text_width():
        return table
    ips = [i for i, k in enumerate(keys) if k not in MONEY_COLUMNS]
    money = [0, 1, 2, *(i for i, k in enumerate(keys) if k in MONEY_COLUMNS)]
    return "".join(
        f"{name}\n" + text_table([headers[i] for i in cols], [[r[i] for i in cols] for r in body])
        for name, cols in (("IPs", ips), ("\nMoney", money))
    )


def _events_title(rows: list[list[Cell]], first: str, last: str) -> str:
    """The events' heading, saying how many fall before or after the budget's months."""
    before = sum(1 for r in rows if str(r[0])[:7] < first)
    after = sum(1 for r in rows if str(r[0])[:7] > last)
    where = [f"{n} before {first}, in the fleet it starts with" for n in [before] if n]
    where += [f"{n} after {last}, outside these months" for n in [after] if n]
    return "\nEvents" + (f": {' and '.join(where)}" if where else "") + "\n"


def budget_event_table(result: Budget) -> tuple[list[str], list[list[Cell]]]:
    """The plan's events in date order, with the day each lease is warm."""
    headers = ["date", "region", "pool", "action", "count", "warm from", "note"]
    return headers, result.event_rows()


def write_budget_csv(result: Budget, path: str | Path, *, decimal_comma: bool = False) -> None:
    """Write :func:`planner.budget`'s result as the budget CSV, atomically.

    The same file as ``ipcost budget PLAN -f csv -o PATH`` (with ``decimal_comma``, as
    ``--decimal-comma`` writes it: ``;`` between cells and ``349,30``): the columns of the
    contract (``mail`` and ``plan_fee`` too when the plan gave volumes), plain numbers,
    exact money, typed text cells made spreadsheet-safe.
    """
    from planner.edges.formats import decimal_comma as comma_decimals

    with comma_decimals(decimal_comma):
        write_atomic(path, frame_csv(result.to_frame()[result.columns]))


def warmup_table(result: Warmup) -> tuple[list[str], list[list[Cell]]]:
    """One row per day: capacity, what the dedicated IPs carry and the overflow [msg/s]."""
    headers = ["date", "day", "capacity", "dedicated", "overflow"]
    return headers, [[d[h] for h in headers] for d in result.to_dict()["days"]]


def render_warmup(result: Warmup, fmt: str) -> str:
    """``ipcost warmup``: the ready date, then one row per day (the JSON ``days``)."""
    if fmt == "json":
        return json_text(result.to_dict())
    headers, rows = warmup_table(result)
    if fmt == "csv":
        return format_rows(headers, rows, "csv")
    shown = ["date", "day", "capacity [msg/s]", "dedicated [msg/s]", "overflow [msg/s]"]
    held = f"{result.ips} new IP{'s' if result.ips != 1 else ''}"
    if result.warm:
        held += f" + {result.warm} warm"
    for n, p in result.partway:
        held += f" + {n} at {p} %"
    title = f"Warm-up of {held} in {result.region} from {result.start} for {result.rate:,.2f} msg/s"
    ready = (
        f"{result.ready_date} (day {(result.ready_date - result.start).days + 1})"
        if result.ready_date is not None
        else "never: the fleet, fully warm, carries less than the rate"
    )
    curve, per_ip, use = result.assumptions
    notes = Notes()
    facts = [
        ("dedicated IPs alone carry the rate from", ready),
        ("warm-up curve", f"{result.curve}{_origin(curve)}{notes.after(curve.source)}"),
        ("per-IP rate", f"{float(result.per_ip_rate):,.2f} msg/s{_origin(per_ip)}"
                        f"{notes.after(per_ip.source)}"),
        ("utilization", f"{result.utilization:g}{_origin(use)}{notes.after(use.source)}"),
        ("overflow", "goes over shared IPs (a first fleet) or the account's older warm IPs"),
    ]  # fmt: skip
    if fmt == "markdown":
        return (
            f"## {title}\n\n"
            + markdown_table(["", ""], [[k, v] for k, v in facts])
            + "\n"
            + markdown_table(shown, rows)
            + notes.markdown()
        )
    width = max(len(k) for k, _ in facts)
    return (
        title + "\n\n" + "".join(f"  {k.ljust(width)}  {v}\n" for k, v in facts) + "\n"
        + text_table(shown, rows) + notes.text()
    )  # fmt: skip


def _origin(record: Assumption) -> str:
    """How a setting was chosen, as the estimate report shows it."""
    return "  (given)" if record.origin == GIVEN else f"  ({record.origin})"


def render_compare(result: Comparison | Comparisons, fmt: str) -> str:
    """``ipcost compare``: both modes' monthly fees and where they cross, the whole bill
    under each plan and way to send, and the verdict: money and fit, each with its why;
    for several Regions, each in turn and their whole bill together."""
    if fmt == "json":
        return json_text(result.to_dict())
    from planner.ops.comparisons import Comparisons

    if fmt == "csv":
        return format_rows(*compare_table(result), "csv")
    if isinstance(result, Comparisons):
        return "\n".join(render_compare(c, fmt) for c in result.regions) + "\n" + _totals(
            result, fmt)  # fmt: skip
    cur = result.currency
    managed_as = plan_name(result.managed_plan)
    rows: list[list[Cell]] = [
        [f"standard: {result.ips} IP{'s' if result.ips != 1 else ''} x {result.fee_per_ip}",
         result.standard_fee],
    ]  # fmt: skip
    if result.managed_fee is None:
        rows.append([f"managed ({managed_as}): no price: {result.managed_missing}", None])
    else:
        rows.append([f"managed ({managed_as}): base fee", result.managed_base])
        rows += [[f"managed: {t.messages:,} messages at {t.price} per 1,000 ({t.tier_from:,} "
                  f"to {t.tier_to:,})", t.charge] for t in result.managed_tiers if t.messages]  # fmt: skip
        rows.append(["managed: total", result.managed_fee])
    crossing = (
        f"{result.break_even_volume:,} messages a month (for this standard fleet)"
        if result.break_even_volume is not None
        else "none up to the last published tier: managed stays cheaper"
        if result.managed_fee is not None else "not known: managed has no price here"
    )  # fmt: skip
    facts = [
        ("IP fees alone", {"standard": "standard IPs cost less than managed",
                           "managed": "managed IPs cost less than standard",
                           "same": "standard and managed cost the same"}[result.cheaper]),
        ("break-even volume", crossing),
        ("standard fleet", result.ips_from),
        ("prices", f"in force on {result.price_date}; usage rounded half up per tier"),
    ]  # fmt: skip
    title = (f"Standard against managed dedicated IPs in {result.region}, "
             f"{result.monthly_volume:,} messages a month ({cur})")  # fmt: skip
    notes = Notes()
    heads, lines, verdict = _bill_rows(result, notes if fmt == "table" else None)
    if fmt == "markdown":
        return (f"## {title}\n\n" + markdown_table(["fee", f"monthly fee [{cur}]"], rows) + "\n"
                + markdown_table(["", ""], [[k, v] for k, v in facts])
                + f"\n### The whole monthly bill ({cur})\n\n" + markdown_table(heads, lines)
                + "".join(f"\n- {v}" for v in verdict) + "\n")  # fmt: skip
    width = max(len(k) for k, _ in facts)
    return (title + "\n\n" + text_table(["fee", f"monthly fee [{cur}]"], rows) + "\n"
            + "".join(f"  {k.ljust(width)}  {v}\n" for k, v in facts)
            + f"\nThe whole monthly bill ({cur}): plan fee + outbound mail + IP fees\n"
            + text_table(heads, lines) + notes.text() + ("\n" if notes.texts else "")
            + "".join(f"{v}\n" for v in verdict))  # fmt: skip


def _totals(result: Comparisons, fmt: str) -> str:
    """The whole bill of all the Regions together, a line per plan and way to send."""
    cur = result.regions[0].currency
    rows: list[list[Cell]] = [[plan_name(p), f"{m} IPs", t if t is not None else "no price"]
                              for p, m, t in result.bill_totals()]  # fmt: skip
    title = f"The whole monthly bill over {len(result.regions)} Regions ({cur})"
    heads = ["plan", "sent over", f"total [{cur}]"]
    if fmt == "markdown":
        return f"### {title}\n\n" + markdown_table(heads, rows)
    return title + "\n" + text_table(heads, rows)


def _each(result: Comparison | Comparisons) -> tuple[Comparison, ...]:
    from planner.ops.comparisons import Comparisons

    return result.regions if isinstance(result, Comparisons) else (result,)


def compare_table(result: Comparison | Comparisons) -> tuple[list[str], list[list[Cell]]]:
    """Standard against managed IPs, a row per Region."""
    headers = ["region", "monthly_volume", "standard_ips", "standard_monthly_fee",
               "managed_monthly_fee", "cheaper", "break_even_volume", "currency"]  # fmt: skip
    rows: list[list[Cell]] = [
        [c.region, c.monthly_volume, c.ips, c.standard_fee, c.managed_fee,
         c.cheaper, c.break_even_volume, c.currency]
        for c in _each(result)
    ]  # fmt: skip
    return headers, rows


def bill_table(result: Comparison | Comparisons) -> tuple[list[str], list[list[Cell]]]:
    """The whole monthly bill under each plan and way to send, a row per Region and line."""
    headers = ["region", "plan", "ip_mode", "ips", "plan_fee", "mail", "ip_fees", "total",
               "currency"]  # fmt: skip
    rows: list[list[Cell]] = [
        [b.region, b.plan, b.ip_mode, b.ips, b.plan_fee, b.mail, b.ip_fees, b.total, c.currency]
        for c in _each(result)
        for b in c.bill
    ]  # fmt: skip
    return headers, rows


def _bill_rows(
    result: Comparison, notes: Notes | None = None
) -> tuple[list[str], list[list[Cell]], list[str]]:
    """The bill under each plan and way to send (a line the book cannot price marked, in
    ``notes`` when given), and the verdict: money and fit apart, each with its why."""
    heads = ["plan", "sent over", "standard IPs", "plan fee", "mail", "IP fees", "total", "note"]
    cheapest = result.cheapest

    def note(b: Any) -> str:
        if b is cheapest:
            return "cheapest"
        if not b.missing:
            return ""
        return notes.cite(f"no price: {b.missing}") if notes else f"no price: {b.missing}"

    lines: list[list[Cell]] = [
        [plan_name(b.plan), f"{b.ip_mode} IPs", b.ips if b.ip_mode == "standard" else None,
         b.plan_fee, b.mail, b.ip_fees, b.total, note(b)]
        for b in result.bill
    ]  # fmt: skip
    verdict = [f"Left out: {plan_name(p)}, {why}." for p, why in result.plans_left_out]
    if cheapest is not None:
        crossing = (f"the next cheapest catches up at {result.bill_break_even:,} messages a "
                    "month" if result.bill_break_even is not None else
                    "the next cheapest does not catch up within 100 times this volume")  # fmt: skip
        verdict.append(f"Money: the cheapest is {plan_name(cheapest.plan)} with "
                       f"{cheapest.ip_mode} IPs, {cheapest.total:,} {result.currency} a month; "
                       f"{crossing}.")  # fmt: skip
    if result.fit is not None:
        verdict.append(f"Fit: {result.fit.ip_mode} IPs, by AWS's guidance: {result.fit.why}.")
    return heads, lines, verdict


def render_schedule(result: Schedule, fmt: str) -> str | Iterator[str]:
    """``ipcost schedule``: months, events and the budget's totals; ``csv`` is the event
    log (``ipcost budget --events``), ``toml`` the plan (``ipcost budget PLAN``)."""
    from planner.files.plans import EVENT_KEYS, plan_toml

    if fmt == "json":
        return json_text(result.to_dict())
    if fmt == "toml":
        return plan_toml(result.plan)
    if fmt == "csv":
        return csv_table(
            EVENT_KEYS,
            [
                [e.date.isoformat(), e.region, e.action, e.count, e.pool, e.note]
                for e in result.plan.events
            ],
        )
    month_headers, month_rows = schedule_month_table(result)
    event_headers, event_rows = schedule_event_table(result)
    total = "Budget " + schedule_money(result)
    title = schedule_title(result)
    kept = _kept_lines(result)
    if fmt == "markdown":
        return (f"## {title}\n\n" + markdown_table(month_headers, month_rows) + "\n### Events\n\n"
                + markdown_table(event_headers, event_rows) + "".join(f"\n{k}\n" for k in kept)
                + f"\n{total}\n")  # fmt: skip
    return (title + "\n\n" + text_table(month_headers, month_rows) + "\nEvents\n"
            + text_table(event_headers, event_rows) + "".join(f"\n{k}\n" for k in kept)
            + f"\n{total}\n")  # fmt: skip


def schedule_money(result: Schedule) -> str:
    """A schedule's budget in a line: its months, charge and refund (and mail and plan fee)."""
    total, cur = result.totals, result.budget.currency
    return (f"{result.budget.start} to {result.budget.end}: {total['charge']:,.2f} {cur} "
            f"charged, {total['refund']:,.2f} {cur} refunded"
            + (f"; outbound mail {total['mail']:,.2f} {cur}, plan fee "
               f"{total['plan_fee']:,.2f} {cur}" if "mail" in total else ""))  # fmt: skip


def schedule_title(result: Schedule) -> str:
    """What a schedule plans for, from when, and under which settings: every schedule
    report and picture is titled with it."""
    from planner.files.forecasts import quantile_column

    planned = "peak_rate" if result.quantile is None else quantile_column(result.quantile)
    settings = ", ".join(f"{a.setting.replace('_', ' ')} {a.value}" for a in result.assumptions
                         if a.setting in ("utilization", "az_failures", "lead_days", "keep_days"))  # fmt: skip
    today = f", from today {result.today}" if result.today else ""
    return f"Schedule for the forecast's {planned}{today} ({settings})"


def _kept_lines(result: Schedule) -> list[str]:
    """For each dip held through, what keeping its IPs costs against giving them up."""
    if not result.kept:
        return []
    keep = next(a.value for a in result.assumptions if a.setting == "keep_days")
    lines = [f"Kept through dips of at most {keep} days (--keep-days), rather than relinquished "
             "(irreversible) and leased again (a second case and a new warm-up):"]  # fmt: skip
    cur = result.budget.currency
    for g in result.kept:
        lines.append(f"  {g.region} pool {g.pool!r}: {g.count} IP{'s' if g.count != 1 else ''} "
                     f"held from {g.instead_of_relinquish} to {g.instead_of_lease} "
                     f"({(g.instead_of_lease - g.instead_of_relinquish).days} days) cost "
                     f"{g.cost:,} {cur} more")  # fmt: skip
    return ["\n".join(lines)]


def schedule_month_table(result: Schedule) -> tuple[list[str], list[list[Cell]]]:
    """A row per month, Region and pool: the peak, the IPs it needs, those held, capacity."""
    headers = ["month", "region", "pool", "peak rate [msg/s]", "IPs needed", "IPs held",
               "warm capacity [msg/s]", "short [msg/s]"]  # fmt: skip
    rows: list[list[Cell]] = [
        [r["month"], r["region"], r["pool"], float(r["peak_rate"]), int(r["ips_needed"]),
         int(r["ips_held"]), float(r["capacity"]), float(r["shortfall"]) or None]
        for r in result.months.to_dict("records")
    ]  # fmt: skip
    return headers, rows


def schedule_event_table(result: Schedule) -> tuple[list[str], list[list[Cell]]]:
    """The schedule's events: when each lease is warm and when to ask for it."""
    headers = ["date", "region", "pool", "action", "count", "for month", "warm from",
               "request by"]  # fmt: skip
    rows: list[list[Cell]] = [
        [e.date.isoformat(), e.region, e.pool, e.action, e.count, e.for_month,
         e.ready_date.isoformat() if e.ready_date else "",
         e.request_by.isoformat() if e.request_by else ""]
        for e in result.events
    ]  # fmt: skip
    return headers, rows


def render_fleet(result: Fleet, fmt: str) -> str:
    """``ipcost fleet``: the account's dedicated IPs by pool, what is warming, the fees."""
    if fmt == "json":
        return json_text(result.to_dict())
    cur = result.currency
    headers = ["pool", "scaling", "IPs", "warming", "warmed so far", f"monthly fee [{cur}]",
               "notes"]  # fmt: skip
    cites = Notes()
    rows: list[list[Cell]] = [
        [p.pool, p.scaling, p.ips, len(p.warming), ", ".join(f"{w} %" for w in p.warming),
         p.monthly_fee,
         cites.cite("managed: priced by volume, not per IP (ipcost compare prices it)")
         if p.monthly_fee is None else ""]
        for p in result.pools
    ]  # fmt: skip
    if fmt == "csv":
        return format_rows(*fleet_table(result), "csv")
    total: list[Cell] = ["total", "", result.ips, sum(len(p.warming) for p in result.pools), "",
                         result.monthly_fee, ""]  # fmt: skip
    notes = [f"{p.pool}: scaling {p.scaling} ({p.scaling_from})" for p in result.pools]
    notes += [f"[{n}] {t}" for t, n in cites.texts.items()]
    if result.max_send_rate is not None:
        notes.append(f"account maximum send rate: {result.max_send_rate:,.2f} msg/s")
    title = f"Dedicated IPs in {result.region}, fees in force on {result.price_date} ({cur})"
    if fmt == "markdown":
        return (f"## {title}\n\n" + markdown_table(headers, [*rows, total]) + "\n"
                + "".join(f"- {n}\n" for n in notes))  # fmt: skip
    return (title + "\n\n" + text_table(headers, [*rows, total]) + "\n"
            + "".join(f"  {n}\n" for n in notes))  # fmt: skip


def fleet_table(result: Fleet) -> tuple[list[str], list[list[Cell]]]:
    """A row per pool: its scaling, IPs, those warming and their percentages, the fee."""
    headers = ["pool", "scaling", "ips", "warming", "warming_percentages", "monthly_fee",
               "currency"]  # fmt: skip
    rows: list[list[Cell]] = [
        [p.pool, p.scaling, p.ips, len(p.warming), " ".join(f"{w}" for w in p.warming),
         p.monthly_fee, result.currency]
        for p in result.pools
    ]  # fmt: skip
    return headers, rows


def render_request(cases: SupportCases, fmt: str) -> str:
    """``ipcost request``: each case box by box, in the form's order: ``text`` (a box's
    name, then its value alone on the next line, ready to paste), ``markdown`` or
    ``json`` (a list of cases)."""
    if fmt == "json":
        return json_text(cases.to_list())
    total = len(cases.cases)
    render = _case_markdown if fmt == "markdown" else _case_text
    return "\n".join(render(c, i, total) for i, c in enumerate(cases.cases, start=1))


def _case_title(case: SupportCase, number: int, total: int) -> str:
    what = "request dedicated IPs" if case.kind == "request" else "relinquish dedicated IPs"
    when = "" if case.file_by is None else f", to open by {case.file_by}"
    return f"Case {number} of {total}: {what}{when}"


def _case_boxes(case: SupportCase) -> Iterator[tuple[str, str | None, str | None]]:
    """The case as (section, box, value): a section starts where box is None; a value of
    None is a line of guidance, not a box."""
    yield "Case classification", None, None
    yield "", "Case type", case.case_type
    yield "", "Limit type", case.limit_type
    if case.kind == "relinquish":
        yield (
            "",
            (
                "Mail Type, Website URL, the two optional questions and the AUP question: "
                "leave them blank; a relinquish asks only the Limit type"
            ),
            None,
        )
    else:
        for _, label, value in case.classification():
            yield "", label, value
    yield "Requests", None, None
    for i, r in enumerate(case.requests, start=1):
        if i > 1:
            yield "", "Add another request, then:", None
        yield "", f"Request {i}", None
        yield "", "Region", f"{r.region_name}, {r.region}" if r.region_name else r.region
        yield "", "Limit", r.limit
        yield "", "New limit value", str(r.new_limit_value)
    yield "Case description", None, None
    yield "", "Use case description", case.use_case_description
    yield "Contact options", None, None
    yield "", "Preferred contact language", case.contact_language


def _case_text(case: SupportCase, number: int, total: int) -> str:
    """Plain text: a box's name and colon, its value alone on the next line(s)."""
    import textwrap

    width = text_width()
    wrap = functools.partial(textwrap.fill, width=width, break_long_words=False,
                             break_on_hyphens=False)  # fmt: skip
    title = _case_title(case, number, total)
    lines = [title, "=" * min(len(title), width),
             wrap("In the AWS Support Center: Create case, then Service quota increase. Each "
                  "box's name is followed by what to put in it, alone on its line(s).")]  # fmt: skip
    for section, box, value in _case_boxes(case):
        if box is None:
            lines += [*([""] if lines[-1] else []), section.upper(), ""]
        elif value is None:
            lines += [wrap(box), ""]
        else:
            paragraphs = value.split("\n\n")
            lines += [wrap(box + ":"), "\n\n".join(wrap(p) for p in paragraphs), ""]
    if case.notes_for_you:
        lines += ["FOR YOU, NOT FOR THE FORM (nothing below goes in the case)", ""]
        lines += [wrap(n, initial_indent="- ", subsequent_indent="  ")
                  for n in case.notes_for_you]  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def _case_markdown(case: SupportCase, number: int, total: int) -> str:
    """Markdown: a heading per section, a bullet per box (a long value its own paragraph)."""
    lines = [f"## {_case_title(case, number, total)}"]

    def block(*added: str) -> None:  # a paragraph or heading: a blank line before it
        lines.extend(["", *added])

    for section, box, value in _case_boxes(case):
        if box is None:
            block(f"### {section}", "")
        elif value is None:
            block(f"*{box}*", "")
        elif "\n" in value:
            block(f"**{box}:**", "", value, "")
        else:
            lines.append(f"- **{box}:** {value}")
    if case.notes_for_you:
        block("### For you, not for the form", "", *(f"- {n}" for n in case.notes_for_you))
    return "\n".join(line for i, line in enumerate(lines)
                     if line or (i and lines[i - 1])) + "\n"  # fmt: skip


def forecast_table(result: Forecast) -> tuple[list[str], list[list[Cell]]]:
    """The forecast file ``ipcost schedule`` reads: month, Region, pool, peak rate and a
    column per quantile [msg/s]."""
    frame = result.to_frame()
    return list(frame.columns), frame.values.tolist()


def forecast_history_table(result: Forecast) -> tuple[list[str], list[list[Cell]]]:
    """The monthly peaks read from the history, with the period read and the share seen."""
    from planner.ops.forecasting import RATE_DIGITS

    h = result.history
    headers = ["month", "peak rate [msg/s]", "period [s]", "buckets present", "fitted"]
    rows: list[list[Cell]] = [
        [str(m), round(float(r), RATE_DIGITS), int(p), float(s), "partial" if x else "yes"]
        for m, r, p, s, x in zip(h.month, h.peak_rate, h.period, h.share, h.partial, strict=True)
    ]
    return headers, rows


def burst_source(b: Burst) -> str:
    """Where a burst ratio came from, in words: given, measured, or both."""
    measured = ", ".join(b.months)
    if b.given is None:
        return f"measured on {measured}"
    if not b.months:
        return "given"
    return f"the given {b.given:g} times {b.ratio / b.given:.3f} measured on {measured}"


def render_forecast(result: Forecast, fmt: str) -> str:
    """``ipcost forecast``: the monthly peaks read from the history, the model, and the
    quantiles ahead; CSV is the forecast file ``ipcost schedule`` reads."""
    from planner.files.forecasts import quantile_column

    if fmt == "json":
        return json_text(result.to_dict())
    if fmt == "csv":
        return format_rows(*forecast_table(result), "csv")
    h = result.history
    history_headers, read = forecast_history_table(result)
    history_rows: list[list[Cell]] = [[*r[:3], f"{r[3]:.0%}", r[4]] for r in read]
    names = [quantile_column(q) for q in result.quantiles]
    ahead_rows: list[list[Cell]] = [
        [str(m), *(float(v) for v in row)]
        for m, row in zip(result.months, result.values, strict=True)
    ]
    notes = [f"method: {result.model}" + ("" if result.aic is None else
                                         f" (AIC {result.aic:,.1f})")]  # fmt: skip
    bt = result.backtest
    if bt is not None:
        notes.append(f"why: {bt.why()}")
        if bt.ratio_to_naive is not None:
            notes.append(f"its error over the seasonal naive's, each month ahead counted "
                         f"alike: {bt.ratio_to_naive:.2f}")  # fmt: skip
        notes.append(f"backtest: {bt.judged()}")
    notes.append(f"bands: {result.bands}")
    notes += [f"burst: {b.ratio:.3f} x the {b.period} s peak gives the {b.finest} s peak, "
              + burst_source(b)
              + (f"; day to day it strays by {b.spread:.0%}, carried into the bands"
                 if b.spread else "")
              for b in h.bursts]  # fmt: skip
    title = f"Forecast of monthly peak rates, {result.region} pool {result.pool} [msg/s]"
    ahead_headers = ["month", *(f"{n} [msg/s]" for n in names)]
    if fmt == "markdown":
        return (f"## {title}\n\n### History\n\n" + markdown_table(history_headers, history_rows)
                + "\n### Ahead\n\n" + markdown_table(ahead_headers, ahead_rows) + "\n"
                + "".join(f"- {n}\n" for n in notes))  # fmt: skip
    return (title + "\n\nHistory\n" + text_table(history_headers, history_rows) + "\nAhead\n"
            + text_table(ahead_headers, ahead_rows) + "\n"
            + "".join(f"  {n}\n" for n in notes))  # fmt: skip


def backtest_table(result: Forecast) -> tuple[list[str], list[list[Cell]]]:
    """A row per month ahead: the chosen method's mean absolute log error from past
    origins and the seasonal naive's on the same origins and months, in percent (about the
    relative error), their ratio, and the backtest's facts (the method, its origins, the
    share of past outcomes inside p10-p90 and how many)."""
    bt = result.backtest
    headers = ["months_ahead", "error_pct", "seasonal_naive_error_pct", "ratio", "region",
               "pool", "method", "origins", "coverage_p10_p90", "outcomes"]  # fmt: skip
    if bt is None:
        return headers, []
    naive = list(bt.naive_by_horizon)
    facts: list[Cell] = [result.region, result.pool, result.method, bt.origins, bt.coverage,
                         bt.outcomes]  # fmt: skip
    rows: list[list[Cell]] = []
    for k, error in enumerate(bt.error_by_horizon):
        base = naive[k] if k < len(naive) else None
        rows.append([k + 1, 100 * error, None if base is None else 100 * base,
                     None if not base else error / base, *facts])  # fmt: skip
    return headers, rows


def render_backtest(result: Forecast, fmt: str) -> str:
    """``ipcost forecast --backtest``: the method chosen and why, its error month by month
    ahead against the seasonal naive's, and the share of outcomes inside p10-p90."""
    bt = result.backtest
    if fmt == "json":
        whole = result.to_dict()
        return json_text({key: whole[key] for key in ("region", "pool", "model", "backtest")}
                         | {"history_months": int((~result.history.partial).sum())})  # fmt: skip
    headers, rows = backtest_table(result)
    if fmt == "csv":
        return format_rows(headers, rows, "csv")
    shown = ["months ahead", "error [%]", "seasonal naive's error [%]", "ratio"]
    rows = [row[:4] for row in rows]
    notes = [f"method: {result.model}"]
    if bt is not None:
        notes.append(f"why: {bt.why()}")
        if bt.ratio_to_naive is not None:
            notes.append(f"over all months ahead, each counted alike, its error is "
                         f"{bt.ratio_to_naive:.2f} x the seasonal naive's (below 1: better than "
                         "the same month last year)")  # fmt: skip
        notes.append(f"backtest: {bt.judged()}")
    notes.append(f"bands: {result.bands}")
    notes.append("error: the mean absolute log error in percent, about the relative error")
    title = (f"Backtest of the forecast, {result.region} pool {result.pool}: "
             f"{plural(bt.origins if bt else 0, 'past origin')}")  # fmt: skip
    if fmt == "markdown":
        return (f"## {title}\n\n" + markdown_table(shown, rows) + "\n"
                + "".join(f"- {n}\n" for n in notes))  # fmt: skip
    return title + "\n\n" + text_table(shown, rows) + "\n" + "".join(f"  {n}\n" for n in notes)


def quantile_table(result: QuantilePlans) -> tuple[list[str], list[list[Cell]]]:
    """A row per quantile's plan: IPs leased and relinquished, its charge and refund."""
    from planner.files.forecasts import quantile_column

    headers = ["plan", "IPs leased", "IPs relinquished", "charge", "refund", "currency"]
    rows: list[list[Cell]] = []
    for q, plan in zip(result.quantiles, result.plans, strict=True):
        total = plan.totals
        rows.append([quantile_column(q),
                     sum(e.count for e in plan.events if e.action == "lease"),
                     sum(e.count for e in plan.events if e.action == "relinquish"),
                     total["charge"], total["refund"], plan.budget.currency])  # fmt: skip
    return headers, rows


def _month_runs(months: Sequence[str]) -> str:
    """``["2027-01 us-east-1/default", "2027-02 us-east-1/default", "2027-04 ..."]`` as
    ``"us-east-1/default 2027-01 to 2027-02, 2027-04"``: each pool once, consecutive
    months as a run.

    >>> _month_runs(["2027-01 a/x", "2027-02 a/x", "2027-04 a/x", "2027-02 b/y"])
    'a/x 2027-01 to 2027-02, 2027-04; b/y 2027-02'
    """
    import numpy as np

    by_pool: dict[str, list[np.datetime64]] = {}
    for entry in months:
        month, pool = entry.split(" ", 1)
        by_pool.setdefault(pool, []).append(np.datetime64(month, "M"))
    out = []
    for pool, found in by_pool.items():
        found.sort()
        runs: list[list[np.datetime64]] = []
        for m in found:
            if runs and m - runs[-1][-1] == np.timedelta64(1, "M"):
                runs[-1].append(m)
            else:
                runs.append([m])
        out.append(pool + " " + ", ".join(f"{r[0]} to {r[-1]}" if len(r) > 1 else str(r[0])
                                          for r in runs))  # fmt: skip
    return "; ".join(out)


def render_quantile_plans(result: QuantilePlans, fmt: str) -> str:
    """``ipcost schedule --quantile A --quantile B``: the plans side by side, and the
    months each falls short of the other quantiles' peaks."""
    from planner.files.forecasts import quantile_column

    if fmt == "json":
        return json_text(result.to_dict())
    headers, rows = quantile_table(result)
    if fmt == "csv":
        return format_rows(headers, rows, "csv")
    notes = [f"{quantile_column(a)} plan: warm capacity on the month's first day is below the "
             f"{quantile_column(b)} peak in {_month_runs(m)}" if m else
             f"{quantile_column(a)} plan: warm capacity covers the {quantile_column(b)} peak in "
             "every month" for a, b, m in result.short]  # fmt: skip
    first = result.plans[0]
    notes.append(f"every plan priced over the same months, {first.plan.start} to "
                 f"{first.arrays.months[-1]}; run alone, a plan's budget starts at its first "
                 "event's month (never before today's)")  # fmt: skip
    title = "Plans for the forecast's quantiles, side by side"
    if fmt == "markdown":
        return (f"## {title}\n\n" + markdown_table(headers, rows) + "\n"
                + "".join(f"- {n}\n" for n in notes))  # fmt: skip
    return title + "\n\n" + text_table(headers, rows) + "\n" + "".join(f"  {n}\n" for n in notes)

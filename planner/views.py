"""The reports of the ``ipcost`` commands, in every output format.

Each ``render_*`` function takes a library result and a format from
:data:`planner.report.FORMATS` and returns the text. JSON follows the contract in
DESIGN.md; tables show every assumption the numbers rest on.
"""

from __future__ import annotations

from planner.estimate import Estimate
from planner.money import format_cents
from planner.reference import PriceBook, RegionCatalog
from planner.report import Cell, json_text, markdown_table, money_cell, render_rows, text_table

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
            money_cell(r.monthly_fee),
            money_cell(r.annual_fee),
        ]
        for r in est.regions
    ]
    return headers, rows


def _assumption_lines(est: Estimate) -> tuple[list[tuple[str, str]], list[str]]:
    """(setting, value) lines, and the sources behind the defaults and data used."""
    a = est.assumptions
    notes: list[str] = []

    def tag(setting: str) -> str:
        how = a.sources.get(setting, "given")
        if how == "given":
            return "  (given)"
        notes.append(f"{setting}: {how.removeprefix('default (').removesuffix(')')}")
        return "  (default)"

    lines = [("sized from", _BASIS[a.basis])]
    if a.peak_factor is not None:
        lines.append(("peak factor", f"{a.peak_factor:g}{tag('peak_factor')}"))
    if a.profile is not None:
        per_ip = f"{a.per_ip_rate:,.2f} msg/s, profile {a.profile}{tag('profile')}"
        notes.append(f"per-IP rate: {a.per_ip_rate_from}")
    else:
        per_ip = f"{a.per_ip_rate:,.2f} msg/s  (given)"
    lines.append(("per-IP rate", per_ip))
    lines.append(("utilization", f"{a.utilization:g}{tag('utilization')}"))
    lines.append(("min per Region", f"{a.min_per_region} IPs{tag('min_per_region')}"))
    lines.append(("AZ failures", f"{a.az_failures} survived{tag('az_failures')}"))
    lines.append(("AZs", ", ".join(f"{r.region} {r.availability_zones}" for r in est.regions)))
    if a.fee_per_ip is not None:
        fee = f"{format_cents(a.fee_per_ip)} {est.currency} per IP-month"
    else:
        fee = ", ".join(f"{r.region} {format_cents(r.fee_per_ip)}" for r in est.regions)
        fee += f" {est.currency} per IP-month"
    lines.append(("price", f"{fee} ({a.sku}, in force on {est.price_date})"))
    notes.append(f"price: {a.price_source}")
    lines.append(("annual fee", "12 x the monthly fee at that price"))
    lines.append(("capacity", "IPs x per-IP rate x utilization; 1 AZ down loses the fullest AZ"))
    return lines, notes


def render_estimate(est: Estimate, fmt: str) -> str:
    """``ipcost estimate`` in one of the output formats."""
    if fmt == "json":
        return json_text(est.to_dict())
    headers, rows = _estimate_rows(est)
    if fmt == "csv":
        headers = [*headers, "spread", "currency"]
        rows = [
            [*row, " ".join(f"{az}:{n}" for az, n in r.spread.items()), est.currency]
            for row, r in zip(rows, est.regions, strict=True)
        ]
        return render_rows(headers, rows, "csv")
    total: list[Cell] = [
        "total",
        None,
        None,
        None,
        est.ips,
        None,
        None,
        money_cell(est.monthly_fee),
        money_cell(est.annual_fee),
    ]
    spread_headers = ["region", "IPs per Availability Zone (AZ ID: IPs)"]
    spread_rows: list[list[Cell]] = [
        [r.region, "  ".join(f"{az}: {n}" for az, n in r.spread.items())] for r in est.regions
    ]
    title = f"Standard dedicated IPs, priced on {est.price_date} ({est.currency})"
    assumptions, notes = _assumption_lines(est)
    if fmt == "markdown":
        parts = [
            f"## {title}\n",
            markdown_table(headers, [*rows, total]),
            "\n### Spread\n",
            markdown_table(spread_headers, spread_rows),
            "\n### Assumptions\n",
            markdown_table(["setting", "value"], [[k, v] for k, v in assumptions]),
            "\n### Sources\n\n",
            "".join(f"- {n}\n" for n in notes),
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
        "\nSources\n",
        "".join(f"  {n}\n" for n in notes),
    ]
    return "".join(parts)


def _with_sources(table: str, sources: list[str]) -> str:
    unique = list(dict.fromkeys(s for s in sources if s))
    return table + "\nSources\n" + "".join(f"  {s}\n" for s in unique)


def render_regions(catalog: RegionCatalog, fmt: str) -> str:
    """``ipcost regions``: every column in CSV, JSON and Markdown; sources below a table."""
    full = [
        "region",
        "name",
        "partition",
        "az_count",
        "usable_azs",
        "az_ids",
        "notes",
        "source",
        "as_of",
    ]
    rows: list[list[Cell]] = [
        [r.region, r.name, r.partition, r.az_count, r.usable_azs, " ".join(r.az_ids), r.notes,
         r.source, r.as_of]
        for r in catalog
    ]  # fmt: skip
    if fmt != "table":
        return render_rows(full, rows, fmt)
    short = [row[:6] for row in rows]
    notes = [f"{r.region}: {r.notes}" for r in catalog if r.notes]
    table = text_table(full[:6], short)
    return _with_sources(
        table + "\nNotes\n" + "".join(f"  {n}\n" for n in notes), [r.source for r in catalog]
    )


def render_prices(book: PriceBook, fmt: str) -> str:
    """``ipcost prices``: the price book, prices as exact decimals."""
    full = ["sku", "region", "unit", "price", "currency", "effective_from", "effective_to",
            "tier_from", "tier_to", "source"]  # fmt: skip
    rows: list[list[Cell]] = [
        [p.sku, p.region, p.unit, money_cell(p.price_cents), p.currency,
         p.effective_from.isoformat(), p.effective_to.isoformat() if p.effective_to else "",
         p.tier_from, p.tier_to, p.source]
        for p in book
    ]  # fmt: skip
    if fmt != "table":
        return render_rows(full, rows, fmt)
    return _with_sources(text_table(full[:9], [r[:9] for r in rows]), [p.source for p in book])

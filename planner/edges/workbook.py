"""Budgets as Excel workbooks (``ipcost budget PLAN -o budget.xlsx``).

Written with xlsxwriter: it writes row by row in constant memory (each row goes to a
temporary file as the next begins, so a large budget does not grow in memory), types every cell explicitly (``write_string`` never turns a text
into a formula, so a pool named ``=SUM(A1)`` is the text it is) and stores a formula
with its cached value, so a file opened without recalculation still shows ipcost's own
totals. openpyxl reads back what it writes in the tests.

Sheets:

- ``budget``: the budget's rows, cells typed: months as real dates shown ``yyyy-mm``,
  counts as integers, money as numbers in a two-decimal format with the currency in the
  header, text as text; a frozen header row and fitted widths. A budget longer than a
  sheet (1,048,575 rows under the header) continues on ``budget 2``, ``budget 3``, ...
- ``totals``: per Region and in all, IP-days and each money column as ``SUMIF``/``SUM``
  formulas over the budget sheets (the Region criterion is the text cell beside it, not
  text inside the formula), cached at ipcost's exact totals.
- ``events``: the plan's leases and relinquishes; ``billing``: the billing conventions
  with their origin and source.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from planner.files.plans import Event

#: Rows of data a sheet holds under its header (Excel's 1,048,576 less one).
SHEET_ROWS = 1_048_575
MONEY = ("charge", "refund", "mail", "plan_fee")
COUNTS = ("ips_start", "leased", "relinquished", "ips_end", "ip_days")


def _column_letter(i: int) -> str:
    from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

    return str(xl_col_to_name(i))


def budget_workbook(
    frame: pd.DataFrame, events: Sequence[Event] = (), *, sheet_rows: int = SHEET_ROWS
) -> bytes:
    """:func:`planner.budget`'s frame (and the plan's events) as an .xlsx file's bytes."""
    import xlsxwriter  # type: ignore[import-untyped]

    from planner.model.money import cents_of

    columns = [c for c in frame.columns if c != "currency"]
    cur = str(frame["currency"].iloc[0]) if len(frame) else "USD"
    folder = tempfile.mkdtemp(prefix="ipcost-xlsx-")
    target = Path(folder) / "budget.xlsx"
    # constant_memory: each row goes to disk as the next begins, so memory stays flat.
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "tmpdir": folder,
                                             "strings_to_formulas": False,
                                             "strings_to_numbers": False,
                                             "strings_to_urls": False})  # fmt: skip
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    month = book.add_format({"num_format": "yyyy-mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    headers = [f"{c} [{cur}]" if c in MONEY else c for c in columns]
    values: dict[str, Any] = {}
    for c in columns:
        if c in MONEY:
            values[c] = cents_of(frame[c]) / 100
        elif c == "month":
            values[c] = [dt.datetime(p.year, p.month, 1) for p in frame[c]]
        elif c in COUNTS:
            values[c] = frame[c].to_numpy(dtype=np.int64).tolist()
        else:
            values[c] = [str(v) for v in frame[c]]
    formats = {c: money if c in MONEY else month if c == "month" else None for c in columns}
    n = len(frame)
    sheets = []
    for part, start in enumerate(range(0, max(n, 1), sheet_rows), start=1):
        sheet = book.add_worksheet("budget" if part == 1 else f"budget {part}")
        sheets.append((sheet.name, min(n, start + sheet_rows) - start))
        _header(sheet, headers, bold, [max(len(h) + 2, 12) for h in headers])
        for r in range(start, min(n, start + sheet_rows)):
            for k, c in enumerate(columns):
                v = values[c][r]
                if c == "month":
                    sheet.write_datetime(r - start + 1, k, v, month)
                elif isinstance(v, str):
                    sheet.write_string(r - start + 1, k, v)
                else:
                    sheet.write_number(r - start + 1, k, v, formats[c])
    _totals(book, frame, columns, headers, sheets, bold, money)
    _events(book, events, bold, day)
    _billing(book, frame.attrs.get("billing") or {}, bold)
    try:
        book.close()
        return target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _header(sheet: Any, headers: Sequence[str], bold: Any, widths: Sequence[int]) -> None:
    for k, (h, w) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(k, k, w)
        sheet.write_string(0, k, h, bold)
    sheet.freeze_panes(1, 0)


def _totals(
    book: Any, frame: pd.DataFrame, columns: list[str], headers: list[str],
    sheets: list[tuple[str, int]], bold: Any, money: Any,
) -> None:  # fmt: skip
    """SUMIF per Region and SUM in all over every budget sheet, cached at ipcost's totals."""
    summed = [c for c in columns if c == "ip_days" or c in MONEY]
    sheet = book.add_worksheet("totals")
    _header(sheet, ["region", *(headers[columns.index(c)] for c in summed)], bold,
            [14, *(max(len(headers[columns.index(c)]) + 2, 14) for c in summed)])  # fmt: skip
    region_col = _column_letter(columns.index("region"))
    regions = list(dict.fromkeys(str(r) for r in frame["region"]))
    for i, region in enumerate([*regions, None], start=1):
        sheet.write_string(
            i, 0, region if region is not None else "total", bold if region is None else None
        )
        mine = frame if region is None else frame[frame["region"] == region]
        for k, c in enumerate(summed, start=1):
            col = _column_letter(columns.index(c))
            parts = []
            for name, rows in sheets:
                if rows == 0:
                    continue
                cells = f"'{name}'!${col}$2:${col}${rows + 1}"
                if region is None:
                    parts.append(f"SUM({cells})")
                else:
                    crit = f"'{name}'!${region_col}$2:${region_col}${rows + 1}"
                    parts.append(f"SUMIF({crit},$A{i + 1},{cells})")
            exact = sum(mine[c], Decimal(0)) if c in MONEY else int(mine[c].sum())
            sheet.write_formula(i, k, "=" + ("+".join(parts) or "0"),
                                money if c in MONEY else None, float(exact))  # fmt: skip


def _events(book: Any, events: Sequence[Event], bold: Any, day: Any) -> None:
    sheet = book.add_worksheet("events")
    headers = ["date", "region", "pool", "action", "count", "note"]
    _header(sheet, headers, bold, [12, 14, 18, 12, 8, 30])
    for r, e in enumerate(events, start=1):
        sheet.write_datetime(r, 0, dt.datetime(e.date.year, e.date.month, e.date.day), day)
        sheet.write_string(r, 1, e.region)
        sheet.write_string(r, 2, e.pool or "")
        sheet.write_string(r, 3, e.action)
        sheet.write_number(r, 4, e.count)
        sheet.write_string(r, 5, e.note)


def _billing(book: Any, billing: dict[str, dict[str, Any]], bold: Any) -> None:
    sheet = book.add_worksheet("billing")
    _header(sheet, ["setting", "value", "origin", "source"], bold, [18, 14, 14, 80])
    for r, (name, info) in enumerate(billing.items(), start=1):
        sheet.write_string(r, 0, name)
        sheet.write_string(r, 1, str(info.get("value", "")))
        sheet.write_string(r, 2, str(info.get("origin", "")))
        sheet.write_string(r, 3, str(info.get("source", "")))

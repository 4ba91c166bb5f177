"""Results as Excel workbooks: ``-o FILE.xlsx`` on every command that writes a table, and
:func:`planner.write_xlsx` in the library.

Written with xlsxwriter: it writes row by row in constant memory (each row goes to a
temporary file as the next begins, so a large budget does not grow in memory), types every
cell explicitly (``write_string`` never turns a text into a formula, so a pool named
``=SUM(A1)`` is the text it is) and stores a formula with its cached value, so a file
opened without recalculation still shows ipcost's own totals. openpyxl reads back what it
writes in the tests.

A workbook is a main :class:`Sheet` and others, each a table with a kind per column:

- the main table on the first sheet, cells typed: months as real dates shown ``yyyy-mm``,
  dates ``yyyy-mm-dd``, counts as integers, money as numbers in a two-decimal format with
  the currency in the header (the ``currency`` column folded into it when it holds one
  currency), text as text; a frozen header row and widths that fit. A table longer than a
  sheet (1,048,575 rows under the header) continues on ``budget 2``, ``budget 3``, ...
- ``totals``, where summing the main table means something (budgets and schedules per
  Region, estimates, fleets, comparisons, relinquishes): ``SUM`` formulas over every part
  of the main table, and per group ``SUMPRODUCT(EXACT(...)*...)`` against the group's text
  cell beside it (never text inside the formula, and never a ``SUMIF`` criterion, which
  would read ``*``, ``?``, ``~`` and a leading ``<``, ``>`` or ``=`` in a name as patterns),
  cached at ipcost's exact totals;
- the events (budgets and schedules) and the rest of the result on sheets of their own;
- ``assumptions``: each setting the numbers rest on, its value, where it came from and
  its source; ``warnings``, when the result has any: what the command prints on stderr.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.edges.formats import header_words

if TYPE_CHECKING:
    from planner.edges.formats import Cell
    from planner.scenario.budgets import Budget
    from planner.scenario.settings import Assumption

#: A value written as a plain decimal number ("0.8", "45"), typed as a number in a sheet;
#: a ratio such as "625/18" stays text, exactly as ipcost reads it back.
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
#: Rows of data a sheet holds under its header (Excel's 1,048,576 less one).
SHEET_ROWS = 1_048_575
#: Rows turned into Python values at a time while writing.
CHUNK = 65_536
#: Column kinds: ``cents`` holds integer cents and ``money`` Decimals, both shown as money;
#: ``month`` and ``date`` hold dates (or a text that is not one, kept as text).
KINDS = ("text", "int", "number", "bool", "money", "cents", "month", "date", "typed")
#: Columns holding months (``YYYY-MM``) and dates (``YYYY-MM-DD``) in ipcost's tables.
MONTH_COLUMNS = frozenset({"month", "for_month", "for month"})
DATE_COLUMNS = frozenset({"date", "effective_from", "effective_to", "as_of", "ready_date",
                          "request_by", "warm from", "price_date"})  # fmt: skip
_MONEY_FORMAT = "#,##0.00"
Column = Sequence[Any] | np.ndarray[Any, Any]
_MONTH = re.compile(r"\d{4}-\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook, column by column."""

    name: str
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    """Each column's kind, from :data:`KINDS`."""
    columns: tuple[Column, ...]
    """Each column's values (``None`` a blank cell), a list or a numpy array (months and
    dates then ``datetime64[D]``): see :data:`KINDS`."""
    sums: tuple[int, ...] = ()
    """The columns the ``totals`` sheet sums (integers and money only)."""
    by: int | None = None
    """The column the totals are also given per value of (a Region), in order of appearance."""
    exact: Mapping[int, Mapping[Any, Any]] | None = None
    """The sums the totals sheet caches, by column, in the units it shows (money as
    amounts): key ``None`` the whole column's, and one per value of ``by`` in order of
    appearance; computed from the cells when not given."""
    whole: tuple[int, ...] = ()
    """Summed money columns whose totals add up to a whole bill (a volume budget's charge,
    mail and plan fee): the totals sheet gives it beside them, as a live formula."""

    @property
    def rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def rows_sheet(
    name: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
    *, sums: Sequence[str] = (), by: str | None = None,
) -> Sheet:  # fmt: skip
    """A table of typed cells (as the CSV writers take them) as a :class:`Sheet`.

    Kinds follow the cells: ``Decimal`` is money, ``int`` a count, ``float`` a number,
    ``str`` text; a column named in :data:`MONTH_COLUMNS` or :data:`DATE_COLUMNS` holds
    months or dates. A ``currency`` column holding one currency is folded into the money
    columns' headers. ``sums`` and ``by`` name columns by their headers here.
    """
    names = list(headers)
    columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in names]
    currency = None
    if "currency" in names:
        found = {str(c) for c in columns[names.index("currency")] if c}
        if len(found) <= 1:
            currency = found.pop() if found else None
            del columns[names.index("currency")]
            names.remove("currency")
    kinds = [_kind(h, c) for h, c in zip(names, columns, strict=True)]
    shown = [f"{h} [{currency}]" if k == "money" and currency else h
             for h, k in zip(names, kinds, strict=True)]  # fmt: skip
    return Sheet(
        name, tuple(shown), tuple(kinds),
        tuple(_typed(k, c) for k, c in zip(kinds, columns, strict=True)),
        sums=tuple(names.index(s) for s in sums), by=None if by is None else names.index(by),
    )  # fmt: skip


def _kind(header: str, cells: Sequence[Any]) -> str:
    if header in MONTH_COLUMNS:
        return "month"
    if header in DATE_COLUMNS:
        return "date"
    types = {type(v) for v in cells if v is not None}
    for kind, allowed in (("text", {str}), ("money", {Decimal}), ("bool", {bool}),
                          ("int", {int}), ("number", {int, float})):  # fmt: skip
        if types <= allowed:
            return kind
    raise TypeError(f"column {header!r} mixes {sorted(t.__name__ for t in types)}")


def _typed(kind: str, cells: Sequence[Any]) -> list[Any]:
    if kind == "month":
        return [_as_date(v, _MONTH, "-01") for v in cells]
    if kind == "date":
        return [_as_date(v, _DAY, "") for v in cells]
    return list(cells)


def _as_date(value: Any, pattern: re.Pattern[str], tail: str) -> Any:
    """A month or date cell as a date; a blank as ``None``; any other text as itself."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    return dt.date.fromisoformat(text + tail) if pattern.fullmatch(text) else text


def write_workbook(
    main: Sheet, others: Sequence[Sheet] = (),
    assumptions: Sequence[tuple[str, Any, str, str]] = (), *, sheet_rows: int = SHEET_ROWS,
) -> bytes:  # fmt: skip
    """The workbook's bytes: ``main`` (over as many sheets as it needs), its ``totals``
    when it sums anything, the ``others``, then the ``assumptions`` (setting, value,
    origin, source)."""
    import xlsxwriter  # type: ignore[import-untyped]

    folder = tempfile.mkdtemp(prefix="ipcost-xlsx-")
    target = Path(folder) / "book.xlsx"
    # constant_memory: each row goes to disk as the next begins, so memory stays flat.
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "tmpdir": folder,
                                             "strings_to_formulas": False,
                                             "strings_to_numbers": False,
                                             "strings_to_urls": False})  # fmt: skip
    try:
        formats = {"bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
                   "money": book.add_format({"num_format": _MONEY_FORMAT}),
                   "int": book.add_format({"num_format": "#,##0"}),
                   "number": book.add_format({"num_format": "#,##0.00"}),
                   "month": book.add_format({"num_format": "yyyy-mm"}),
                   "date": book.add_format({"num_format": "yyyy-mm-dd"})}  # fmt: skip
        parts = _table(book, main, formats, sheet_rows)
        if main.sums:
            _totals(book, main, parts, formats)
        for sheet in others:
            _table(book, sheet, formats, SHEET_ROWS)
        if assumptions:
            names = ("setting", "value", "origin", "source")
            columns = tuple(list(c) for c in zip(*assumptions, strict=True))
            kinds = ("text", "typed", "text", "text")  # a value is a number where it is one
            _table(book, Sheet("assumptions", names, kinds, columns), formats, SHEET_ROWS)
        book.close()
        return target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _writer(sheet: Any, kind: str, formats: dict[str, Any]) -> Callable[[int, int, Any], Any]:
    """How one column's cells are written: each explicitly typed."""
    if kind == "text":
        return sheet.write_string  # type: ignore[no-any-return]
    if kind == "bool":
        return sheet.write_boolean  # type: ignore[no-any-return]
    if kind in ("month", "date"):
        shown = formats[kind]

        def when(r: int, c: int, v: Any) -> Any:
            if isinstance(v, str):
                return sheet.write_string(r, c, v)
            return sheet.write_datetime(r, c, v, shown)

        return when
    if kind == "cents":
        money = formats["money"]
        return lambda r, c, v: sheet.write_number(r, c, v / 100, money)
    if kind == "money":
        money = formats["money"]
        return lambda r, c, v: sheet.write_number(r, c, float(v), money)
    if kind == "typed":

        def typed(r: int, c: int, v: Any) -> Any:
            if isinstance(v, str) and _NUMBER.fullmatch(v):
                v = Decimal(v)
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
                return sheet.write_number(r, c, float(v), formats["number" if v % 1 else "int"])
            return sheet.write_string(r, c, _text(v))

        return typed
    shown = formats["int"] if kind == "int" else formats["number"]
    return lambda r, c, v: sheet.write_number(r, c, v, shown)


def _table(
    book: Any, table: Sheet, formats: dict[str, Any], sheet_rows: int
) -> list[tuple[str, int]]:
    """Write ``table`` over as many sheets as it needs; their (name, rows)."""
    n = table.rows
    parts = []
    widths = [_width(h, k, c) for h, k, c in zip(table.headers, table.kinds, table.columns,
                                                  strict=True)]  # fmt: skip
    for part, start in enumerate(range(0, max(n, 1), sheet_rows), start=1):
        stop = min(n, start + sheet_rows)
        sheet = book.add_worksheet(table.name if part == 1 else f"{table.name} {part}")
        parts.append((sheet.name, stop - start))
        for k, (h, w) in enumerate(zip(table.headers, widths, strict=True)):
            sheet.set_column(k, k, w)
            sheet.write_string(0, k, header_words(h), formats["bold"])
        _page(sheet)
        writers = list(enumerate(_writer(sheet, kind, formats) for kind in table.kinds))
        for first in range(start, stop, CHUNK):
            # A chunk of each column as Python values, so a column held as a numpy array
            # is never all Python objects at once.
            last = min(stop, first + CHUNK)
            chunk = [c[first:last].tolist() if isinstance(c, np.ndarray) else c[first:last]
                     for c in table.columns]  # fmt: skip
            for i in range(last - first):
                row = first - start + 1 + i
                for k, write in writers:
                    v = chunk[k][i]
                    if v is not None:
                        write(row, k, v)
    return parts


def _page(sheet: Any) -> None:
    """A sheet as it prints: landscape, one page wide (as many tall as it takes), the
    header on every page, and frozen on screen."""
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _width(header: str, kind: str, column: Column) -> int:
    """A column's width: its header, or its longest text among the first 1,000 rows."""
    longest = len(header)
    if kind == "text":
        longest = max([longest, *(len(str(v)) for v in column[:1000] if v is not None)])
    elif kind in ("money", "cents"):
        longest = max(longest, 14)
    return min(max(longest + 2, 10), 60)


def _column_letter(i: int) -> str:
    from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

    return str(xl_col_to_name(i))


def _totals(book: Any, main: Sheet, parts: list[tuple[str, int]], formats: dict[str, Any]) -> None:
    """SUMPRODUCT(EXACT) per group and SUM in all over every part of the main table, each cached at
    the exact total of the column's integers, cents or Decimals."""
    sheet = book.add_worksheet("totals")
    label = main.headers[main.by] if main.by is not None else ""
    cur = main.headers[main.whole[0]].rpartition("[")[2].rstrip("]") if main.whole else ""
    heads = [label, *(main.headers[c] for c in main.sums),
             *([f"whole bill [{cur}]"] if main.whole else [])]  # fmt: skip
    for k, h in enumerate(heads):
        sheet.set_column(k, k, max(len(h) + 2, 14))
        sheet.write_string(0, k, header_words(h), formats["bold"])
    _page(sheet)
    by = main.columns[main.by] if main.by is not None else None
    exact = main.exact or {c: _sums(main.columns[c], by, main.kinds[c]) for c in main.sums}
    groups = [g for g in exact[main.sums[0]] if g is not None]
    by_col = None if main.by is None else _column_letter(main.by)
    for i, group in enumerate([*groups, None], start=1):
        sheet.write_string(i, 0, "total" if group is None else str(group),
                           formats["bold"] if group is None else None)  # fmt: skip
        for k, c in enumerate(main.sums, start=1):
            col = _column_letter(c)
            terms = []
            for name, rows in parts:
                if rows == 0:
                    continue
                cells = f"'{name}'!${col}$2:${col}${rows + 1}"
                if group is None:
                    terms.append(f"SUM({cells})")
                else:
                    crit = f"'{name}'!${by_col}$2:${by_col}${rows + 1}"
                    terms.append(f"SUMPRODUCT(EXACT({crit},$A{i + 1})*{cells})")
            value = exact[c][group]
            shown = formats["money"] if main.kinds[c] in ("money", "cents") else None
            sheet.write_formula(i, k, "=" + ("+".join(terms) or "0"), shown, float(value))
        if main.whole:  # the whole bill: the sum of its parts' totals in this row
            cells = "+".join(f"{_column_letter(main.sums.index(c) + 1)}{i + 1}"
                             for c in main.whole)  # fmt: skip
            value = sum((exact[c][group] for c in main.whole), Decimal(0))
            sheet.write_formula(i, len(main.sums) + 1, "=" + cells, formats["money"],
                                float(value))  # fmt: skip


def _sums(column: Column, by: Column | None, kind: str) -> dict[Any, Any]:
    """The column's exact sum in all (key ``None``) and per value of ``by``, in the units
    the sheet shows (``cents`` as amounts)."""
    out: dict[Any, Any] = {None: sum((v for v in column if v is not None), 0)}
    if by is not None:
        for key, v in zip(by, column, strict=True):
            if v is not None:
                out[key] = out.get(key, 0) + v
    return {k: Decimal(v) / 100 for k, v in out.items()} if kind == "cents" else out


# ----------------------------------------------------------------- ipcost's results


def budget_sheet(result: Budget, name: str = "budget") -> Sheet:
    """:func:`planner.budget`'s table as the main sheet, column by column as numpy arrays (a
    budget may run to millions of rows, so no row of cells is built, and the writer takes
    Python values a chunk at a time): totals per Region, cached at the budget's own exact
    sums (:func:`planner.edges.reports.budget_totals`), as the text report's."""
    from planner.edges.reports import budget_totals
    from planner.model.money import cents_of

    frame = result.to_frame()
    columns = [c for c in result.columns if c != "currency"]
    cur = result.currency
    money = {"charge", "refund", "mail", "plan_fee"}
    values: dict[str, Any] = {}
    kinds = []
    for c in columns:
        if c in money:
            kinds.append("cents")
            values[c] = np.asarray(cents_of(frame[c]), dtype=np.int64)
        elif c == "month":
            kinds.append("month")
            values[c] = frame[c].dt.to_timestamp().to_numpy().astype("datetime64[D]")
        elif frame[c].dtype.kind in "iu":
            kinds.append("int")
            values[c] = frame[c].to_numpy(dtype=np.int64)
        else:
            kinds.append("text")
            values[c] = np.asarray(frame[c].astype(object).map(str), dtype=object)
    per_region, in_all = budget_totals(result)
    exact = {columns.index(c): {None: in_all[c], **{k: v[c] for k, v in per_region.items()}}
             for c in in_all}  # fmt: skip
    whole = (tuple(columns.index(c) for c in ("charge", "mail", "plan_fee"))
             if "mail" in columns else ())  # fmt: skip
    return Sheet(
        name, tuple(f"{c} [{cur}]" if c in money else c for c in columns), tuple(kinds),
        tuple(values[c] for c in columns), sums=tuple(exact),
        by=columns.index("region"), exact=exact, whole=whole,
    )  # fmt: skip


def assumption_rows(records: Sequence[Assumption]) -> list[tuple[str, Any, str, str]]:
    """Settings as the ``assumptions`` sheet lists them: a number's value a number (an
    exact ratio such as 625/18 stays its text)."""
    return [(a.setting, a.value if isinstance(a.value, int | float | Decimal)
             and not isinstance(a.value, bool) else _text(a.value), a.origin, a.source)
            for a in records]  # fmt: skip


def _text(value: Any) -> str:
    from fractions import Fraction

    if isinstance(value, Fraction):
        from planner.model.sizing import exact_text

        return exact_text(value)
    return "" if value is None else str(value)


def workbook_bytes(result: Any, *, sheet_rows: int = SHEET_ROWS) -> bytes:
    """Any table ipcost writes, as an .xlsx file's bytes: the result of
    :func:`planner.budget`, :func:`planner.estimate`,
    :func:`planner.schedule`, :func:`planner.compare`, :func:`planner.fleet`,
    :func:`planner.relinquish`, :func:`planner.warmup`, :func:`planner.forecast`, the price
    book or the Region table."""
    main, others, assumptions = _parts(result)
    warnings = getattr(result, "warnings", ())
    if warnings:  # what the command prints on stderr, kept beside the numbers
        others = [*others, rows_sheet("warnings", ["warning"], [[str(w)] for w in warnings])]
    return write_workbook(main, others, assumptions, sheet_rows=sheet_rows)


def write_xlsx(result: Any, path: str | Path) -> Path:
    """Write ``result`` as an Excel workbook at ``path``, atomically (see
    :func:`workbook_bytes`); the same file as ``-o FILE.xlsx`` on the command line.

    >>> import planner, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> planner.write_xlsx(planner.estimate("us-east-1", rate=250), folder / "e.xlsx").name
    'e.xlsx'
    """
    from planner.files.output import write_atomic

    write_atomic(path, workbook_bytes(result))
    return Path(path)


Assumed = list[tuple[str, Any, str, str]]


def _parts(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    """The main table, the other sheets and the assumptions of a result."""
    from planner.edges import reports as r
    from planner.files.tables import PriceBook, RegionCatalog
    from planner.ops.estimates import Estimate

    if isinstance(result, Estimate):
        return _estimate(result)
    if isinstance(result, PriceBook):
        return rows_sheet("prices", *r.prices_table(result)), [], []
    if isinstance(result, RegionCatalog):
        return rows_sheet("regions", *r.regions_table(result)), [], []
    name = type(result).__name__  # by name: an estimate's run imports no operation's module
    build = {"Budget": _budget, "Schedule": _schedule, "QuantilePlans": _quantiles,
             "Comparison": _compare, "Comparisons": _compare, "Fleet": _fleet,
             "Relinquish": _relinquish, "Warmup": _warmup, "Forecast": _forecast}.get(name)  # fmt: skip
    if build is None:
        raise TypeError(f"no workbook for a {name}")
    parts: tuple[Sheet, list[Sheet], Assumed] = build(result)
    return parts


def _budget(result: Budget) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges.reports import budget_event_table

    events = [rows_sheet("events", *budget_event_table(result))] if result.events else []
    return budget_sheet(result), events, assumption_rows(result.assumptions)


def _schedule(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges import reports as r

    return (budget_sheet(result.budget), [rows_sheet("events", *r.schedule_event_table(result)),
            rows_sheet("months", *r.schedule_month_table(result))],
            assumption_rows(result.assumptions))  # fmt: skip


def _quantiles(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges import reports as r

    return (
        rows_sheet("plans", *r.quantile_table(result)),
        [],
        assumption_rows(result.plans[0].assumptions),
    )


def _estimate(est: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges.reports import estimate_table

    main = rows_sheet("estimate", *estimate_table(est), sums=("ips", "monthly_fee", "annual_fee"))
    spread = rows_sheet("spread", ["region", "az_id", "ips"],
                        [[r.region, az, n] for r in est.regions for az, n in r.spread.items()],
                        sums=("ips",), by="region")  # fmt: skip
    a = est.assumptions
    assumed = assumption_rows(a.records)
    assumed.append(("price", f"{a.fee_per_ip if a.fee_per_ip is not None else 'per Region'} "
                    f"{est.currency} per IP-month ({a.sku})", f"in force on {est.price_date}",
                    a.price_source))  # fmt: skip
    return main, [spread], assumed


def _compare(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges import reports as r

    first = getattr(result, "regions", (result,))[0]
    main = rows_sheet("compare", *r.compare_table(result),
                      sums=("standard_ips", "standard_monthly_fee", "managed_monthly_fee"))  # fmt: skip
    bill = rows_sheet("bill", *r.bill_table(result))
    assumed = [*assumption_rows(first.assumptions),
               ("prices", f"in force on {first.price_date}", "price book", "")]  # fmt: skip
    return main, [bill], assumed


def _fleet(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges.reports import fleet_table

    main = rows_sheet("fleet", *fleet_table(result), sums=("ips", "warming", "monthly_fee"))
    assumed = [(f"scaling of {p.pool}", p.scaling, p.scaling_from, "") for p in result.pools]
    assumed.append(("prices", f"in force on {result.price_date}", "price book", ""))
    if result.max_send_rate is not None:
        assumed.append(("max_send_rate", f"{result.max_send_rate:g}", "account file", ""))
    return main, [], assumed


def _relinquish(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges.reports import relinquish_table

    main = rows_sheet("relinquish", *relinquish_table(result), sums=("charge", "refund"))
    rule = ("fee x days billed / days in month, rounded half up to the cent, per IP; "
            f"day_count {result.day_count}")  # fmt: skip
    return main, [], [("proration", rule, "billing", "")]


def _warmup(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges.reports import warmup_table

    return rows_sheet("warmup", *warmup_table(result)), [], assumption_rows(result.assumptions)


def _forecast(result: Any) -> tuple[Sheet, list[Sheet], Assumed]:
    from planner.edges import reports as r

    history = rows_sheet("history", *r.forecast_history_table(result))
    assumed = [
        (
            "model",
            result.model,
            "chosen on the history",
            "" if result.backtest is None else result.backtest.why(),
        ),
        ("bands", "p10-p90", "from the backtest", result.bands),
    ]
    if result.backtest is not None:
        bt = result.backtest
        assumed.append(("backtest coverage", bt.coverage, f"{bt.outcomes} past outcomes",
                        bt.judged()))  # fmt: skip
    assumed += [("burst", b.ratio, f"{b.period} s to {b.finest} s", r.burst_source(b)
                 + (f"; day to day it strays by {b.spread:.0%}, carried into the bands"
                    if b.spread else "")) for b in result.history.bursts]  # fmt: skip
    return rows_sheet("forecast", *r.forecast_table(result)), [history], assumed

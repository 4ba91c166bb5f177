"""Table formats: text tables, Markdown, CSV and JSON, from typed cells (no pandas needed).

Cells are typed: ``str`` is text a person may have typed, and is neutralised in
CSV when a spreadsheet would read it as a formula; ``int``, ``float`` and
:class:`~decimal.Decimal` are numbers and stay plain numbers. Money goes in as
``Decimal`` (see :func:`planner.model.money.amount`), so it is exact and never neutralised.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from planner.model.money import format_cents

Cell = str | int | float | Decimal | None
FORMATS = ("table", "csv", "json", "markdown")

#: A text cell starting with one of these is read as a formula by Excel,
#: LibreOffice or Google Sheets ("CSV injection"); OWASP's advice is to prefix it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Make a typed text cell safe to open in a spreadsheet.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-3 IPs"), neutralise("warm pool")
    ("'=HYPERLINK(1)", "'-3 IPs", 'warm pool')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _show(cell: Cell, grouped: bool) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:,.2f}" if grouped else f"{cell:.2f}"
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, int):
        return f"{cell:,}" if grouped else str(cell)
    if isinstance(cell, float):
        return f"{cell:,.2f}" if grouped else f"{cell:.2f}"
    return cell


def _one_line(text: str) -> str:
    """A cell for a table a person reads: a line break shown as ``\\n``, so a row stays one line."""
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _is_number(cell: Cell) -> bool:
    return isinstance(cell, int | float | Decimal) and not isinstance(cell, bool)


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], width: int | None = None
) -> str:
    """An aligned plain-text table: numbers right, text left, thousands grouped.

    It fits ``width`` columns (:func:`text_width` when not given): headers, then text
    cells, wrap at spaces inside their column, narrowing the column where that adds the
    fewest lines (:func:`_fitted_widths`); numbers never wrap.
    A table whose numbers alone are wider keeps its natural width (nothing is cut).

    >>> print(text_table(["region", "note"], [["us-east-1", "a b c d e f"]], width=18), end="")
    region     note
    ---------  -------
    us-east-1  a b c d
               e f
    """
    shown = [[_one_line(_show(c, grouped=True)) for c in row] for row in rows]
    numeric = [
        bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
        for i in range(len(headers))
    ]
    widths = _fitted_widths(headers, shown, numeric, width or text_width())
    head = [_wrapped(h, w) for h, w in zip(headers, widths, strict=True)]
    depth = max((len(h) for h in head), default=1)
    head = [[""] * (depth - len(h)) + h for h in head]  # headers sit on the rule

    def lines(cells: Sequence[list[str]]) -> list[str]:
        tall = max((len(c) for c in cells), default=1)
        out = []
        for i in range(tall):
            parts = [
                (c[i] if i < len(c) else "").rjust(w) if num
                else (c[i] if i < len(c) else "").ljust(w)
                for c, w, num in zip(cells, widths, numeric, strict=True)
            ]  # fmt: skip
            out.append("  ".join(parts).rstrip())
        return out

    rule = "  ".join("-" * w for w in widths)
    body = [
        line
        for row in shown
        for line in lines([_wrapped(c, w) for c, w in zip(row, widths, strict=True)])
    ]
    return "\n".join([*lines(head), rule, *body]) + "\n"


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _fitted_widths(
    headers: Sequence[str], shown: Sequence[Sequence[str]], numeric: Sequence[bool], width: int
) -> list[int]:
    """Column widths within ``width``: each column at its widest cell, then narrowed a
    character at a time, down to its longest word (a number's whole text), where that
    adds the fewest wrapped lines (the widest column on a tie)."""
    from collections import Counter

    widths = [len(h) for h in headers]
    floors = [_longest_word(h) for h in headers]
    texts: list[Counter[str]] = [Counter([h]) for h in headers]
    for row in shown:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
            floors[i] = max(floors[i], len(c) if numeric[i] else _longest_word(c))
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    if excess <= 0:
        return widths
    for row in shown:
        for i, c in enumerate(row):
            if not numeric[i]:
                texts[i][c] += 1

    def added(i: int) -> int:  # lines added to column i by one character less
        w = widths[i]
        return sum(n * (_lines(t, w - 1) - _lines(t, w)) for t, n in texts[i].items())

    while excess > 0:
        open_ = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not open_:
            break
        i = min(open_, key=lambda j: (added(j), -widths[j], j))
        widths[i] -= 1
        excess -= 1
    return widths


@functools.lru_cache(maxsize=65536)
def _lines(text: str, width: int) -> int:
    return len(_wrapped(text, width))


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken at spaces only."""
    if len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def wrap_prose(text: str, width: int | None = None) -> str:
    """Lines of prose wrapped to ``width`` (:func:`text_width` when not given), at spaces
    only. A continuation hangs under the text it continues: after a note's ``[n]``, after
    a ``key  value`` line's key, else two in from the line's own indent. Lines that fit
    are left alone.

    >>> print(wrap_prose("  [1] the quick brown fox jumps over the lazy dog", 40))
      [1] the quick brown fox jumps over the
          lazy dog
    """
    import textwrap

    width = width or text_width()
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        hang = _HANG.match(line)
        under = " " * len(hang.group(0)) if hang and width - len(hang.group(0)) >= 30 else ""
        out.extend(
            textwrap.wrap(line.strip(), width, initial_indent=indent,
                          subsequent_indent=under or indent + "  ", break_long_words=False,
                          break_on_hyphens=False) or [line]
        )  # fmt: skip
    return "\n".join(out)


#: Where a line's text starts, for a hanging indent: after a note's tag, or after the key
#: of an indented ``key  value`` line.
_HANG = re.compile(r"^ *(?:\[[^\]\s]+\] |- |\S(?:[^ ]| (?! ))*  +)")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""

    def esc(text: str) -> str:
        return _one_line(text).replace("|", "\\|")

    numeric = [
        bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
        for i in range(len(headers))
    ]
    out = ["| " + " | ".join(esc(h) for h in headers) + " |"]
    out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    for row in rows:
        out.append("| " + " | ".join(esc(_show(c, grouped=False)) for c in row) + " |")
    return "\n".join(out) + "\n"


#: CSV for comma-decimal locales (``--decimal-comma``): ``;`` between cells and a decimal
#: comma in numbers, as Excel and LibreOffice read CSV in German or French; text as ever.
DECIMAL_COMMA: ContextVar[bool] = ContextVar("decimal_comma", default=False)


@contextlib.contextmanager
def decimal_comma(on: bool = True) -> Iterator[None]:
    """CSV written inside the block uses ``;`` and decimal commas when ``on``."""
    token = DECIMAL_COMMA.set(on)
    try:
        yield
    finally:
        DECIMAL_COMMA.reset(token)


def _separator() -> str:
    return ";" if DECIMAL_COMMA.get() else ","


def _number_text(text: str) -> str:
    """A number's CSV text in the chosen locale: ``349.30`` or ``349,30``."""
    return text.replace(".", ",") if DECIMAL_COMMA.get() else text


def csv_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """CSV for spreadsheets: a header, plain numbers, typed text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=_separator(), lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                neutralise(c) if isinstance(c, str) else _number_text(_show(c, grouped=False))
                for c in row
            ]
        )
    return buffer.getvalue()


def json_text(data: Any) -> str:
    import json  # here, not at start-up: most runs print a table

    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_value) + "\n"


def _json_value(value: Any) -> Any:
    """Exact values in JSON: a Fraction as the text :func:`planner.model.sizing.as_ratio` reads
    back (``"625/18"``), a Decimal as its decimal string."""
    from decimal import Decimal
    from fractions import Fraction

    if isinstance(value, Fraction):
        from planner.model.sizing import exact_text

        return exact_text(value)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def format_rows(headers: Sequence[str], rows: Sequence[Sequence[Cell]], fmt: str) -> str:
    """Rows in one of :data:`FORMATS`; JSON is a list of objects keyed by header."""
    if fmt == "csv":
        return csv_table(headers, rows)
    if fmt == "markdown":
        return markdown_table(headers, rows)
    if fmt == "json":
        return json_text(
            [
                {
                    h: (str(c) if isinstance(c, Decimal) else c)
                    for h, c in zip(headers, r, strict=True)
                }
                for r in rows
            ]
        )
    return text_table(headers, rows)


# ------------------------------------------------------------------- frames as CSV, fast
#
# A large frame is written column by column: each column becomes a table of the
# distinct texts it holds and an index into it, so a text is formatted, neutralised
# and quoted once however many rows repeat it, and rows are joined in chunks.

_CSV_SPECIAL = (",", ";", '"', "\n", "\r")


def _csv_text(text: str) -> str:
    """A typed text as a CSV cell: neutralised, then quoted if it must be."""
    text = neutralise(text)
    if any(c in text for c in _CSV_SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _int_table(values: Any, fmt: Callable[[Any], list[str]]) -> tuple[list[str], Any]:
    """(texts, index) for integers: a table over their range when it is small, else their uniques."""
    import numpy as np

    if values.size == 0:
        return [], np.zeros(0, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo <= max(values.size // 4, 1024):
        return fmt(np.arange(lo, hi + 1, dtype=np.int64)), values - lo
    uniques, index = np.unique(values, return_inverse=True)
    return fmt(uniques), index.reshape(-1)


def _format_cents(values: Any) -> list[str]:
    return [_number_text(format_cents(v)) for v in values.tolist()]


def _column_table(column: Any) -> tuple[list[str], Any]:
    """A frame column as (distinct cell texts, index of each row's text)."""
    import numpy as np
    import pandas as pd

    from planner.model.money import cents_of

    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return [_csv_text(str(c)) for c in dtype.categories], column.cat.codes.to_numpy()
    if isinstance(dtype, pd.PeriodDtype):
        ordinals = column.array.asi8
        return _int_table(
            ordinals,
            lambda u: pd.PeriodIndex.from_ordinals(u, freq=dtype.freq).astype(str).tolist(),  # type: ignore[attr-defined]
        )
    if str(dtype) == "money":
        return _int_table(cents_of(column), _format_cents)
    if pd.api.types.is_bool_dtype(dtype):
        return ["false", "true"], column.to_numpy().astype(np.int64)
    if pd.api.types.is_integer_dtype(dtype):
        return _int_table(column.to_numpy(dtype=np.int64), lambda u: u.astype(str).tolist())
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return [
        "" if pd.isna(v) else (_csv_text(v) if isinstance(v, str) else _number_text(str(v)))
        for v in uniques
    ], codes


def frame_csv(frame: Any, chunk_rows: int = 250_000) -> Iterator[str]:
    """A DataFrame as CSV text in chunks: a header, plain numbers, typed text neutralised.

    Money columns (:func:`planner.model.money.money_dtype`) are written as exact decimals.
    """
    sep = _separator()
    yield sep.join(_csv_text(str(c)) for c in frame.columns) + "\n"
    tables = [_column_table(frame[c]) for c in frame.columns]
    for start in range(0, len(frame), chunk_rows):
        stop = start + chunk_rows
        cells = [
            list(map(table.__getitem__, index[start:stop].tolist())) for table, index in tables
        ]
        yield "\n".join(map(sep.join, zip(*cells, strict=True))) + "\n"


#: Column keys as a person reads them in a header (CSV and JSON keep the keys themselves).
WORDS = {
    "ips": "IPs", "ips_start": "IPs at start", "ips_end": "IPs at end", "ip_days": "IP-days",
    "ips_needed": "IPs needed", "ips_held": "IPs held", "ips_for_rate": "IPs for rate",
    "az_count": "AZs", "usable_azs": "usable AZs", "az_ids": "AZ IDs", "sku": "SKU",
    "per_ip_rate": "per-IP rate", "fee_per_ip": "fee per IP", "as_of": "as of",
    "capacity_one_az_down": "capacity with 1 AZ down", "ip_mode": "sent over",
    "ip_fees": "IP fees", "plan_fee": "plan fee", "warming_percentages": "warmed so far (%)",
}  # fmt: skip


def header_words(header: str) -> str:
    """A column's key in words, its unit kept: ``ip_days`` -> ``IP-days``, ``charge [USD]``
    stays, ``ready_date`` -> ``ready date``.

    >>> header_words("ips_start"), header_words("plan_fee [USD]"), header_words("standard_ips")
    ('IPs at start', 'plan fee [USD]', 'standard IPs')
    """
    head, bracket, unit = header.partition(" [")
    words = WORDS.get(head) or " ".join(_ACRONYMS.get(w, w) for w in head.split("_"))
    return words + (bracket + unit if bracket else "")


_ACRONYMS = {"ip": "IP", "ips": "IPs", "az": "AZ", "azs": "AZs", "id": "ID", "ids": "IDs",
             "sku": "SKU", "aup": "AUP", "url": "URL"}  # fmt: skip


def text_width() -> int:
    """The width to lay text out in: ``COLUMNS`` when it is set to a number, else 100."""
    import os

    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 100
    return width if width >= 20 else 100


#: What a source's kind tag means (the convention of the data files' source column), printed under the first notes
#: that use it.
SOURCE_KINDS = {
    "[P]": "a primary source: AWS documentation, AWS SDK data, or the provider's own docs",
    "[S]": "a secondary source: a third party's reading, usable as a default",
    "[assumption]": "no source gives the figure: ipcost's stated assumption",
}


class Notes:
    """Numbered notes below a table, each cited in its rows as ``[n]``; the same text is
    one note however many rows cite it.

    >>> notes = Notes()
    >>> notes.cite("AWS docs [P]"), notes.cite("a blog [S]"), notes.cite("AWS docs [P]")
    ('[1]', '[2]', '[1]')
    >>> print(notes.text(), end="")
    <BLANKLINE>
    Notes
      [1] AWS docs [P]
      [2] a blog [S]
      [P] a primary source: AWS documentation, AWS SDK data, or the provider's own docs
      [S] a secondary source: a third party's reading, usable as a default
    """

    def __init__(self, title: str = "Notes") -> None:
        self.title = title
        self.texts: dict[str, int] = {}

    def cite(self, text: str) -> str:
        """The citation of ``text`` (``""`` for no text): its number, given on first use."""
        if not text:
            return ""
        number = self.texts.setdefault(text, len(self.texts) + 1)
        return f"[{number}]"

    def after(self, text: str) -> str:
        """The citation to put after a value: ``" [n]"``, or ``""`` for no text."""
        return f" {self.cite(text)}" if text else ""

    def text(self) -> str:
        """The notes as text lines after a blank line (nothing when there are none), then the
        source kinds used."""
        if not self.texts:
            return ""
        lines = [f"  [{n}] {t}" for t, n in self.texts.items()]
        lines += [f"  {tag} {what}" for tag, what in SOURCE_KINDS.items()
                  if any(tag in t for t in self.texts)]  # fmt: skip
        return "\n" + self.title + "\n" + "\n".join(lines) + "\n"

    def markdown(self) -> str:
        """The notes as a Markdown list under a heading, then the source kinds used."""
        if not self.texts:
            return ""
        lines = [f"{n}. {t}" for t, n in self.texts.items()]
        lines += [f"- {tag} {what}" for tag, what in SOURCE_KINDS.items()
                  if any(tag in t for t in self.texts)]  # fmt: skip
        return f"\n### {self.title}\n\n" + "\n".join(lines) + "\n"

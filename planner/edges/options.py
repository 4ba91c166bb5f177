"""Options shared by several ``ipcost`` commands, declared once.

Each shared option is declared here with its help text; :func:`shared` adds a set of
them to a command and hands the command one :class:`Options` value: the settings as
typed (for :meth:`planner.Scenario.build`), the tables given, the output target and
format, and the picture. A command then parses its own options, builds one scenario,
calls one library function and emits the result (:meth:`Options.emit`).

This module imports neither pandas nor matplotlib.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from planner.errors import InputError
from planner.files import typed
from planner.files.form import QUESTIONS
from planner.files.tables import default_value

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planner.files.snapshot import Account
    from planner.scenario.scenario import Scenario

F = TypeVar("F", bound=Callable[..., Any])


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class CaseFormat(StrEnum):
    """The support case's formats: plain text box by box, Markdown, JSON."""

    text = "text"
    markdown = "markdown"
    json = "json"


#: The format an --output file name implies.
SUFFIX_FORMATS = {".txt": "table", ".csv": "csv", ".json": "json", ".md": "markdown",
                  ".xlsx": "xlsx"}  # fmt: skip


def _setting(help_text: str, metavar: str, many: bool = False) -> Any:
    kind = list[str] | None if many else str | None
    return Annotated[kind, typer.Option(help=help_text, metavar=metavar)]


def _default(name: str) -> str:
    return f"[default: {default_value(name)}]"


#: The settings' options, each as ``--name`` for ``name`` (one vocabulary everywhere).
SETTINGS: dict[str, Any] = {
    "per_ip_rate": _setting(
        "What one warm IP sends at full use [msg/s], a number or a ratio such as "
        "3000000/86400, instead of --profile.", "MSG/S",
    ),
    "profile": _setting(
        f"Capacity profile: sendgrid, mandrill or greenarrow {_default('profile')}.", "NAME"
    ),
    "utilization": _setting(
        f"Share of the per-IP rate to plan for, in (0, 1] {_default('utilization')}.", "FRACTION"
    ),
    "min_per_region": _setting(f"Fewest IPs in a Region {_default('min_per_region')}.", "N"),
    "az_failures": _setting(
        f"Availability Zone losses the fleet must survive {_default('az_failures')}.", "N"
    ),
    "azs": _setting(
        "Usable AZs: N for every Region, or REGION=N (repeatable) [default: the Region "
        "table's].", "N|REGION=N", many=True,
    ),
    "peak_factor": _setting(
        f"Peak rate over the day's average rate, at least 1 {_default('peak_factor')}.", "RATIO"
    ),
    "curve": _setting(
        f"Warm-up curve: linear, sendgrid, sparkpost or mailtrap {_default('curve')}.", "NAME"
    ),
    "day_count": _setting(
        "inclusive: the relinquish day is billed (days elapsed include it); exclusive: it "
        f"is not {_default('day_count')}.", "inclusive|exclusive",
    ),
    "lease_proration": _setting(
        "daily: a lease month is billed from the lease day; full-month: billed whole "
        f"{_default('lease_proration')}.", "daily|full-month",
    ),
    "lead_days": _setting(
        "Days from opening the support case to holding the IPs (an assumption: AWS names "
        f"no time) {_default('lead_days')}.", "DAYS",
    ),
    "keep_days": _setting(
        "Keep an IP through a gap when it would be leased again within this many days of its "
        f"release (one warm-up) {_default('keep_days')}.", "DAYS",
    ),
}  # fmt: skip
#: A schedule's timing settings.
TIMING = ("lead_days", "keep_days")
SIZING = ("per_ip_rate", "profile", "utilization", "min_per_region", "az_failures", "azs",
          "peak_factor")  # fmt: skip
BILLING = ("day_count", "lease_proration")

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f",
        help="Output format [default: from the --output suffix (.txt, .csv, .json, .md, or .xlsx "
        "for an Excel workbook), else table].",
        case_sensitive=False, show_default=False,
    ),
]  # fmt: skip
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE (atomically) instead of stdout; FILE.xlsx is an "
        "Excel workbook with typed cells and live totals.",
        metavar="FILE",
    ),
]
CaseFormatOption = Annotated[
    CaseFormat | None,
    typer.Option(
        "--format", "-f",
        help="Output format: text (the form's boxes in order, a value a line, to paste box by "
        "box), markdown or json [default: from the --output suffix (.txt, .md, .json), else "
        "text].", case_sensitive=False, show_default=False,
    ),
]  # fmt: skip
CaseOutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout: .txt, "
                 ".md or .json.", metavar="FILE"),
]  # fmt: skip
Opt = typer.Option
FILE = "FILE"
#: Each command's own options and arguments, declared once: ``"*"`` for any command,
#: else by command. :func:`shared` gives a command's plain signature these declarations.
DECLARED: dict[str, dict[str, Any]] = {
    "*": {
        "date": Opt(help="Price date, YYYY-MM-DD [default: today, UTC].", metavar="DATE"),
        "zones_file": Opt(
            help="The account's own AZs: 'aws ec2 describe-availability-zones' output (JSON).",
            metavar=FILE,
        ),
        "account_file": Opt(
            help="'aws sesv2 get-account' output (JSON): warn when a rate is above the "
            "account's maximum send rate.", metavar=FILE,
        ),
    },
    "estimate": {
        "rate": Opt(help="Peak send rate [msg/s]. Once for every Region, or once per --region "
                    "in order.", metavar="MSG/S"),
        "daily_volume": Opt(help="Messages a day, instead of --rate; the rate is volume / 86400 "
                            "x --peak-factor.", metavar="MESSAGES"),
        "ips": Opt(help="An explicit IP count per Region, instead of sizing from a rate.",
                   metavar="N"),
        "region": Opt("--region", "-r", help="SES Region; repeat for more [default: us-east-1].",
                      metavar="REGION"),
    },
    "relinquish": {
        "region": Opt("--region", "-r", help="SES Region of the IPs.", metavar="REGION"),
        "count": Opt(help="IPs to relinquish, at least 1.", metavar="N"),
        "date": Opt(help="Relinquish date, YYYY-MM-DD (UTC).", metavar="DATE"),
        "held": Opt(help="IPs held in the Region now, to show the monthly fee before and after.",
                    metavar="H"),
    },
    "warmup": {
        "ips": Opt(help="New IPs leased on --start.", metavar="N"),
        "rate": Opt(help="Peak send rate to carry [msg/s].", metavar="MSG/S"),
        "start": Opt(help="Lease date, YYYY-MM-DD: day 1 of the warm-up.", metavar="DATE"),
        "region": Opt("--region", "-r", help="SES Region of the IPs.", metavar="REGION"),
        "warm": Opt(help="IPs already warm in the pool, carrying their full rate.", metavar="M"),
        "partway": Opt(help="IPs partway through warm-up, N=PERCENT (SES's WarmupPercentage); "
                       "repeatable.", metavar="N=PERCENT"),
        "days": Opt(help="Days to show [default: until every new IP is warm].", metavar="N"),
    },
    "compare": {
        "monthly_volume": Opt(help="Messages sent in a month; once per --region, in order.",
                              metavar="MESSAGES"),
        "region": Opt("--region", "-r", help="SES Region; repeat for more, each with its own "
                      "--monthly-volume [default: us-east-1].", metavar="REGION"),
        "ips": Opt(help="Standard IPs to price, once per --region [default: sized from the "
                   "volume].", metavar="N"),
        "plan": Opt(help="Price only this SES pricing plan: none, essentials, pro or enterprise "
                    "[default: the --account-file's current plan, else every plan].",
                    metavar="PLAN"),
        "history": Opt(help="The Region's send history (CloudWatch Send Sums, as 'ipcost "
                       "forecast' reads them), repeatable: its day-to-day variation decides "
                       "whether the mail is regular enough for standard IPs.", metavar=FILE),
    },
    "schedule": {
        "forecast": typer.Argument(help="Forecast CSV: month,region[,pool],peak_rate or "
                                   "daily_volume (see data/forecast-2027.csv); '-' or none when "
                                   "piped is standard input.", metavar="FORECAST",
                                   show_default=False),
        "held": Opt(help="Starting fleet: REGION=N or REGION/POOL=N, repeatable [default: none].",
                    metavar="REGION=N"),
        "held_from": Opt(help="Starting fleet from a plan's [[regions]], instead of --held.",
                         metavar="PLAN"),
        "fleet": Opt(help="Starting fleet from the account: get-dedicated-ips pages (and pool "
                     "files), repeatable; IPs still warming go on from their percentage.",
                     metavar=FILE),
        "fleet_region": Opt(help="Region the --fleet files were read in [default: the "
                            "forecast's].", metavar="REGION"),
        "today": Opt(help="Today, for requests already late [default: today, UTC].",
                     metavar="DATE"),
        "quantile": Opt(help="Plan for this quantile column of the forecast (0.9 reads p90) "
                        "[default: peak_rate].", metavar="Q"),
    },
    "forecast": {
        "history": typer.Argument(help="Send history as the AWS CLI prints it: cloudwatch "
                                  "get-metric-statistics (Send, Sum) or get-metric-data pages, "
                                  "or ses get-send-statistics; several files merge [default: "
                                  "the --account-dir snapshot's].", metavar="HISTORY",
                                  show_default=False),
        "region": Opt("--region", "-r", help="SES Region the history is from [default: "
                      "us-east-1, or the --account-dir snapshot's one Region].", metavar="REGION"),
        "pool": Opt(help="Pool the forecast is for (a column of the CSV).", metavar="POOL"),
        "months": Opt(help="Months to forecast.", metavar="N"),
        "quantile": Opt(help="Another quantile of the peak to give (p10, p50 and p90 always "
                        "are), such as 0.95; repeatable.", metavar="Q"),
        "burst": Opt(help="Peak-to-mean ratio of the 1-minute peak over the finest "
                     "coarser buckets' (the hour's); still coarser ones are measured against "
                     "those [default: measured where the minute and the hour both have "
                     "data].", metavar="RATIO"),
        "min_share": Opt(help="Share of a month's buckets that makes it complete; others are "
                         "partial, shown but not fitted.", metavar="SHARE"),
        "period": Opt(help="Bucket length in seconds of every file [default: each file's "
                      "least gap].", metavar="SECONDS"),
        "today": Opt(help="Today: a bucket after it is an error [default: today, UTC].",
                     metavar="DATE"),
        "backtest": Opt("--backtest", help="Instead of the forecast: how the chosen method did "
                        "on this history from past months, against the same month last year, "
                        "and how often p10-p90 held the outcome (--plot: each past forecast "
                        "over the actual peaks)."),
    },
    "prices": {
        "action": typer.Argument(help="Read AWS Price List files for AmazonSES "
                                 "(the JSON or CSV offer file, or aws pricing get-products "
                                 "output) into a whole price book.", metavar="import FILE...",
                                 show_default=False),
        "map_file": Opt("--map", help="More usage-type rows (pattern,sku,unit,scale,source), "
                        "tried before the shipped ones.", metavar=FILE),
    },
    "fleet": {
        "files": typer.Argument(help="AWS CLI JSON output: get-dedicated-ips pages (in order), "
                                "get-dedicated-ip-pool per pool, list-dedicated-ip-pools, "
                                "get-account [default: the --account-dir snapshot's].",
                                metavar="FILE", show_default=False),
        "region": Opt("--region", "-r", help="SES Region the files were read in [default: "
                      "us-east-1, or the --account-dir snapshot's one Region].", metavar="REGION"),
    },
    "request": {
        "rate": Opt(help="Peak send rate [msg/s], once or once per --region.", metavar="MSG/S"),
        "daily_volume": Opt(help="Messages a day, instead of --rate.", metavar="MESSAGES"),
        "ips": Opt(help="IPs to ask for, instead of sizing.", metavar="N"),
        "region": Opt("--region", "-r", help="SES Region; repeat for more.", metavar="REGION"),
        "relinquish": Opt(help="Instead: the case to relinquish N IPs in the Region "
                          "(irreversible).", metavar="N"),
        "forecast": Opt(help="Instead of a rate: a forecast CSV, scheduled as 'ipcost schedule' "
                        "does; one case per wave of leases.", metavar="FORECAST"),
        "quantile": Opt(help="With --forecast: plan for this quantile column (0.9 reads p90), "
                        "as 'ipcost schedule --quantile' [default: peak_rate].", metavar="Q"),
        "ip": Opt(help="With --relinquish: an address to relinquish, repeatable (checked "
                  "against --fleet).", metavar="ADDRESS"),
        "fleet": Opt(help="With --relinquish: get-dedicated-ips pages; the count must be at "
                     "most the Region's standard IPs. With --forecast: the starting fleet, as "
                     "'ipcost schedule --fleet' takes it.", metavar=FILE),
        "held": Opt(help="With --relinquish: the standard IPs held in the Region, if no "
                    "--fleet.", metavar="N"),
        "today": Opt(help="Today, for requests already late [default: today, UTC].",
                     metavar="DATE"),
        "date": Opt(help="Relinquish (and price) date, YYYY-MM-DD [default: today, UTC].",
                    metavar="DATE"),
    },
    "snapshot": {
        "region": Opt("--region", "-r", help="SES Region to read; repeat for more.",
                      metavar="REGION"),
        "output": Opt("--output", "-o", help="The snapshot's folder: made, or an earlier "
                      "snapshot's, whose send history is kept and extended; replaced whole "
                      "only when every call has answered.", metavar="DIR"),
        "profile": Opt(help="AWS CLI profile to read with [default: boto3's chain: "
                       "environment, config, instance role].", metavar="NAME"),
        "policy": Opt("--policy", help="Print the least-privilege IAM policy the snapshot "
                      "needs (its read actions, nothing else) and stop."),
    },
    "budget": {
        "plan": typer.Argument(help="The plan, a TOML file (see data/plan-2027.toml).",
                               metavar="PLAN"),
        "start": Opt(help="First budget month, YYYY-MM [default: the plan's]; a later month "
                     "starts with the fleet the plan's earlier events leave.", metavar="YYYY-MM"),
        "months": Opt(help="Months in the budget [default: the plan's, or 12].", metavar="N"),
        "events": Opt(help="Event-log CSV (date,region,action,count,pool,note), instead of the "
                      "plan's events_file.", metavar=FILE),
        "plot_by": Opt(help="Stack the --plot bars by Region or by Region and pool.",
                       case_sensitive=False),
    },
}  # fmt: skip
DECLARED["request"].update(  # the form's questions only the user can answer
    {name: Opt(help=f"{what[0].upper()}{what[1:]} [default: a placeholder to fill in].",
               metavar=metavar)
     for name, (_, what, metavar) in QUESTIONS.items()}
)  # fmt: skip
SCHEDULE_OUTPUT = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o",
        help="Write to FILE (atomically): plan.toml is a plan for ipcost budget, .csv the "
        "event log, .xlsx a workbook (the budget, events, months and assumptions), .json, .md "
        "or .txt the report.", metavar="FILE",
    ),
]  # fmt: skip


def _path(help_text: str, metavar: str = "FILE") -> Any:
    return Annotated[Path | None, typer.Option(help=help_text, metavar=metavar)]


#: The files and targets :func:`shared` can add, by parameter name.
TARGETS: dict[str, Any] = {
    "prices": _path("Your own price book CSV (same columns as 'ipcost prices -f csv')."),
    "regions_file": _path("Your own Region table CSV (same columns as 'ipcost regions -f csv')."),
    "fmt": FormatOption,
    "output": OutputOption,
    "plot": _path("Also draw the result as a picture in FILE (.png, .svg or .pdf), written "
                  "atomically.", "FILE.png"),
    "account_dir": _path("A snapshot of the account ('ipcost snapshot -o DIR'): what this "
                         "command reads of the account (AZs, quota and pricing plan, fleet, "
                         "send history, prices) comes from it; a file given by its own option "
                         "comes first.", "DIR"),
    "decimal_comma": Annotated[bool, typer.Option(
        "--decimal-comma", help="CSV for comma-decimal locales (German, French, ...): ';' "
        "between cells and 349,30 in numbers, as Excel and LibreOffice read it there.")],
}  # fmt: skip


@dataclass
class Options:
    """The shared options of one command run, as one value."""

    settings: dict[str, Any] = field(default_factory=dict)
    """Settings as typed, ``None`` where not given."""
    prices: Path | None = None
    regions_file: Path | None = None
    fmt: Format | CaseFormat | None = None
    output: Path | None = None
    plot: Path | None = None
    decimal_comma: bool = False
    account_dir: Path | None = None

    @functools.cached_property
    def account(self) -> Account | None:
        """The ``--account-dir`` snapshot, read once."""
        if self.account_dir is None:
            return None
        from planner.files.snapshot import Account

        return Account(self.account_dir)

    def from_account(
        self, given: list[Path] | None, region: str | None, field: str, what: str
    ) -> tuple[list[Path], str | None]:
        """The files ``given``, else the ``--account-dir`` snapshot's for ``region`` (its
        history for ``field`` ``history``, else its fleet), with the Region they are from."""
        if given:
            return given, region
        if self.account is None:
            raise InputError(field, "none", f"expected {what}, or --account-dir DIR (a snapshot)",
                             missing=True)  # fmt: skip
        region = self.account.region(region)
        read = self.account.history_files if field == "history" else self.account.fleet_files
        return read(region), region

    def account_fleet(
        self, given: list[Path] | None, region: str | None, field: str = "region"
    ) -> tuple[list[Path] | None, str | None]:
        """The fleet files ``given``, else the ``--account-dir`` snapshot's in ``region`` (its
        only Region when not named), when it held dedicated IPs; else none."""
        if given or self.account is None:
            return given, region
        region = self.account.region(region, field)
        return (
            self.account.fleet_files(region) if self.account.holds_ips(region) else None
        ), region

    def scenario(self, allowed: Sequence[str] | None = None, **files: Any) -> Scenario:
        """The run's scenario: these settings (``allowed``: the command's), tables and
        the other ``files`` and dates of :meth:`planner.Scenario.build`."""
        from planner.scenario.scenario import Scenario

        values = dict(self.settings)
        if "azs" in values:  # --azs N, or REGION=N repeated
            values["azs"] = typed.azs(values["azs"])
        return Scenario.build(
            values, allowed=tuple(allowed or self.settings), prices=self.prices,
            regions_file=self.regions_file, account_dir=self.account, **files,
        )  # fmt: skip

    def kind(
        self, reads: Iterable[str | Path | None] = (), extra: Mapping[str, str] | None = None
    ) -> str:
        """The output format, from ``--format`` or the ``--output`` suffix, with both
        targets checked before any work: not a folder, not a file this run reads
        (``reads``, and the tables given), a writable folder, a known picture type."""
        from planner.files.output import check_writable, plot_format, streamed

        reading = [*reads, self.prices, self.regions_file]
        for name, target in (("output", self.output), ("plot", self.plot)):
            if target is None:
                continue
            check_writable(target, name)
            if any(r is not None and _same_file(target, Path(r)) for r in reading):
                raise InputError(
                    name, str(target), "it is a file this run reads; expected another file"
                )
        if self.plot is not None:
            if self.output is not None and _same_file(self.output, self.plot):
                raise InputError("plot", str(self.plot), "expected a different file from --output")
            plot_format(self.plot)
        suffixes = {**SUFFIX_FORMATS, **(extra or {})}
        if (self.fmt is None and self.output is not None and streamed(self.output)
                and self.output.suffix.lower() not in suffixes):  # fmt: skip
            kind = "table"  # /dev/stdout, a pipe: what the terminal would have shown
        else:
            kind = _format(self.fmt, self.output, suffixes)
        if self.decimal_comma and kind != "csv":
            raise InputError("decimal_comma", "given", f"writes CSV, and the output is {kind}; "
                             "expected --format csv or -o FILE.csv")  # fmt: skip
        return kind

    def report(
        self, kind: str, result: Any, render: Callable[[Any, str], Any],
        draw: Callable[[], Figure] | None = None,
    ) -> None:  # fmt: skip
        """Emit ``result`` in ``kind``: a workbook for ``xlsx`` (see
        :func:`planner.edges.workbook.workbook_bytes`), else ``render(result, kind)``."""
        if kind == "xlsx":
            from planner.edges.workbook import workbook_bytes

            self.emit(workbook_bytes(result), draw)
        else:
            text = render(result, kind)
            if kind == "table" and isinstance(text, str):
                from planner.edges.formats import wrap_prose

                text = wrap_prose(text)  # tables fit already; a long note wraps, never cut
            self.emit(text, draw)

    def emit(
        self, text: str | bytes | Iterable[str], draw: Callable[[], Figure] | None = None
    ) -> None:
        """Print or write the result and, with ``--plot``, its picture.

        :meth:`kind` checked both targets before the work began, and the picture is drawn
        before anything is written, so a bad ``--plot`` leaves ``--output`` untouched too.
        matplotlib is imported only when a picture is asked for, with the Agg backend.
        """
        from planner.files.output import plot_format, write_atomic

        picture: bytes | None = None
        if self.plot is not None and draw is not None:
            import matplotlib

            matplotlib.use("Agg")
            from planner.edges.plots import figure_bytes

            picture = figure_bytes(draw(), plot_format(self.plot))
        if self.output is None:
            for chunk in [text] if isinstance(text, str | bytes) else text:
                typer.echo(chunk, nl=False)
        else:
            write_atomic(self.output, text)
            typer.echo(f"Wrote {self.output}", err=True)
        if self.plot is not None and picture is not None:
            write_atomic(self.plot, picture)
            typer.echo(f"Wrote {self.plot}", err=True)


def _format(
    fmt: Format | CaseFormat | None, output: Path | None, suffixes: Mapping[str, str]
) -> str:
    if output is None:
        return fmt.value if fmt is not None else "table"
    implied = suffixes.get(output.suffix.lower())
    if fmt is None:
        if implied is None:
            raise InputError(
                "output",
                str(output),
                f"expected a file name ending {', '.join(suffixes)}, or a --format",
            )
        return implied
    if implied is not None and implied != fmt.value:
        same = ", ".join(k for k, v in SUFFIX_FORMATS.items() if v == fmt.value)
        raise InputError(
            "output", str(output),
            f"its suffix means {implied}, but --format is {fmt.value}; expected a {fmt.value} "
            f"file name ({same})",
        )  # fmt: skip
    return fmt.value


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def shared(
    settings: Sequence[str] = (), targets: Sequence[str] = (), **declared: Any
) -> Callable[[F], F]:
    """Add the shared options named (``settings`` from :data:`SETTINGS`, ``targets`` from
    :data:`TARGETS`, or ``name=Annotated[...]`` declared by the command) to a command,
    which receives them as one :class:`Options` in its parameter ``opts``; the command's
    own parameters get their declarations from :data:`DECLARED`."""
    if "fmt" in targets and "fmt" not in declared:  # every command that writes CSV offers it
        targets = (*targets, "decimal_comma")
    params = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                          default=False if name == "decimal_comma" else None, annotation=kind)
        for name, kind in [*((n, SETTINGS[n]) for n in settings),
                           *((n, declared.get(n, TARGETS[n])) for n in targets)]
    ]  # fmt: skip

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn, eval_str=True)
        mine = {**DECLARED["*"], **DECLARED.get(fn.__name__, {})}
        own = [
            p.replace(annotation=Annotated[p.annotation, mine[p.name]]) if p.name in mine else p
            for p in signature.parameters.values()
            if p.name != "opts"
        ]

        @functools.wraps(fn)
        def command(**values: Any) -> Any:
            found = {n: values.pop(n) for n in settings}
            from planner.edges.formats import decimal_comma

            opts = Options(found, **{n: values.pop(n) for n in targets})
            with decimal_comma(opts.decimal_comma):
                return fn(**values, opts=opts)

        command.__signature__ = signature.replace(parameters=[*own, *params])  # type: ignore[attr-defined]
        return command  # type: ignore[return-value]

    return decorate

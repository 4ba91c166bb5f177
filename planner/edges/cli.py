"""The ``ipcost`` command line: parse, call the library, format, report errors.

Every command is a thin wrapper over one library call. Errors the user can cause
are :class:`~planner.errors.PlannerError`; :func:`_user_errors` turns each into one
``Error: ...`` line on stderr and exit status 1. A bad command line (an unknown
option, a bad choice) is exit status 2. Data goes to stdout, messages to stderr.

Start-up stays light: this module imports neither pandas nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from planner import __version__
from planner.errors import InputError, PlannerError, UnknownNameError
from planner.files.tables import default_value

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _typer() -> typer.Typer:
    """The ``ipcost`` app's settings (one place, for the full app and a one-command one)."""
    return typer.Typer(
        name="ipcost",
        help=(
            "Capacity and cost planning for Amazon SES dedicated IP addresses: how many IPs "
            "a send rate needs, how they spread over Availability Zones, and what they cost. "
            "Offline; every default and its source is in the reference tables "
            "(ipcost regions, ipcost prices)."
        ),
        rich_markup_mode=None,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _typer()


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


#: Library field names that are also option names (--per-ip-rate for per_ip_rate).
OPTION_FIELDS = {
    "rate", "daily_volume", "peak_factor", "ips", "region", "per_ip_rate", "profile",
    "utilization", "min_per_region", "az_failures", "azs", "date", "count", "held",
    "start", "months", "day_count", "lease_proration", "plot", "output", "curve", "warm",
    "partway", "days", "monthly_volume", "lead_days", "keep_days", "today", "held_from", "zones_file", "account_file", "relinquish", "format", "fleet_region",
}  # fmt: skip


def cli_message(exc: PlannerError) -> str:
    """The library's message, with a field named as the option a user typed."""
    text = str(exc)
    field = getattr(exc, "field", None)
    from_option = getattr(exc, "where", None) is None
    if isinstance(exc, InputError | UnknownNameError) and from_option and field in OPTION_FIELDS:
        option = "--" + str(field).replace("_", "-")
        text = option + text[len(str(field)) :]
    return text


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except PlannerError as exc:
        fail(cli_message(exc))


def _whole(field: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError(field, text, "expected a whole number") from None


def _azs(texts: list[str] | None) -> str | dict[str, str] | None:
    """``--azs N`` (every Region) or ``--azs REGION=N``, repeatable; checked by the resolver."""
    if not texts:
        return None
    if len(texts) == 1 and "=" not in texts[0]:
        return texts[0]
    out: dict[str, str] = {}
    for text in texts:
        name, sep, count = text.partition("=")
        if not sep:
            raise InputError("azs", text, "expected N alone, or REGION=N for each Region")
        out[name.strip()] = count.strip()
    return out


def _emit(
    text: str | Iterable[str],
    output: Path | None,
    plot: Path | None = None,
    draw: Callable[[], Figure] | None = None,
) -> None:
    """Print or write the result and, with ``--plot``, its picture.

    :func:`_output_format` checked both targets before the work began, and the
    picture is drawn before anything is written, so a bad ``--plot`` leaves
    ``--output`` untouched too. matplotlib is imported here only when a picture is
    asked for, with the non-interactive Agg backend.
    """
    from planner.files.output import write_atomic

    picture: bytes | None = None
    if plot is not None and draw is not None:
        import matplotlib

        matplotlib.use("Agg")
        from planner.edges.plots import render
        from planner.files.output import plot_format

        picture = render(draw(), plot_format(plot))
    if output is None:
        for chunk in [text] if isinstance(text, str) else text:
            typer.echo(chunk, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"Wrote {output}", err=True)
    if plot is not None and picture is not None:
        write_atomic(plot, picture)
        typer.echo(f"Wrote {plot}", err=True)


def _warn(messages: tuple[str, ...] | list[str]) -> None:
    for message in messages:
        typer.echo(f"Warning: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ipcost {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Plan Amazon SES dedicated IPs: size, spread, price, relinquish, budget."""


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: from the --output suffix (.txt, .csv, .json, .md), else table].",
        case_sensitive=False,
        show_default=False,
    ),
]

#: The format an --output file name implies.
SUFFIX_FORMATS = {".txt": "table", ".csv": "csv", ".json": "json", ".md": "markdown"}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def _output_format(
    fmt: Format | None,
    output: Path | None,
    reads: Sequence[str | Path | None] = (),
    plot: Path | None = None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """The output format, from ``--format`` or the ``--output`` suffix, with the targets checked.

    A suffix that contradicts ``--format`` is an error, and so is an ``--output`` or
    ``--plot`` that is a file this run reads (nothing is written then, and the file
    stays as it was).
    """
    from planner.files.output import check_writable, plot_format

    for field, target in (("output", output), ("plot", plot)):
        if target is None:
            continue
        check_writable(target, field)
        for read in reads:
            if read is not None and _same_file(target, Path(read)):
                raise InputError(
                    field, str(target), "it is a file this run reads; expected another file"
                )
    if plot is not None:
        if output is not None and _same_file(output, plot):
            raise InputError("plot", str(plot), "expected a different file from --output")
        plot_format(plot)
    if output is None:
        return fmt.value if fmt is not None else "table"
    suffixes = {**SUFFIX_FORMATS, **(extra or {})}
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
        raise InputError(
            "output",
            str(output),
            f"its suffix means {implied}, but --format is {fmt.value}; expected a "
            f"{fmt.value} file name ({', '.join(k for k, v in SUFFIX_FORMATS.items() if v == fmt.value)})",
        )
    return fmt.value


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.", metavar="FILE"
    ),
]
PricesOption = Annotated[
    Path | None,
    typer.Option(
        help="Your own price book CSV (same columns as 'ipcost prices -f csv').", metavar="FILE"
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        help="Also draw the result as a picture in FILE (.png, .svg or .pdf), written atomically.",
        metavar="FILE.png",
    ),
]
PriceDateOption = Annotated[
    str | None,
    typer.Option(help="Price date, YYYY-MM-DD [default: today, UTC].", metavar="DATE"),
]
ZonesFileOption = Annotated[
    Path | None,
    typer.Option(
        help="The account's own AZs: 'aws ec2 describe-availability-zones' output (JSON).",
        metavar="FILE",
    ),
]
AccountFileOption = Annotated[
    Path | None,
    typer.Option(
        help="'aws sesv2 get-account' output (JSON): warn when a rate is above the account's "
        "maximum send rate.",
        metavar="FILE",
    ),
]
RegionsFileOption = Annotated[
    Path | None,
    typer.Option(
        help="Your own Region table CSV (same columns as 'ipcost regions -f csv').", metavar="FILE"
    ),
]

PeakFactorOption = Annotated[
    str | None,
    typer.Option(
        help=f"Peak rate over the day's average rate, at least 1 [default: {default_value('peak_factor')}].",
        metavar="RATIO",
    ),
]
PerIpRateOption = Annotated[
    str | None,
    typer.Option(
        help="What one warm IP sends at full use [msg/s], instead of --profile.",
        metavar="MSG/S",
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        help=f"Capacity profile: sendgrid, mandrill or greenarrow [default: {default_value('profile')}].",
        metavar="NAME",
    ),
]
UtilizationOption = Annotated[
    str | None,
    typer.Option(
        help=f"Share of the per-IP rate to plan for, in (0, 1] [default: {default_value('utilization')}].",
        metavar="FRACTION",
    ),
]
MinPerRegionOption = Annotated[
    str | None,
    typer.Option(
        help=f"Fewest IPs in a Region [default: {default_value('min_per_region')}].",
        metavar="N",
    ),
]
AzFailuresOption = Annotated[
    str | None,
    typer.Option(
        help=f"Availability Zone losses the fleet must survive [default: {default_value('az_failures')}].",
        metavar="N",
    ),
]
AzsOption = Annotated[
    list[str] | None,
    typer.Option(
        help="Usable AZs: N for every Region, or REGION=N (repeatable) [default: the Region table's].",
        metavar="N|REGION=N",
    ),
]
DayCountOption = Annotated[
    str | None,
    typer.Option(
        help="inclusive: the relinquish day is billed (days elapsed include it); exclusive: it "
        f"is not [default: {default_value('day_count')}].",
        metavar="inclusive|exclusive",
    ),
]
CurveOption = Annotated[
    str | None,
    typer.Option(
        help=f"Warm-up curve: linear, sendgrid, sparkpost or mailtrap [default: {default_value('curve')}].",
        metavar="NAME",
    ),
]
LeaseProrationOption = Annotated[
    str | None,
    typer.Option(
        help="daily: a lease month is billed from the lease day; full-month: billed whole "
        f"[default: {default_value('lease_proration')}].",
        metavar="daily|full-month",
    ),
]


@app.command()
def estimate(
    rate: Annotated[
        list[str] | None,
        typer.Option(
            help="Peak send rate [msg/s]. Once for every Region, or once per --region in order.",
            metavar="MSG/S",
        ),
    ] = None,
    daily_volume: Annotated[
        list[str] | None,
        typer.Option(
            help="Messages a day, instead of --rate; the rate is volume / 86400 x --peak-factor.",
            metavar="MESSAGES",
        ),
    ] = None,
    peak_factor: PeakFactorOption = None,
    ips: Annotated[
        list[str] | None,
        typer.Option(
            help="An explicit IP count per Region, instead of sizing from a rate.", metavar="N"
        ),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            "-r",
            help="SES Region; repeat for more [default: us-east-1].",
            metavar="REGION",
        ),
    ] = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    min_per_region: MinPerRegionOption = None,
    az_failures: AzFailuresOption = None,
    azs: AzsOption = None,
    date: PriceDateOption = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    zones_file: ZonesFileOption = None,
    account_file: AccountFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    plot: PlotOption = None,
) -> None:
    """Size, spread and price the dedicated IPs for a send rate.

    Example: ipcost estimate --rate 300 --region us-east-1 --az-failures 1
    """
    from planner.edges.reports import render_estimate
    from planner.ops.estimates import estimate as run_estimate

    with _user_errors():
        kind = _output_format(fmt, output, [prices, regions_file, zones_file, account_file], plot)
        result = run_estimate(
            region or ["us-east-1"],
            rate=rate or None,
            daily_volume=daily_volume or None,
            peak_factor=peak_factor,
            ips=[_whole("ips", n) for n in ips] if ips else None,
            per_ip_rate=per_ip_rate,
            profile=profile,
            utilization=utilization,
            min_per_region=min_per_region,
            az_failures=az_failures,
            azs=_azs(azs),
            date=date,
            prices=prices,
            regions_file=regions_file,
            zones_file=zones_file,
            account_file=account_file,
        )
        _warn(result.warnings)

        def draw() -> Figure:
            from planner.edges.plots import estimate_figure

            return estimate_figure(result)

        _emit(render_estimate(result, kind), output, plot, draw)


@app.command()
def regions(
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List the SES Regions with their Availability Zones (AZ IDs) and sources."""
    from planner.edges.reports import render_regions
    from planner.files.tables import load_regions

    with _user_errors():
        kind = _output_format(fmt, output, [regions_file])
        _emit(render_regions(load_regions(regions_file), kind), output)


@app.command()
def prices(
    prices: PricesOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List the effective-dated price book with its sources."""
    from planner.edges.reports import render_prices
    from planner.files.tables import load_prices

    with _user_errors():
        kind = _output_format(fmt, output, [prices])
        _emit(render_prices(load_prices(prices), kind), output)


@app.command()
def relinquish(
    region: Annotated[
        str, typer.Option("--region", "-r", help="SES Region of the IPs.", metavar="REGION")
    ],
    count: Annotated[str, typer.Option(help="IPs to relinquish, at least 1.", metavar="N")],
    date: Annotated[str, typer.Option(help="Relinquish date, YYYY-MM-DD (UTC).", metavar="DATE")],
    day_count: DayCountOption = None,
    held: Annotated[
        str | None,
        typer.Option(
            help="IPs held in the Region now, to show the monthly fee before and after.",
            metavar="H",
        ),
    ] = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    plot: PlotOption = None,
) -> None:
    """What relinquishing IPs mid-month charges and refunds, and what waiting costs.

    Example: ipcost relinquish --region us-east-1 --count 2 --date 2026-11-15
    """
    from planner.edges.reports import render_relinquish
    from planner.files.tables import load_prices, load_regions
    from planner.ops.relinquishes import relinquish as run_relinquish

    with _user_errors():
        kind = _output_format(fmt, output, [prices, regions_file], plot)
        # Read once: the answer and, with --plot, the month's schedule both use them.
        book, catalog = load_prices(prices), load_regions(regions_file)
        result = run_relinquish(
            region,
            int(_whole("count", count)),  # type: ignore[arg-type]
            date,
            day_count=day_count,
            held=_whole("held", held),
            prices=book,
            regions_file=catalog,
        )

        def draw() -> Figure:
            from planner.edges.plots import relinquish_figure
            from planner.ops.relinquishes import relinquish_schedule

            schedule = relinquish_schedule(
                result.region,
                result.date,
                result.count,
                day_count=result.day_count,
                prices=book,
                regions_file=catalog,
            )
            return relinquish_figure(schedule, result.date)

        _emit(render_relinquish(result, kind), output, plot, draw)


@app.command()
def warmup(
    ips: Annotated[str, typer.Option(help="New IPs leased on --start.", metavar="N")],
    rate: Annotated[str, typer.Option(help="Peak send rate to carry [msg/s].", metavar="MSG/S")],
    start: Annotated[
        str, typer.Option(help="Lease date, YYYY-MM-DD: day 1 of the warm-up.", metavar="DATE")
    ],
    region: Annotated[
        str,
        typer.Option("--region", "-r", help="SES Region of the IPs.", metavar="REGION"),
    ] = "us-east-1",
    warm: Annotated[
        str,
        typer.Option(help="IPs already warm in the pool, carrying their full rate.", metavar="M"),
    ] = "0",
    partway: Annotated[
        list[str] | None,
        typer.Option(
            help="IPs partway through warm-up, N=PERCENT (SES's WarmupPercentage); repeatable.",
            metavar="N=PERCENT",
        ),
    ] = None,
    curve: CurveOption = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    days: Annotated[
        str | None,
        typer.Option(help="Days to show [default: until every new IP is warm].", metavar="N"),
    ] = None,
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    plot: PlotOption = None,
) -> None:
    """When new IPs carry a send rate: capacity, dedicated and overflow traffic by day.

    Example: ipcost warmup --ips 4 --rate 64 --start 2026-12-01 --per-ip-rate 40
    """
    from planner.edges.reports import render_warmup
    from planner.ops.warmups import warmup as run_warmup

    with _user_errors():
        kind = _output_format(fmt, output, [regions_file], plot)
        parts = []
        for text in partway or []:
            count, sep, percent = text.partition("=")
            if not sep:
                raise InputError("partway", text, "expected N=PERCENT, such as 2=40")
            parts.append((_whole("partway", count.strip()), _whole("partway", percent.strip())))
        result = run_warmup(
            region,
            ips=_whole("ips", ips),
            rate=rate,
            start=start,
            warm=_whole("warm", warm),
            partway=parts,
            curve=curve,
            per_ip_rate=per_ip_rate,
            profile=profile,
            utilization=utilization,
            days=_whole("days", days),
            regions_file=regions_file,
        )

        def draw() -> Figure:
            from planner.edges.plots import warmup_figure

            return warmup_figure(result)

        _emit(render_warmup(result, kind), output, plot, draw)


@app.command()
def compare(
    monthly_volume: Annotated[
        str, typer.Option(help="Messages sent in a month.", metavar="MESSAGES")
    ],
    region: Annotated[
        str, typer.Option("--region", "-r", help="SES Region.", metavar="REGION")
    ] = "us-east-1",
    ips: Annotated[
        str | None,
        typer.Option(help="Standard IPs to price [default: sized from the volume].", metavar="N"),
    ] = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    min_per_region: MinPerRegionOption = None,
    az_failures: AzFailuresOption = None,
    azs: AzsOption = None,
    peak_factor: PeakFactorOption = None,
    date: PriceDateOption = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    plot: PlotOption = None,
) -> None:
    """Standard against managed dedicated IPs: the monthly cost of each and the break-even volume.

    Example: ipcost compare --monthly-volume 20000000 --region us-east-1
    """
    from planner.edges.reports import render_compare
    from planner.ops.comparisons import compare as run_compare

    with _user_errors():
        kind = _output_format(fmt, output, [prices, regions_file], plot)
        result = run_compare(
            region,
            monthly_volume=monthly_volume,
            ips=_whole("ips", ips),
            date=date,
            prices=prices,
            regions_file=regions_file,
            per_ip_rate=per_ip_rate,
            profile=profile,
            utilization=utilization,
            min_per_region=min_per_region,
            az_failures=az_failures,
            azs=_azs(azs),
            peak_factor=peak_factor,
        )

        def draw() -> Figure:
            from planner.edges.plots import compare_figure

            return compare_figure(result)

        _emit(render_compare(result, kind), output, plot, draw)


@app.command()
def schedule(
    forecast: Annotated[
        Path,
        typer.Argument(
            help="Forecast CSV: month,region[,pool],peak_rate or daily_volume (see data/forecast-2027.csv).",
            metavar="FORECAST",
        ),
    ],
    held: Annotated[
        list[str] | None,
        typer.Option(
            help="Starting fleet: REGION=N or REGION/POOL=N, repeatable [default: none].",
            metavar="REGION=N",
        ),
    ] = None,
    held_from: Annotated[
        Path | None,
        typer.Option(
            help="Starting fleet from a plan's [[regions]], instead of --held.", metavar="PLAN"
        ),
    ] = None,
    fleet: Annotated[
        list[Path] | None,
        typer.Option(
            help="Starting fleet from the account: get-dedicated-ips pages (and pool files), "
            "repeatable; IPs still warming go on from their percentage.",
            metavar="FILE",
        ),
    ] = None,
    fleet_region: Annotated[
        str | None,
        typer.Option(
            help="Region the --fleet files were read in [default: the forecast's].",
            metavar="REGION",
        ),
    ] = None,
    lead_days: Annotated[
        str,
        typer.Option(help="Days from opening the request to receiving the IPs.", metavar="DAYS"),
    ] = "0",
    keep_days: Annotated[
        str,
        typer.Option(
            help="Keep an IP through a gap when it would be leased again within this many days "
            "of its release.",
            metavar="DAYS",
        ),
    ] = "0",
    today: Annotated[
        str | None,
        typer.Option(
            help="Today, for requests already late [default: today, UTC].", metavar="DATE"
        ),
    ] = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    min_per_region: MinPerRegionOption = None,
    az_failures: AzFailuresOption = None,
    azs: AzsOption = None,
    peak_factor: PeakFactorOption = None,
    curve: CurveOption = None,
    day_count: DayCountOption = None,
    lease_proration: LeaseProrationOption = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    zones_file: ZonesFileOption = None,
    fmt: FormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (atomically): plan.toml is a plan for ipcost budget, .csv the "
            "event log, .json, .md or .txt the report.",
            metavar="FILE",
        ),
    ] = None,
    plot: PlotOption = None,
) -> None:
    """From a monthly forecast to the leases and relinquishes that serve it, and their budget.

    Example: ipcost schedule data/forecast-2027.csv --az-failures 1 -o plan.toml
    """
    import planner
    from planner.edges.reports import render_schedule

    with _user_errors():
        kind = _output_format(
            fmt,
            output,
            [forecast, held_from, *(fleet or []), prices, regions_file, zones_file],
            plot,
            {".toml": "toml"},
        )
        if held and held_from is not None:
            raise InputError("held", held[0], "a plan (--held-from) was given too; give one")
        starting: dict[str, str] = {}
        for text in held or []:
            name, sep, count = text.partition("=")
            if not sep:
                raise InputError("held", text, "expected REGION=N or REGION/POOL=N")
            starting[name.strip()] = count.strip()
        result = planner.schedule(
            str(forecast),
            held=str(held_from) if held_from is not None else starting,
            lead_days=lead_days,
            keep_days=keep_days,
            today=today,
            curve=curve,
            day_count=day_count,
            lease_proration=lease_proration,
            prices=prices,
            regions_file=regions_file,
            zones_file=zones_file,
            fleet_files=fleet or (),
            fleet_region=fleet_region,
            per_ip_rate=per_ip_rate,
            profile=profile,
            utilization=utilization,
            min_per_region=min_per_region,
            az_failures=az_failures,
            azs=_azs(azs),
            peak_factor=peak_factor,
        )
        _warn(list(result.warnings))

        def draw() -> Figure:
            from planner.edges.plots import schedule_figure

            return schedule_figure(result)

        _emit(render_schedule(result, kind), output, plot, draw)


@app.command()
def fleet(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="AWS CLI JSON output: get-dedicated-ips pages (in order), get-dedicated-ip-pool "
            "per pool, list-dedicated-ip-pools, get-account.",
            metavar="FILE...",
        ),
    ],
    region: Annotated[
        str,
        typer.Option("--region", "-r", help="SES Region the files were read in.", metavar="REGION"),
    ] = "us-east-1",
    date: PriceDateOption = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The account's current dedicated IPs by pool, from the AWS CLI's own output.

    Example: ipcost fleet data/aws/get-dedicated-ips-1.json data/aws/get-dedicated-ips-2.json
    """
    from planner.edges.reports import render_fleet
    from planner.ops.fleets import fleet as read_fleet

    with _user_errors():
        kind = _output_format(fmt, output, [*files, prices, regions_file])
        result = read_fleet(files, region, date=date, prices=prices, regions_file=regions_file)
        _emit(render_fleet(result, kind), output)


@app.command()
def request(
    rate: Annotated[
        list[str] | None,
        typer.Option(help="Peak send rate [msg/s], once or once per --region.", metavar="MSG/S"),
    ] = None,
    daily_volume: Annotated[
        list[str] | None,
        typer.Option(help="Messages a day, instead of --rate.", metavar="MESSAGES"),
    ] = None,
    ips: Annotated[
        list[str] | None, typer.Option(help="IPs to ask for, instead of sizing.", metavar="N")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", "-r", help="SES Region; repeat for more.", metavar="REGION"),
    ] = None,
    relinquish: Annotated[
        str | None,
        typer.Option(help="Instead: the case text to relinquish N IPs in the Region.", metavar="N"),
    ] = None,
    forecast: Annotated[
        Path | None,
        typer.Option(
            help="Instead of a rate: a forecast CSV, scheduled as 'ipcost schedule' does.",
            metavar="FORECAST",
        ),
    ] = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    min_per_region: MinPerRegionOption = None,
    az_failures: AzFailuresOption = None,
    azs: AzsOption = None,
    peak_factor: PeakFactorOption = None,
    zones_file: ZonesFileOption = None,
    date: PriceDateOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """What to enter in the Support Center case for dedicated IPs, per Region (Markdown or JSON).

    Example: ipcost request --rate 450 --region us-east-1 --rate 120 --region eu-west-1
    """
    from planner.edges.reports import render_request

    with _user_errors():
        kind = _output_format(fmt, output, [zones_file, forecast])
        if kind not in ("markdown", "json", "table"):
            raise InputError("format", kind, "expected markdown or json")
        names = region or ["us-east-1"]
        if relinquish is not None:
            count = _whole("relinquish", relinquish)
            _emit(render_request(None, kind, relinquish=(names, count)), output)
            return
        if forecast is not None:
            import planner

            if rate or daily_volume or ips:
                raise InputError(
                    "forecast", str(forecast), "a rate, volume or IP count was given too"
                )
            plan = planner.schedule(
                str(forecast), per_ip_rate=per_ip_rate, profile=profile, utilization=utilization,
                min_per_region=min_per_region, az_failures=az_failures, azs=_azs(azs),
                peak_factor=peak_factor, zones_file=zones_file,
            )  # fmt: skip
            _emit(render_request(plan, kind), output)
            return
        from planner.ops.estimates import estimate as run_estimate

        result = run_estimate(
            names, rate=rate or None, daily_volume=daily_volume or None,
            ips=[_whole("ips", n) for n in ips] if ips else None, per_ip_rate=per_ip_rate,
            profile=profile, utilization=utilization, min_per_region=min_per_region,
            az_failures=az_failures, azs=_azs(azs), peak_factor=peak_factor, date=date,
            zones_file=zones_file,
        )  # fmt: skip
        _warn(result.warnings)
        _emit(render_request(result, kind), output)


class PlotBy(StrEnum):
    region = "region"
    pool = "pool"


@app.command()
def budget(
    plan: Annotated[
        Path,
        typer.Argument(help="The plan, a TOML file (see data/plan-2027.toml).", metavar="PLAN"),
    ],
    start: Annotated[
        str | None,
        typer.Option(
            help="First budget month, YYYY-MM [default: the plan's]; a later month starts with "
            "the fleet the plan's earlier events leave.",
            metavar="YYYY-MM",
        ),
    ] = None,
    months: Annotated[
        str | None,
        typer.Option(help="Months in the budget [default: the plan's, or 12].", metavar="N"),
    ] = None,
    events: Annotated[
        Path | None,
        typer.Option(
            help="Event-log CSV (date,region,action,count,pool,note), instead of the plan's events_file.",
            metavar="FILE",
        ),
    ] = None,
    per_ip_rate: PerIpRateOption = None,
    profile: ProfileOption = None,
    utilization: UtilizationOption = None,
    min_per_region: MinPerRegionOption = None,
    az_failures: AzFailuresOption = None,
    azs: AzsOption = None,
    peak_factor: PeakFactorOption = None,
    day_count: DayCountOption = None,
    lease_proration: LeaseProrationOption = None,
    curve: CurveOption = None,
    prices: PricesOption = None,
    regions_file: RegionsFileOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    plot: PlotOption = None,
    plot_by: Annotated[
        PlotBy,
        typer.Option(
            help="Stack the --plot bars by Region or by Region and pool.", case_sensitive=False
        ),
    ] = PlotBy.region,
) -> None:
    """Month-by-month budget of a plan of leases and relinquishes, per Region and pool.

    Sizing and billing options given here come before the plan's own settings.

    Example: ipcost budget data/plan-2027.toml -o budget.csv
    """
    import planner
    from planner.edges.reports import render_budget

    with _user_errors():
        the_plan = planner.read_plan(plan, events_file=events)
        kind = _output_format(fmt, output, [*the_plan.files, prices, regions_file], plot)
        frame = planner.budget(
            the_plan,
            start=start,
            months=_whole("months", months),
            prices=prices,
            regions_file=regions_file,
            per_ip_rate=per_ip_rate,
            profile=profile,
            utilization=utilization,
            min_per_region=min_per_region,
            az_failures=az_failures,
            azs=_azs(azs),
            peak_factor=peak_factor,
            day_count=day_count,
            lease_proration=lease_proration,
            curve=curve,
        )
        _warn(frame.attrs["warnings"])

        def draw() -> Figure:
            from planner.edges.plots import budget_figure

            return budget_figure(frame, by=plot_by.value)

        _emit(render_budget(frame, kind, the_plan.events), output, plot, draw)


def main() -> None:
    """Entry point of the ``ipcost`` script and of ``python -m planner``.

    typer builds every registered command's options when it starts, so a run that names
    a command gets an app of that command alone (the same command, options and root
    callback); ``ipcost``, ``ipcost --help`` and ``--version`` get the full app.
    """
    import sys

    name = sys.argv[1] if len(sys.argv) > 1 else ""
    chosen = [c for c in app.registered_commands if c.callback and c.callback.__name__ == name]
    target = app
    if chosen:
        target = _typer()
        target.registered_callback = app.registered_callback
        target.registered_commands = chosen
    target(prog_name="ipcost")


if __name__ == "__main__":  # pragma: no cover
    main()

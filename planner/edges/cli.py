"""The ``ipcost`` command line: parse, build the scenario, call one library function, print.

Options shared by several commands are declared once in :mod:`planner.edges.options`
and reach a command as one value; each command body parses its own options, builds
one :class:`~planner.Scenario`, calls one library function and prints or writes the
result. Errors the user can cause are :class:`~planner.errors.PlannerError`;
:func:`_user_errors` turns each into one ``Error: ...`` line on stderr and exit status 1.
A bad command line (an unknown option, a bad choice) is exit status 2. Data goes to
stdout, messages to stderr.

Start-up stays light: this module imports neither pandas nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from planner.edges.options import (
    BILLING,
    SCHEDULE_OUTPUT,
    SIZING,
    TIMING,
    CaseFormatOption,
    CaseOutputOption,
    Options,
    shared,
)
from planner.errors import InputError, PlannerError, UnknownNameError
from planner.files import typed

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _whole_words() -> None:
    """Help text breaks lines at spaces only: never inside a name such as us-east-1,
    get-dedicated-ips or --lease-proration, even where a word is longer than its line."""
    import textwrap

    from typer._click import _textwrap as wrapping  # typer 0.26 on carries its own click

    make = wrapping.TextWrapper.__init__

    def whole(self: Any, *args: Any, **kwargs: Any) -> None:
        make(self, *args, **{"break_on_hyphens": False, "break_long_words": False, **kwargs})

    wrapping.TextWrapper.__init__ = whole  # type: ignore[method-assign]
    wrapping.TextWrapper._handle_long_word = textwrap.TextWrapper._handle_long_word  # type: ignore[method-assign]


def _plain_arguments() -> None:
    """An argument shows as its metavar, as a person writes it: ``PLAN``, ``[FORECAST]``,
    ``FILE...``; not with the Python type behind it (``<list[Path]>``) or in braces."""
    from typer.core import TyperArgument

    def usage(self: Any) -> str:
        name = str(self.display_name_raw)
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    TyperArgument._usage_display_name = usage  # type: ignore[method-assign]


_whole_words()
_plain_arguments()


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

#: Library field names that are also option names (--per-ip-rate for per_ip_rate).
OPTION_FIELDS = {
    "rate", "daily_volume", "peak_factor", "ips", "region", "per_ip_rate", "profile",
    "utilization", "min_per_region", "az_failures", "azs", "date", "count", "held",
    "start", "months", "day_count", "lease_proration", "plot", "output", "curve", "warm",
    "partway", "days", "monthly_volume", "lead_days", "keep_days", "today", "held_from",
    "zones_file", "account_file", "relinquish", "format", "fleet_region", "ip", "fleet",
    "forecast", "mail_type", "website", "opt_in", "bounce_process", "aup", "contact_language",
    "usage", "why_dedicated", "plan", "pool", "quantile", "burst", "min_share", "period",
    "decimal_comma", "account_dir",
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
    typer.echo(f"Error: {message}", err=True)  # one line, whatever its length: grep finds it
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except PlannerError as exc:
        fail(cli_message(exc))


def _warn(messages: tuple[str, ...] | list[str]) -> None:
    from planner.edges.formats import wrap_prose

    for message in messages:
        typer.echo(wrap_prose(f"Warning: {message}"), err=True)


def _picture(name: str, *args: Any, **kwargs: Any) -> Callable[[], Figure]:
    """Draws ``planner.edges.plots.name(*args, **kwargs)`` when called: matplotlib is
    imported only when a picture is asked for."""

    def draw() -> Figure:
        from planner.edges import plots

        figure: Figure = getattr(plots, name)(*args, **kwargs)
        return figure

    return draw


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # only for --version: the installed one

        typer.echo(f"ipcost {version('ipcost')}")
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


@app.command()
@shared(SIZING, ("prices", "regions_file", "account_dir", "fmt", "output", "plot"))
def estimate(
    rate: list[str] | None = None,
    daily_volume: list[str] | None = None,
    ips: list[str] | None = None,
    region: list[str] | None = None,
    date: str | None = None,
    zones_file: Path | None = None,
    account_file: Path | None = None,
    *,
    opts: Options,
) -> None:
    """Size, spread and price the dedicated IPs for a send rate.

    Example: ipcost estimate --rate 300 --region us-east-1 --az-failures 1
    """
    from planner.edges.reports import render_estimate
    from planner.ops.estimates import estimate as run_estimate

    with _user_errors():
        kind = opts.kind([zones_file, account_file])
        scenario = opts.scenario(zones_file=zones_file, account_file=account_file, date=date)
        result = run_estimate(
            region or ["us-east-1"], rate=rate or None, daily_volume=daily_volume or None,
            ips=[typed.whole("ips", n) for n in ips] if ips else None, scenario=scenario,
        )  # fmt: skip
        _warn(result.warnings)

        def draw() -> Figure:
            from planner.edges.plots import estimate_figure

            return estimate_figure(result)

        opts.report(kind, result, render_estimate, draw)


@app.command()
@shared((), ("regions_file", "fmt", "output"))
def regions(*, opts: Options) -> None:
    """List the SES Regions with their Availability Zones (AZ IDs) and sources."""
    from planner.edges.reports import render_regions
    from planner.files.tables import load_regions

    _list(opts, lambda: load_regions(opts.regions_file), render_regions)


@app.command()
@shared((), ("prices", "regions_file", "fmt", "output"))
def prices(action: list[str] | None = None, map_file: Path | None = None, *, opts: Options) -> None:
    """List the effective-dated price book with its sources, or import AWS Price List files.

    Example: ipcost prices import AmazonSES-us-east-1.json -o prices.csv
    """
    from planner.edges.reports import render_prices
    from planner.files.tables import load_prices

    if not action:
        _list(opts, lambda: load_prices(opts.prices), render_prices)
        return
    with _user_errors():
        if action[0] != "import" or len(action) < 2:
            raise InputError("action", " ".join(action), "expected nothing, or import FILE...")
        from planner.files.pricelist import read_price_list

        kind = opts.kind([*action[1:], map_file])
        found = read_price_list(action[1:], mapping=map_file, regions_file=opts.regions_file)
        from planner.edges.formats import wrap_prose

        typer.echo(wrap_prose(found.summary()), err=True)
        opts.report(kind, found.merged(load_prices(opts.prices)), render_prices)


def _list(opts: Options, load: Callable[[], Any], render: Callable[[Any, str], str]) -> None:
    """A reference table, in the format asked for."""
    with _user_errors():
        kind = opts.kind()
        opts.report(kind, load(), render)


@app.command()
@shared(("day_count",), ("prices", "regions_file", "fmt", "output", "plot"))
def relinquish(
    region: str,
    count: str,
    date: str,
    held: str | None = None,
    *,
    opts: Options,
) -> None:
    """What relinquishing IPs mid-month charges and refunds, and what waiting costs.

    Example: ipcost relinquish --region us-east-1 --count 2 --date 2026-11-15
    """
    from planner.edges.reports import render_relinquish
    from planner.ops.relinquishes import relinquish as run_relinquish
    from planner.ops.relinquishes import relinquish_schedule as run_relinquish_schedule

    with _user_errors():
        kind = opts.kind()
        scenario = opts.scenario()  # read once: the answer and the picture's month both use it
        result = run_relinquish(region, typed.whole("count", count), date,
                                    held=typed.whole("held", held), scenario=scenario)  # fmt: skip

        def draw() -> Figure:
            from planner.edges.plots import relinquish_figure

            month = run_relinquish_schedule(
                result.region, result.date, result.count, scenario=scenario
            )
            return relinquish_figure(month, result.date)

        opts.report(kind, result, render_relinquish, draw)


@app.command()
@shared(
    ("curve", "per_ip_rate", "profile", "utilization"), ("regions_file", "fmt", "output", "plot")
)
def warmup(
    ips: str,
    rate: str,
    start: str,
    region: str = "us-east-1",
    warm: str = "0",
    partway: list[str] | None = None,
    days: str | None = None,
    *,
    opts: Options,
) -> None:
    """When new IPs carry a send rate: capacity, dedicated and overflow traffic by day.

    Example: ipcost warmup --ips 4 --rate 64 --start 2026-12-01 --per-ip-rate 40
    """
    from planner.edges.reports import render_warmup
    from planner.ops.warmups import warmup as run_warmup

    with _user_errors():
        kind = opts.kind()
        result = run_warmup(
            region, ips=typed.whole("ips", ips), rate=rate, start=start,
            warm=typed.whole("warm", warm), partway=typed.partway(partway or ()),
            days=typed.whole("days", days), scenario=opts.scenario(),
        )  # fmt: skip

        def draw() -> Figure:
            from planner.edges.plots import warmup_figure

            return warmup_figure(result)

        opts.report(kind, result, render_warmup, draw)


@app.command()
@shared(SIZING, ("prices", "regions_file", "account_dir", "fmt", "output", "plot"))
def compare(
    monthly_volume: list[str],
    region: list[str] | None = None,
    ips: list[str] | None = None,
    plan: str | None = None,
    history: list[Path] | None = None,
    account_file: Path | None = None,
    date: str | None = None,
    *,
    opts: Options,
) -> None:
    """Standard against managed dedicated IPs: the monthly cost of each and the break-even volume.

    Example: ipcost compare --monthly-volume 20000000 --region us-east-1
    """
    from planner.edges.reports import render_compare
    from planner.ops.comparisons import compare as run_compare

    with _user_errors():
        named = region or ["us-east-1"]
        if opts.account is not None and not history and len(named) == 1:
            history = opts.account.history_files(named[0])
        kind = opts.kind([account_file, *(history or [])])
        result = run_compare(
            named, monthly_volume=monthly_volume,
            ips=[typed.whole("ips", n) for n in ips] if ips else None, plan=plan,
            history=history or None, scenario=opts.scenario(date=date, account_file=account_file),
        )  # fmt: skip
        from planner.ops.comparisons import Comparisons

        each = result.regions if isinstance(result, Comparisons) else (result,)
        _warn([f"{c.region}: {w}" for c in each for w in c.warnings])

        def draw() -> Figure:
            from planner.edges.plots import compare_figure

            return compare_figure(result)

        opts.report(kind, result, render_compare, draw)


@app.command()
@shared((*SIZING, "curve", *BILLING, *TIMING),
        ("prices", "regions_file", "account_dir", "fmt", "output", "plot"),
        output=SCHEDULE_OUTPUT)  # fmt: skip
def schedule(
    forecast: Path | None = None,
    held: list[str] | None = None,
    held_from: Path | None = None,
    fleet: list[Path] | None = None,
    fleet_region: str | None = None,
    today: str | None = None,
    zones_file: Path | None = None,
    account_file: Path | None = None,
    quantile: list[str] | None = None,
    *,
    opts: Options,
) -> None:
    """From a monthly forecast to the leases and relinquishes that serve it, and their budget.

    FORECAST '-' is standard input, and so is no FORECAST when one is piped in:
    ipcost forecast HISTORY... -f csv | ipcost schedule --quantile 0.9

    Example: ipcost schedule data/forecast-2027.csv --az-failures 1 -o plan.toml
    """
    from planner.edges.reports import render_schedule
    from planner.model.checks import as_float
    from planner.ops.schedules import schedule as run_schedule
    from planner.ops.schedules import schedule_quantiles as run_schedule_quantiles

    with _user_errors(), _standard_input(forecast) as forecast:
        kind = opts.kind([forecast, held_from, *(fleet or []), zones_file, account_file],
                         {".toml": "toml"})  # fmt: skip
        asked = [float(as_float("quantile", q)) for q in quantile or ()]
        if not (held or held_from):  # else the account's fleet, from --account-dir
            fleet, fleet_region = opts.account_fleet(fleet, fleet_region, "fleet_region")
        common: dict[str, Any] = dict(held=held, held_from=held_from,
                      fleet_files=fleet or (), fleet_region=fleet_region,
                      scenario=opts.scenario(zones_file=zones_file, account_file=account_file,
                                             today=today))  # fmt: skip
        if len(asked) > 1:
            from planner.edges.reports import render_quantile_plans

            if kind == "toml":
                raise InputError("quantile", ", ".join(quantile or ()), "several quantiles "
                                 "compare plans as a table, JSON or a picture; give one for a "
                                 "plan file")  # fmt: skip
            several = run_schedule_quantiles(str(forecast), asked, **common)
            _warn(sorted({w for p in several.plans for w in p.warnings}))
            opts.report(kind, several, render_quantile_plans,
                        _picture("quantile_plans_figure", several))  # fmt: skip
            return
        result = run_schedule(str(forecast), quantile=asked[0] if asked else None, **common)
        _warn(list(result.warnings))
        opts.report(kind, result, render_schedule, _picture("schedule_figure", result))


@contextmanager
def _standard_input(path: Path | None) -> Iterator[Path]:
    """``path``, or for ``-`` (or none, with something piped in) standard input kept in a
    temporary file while the command reads it (a forecast is read once per quantile)."""
    import sys

    if path is None and sys.stdin.isatty():
        raise InputError("forecast", "none", "expected a forecast CSV, or one piped in "
                         "(ipcost forecast ... -f csv | ipcost schedule)")  # fmt: skip
    if path is not None and str(path) != "-":
        yield path
        return
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "standard-input.csv"
        kept.write_bytes(sys.stdin.buffer.read())
        try:
            yield kept
        except PlannerError as exc:  # errors name what the user gave: '-'
            exc.args = tuple(str(a).replace(str(kept), "-") for a in exc.args)
            raise


@app.command()
@shared((), ("account_dir", "fmt", "output", "plot"))
def forecast(
    history: list[Path] | None = None,
    region: str | None = None,
    pool: str = "default",
    months: str = "12",
    quantile: list[str] | None = None,
    burst: str | None = None,
    min_share: str = "0.9",
    period: str | None = None,
    today: str | None = None,
    backtest: bool = False,
    *,
    opts: Options,
) -> None:
    """Monthly peak rates ahead, with their spread, from the account's send history.

    The method is chosen on your own history by rolling-origin backtests; --backtest shows
    how it did there, month by month ahead, against the same month last year.

    Example: ipcost forecast data/history/*.json --region us-east-1 -o forecast.csv
    """
    from planner.edges.reports import render_backtest, render_forecast
    from planner.model.checks import as_date, as_float, today_utc
    from planner.ops.forecasting import forecast as run

    with _user_errors():
        history, region = opts.from_account(history, region, "history", "the send history's files")
        kind = opts.kind(history)
        if backtest and kind == "xlsx":
            raise InputError("output", str(opts.output), "--backtest writes a report; expected "
                             "a file name ending .txt, .csv, .json or .md")  # fmt: skip
        result = run(
            history, region=region or "us-east-1", pool=pool, months=typed.whole("months", months) or 0,
            quantiles=[float(as_float("quantile", q)) for q in quantile or ()],
            burst=None if burst is None else float(as_float("burst", burst)),
            min_share=float(as_float("min_share", min_share)),
            period=typed.whole("period", period),
            today=as_date("today", today) if today else today_utc(),
        )  # fmt: skip
        _warn(list(result.warnings))

        def draw() -> Figure:
            from planner.edges.plots import backtest_figure, forecast_figure

            return backtest_figure(result) if backtest else forecast_figure(result)

        opts.report(kind, result, render_backtest if backtest else render_forecast, draw)


@app.command()
@shared((), ("prices", "regions_file", "account_dir", "fmt", "output"))
def fleet(
    files: list[Path] | None = None,
    region: str | None = None,
    date: str | None = None,
    *,
    opts: Options,
) -> None:
    """The account's current dedicated IPs by pool, from the AWS CLI's own output.

    Example: ipcost fleet data/aws/get-dedicated-ips-1.json data/aws/get-dedicated-ips-2.json
    """
    from planner.edges.reports import render_fleet
    from planner.ops.fleets import fleet as run_fleet

    with _user_errors():
        files, region = opts.from_account(files, region, "files", "the AWS CLI's output files")
        kind = opts.kind(files)
        result = run_fleet(files, region or "us-east-1", scenario=opts.scenario(date=date))
        opts.report(kind, result, render_fleet)


@app.command()
@shared((*SIZING, *TIMING), ("account_dir", "fmt", "output"), fmt=CaseFormatOption,
        output=CaseOutputOption)  # fmt: skip
def request(
    rate: list[str] | None = None,
    daily_volume: list[str] | None = None,
    ips: list[str] | None = None,
    region: list[str] | None = None,
    forecast: Path | None = None,
    quantile: str | None = None,
    relinquish: str | None = None,
    ip: list[str] | None = None,
    fleet: list[Path] | None = None,
    held: str | None = None,
    mail_type: str | None = None,
    website: str | None = None,
    opt_in: str | None = None,
    bounce_process: str | None = None,
    aup: str | None = None,
    contact_language: str | None = None,
    usage: str | None = None,
    why_dedicated: str | None = None,
    zones_file: Path | None = None,
    account_file: Path | None = None,
    date: str | None = None,
    today: str | None = None,
    *,
    opts: Options,
) -> None:
    """The Support Center case for dedicated IPs, box by box as the form asks for it.

    One case per filing date: the case classification once, a request block per Region,
    one use-case description, the contact language; what only you know is your answer or
    a visible placeholder.

    Example: ipcost request --rate 450 --region us-east-1 --rate 120 --region eu-west-1
    """
    from planner.edges.reports import render_request
    from planner.files.form import QUESTIONS
    from planner.model.checks import as_float
    from planner.ops.cases import Answers
    from planner.ops.cases import request as run_request

    with _user_errors():
        kind = opts.kind([zones_file, account_file, forecast, *(fleet or [])],
                         extra={".txt": "text"})  # fmt: skip
        if kind not in ("text", "markdown", "json", "table"):
            raise InputError("output", str(opts.output), "the case is text to paste; expected "
                             "a file name ending .txt, .md or .json")  # fmt: skip
        if (forecast or relinquish) and not held:  # else the account's fleet, if given
            fleet, _ = opts.account_fleet(fleet, region[0] if region and len(region) == 1 else None)
        answers = {q: v for q, v in locals().items() if q in QUESTIONS}  # the form's, as typed
        cases = run_request(
            region or ["us-east-1"], rate=rate or None, daily_volume=daily_volume or None,
            ips=[typed.whole("ips", n) for n in ips] if ips else None, forecast=forecast,
            quantile=None if quantile is None else float(as_float("quantile", quantile)),
            relinquish=relinquish, addresses=ip or (), fleet_files=fleet or (), held=held,
            answers=Answers.of(answers),
            scenario=opts.scenario(zones_file=zones_file, account_file=account_file, date=date,
                                   today=today),
        )  # fmt: skip
        _warn(cases.warnings)
        opts.emit(render_request(cases, "text" if kind == "table" else kind))


@app.command()
@shared(())
def snapshot(
    region: list[str] | None = None,
    output: Path | None = None,
    profile: str | None = None,
    policy: bool = False,
    *,
    opts: Options,
) -> None:
    """Read, read-only, what the planner needs from the AWS account into a folder.

    In each Region: the quota and pricing plan, every dedicated IP and pool, the AZs, the
    Send metric hourly for 455 days and per minute for 15 days; once, the SES price list.
    Each file is the JSON the AWS CLI prints. Needs boto3: pip install 'ipcost[aws]'.

    Example: ipcost snapshot --region us-east-1 -o my-account
    """
    import json
    import sys

    from planner.ops.snapshots import policy as read_policy
    from planner.ops.snapshots import snapshot as run_snapshot

    if policy:
        typer.echo(json.dumps(read_policy(), indent=2))
        return
    with _user_errors():
        if output is None:
            raise InputError("output", "none", "expected -o DIR, the snapshot's folder",
                             missing=True)  # fmt: skip
        tell = (lambda line: typer.echo(line, err=True)) if sys.stderr.isatty() else None
        try:
            done = run_snapshot(region or [], output, profile=profile, progress=tell)
        except KeyboardInterrupt:
            fail(f"interrupted; {output} is as it was", 130)
        _warn(list(done.warnings))
        hours = sum(r.hours_added for r in done.regions)
        typer.echo(f"Wrote {done.folder}: account {done.account_id}, "
                   f"{', '.join(r.region for r in done.regions)}; {done.prices} priced "
                   f"products; {hours:,} hours of send history new to it", err=True)  # fmt: skip


class PlotBy(StrEnum):
    region = "region"
    pool = "pool"


@app.command()
@shared((*SIZING, *BILLING, "curve"), ("prices", "regions_file", "fmt", "output", "plot"))
def budget(
    plan: Path,
    start: str | None = None,
    months: str | None = None,
    events: Path | None = None,
    plot_by: PlotBy = PlotBy.region,
    *,
    opts: Options,
) -> None:
    """Month-by-month budget of a plan of leases and relinquishes, per Region and pool.

    Sizing and billing options given here come before the plan's own settings.

    Example: ipcost budget data/plan-2027.toml -o budget.csv
    """
    from planner.edges.reports import render_budget
    from planner.files.plans import read_plan
    from planner.ops.budgets import budget as run_budget

    with _user_errors():
        the_plan = read_plan(plan, events_file=events)
        kind = opts.kind(the_plan.files)
        result = run_budget(the_plan, start=start, months=typed.whole("months", months),
                            scenario=opts.scenario(plan=the_plan))  # fmt: skip
        _warn(result.warnings)

        def draw() -> Figure:
            from planner.edges.plots import budget_figure

            return budget_figure(result, by=plot_by.value)

        opts.report(kind, result, render_budget, draw)


def main() -> None:
    """Entry point of the ``ipcost`` script and of ``python -m planner``.

    typer builds every registered command's options when it starts, so a run that names
    a command gets an app of that command alone (the same command, options and root
    callback); ``ipcost``, ``ipcost --help`` and ``--version`` get the full app.
    """
    import sys

    for command in app.registered_commands:  # ipcost alone: each summary whole, wrapped
        if command.callback and command.callback.__doc__ and not command.short_help:
            command.short_help = " ".join(command.callback.__doc__.split("\n\n")[0].split())
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

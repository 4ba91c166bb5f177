"""Forecasts from send history: generated histories with a known trend and seasonality
are recovered over a held-out year; the rules around the fit (gaps, too few months,
quantiles) and the path to a schedule."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from planner.edges.cli import app
from planner.errors import InputError
from planner.files.history import SendHistory
from planner.ops.forecasting import forecast
from planner.ops.schedules import schedule

runner = CliRunner()
HISTORY = Path(__file__).resolve().parents[1] / "data" / "history"


def _truth(n):
    """The generator's monthly peak [msg/s]: 2 % growth a month, +-20 % over a year."""
    i = np.arange(n)
    return 100 * (1 + 0.02 * i) * (1 + 0.2 * np.sin(2 * np.pi * i / 12))


def _history(n, seed=0, noise=0.03, first="2022-01"):
    """Daily buckets: each month's busiest day runs at its peak (times noise), the other
    days at 60 % of it. The truth is the daily peak, so forecasts read it with burst 1."""
    rng = np.random.default_rng(seed)
    starts, sent = [], []
    for k, peak in enumerate(_truth(n)):
        month = np.datetime64(first) + k
        days = np.arange(month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]"))
        level = peak * rng.normal(1, noise)
        rate = np.full(len(days), 0.6 * level)
        rate[rng.integers(len(days))] = level
        starts.extend(days.astype("datetime64[s]"))
        sent.extend(rate * 86_400)
    n_b = len(starts)
    return SendHistory(np.array(starts), np.full(n_b, 86_400), np.array(sent),
                       np.zeros(n_b, dtype=np.int64), ("generated",))  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_a_known_trend_and_season_are_recovered_over_a_held_out_year(seed):
    # Four years fitted (2022-2025), the fifth held out.
    f = forecast(_history(48, seed), months=12, burst=1.0)
    truth = _truth(60)[48:]
    # Chosen on the history itself: no worse there than the same month last year.
    # A steady 2 % a month: a method that follows the growth has under half the seasonal
    # naive's error on this history, so it is trusted alone, not blended.
    assert f.method in {"seasonal naive with growth", "seasonal smoothing"}
    assert f.backtest.scores[f.method] < 0.5 * f.backtest.scores["seasonal naive"]
    assert f.backtest.ratio_to_naive <= 1.0
    assert [str(m) for m in f.months] == [f"2026-{m:02d}" for m in range(1, 13)]
    # The p50 within 5 % of the truth on average (the noise is 3 %). A method that repeats
    # last year's month carries that month's noise too: sd 3 % x sqrt(2) = 4.2 %, so the
    # worst of 12 months stays under 15 % (3.5 sd).
    error = np.abs(f.column(0.5) - truth) / truth
    assert error.mean() < 0.05
    assert error.max() < 0.15
    # The p10-p90 band covers the truth in most held-out months.
    covered = (f.column(0.1) <= truth) & (truth <= f.column(0.9))
    assert covered.sum() >= 7


def test_quantiles_never_cross_and_a_run_repeats():
    f = forecast(_history(30, 5), months=18, quantiles=[0.05, 0.95, 0.75], burst=1.0)
    assert f.quantiles == (0.05, 0.1, 0.5, 0.75, 0.9, 0.95)
    assert np.all(np.diff(f.values, axis=1) >= 0)
    again = forecast(_history(30, 5), months=18, quantiles=[0.05, 0.95, 0.75], burst=1.0)
    assert np.array_equal(f.values, again.values)


def test_few_months_repeat_the_last_and_say_so():
    f = forecast(_history(4), months=3, burst=1.0)
    assert f.method == "last month"
    assert "less than a year of history" in f.model
    # From a year and a month the seasonal naive is the bar every candidate is scored against.
    g = forecast(_history(14), months=3, burst=1.0)
    assert "seasonal naive" in g.backtest.scores


def test_bands_are_ordered_positive_and_wider_further_ahead():
    for n in (4, 14, 15, 24, 40):
        f = forecast(_history(n, 3), months=24, quantiles=[0.05, 0.95], burst=1.0)
        assert np.all(f.values > 0)
        assert np.all(np.diff(f.values, axis=1) >= 0)
        # p10-p90 relative width never narrows with the horizon.
        width = np.log(f.column(0.9)) - np.log(f.column(0.1))
        assert np.all(np.diff(width) >= -1e-12), n
        assert np.isfinite(f.values).all()
        json.dumps(f.to_dict(), allow_nan=False)


def test_a_partly_seen_month_is_floored_at_its_peak():
    # 30 complete months, then 5 days of the next whose busiest day ran at 400 msg/s:
    # far above anything before (the truth peaks near 190), so every quantile of that
    # month is at least 400.
    h = _history(30, 1)
    first = np.datetime64("2022-01") + 30
    days = np.arange(first.astype("datetime64[D]"), first.astype("datetime64[D]") + 5)
    start = np.concatenate([h.start, days.astype("datetime64[s]")])
    sent = np.concatenate([h.sent, np.full(5, 400.0 * 86_400)])
    n_b = len(start)
    seen = SendHistory(start, np.full(n_b, 86_400), sent, np.zeros(n_b, dtype=np.int64),
                       ("generated",))  # fmt: skip
    f = forecast(seen, months=3, burst=1.0)
    assert str(f.months[0]) == "2024-07"
    assert np.all(f.values[0] >= 400.0)


def test_coarse_buckets_without_minute_data_or_a_burst_are_refused():
    # Daily buckets alone: the peak second is unknown, so the forecast would plan too few.
    with pytest.raises(InputError, match="finest buckets of 86,400 s") as e:
        forecast(_history(20), months=3)
    assert "1-minute Send Sum of the last 15 days" in str(e.value)
    assert "--burst RATIO" in str(e.value)
    assert forecast(_history(20), months=3, burst=1.0).values.shape == (3, 3)
    # Given, the burst scales every month's daily peak to the peak second: the history's
    # busiest day each month (its largest bucket's sends / 86,400 s) times 2.6.
    h = _history(20)
    by_month = h.start.astype("datetime64[M]")
    busiest = [h.sent[by_month == m].max() / 86_400 for m in np.unique(by_month)]
    read = forecast(h, months=3, burst=2.6).history
    assert read.peak_rate.tolist() == pytest.approx([2.6 * b for b in busiest])


def test_too_few_months_gaps_and_zeros_are_errors():
    with pytest.raises(InputError, match="at least 3 complete months"):
        forecast(_history(2), burst=1.0)
    h = _history(8)
    keep = (h.start < np.datetime64("2022-03-01")) | (h.start >= np.datetime64("2022-05-01"))
    gap = SendHistory(h.start[keep], h.period[keep], h.sent[keep], h.source[keep], h.files)
    with pytest.raises(
        InputError, match="2022-03, 2022-04. is not allowed; months missing or partial"
    ):
        forecast(gap, burst=1.0)
    zero = SendHistory(h.start, h.period, h.sent * 0, h.source, h.files)
    with pytest.raises(InputError, match="all zeros"):
        forecast(zero, burst=1.0)
    with pytest.raises(InputError, match="quantile"):
        forecast(h, quantiles=[1.5], burst=1.0)


def test_the_cli_writes_a_forecast_that_schedule_plans_from_by_quantile(tmp_path):
    shipped = [str(HISTORY / "send-daily-2024-10-to-2026-11.json"),
               str(HISTORY / "send-hourly-2025-09-to-2026-11.json"),
               str(HISTORY / "send-minute-2026-11-15-to-2026-11-29.json")]  # fmt: skip
    out = tmp_path / "forecast.csv"
    result = runner.invoke(app, ["forecast", *shipped, "--today", "2026-11-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text().splitlines()[0]
    assert (
        header == "month,region,pool,peak_rate,p10,p50,p90,method,history_months,backtest_coverage"
    )
    # schedule --quantile 0.9 plans from p90: the same as a forecast whose peak_rate is p90.
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    p90 = tmp_path / "p90.csv"
    p90.write_text("month,region,pool,peak_rate\n"
                   + "".join(f"{r[0]},{r[1]},{r[2]},{r[6]}\n" for r in rows))  # fmt: skip
    by_column = schedule(out, quantile=0.9, today="2026-11-30")
    by_hand = schedule(p90, today="2026-11-30")
    assert by_column.months["ips_needed"].tolist() == by_hand.months["ips_needed"].tolist()
    assert by_column.to_dict()["budget"] == by_hand.to_dict()["budget"]
    lower = schedule(out, quantile=0.1, today="2026-11-30")
    assert lower.months["ips_needed"].sum() <= by_column.months["ips_needed"].sum()


def test_the_cli_json_carries_history_burst_model_and_forecast():
    shipped = [str(HISTORY / "send-daily-2024-10-to-2026-11.json"),
               str(HISTORY / "send-hourly-2025-09-to-2026-11.json"),
               str(HISTORY / "send-minute-2026-11-15-to-2026-11-29.json")]  # fmt: skip
    result = runner.invoke(app, ["forecast", *shipped, "--today", "2026-11-30", "-f", "json",
                                 "--months", "3", "--quantile", "0.95"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"history", "burst_ratio", "model", "forecast"}
    assert data["backtest"]["method"] == data["model"]["method"]
    # The why names the rule that chose the method: the growth-scaled naive's error is
    # under half the seasonal naive's (0.129 against 0.275 / 2 = 0.1375), so it stands alone.
    why = data["model"]["why"]
    assert why.startswith("seasonal naive with growth beat the seasonal naive clearly, with "
                          "at most half its error")  # fmt: skip
    scores = data["backtest"]["scores"]
    assert scores["seasonal naive with growth"] <= scores["seasonal naive"] / 2
    # Its bands are its errors alone (a naive method's), enough of them to give p95 (19).
    assert data["backtest"]["outcomes"] >= 19
    assert data["model"]["bands"].endswith("past errors alone (enough for every quantile "
                                           "asked; a naive method's band is its errors)")  # fmt: skip
    assert result.stderr == ""  # the 1-minute download is there: no warning
    assert data["history"][0] == {**data["history"][0], "month": "2024-10", "period": 86400}
    # The archive's daily months and the hourly months are both scaled to the minute's
    # peak, each by its ratio measured on the 15 days the minute data covers.
    bursts = {(b["period"], b["finest"]): b for b in data["burst_ratio"]}
    assert set(bursts) == {(86400, 60), (3600, 60)}
    assert all(b["months"] == ["2026-11"] and b["spread"] > 0 for b in bursts.values())
    assert [set(r) for r in data["forecast"]] == [{"month", "p10", "p50", "p90", "p95"}] * 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quantile", "2"], "Error: --quantile: 2"),
        (["--burst", "0.5"], "Error: --burst: 0.5"),
        (["--today", "2026-10-15"], "is after today (2026-10-15)"),
        (["--months", "0"], "Error: --months: 0"),
    ],
)
def test_cli_errors_are_one_line(args, message):
    shipped = [str(HISTORY / "send-daily-2024-10-to-2026-11.json")]
    result = runner.invoke(app, ["forecast", *shipped, "--today", "2026-11-30", *args])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert message in result.output


def test_two_quantiles_side_by_side_name_the_months_a_plan_falls_short(tmp_path):
    # One month, p50 30 msg/s and p90 60 msg/s. A warm IP carries 34.72 x 0.8 = 27.78
    # msg/s (sendgrid profile, 80 %): p50 needs the minimum 2 IPs (55.56 msg/s), below
    # p90's 60; p90 needs ceil(60 / 27.78) = 3 (83.33 msg/s), above p50's 30.
    csv = tmp_path / "forecast.csv"
    csv.write_text("month,region,pool,peak_rate,p10,p50,p90\n"
                   "2027-03,us-east-1,default,30,20,30,60\n")  # fmt: skip
    result = runner.invoke(app, ["schedule", str(csv), "--quantile", "0.5", "--quantile", "0.9",
                                 "--today", "2027-01-01", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["quantile"] for p in data["plans"]] == [0.5, 0.9]
    assert [p["months"][0]["ips_needed"] for p in data["plans"]] == [2, 3]
    assert data["short"] == [
        {"plan": 0.5, "against": 0.9, "months": ["2027-03 us-east-1/default"]},
        {"plan": 0.9, "against": 0.5, "months": []},
    ]
    # Warm for March under the 45-day linear warm-up: leased 2027-01-16 (day 45 is
    # March 1). Per IP: 24.95 x 16/31 = 12.877 -> 12.88 for January, then 24.95 for
    # February and for March: 62.78; x 2 = 125.56 and x 3 = 188.34.
    assert [p["budget"]["charge"] for p in data["plans"]] == ["125.56", "188.34"]
    text = runner.invoke(app, ["schedule", str(csv), "--quantile", "0.5", "--quantile", "0.9",
                               "--today", "2027-01-01"])  # fmt: skip
    said = " ".join(text.stdout.split())
    assert (
        "p50 plan: warm capacity on the month's first day is below the p90 peak in "
        "us-east-1/default 2027-03"
    ) in said
    toml = runner.invoke(app, ["schedule", str(csv), "--quantile", "0.5", "--quantile", "0.9",
                               "-o", str(tmp_path / "plan.toml")])  # fmt: skip
    assert toml.exit_code == 1
    assert "give one for a plan file" in toml.output


def test_the_fan_draws_the_median_and_a_band_per_pair_of_quantiles():
    from matplotlib.collections import PolyCollection

    from planner.edges.plots import forecast_fan

    f = forecast(_history(30, 2), months=6, quantiles=[0.05, 0.95], burst=1.0)
    ax = forecast_fan(f)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["p50"].get_ydata()) == list(f.column(0.5))
    assert list(lines["monthly peak (fitted)"].get_ydata()) == list(f.history.peak_rate)
    bands = [c.get_label() for c in ax.collections if isinstance(c, PolyCollection)]
    # Quantiles 0.05, 0.1, 0.5, 0.9, 0.95: the pairs (0.05, 0.95) and (0.1, 0.9).
    assert bands == ["p5 to p95", "p10 to p90"]


def test_calibration_on_known_truths():
    # 36 months of the generator, 8 seeds, the next 12 months held out: the p10-p90 bands
    # hold the truth in most months pooled (the old single-model bands held it in none of
    # 12), and the p50 stays within 8 % on average.
    inside, error = [], []
    for seed in range(8):
        f = forecast(_history(36, seed), months=12, burst=1.0)
        truth = _truth(48)[36:]
        inside.extend(((f.column(0.1) <= truth) & (truth <= f.column(0.9))).tolist())
        error.append(np.mean(np.abs(f.column(0.5) - truth) / truth))
    assert 0.6 <= np.mean(inside) <= 0.95
    assert np.mean(error) < 0.08
    # 15 months (all CloudWatch keeps hourly): the seasonal naive, deliberately; it cannot
    # see a 24 %-a-year growth, and its bands say so: they hold the truth, p50 above 0.
    for seed in range(4):
        f = forecast(_history(15, seed), months=12, burst=1.0)
        truth = _truth(27)[15:]
        assert f.method == "seasonal naive"
        assert np.mean((f.column(0.1) <= truth) & (truth <= f.column(0.9))) >= 0.9
        assert np.all(f.column(0.5) > 0)


def test_schedule_takes_every_forecast_ipcost_writes(tmp_path):
    # The shipped download and generated 15-month histories, one at a trickle (peaks near
    # 0.01 msg/s): each forecast's CSV, piped to 'ipcost schedule -', plans at p50 and p90.
    shipped = [str(HISTORY / "send-hourly-2025-09-to-2026-11.json"),
               str(HISTORY / "send-minute-2026-11-15-to-2026-11-29.json")]  # fmt: skip
    made = runner.invoke(app, ["forecast", *shipped, "--today", "2026-11-30", "-f", "csv"])
    assert made.exit_code == 0, made.stderr
    texts = [made.stdout]
    for seed, scale in ((0, 1.0), (1, 1e-4)):
        h = _history(15, seed, first="2025-01")
        small = SendHistory(h.start, h.period, h.sent * scale, h.source, h.files)
        frame = forecast(small, months=12, burst=1.0).to_frame()
        texts.append(frame.to_csv(index=False))
    for text in texts:
        for q in ("0.5", "0.9"):
            planned = runner.invoke(app, ["schedule", "-", "--quantile", q, "--today",
                                          "2026-11-30"], input=text)  # fmt: skip
            assert planned.exit_code == 0, planned.stderr
    # With nothing named, a piped forecast is read all the same.
    piped = runner.invoke(app, ["schedule", "--quantile", "0.9", "--today", "2026-11-30"],
                          input=texts[0])  # fmt: skip
    assert piped.exit_code == 0, piped.stderr
    assert "2026-12" in piped.stdout


def test_a_candidate_displaces_the_seasonal_naive_only_when_clearly_better():
    from planner.ops.forecasting import LAST_MONTH, METHODS, Blend, Runs, _beats

    def runs(per_origin):
        errors = np.repeat(per_origin, 2)  # two months ahead from each origin, same error
        origins = np.repeat(np.arange(len(per_origin)), 2)
        return Runs(errors, np.tile([1, 2], len(per_origin)), origins, np.ones(len(errors)))

    naive = runs([0.3, 0.3, 0.31])
    # Gaps -0.2, -0.2, -0.21: mean -0.203, standard error 0.0033: clearly better.
    assert _beats(runs([0.1, 0.1, 0.1]), naive)
    # Gaps -0.2, +0.2, -0.1 (errors 0.1, 0.5, 0.21): mean -0.033 but a standard error of
    # 0.12: two of them above zero, so not clearly better.
    assert not _beats(runs([0.1, 0.5, 0.21]), naive)
    # Two origins are too few to tell.
    assert not _beats(runs([0.1, 0.1]), runs([0.3, 0.3]))
    # A blend's forecast is the geometric mean of its parts': sqrt(13 x 24) for month 25
    # of 1..24 (the same month a year before is 13, the last month 24).
    y = np.arange(1.0, 25.0)
    blend = Blend("b", 12, "both", (METHODS[0], LAST_MONTH))
    assert np.isclose(blend.point(y, 1)[0], np.sqrt(13 * 24))


def _hourly_and_minute(months=24, seed=0):
    """Hourly Sums for ``months`` months from 2024-01 and 1-minute Sums for the last
    month. Each month's busiest hour averages half its true peak; within an hour the
    busiest minute runs at twice the hour's average, so the true peak second (as far as
    1-minute data shows it) is the generator's truth, and hourly data alone reads half."""
    rng = np.random.default_rng(seed)
    truth = _truth(months) * rng.normal(1, 0.02, months)
    starts, periods, sent = [], [], []
    for k, peak in enumerate(truth):
        first = (np.datetime64("2024-01") + k).astype("datetime64[h]")
        hours = np.arange(first, (np.datetime64("2024-01") + k + 1).astype("datetime64[h]"))
        hour_rate = np.full(len(hours), 0.2 * peak)
        hour_rate[rng.integers(len(hours))] = 0.5 * peak
        starts.append(hours.astype("datetime64[s]"))
        periods.append(np.full(len(hours), 3600))
        sent.append(hour_rate * 3600)
        if k == months - 1:  # the last month per minute too: twice the hour's average first
            minute = np.array([2.0] + [58 / 59] * 59)
            starts.append((hours.astype("datetime64[m]")[:, None] + np.arange(60)).ravel()
                          .astype("datetime64[s]"))  # fmt: skip
            periods.append(np.full(len(hours) * 60, 60))
            sent.append((hour_rate[:, None] * minute * 60).ravel())
    start, period, count = (np.concatenate(a) for a in (starts, periods, sent))
    order = np.lexsort((start, period))
    history = SendHistory(start[order], period[order], count[order],
                          np.zeros(len(start), dtype=np.int64), ("generated",))  # fmt: skip
    return history, truth


def test_hourly_history_with_a_month_per_minute_reads_the_peak_second():
    history, _ = _hourly_and_minute()
    # Hourly data alone would read half the peak: refused without the minute month.
    hourly_only = SendHistory(*(a[history.period == 3600] for a in (history.start,
                              history.period, history.sent, history.source)), history.files)  # fmt: skip
    with pytest.raises(InputError, match="finest buckets of 3,600 s"):
        forecast(hourly_only, months=12)
    f = forecast(history, months=12)
    (burst,) = f.history.bursts
    # The busiest minute over the busiest hour's average: 2, measured on the last month.
    assert np.isclose(burst.ratio, 2.0)
    assert burst.months == ("2025-12",)
    # The complete months read at the peak second, as the generator's truth (2 % noise).
    truth = _truth(36)
    read = f.history.peak_rate[~f.history.partial]
    assert np.allclose(read[:23], truth[:23], rtol=0.07)
    # A year ahead: the p50 near the truth on average, the band holding most months.
    ahead = truth[24:]
    assert np.mean(np.abs(f.column(0.5) - ahead) / ahead) < 0.08
    assert np.mean((f.column(0.1) <= ahead) & (ahead <= f.column(0.9))) >= 0.6


def test_a_forecast_schedules_as_its_file_does(tmp_path):
    # planner.schedule takes the Forecast itself (or its frame): the same leases and the
    # same money as the CSV it writes, which ipcost schedule reads.
    import planner
    from planner.edges.reports import render_forecast

    f = forecast(
        [
            HISTORY / "send-hourly-2025-09-to-2026-11.json",
            HISTORY / "send-minute-2026-11-15-to-2026-11-29.json",
        ],
        today="2026-11-30",
    )
    path = tmp_path / "f.csv"
    path.write_text(render_forecast(f, "csv"), encoding="utf-8")
    for q in (None, 0.9):
        direct = planner.schedule(f, quantile=q, today="2026-11-30", held={"us-east-1": 40})
        framed = planner.schedule(f.to_frame(), quantile=q, today="2026-11-30",
                                  held={"us-east-1": 40})  # fmt: skip
        filed = planner.schedule(path, quantile=q, today="2026-11-30", held={"us-east-1": 40})
        for s in (direct, framed):
            assert s.budget.totals["charge"] == filed.budget.totals["charge"]
            assert [(e.date, e.action, e.count) for e in s.events] == [
                (e.date, e.action, e.count) for e in filed.events]  # fmt: skip
    with pytest.raises(planner.InputError, match="no p95 column"):
        planner.schedule(f, quantile=0.95, today="2026-11-30")


def test_every_output_carries_one_rounding_of_each_rate():
    # The example's January p90 is 1,362.58499...: rounded once it is 1,362.58 in the
    # frame, the CSV schedule reads, the JSON and the text alike. Rounding it to 4
    # decimals first (1,362.585) and then to 2 would give 1,362.59 in one place only.
    from decimal import ROUND_HALF_EVEN, Decimal

    files = [HISTORY / "send-hourly-2025-09-to-2026-11.json",
             HISTORY / "send-minute-2026-11-15-to-2026-11-29.json"]  # fmt: skip
    f = forecast(files, today="2026-11-30")
    raw = f.column(0.9)
    # The independent rounding: the exact binary value, to the cent, ties to even.
    once = [str(Decimal(float(v)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)) for v in raw]
    assert once[1] == "1362.58"
    args = ["forecast", *map(str, files), "--today", "2026-11-30"]
    csv_rows = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()[1:]
    assert [r.split(",")[6] for r in csv_rows] == once
    shown = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)["forecast"]
    assert [f"{row['p90']:.2f}" for row in shown] == once
    assert [f"{v:.2f}" for v in f.to_frame()["p90"]] == once
    text = runner.invoke(app, args).stdout
    assert all(f"{float(v):,.2f}" in text for v in once)


def test_the_backtest_report_says_why_how_much_it_can_judge_and_where_the_bands_come_from():
    # 15 complete months: every candidate is scored from the origins all can train on, 13
    # months (the growth-scaled naive's least) and 14, over the 2 and 1 months after them:
    # 2 origins, 3 outcomes, 3 errors (under 9: too few for p10 and p90).
    args = ["forecast", str(HISTORY / "send-hourly-2025-09-to-2026-11.json"),
            str(HISTORY / "send-minute-2026-11-15-to-2026-11-29.json"), "--today",
            "2026-11-30", "--backtest"]  # fmt: skip
    text = runner.invoke(app, args).stdout
    assert "2 past origins" in text
    assert "the seasonal naive, kept: no candidate beat it clearly (by 2 standard" in text
    assert " of 3 past outcomes inside p10-p90" in " ".join(text.split())
    assert "too few to judge the bands by" in " ".join(text.split())
    assert "ratios (too few to give p10 and p90)" in " ".join(text.split())
    lines = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()
    assert lines[0] == ("months_ahead,error_pct,seasonal_naive_error_pct,ratio,region,pool,"
                        "method,origins,coverage_p10_p90,outcomes")  # fmt: skip
    rows = [line.split(",") for line in lines[1:]]
    assert [r[0] for r in rows] == ["1", "2"]
    # The chosen method is the seasonal naive: its error is the naive's, ratio 1.
    assert all(r[1] == r[2] and r[3] == "1.00" for r in rows)
    assert all(r[4:8] == ["us-east-1", "default", "seasonal naive", "2"] and r[9] == "3"
               for r in rows)  # fmt: skip
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert set(data) == {"region", "pool", "model", "backtest", "history_months"}
    assert data["history_months"] == 15
    assert (data["backtest"]["origins"], data["backtest"]["outcomes"]) == (2, 3)
    # The CSV's percent is the JSON's fraction times 100, rounded once.
    assert [r[1] for r in rows] == [f"{100 * e:.2f}" for e in data["backtest"]["error_by_horizon"]]


def test_the_backtest_judges_each_origin_by_a_band_made_as_the_forecasts_is():
    # 15 months: a first year swinging 100, 200, 100, ... then 110, 180, 105. Every
    # candidate trains from 13 months: origins 13 and 14, the seasonal naive kept (2
    # origins cannot beat it clearly). Its 3 errors: log(180/200) = -0.105 and
    # log(105/100) = +0.049 from origin 13, +0.049 from origin 14. Too few for p10/p90, so
    # each band is the wider of the others' errors and the naive's own spread as it was:
    # at origin 13, its 12 month-to-month changes of +-0.69 (spread far above 0.105); at
    # origin 14, its 2 year-on-year ratios +0.095 and -0.105 (root mean square 0.100,
    # times sqrt(2 / 1.386) for so few and 1.2816 for p90: 0.155 > 0.105). Every outcome
    # is inside: 3 of 3. Judged by the others' errors alone, origin 13's -0.105 would fall
    # outside origin 14's lone +0.049.
    y = [100.0, 200.0] * 6 + [110.0, 180.0, 105.0]
    months = np.arange("2025-01", "2026-04", dtype="datetime64[M]")
    days = [np.arange(m.astype("datetime64[D]"), (m + 1).astype("datetime64[D]")) for m in months]
    start = np.concatenate(days).astype("datetime64[s]")
    sent = np.concatenate([np.full(len(d), r * 86_400) for d, r in zip(days, y, strict=True)])
    n = len(start)
    h = SendHistory(start, np.full(n, 86_400), sent, np.zeros(n, dtype=np.int64), ("made",))
    f = forecast(h, months=3, burst=1.0, today="2026-04-01")
    assert f.method == "seasonal naive"
    assert (f.backtest.origins, f.backtest.outcomes) == (2, 3)
    assert f.backtest.coverage == 1.0


def test_one_past_origin_is_named_as_such():
    # --min-share 1: November (97 % of its hours) is partial, so 14 complete months leave
    # the candidates one origin (13) and one outcome: nothing to judge a band by.
    text = runner.invoke(app, ["forecast", str(HISTORY / "send-hourly-2025-09-to-2026-11.json"),
                               str(HISTORY / "send-minute-2026-11-15-to-2026-11-29.json"),
                               "--today", "2026-11-30", "--min-share", "1",
                               "--backtest"]).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "pool default: 1 past origin\n" in text
    assert "a single past origin: no other origin's errors to judge its band by" in flat
    assert "over 1 past outcome from 1 origin of this history" in flat

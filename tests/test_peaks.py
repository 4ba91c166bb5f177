"""Monthly peaks from mixed resolutions, on histories built by hand."""

import numpy as np
import pytest

from planner.errors import InputError
from planner.model.peaks import monthly_peaks


def _buckets(first, count, period, each):
    start = np.datetime64(first, "s") + np.arange(count) * np.timedelta64(period, "s")
    return start, np.full(count, period), np.full(count, float(each))


def _joined(*parts):
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))


def _history():
    # January 2026: hourly only (744 hours), 360 messages an hour (0.1 msg/s) but one
    # hour of 3,600 (1 msg/s).
    jan = _buckets("2026-01-01", 744, 3600, 360)
    jan[2][100] = 3600
    # February 2026: hourly and by the minute. Minutes send 6 (0.1 msg/s) but one of 600
    # (10 msg/s) in hour 50; that hour sends 59 x 6 + 600 = 954 (0.265 msg/s).
    feb_h = _buckets("2026-02-01", 672, 3600, 360)
    feb_h[2][50] = 954
    feb_m = _buckets("2026-02-01", 672 * 60, 60, 6)
    feb_m[2][50 * 60 + 7] = 600
    return _joined(jan, feb_h, feb_m)


def test_a_covered_month_reads_the_finest_period_and_others_scale_by_the_burst():
    p = monthly_peaks(*_history())
    assert [str(m) for m in p.month] == ["2026-01", "2026-02"]
    # February is covered by the minute: 600 / 60 = 10 msg/s.
    assert p.peak_rate[1] == pytest.approx(10.0)
    assert p.period.tolist() == [3600, 60]
    # The burst of the minute over the hour, measured on February: 10 / (954 / 3600)
    # = 37.7358...; January's hourly peak, 1 msg/s, times that.
    (burst,) = p.bursts
    assert (burst.period, burst.finest, burst.months) == (3600, 60, ("2026-02",))
    assert burst.ratio == pytest.approx(10 / (954 / 3600))
    assert p.peak_rate[0] == pytest.approx(10 / (954 / 3600))
    assert p.partial.tolist() == [False, False]


def test_a_given_burst_overrides_the_measured_one():
    p = monthly_peaks(*_history(), burst=3)
    assert p.peak_rate.tolist() == pytest.approx([3.0, 10.0])
    assert p.bursts[0].months == ()


def test_a_month_with_too_few_buckets_is_partial():
    start, period, sent = _buckets("2026-03-01", 31 * 24 // 2, 3600, 7200)  # half of March
    p = monthly_peaks(start, period, sent)
    assert p.partial.tolist() == [True]
    assert p.share.tolist() == pytest.approx([0.5])
    assert p.peak_rate.tolist() == pytest.approx([2.0])


def test_coarse_data_that_never_meets_the_fine_asks_for_a_burst():
    old = _buckets("2025-01-01", 744, 3600, 360)
    new = _buckets("2026-01-01", 31 * 1440, 60, 6)
    with pytest.raises(InputError, match="do not overlap; give --burst"):
        monthly_peaks(*_joined(old, new))
    assert monthly_peaks(*_joined(old, new), burst=2).peak_rate.tolist() == pytest.approx(
        [0.2, 0.1]
    )


@pytest.mark.parametrize("burst", [0.5, float("nan")])
def test_a_burst_below_one_is_refused(burst):
    with pytest.raises(InputError, match="burst"):
        monthly_peaks(*_history(), burst=burst)


def test_a_given_burst_scales_hourly_data_that_has_no_minute():
    # January alone: hourly buckets, one hour of 3,600 messages (1 msg/s). Given a burst
    # of 2.5 (the minute's peak over the hour's), the month's peak second is 2.5 msg/s,
    # and the burst is reported as given: 3,600 s to 60 s, measured on no month.
    jan = _buckets("2026-01-01", 744, 3600, 360)
    jan[2][100] = 3600
    p = monthly_peaks(*jan, burst=2.5)
    assert p.peak_rate.tolist() == pytest.approx([2.5])
    (burst,) = p.bursts
    assert (burst.period, burst.finest, burst.ratio, burst.months) == (3600, 60, 2.5, ())
    # Daily buckets for December and January (43,200 a day: 0.5 msg/s) and January's
    # hourly ones, no minute. The burst is the minute over the hour; the day is measured
    # against the hour on January, where both have data: 1 / 0.5 = 2. December, daily
    # only, reads 0.5 x 2 x 2.5 = 2.5; January, hourly, 1 x 2.5 = 2.5.
    day = _buckets("2025-12-01", 62, 86_400, 43_200)
    p = monthly_peaks(*_joined(day, jan), burst=2.5)
    assert p.period.tolist() == [86_400, 3600]
    assert p.peak_rate.tolist() == pytest.approx([2.5, 2.5])
    daily = next(b for b in p.bursts if b.period == 86_400)
    assert (daily.finest, daily.given, daily.months) == (60, 2.5, ("2026-01",))
    assert daily.ratio == pytest.approx(5.0)
    # Daily data that never meets the hourly: the day-to-hour ratio is unknown, an error.
    with pytest.raises(InputError, match="never overlap them"):
        monthly_peaks(*_joined(_buckets("2025-11-01", 30, 86_400, 43_200), jan), burst=2.5)
    # Without a burst, the hour's average is what the buckets say (the forecast refuses
    # such data before it gets here; see test_forecasting).
    assert monthly_peaks(*jan).peak_rate.tolist() == pytest.approx([1.0])


@pytest.mark.parametrize("share", [-0.1, 1.5, float("nan")])
def test_a_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(InputError, match="min_share"):
        monthly_peaks(*_history(), min_share=share)


def test_a_share_of_zero_takes_any_bucket_but_never_a_period_with_none():
    # min_share 0: January has hourly buckets only, so its minute share is 0 and the hour
    # covers it (1 msg/s times the burst measured on February, as with the default);
    # February is read by the minute (10 msg/s). Before, a period with no bucket in the
    # month counted as covering it and the peak was NaN.
    p = monthly_peaks(*_history(), min_share=0)
    assert p.period.tolist() == [3600, 60]
    assert p.peak_rate.tolist() == pytest.approx([10 / (954 / 3600), 10.0])

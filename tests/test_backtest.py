"""The forecast methods without a fitted model, and calibrated bands, against values
worked by hand beside each test."""

import numpy as np

from planner.model import backtest


def test_the_seasonal_naive_repeats_the_same_month_a_year_before():
    y = np.arange(1.0, 25.0)  # months 1..24
    # 14 months ahead: months 25..38 repeat months 13..24, then 13, 14 again (12 back,
    # then 24 back for the second year).
    assert backtest.seasonal_naive(y, 14).tolist() == [*range(13, 25), 13, 14]
    # Under a year of history: the last month.
    assert backtest.seasonal_naive(np.array([5.0, 7.0]), 3).tolist() == [7.0, 7.0, 7.0]


def test_growth_is_the_last_months_over_the_same_months_a_year_before():
    # 15 months: 3 have a year before them. Months 13-15 are 110, 120, 130 and months 1-3
    # were 100, 100, 100: (360 / 3) / 100 = 1.2 over a year, seen on 3 months, so it counts
    # as 1.2 ** (3/12).
    y = np.array([100, 100, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 110, 120, 130], float)
    g = 1.2**0.25
    assert np.isclose(backtest.yoy_growth(y), g)
    # Month 16 is month 4 (90) times g; 13 months ahead is month 28, two years after
    # month 4: 90 times g squared.
    ahead = backtest.seasonal_naive_growth(y, 13)
    assert np.isclose(ahead[0], 90 * g)
    assert np.isclose(ahead[12], 90 * g**2)
    # 14 months: the last 2 over months 1-2, (110 + 120) / 200 = 1.15, to the power 2/12.
    # A year or less: no month has a year before it, so no growth.
    assert np.isclose(backtest.yoy_growth(y[:14]), 1.15 ** (2 / 12))
    assert backtest.yoy_growth(y[:12]) == 1.0


def test_how_errors_grow_with_the_months_ahead():
    h = np.array([1, 1, 4, 4, 9, 9], float)
    # The same size at every horizon (a seasonal naive within a year): b = 0.
    assert backtest.growth_exponent(np.array([0.1, -0.1, 0.1, -0.1, 0.1, -0.1]), h) == 0.0
    # Growing as sqrt(h) (a random walk): b = 1/2; faster is held at 1/2.
    assert np.isclose(backtest.growth_exponent(0.1 * np.sqrt(h), h), 0.5)
    assert backtest.growth_exponent(0.1 * h, h) == 0.5
    # Errors at one horizon only say nothing of growth: 1/2, the cautious choice.
    assert backtest.growth_exponent(np.array([0.1, 0.2]), np.array([1.0, 1.0])) == 0.5


def test_the_conformal_rank_and_its_clamp():
    z = np.array([-3.0, -1.0, 0.0, 1.0, 2.0, 5.0, 7.0, 8.0, 9.0])  # m = 9
    # q = 0.9: rank ceil(10 x 0.9) = 9 -> 9.0; q = 0.1: floor(10 x 0.1) = 1 -> -3.0;
    # q = 0.5: rank ceil(5) = 5 -> 2.0.
    assert backtest.z_quantile(z, 0.9) == 9.0
    assert backtest.z_quantile(z, 0.1) == -3.0
    assert backtest.z_quantile(z, 0.5) == 2.0
    # Beyond the errors seen the rank is clamped to the largest or smallest.
    assert backtest.z_quantile(z, 0.99) == 9.0
    assert backtest.z_quantile(z, 0.01) == -3.0


def test_bands_from_errors_alone_by_hand():
    # Errors 0.1 and -0.1 one month ahead, 0.2 four months ahead: mean size 0.1 at h = 1
    # and 0.2 at h = 4, so they grow as h ** b with b = ln 2 / ln 4 = 1/2; scaled,
    # z = [0.1, -0.1, 0.1]. The 90 % rank is ceil(4 x 0.9) = 4, clamped to the largest,
    # 0.1; the 10 % rank floor(0.4) = 0, clamped to the smallest, -0.1. The median is the
    # forecast itself. No spread of its own.
    point = np.array([100.0, 100.0])
    out = backtest.calibrated(point, np.array([0.1, -0.1, 0.2]), [1, 1, 4], np.zeros(2),
                              (0.1, 0.5, 0.9))  # fmt: skip
    half = 0.1
    assert np.allclose(out[0], [100 * np.exp(-half), 100, 100 * np.exp(half)])
    # Two months ahead: the half-width times 2 ** (1/2).
    assert np.isclose(out[1, 2], 100 * np.exp(half * np.sqrt(2)))


def test_a_methods_own_spread_is_the_floor_of_every_band():
    # No errors at all: the band is the method's own, +-0.2 in logs for p10-p90.
    out = backtest.calibrated(np.array([50.0]), np.empty(0), [], np.array([0.2]), (0.1, 0.9))
    assert np.allclose(out[0], [50 * np.exp(-0.2), 50 * np.exp(0.2)])


def test_the_errors_reach_a_quantile_from_its_conformal_rank():
    # p90 needs ceil((m + 1) 0.9) <= m: 8 errors give rank ceil(8.1) = 9 > 8, 9 give 9.
    assert not backtest.reaches(8, 0.9)
    assert backtest.reaches(9, 0.9)
    # p10 needs floor((m + 1) 0.1) >= 1: the same 9. p95 needs 19: ceil(19 x 0.95) =
    # ceil(18.05) = 19 > 18, and ceil(20 x 0.95) = 19 <= 19.
    assert not backtest.reaches(8, 0.1)
    assert backtest.reaches(9, 0.1)
    assert not backtest.reaches(18, 0.95)
    assert backtest.reaches(19, 0.95)
    assert not backtest.reaches(0, 0.5)


def test_a_naive_methods_band_is_its_errors_where_they_reach_the_quantile():
    # Nine errors one month ahead, all at one horizon: b = 1/2 (say nothing of growth).
    # Sorted: -0.05 ... 0.03; the p90 rank ceil(10 x 0.9) = 9 is the largest, 0.03; the
    # p10 rank floor(1.0) = 1 the smallest, -0.05. Own spread 0.2 (far wider).
    e = np.array([-0.05, -0.02, -0.01, 0.0, 0.0, 0.01, 0.01, 0.02, 0.03])
    point = np.array([100.0])
    fitted = backtest.calibrated(point, e, [1] * 9, np.array([0.2]), (0.1, 0.9))
    naive = backtest.calibrated(point, e, [1] * 9, np.array([0.2]), (0.1, 0.9), model=False)
    # A fitted model's own spread is the floor: +-0.2.
    assert np.allclose(fitted[0], [100 * np.exp(-0.2), 100 * np.exp(0.2)])
    # A naive's band is its errors': -0.05 and +0.03.
    assert np.allclose(naive[0], [100 * np.exp(-0.05), 100 * np.exp(0.03)])
    # p95 needs 19 errors: with 9, the wider of the largest error (0.03) and the own
    # spread scaled from 80 % to 90 % (0.2 x 1.6449 / 1.2816 = 0.2567) stands in.
    wide = backtest.calibrated(point, e, [1] * 9, np.array([0.2]), (0.95,), model=False)
    assert np.isclose(wide[0, 0], 100 * np.exp(0.2 * 1.6448536 / 1.2815516))


def test_an_extra_spread_widens_every_band_in_quadrature():
    # Own spread 0.3, no errors, a burst ratio's spread 0.4: the p90 half-width is
    # hypot(0.3, 0.4) = 0.5; the median stays the point.
    out = backtest.calibrated(np.array([10.0]), np.empty(0), [], np.array([0.3]),
                              (0.1, 0.5, 0.9), extra=0.4)  # fmt: skip
    assert np.allclose(out[0], [10 * np.exp(-0.5), 10.0, 10 * np.exp(0.5)])

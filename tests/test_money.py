from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import InputError
from planner.model.money import div_half_up, format_cents, parse_cents


def test_half_up_where_binary_floats_round_down():
    # 24.95 USD x 15 / 30 days = 12.475 exactly; half up gives 12.48.
    # A binary float holds 12.475 as 12.4749999..., so round() gives 12.47.
    assert round(24.95 * 15 / 30, 2) == 12.47
    assert int(div_half_up(2495 * 15, 30)) == 1248


@given(st.integers(0, 10**12), st.integers(1, 10**6))
def test_div_half_up_matches_fractions(num, den):
    exact = Fraction(num, den)
    expected = int(exact + Fraction(1, 2)) if exact >= 0 else None  # floor(x + 1/2)
    assert int(div_half_up(num, den)) == expected


def test_div_half_up_arrays():
    # 1/2 -> 1 (half up), 2/2 -> 1, 5/2 -> 3, 7/3 -> 2 (2.33)
    assert div_half_up(np.array([1, 2, 5, 7]), np.array([2, 2, 2, 3])).tolist() == [1, 1, 3, 2]


@pytest.mark.parametrize(
    ("text", "cents"), [("24.95", 2495), ("15", 1500), ("0.08", 8), (" 1.5 ", 150), ("0", 0)]
)
def test_parse_cents(text, cents):
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["abc", "", "-1", "0.005", "NaN", "Infinity"])
def test_parse_cents_rejects(text):
    with pytest.raises(InputError, match="price"):
        parse_cents(text)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(2495, "24.95"), (5, "0.05"), (0, "0.00"), (-1247, "-12.47"), (299400, "2994.00")],
)
def test_format_cents(cents, text):
    assert format_cents(cents) == text
    assert format_cents(np.int64(cents)) == text

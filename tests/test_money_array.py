"""The ``money`` dtype: exact amounts in frames, checked against Decimal references."""

import io
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model.money import cents_of, money_array

cents_lists = st.lists(st.integers(-(10**12), 10**12), min_size=0, max_size=60)


def reference(cents):
    """The amounts as Python Decimals, one by one: the slow, obviously right way."""
    return [Decimal(c) / 100 for c in cents]


@given(cents_lists)
def test_cells_sum_and_running_totals_are_exact(cents):
    s = pd.Series(money_array(cents))
    assert s.tolist() == reference(cents)
    assert s.sum() == sum(reference(cents), Decimal(0))
    running, total = [], Decimal(0)
    for amount in reference(cents):
        total += amount
        running.append(total)
    assert s.cumsum().tolist() == running
    assert cents_of(s).tolist() == cents


@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(-(10**9), 10**9)), min_size=1, max_size=80)
)
def test_group_sums_and_group_running_totals(pairs):
    keys = [k for k, _ in pairs]
    cents = [c for _, c in pairs]
    frame = pd.DataFrame({"key": keys, "amount": money_array(cents)})
    expected: dict[int, Decimal] = {}
    running = []
    for key, amount in zip(keys, reference(cents), strict=True):
        expected[key] = expected.get(key, Decimal(0)) + amount
        running.append(expected[key])
    assert frame.groupby("key").amount.sum().to_dict() == expected
    assert frame.groupby("key").amount.cumsum().tolist() == running
    assert frame.groupby("key").amount.max().to_dict() == {
        k: max(a for kk, a in zip(keys, reference(cents), strict=True) if kk == k) for k in expected
    }


def test_construction_display_and_missing_cells():
    s = pd.Series([Decimal("24.95"), "0.05", 3, None, 1.1], dtype="money")
    assert str(s.dtype) == "money"
    assert s.tolist()[:3] == [Decimal("24.95"), Decimal("0.05"), Decimal("3.00")]
    assert s.isna().tolist() == [False, False, False, True, False]
    assert s.sum() == Decimal("29.10")  # 24.95 + 0.05 + 3 + 1.10; the missing cell skipped
    assert "24.95" in repr(s)
    assert "<NA>" in repr(s)
    with pytest.raises(TypeError, match="not a whole number of cents"):
        pd.Series(["0.001"], dtype="money")


def test_exact_arithmetic_and_refused_inexact_arithmetic():
    a = pd.Series(money_array([2495, 1247]))
    b = pd.Series(money_array([5, -1247]))
    assert (a + b).tolist() == [Decimal("25.00"), Decimal("0.00")]
    assert (a - b).tolist() == [Decimal("24.90"), Decimal("24.94")]
    assert (a * 3).tolist() == [Decimal("74.85"), Decimal("37.41")]
    assert (a + Decimal("0.05")).tolist() == [Decimal("25.00"), Decimal("12.52")]
    assert (-a).tolist() == [Decimal("-24.95"), Decimal("-12.47")]
    assert (a > b).tolist() == [True, True]
    assert (a == Decimal("24.95")).tolist() == [True, False]
    assert (a / a).tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="not exact"):
        a * 1.1
    with pytest.raises(TypeError, match="not exact"):
        a / 3


def test_frames_round_trip_through_csv_and_reshape():
    frame = pd.DataFrame({"m": ["a", "b", "a"], "r": ["x", "x", "y"],
                          "charge": money_array([100, 250, 5])})  # fmt: skip
    text = frame.to_csv(index=False)
    assert text == "m,r,charge\na,x,1.00\nb,x,2.50\na,y,0.05\n"
    back = pd.read_csv(io.StringIO(text), dtype={"charge": "money"})
    assert back.charge.sum() == Decimal("3.55")
    wide = frame.pivot_table(index="m", columns="r", values="charge", aggfunc="sum", observed=True)
    assert wide.loc["b", "y"] is pd.NA
    filled = frame.groupby(["m", "r"]).charge.sum().unstack(fill_value=Decimal("0"))
    assert filled.loc["b", "y"] == Decimal("0.00")
    assert pd.concat([frame, frame]).charge.sum() == Decimal("7.10")
    assert frame.sort_values("charge").charge.tolist() == [Decimal("0.05"), Decimal("1.00"),
                                                           Decimal("2.50")]  # fmt: skip
    assert frame.charge.astype(float).tolist() == [1.0, 2.5, 0.05]
    assert frame.charge.describe()["max"] == 2.5  # statistics are floats


def test_setting_cells():
    s = pd.Series(money_array([100, 200, 300]))
    s[1] = Decimal("9.99")
    s[np.array([False, False, True])] = None
    assert s.tolist() == [Decimal("1.00"), Decimal("9.99"), pd.NA]

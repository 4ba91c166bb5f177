"""The ``money`` pandas dtype: exact amounts stored as int64 cents, shown as 349.30.

A cell is a :class:`~decimal.Decimal` amount in currency units (``Decimal('24.95')``),
the same type as every money attribute of ipcost's results. The column underneath is
one int64 array of cents (plus a mask for missing cells), so it is vectorised, takes
8 bytes a cell and never rounds: sums, group sums and running totals are integer
additions, returned as exact amounts.

Arithmetic that stays exact is supported: money plus or minus money (or a Decimal or
whole number of units), money times whole numbers, negation, comparisons. A product
with a float or a fraction of a cent is refused with a ``TypeError`` rather than
rounded silently; ``.astype(float)`` gives floats for charts. Statistics that are not
money (a median, a standard deviation) come back as floats.

pandas is imported here; :mod:`planner.model.money` imports this module only when a frame
is made, so ``ipcost estimate`` does not load pandas.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import (
    ExtensionArray,
    ExtensionDtype,
    register_extension_dtype,
    take,
)
from pandas.api.types import is_integer, is_list_like, is_scalar, pandas_dtype

from planner.model.arrays import IntArray

BoolArray = npt.NDArray[np.bool_]
_NA_CENTS = np.iinfo(np.int64).min  # stands for a missing cell where pandas needs a value


@register_extension_dtype
class MoneyDtype(ExtensionDtype):
    """Exact money: int64 cents per cell, each cell a ``Decimal`` amount."""

    name = "money"
    type = Decimal
    kind = "O"
    na_value = pd.NA
    _is_numeric = True

    @classmethod
    def construct_array_type(cls) -> builtins.type[MoneyArray]:
        return MoneyArray

    def __repr__(self) -> str:
        return "money"


def _cents_of_scalar(value: Any, *, units_from_int: bool = True) -> int:
    """One amount as cents: a Decimal, decimal text, a whole number of units, or an exact float."""
    if isinstance(value, bool):
        raise TypeError("a money amount cannot be a boolean")
    if isinstance(value, int | np.integer) and units_from_int:
        return int(value) * 100
    if isinstance(value, float | np.floating):
        value = repr(float(value))  # the decimal it was typed as
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        raise TypeError(f"{value!r} is not a money amount") from None
    if not amount.is_finite():
        raise TypeError(f"{value!r} is not a finite money amount")
    cents = amount.scaleb(2)
    if cents != cents.to_integral_value():
        raise TypeError(f"{value!r} is not a whole number of cents")
    return int(cents)


def _is_na(value: Any) -> bool:
    return value is None or value is pd.NA or (is_scalar(value) and bool(pd.isna(value)))


class MoneyArray(ExtensionArray):
    """An exact money column (see the module's docstring)."""

    __array_priority__ = 1000

    def __init__(self, cents: Any, mask: Any = None) -> None:
        self._cents: IntArray = np.asarray(cents, dtype=np.int64)
        self._mask: BoolArray = (
            np.zeros(self._cents.shape, dtype=bool) if mask is None else np.asarray(mask, bool)
        )
        if self._cents.ndim != 1 or self._mask.shape != self._cents.shape:
            raise ValueError("a money array is one-dimensional, with a mask of the same shape")

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_cents(cls, cents: Any) -> MoneyArray:
        return cls(np.array(cents, dtype=np.int64, copy=True).reshape(-1))

    @classmethod
    def _from_sequence(cls, scalars: Any, *, dtype: Any = None, copy: bool = False) -> MoneyArray:
        if isinstance(scalars, MoneyArray):
            return scalars.copy() if copy else scalars
        values = list(scalars)
        mask = np.array([_is_na(v) for v in values], dtype=bool)
        cents = np.array([0 if m else _cents_of_scalar(v) for v, m in zip(values, mask, strict=True)],
                         dtype=np.int64)  # fmt: skip
        return cls(cents, mask)

    @classmethod
    def _from_sequence_of_strings(
        cls, strings: Any, *, dtype: Any = None, copy: bool = False
    ) -> MoneyArray:
        return cls._from_sequence([None if s in ("", None) else str(s) for s in strings])

    @classmethod
    def _from_factorized(cls, values: Any, original: Any) -> MoneyArray:
        values = np.asarray(values, dtype=np.int64)
        return cls(np.where(values == _NA_CENTS, 0, values), values == _NA_CENTS)

    # ------------------------------------------------------------------ the interface

    @property
    def dtype(self) -> MoneyDtype:
        return MoneyDtype()

    def __len__(self) -> int:
        return len(self._cents)

    def __getitem__(self, item: Any) -> Any:
        if is_integer(item):
            i = int(item)
            return pd.NA if self._mask[i] else Decimal(int(self._cents[i])).scaleb(-2)
        item = pd.api.indexers.check_array_indexer(self, item)
        return type(self)(self._cents[item], self._mask[item])

    def __setitem__(self, key: Any, value: Any) -> None:
        key = pd.api.indexers.check_array_indexer(self, key) if not is_integer(key) else key
        if is_list_like(value) and not isinstance(value, str | Decimal):
            other = value if isinstance(value, MoneyArray) else self._from_sequence(value)
            self._cents[key], self._mask[key] = other._cents, other._mask
        elif _is_na(value):
            self._cents[key], self._mask[key] = 0, True
        else:
            self._cents[key], self._mask[key] = _cents_of_scalar(value), False

    def __iter__(self) -> Iterator[Any]:
        for cents, missing in zip(self._cents.tolist(), self._mask.tolist(), strict=True):
            yield pd.NA if missing else Decimal(cents).scaleb(-2)

    def isna(self) -> BoolArray:
        return self._mask.copy()

    @property
    def nbytes(self) -> int:
        return int(self._cents.nbytes + self._mask.nbytes)

    def copy(self) -> MoneyArray:
        return type(self)(self._cents.copy(), self._mask.copy())

    def take(self, indices: Any, *, allow_fill: bool = False, fill_value: Any = None) -> MoneyArray:
        indices = np.asarray(indices, dtype=np.intp)
        if allow_fill:
            fill_na = _is_na(fill_value)
            fill = 0 if fill_na else _cents_of_scalar(fill_value)
            cents = take(self._cents, indices, allow_fill=True, fill_value=fill)
            mask = take(self._mask, indices, allow_fill=True, fill_value=fill_na)
        else:
            cents, mask = self._cents.take(indices), self._mask.take(indices)
        return type(self)(cents, mask)

    @classmethod
    def _concat_same_type(cls, to_concat: Sequence[MoneyArray]) -> MoneyArray:
        return cls(
            np.concatenate([a._cents for a in to_concat]),
            np.concatenate([a._mask for a in to_concat]),
        )

    def _values_for_factorize(self) -> tuple[IntArray, int]:
        return np.where(self._mask, _NA_CENTS, self._cents), _NA_CENTS

    def _values_for_argsort(self) -> IntArray:
        return self._cents

    def _formatter(self, boxed: bool = False) -> Callable[[Any], str]:
        return lambda value: "<NA>" if value is pd.NA else f"{value:.2f}"

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype).kind == "f":
            return np.where(self._mask, np.nan, self._cents / 100)
        return np.array(list(self), dtype=object)

    def astype(self, dtype: Any, copy: bool = True) -> Any:
        dtype = pandas_dtype(dtype)
        if isinstance(dtype, MoneyDtype):
            return self.copy() if copy else self
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            return np.where(self._mask, np.nan, self._cents / 100).astype(dtype)
        if isinstance(dtype, np.dtype) and dtype.kind in "iu":
            raise TypeError(
                "money to integers is not exact; planner.model.money.cents_of gives cents"
            )
        return super().astype(dtype, copy=copy)

    # ------------------------------------------------------------------ reductions

    def _reduce(
        self, name: str, *, skipna: bool = True, keepdims: bool = False, **kwargs: Any
    ) -> Any:
        if not skipna and self._mask.any():
            result: Any = pd.NA
        else:
            cents = self._cents[~self._mask]
            result = self._reduce_values(name, cents, kwargs.get("min_count", 0))
        if keepdims:
            if isinstance(result, Decimal) or result is pd.NA:
                return type(self)._from_sequence([result])
            return np.array([result])
        return result

    @staticmethod
    def _reduce_values(name: str, cents: IntArray, min_count: int) -> Any:
        if name == "sum":
            if cents.size < min_count:
                return pd.NA
            return Decimal(int(cents.sum(dtype=np.int64))).scaleb(-2)
        if name in ("min", "max"):
            return Decimal(int(getattr(cents, name)())).scaleb(-2) if cents.size else pd.NA
        if name == "mean":
            return Decimal(int(cents.sum())).scaleb(-2) / cents.size if cents.size else pd.NA
        if name in ("median", "std", "var", "sem", "skew", "kurt"):
            floats = pd.Series(cents / 100)
            return getattr(floats, name)()
        if name in ("any", "all"):
            return bool(getattr(np, name)(cents != 0))
        raise TypeError(f"money does not support {name}")

    def _quantile(self, qs: Any, interpolation: str) -> Any:
        """Quantiles are statistics, not amounts: floats, as for a median."""
        floats = pd.Series(np.where(self._mask, np.nan, self._cents / 100))
        method: Any = interpolation
        return floats.quantile(list(np.asarray(qs)), interpolation=method).to_numpy()

    def _accumulate(self, name: str, *, skipna: bool = True, **kwargs: Any) -> MoneyArray:
        ops: dict[str, Any] = {
            "cumsum": np.cumsum,
            "cummin": np.minimum.accumulate,
            "cummax": np.maximum.accumulate,
        }
        if name not in ops:
            raise TypeError(f"money does not support {name}")
        neutral = {"cumsum": 0, "cummin": np.iinfo(np.int64).max, "cummax": _NA_CENTS}[name]
        out = ops[name](np.where(self._mask, neutral, self._cents))
        mask = self._mask.copy() if skipna else np.logical_or.accumulate(self._mask)
        return type(self)(np.where(mask, 0, out), mask)

    def _groupby_op(
        self,
        *,
        how: str,
        has_dropped_na: bool,
        min_count: int,
        ngroups: int,
        ids: npt.NDArray[np.intp],
        **kwargs: Any,
    ) -> Any:
        valid = (ids >= 0) & ~self._mask
        if how in ("sum", "min", "max"):
            counts = np.bincount(ids[valid], minlength=ngroups)
            start = {"sum": 0, "min": np.iinfo(np.int64).max, "max": _NA_CENTS}[how]
            out = np.full(ngroups, start, dtype=np.int64)
            ufunc = {"sum": np.add, "min": np.minimum, "max": np.maximum}[how]
            ufunc.at(out, ids[valid], self._cents[valid])
            empty = counts < max(min_count, 1 if how != "sum" else min_count)
            return type(self)(np.where(empty, 0, out), empty)
        if how == "cumsum":
            order = np.argsort(ids, kind="stable")
            values = np.where(valid, self._cents, 0)[order]
            running = np.cumsum(values)
            group = ids[order]
            first = np.r_[True, group[1:] != group[:-1]]
            offset = np.maximum.accumulate(np.where(first, np.arange(len(group)), 0))
            before = np.where(offset > 0, running[offset - 1], 0)
            out = np.empty_like(running)
            out[order] = running - before
            return type(self)(np.where(self._mask, 0, out), self._mask.copy())
        return super()._groupby_op(  # type: ignore[misc]  # experimental pandas API, not in the stubs
            how=how, has_dropped_na=has_dropped_na, min_count=min_count, ngroups=ngroups,
            ids=ids, **kwargs,
        )  # fmt: skip

    # ------------------------------------------------------------------ arithmetic

    def _operand(self, other: Any) -> tuple[IntArray, BoolArray] | None:
        """``other`` as (cents, mask), or None when it is not money-like."""
        if isinstance(other, MoneyArray):
            return other._cents, other._mask
        if _is_na(other):
            return np.zeros(len(self), np.int64), np.ones(len(self), bool)
        if isinstance(other, Decimal | int | np.integer) and not isinstance(other, bool):
            return np.full(len(self), _cents_of_scalar(other), np.int64), np.zeros(len(self), bool)
        if is_list_like(other) and not isinstance(other, str):
            arr = MoneyArray._from_sequence(other)
            return arr._cents, arr._mask
        return None

    def _add_sub(self, other: Any, op: Callable[[Any, Any], Any]) -> Any:
        if isinstance(other, pd.Series | pd.DataFrame | pd.Index):
            return NotImplemented
        pair = self._operand(other)
        if pair is None:
            return NotImplemented
        cents, mask = pair
        return type(self)(op(self._cents, cents), self._mask | mask)

    def __add__(self, other: Any) -> Any:
        return self._add_sub(other, operator.add)

    def __radd__(self, other: Any) -> Any:
        return self._add_sub(other, lambda a, b: b + a)

    def __sub__(self, other: Any) -> Any:
        return self._add_sub(other, operator.sub)

    def __rsub__(self, other: Any) -> Any:
        return self._add_sub(other, lambda a, b: b - a)

    def __mul__(self, other: Any) -> Any:
        if isinstance(other, pd.Series | pd.DataFrame | pd.Index):
            return NotImplemented
        factor = np.asarray(other)
        if factor.dtype.kind not in "iub":
            raise TypeError(
                "money times a non-whole number is not exact; multiply by whole numbers, "
                "or use .astype(float)"
            )
        return type(self)(self._cents * factor.astype(np.int64), self._mask.copy())

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if isinstance(other, pd.Series | pd.DataFrame | pd.Index):
            return NotImplemented
        if isinstance(other, MoneyArray):  # a ratio of amounts is a plain number
            out = self._cents / other._cents
            return np.where(self._mask | other._mask, np.nan, out)
        raise TypeError("dividing money is not exact; use .astype(float) for a ratio")

    def __neg__(self) -> MoneyArray:
        return type(self)(-self._cents, self._mask.copy())

    def __pos__(self) -> MoneyArray:
        return self.copy()

    def __abs__(self) -> MoneyArray:
        return type(self)(np.abs(self._cents), self._mask.copy())

    def _compare(self, other: Any, op: Callable[[Any, Any], Any]) -> Any:
        if isinstance(other, pd.Series | pd.DataFrame | pd.Index):
            return NotImplemented
        try:
            pair = self._operand(other)
        except TypeError:
            pair = None
        if pair is None:
            if op is operator.eq or op is operator.ne:
                result = np.full(len(self), op is operator.ne)
                return pd.arrays.BooleanArray(result, self._mask.copy())
            raise TypeError(f"cannot compare money with {type(other).__name__}")
        cents, mask = pair
        missing = self._mask | mask
        return pd.arrays.BooleanArray(op(self._cents, cents) & ~missing, missing)

    def __eq__(self, other: Any) -> Any:
        return self._compare(other, operator.eq)

    def __ne__(self, other: Any) -> Any:
        return self._compare(other, operator.ne)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, operator.ge)

    def cents(self) -> IntArray:
        """The amounts in integer cents (missing cells are an error)."""
        if self._mask.any():
            raise ValueError("a money column has missing values")
        return self._cents.copy()

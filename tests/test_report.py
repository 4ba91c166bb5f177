"""Text tables, Markdown, CSV and atomic writes (planner.edges.formats), without the commands."""

import csv
import io
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from planner.edges.formats import csv_table, frame_csv, markdown_table, text_table
from planner.errors import DataFileError
from planner.files.output import write_atomic
from planner.model.money import money_array


def test_text_table_aligns_numbers_right_and_groups_thousands():
    text = text_table(["name", "n", "fee"], [["a", 1234, Decimal("12.50")], ["bb", 5, None]])
    assert text.splitlines() == [
        "name      n    fee",
        "----  -----  -----",
        "a     1,234  12.50",
        "bb        5",
    ]


def test_markdown_escapes_pipes_and_aligns_numbers():
    text = markdown_table(["a|b", "n"], [["x|y", 3]])
    assert text.splitlines() == ["| a\\|b | n |", "|---|---:|", "| x\\|y | 3 |"]


def test_csv_table_neutralises_text_but_not_numbers():
    text = csv_table(["pool", "n", "fee"], [["=1+1", -3, Decimal("-1.50")]])
    assert list(csv.reader(io.StringIO(text))) == [["pool", "n", "fee"], ["'=1+1", "-3", "-1.50"]]


def test_frame_csv_writes_each_dtype_as_a_spreadsheet_reads_it():
    frame = pd.DataFrame(
        {
            "month": pd.period_range("2027-11", periods=3, freq="M"),
            "pool": pd.Categorical(["=x", "a,b", "=x"]),
            "note": ['say "hi"', "@me", None],
            "n": np.array([3, -1, 10**12], dtype=np.int64),  # a wide range: uniques path
            "fee": money_array([2495, -5, 0]),
            "ok": [True, False, True],
        }
    )
    text = "".join(frame_csv(frame, chunk_rows=2))  # chunks join seamlessly
    assert text == (
        "month,pool,note,n,fee,ok\n"
        '2027-11,\'=x,"say ""hi""",3,24.95,true\n'
        '2027-12,"a,b",\'@me,-1,-0.05,false\n'
        "2028-01,'=x,,1000000000000,0.00,true\n"
    )


def test_write_atomic_takes_chunks_and_a_failure_keeps_the_earlier_file(tmp_path):
    target = tmp_path / "out.csv"
    write_atomic(target, iter(["a,b\n", "1,2\n"]))
    assert target.read_text() == "a,b\n1,2\n"

    def broken():
        yield "half"
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken())
    assert target.read_text() == "a,b\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_write_atomic_needs_an_existing_folder(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "x.txt", "x")

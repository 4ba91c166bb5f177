"""Send history from the AWS CLI's output: the three commands, merged strictly.

The files are written here as the AWS CLI prints them (get-metric-statistics'
``Datapoints`` in no particular order, get-metric-data's parallel ``Timestamps`` and
``Values`` newest first, get-send-statistics' 15-minute ``SendDataPoints``).
"""

import datetime as dt
import json

import numpy as np
import pytest

from planner.errors import DataFileError
from planner.files.history import read_history


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=4))
    return path


def _statistics(points, label="Send", stat="Sum"):
    return {"Label": label, "Datapoints": [
        {"Timestamp": t, stat: v, "Unit": "Count"} for t, v in points]}  # fmt: skip


def test_get_metric_statistics_in_any_order_with_its_period_inferred(tmp_path):
    path = _write(tmp_path, "s.json", _statistics([
        ("2026-11-01T00:10:00+00:00", 30.0),
        ("2026-11-01T00:00:00+00:00", 10.0),
        ("2026-11-01T00:05:00+00:00", 20.0),
    ]))  # fmt: skip
    h = read_history([path])
    assert h.start.tolist() == [dt.datetime(2026, 11, 1, 0, m) for m in (0, 5, 10)]
    assert h.period.tolist() == [300, 300, 300]
    assert h.sent.tolist() == [10.0, 20.0, 30.0]


def test_get_metric_data_pages_and_a_partial_warning(tmp_path):
    page1 = {"MetricDataResults": [{"Id": "m1", "Label": "Send", "StatusCode": "PartialData",
             "Timestamps": ["2026-11-01T02:00:00Z", "2026-11-01T01:00:00Z"],
             "Values": [7.0, 5.0]}], "NextToken": "abc", "Messages": []}  # fmt: skip
    page2 = {"MetricDataResults": [{"Id": "m1", "Label": "Send", "StatusCode": "Complete",
             "Timestamps": ["2026-11-01T00:00:00Z"], "Values": [3.0]}], "Messages": []}  # fmt: skip
    a, b = _write(tmp_path, "p1.json", page1), _write(tmp_path, "p2.json", page2)
    h = read_history([a, b], period=3600)
    assert h.sent.tolist() == [3.0, 5.0, 7.0]
    assert set(h.period.tolist()) == {3600}
    assert len(h.warnings) == 1
    assert "PartialData" in h.warnings[0]


def test_get_send_statistics_is_15_minute_buckets_offsets_to_utc(tmp_path):
    data = {"SendDataPoints": [
        {"Timestamp": "2026-11-01T01:15:00+01:00", "DeliveryAttempts": 4, "Bounces": 0,
         "Complaints": 0, "Rejects": 0},
        {"Timestamp": "2026-11-01T00:30:00+00:00", "DeliveryAttempts": 6, "Bounces": 1,
         "Complaints": 0, "Rejects": 0}]}  # fmt: skip
    h = read_history([_write(tmp_path, "g.json", data)])
    # 01:15 at +01:00 is 00:15 UTC.
    assert h.start.tolist() == [dt.datetime(2026, 11, 1, 0, 15), dt.datetime(2026, 11, 1, 0, 30)]
    assert h.period.tolist() == [900, 900]


def test_overlapping_files_merge_and_an_identical_point_is_kept_once(tmp_path):
    a = _write(tmp_path, "a.json", _statistics([("2026-11-01T00:00:00Z", 1.0),
                                                ("2026-11-01T00:01:00Z", 2.0)]))  # fmt: skip
    b = _write(tmp_path, "b.json", _statistics([("2026-11-01T00:01:00Z", 2.0),
                                                ("2026-11-01T00:02:00Z", 3.0)]))  # fmt: skip
    h = read_history([a, b])
    assert h.sent.tolist() == [1.0, 2.0, 3.0]
    # The same instants at another period are other buckets, kept beside them.
    c = _write(tmp_path, "c.json", _statistics([("2026-11-01T00:00:00Z", 6.0),
                                                ("2026-11-01T00:05:00Z", 1.0)]))  # fmt: skip
    assert len(read_history([a, b, c])) == 5
    assert np.array_equal(read_history([a, b, c]).period, [60, 60, 60, 300, 300])


def _bad(tmp_path, data, name="bad.json"):
    path = _write(tmp_path, name, data) if not isinstance(data, str) else tmp_path / name
    if isinstance(data, str):
        path.write_text(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"Label": "Send", "Datapoints": [', "is not complete JSON"),
        ({"DedicatedIps": []}, "is not send history; expected the JSON output of"),
        (_statistics([("2026-11-01T00:00:00Z", 1.0)], label="Bounce"),
         "is the metric 'Bounce'; expected 'Send'"),
        (_statistics([("2026-11-01T00:00:00Z", 1.0), ("2026-11-01T00:01:00Z", 1.0)],
                     stat="Average"), "Datapoints #1 has Average; expected Sum"),
        (_statistics([("2026-11-01T00:00:00Z", -1.0), ("2026-11-01T00:01:00Z", 1.0)]),
         "Datapoints #1: -1.0 is not a count of messages"),
        (_statistics([("2026-11-01T00:00:00", 1.0), ("2026-11-01T00:01:00Z", 1.0)]),
         "has no UTC offset"),
        (_statistics([("yesterday", 1.0)]), "Timestamp 'yesterday' is not an ISO 8601 time"),
        (_statistics([("2026-11-01T00:00:00Z", 1.0)]), "has one bucket; give its period"),
        (_statistics([]), "has no data points"),
        ({"MetricDataResults": [{"Label": "Send", "StatusCode": "Forbidden", "Timestamps": [],
                                 "Values": []}]}, "StatusCode Forbidden"),
        ({"MetricDataResults": [{"Label": "Send", "Timestamps": ["2026-11-01T00:00:00Z"],
                                 "Values": []}]}, "not two lists of the same length"),
        (_statistics([("2026-11-01T00:00:00Z", 1.0), ("2026-11-01T00:01:00Z", 1.0),
                      ("2026-11-01T00:02:30Z", 1.0)]), "not whole periods apart"),
    ],
)  # fmt: skip
def test_bad_files_are_one_error_naming_the_file(tmp_path, data, message):
    path = _bad(tmp_path, data)
    with pytest.raises(DataFileError) as caught:
        read_history([path])
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_two_counts_for_one_bucket_name_both_files(tmp_path):
    a = _write(tmp_path, "a.json", _statistics([("2026-11-01T00:00:00Z", 1.0),
                                                ("2026-11-01T00:01:00Z", 2.0)]))  # fmt: skip
    b = _write(tmp_path, "b.json", _statistics([("2026-11-01T00:01:00Z", 5.0),
                                                ("2026-11-01T00:02:00Z", 3.0)]))  # fmt: skip
    with pytest.raises(DataFileError) as caught:
        read_history([a, b])
    text = str(caught.value)
    assert str(a) in text
    assert str(b) in text
    assert "is 5 here and 2 in" in text


def test_a_bucket_after_today_is_an_error(tmp_path):
    path = _write(tmp_path, "s.json", _statistics([("2026-12-01T00:00:00Z", 1.0),
                                                   ("2026-12-01T00:01:00Z", 1.0)]))  # fmt: skip
    with pytest.raises(DataFileError, match=r"is after today \(2026-11-30\)"):
        read_history([path], today=dt.date(2026, 11, 30))

"""A catalogue of bad inputs: each is one `Error:` line naming the value, and exit status 1.

Every case runs a real command (in-process) on files written for it. The expected
text is the start of the line a user should see; each names the value as it was
written, so a message that loses or garbles it fails here.
"""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.edges.cli import app
from planner.errors import PlannerError

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "planner" / "data"
AWS = ROOT / "data" / "aws"
E = ["estimate", "--date", "2026-11-27"]
R = ["relinquish", "-r", "us-east-1", "--count", "2", "--date", "2026-11-15"]

PLAN_HEAD = 'start = "2027-01"\nmonths = 2\n'
REGION = '[[regions]]\nregion = "us-east-1"\n'
EVENT = '[[events]]\ndate = "2027-01-10"\nregion = "us-east-1"\naction = "lease"\n'

# (id, arguments, files {name: text}, the start of the message after "Error: ")
CASES = [
    # ---------------------------------------------------- numbers beyond the limits
    ("rate-1e308", [*E, "--rate", "1e308"], {}, "--rate: 1e308 is not allowed; expected a number greater than 0, at most 10,000,000"),
    ("rate-huge-int", [*E, "--rate", "99999999999"], {}, "--rate: 99999999999 is not allowed"),
    ("rate-inf", [*E, "--rate", "inf"], {}, "--rate: inf is not allowed"),
    ("rate-minus-inf", [*E, "--rate", "-inf"], {}, "--rate: -inf is not allowed"),
    ("rate-nan", [*E, "--rate", "nan"], {}, "--rate: nan is not allowed"),
    ("rate-zero", [*E, "--rate", "0"], {}, "--rate: 0 is not allowed"),
    ("rate-negative", [*E, "--rate", "-5"], {}, "--rate: -5 is not allowed"),
    ("rate-text", [*E, "--rate", "fast"], {}, "--rate: 'fast' is not allowed; expected a number"),
    ("rate-empty", [*E, "--rate", ""], {}, "--rate: '' is not allowed; expected a number"),
    ("rate-comma", [*E, "--rate", "3,5"], {}, "--rate: '3,5' is not allowed; expected a number"),
    ("rate-second-of-two", [*E, "--rate", "300", "--rate", "2e7", "-r", "us-east-1", "-r", "eu-west-1"], {}, "--rate: 2e7 is not allowed"),
    ("rates-three-for-two", [*E, "--rate", "1", "--rate", "2", "--rate", "3", "-r", "us-east-1", "-r", "eu-west-1"], {}, "--rate: '1, 2, 3' is not allowed; 3 values for 2 Regions"),
    ("per-ip-tiny", [*E, "--rate", "3", "--per-ip-rate", "1e-300"], {}, "--per-ip-rate: 1e-300 is not allowed; expected 0.001 to 1,000,000"),
    ("per-ip-huge", [*E, "--rate", "3", "--per-ip-rate", "5e6"], {}, "--per-ip-rate: 5e6 is not allowed"),
    ("per-ip-zero", [*E, "--rate", "3", "--per-ip-rate", "0"], {}, "--per-ip-rate: 0 is not allowed"),
    ("per-ip-nan", [*E, "--rate", "3", "--per-ip-rate", "nan"], {}, "--per-ip-rate: nan is not allowed"),
    ("too-many-ips-for-rate", [*E, "--rate", "9000000", "--per-ip-rate", "0.001"], {}, "--rate: 9000000 is not allowed; needs more than 10,000,000 IPs"),
    ("tiny-utilization", [*E, "--rate", "300", "--utilization", "1e-300"], {}, "--rate: 300 is not allowed; needs more than 10,000,000 IPs"),
    ("utilization-above-1", [*E, "--rate", "3", "--utilization", "1.5"], {}, "--utilization: 1.5 is not allowed"),
    ("utilization-zero", [*E, "--rate", "3", "--utilization", "0"], {}, "--utilization: 0 is not allowed"),
    ("utilization-percent", [*E, "--rate", "3", "--utilization", "80"], {}, "--utilization: 80 is not allowed"),
    ("utilization-nan", [*E, "--rate", "3", "--utilization", "nan"], {}, "--utilization: nan is not allowed"),
    ("utilization-text", [*E, "--rate", "3", "--utilization", "high"], {}, "--utilization: 'high' is not allowed; expected a number"),
    ("ips-1e16", [*E, "--ips", "10000000000000000"], {}, "--ips: 10000000000000000 is not allowed; expected a whole number of 1 to 10,000,000"),
    ("ips-1e20", [*E, "--ips", "99999999999999999999"], {}, "--ips: 99999999999999999999 is not allowed"),
    ("ips-zero", [*E, "--ips", "0"], {}, "--ips: 0 is not allowed"),
    ("ips-negative", [*E, "--ips", "-2"], {}, "--ips: -2 is not allowed"),
    ("ips-fraction", [*E, "--ips", "2.5"], {}, "--ips: '2.5' is not allowed; expected a whole number"),
    ("volume-1e13", [*E, "--daily-volume", "1e13"], {}, "--daily-volume: 1e13 is not allowed"),
    ("volume-negative", [*E, "--daily-volume", "-1"], {}, "--daily-volume: -1 is not allowed"),
    ("volume-and-rate", [*E, "--daily-volume", "100", "--rate", "3"], {}, "--daily-volume: 100 is not allowed; a peak send rate was given too"),
    ("peak-nan", [*E, "--rate", "300", "--peak-factor", "nan", "-f", "json"], {}, "--peak-factor: nan is not allowed"),
    ("peak-negative", [*E, "--rate", "300", "--peak-factor", "-1"], {}, "--peak-factor: -1 is not allowed"),
    ("peak-half", [*E, "--daily-volume", "1000000", "--peak-factor", "0.5"], {}, "--peak-factor: 0.5 is not allowed"),
    ("peak-huge", [*E, "--daily-volume", "1000000", "--peak-factor", "1e9"], {}, "--peak-factor: 1e9 is not allowed"),
    ("min-negative", [*E, "--rate", "3", "--min-per-region", "-1"], {}, "--min-per-region: -1 is not allowed"),
    ("min-huge", [*E, "--rate", "3", "--min-per-region", "1e12"], {}, "--min-per-region: 1e12 is not allowed"),
    ("min-fraction", [*E, "--rate", "3", "--min-per-region", "1.5"], {}, "--min-per-region: 1.5 is not allowed; expected a whole number"),
    ("failures-all", [*E, "--rate", "3", "--az-failures", "6"], {}, "--az-failures: 6 is not allowed; us-east-1 has 6 usable"),
    ("failures-negative", [*E, "--rate", "3", "--az-failures", "-1"], {}, "--az-failures: -1 is not allowed"),
    ("failures-huge", [*E, "--rate", "3", "--az-failures", "1000"], {}, "--az-failures: 1000 is not allowed"),
    ("azs-beyond-table", [*E, "--rate", "3", "--azs", "9"], {}, "--azs: 9 is not allowed; us-east-1 has 6 Availability Zones"),
    ("azs-zero", [*E, "--rate", "3", "--azs", "0"], {}, "--azs: 0 is not allowed"),
    ("azs-unknown-region", [*E, "--rate", "3", "--azs", "eu-west-9=2"], {}, "--azs: 'eu-west-9' is not allowed; names a Region that is not estimated"),
    ("azs-no-equals", [*E, "--rate", "3", "--azs", "us-east-1=2", "--azs", "4"], {}, "--azs: '4' is not allowed; expected N alone, or REGION=N"),
    ("azs-text", [*E, "--rate", "3", "--azs", "us-east-1=x"], {}, "--azs: 'x' is not allowed; expected a whole number"),
    ("region-unknown", [*E, "--rate", "3", "-r", "us-east-9"], {}, "--region: unknown 'us-east-9'; did you mean"),
    ("region-twice-cases", [*E, "--rate", "3", "-r", "us-east-1", "-r", "US-EAST-1"], {}, "--region: 'US-EAST-1' is not allowed; expected each Region once"),
    ("profile-unknown", [*E, "--rate", "3", "--profile", "sendgird"], {}, "--profile: unknown 'sendgird'; did you mean sendgrid?"),
    ("profile-and-rate", [*E, "--rate", "3", "--profile", "mandrill", "--per-ip-rate", "5"], {}, "--profile: 'mandrill' is not allowed; a per-IP rate was given too"),
    ("date-impossible", ["estimate", "--rate", "3", "--date", "2026-02-30"], {}, "--date: '2026-02-30' is not allowed"),
    ("date-before-prices", ["estimate", "--rate", "3", "--date", "2019-01-01"], {}, "price: no dedicated-ip price for us-east-1 on 2019-01-01"),
    ("nothing-to-size", [*E], {}, "--rate is missing; give a peak send rate"),
    # ------------------------------------------------------------------ relinquish
    ("count-zero", ["relinquish", "-r", "us-east-1", "--count", "0", "--date", "2026-11-15"], {}, "--count: 0 is not allowed; expected 1 to 10,000,000 IPs"),
    ("count-huge", ["relinquish", "-r", "us-east-1", "--count", "99999999999", "--date", "2026-11-15"], {}, "--count: 99999999999 is not allowed"),
    ("count-text", ["relinquish", "-r", "us-east-1", "--count", "two", "--date", "2026-11-15"], {}, "--count: 'two' is not allowed; expected a whole number"),
    ("held-below-count", [*R, "--held", "1"], {}, "--held: 1 is not allowed; expected at least the 2 IPs relinquished"),
    ("held-huge", [*R, "--held", "99999999999"], {}, "--held: 99999999999 is not allowed"),
    ("day-count-unknown", [*R, "--day-count", "sometimes"], {}, "--day-count: 'sometimes' is not allowed; expected one of inclusive, exclusive"),
    ("relinquish-bad-date", ["relinquish", "-r", "us-east-1", "--count", "1", "--date", "15/11/2026"], {}, "--date: '15/11/2026' is not allowed"),
    ("relinquish-unknown-region", ["relinquish", "-r", "mars-1", "--count", "1", "--date", "2026-11-15"], {}, "--region: unknown 'mars-1'"),
    # ---------------------------------------------------------------- plan files
    ("plan-regions-numbers", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + "regions = [1, 2]\n"}, "{dir}/p.toml, [[regions]] #1: 1 is not a table; write [[regions]]"),
    ("plan-events-numbers", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + "events = [1]\n"}, "{dir}/p.toml, [[events]] #1: 1 is not a table"),
    ("plan-regions-string", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + 'regions = "us-east-1"\n'}, "{dir}/p.toml: regions = 'us-east-1' is not an array of tables"),
    ("plan-start-toml-date", ["budget", "{dir}/p.toml"], {"p.toml": "start = 2027-01-01\n"}, "{dir}/p.toml: start = 2027-01-01 is not a calendar month (YYYY-MM)"),
    ("plan-start-missing", ["budget", "{dir}/p.toml"], {"p.toml": "months = 2\n"}, "{dir}/p.toml: start is missing"),
    ("plan-start-13", ["budget", "{dir}/p.toml"], {"p.toml": 'start = "2027-13"\n'}, "{dir}/p.toml: start = '2027-13' is not a calendar month"),
    ("plan-months-zero", ["budget", "{dir}/p.toml"], {"p.toml": 'start = "2027-01"\nmonths = 0\n'}, "{dir}/p.toml: months = 0 must be 1 to 600"),
    ("plan-months-float", ["budget", "{dir}/p.toml"], {"p.toml": 'start = "2027-01"\nmonths = 2.5\n'}, "{dir}/p.toml: months = 2.5 is not a whole number"),
    ("plan-months-bool", ["budget", "{dir}/p.toml"], {"p.toml": 'start = "2027-01"\nmonths = true\n'}, "{dir}/p.toml: months = true is not a whole number"),
    ("plan-ips-1e17", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 100000000000000000\n"}, "{dir}/p.toml, [[regions]] #1: ips: 100000000000000000 is not allowed"),
    ("plan-ips-float", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 1e17\n"}, "{dir}/p.toml, [[regions]] #1: ips = 1e+17 is not a whole number"),
    ("plan-ips-bool", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = true\n"}, "{dir}/p.toml, [[regions]] #1: ips = true is not a whole number"),
    ("plan-rate-text", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + 'rate = "fast"\n'}, "{dir}/p.toml, [[regions]] #1: rate = 'fast' is not a number"),
    ("plan-rate-nan", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = nan\n"}, "{dir}/p.toml, [[regions]] #1: rate: nan is not allowed"),
    ("plan-rate-inf", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = inf\n"}, "{dir}/p.toml, [[regions]] #1: rate: inf is not allowed"),
    ("plan-rate-negative", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = -3\n"}, "{dir}/p.toml, [[regions]] #1: rate: -3 is not allowed"),
    ("plan-two-amounts", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = 3\nips = 2\n"}, "{dir}/p.toml, [[regions]] #1: give exactly one of rate, daily_volume, ips or fleet_file"),
    ("plan-no-amount", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION}, "{dir}/p.toml, [[regions]] #1: give exactly one of"),
    ("plan-region-missing", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + "[[regions]]\nips = 2\n"}, "{dir}/p.toml, [[regions]] #1: region is missing"),
    ("plan-region-unknown", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + '[[regions]]\nregion = "us-eats-1"\nips = 2\n'}, "{dir}/p.toml, [[regions]] #1: region: unknown 'us-eats-1'; did you mean us-east-1"),
    ("plan-region-number", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + "[[regions]]\nregion = 5\nips = 2\n"}, "{dir}/p.toml, [[regions]] #1: region = 5 is not a non-empty string"),
    ("plan-pool-newline", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + 'ips = 2\npool = "a\\nb"\n'}, "{dir}/p.toml, [[regions]] #1: pool = 'a\\nb' has a line break"),
    ("plan-pool-twice", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + REGION + "ips = 3\n"}, "{dir}/p.toml, [[regions]] #2: us-east-1 pool 'default' is listed twice"),
    ("plan-unknown-key", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\ncolour = 1\n"}, "{dir}/p.toml, [[regions]] #1: unknown key 'colour'"),
    ("plan-top-unknown-key", ["budget", "{dir}/p.toml"], {"p.toml": "mystery = 1\n" + PLAN_HEAD}, "{dir}/p.toml: unknown key 'mystery'"),
    ("plan-azs-9", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = 300\nazs = 9\n"}, "{dir}/p.toml, [[regions]] #1: azs: 9 is not allowed; us-east-1 has 6"),
    ("plan-azs-0", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "rate = 300\nazs = 0\n"}, "{dir}/p.toml, [[regions]] #1: azs: 0 is not allowed"),
    ("plan-peak-half", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + "[defaults]\npeak_factor = 0.5\n" + REGION + "rate = 3\n"}, "{dir}/p.toml, [defaults]: peak_factor: 0.5 is not allowed"),
    ("plan-profile-and-rate", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + 'rate = 3\nprofile = "sendgrid"\nper_ip_rate = 40\n'}, "{dir}/p.toml, [[regions]] #1: profile: 'sendgrid' is not allowed; a per-IP rate was given too"),
    ("plan-defaults-not-table", ["budget", "{dir}/p.toml"], {"p.toml": "defaults = 3\n" + PLAN_HEAD}, "{dir}/p.toml: defaults must be a table"),
    ("plan-day-count", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + '[defaults]\nday_count = "maybe"\n' + REGION + "ips = 2\n"}, "{dir}/p.toml, [defaults]: day_count: 'maybe' is not allowed"),
    ("plan-since-impossible", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + 'ips = 2\nsince = "2027-02-30"\n'}, "{dir}/p.toml, [[regions]] #1: since = '2027-02-30' is not a real calendar date"),
    ("plan-event-count-zero", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + EVENT + "count = 0\n"}, "{dir}/p.toml, [[events]] #1: count = 0 must be 1 to 10,000,000"),
    ("plan-event-count-1e18", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + EVENT + "count = 1000000000000000000\n"}, "{dir}/p.toml, [[events]] #1: count = 1000000000000000000 must be 1 to 10,000,000"),
    ("plan-event-action", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + '[[events]]\ndate = "2027-01-10"\nregion = "us-east-1"\naction = "sell"\ncount = 1\n'}, "{dir}/p.toml, [[events]] #1: action = 'sell' is not one of lease, relinquish"),
    ("plan-event-before-start", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + '[[events]]\ndate = "2026-12-10"\nregion = "us-east-1"\naction = "lease"\ncount = 1\n'}, "{dir}/p.toml, [[events]] #1: date 2026-12-10 is before the plan's start"),
    ("plan-relinquish-too-many", ["budget", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n" + '[[events]]\ndate = "2027-01-10"\nregion = "us-east-1"\naction = "relinquish"\ncount = 3\n'}, "{dir}/p.toml, [[events]] #1: relinquishes 3 IPs in us-east-1 pool 'default' on 2027-01-10, but only 2 are held"),
    ("plan-malformed-toml", ["budget", "{dir}/p.toml"], {"p.toml": 'start = "2027-01"\nmonths = = 2\n'}, "{dir}/p.toml: malformed TOML"),
    ("plan-not-utf8", ["budget", "{dir}/p.toml"], {"p.toml": b"start = '\xff'\n"}, "{dir}/p.toml: is not UTF-8 text"),
    ("plan-missing-file", ["budget", "{dir}/nope.toml"], {}, "{dir}/nope.toml: no such file"),
    ("plan-is-folder", ["budget", "{dir}"], {}, "{dir}: is a directory, not a file"),
    ("budget-months-zero", ["budget", "{dir}/p.toml", "--months", "0"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--months: 0 is not allowed; expected 1 to 600"),
    ("budget-months-fraction", ["budget", "{dir}/p.toml", "--months", "2.5"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--months: '2.5' is not allowed; expected a whole number"),
    ("budget-start-bad", ["budget", "{dir}/p.toml", "--start", "June"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--start: 'June' is not allowed; expected a calendar month"),
    ("budget-utilization", ["budget", "{dir}/p.toml", "--utilization", "2"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--utilization: 2 is not allowed"),
    ("budget-lease-proration", ["budget", "{dir}/p.toml", "--lease-proration", "weekly"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--lease-proration: 'weekly' is not allowed"),
    # -------------------------------------------------------------- event logs (CSV)
    ("events-header-twice", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count,count\n2027-01-10,us-east-1,lease,1,2\n"}, "{dir}/e.csv, line 1: column 'count' appears twice in the header"),
    ("events-unterminated-quote", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": 'date,region,action,count,note\n2027-01-10,us-east-1,lease,1,"oops\n'}, "{dir}/e.csv, line 2: malformed CSV"),
    ("events-extra-cells", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count\n2027-01-10,us-east-1,lease,1,9\n"}, "{dir}/e.csv, line 2: more cells than header columns"),
    ("events-missing-column", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,count\n"}, "{dir}/e.csv, line 1: missing column(s) action"),
    ("events-unknown-column", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count,colour\n"}, "{dir}/e.csv, line 1: unknown column(s) colour"),
    ("events-count-text", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count\n2027-01-10,us-east-1,lease,two\n"}, "{dir}/e.csv, line 2: count = 'two' is not a whole number"),
    ("events-bad-date", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count\n10/01/2027,us-east-1,lease,1\n"}, "{dir}/e.csv, line 2: date = '10/01/2027' is not a real calendar date"),
    ("events-unknown-region", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n", "e.csv": "date,region,action,count\n2027-01-10,us-eats-1,lease,1\n"}, "{dir}/e.csv, line 2: region: unknown 'us-eats-1'"),
    ("events-pool-needed", ["budget", "{dir}/p.toml", "--events", "{dir}/e.csv"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\npool = 'a'\n" + REGION + "ips = 2\npool = 'b'\n", "e.csv": "date,region,action,count\n2027-01-10,us-east-1,relinquish,1\n"}, "{dir}/e.csv, line 2: us-east-1 has pools a, b; name the pool"),
    # ---------------------------------------------------------- price books (CSV)
    ("prices-fee-1e30", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,1e30,USD,2025-01-01,,,,x\n"}, "{dir}/prices.csv, line 2: price 1e30 is more than the limit of 100000.00"),
    ("prices-negative", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,-1,USD,2025-01-01,,,,x\n"}, "{dir}/prices.csv, line 2: price: '-1' is not allowed"),
    ("prices-nan", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,NaN,USD,2025-01-01,,,,x\n"}, "{dir}/prices.csv, line 2: price: 'NaN' is not allowed"),
    ("prices-fraction-of-cent", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,24.951,USD,2025-01-01,,,,x\n"}, "{dir}/prices.csv, line 2: price: '24.951' is not allowed; expected at most two decimal places"),
    ("prices-column-twice", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "sku,region,unit,price,price,currency,effective_from,effective_to,tier_from,tier_to,source\n"}, "{dir}/prices.csv, line 1: column 'price' appears twice"),
    ("prices-bad-date", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,24.95,USD,2025-13-01,,,,x\n"}, "{dir}/prices.csv, line 2: effective_from '2025-13-01' is not a date"),
    ("prices-overlap", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,24.95,USD,2025-01-01,,,,x\ndedicated-ip,*,IP-month,25.00,USD,2026-01-01,,,,x\n"}, "{dir}/prices.csv, line 3: dedicated-ip for * from 2026-01-01 overlaps"),
    ("prices-no-rows", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\n"}, "{dir}/prices.csv: has a header but no rows"),
    ("prices-unterminated", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": 'HEADER\ndedicated-ip,*,IP-month,24.95,USD,2025-01-01,,,,"x\n'}, "{dir}/prices.csv, line 2: malformed CSV"),
    ("prices-tier-huge", [*E, "--rate", "3", "--prices", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,24.95,USD,2025-01-01,,,,x\nmanaged-ip-usage,*,1000 messages,0.08,USD,2025-01-01,,0,1e30,x\n"}, "{dir}/prices.csv, line 3: tier_to '1e30' is not a whole number"),
    # ---------------------------------------------------------- Region tables (CSV)
    ("regions-az-count-huge", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "RHEADER\nus-east-1,N. Virginia,aws,1000000000000,2,,,x,2026\n"}, "{dir}/r.csv, line 2: az_count 1000000000000 is more than the limit of 32"),
    ("regions-usable-above", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "RHEADER\nus-east-1,N. Virginia,aws,2,3,,,x,2026\n"}, "{dir}/r.csv, line 2: usable_azs 3 is more than az_count 2"),
    ("regions-ids-mismatch", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "RHEADER\nus-east-1,N. Virginia,aws,3,3,a b,,x,2026\n"}, "{dir}/r.csv, line 2: az_ids lists 2 AZ IDs but az_count is 3"),
    ("regions-twice", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "RHEADER\nus-east-1,N,aws,3,3,,,x,2026\nus-east-1,N,aws,3,3,,,x,2026\n"}, "{dir}/r.csv, line 3: region 'us-east-1' appears twice"),
    ("regions-header-twice", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "region,region,name,partition,az_count,usable_azs,az_ids,notes,source,as_of\n"}, "{dir}/r.csv, line 1: column 'region' appears twice"),
    ("regions-az-count-text", [*E, "--rate", "3", "--regions-file", "{dir}/r.csv"], {"r.csv": "RHEADER\nus-east-1,N,aws,three,3,,,x,2026\n"}, "{dir}/r.csv, line 2: az_count 'three' is not a whole number"),
    # -------------------------------------------------------------- output targets
    ("output-folder", [*E, "--rate", "3", "-o", "{dir}"], {}, "--output: '{dir}' is not allowed; it is a folder"),
    ("output-no-folder", [*E, "--rate", "3", "-o", "{dir}/missing/x.csv"], {}, "{dir}/missing/x.csv: cannot write: folder '{dir}/missing' does not exist"),
    ("output-unknown-suffix", [*E, "--rate", "3", "-o", "{dir}/x.ods"], {}, "--output: '{dir}/x.ods' is not allowed; expected a file name ending .txt, .csv, .json, .md, .xlsx"),
    ("xlsx-and-format", [*E, "--rate", "3", "-f", "csv", "-o", "{dir}/x.xlsx"], {}, "--output: '{dir}/x.xlsx' is not allowed; its suffix means xlsx, but --format is csv"),
    ("xlsx-and-decimal-comma", [*E, "--rate", "3", "--decimal-comma", "-o", "{dir}/x.xlsx"], {}, "--decimal-comma: 'given' is not allowed; writes CSV, and the output is xlsx"),
    ("xlsx-support-case", ["request", "--rate", "3", "-o", "{dir}/case.xlsx"], {}, "--output: '{dir}/case.xlsx' is not allowed; the case is text to paste; expected a file name ending .txt, .md or .json"),
    ("output-contradicts", [*E, "--rate", "3", "-f", "json", "-o", "{dir}/x.csv"], {}, "--output: '{dir}/x.csv' is not allowed; its suffix means csv, but --format is json"),
    ("output-is-the-plan", ["budget", "{dir}/p.toml", "-f", "csv", "-o", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--output: '{dir}/p.toml' is not allowed; it is a file this run reads"),
    ("output-is-the-prices", [*E, "--rate", "3", "--prices", "{dir}/prices.csv", "-f", "csv", "-o", "{dir}/prices.csv"], {"prices.csv": "HEADER\ndedicated-ip,*,IP-month,24.95,USD,2025-01-01,,,,x\n"}, "--output: '{dir}/prices.csv' is not allowed; it is a file this run reads"),
    ("plot-suffix", [*E, "--rate", "3", "--plot", "{dir}/x.gif"], {}, "--plot: '{dir}/x.gif' is not allowed; expected a file name ending .png, .svg or .pdf"),
    ("plot-folder", [*E, "--rate", "3", "--plot", "{dir}"], {}, "--plot: '{dir}' is not allowed; it is a folder"),
    ("plot-same-as-output", [*E, "--rate", "3", "-f", "csv", "-o", "{dir}/x.png", "--plot", "{dir}/x.png"], {}, "--plot: '{dir}/x.png' is not allowed; expected a different file from --output"),
    ("plot-is-the-plan", ["budget", "{dir}/p.toml", "--plot", "{dir}/p.toml"], {"p.toml": PLAN_HEAD + REGION + "ips = 2\n"}, "--plot: '{dir}/p.toml' is not allowed; it is a file this run reads"),
    # ------------------------------------------------------ warmup, compare, schedule
    ("warmup-curve", ["warmup", "--ips", "2", "--rate", "5", "--start", "2027-01-01", "--curve", "expo"], {}, "--curve: unknown 'expo'"),
    ("warmup-partway", ["warmup", "--ips", "2", "--rate", "5", "--start", "2027-01-01", "--partway", "2=140"], {}, "--partway: 140 is not allowed"),
    ("warmup-days", ["warmup", "--ips", "2", "--rate", "5", "--start", "2027-01-01", "--days", "99999999999"], {}, "--days: 99999999999 is not allowed; expected 1 to 3,660 days"),
    ("warmup-no-ips", ["warmup", "--ips", "0", "--rate", "5", "--start", "2027-01-01"], {}, "--ips: 0 is not allowed; expected at least 1 IP"),
    ("warmup-rate-huge", ["warmup", "--ips", "2", "--rate", "1e9", "--start", "2027-01-01"], {}, "--rate: 1e9 is not allowed"),
    ("compare-text", ["compare", "--monthly-volume", "lots"], {}, "--monthly-volume: 'lots' is not allowed"),
    ("compare-fraction", ["compare", "--monthly-volume", "1.5"], {}, "--monthly-volume: 1.5 is not allowed"),
    ("schedule-gap", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,3\n2027-03,us-east-1,3\n"}, "{dir}/f.csv, line 3: month: '2027-03' is not allowed; expected us-east-1 pool 'default''s months consecutive"),
    ("schedule-two-amounts", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate,daily_volume\n2027-01,us-east-1,3,9\n"}, "{dir}/f.csv, line 2: give exactly one of peak_rate or daily_volume"),
    ("schedule-bad-month", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-13,us-east-1,3\n"}, "{dir}/f.csv, line 2: month: '2027-13' is not allowed"),
    ("schedule-rate-text", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,fast\n"}, "{dir}/f.csv, line 2: peak_rate: 'fast' is not allowed; expected a number"),
    ("schedule-rate-huge", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,1e9\n"}, "{dir}/f.csv, line 2: rate: 1e9 is not allowed"),
    ("schedule-unknown-region", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-eats-1,3\n"}, "{dir}/f.csv, line 2: region: unknown 'us-eats-1'; did you mean us-east-1"),
    ("schedule-held-elsewhere", ["schedule", "{dir}/f.csv", "--held", "eu-west-1=3"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,3\n"}, "--held: 'eu-west-1' is not allowed; names a Region and pool the forecast does not have"),
    ("schedule-lead-negative", ["schedule", "{dir}/f.csv", "--lead-days", "-3"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,3\n"}, "--lead-days: -3 is not allowed; expected 0 to 3,660 days"),
    ("schedule-header-twice", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,region,peak_rate\n"}, "{dir}/f.csv, line 1: column 'region' appears twice"),
    ("schedule-output-is-forecast", ["schedule", "{dir}/f.csv", "-f", "csv", "-o", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,3\n"}, "--output: '{dir}/f.csv' is not allowed; it is a file this run reads"),
    # ------------------------------------- the support case and the account's files (#17)
    ("request-relinquish-0", ["request", "--relinquish", "0", "-r", "us-east-1"], {}, "--relinquish: 0 is not allowed; expected 1 to 10,000,000 IPs"),
    ("request-relinquish-negative", ["request", "--relinquish", "-3", "-r", "us-east-1"], {}, "--relinquish: -3 is not allowed"),
    ("request-relinquish-1e20", ["request", "--relinquish", "100000000000000000000"], {}, "--relinquish: 100000000000000000000 is not allowed"),
    ("request-relinquish-text", ["request", "--relinquish", "two"], {}, "--relinquish: 'two' is not allowed; expected a whole number"),
    ("request-relinquish-unknown-region", ["request", "--relinquish", "2", "-r", "mars-north-1"], {}, "--region: unknown 'mars-north-1'"),
    ("request-relinquish-and-rate", ["request", "--relinquish", "2", "--rate", "300"], {}, "--relinquish: '2' is not allowed; --rate was given too"),
    ("request-relinquish-and-forecast", ["request", "--relinquish", "2", "--forecast", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,100\n"}, "--relinquish: '2' is not allowed; --forecast was given too"),
    ("request-region-twice", ["request", "--relinquish", "2", "-r", "us-east-1", "-r", "US-EAST-1"], {}, "--region: 'US-EAST-1' is not allowed; expected each Region once"),
    ("request-ip-without-relinquish", ["request", "--rate", "300", "--ip", "198.51.100.10"], {}, "--ip: '198.51.100.10' is not allowed; only a relinquish"),
    ("request-ip-not-ipv4", ["request", "--relinquish", "1", "--ip", "300.1.1.1"], {}, "--ip: '300.1.1.1' is not allowed; expected an IPv4 address"),
    ("request-ip-count-mismatch", ["request", "--relinquish", "2", "--ip", "198.51.100.10"], {}, "--ip: '198.51.100.10' is not allowed; 1 addresses for 2 IPs"),
    ("request-ip-twice", ["request", "--relinquish", "2", "--ip", "198.51.100.10", "--ip", "198.51.100.10"], {}, "--ip: '198.51.100.10' is not allowed; expected each address once"),
    ("request-ip-not-in-fleet", ["request", "--relinquish", "1", "--ip", "10.9.9.9", "--fleet", str(AWS / "get-dedicated-ips-1.json"), "--fleet", str(AWS / "get-dedicated-ips-2.json")], {}, "--ip: '10.9.9.9' is not allowed; is not a standard dedicated IP"),
    ("request-relinquish-more-than-held", ["request", "--relinquish", "9", "--fleet", str(AWS / "get-dedicated-ips-1.json"), "--fleet", str(AWS / "get-dedicated-ips-2.json")], {}, "--relinquish: 9 is not allowed; us-east-1 holds 7 standard IPs; expected 1 to 7"),
    ("request-aup-maybe", ["request", "--rate", "300", "--aup", "maybe"], {}, "--aup: 'maybe' is not allowed; expected Yes or No (the form's choices)"),
    ("request-aup-empty", ["request", "--rate", "300", "--aup", " "], {}, "--aup: ' ' is not allowed; expected one line of text"),
    ("request-language", ["request", "--rate", "300", "--contact-language", "french"], {}, "--contact-language: 'french' is not allowed; expected English or Japanese (the form's choices)"),
    ("request-language-code", ["request", "--rate", "300", "--contact-language", "EN"], {}, "--contact-language: 'EN' is not allowed; expected English or Japanese"),
    ("request-mail-type-banana", ["request", "--rate", "300", "--mail-type", "banana"], {}, "--mail-type: 'banana' is not allowed; expected Marketing or Transactional (the form's choices)"),
    ("request-mail-type-both", ["request", "--rate", "300", "--mail-type", "both"], {}, "--mail-type: 'both' is not allowed; expected Marketing or Transactional"),
    ("request-mail-type-two-lines", ["request", "--rate", "300", "--mail-type", "marketing\ntransactional"], {}, "--mail-type: 'marketing\\ntransactional' is not allowed; expected one line of text"),
    ("request-url-spaces", ["request", "--rate", "300", "--website", "https://exa mple.com"], {}, "--website: 'https://exa mple.com' is not allowed; expected a web address such as https://example.com"),
    ("request-url-javascript", ["request", "--rate", "300", "--website", "javascript:alert(1)"], {}, "--website: 'javascript:alert(1)' is not allowed; expected a web address"),
    ("request-url-no-scheme", ["request", "--rate", "300", "--website", "example.com"], {}, "--website: 'example.com' is not allowed; expected a web address"),
    ("request-url-ftp", ["request", "--rate", "300", "--website", "ftp://example.com"], {}, "--website: 'ftp://example.com' is not allowed"),
    ("request-url-no-host", ["request", "--rate", "300", "--website", "https://"], {}, "--website: 'https://' is not allowed"),
    ("request-url-tab", ["request", "--rate", "300", "--website", "https://example.com/\tx"], {}, "--website: 'https://example.com/\\tx' is not allowed; expected one line of text"),
    ("request-rate-0", ["request", "--rate", "0"], {}, "--rate: 0 is not allowed; expected a number greater than 0"),
    ("request-rate-1e9", ["request", "--rate", "1e9"], {}, "--rate: 1e9 is not allowed; expected a number greater than 0, at most 10,000,000"),
    ("request-rate-0.4", ["request", "--rate", "0.4"], {}, "--rate: '0.4' is not allowed; the form's New limit value is a whole number of messages per second; expected at least 1"),
    ("request-rate-0.4-second-region", ["request", "--rate", "5", "--rate", "0.4", "-r", "us-east-1", "-r", "eu-west-1"], {}, "--rate: '0.4' is not allowed; the form's New limit value"),
    ("request-50-regions", ["request", "--rate", "300", *[a for r in (["us-east-1", "eu-west-1"] * 25) for a in ("-r", r)]], {}, "--region: 'eu-west-1' is not allowed; expected each Region once"),
    ("request-50-rates", ["request", *[a for _ in range(50) for a in ("--rate", "300")], "-r", "us-east-1", "-r", "eu-west-1"], {}, "--rate: "),
    ("request-output-csv", ["request", "--rate", "3", "-o", "{dir}/case.csv"], {}, "--output: '{dir}/case.csv' is not allowed; the case is text to paste; expected a file name ending .txt, .md or .json"),
    ("request-relinquish-above-held", ["request", "--relinquish", "5", "--held", "4"], {}, "--relinquish: 5 is not allowed; us-east-1 holds 4 standard IPs; expected 1 to 4"),
    ("request-relinquish-addresses-two-regions", ["request", "--relinquish", "1", "-r", "us-east-1", "-r", "eu-west-1", "--ip", "198.51.100.10"], {}, "--ip: '198.51.100.10' is not allowed; expected addresses for one Region at a time"),
    ("request-forecast-and-rate", ["request", "--rate", "300", "--forecast", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,100\n"}, "--forecast: "),
    ("request-today", ["request", "--rate", "300", "--today", "2027-13-01"], {}, "--today: '2027-13-01' is not allowed"),
    ("account-file-other-command", [*E, "--rate", "300", "--account-file", str(AWS / "get-dedicated-ips-1.json")], {}, "--account-file: "),
    ("zones-file-other-command", [*E, "--rate", "300", "--zones-file", str(AWS / "get-account.json")], {}, "--zones-file: "),
    ("zones-file-other-region", [*E, "--rate", "300", "-r", "us-east-1", "--zones-file", str(AWS / "describe-availability-zones-us-west-1.json")], {}, str(AWS / "describe-availability-zones-us-west-1.json") + ": has no Availability Zones of us-east-1"),
    ("zones-file-zone-twice", [*E, "--rate", "300", "-r", "us-west-1", "--zones-file", "{dir}/z.json"], {"z.json": '{"AvailabilityZones": [{"ZoneId": "usw1-az1", "RegionName": "us-west-1", "State": "available"}, {"ZoneId": "usw1-az1", "RegionName": "us-west-1", "State": "available"}]}'}, "{dir}/z.json: AvailabilityZones #2: ZoneId usw1-az1 of us-west-1 is listed twice"),
    ("zones-file-none-available", [*E, "--rate", "300", "-r", "us-west-1", "--zones-file", "{dir}/z.json"], {"z.json": '{"AvailabilityZones": [{"ZoneId": "usw1-az1", "RegionName": "us-west-1", "State": "unavailable"}]}'}, "{dir}/z.json: lists no available Availability Zone in us-west-1"),
    ("account-nan", [*E, "--rate", "300", "--account-file", "{dir}/a.json"], {"a.json": '{"SendQuota": {"MaxSendRate": NaN, "Max24HourSend": 5}}'}, "{dir}/a.json: is not standard JSON (NaN is not a JSON number)"),
    ("account-infinity", [*E, "--rate", "300", "--account-file", "{dir}/a.json"], {"a.json": '{"SendQuota": {"MaxSendRate": Infinity, "Max24HourSend": 5}}'}, "{dir}/a.json: is not standard JSON (Infinity is not a JSON number)"),
    ("account-deep", [*E, "--rate", "300", "--account-file", "{dir}/a.json"], {"a.json": "[" * 100_000}, "{dir}/a.json: nests deeper than any AWS CLI output"),
    ("account-giant-int", [*E, "--rate", "300", "--account-file", "{dir}/a.json"], {"a.json": '{"SendQuota": {"MaxSendRate": ' + "9" * 5000 + "}}"}, "{dir}/a.json: is not standard JSON"),
    ("fleet-mixed-pool", ["fleet", "{dir}/ips.json"], {"ips.json": '{"DedicatedIps": [{"Ip": "10.0.0.1", "WarmupStatus": "DONE", "WarmupPercentage": 100, "PoolName": "p"}, {"Ip": "10.0.0.2", "WarmupStatus": "NOT_APPLICABLE", "WarmupPercentage": -1, "PoolName": "p"}]}'}, "{dir}/ips.json: pool 'p' has 1 IPs reporting WarmupPercentage -1"),
    ("fleet-pool-files-disagree", ["fleet", "{dir}/p1.json", "{dir}/p2.json"], {"p1.json": '{"DedicatedIpPool": {"PoolName": "t", "ScalingMode": "STANDARD"}}', "p2.json": '{"DedicatedIpPool": {"PoolName": "t", "ScalingMode": "MANAGED"}}'}, "{dir}/p2.json: pool 't' is MANAGED here but STANDARD in {dir}/p1.json"),
    ("fleet-ip-twice-names-its-page", ["fleet", "{dir}/a.json", "{dir}/b.json"], {"a.json": '{"DedicatedIps": [{"Ip": "10.0.0.1", "WarmupStatus": "DONE", "WarmupPercentage": 100}], "NextToken": "x"}', "b.json": '{"DedicatedIps": [{"Ip": "10.0.0.1", "WarmupStatus": "DONE", "WarmupPercentage": 100}]}'}, "{dir}/b.json: IP 10.0.0.1 appears also in {dir}/a.json"),
    ("schedule-fleet-managed-pool", ["schedule", "{dir}/f.csv", "--fleet", str(AWS / "get-dedicated-ips-1.json"), "--fleet", str(AWS / "get-dedicated-ips-2.json"), "--fleet", str(AWS / "get-dedicated-ip-pool-marketing.json")], {"f.csv": "month,region,pool,peak_rate\n2027-01,us-east-1,marketing,100\n"}, "--fleet: "),
    ("schedule-month-plus", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2027-+1,us-east-1,100\n"}, "{dir}/f.csv, line 2: month: '2027-+1' is not allowed; expected a calendar month, YYYY-MM"),
    ("schedule-month-underscore", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n2_27-01,us-east-1,100\n"}, "{dir}/f.csv, line 2: month: '2_27-01' is not allowed"),
    ("schedule-month-far", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,peak_rate\n9999-12,us-east-1,100\n"}, "{dir}/f.csv, line 2: month: '9999-12' is not allowed; expected a month from 1970-01 to 2999-12"),
    ("schedule-held-unknown-region", ["schedule", "{dir}/f.csv", "--held", "mars-north-1=3"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,100\n"}, "--held: 'mars-north-1' is not allowed; names a Region the Region table does not have"),
    ("schedule-today-edge", ["schedule", "{dir}/f.csv", "--today", "9999-12-31"], {"f.csv": "month,region,peak_rate\n2027-01,us-east-1,100\n"}, "--today: '9999-12-31' is not allowed; expected a date from 1970-01-01 to 2999-12-31"),
    ("schedule-control-character", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,pool,peak_rate\n2027-01,us-east-1,a\x07b,100\n"}, "{dir}/f.csv, line 2: pool: "),
    ("schedule-too-long", ["schedule", "{dir}/f.csv"], {"f.csv": "month,region,pool,peak_rate\n2027-01,us-east-1,a,100\n2077-01,us-east-1,b,100\n"}, "{dir}/f.csv: spans 601 months"),
    ("compare-volume-per-region", ["compare", "--monthly-volume", "1", "--monthly-volume", "2", "-r", "us-east-1"], {}, "--monthly-volume: '1, 2' is not allowed; 2 values for 1 Regions"),
    ("compare-region-without-volume", ["compare", "--monthly-volume", "1", "-r", "us-east-1", "-r", "eu-west-1"], {}, "--monthly-volume: '1' is not allowed; 1 values for 2 Regions"),
    ("compare-region-twice", ["compare", "--monthly-volume", "1", "--monthly-volume", "2", "-r", "us-east-1", "-r", "us-east-1"], {}, "--region: 'us-east-1' is not allowed; expected each Region once"),
    ("warmup-start-short-month", ["warmup", "--ips", "2", "--rate", "10", "--start", "2027-1-01"], {}, "--start: '2027-1-01' is not allowed; expected a real calendar date"),
    ("schedule-before-1970", ["schedule", "{dir}/f.csv", "--today", "1970-01-01"], {"f.csv": "month,region,peak_rate\n1970-01,us-east-1,100\n"}, "{dir}/f.csv, line 2: month: '1970-01' is not allowed; its IPs would be leased on 1969-11-18, before 1970"),
    ("forecast-empty-history", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Send", "Datapoints": []}'}, "{dir}/h.json: has no data points"),
    ("forecast-another-metric", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Bounce", "Datapoints": []}'}, "{dir}/h.json: is the metric 'Bounce'; expected 'Send'"),
    ("forecast-average", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00Z", "Average": 1.0}]}'}, "{dir}/h.json: Datapoints #1 has Average; expected Sum"),
    ("forecast-negative", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00Z", "Sum": -3}]}'}, "{dir}/h.json: Datapoints #1: -3 is not a count of messages"),
    ("forecast-single-point", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00Z", "Sum": 3}]}'}, "{dir}/h.json: has one bucket; give its period in seconds (--period)"),
    ("forecast-future", ["forecast", "{dir}/h.json", "--today", "2026-10-01"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00+00:00", "Sum": 5.0, "Unit": "Count"}, {"Timestamp": "2026-11-01T01:00:00+00:00", "Sum": 7.0, "Unit": "Count"}]}'}, "{dir}/h.json: 2026-11-01T00:00:00+00:00 is after today (2026-10-01)"),
    ("forecast-too-few-months", ["forecast", "{dir}/h.json", "--today", "2026-11-30", "--burst", "1"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00+00:00", "Sum": 5.0, "Unit": "Count"}, {"Timestamp": "2026-11-01T01:00:00+00:00", "Sum": 7.0, "Unit": "Count"}]}'}, "history: '0 complete months' is not allowed; expected at least 3 complete months"),
    ("forecast-hourly-alone", ["forecast", "{dir}/h.json", "--today", "2026-11-30"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00+00:00", "Sum": 5.0, "Unit": "Count"}, {"Timestamp": "2026-11-01T01:00:00+00:00", "Sum": 7.0, "Unit": "Count"}]}'}, "history: 'finest buckets of 3,600 s' is not allowed; a bucket's average is not its peak second; add the 1-minute Send Sum of the last 15 days"),
    ("forecast-backtest-workbook", ["forecast", "{dir}/h.json", "--today", "2026-11-30", "--backtest", "-o", "{dir}/b.xlsx"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00+00:00", "Sum": 5.0, "Unit": "Count"}, {"Timestamp": "2026-11-01T01:00:00+00:00", "Sum": 7.0, "Unit": "Count"}]}'}, "--output: '{dir}/b.xlsx' is not allowed; --backtest writes a report; expected a file name ending .txt, .csv, .json or .md"),
    ("forecast-nan", ["forecast", "{dir}/h.json"], {"h.json": '{"Label": "Send", "Datapoints": [{"Timestamp": "2026-11-01T00:00:00Z", "Sum": NaN}]}'}, "{dir}/h.json: is not standard JSON"),
    ("schedule-quantile-missing", ["schedule", "{dir}/f.csv", "--quantile", "0.8"], {"f.csv": "month,region,peak_rate,p10,p50,p90\n2027-01,us-east-1,100,90,100,110\n"}, "--quantile: 0.8 is not allowed; {dir}/f.csv has no p80 column; it has p10, p50, p90"),
    ("warmup-start-edge", ["warmup", "--ips", "2", "--rate", "10", "--start", "9999-12-31"], {}, "--start: '9999-12-31' is not allowed; expected a date from 1970-01-01 to 2999-12-31"),
]  # fmt: skip

PRICE_HEADER = (SHIPPED / "prices.csv").read_text(encoding="utf-8").splitlines()[0]
REGION_HEADER = (SHIPPED / "regions.csv").read_text(encoding="utf-8").splitlines()[0]


def test_the_catalogue_is_large_and_covers_every_command():
    assert len(CASES) >= 100
    assert len({case[0] for case in CASES}) == len(CASES)
    assert {case[1][0] for case in CASES} == {
        "estimate", "relinquish", "budget", "warmup", "compare", "schedule", "fleet", "request",
        "forecast",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "files", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_error_line_naming_the_value(tmp_path, args, files, message):
    for name, text in files.items():
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            text = text.replace("RHEADER", REGION_HEADER).replace("HEADER", PRICE_HEADER)
            path.write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = runner.invoke(app, [a.format(dir=tmp_path) for a in args])
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: " + message.format(dir=tmp_path)), result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.endswith("\n")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    # Nothing written, nothing changed.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    if (tmp_path / "missing").exists():  # pragma: no cover - would be a failure above
        shutil.rmtree(tmp_path / "missing")


LIBRARY_CASES = [
    ("schedule-no-rows", lambda: planner.schedule([]), "forecast: 'no rows' is not allowed"),
    ("budget-months-2.5", lambda: planner.budget(ROOT / "data" / "plan-2027.toml", months=2.5),
     "months: 2.5 is not allowed; expected a whole number"),
    ("spread-huge-azs", lambda: planner.spread(3, 10**12), "azs: 1000000000000 is not allowed"),
    ("monthly-fee-huge", lambda: planner.monthly_fee(10**20, 2495), "ips: 100000000000000000000 is not allowed"),
    ("ips-needed-huge-rate", lambda: planner.ips_needed(1e308, 40), "rate: 1e+308 is not allowed"),
    ("ips-needed-tiny-utilization", lambda: planner.ips_needed(300, 40, 1e-300), "rate: 300 is not allowed; needs more than"),
    ("relinquish-count-huge", lambda: planner.relinquish("us-east-1", 10**12, "2026-11-15"), "count: 1000000000000 is not allowed"),
    ("estimate-ips-huge", lambda: planner.estimate(ips=10**17, date="2026-11-27"), "ips: 100000000000000000 is not allowed"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "message"), [c[1:] for c in LIBRARY_CASES], ids=[c[0] for c in LIBRARY_CASES]
)
def test_library_calls_raise_the_planners_error(call, message):
    with pytest.raises(PlannerError) as caught:
        call()
    assert str(caught.value).startswith(message)

"""Readers and writers of files, and of values as a user writes them.

Reference tables (:mod:`~planner.files.tables`), setting values
(:mod:`~planner.files.values`), plans and event logs (:mod:`~planner.files.plans`),
forecasts (:mod:`~planner.files.forecasts`), the AWS CLI's JSON
(:mod:`~planner.files.aws`), what options spell in text (:mod:`~planner.files.typed`)
and atomic writes (:mod:`~planner.files.output`). Readers take paths or text and
return data; they never print. Each error names the file, the line or entry, and the
value as written.
"""

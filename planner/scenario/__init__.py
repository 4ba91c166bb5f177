"""The scenario: what a run assumes, resolved once at the edge and handed down.

:mod:`~planner.scenario.settings` is the one resolver (options, a plan's entries and
``[defaults]``, the shipped defaults) and the one sizing call;
:mod:`~planner.scenario.scenario` holds a run's loaded tables, settings, billing rules,
warm-up curve, price date and today in one object, :class:`~planner.Scenario`.
"""

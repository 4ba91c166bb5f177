"""The operations: each takes a scenario and a demand, and returns a result.

``estimate`` (:mod:`~planner.ops.estimates`), ``relinquish``
(:mod:`~planner.ops.relinquishes`), ``budget`` (:mod:`~planner.ops.budgets`),
``schedule`` (:mod:`~planner.ops.schedules`), ``warmup`` (:mod:`~planner.ops.warmups`),
``compare`` (:mod:`~planner.ops.comparisons`), ``fleet`` (:mod:`~planner.ops.fleets`)
and ``request`` (:mod:`~planner.ops.cases`). Their keyword forms, exported by
:mod:`planner`, build the scenario from keywords first.
"""

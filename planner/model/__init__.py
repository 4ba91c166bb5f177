"""The model: pure functions over numpy arrays, and the fleet ledger.

Sizing (:mod:`~planner.model.sizing`), the spread over Availability Zones
(:mod:`~planner.model.zones`), fees in integer cents (:mod:`~planner.model.fees`,
:mod:`~planner.model.money`), the fleet ledger (:mod:`~planner.model.ledger`) and the
limits every quantity is checked against. No file is read here, nothing is printed or
drawn, and neither pandas, typer nor matplotlib is imported (a money column's pandas
dtype, :mod:`~planner.model.money_column`, loads only when a frame is made).
"""

"""The edges: the ``ipcost`` command line, reports in each format, and pictures.

:mod:`~planner.edges.cli` parses, calls one library function and prints;
:mod:`~planner.edges.options` declares the options shared by several commands once;
:mod:`~planner.edges.reports` turns each result into text, CSV, JSON or Markdown
through the table formats of :mod:`~planner.edges.formats`; :mod:`~planner.edges.plots`
draws results with matplotlib (``from planner import plot``).
"""

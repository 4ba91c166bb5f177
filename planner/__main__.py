"""``python -m planner`` runs the ``ipcost`` command line."""

from planner.edges.cli import main

main()

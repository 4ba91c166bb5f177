"""``python -m planner`` runs the ``ipcost`` command line."""

from planner.cli import main

main()

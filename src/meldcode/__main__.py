"""`python -m meldcode` runs the command-line interface."""

from meldcode.cli import main

main()

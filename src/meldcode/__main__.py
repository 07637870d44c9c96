"""`python -m meldcode` runs the command-line interface."""

import sys

try:
    from meldcode.cli import main
except KeyboardInterrupt:  # Ctrl-C before meldcode.cli could catch it: no English traceback
    sys.stderr.write("Onderbroken tijdens het starten van meldcode; er is niets gewijzigd.\n")
    sys.exit(130)

main()

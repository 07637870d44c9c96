"""The command line, one job per module.

- `app`: the typer app; every command runs inside the error boundary (`MeldcodeCommand.invoke`).
- `table`: every command and its help panel, in help order: the one place commands are listed.
- `boundary`: exceptions to a Dutch message and an exit code (the one table of exit codes).
- `usage`: click's usage errors in Dutch. `help`: the help screens in Dutch.
- `output`, `options`, `lookup`: messages and results, shared options, finding a case.
- `walking`: how a walk at the terminal ends (real and practice).
- The rest are the commands, by group: casus (start, hervat), lijst, beheer (toon, exporteer,
  statistiek, herbereken), verwijder (verwijder, opschonen), verifieer, melding, flows (sectoren,
  valideer, schema), graaf, oefen.
"""

"""The commands, grouped by job; each module registers its commands on `meldcode.cli.app`."""

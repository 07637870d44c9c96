"""The reference for `meldcode --help`: a bare three-command typer app with rich help.

Run it as `python benchmarks/bare_app.py --help`. It is set up as `meldcode.cli.app` is
(rich markup, no completion option), so the only difference bench_startup.py measures is
what meldcode itself imports.
"""

import typer

app = typer.Typer(
    help="Een kale typer-app met drie opdrachten, als maatstaf voor de opstarttijd.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
)


@app.command()
def een() -> None:
    """De eerste opdracht: doet niets."""


@app.command()
def twee(naam: str = typer.Option("wereld", help="Een [bold]naam[/bold].")) -> None:
    """De tweede opdracht: groet."""
    typer.echo(f"hallo {naam}")


@app.command()
def drie(aantal: int = typer.Argument(3, help="Hoe vaak.")) -> None:
    """De derde opdracht: telt."""
    typer.echo(str(aantal))


if __name__ == "__main__":
    app()

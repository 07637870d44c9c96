"""Run `meldcode` inside the test process: the same entry point, arguments, environment and
streams a console script gets, without the 0.3-0.5 s of a new Python per command.

`run_meldcode(args, env=..., input=...)` calls `meldcode.cli.main()` (the console script's own
entry point, so click's usage errors in Dutch, the UTF-8 check of arguments and Ctrl-C before a
command behave as in a process) with `sys.argv`, `sys.stdin`, `sys.stdout` and `sys.stderr`
replaced, and returns a `subprocess.CompletedProcess` as `subprocess.run(capture_output=True)`
would: `returncode` (the `SystemExit` code), `stdout` and `stderr` as separate streams, text or
bytes. Tests change only the function they call.

What makes it a new process each time:
- the environment is `os.environ` with `env` laid over it (a value of None removes a name), and
  is put back afterwards, whatever happened;
- stdin is what `input` holds and then end-of-file (as `subprocess.run(input="")`), stdout and
  stderr are pipes: none is a terminal, no descriptor is shared with pytest;
- typer's click command for the app is built once and kept (`built_once`; the one thing kept
  between runs: it is made from the app's code alone);
- the flow caches are cleared (`meldcode.flows.clear_cache`) unless the run reads the shipped
  flows, so a flow folder a test changes is read again (the shipped files are never changed by a
  test: parsing them once per test process saves 25 ms per run);
- an exception that escapes `main()` (anything but `SystemExit`) is raised in the test: a
  command that crashes fails the test, it never reads as an exit code.

What stays a real subprocess (each test file says which of its tests, and why): closed or
failing stdin/stdout, pipes to a reader that goes away (exit 141), signals, kill and Ctrl-C,
two processes contending for a lock, the installed wheel, start-up time and imports, pseudo-
terminals, the locale and `PYTHONIOENCODING`, the time zone (`TZ`), umask, and resource limits.
`test_process_boundary.py` runs each command family once as the installed script and checks it
gives what `run_meldcode` gives, so the console script and its split of stdout and stderr stay
covered. The suite's times, and which files run in-process: docs/benchmarks.md, "De testsuite".
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import types
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

import typer
import typer.main

from meldcode.cli import main
from meldcode.flows import clear_cache, flows_dir
from meldcode.loading import shipped_dir

__all__ = ["run_meldcode"]

# typer turns an app into a click command on every call (25 ms: it reads every command's
# signature and type hints); a process does that once, and so do the tests: `built_once` keeps
# the command per app and per set of command functions, so a test that swaps a command's
# callback (test_boundary.py) gets a new one. Installed on import (conftest.py imports this
# module first), so typer's CliRunner, which binds `typer.main.get_command` when it is
# imported, uses it too.
_build_command = typer.main.get_command
_commands: dict[tuple[object, ...], Any] = {}


def _callbacks(app: typer.Typer) -> tuple[object, ...]:
    """Every function the app would call: its callback, its commands', its groups'."""
    eigen = app.registered_callback.callback if app.registered_callback else None
    commands = tuple(info.callback for info in app.registered_commands)
    groups = tuple(
        _callbacks(g.typer_instance) for g in app.registered_groups if g.typer_instance
    )
    return (eigen, app.info.callback, commands, groups)


def built_once(app: typer.Typer) -> Any:
    """`typer.main.get_command(app)`, built once for the app as it is now."""
    key = (app, _callbacks(app))
    if key not in _commands:
        _commands[key] = _build_command(app)
    return _commands[key]


typer.main.get_command = built_once  # type: ignore[assignment]


@overload
def run_meldcode(
    args: Sequence[str],
    *,
    env: Mapping[str, str | None] | None = ...,
    input: str | bytes | None = ...,
    text: Literal[True] = ...,
) -> subprocess.CompletedProcess[str]: ...


@overload
def run_meldcode(
    args: Sequence[str],
    *,
    env: Mapping[str, str | None] | None = ...,
    input: str | bytes | None = ...,
    text: Literal[False],
) -> subprocess.CompletedProcess[bytes]: ...


def run_meldcode(
    args: Sequence[str],
    *,
    env: Mapping[str, str | None] | None = None,
    input: str | bytes | None = None,
    text: bool = True,
) -> subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes]:
    """`meldcode *args` in this process; see the module docstring."""
    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    out, err = io.BytesIO(), io.BytesIO()
    streams = (sys.stdin, sys.stdout, sys.stderr, sys.argv)
    hoofd = sys.modules["__main__"]
    saved = {name: os.environ.get(name) for name in (env or {})}
    # Held here until the values are read: a wrapper that is collected closes its buffer.
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout_w = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr_w = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    code: int
    try:
        for name, value in (env or {}).items():
            _set(name, value)
        if flows_dir() != shipped_dir() or any(a.startswith("--flows") for a in args):
            clear_cache()
        sys.stdin = stdin
        sys.stdout = stdout_w
        sys.stderr = stderr_w
        sys.argv = ["meldcode", *args]
        # click names the program after __main__: a console script's has no package (under
        # `python -m pytest` it would say 'python -m pytest' in every usage message).
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            main()
            code = 0
        except SystemExit as e:
            code = _exit_code(e)
        for stream in (stdout_w, stderr_w):
            if not stream.closed:
                stream.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = streams
        sys.modules["__main__"] = hoofd
        for name, value in saved.items():
            _set(name, value)
    stdout, stderr = out.getvalue(), err.getvalue()
    if text:
        return subprocess.CompletedProcess(
            ["meldcode", *args], code, stdout.decode("utf-8"), stderr.decode("utf-8")
        )
    return subprocess.CompletedProcess(["meldcode", *args], code, stdout, stderr)


def _set(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _exit_code(e: SystemExit) -> int:
    """The process's exit status for `e`, as Python gives it (a text is printed, status 1)."""
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    sys.stderr.write(f"{e.code}\n")
    return 1

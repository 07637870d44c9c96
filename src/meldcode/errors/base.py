"""The root of the error tree: what a user can fix, with its Dutch message and exit code."""

from __future__ import annotations

from typing import ClassVar


class MeldcodeError(Exception):
    """Something the user can fix; `str(error)` is the whole Dutch message."""

    exit_code: ClassVar[int] = 2

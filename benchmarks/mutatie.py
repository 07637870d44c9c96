"""Mutation testing: small changes to the code that the tests must notice (docs/mutatie.md).

    python benchmarks/mutatie.py                  # engine, validate, log, store (3 files), answers
    python benchmarks/mutatie.py --hele-suite     # the same; survivors meet every test too
    python benchmarks/mutatie.py --module log     # one module (repeat --module for more)
    python benchmarks/mutatie.py --functie chain  # only mutants inside these functions
    python benchmarks/mutatie.py --ci             # CI's fast subset; exit 1 if one survives
    python benchmarks/mutatie.py --mutant "log.chain: 1 -> 2"   # one mutant by its name
    python benchmarks/mutatie.py --lijst          # list the mutants, run nothing

Mutants are made from the AST on every run, so they follow the code as it changes: a mutant is
named by module, function and change (plus a number when the same change occurs twice in one
function), never by line. Each runs the module's tests (`TESTS`) with `-x` in a subprocess on
a private copy of `src/`, put first on PYTHONPATH; the checkout itself is never written.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "meldcode"
# Each module's short name (as in docs/mutatie.md) and its file below PACKAGE.
FILES: dict[str, str] = {
    "answers": "engine/answers.py", "engine": "engine/__init__.py", "log": "store/log.py",
    # The engine's conditions, prepared once per flow and sector (engine/plan.py).
    "plan": "engine/plan.py",
    "integrity": "store/integrity.py", "store": "store/sqlite.py",
    # The store's SQLite backend beyond store/sqlite.py (issue 13 split it by job).
    "connection": "store/connection.py", "queries": "store/queries.py",
    "validate": "checks/validate.py", "validate_paths": "checks/paths.py",
    "contract": "contract.py",
}

# Per module: the tests that should notice a change in it, fastest and most direct first
# (`-x` stops at the first failure, so most mutants cost one short run).
TESTS: dict[str, tuple[str, ...]] = {
    "answers": ("tests/test_mutanten_answers.py", "tests/test_engine.py", "tests/test_scripted.py",
                "tests/test_invoer.py"),
    "engine": ("tests/test_engine.py", "tests/test_mutanten_engine.py", "tests/test_wacht.py",
               "tests/test_replay.py", "tests/test_sectoren.py", "tests/test_scripted.py"),
    "plan": ("tests/test_engine.py", "tests/test_mutanten_engine.py", "tests/test_replay.py",
             "tests/test_wacht.py", "tests/test_sectoren.py", "tests/test_scripted.py"),
    "log": ("tests/test_mutanten_log.py", "tests/test_beheer.py", "tests/test_store.py"),
    "integrity": ("tests/test_mutanten_log.py", "tests/test_tamper.py", "tests/test_beheer.py"),
    "store": ("tests/test_mutanten_store_extra.py", "tests/test_mutanten_store.py",
              "tests/test_store.py", "tests/test_store_robust.py",
              "tests/test_beheer.py", "tests/test_wacht.py", "tests/test_casus_cli.py"),
    "connection": ("tests/test_mutanten_store_extra.py", "tests/test_mutanten_store.py",
                   "tests/test_store.py", "tests/test_store_robust.py", "tests/test_beheer.py"),
    "queries": ("tests/test_store_contract.py", "tests/test_mutanten_store_extra.py",
                "tests/test_beheer.py", "tests/test_tamper.py", "tests/test_wacht.py"),
    "validate": ("tests/test_mutanten_validate_bestanden.py", "tests/test_mutanten_validate.py",
                 "tests/test_mutanten_validate_extra.py", "tests/test_validate.py",
                 "tests/test_flows_cli.py", "tests/test_sectoren.py"),
    "validate_paths": ("tests/test_mutanten_validate.py", "tests/test_validate.py",
                       "tests/test_flows_cli.py"),
    "contract": ("tests/test_mutanten_validate.py", "tests/test_validate.py",
                 "tests/test_flows_cli.py"),
}
DEFAULT = ("engine", "plan", "validate", "log", "store", "connection", "queries", "answers")
# CI's subset, chosen by function name so that it survives refactoring: the hash and its check,
# which `verifieer` relies on to find tampering, and the validator's meldnorm proof, which
# organisations rely on for their own flows. Every one of these mutants must be killed.
CI_SUBSET: dict[str, tuple[str, ...]] = {
    "log": ("event_hash",),
    "integrity": ("first_broken",),
    "contract": ("MELDNORM", "NORM_VAN_REDEN"),
    "validate_paths": ("_eerste", "_meldnorm", "_wacht", "_vervolg", "_bijzondere_vorm"),
}

COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
    ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
SYMBOL = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
          ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
REMOVABLE = (ast.Expr, ast.Raise, ast.Continue, ast.Break, ast.AugAssign, ast.Delete)


@dataclass(frozen=True)
class Mutant:
    """One small change to one module, named without line numbers."""

    module: str
    functie: str  # the enclosing function's qualified name, or the module-level name
    wijziging: str  # e.g. "== -> !=", "and -> or", "remove raise"
    index: int  # which candidate of the module's walk, for making it again
    regel: int  # for people reading the report only

    @property
    def naam(self) -> str:
        """The stable name, e.g. `log.first_broken: != -> ==`."""
        return f"{self.module}.{self.functie}: {self.wijziging}"


class _Mutator(ast.NodeTransformer):
    """Walks a module in a fixed order; lists its candidates, or applies the one at `target`."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.found: list[tuple[str, str, int]] = []  # (functie, wijziging, regel)
        self.scope: list[str] = []

    def _candidate(self, node: ast.AST, wijziging: str) -> bool:
        """Count one candidate; True when it is the one to apply."""
        functie = ".".join(self.scope) or "<module>"
        self.found.append((functie, wijziging, getattr(node, "lineno", 0)))
        return self.target == len(self.found) - 1

    # Scopes: only bodies and default values; annotations, decorators and docstrings stay.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.scope.append(node.name)
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.body = self._body(node.body)
        self.scope.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.scope.append(node.name)
        node.body = self._body(node.body)
        self.scope.pop()
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self._assigned(node.target, node.value)
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        node.value = self._assigned(node.targets[0], node.value)
        return node

    def _assigned(self, target: ast.expr, value: ast.expr) -> ast.expr:
        """The value of an assignment; at module level a table (MELDNORM, ...) named after it,
        whose rows are dropped one at a time."""
        name = target.id if isinstance(target, ast.Name) else None
        if self.scope or name is None:
            return self.visit(value)  # type: ignore[no-any-return]
        if name == "__all__":
            return value  # only `import *` reads it
        self.scope.append(name)
        if isinstance(value, ast.Tuple | ast.List) and len(value.elts) > 1:
            for i in range(len(value.elts)):
                if self._candidate(value.elts[i], f"drop row {i + 1}"):
                    del value.elts[i]
                    break
        value = self.visit(value)
        self.scope.pop()
        return value

    def visit_If(self, node: ast.If) -> ast.AST:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node
        node.test = self.visit(node.test)
        node.body = self._body(node.body)
        node.orelse = self._body(node.orelse)
        return node

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        """A block with each removable statement a candidate for `pass`."""
        out: list[ast.stmt] = []
        for stmt in body:
            # A docstring, or the `...` of a protocol method: removing it changes nothing.
            docstring = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            if self.scope and not docstring and isinstance(stmt, REMOVABLE) and self._candidate(
                    stmt, f"remove {type(stmt).__name__.lower()}"):
                out.append(ast.copy_location(ast.Pass(), stmt))
                continue
            if (self.scope and isinstance(stmt, ast.Return) and stmt.value is not None
                    and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)
                    and self._candidate(stmt, "return None")):
                out.append(ast.copy_location(ast.Return(value=ast.Constant(None)), stmt))
                continue
            out.append(stmt if docstring else self.visit(stmt))
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for name in ("body", "orelse", "finalbody"):
            if isinstance(getattr(node, name, None), list) and all(
                    isinstance(s, ast.stmt) for s in getattr(node, name)):
                setattr(node, name, self._body(getattr(node, name)))
        for name, value in ast.iter_fields(node):
            if name in ("body", "orelse", "finalbody") and isinstance(value, list) and all(
                    isinstance(s, ast.stmt) for s in value):
                continue
            if isinstance(value, list):
                setattr(node, name, [self.visit(v) if isinstance(v, ast.AST) else v
                                     for v in value])
            elif isinstance(value, ast.AST):
                setattr(node, name, self.visit(value))
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        for i, op in enumerate(node.ops):
            swap = COMPARE_SWAP[type(op)]
            if self._candidate(node, f"{SYMBOL[type(op)]} -> {SYMBOL[swap]}"):
                node.ops[i] = swap()
                return node
        return self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        wissel = "and -> or" if isinstance(node.op, ast.And) else "or -> and"
        if self._candidate(node, wissel):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            return node
        return self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        if self.scope and len(node.keys) > 1:
            for i, key in enumerate(node.keys):
                naam = key.value if isinstance(key, ast.Constant) else "**"
                if self._candidate(node, f"drop entry {naam}"):
                    del node.keys[i], node.values[i]
                    return node
        return self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if isinstance(node.op, ast.Not) and self._candidate(node, "remove not"):
            return node.operand
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id in ("any", "all"):
            ander = "all" if node.func.id == "any" else "any"
            if self._candidate(node, f"{node.func.id} -> {ander}"):
                node.func = ast.copy_location(ast.Name(id=ander, ctx=ast.Load()), node.func)
                return node
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, bool):
            if self._candidate(node, f"{node.value} -> {not node.value}"):
                return ast.copy_location(ast.Constant(not node.value), node)
        elif isinstance(node.value, int):
            for delta in (1, -1):
                if self._candidate(node, f"{node.value} -> {node.value + delta}"):
                    return ast.copy_location(ast.Constant(node.value + delta), node)
        return node


def mutants(module: str) -> list[Mutant]:
    """Every mutant of the module's file (`FILES`), made from its current source."""
    m = _Mutator()
    m.visit(ast.parse((PACKAGE / FILES[module]).read_text(encoding="utf-8")))
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for index, (functie, wijziging, regel) in enumerate(m.found):
        seen[functie, wijziging] += 1
        n = seen[functie, wijziging]
        out.append(Mutant(module, functie, wijziging + (f" #{n}" if n > 1 else ""), index, regel))
    return out


def mutated_source(mutant: Mutant) -> str:
    """The module's source with `mutant` applied."""
    tree = ast.parse((PACKAGE / FILES[mutant.module]).read_text(encoding="utf-8"))
    m = _Mutator(target=mutant.index)
    tree = ast.fix_missing_locations(m.visit(copy.deepcopy(tree)))
    return ast.unparse(tree)


def _workspace(root: Path) -> Path:
    """A private copy of the package beside links to the flows, as an editable install sees it."""
    shutil.copytree(PACKAGE, root / "src" / "meldcode",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("stappen", "afwegingskader"):
        (root / folder).symlink_to(REPO / folder)
    return root


def _pytest(
    workspace: Path, tests: tuple[str, ...], timeout: float, *, show: bool = False
) -> bool | None:
    """Run `tests` against the package in `workspace`: True passed, False failed, None timeout.

    With `show`, a failure prints the end of pytest's report (for the runs without a mutant).
    """
    env = {**os.environ, "PYTHONPATH": str(workspace / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MELDCODE_CI", None)
    try:
        proc = subprocess.run(
            # -n 0: one process per mutant run; the workers (--jobs) are the parallelism here.
            [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider",
             *tests],
            cwd=REPO, env=env, capture_output=True, check=False, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if show and proc.returncode != 0:
        print(proc.stdout.decode(errors="replace")[-3000:], file=sys.stderr)
    return proc.returncode == 0


def _tests(module: str) -> tuple[str, ...]:
    return tuple(t for t in TESTS[module] if (REPO / t).exists())


def run(selected: list[Mutant], jobs: int, *, hele_suite: bool) -> list[tuple[Mutant, str]]:
    """Run every mutant; each with its outcome: 'killed', 'timeout' or 'survived'.

    With `hele_suite`, a mutant that the module's tests miss runs once more against all tests.
    """
    with tempfile.TemporaryDirectory(prefix="mutatie-") as tmp:
        spaces = [_workspace(Path(tmp) / f"w{i}") for i in range(jobs)]
        baseline: dict[str, float] = {}
        for module in sorted({m.module for m in selected}):
            begin = time.perf_counter()
            if not _pytest(spaces[0], _tests(module), timeout=600, show=True):
                sys.exit(f"the tests of {module} fail without any mutant; fix them first")
            baseline[module] = time.perf_counter() - begin
        if hele_suite and not _pytest(spaces[0], ("tests",), timeout=900, show=True):
            sys.exit("the test suite fails without any mutant (in the copy); fix that first")
        free = list(spaces)

        def one(mutant: Mutant, tests: tuple[str, ...], timeout: float) -> str:
            space = free.pop()
            target = space / "src" / "meldcode" / FILES[mutant.module]
            try:
                target.write_text(mutated_source(mutant), encoding="utf-8")
                passed = _pytest(space, tests, timeout=timeout)
            finally:
                shutil.copy2(PACKAGE / FILES[mutant.module], target)
                free.append(space)
            return {True: "survived", False: "killed", None: "timeout"}[passed]

        def both(mutant: Mutant) -> tuple[Mutant, str]:
            outcome = one(mutant, _tests(mutant.module), 2 * baseline[mutant.module] + 5)
            if outcome == "survived" and hele_suite:
                outcome = one(mutant, ("tests",), 900)
                outcome = "survived" if outcome == "survived" else f"{outcome}*"
            return mutant, outcome

        results = []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for mutant, outcome in pool.map(both, selected):
                results.append((mutant, outcome))
                print(f"{outcome:8} {mutant.naam}  (line {mutant.regel})", flush=True)
        return results


def select(modules: list[str], functies: list[str] | None) -> list[Mutant]:
    """The mutants of `modules`, limited to `functies` (by name) when given."""
    out = []
    for module in modules:
        found = mutants(module)
        if functies is not None:
            names = {m.functie.rsplit(".", 1)[-1] for m in found} | {m.functie for m in found}
            missing = [f for f in functies if f not in names]
            if missing and len(modules) == 1:
                sys.exit(f"{FILES[module]} has no function {', '.join(missing)}; "
                         "update the selection")
            found = [m for m in found if m.functie in functies
                     or m.functie.rsplit(".", 1)[-1] in functies]
        out.extend(found)
    return out


def main() -> int:
    """Parse the options, run the mutants and print the score."""
    # NOTE: started in the background (`cmd &` without job control) SIGINT is ignored, and the
    # tests' children would inherit that: then the Ctrl-C tests hang. A handler is not inherited.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TESTS))
    parser.add_argument("--functie", action="append")
    parser.add_argument("--ci", action="store_true", help="CI's subset; fail on a survivor")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--mutant", action="append", help="only the mutant with this name")
    parser.add_argument("--hele-suite", action="store_true",
                        help="run a survivor once more against every test (marked * if killed)")
    parser.add_argument("--lijst", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args()
    if args.ci:
        selected = [m for module, functies in CI_SUBSET.items()
                    for m in select([module], list(functies))]
    else:
        selected = select(args.module or list(DEFAULT), args.functie)
    if args.mutant:
        selected = [m for m in selected if m.naam in args.mutant]
    if args.lijst:
        for m in selected:
            print(f"{m.naam}  (line {m.regel})")
        print(f"{len(selected)} mutants")
        return 0
    begin = time.perf_counter()
    results = run(selected, args.jobs, hele_suite=args.hele_suite)
    per_module: dict[str, Counter[str]] = {}
    for mutant, outcome in results:
        per_module.setdefault(mutant.module, Counter())[outcome] += 1
    for module, c in sorted(per_module.items()):
        total = sum(c.values())
        dood = total - c["survived"]
        print(f"{module:15} {dood:4}/{total:<4} killed ({100 * dood / total:.0f}%)")
    survivors = [m for m, outcome in results if outcome == "survived"]
    for m in survivors:
        print(f"survived: {m.naam}  (line {m.regel})")
    total = len(results)
    print(f"mutation score: {total - len(survivors)}/{total} killed "
          f"({100 * (total - len(survivors)) / max(total, 1):.1f}%) "
          f"in {time.perf_counter() - begin:.0f} s")
    return 1 if args.ci and survivors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Located YAML: libyaml's safe loader, Dutch YAML problems, and pydantic errors as a file:line.

Nothing here knows what a flow is: answers files and practice cases are read with it too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from meldcode.errors import FlowError, Probleem

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[valid-type,misc]
    """libyaml's safe loader that refuses a key given twice in one mapping.

    Plain YAML keeps the last of two equal keys without a word; in a flow file or an answers
    file that silently drops a text or decides an afweging, so it is an error here.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        gezien: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | bool) and key in gezien:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"de sleutel '{key}' staat twee keer in hetzelfde blok",
                    key_node.start_mark,
                )
            gezien.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_timestamp(self, node: yaml.ScalarNode) -> object:
        """A date as a date; an impossible one (2027-02-30) as its text, for the engine to refuse
        with the question's name, as it refuses a quoted one."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_timestamp)


M = TypeVar("M", bound=BaseModel)


class YamlFout(Exception):
    """YAML text that does not parse: the line (if known) and the problem, in Dutch."""

    def __init__(self, regel: int | None, probleem: str) -> None:
        super().__init__(probleem)
        self.regel = regel
        self.probleem = probleem


def parse_yaml(text: str) -> Any:
    """YAML text as data (libyaml, safe, no repeated keys); every failure is a YamlFout."""
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a SafeLoader
    except yaml.MarkedYAMLError as e:
        regel = e.problem_mark.line + 1 if e.problem_mark else None
        raise YamlFout(regel, yaml_probleem(str(e.problem or ""))) from None
    except (yaml.YAMLError, RecursionError):
        raise YamlFout(None, "") from None


# libyaml's problems (English) as a Dutch hint at the cause; the first match wins.
_YAML_PROBLEMEN = (
    ("did not find expected ',' or ']'", "een lijst tussen [ ] is niet gesloten (mist ',' of ']')"),
    ("did not find expected ',' or '}'", "een blok tussen { } is niet gesloten (mist ',' of '}')"),
    ("tab character", "een tab; spring in met spaties"),
    ("'\\t' that cannot start any token", "een tab; spring in met spaties"),
    (
        "mapping values are not allowed",
        "een ':' waar die niet mag; zet tekst met ': ' tussen aanhalingstekens",
    ),
    ("could not find expected ':'", "een regel zonder ':' na de sleutel"),
    ("did not find expected key", "een sleutel die niet goed is ingesprongen"),
    ("did not find expected '-' indicator", "een lijst die niet goed is ingesprongen"),
    (
        "unexpected end of stream",
        "het bestand houdt op midden in een tekst; mist er een aanhalingsteken?",
    ),
    (
        "unknown escape character",
        "een onbekend escapeteken (\\) in een tekst tussen dubbele aanhalingstekens",
    ),
    ("undefined alias", "een onbekende verwijzing (*naam)"),
    ("did not find expected node content", "er ontbreekt een waarde, bijvoorbeeld na '-' of ','"),
    ("block sequence entries are not allowed", "een lijst ('- …') op de regel van haar sleutel"),
    ("expected <block end>", "een regel die niet goed is ingesprongen"),
    ("found unexpected ':'", "een ':' waar die niet mag; zet de tekst tussen aanhalingstekens"),
    ("maximum nesting depth", "te diep genest"),
    ("could not determine a constructor", "een onbekend label (!…); schrijf gewone tekst"),
    ("expected alphabetic or numeric character", "een ongeldige verwijzing (& of *)"),
)


def yaml_probleem(engels: str) -> str:
    """libyaml's problem in Dutch; an unknown one keeps its English text in brackets."""
    for patroon, nederlands in _YAML_PROBLEMEN:
        if patroon in engels:
            return nederlands
    if "twee keer" in engels:  # our own (Dutch) message for a repeated key
        return engels
    return f"ongeldige YAML ({engels})" if engels else ""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error becomes a FlowError with its line."""
    if path.exists() and not path.is_file() and not path.is_dir():
        # A FIFO or device would block or never end: not read at all.
        tekst = "dit is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat)."
        raise FlowError([Probleem("MC100", path, None, tekst)])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FlowError([Probleem("MC100", path, None, niet_leesbaar(e))]) from None
    try:
        return parse_yaml(text)
    except YamlFout as e:
        tekst = f"YAML-fout: {e.probleem}." if e.probleem else "YAML-fout."
        raise FlowError([Probleem("MC101", path, e.regel, tekst)]) from None


def niet_leesbaar(e: OSError | UnicodeDecodeError) -> str:
    """Why a file cannot be read, in Dutch, with what to do."""
    if isinstance(e, UnicodeDecodeError):
        return "de tekst is geen UTF-8; sla het bestand op als UTF-8."
    if isinstance(e, IsADirectoryError):
        return "dit is een map, geen bestand."
    if isinstance(e, FileNotFoundError):
        return "het bestand bestaat niet (meer)."
    if isinstance(e, PermissionError):
        return "u heeft geen leesrechten op dit bestand."
    return f"het bestand is niet leesbaar ({e.strerror or e.__class__.__name__})."


def line_of(path: Path, loc: Sequence[str | int]) -> int | None:
    """The line of the YAML node at `loc` (pydantic's error location), as near as it goes."""
    try:
        node: yaml.Node | None = yaml.compose(path.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for i, part in enumerate(loc):
        child = _child(node, part)
        # A union tag or a model name in the location is no YAML level. NOTE: a tag can equal
        # a key (soort 'tekst' and the key 'tekst'); a scalar has no children, so a part that
        # lands on one with more parts to come is such a tag.
        if child is None or (i < len(loc) - 1 and not isinstance(child, yaml.CollectionNode)):
            continue
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                # A problem with a key itself (unknown key) points at the key's line.
                return value if isinstance(value, yaml.CollectionNode) else key
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "extra_forbidden": lambda e: f"onbekende sleutel '{e['loc'][-1]}'.",
    "missing": lambda e: f"sleutel '{e['loc'][-1]}' ontbreekt.",
    "string_pattern_mismatch": lambda e: (
        f"'{e['input']}' is geen geldige id (kebab-case: kleine letters, cijfers en '-')."
    ),
    "union_tag_invalid": lambda e: (
        f"onbekende soort '{e['ctx']['tag']}'; toegestaan: {e['ctx']['expected_tags']}."
    ),
    "union_tag_not_found": lambda _: "'soort' ontbreekt.",
    "literal_error": lambda e: (
        f"'{e['input']}' is niet toegestaan; verwacht "
        f"{e['ctx']['expected'].replace(' or ', ' of ')}."
    ),
    "string_too_short": lambda e: f"'{e['loc'][-1]}' mag niet leeg zijn.",
    "too_short": lambda e: f"'{e['loc'][-1]}' heeft te weinig elementen.",
}


def in_dutch(error: dict[str, Any]) -> tuple[str, str]:
    """A pydantic error as (code, Dutch text)."""
    kind = error["type"]
    code = {"extra_forbidden": "MC102", "missing": "MC103", "string_pattern_mismatch": "MC109"}.get(
        kind, "MC104"
    )
    if kind == "missing" and error["loc"] and error["loc"][-1] == "bron":
        code = "MC108"
    maker = _MESSAGES.get(kind)
    plek = ".".join(str(p) for p in error["loc"])
    tekst = maker(error) if maker else f"{plek}: {error['msg']}."
    return code, tekst


def parse(model: type[M], path: Path, data: Any) -> M:
    """Validate `data` from `path` against `model`; every error becomes a located Probleem."""
    if not isinstance(data, dict):
        vorm = "leeg" if data is None else "een lijst of losse waarde"
        tekst = f"het bestand is {vorm}; het moet bestaan uit regels 'sleutel: waarde'."
        raise FlowError([Probleem("MC104", path, None, tekst)])
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problemen = []
        for err in e.errors():
            code, tekst = in_dutch(dict(err))
            problemen.append(Probleem(code, path, line_of(path, err["loc"]), tekst))
        raise FlowError(problemen) from None

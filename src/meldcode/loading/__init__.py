"""YAML flow files → checked, frozen models; sector overlays; every failure a located FlowError."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from meldcode.errors import FlowError, Probleem, UnknownSector
from meldcode.model import (
    STAPPEN,
    AnyVraag,
    Flow,
    KaderBestand,
    KeuzeVraag,
    Mededeling,
    SectorBestand,
    SectorenBestand,
    StapBestand,
    UitkomstRegel,
    Voorwaarde,
)

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


def flows_dir() -> Path:
    """The folder holding `stappen/` and `afwegingskader/`: $MELDCODE_FLOWS or the shipped one."""
    eigen = os.environ.get("MELDCODE_FLOWS")
    return Path(eigen) if eigen else _shipped_dir()


# --- reading with locations -------------------------------------------------------------


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


# --- the set of flow files --------------------------------------------------------------


@dataclass(frozen=True)
class FlowSet:
    """Every flow file of one folder, parsed and checked per file."""

    root: Path
    stappen: tuple[tuple[Path, StapBestand], ...]
    kader: tuple[Path, KaderBestand]
    sectoren: tuple[Path, SectorenBestand]
    overlays: dict[str, tuple[Path, SectorBestand]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def sector_ids(self) -> list[str]:
        """The sector ids in the order of `sectoren.yaml`."""
        return [s.id for s in self.sectoren[1].sectoren]


def load_flowset(root: Path) -> FlowSet:
    """Read and check every file under `root`; all problems of all files at once."""
    problemen: list[Probleem] = []
    raw: dict[str, Any] = {}

    def read(model: type[M], path: Path) -> M | None:
        try:
            data = read_yaml(path)
            raw[str(path.relative_to(root))] = data
            return parse(model, path, data)
        except FlowError as e:
            problemen.extend(e.problemen)
            return None

    stappen_dir, kader_dir = root / "stappen", root / "afwegingskader"
    for folder in (stappen_dir, kader_dir):
        if not folder.is_dir():
            problemen.append(Probleem("MC100", folder, None, "map ontbreekt."))
    if problemen:
        raise FlowError(problemen)
    stappen = [(p, read(StapBestand, p)) for p in sorted(stappen_dir.glob("*.yaml"))]
    kader_pad, sectoren_pad = kader_dir / "basis.yaml", kader_dir / "sectoren.yaml"
    kader = read(KaderBestand, kader_pad)
    sectoren = read(SectorenBestand, sectoren_pad)
    overlays: dict[str, tuple[Path, SectorBestand]] = {}
    for p in sorted(kader_dir.glob("*.yaml")):
        if p not in (kader_pad, sectoren_pad):
            overlay = read(SectorBestand, p)
            if overlay is not None and overlay.sector in overlays:
                eerder = overlays[overlay.sector][0].name
                tekst = f"sector '{overlay.sector}' heeft al een overlay in {eerder}."
                problemen.append(Probleem("MC105", p, line_of(p, ("sector",)), tekst))
            elif overlay is not None:
                overlays[overlay.sector] = (p, overlay)
    if problemen:
        raise FlowError(problemen)
    assert kader is not None  # noqa: S101 - problems raised above
    assert sectoren is not None  # noqa: S101 - problems raised above
    return FlowSet(
        root=root,
        stappen=tuple((p, s) for p, s in stappen if s is not None),
        kader=(kader_pad, kader),
        sectoren=(sectoren_pad, sectoren),
        overlays=overlays,
        raw=raw,
    )


# --- assembling one sector's flow -------------------------------------------------------


def _guard(vraag: AnyVraag, extra: Voorwaarde) -> AnyVraag:
    als = extra if vraag.als is None else Voorwaarde(alle=(extra, vraag.als))
    return vraag.model_copy(update={"als": als})


def _guard_regel(regel: UitkomstRegel, extra: Voorwaarde) -> UitkomstRegel:
    return regel.model_copy(update={"als": Voorwaarde(alle=(extra, regel.als))})


def assemble(flowset: FlowSet, sector_id: str) -> Flow:
    """The flow of one sector: the basis steps and kader with the sector's overlay applied."""
    sectoren = {s.id: s for s in flowset.sectoren[1].sectoren}
    if sector_id not in sectoren:
        raise UnknownSector(sector=sector_id, bekend=list(sectoren))
    sector = sectoren[sector_id]
    kader = flowset.kader[1]
    overlay_pad, overlay = flowset.overlays.get(sector_id, (None, None))

    vragen: list[AnyVraag] = [v for _, s in flowset.stappen for v in s.vragen]
    vragen += list(kader.vragen)
    mededelingen: list[Mededeling] = [m for _, s in flowset.stappen for m in s.mededelingen]
    mededelingen += list(kader.mededelingen)
    regels: list[UitkomstRegel] = list(kader.uitkomsten)
    if overlay is not None:
        vragen = [_apply(v, overlay, overlay_pad) for v in vragen]
        mededelingen += list(overlay.mededelingen)
    # Stable sort: a question moved to another step keeps its order among that step's.
    vragen.sort(key=lambda v: STAPPEN.index(v.stap))
    if overlay is not None:
        for i, invoeging in enumerate(overlay.toevoegen):
            ids = [v.id for v in vragen]
            if invoeging.na not in ids:
                tekst = f"'na: {invoeging.na}' noemt een vraag die deze sector niet heeft."
                raise FlowError(
                    [
                        Probleem(
                            "MC106",
                            overlay_pad or "",
                            _line(overlay_pad, ("toevoegen", i, "na")),
                            tekst,
                        )
                    ]
                )
            vragen.insert(ids.index(invoeging.na) + 1, invoeging.vraag)
        regels = list(overlay.uitkomsten) + regels
        vragen, regels = _routes(vragen, regels, overlay, sector.routes)
    else:
        vragen = [v for v in vragen if v.id != "route"]

    flow = Flow(
        sector=sector,
        versie=kader.versie,
        hash="",
        stap_namen={s.stap: s.naam for _, s in flowset.stappen},
        vragen=tuple(vragen),
        uitkomsten=tuple(regels),
        mededelingen=tuple(mededelingen),
        afsluitredenen=kader.afsluitredenen,
        afsluiten_tekst=kader.afsluiten_tekst,
    )
    canon = json.dumps(
        flow.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False
    )
    return flow.model_copy(update={"hash": "sha256:" + hashlib.sha256(canon.encode()).hexdigest()})


def _apply(vraag: AnyVraag, overlay: SectorBestand, pad: Path | None) -> AnyVraag:
    """`vraag` with the overlay's changes; a change the question refuses is a FlowError."""
    wijziging = overlay.vragen.get(vraag.id)
    if wijziging is None:
        return vraag
    update = wijziging.model_dump(exclude_unset=True)
    try:
        return type(vraag).model_validate({**vraag.model_dump(by_alias=False), **update})
    except ValidationError as e:
        problemen = []
        for err in e.errors():
            code, tekst = in_dutch(dict(err))
            veld = next((str(d) for d in err["loc"] if str(d) in update), None)
            regel = _line(pad, ("vragen", vraag.id, *([veld] if veld else [])))
            problemen.append(Probleem(code, pad or "", regel, f"{vraag.id}: {tekst}"))
        raise FlowError(problemen) from None


def _line(pad: Path | None, loc: Sequence[str | int]) -> int | None:
    return line_of(pad, loc) if pad is not None else None


def _routes(
    vragen: list[AnyVraag],
    regels: list[UitkomstRegel],
    overlay: SectorBestand,
    sector_routes: Iterable[str],
) -> tuple[list[AnyVraag], list[UitkomstRegel]]:
    """Insert each route's own questions after `route`, and keep the steps off those routes."""
    ids = [v.id for v in vragen]
    if "route" not in ids or not overlay.routes:
        return [v for v in vragen if v.id != "route"], regels
    plek = ids.index("route")
    route_vraag = vragen[plek]
    assert isinstance(route_vraag, KeuzeVraag)  # noqa: S101 - checked by validate
    wanted = set(sector_routes)
    opties = tuple(o for o in route_vraag.opties if o.id in wanted)
    vragen[plek] = route_vraag.model_copy(update={"opties": opties})
    eigen: list[AnyVraag] = []
    for route in overlay.routes:
        op_route = Voorwaarde(antwoord={"route": (route.id,)})
        eigen += [_guard(v, op_route) for v in route.vragen]
        regels += [_guard_regel(r, op_route) for r in route.uitkomsten]
    weg = [r.id for r in overlay.routes if not r.meldcode_volgt]
    buiten = Voorwaarde(niet=Voorwaarde(antwoord={"route": tuple(weg)})) if weg else None
    # Follow-up questions carry their own conditions: after acute danger they also follow a
    # route that leaves the meldcode (design.md §4).
    rest = [v if buiten is None or v.vervolg else _guard(v, buiten) for v in vragen[plek + 1 :]]
    return [*vragen[: plek + 1], *eigen, *rest], regels


# --- entry points -----------------------------------------------------------------------


@cache
def _cached_flowset(root: str) -> FlowSet:
    return load_flowset(Path(root))


def flowset(root: Path | None = None) -> FlowSet:
    """The flow files under `root` (default: `flows_dir()`), parsed once per process."""
    return _cached_flowset(str(root or flows_dir()))


def load_flow(sector: str, root: Path | None = None) -> Flow:
    """The assembled flow of `sector`; an organisation's own flows are validated first."""
    folder = root or flows_dir()
    if folder.resolve() != _shipped_dir().resolve():
        _validated(str(folder))
    return assemble(flowset(folder), sector)


def _shipped_dir() -> Path:
    """The flows inside the package, or at the top of the checkout in an editable install."""
    shipped = Path(str(resources.files("meldcode")))
    return shipped if (shipped / "stappen").is_dir() else Path(__file__).resolve().parents[3]


@cache
def _validated(root: str) -> None:
    """Run `meldcode valideer`'s checks once per process on flows that CI has not seen."""
    from meldcode.checks.validate import validate_dir  # late: validate builds on this module

    validate_dir(Path(root))

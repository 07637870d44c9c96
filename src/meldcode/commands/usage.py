"""Click's (English) usage errors as one Dutch paragraph that says what to do (exit 2)."""

from __future__ import annotations

import re


def usage_error_in_dutch(e: Exception) -> str:
    """Click's (English) usage error as one Dutch paragraph that says what to do."""
    ctx = getattr(e, "ctx", None)
    pad = ctx.command_path if ctx is not None else "meldcode"
    bericht = getattr(e, "message", str(e))
    soort = type(e).__name__
    hint = _param_hint(e)
    if soort == "NoSuchOption":
        wat = f"De optie {getattr(e, 'option_name', '')} bestaat niet bij '{pad}'."
        wat += _bedoelt_u(sorted(getattr(e, "possibilities", None) or []))
    elif soort == "MissingParameter":
        wat = f"Bij '{pad}' ontbreekt {_ontbrekend(e) or hint or 'een argument'}."
    elif soort == "BadParameter":
        keuze = re.search(r"'(.*?)' is not one of (.*?)\.?$", bericht)
        wat = (
            f"De waarde '{keuze[1]}' is niet toegestaan voor {hint}; kies uit {keuze[2]}."
            if keuze
            else f"De waarde voor {hint} is ongeldig{_reden(bericht)}."
        )
    elif bericht.startswith("No such command"):
        naam = bericht.split("'")[1] if "'" in bericht else bericht
        # typer adds "Did you mean 'lijst', 'lijst2'?" for a near miss
        opties = re.findall(r"'([^']*)'", bericht.partition("Did you mean")[2])
        wat = f"De opdracht '{naam}' bestaat niet." + _bedoelt_u([f"'{o}'" for o in opties])
    elif "unexpected extra argument" in bericht:
        extra = re.search(r"\(([^()]*)\)$", bericht)
        wat = f"'{pad}' krijgt te veel argumenten ({extra[1] if extra else bericht})."
    elif optie := re.match(r"Option '(.*?)' requires an argument", bericht):
        wat = f"De optie {optie[1]} heeft een waarde nodig."
    elif optie := re.match(r"Option '(.*?)' does not take a value", bericht):
        wat = f"De optie {optie[1]} heeft geen waarde (schrijf alleen {optie[1]})."
    else:
        wat = f"De opdracht '{pad}' klopt niet ({bericht})."
    return f"{wat} Bekijk de mogelijkheden met '{pad} --help'."


def _bedoelt_u(namen: list[str]) -> str:
    """' Bedoelt u --status?' for click's or typer's near misses; '' when there are none."""
    if not namen:
        return ""
    lijst = f"{', '.join(namen[:-1])} of {namen[-1]}" if len(namen) > 1 else namen[0]
    return f" Bedoelt u {lijst}?"


def _ontbrekend(e: Exception) -> str:
    """A missing option named as one ('de optie --ouder-dan'); '' for anything else."""
    param = getattr(e, "param", None)
    opts = getattr(param, "opts", None) or []
    is_optie = getattr(param, "param_type_name", "") == "option"
    return f"de optie {opts[0]}" if is_optie and opts else ""


def _param_hint(e: Exception) -> str:
    param = getattr(e, "param", None)
    metavar = getattr(param, "metavar", None)
    if isinstance(metavar, str) and not getattr(param, "opts", [""])[0].startswith("-"):
        return f"het argument {metavar.strip('{}[]')}"
    hint = getattr(e, "param_hint", None)
    if isinstance(hint, str):
        return hint
    opts = getattr(param, "opts", None) or []
    return "/".join(f"'{o}'" for o in opts) if opts else "een argument"


def _reden(bericht: str) -> str:
    grens = re.search(r"(less|greater) than or equal to (\S+?)\.?$", bericht)
    if grens:
        return f": verwacht {'hoogstens' if grens[1] == 'less' else 'minstens'} {grens[2]}"
    if "valid integer" in bericht:
        return ": verwacht een geheel getal"
    if "valid date" in bericht or "datetime" in bericht:
        return ": verwacht een datum als JJJJ-MM-DD"
    return f" ({bericht.removeprefix('Value error, ')})"

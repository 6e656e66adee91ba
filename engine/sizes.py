"""Parsing and printing byte sizes such as ``64KiB``, ``4MiB``, ``1.5MB`` or ``4096``."""

import re
from decimal import Decimal

from .errors import UsageError
from .values import shown

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4, "tb": 1000**4,
}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text: str, *, what: str = "size", minimum: int = 1, maximum: int | None = None) -> int:
    """Return the number of bytes ``text`` names, ``minimum`` to ``maximum``; raise
    UsageError for anything else.

    Binary units (KiB, MiB, GiB) are powers of 1024, decimal units (KB, MB, GB) powers of 1000,
    matching the convention of ``--disk-mbps`` (MB = 10**6 bytes).
    """
    match = _SIZE_RE.match(str(text))
    if not match:
        raise UsageError(f"invalid {what} {shown(text)}: expected a number with an optional unit, like 64KiB or 4MiB")
    number, unit = match.groups()
    factor = _UNITS.get(unit.lower())
    if factor is None:
        raise UsageError(f"invalid {what} {shown(text)}: unknown unit {unit!r} (use B, KiB, MiB, GiB, KB, MB, GB)")
    value = int(Decimal(number) * factor)  # exact: no float overflow for any number of digits
    if value < minimum:
        got, bound = sizes_apart(value, minimum)
        raise UsageError(f"invalid {what} {shown(text)}: must be at least {bound}, got {got}")
    if maximum is not None and value > maximum:
        got, bound = sizes_apart(value, maximum)
        raise UsageError(f"invalid {what} {shown(text)}: must be at most {bound}, got {got}")
    return value


def format_size(n: float) -> str:
    """Human form of a byte count: ``1.0 MiB``, ``512 B``."""
    try:
        n = float(n)
    except OverflowError:  # an int with hundreds of digits
        return "more than 1e308 B"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def sizes_apart(value: int, bound: int) -> tuple[str, str]:
    """``value`` and ``bound`` as a message that compares them shows them: as format_size
    does, and with the exact bytes as well where that would show two different sizes alike,
    as if the value were within the bound: ``1.0 GiB (1074790400 bytes)`` against
    ``1.0 GiB (1073741824 bytes)``, where both would read ``1.0 GiB``."""
    shown_value, shown_bound = format_size(value), format_size(bound)
    if shown_value == shown_bound and value != bound:
        shown_value, shown_bound = f"{shown_value} ({value} bytes)", f"{shown_bound} ({bound} bytes)"
    return shown_value, shown_bound

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
        raise UsageError(f"invalid {what} {shown(text)}: must be at least {format_size(minimum)}")
    if maximum is not None and value > maximum:
        raise UsageError(f"invalid {what} {shown(text)}: must be at most {format_size(maximum)}")
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

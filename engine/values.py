"""Values from outside (the command line, scenario files, recordings): what counts as a
number or a whole number, how a refused value is shown, and the bounds every front end shares.

A bool is never a number here (``True`` is an ``int`` in Python, but ``nodes = true`` is a
mistake), and neither is ``nan`` or ``inf`` (TOML and JSON both can write them).

Bounds, each refused with one line and exit status 2:

- ``MAX_SECONDS`` (10**6 s, 11.6 days) for every time and duration: heartbeat, dead_after,
  metrics and scan intervals, timeouts, kill and fault times. ``threading.Timer`` cannot
  schedule ``inf`` or ``1e308`` seconds (it fails in its own thread, so the fault would
  silently never happen), and no run on one machine lasts for days.
- ``MIN_INTERVAL`` (1 ms) for the heartbeat, metrics and scan intervals: a shorter period is
  below what a timer resolves and would only flood the coordinator with messages.
- ``MAX_NODES`` data-node processes, ``MAX_SLOTS`` task threads per node and ``MAX_STREAMS``
  disk transfers per node: more would exhaust one machine's processes or threads.
- ``MAX_BLOCK_SIZE`` (1 GiB): a block is read and checksummed in one piece.
- ``MAX_DATA_SIZE`` (4 GiB) for a generated corpus: it is generated in memory.
- ``MAX_SCENARIO_SIZE`` (1 MiB) for a scenario file: scenarios are a few dozen lines, and a
  larger file is a mistake (a log, a corpus) that TOML parsing would take long over.
- ``MAX_ATTEMPTS`` per task, ``MAX_TRIALS`` per experiment, ``MAX_TOP`` words in a top list.
"""

from __future__ import annotations

import math

MAX_SECONDS = 1_000_000.0
MIN_INTERVAL = 0.001
MAX_NODES = 256
MAX_SLOTS = 256
MAX_STREAMS = 256
MAX_ATTEMPTS = 100
MAX_BLOCK_SIZE = 1024 ** 3
MAX_DATA_SIZE = 4 * 1024 ** 3
MAX_SCENARIO_SIZE = 1024 ** 2
MAX_TRIALS = 1000
MAX_TOP = 100_000


class BadValue(ValueError):
    """A refused value; the message follows the value's name: ``must be ... (got ...)``."""


def is_number(value) -> bool:
    """An int or a finite float, and not a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def is_whole(value) -> bool:
    """An int, and not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def shown(value, limit: int = 40) -> str:
    """``value`` as a refusal message shows it: ``'six'``, ``nan``, ``True``, ``{'at': 1}``."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def plain(x) -> str:
    """A bound or a number as a person writes it: ``1``, ``0.5``, ``1000000``."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return str(x)


def number(value, *, whole: bool = False, minimum=None, above=None, maximum=None, unit: str = ""):
    """``value`` if it is a number (a whole number with ``whole``) within the bounds:
    ``minimum <= value``, ``above < value``, ``value <= maximum``; BadValue otherwise."""
    if whole and not is_whole(value):
        raise BadValue(f"must be a whole number (got {shown(value)})")
    if not whole and not is_number(value):
        raise BadValue(f"must be a finite number (got {shown(value)})")
    suffix = f" {unit}" if unit else ""
    if above is not None and not value > above:
        bound = "positive" if above == 0 else f"above {plain(above)}{suffix}"
        raise BadValue(f"must be {bound} (got {plain(value)})")
    if minimum is not None and value < minimum:
        bound = "must not be negative" if minimum == 0 else f"must be at least {plain(minimum)}{suffix}"
        raise BadValue(f"{bound} (got {plain(value)})")
    if maximum is not None and value > maximum:
        raise BadValue(f"must be at most {plain(maximum)}{suffix} (got {plain(value)})")
    return value


def seconds(value, *, positive: bool = False, interval: bool = False):
    """A time or duration: a finite number of seconds, 0 (or above 0 with ``positive``, or
    ``MIN_INTERVAL`` with ``interval``) to ``MAX_SECONDS``."""
    if interval:
        return number(value, minimum=MIN_INTERVAL, maximum=MAX_SECONDS, unit="s")
    if positive:
        return number(value, above=0, maximum=MAX_SECONDS, unit="s")
    return number(value, minimum=0, maximum=MAX_SECONDS, unit="s")

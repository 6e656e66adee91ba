"""Where a key of a TOML file is written: the line number an error message names.

``tomllib`` returns values without positions, so this scans the text for table headers
(``[cluster]``, ``[cluster.node_disk_mbps]``, ``[[faults]]``) and ``key = value`` lines and
maps each key path to its line: ``("faults", 2, "at")`` is the ``at = ...`` line after the
third ``[[faults]]`` header, ``("data", "seed")`` is ``seed = ...`` under ``[data]`` or
``data.seed = ...`` at the top. A path that is not written out (a default, a key inside an
inline table or a multi-line array) gets the line of its nearest written parent, or None.
"""

from __future__ import annotations

import re

_PART = r'(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_PARTS = re.compile(_PART)


def _split(dotted: str) -> tuple:
    return tuple(p.strip("\"'") for p in _PARTS.findall(dotted))


def key_lines(text: str) -> dict[tuple, int]:
    """{key path: line number (from 1)} of every header and ``key =`` line of ``text``."""
    lines: dict[tuple, int] = {}
    arrays: dict[tuple, int] = {}
    table: tuple = ()
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:
            in_string = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
            continue
        match = _ARRAY_HEADER.match(line)
        if match:
            name = _split(match.group(1))
            index = arrays.get(name, 0)
            arrays[name] = index + 1
            table = name + (index,)
            lines.setdefault(name, number)
            lines.setdefault(table, number)
            continue
        match = _TABLE_HEADER.match(line)
        if match:
            table = _split(match.group(1))
            lines.setdefault(table, number)
            continue
        match = _KEY.match(line)
        if match:
            path = table + _split(match.group(1))
            for end in range(len(table) + 1, len(path) + 1):  # a.b = 1 also writes a
                lines.setdefault(path[:end], number)
            rest = line[match.end():]
            in_string = rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1
    return lines


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path``, else of its nearest parent that is written, else None."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None

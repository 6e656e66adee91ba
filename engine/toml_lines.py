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


MAX_NESTING = 16  # arrays or inline tables inside one another; parts of one dotted key

_TOKEN = re.compile(r'"""|\'\'\'|["\'#\[\]{}.,=\n]')
_BASIC_STRING = re.compile(r'(?:[^"\\\n]|\\.)*"')
_MULTI_LINE_BASIC_STRING = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL)


def nesting_problem(text: str, limit: int | None = None) -> tuple[int, str] | None:
    """``(line, what)`` where ``text`` nests deeper than ``limit`` (MAX_NESTING): arrays or
    inline tables inside one another, or a dotted key (``a.b.c = 1``, ``[a.b.c]``) of more
    parts; None if it does not.

    A scan of the text before it is parsed, because ``tomllib`` recurses into every array
    and inline table (100000 ``[`` raise RecursionError) and takes time quadratic in the
    parts of a dotted key. Brackets and dots inside strings and comments do not count; text
    that is not valid TOML is left for the parser to refuse."""
    limit = MAX_NESTING if limit is None else limit
    stack: list[str] = []  # the "[" and "{" of the values open here
    key = True  # reading a key: at the start of a line, in a [header], after "{" or ","
    fresh = True  # nothing but blanks yet on this line
    parts = 1  # of the key being read
    pos = 0

    def line(where: int) -> int:
        return text.count("\n", 0, where) + 1

    while True:
        match = _TOKEN.search(text, pos)
        if match is None:
            return None
        token, start = match.group(), match.start()
        if fresh and text[pos:start].strip():
            fresh = False
        pos = match.end()
        if token == "\n":
            if not stack:
                key, parts = True, 1
            fresh = True
            continue
        starts_line, fresh = fresh, False
        if token == "#":
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        elif token in ('"', "'", '"""', "'''"):
            pos = _string_end(text, token, pos)
            if pos < 0:
                return None  # not closed: the parser says so
        elif token == "[" and starts_line and not stack:
            key, parts = True, 1  # a [table] or [[array]] header
            if text.startswith("[", pos):
                pos += 1
        elif token in "[{":
            stack.append(token)
            if len(stack) > limit:
                return line(start), (f"values nested more than {limit} deep "
                                     "(arrays or inline tables inside one another)")
            key, parts = token == "{", 1
        elif token in "]}":
            if stack:
                stack.pop()
            key = False
        elif token == ",":
            if stack and stack[-1] == "{":
                key, parts = True, 1
        elif token == "=":
            key = False
        elif token == "." and key:
            parts += 1
            if parts > limit:
                return line(start), f"a dotted key of more than {limit} parts"


def _string_end(text: str, quote: str, pos: int) -> int:
    """Where the string opened by ``quote`` just before ``pos`` ends (-1: it does not)."""
    if quote == '"':
        match = _BASIC_STRING.match(text, pos)
        return match.end() if match else -1
    if quote == "'":
        end = text.find("'", pos)
        return end + 1 if end >= 0 and "\n" not in text[pos:end] else -1
    if quote == '"""':
        match = _MULTI_LINE_BASIC_STRING.match(text, pos)
        end = match.end() if match else -1
    else:
        end = text.find("'''", pos)
        end = end + 3 if end >= 0 else -1
    for _ in range(2):  # a multi-line string may end in one or two quotes of its own
        if end >= 0 and text.startswith(quote[0], end):
            end += 1
    return end

"""Reading typed values out of a parsed TOML document, for files that people write: every
value that has the wrong type or is out of bounds is one line naming the file, the line and
the key, like ``s.toml:7: faults[0].at must be a finite number (got 'soon')``."""

from __future__ import annotations

from engine.errors import UsageError
from engine.sizes import parse_size
from engine.values import BadValue, is_whole, number, seconds, shown

from .toml_lines import key_lines, line_of

_MISSING = object()


def label(path: tuple) -> str:
    """``("faults", 2, "at")`` as a person reads it: ``faults[2].at``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class TomlReader:
    """Reads typed values out of a parsed document (``tomllib.loads(text)``); every refusal
    raises ``error`` with one line naming the file, the line of the key (when ``text`` has
    it) and the key."""

    def __init__(self, path: str, text: str, error: type[UsageError] = UsageError):
        self.path = path
        self.lines = key_lines(text)
        self.error = error

    def line(self, path: tuple) -> int | None:
        return line_of(self.lines, path)

    def fail(self, message: str, path: tuple = ()):
        self.fail_at(self.line(path) if path else None, message)

    def fail_at(self, line: int | None, message: str):
        where = f"{self.path}:{line}" if line else self.path
        raise self.error(f"{where}: {message}")

    def keys(self, table: dict, allowed, where: tuple) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"unknown key {label(where + (key,))} (allowed: {', '.join(sorted(allowed))})",
                          where + (key,))

    def get(self, table: dict, path: tuple, default=_MISSING):
        value = table.get(path[-1], default)
        if value is _MISSING:
            self.fail(f"{label(path)} is missing", path[:-1])
        return value

    def number(self, table: dict, path: tuple, default=_MISSING, **bounds):
        value = self.get(table, path, default)
        try:
            return number(value, **bounds)
        except BadValue as exc:
            self.fail(f"{label(path)} {exc}", path)

    def seconds(self, table: dict, path: tuple, default=_MISSING, positive: bool = False) -> float:
        value = self.get(table, path, default)
        try:
            return float(seconds(value, positive=positive))
        except BadValue as exc:
            self.fail(f"{label(path)} {exc}", path)

    def text(self, table: dict, path: tuple, default=_MISSING, nonempty: bool = False) -> str:
        value = self.get(table, path, default)
        if not isinstance(value, str):
            self.fail(f"{label(path)} must be text in quotes (got {shown(value)})", path)
        if nonempty and not value.strip():
            self.fail(f"{label(path)} must not be empty", path)
        return value

    def boolean(self, table: dict, path: tuple, default=_MISSING) -> bool:
        value = self.get(table, path, default)
        if not isinstance(value, bool):
            self.fail(f"{label(path)} must be true or false (got {shown(value)})", path)
        return value

    def choice(self, table: dict, path: tuple, choices, default=_MISSING) -> str:
        value = self.get(table, path, default)
        if not isinstance(value, str) or value not in choices:
            self.fail(f"{label(path)} must be one of {', '.join(choices)} (got {shown(value)})", path)
        return value

    def size(self, table: dict, path: tuple, default=_MISSING, maximum: int | None = None) -> int:
        """A size: text like "256KiB" or a whole number of bytes."""
        value = self.get(table, path, default)
        if isinstance(value, str):
            try:
                return parse_size(value, what=label(path), maximum=maximum)
            except UsageError as exc:
                self.fail(str(exc), path)
        if not is_whole(value):
            self.fail(f'{label(path)} must be a size like "256KiB" or a whole number of bytes '
                      f"(got {shown(value)})", path)
        return self.number(table, path, whole=True, minimum=1, maximum=maximum)

    def table(self, table: dict, path: tuple) -> dict:
        value = table.get(path[-1], {})
        if not isinstance(value, dict):
            self.fail(f"{label(path)} must be a table, written [{label(path)}] (got {shown(value)})", path)
        return value

    def tables(self, table: dict, path: tuple) -> list:
        """An array of tables, written [[name]] once per entry."""
        value = table.get(path[-1], [])
        name = label(path)
        if isinstance(value, dict):
            self.fail(f"{name} must be an array of tables: write [[{name}]] before each entry, "
                      f"not [{name}]", path)
        if not isinstance(value, list):
            self.fail(f"{name} must be an array of tables, written [[{name}]] (got {shown(value)})", path)
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail(f"{name}[{i}] must be a table, written [[{name}]] (got {shown(entry)})", path + (i,))
        return value

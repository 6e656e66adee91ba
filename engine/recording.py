"""A run on disk: the event stream as JSON Lines, and the verdicts beside it.

A **recording** is two files:

- ``NAME`` (any name; ``.jsonl`` by convention): the event stream, one event per line
  (``Event.to_json()``), exactly what ``write_events`` writes and ``read_events`` reads (so
  the GUI's "Export events as JSON Lines…" also makes a file that replays);
- ``NAME.verdicts.json`` (optional sidecar): what the engine does not say but the window
  showed, namely each finished job's verdict against the single-process reference (the live
  run computes it from the input file, which a replay may not have)::

      {"format": "clusterscope-recording", "version": 1, "events": 1234, "duration": 45.6,
       "time_scale": 1, "verdicts": {"1": {"verdict": "exact", "detail": "exact: ..."}}}

  ``events`` and ``duration`` describe the event file it was saved with: a sidecar that does
  not match its event file (the events were overwritten later) is ignored with a warning.

Plain functions over events and dicts. A file that cannot be written or read raises
``UsageError`` with a one-line message naming it (and the line, for an event that is not one).
A recording is read whole, from a regular file of at most ``MAX_RECORDING_BYTES``: a named
pipe, a device or a folder in its place is refused at once, never waited on or read forever;
and every event time is at most ``engine.values.MAX_SECONDS``, as every time of a run is (the
replay's clock, slider and timers count in milliseconds).
"""

from __future__ import annotations

import io
import json
import os
import stat

from .config import ClusterConfig, ConfigError
from .errors import UsageError
from .events import Event, from_dict
from .sizes import format_size
from .values import BadValue, is_number, seconds, shown
from .view import ClusterState

VERDICTS_SUFFIX = ".verdicts.json"
FORMAT = "clusterscope-recording"
VERSION = 1
# A recording is held in memory, event by event, with state snapshots for seeking: an hour of
# a busy cluster is a few tens of MiB of JSON Lines.
MAX_RECORDING_BYTES = 256 * 1024 ** 2
MAX_SIDECAR_BYTES = 16 * 1024 ** 2


def verdicts_path(path) -> str:
    return os.fspath(path) + VERDICTS_SUFFIX


# -- files a run is saved to -----------------------------------------------------------------

def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_writable(path) -> str:
    """The absolute path, or UsageError if a file cannot be written there."""
    path = os.fspath(path)
    if not path:
        raise UsageError("no file name given")
    full = os.path.abspath(path)
    folder = os.path.dirname(full)
    if os.path.isdir(full):
        raise UsageError(f"cannot write {path}: it is a folder")
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (os.path.exists(full) and not os.access(full, os.W_OK)):
        raise UsageError(f"cannot write {path}: permission denied")
    return full


def open_for_writing(path, **kwargs):
    """``path`` opened for writing UTF-8 text, or UsageError (see ``check_writable``)."""
    full = check_writable(path)
    try:
        return open(full, "w", encoding="utf-8", **kwargs)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_reason(exc)}") from None


# -- the events ------------------------------------------------------------------------------

def write_events(events, path) -> int:
    """Write one JSON object per line (``event.to_json()``); returns the number written."""
    count = 0
    f = open_for_writing(path, newline="\n")
    try:
        with f:
            for event in events:
                f.write(event.to_json())
                f.write("\n")
                count += 1
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_reason(exc)}") from None
    return count


class _Unreadable(ValueError):
    """Why a file cannot be read, as the end of a ``cannot read PATH: ...`` line."""


def _read_file(path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` if it holds at most ``limit``; _Unreadable
    otherwise. Opened without blocking, so that a named pipe is refused rather than waited
    on, and read no further than ``limit`` (a file that grows while read is refused too)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _Unreadable("no such file") from None
    except IsADirectoryError:
        raise _Unreadable("it is a folder") from None
    except OSError as exc:
        raise _Unreadable(_reason(exc)) from None
    try:
        mode = os.fstat(fd)
        if stat.S_ISDIR(mode.st_mode):
            raise _Unreadable("it is a folder")
        if not stat.S_ISREG(mode.st_mode):
            raise _Unreadable("not a regular file (a named pipe, a device or a socket)")
        too_large = _Unreadable(f"larger than {format_size(limit)}, more than a recording holds")
        if mode.st_size > limit:
            raise too_large
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise _Unreadable(_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large
    return data


def read_events(path) -> list[tuple[int, Event]]:
    """(line number, event) of every event of a JSON Lines file (blank lines are skipped). A
    missing file, one that is not a regular file of at most ``MAX_RECORDING_BYTES``, or a line
    that is not an event of the declared field types (``engine.events.from_dict``), raises
    UsageError naming the file and the line."""
    try:
        data = _read_file(path, MAX_RECORDING_BYTES)
        lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").readlines()  # as open() reads text
    except _Unreadable as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None
    events = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise UsageError(f"{path} line {number}: not JSON ({str(exc).splitlines()[0]})") from None
        try:
            events.append((number, from_dict(d)))
        except (ValueError, TypeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UsageError(f"{path} line {number}: not a ClusterScope event: {reason}") from None
    return events


# -- a recording -----------------------------------------------------------------------------

def write_recording(path, events, verdicts: dict, time_scale: float = 1.0) -> int:
    """Write ``events`` to ``path`` and ``verdicts`` (``{job: (verdict, detail)}``) with
    ``time_scale`` to ``path + '.verdicts.json'``; returns the number of events. Raises
    UsageError (one line) if either file cannot be written."""
    events = list(events)
    count = write_events(events, path)
    duration = max((e.t for e in events), default=0.0)
    sidecar = {
        "format": FORMAT, "version": VERSION, "events": count, "duration": duration,
        "time_scale": float(time_scale) or 1.0,
        "verdicts": {str(job): {"verdict": v, "detail": d} for job, (v, d) in sorted(verdicts.items())},
    }
    target = verdicts_path(path)
    f = open_for_writing(target, newline="\n")
    try:
        with f:
            json.dump(sidecar, f, ensure_ascii=False, indent=1)
            f.write("\n")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {_reason(exc)}") from None
    return count


def load_recording(path) -> tuple[list, dict, list[str]]:
    """(events, sidecar, warnings) of a recording. The events must load, there must be at
    least one, and each must apply to the view model (UsageError naming the file and the
    line otherwise); a missing sidecar gives ``{}``, an unreadable or mismatched one a warning."""
    numbered = read_events(path)
    if not numbered:
        raise UsageError(f"{path}: no events, so nothing to replay (a recording has one event per line)")
    _check_replayable(path, numbered)
    events = [event for _, event in numbered]
    side = verdicts_path(path)
    warnings: list[str] = []
    if not os.path.exists(side):
        return events, {}, warnings
    try:
        sidecar = json.loads(_read_file(side, MAX_SIDECAR_BYTES).decode("utf-8"))
        if not isinstance(sidecar, dict) or sidecar.get("format") != FORMAT:
            raise ValueError("not a ClusterScope verdicts file")
        for key in ("time_scale", "duration"):
            value = sidecar.get(key)
            if value is not None and not (is_number(value) and value >= 0):
                raise ValueError(f"{key} must be a number >= 0 (got {shown(value)})")
        verdicts = {}
        for job, v in (sidecar.get("verdicts") or {}).items():
            verdicts[int(job)] = (str(v["verdict"]), str(v.get("detail", "")))
        sidecar = {**sidecar, "verdicts": verdicts}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        warnings.append(f"{side}: ignored ({reason})")
        return events, {}, warnings
    duration = max((e.t for e in events), default=0.0)
    if sidecar.get("events") not in (None, len(events)) or (
            sidecar.get("duration") is not None and abs(float(sidecar["duration"]) - duration) > 1e-6):
        warnings.append(f"{side} belongs to another recording: verdicts ignored")
        return events, {}, warnings
    return events, sidecar, warnings


def _check_replayable(path, numbered) -> None:
    """Apply every event to a fresh view model, as a replay will: an event whose fields have
    their declared types but not the shape the view model needs (a block list of numbers,
    metrics keyed by a name), or whose time is beyond ``MAX_SECONDS``, is a UsageError naming
    its line, not a traceback later."""
    state = ClusterState()
    for number, event in numbered:
        try:
            seconds(event.t)
        except BadValue as exc:
            raise UsageError(f"{path} line {number}: {event.kind}: t {exc}") from None
        try:
            if event.kind == "cluster_started":
                recorded_config([event])
            state.apply(event)
        except Exception as exc:  # any failure of the view model is this line's fault
            if isinstance(exc, ConfigError):
                reason = f"{exc.field} {exc.problem}"
            else:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UsageError(f"{path} line {number}: a {event.kind} event that cannot be replayed "
                             f"({reason})") from None


def recorded_config(events) -> ClusterConfig:
    """The recorded cluster's settings, from its cluster_started event (defaults otherwise)."""
    for e in events:
        if e.kind == "cluster_started":
            return ClusterConfig(nodes=e.nodes, replication=e.replication, block_size=e.block_size,
                                 heartbeat=e.heartbeat, dead_after=e.dead_after, data_dir=e.data_dir,
                                 disk_mbps=getattr(e, "disk_mbps", None)).validate()
    return ClusterConfig()

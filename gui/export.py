"""Saving what a run showed: the event stream as JSON Lines (a recording that
``load_events_jsonl`` reads back), the metrics as CSV for a spreadsheet, a widget as PNG.

Plain functions, no widgets of their own. A path that cannot be written raises
``engine.errors.UsageError`` with a one-line message, which the main window shows as is.
"""

from __future__ import annotations

import csv
import json
import os

from engine.errors import UsageError
from engine.events import Event, from_dict

from .i18n import translate

MB = 10 ** 6  # read_MBps columns, as the throughput plot (MB = 10**6 bytes)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _check_writable(path: str) -> str:
    """The absolute path, or UsageError if a file cannot be written there."""
    path = os.fspath(path)
    if not path:
        raise UsageError(translate("export", "no file name given"))
    full = os.path.abspath(path)
    folder = os.path.dirname(full)
    if os.path.isdir(full):
        raise UsageError(translate("export", "cannot write {path}: it is a folder").format(path=path))
    if not os.path.isdir(folder):
        raise UsageError(translate("export", "cannot write {path}: folder {folder} does not exist").format(
            path=path, folder=folder))
    if not os.access(folder, os.W_OK) or (os.path.exists(full) and not os.access(full, os.W_OK)):
        raise UsageError(translate("export", "cannot write {path}: permission denied").format(path=path))
    return full


def _open_for_writing(path: str, **kwargs):
    full = _check_writable(path)
    try:
        return open(full, "w", encoding="utf-8", **kwargs)
    except OSError as exc:
        raise UsageError(translate("export", "cannot write {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None


def export_events_jsonl(events, path) -> int:
    """Write one JSON object per line (``event.to_json()``); returns the number written."""
    count = 0
    f = _open_for_writing(path, newline="\n")
    try:
        with f:
            for event in events:
                f.write(event.to_json())
                f.write("\n")
                count += 1
    except OSError as exc:
        raise UsageError(translate("export", "cannot write {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None
    return count


def load_events_jsonl(path) -> list[Event]:
    """Read a file written by ``export_events_jsonl`` back into events (blank lines are
    skipped). A missing file, or a line that is not an event of the declared field types
    (``engine.events.from_dict``), raises UsageError naming the file and the line."""
    return [event for _, event in read_event_lines(path)]


def read_event_lines(path) -> list[tuple[int, Event]]:
    """(line number, event) of every event of a JSON Lines file; UsageError as above."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except FileNotFoundError:
        raise UsageError(translate("export", "cannot read {path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise UsageError(translate("export", "cannot read {path}: it is a folder").format(path=path)) from None
    except UnicodeDecodeError:
        raise UsageError(translate("export", "cannot read {path}: not UTF-8 text").format(path=path)) from None
    except OSError as exc:
        raise UsageError(translate("export", "cannot read {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None
    events = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise UsageError(translate("export", "{path} line {line}: not JSON ({reason})").format(
                path=path, line=number, reason=str(exc).splitlines()[0])) from None
        try:
            events.append((number, from_dict(d)))
        except (ValueError, TypeError) as exc:
            raise UsageError(translate("export", "{path} line {line}: not a ClusterScope event: {reason}").format(
                path=path, line=number, reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None
    return events


def metrics_table(state) -> tuple[list[str], list[list]]:
    """(header, rows) of ``export_metrics_csv``: t, read_MBps of every node seen (ids
    sorted; empty where a sample has no value for that node), their total, and the
    last-known under-replicated and missing counts at that time."""
    samples = list(state.metrics)
    nodes = sorted({int(n) for _, rates in samples for n in rates})
    header = ["t"] + [f"read_MBps_node{n}" for n in nodes] + ["read_MBps_total", "under_replicated", "missing"]
    health = sorted(state.health_history, key=lambda h: h[0])
    # Before the first health change the counts are 0, unless older history was dropped.
    trimmed = state.health_history.maxlen is not None and len(state.health_history) >= state.health_history.maxlen
    unknown = ("", "") if trimmed else (0, 0)
    rows = []
    h = 0
    current = unknown
    for t, rates in samples:
        while h < len(health) and health[h][0] <= t:
            current = (health[h][1], health[h][2])
            h += 1
        row = [round(t, 4)]
        total = 0.0
        for n in nodes:
            bps = rates.get(n)
            if bps is None:
                row.append("")
            else:
                total += bps
                row.append(round(bps / MB, 6))
        row.append(round(total / MB, 6))
        row.extend(current)
        rows.append(row)
    return header, rows


def export_metrics_csv(state, path) -> int:
    """Write ``state.metrics`` (with health counts) as CSV; returns the number of rows."""
    header, rows = metrics_table(state)
    f = _open_for_writing(path, newline="")
    try:
        with f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise UsageError(translate("export", "cannot write {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None
    return len(rows)


def export_widget_png(widget, path) -> bool:
    """Save what ``widget`` shows now as a PNG (whatever the file name's extension says);
    False if Qt could not encode or write it."""
    full = _check_writable(path)
    return bool(widget.grab().save(full, "PNG"))

"""Saving what a run showed: the event stream as JSON Lines (a recording that
``load_events_jsonl`` reads back; the format is ``engine.recording``'s), the metrics as CSV
for a spreadsheet, a widget as PNG.

Plain functions, no widgets of their own. A path that cannot be written raises
``engine.errors.UsageError`` with a one-line message, which the main window shows as is.
"""

from __future__ import annotations

import csv

from engine.errors import UsageError
from engine.events import Event
from engine.recording import check_writable, open_for_writing, read_events, write_events

from .i18n import translate

MB = 10 ** 6  # read_MBps columns, as the throughput plot (MB = 10**6 bytes)


def export_events_jsonl(events, path) -> int:
    """Write one JSON object per line (``event.to_json()``); returns the number written."""
    return write_events(events, path)


def load_events_jsonl(path) -> list[Event]:
    """Read a file written by ``export_events_jsonl`` back into events (blank lines are
    skipped). A missing file, or a line that is not an event of the declared field types
    (``engine.events.from_dict``), raises UsageError naming the file and the line."""
    return [event for _, event in read_events(path)]


def read_event_lines(path) -> list[tuple[int, Event]]:
    """(line number, event) of every event of a JSON Lines file; UsageError as above."""
    return read_events(path)


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
    f = open_for_writing(path, newline="")
    try:
        with f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise UsageError(translate("export", "cannot write {path}: {reason}").format(
            path=path, reason=exc.strerror or str(exc))) from None
    return len(rows)


def export_widget_png(widget, path) -> bool:
    """Save what ``widget`` shows now as a PNG (whatever the file name's extension says);
    False if Qt could not encode or write it."""
    full = check_writable(path)
    return bool(widget.grab().save(full, "PNG"))

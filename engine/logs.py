"""Node log records reach the parent through multiprocessing-logging and become events.

Node processes log with the standard ``logging`` module under ``clusterscope.node.<id>``.
One ``MultiProcessingHandler`` on the ``clusterscope`` logger, installed in the parent before
any node is forked, carries their records over a queue to the parent, where they are handed
to every cluster registered here and published as ``LogMessage`` events.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading

import multiprocessing_logging

_lock = threading.Lock()
_sinks: list = []  # callables taking a LogRecord; one per running cluster in this process
_installed: list = []


class _SinkHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        with _lock:
            sinks = list(_sinks)
        for sink in sinks:
            try:
                sink(record)
            except Exception:
                pass


def install() -> None:
    """Idempotent: use the fork start method and route ``clusterscope`` records to sinks."""
    with _lock:
        if _installed:
            return
        # multiprocessing-logging only works with fork; Python 3.14 changes Linux's default.
        if multiprocessing.get_start_method(allow_none=True) != "fork":
            multiprocessing.set_start_method("fork", force=True)
        handler = multiprocessing_logging.MultiProcessingHandler(
            "clusterscope-logs", sub_handler=_SinkHandler())
        logger = logging.getLogger("clusterscope")
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        _installed.append(handler)


def add_sink(sink) -> None:
    with _lock:
        _sinks.append(sink)


def remove_sink(sink) -> None:
    with _lock:
        if sink in _sinks:
            _sinks.remove(sink)


def node_of(record: logging.LogRecord) -> int | None:
    parts = record.name.split(".")
    if len(parts) >= 3 and parts[1] == "node":
        try:
            return int(parts[2])
        except ValueError:
            return None
    return None

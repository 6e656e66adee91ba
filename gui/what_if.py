"""The "what if" panel: the lecture's arithmetic for the cluster on screen.

Reading S bytes from one disk at B MB/s (MB = 10**6 bytes) takes S / B; spread evenly over
N disks read in parallel it takes S / (N x B). One terabyte at 100 MB/s is 2.8 hours on one
disk; a hundred disks each holding 1 % read it in 100 s.

``read_seconds``, ``scaling_rows``, ``duration_parts`` and ``size_parts`` are that arithmetic
and its rounding, without Qt. ``WhatIfPanel`` states it for the live cluster (its live
nodes, its disk speed, the bytes it stores) and lets the user change S, N and B to play
"what if"; "Use the cluster's values" goes back to following the cluster.
"""

from __future__ import annotations

import math

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

from . import theme as th

MB = 10 ** 6
DEFAULT_MBPS = 100.0  # a hard disk's sequential read, for clusters whose disks are unthrottled
SIZE_UNITS = (("MB", 10 ** 6), ("GB", 10 ** 9), ("TB", 10 ** 12), ("MiB", 2 ** 20), ("GiB", 2 ** 30))
# Events after which the live node count, the disk speed or the bytes stored may differ.
RELEVANT = frozenset({
    "cluster_started", "cluster_stopped", "node_started", "node_starting", "node_rejoined",
    "node_suspect", "node_recovered", "node_declared_dead", "node_killed", "node_paused",
    "node_resumed", "node_added", "node_disk_speed", "put_finished", "file_deleted",
})


# -- the arithmetic (no Qt) -----------------------------------------------------------------

def read_seconds(size_bytes: float, mbps: float, disks: int = 1) -> float:
    """Seconds to read ``size_bytes`` spread evenly over ``disks`` disks of ``mbps`` MB/s
    each, all reading at once: S / (N x B). ValueError for a negative size, a speed that is
    not positive or fewer than one disk."""
    if isinstance(size_bytes, bool) or not isinstance(size_bytes, (int, float)) \
            or not math.isfinite(size_bytes) or size_bytes < 0:
        raise ValueError(f"size must be zero or more bytes (got {size_bytes!r})")
    if isinstance(mbps, bool) or not isinstance(mbps, (int, float)) or not math.isfinite(mbps) or mbps <= 0:
        raise ValueError(f"disk speed must be a positive number of MB/s (got {mbps!r})")
    if isinstance(disks, bool) or not isinstance(disks, int) or disks < 1:
        raise ValueError(f"there must be at least one disk (got {disks!r})")
    return size_bytes / (disks * mbps * MB)


def scaling_rows(size_bytes: float, mbps: float, disks: int) -> list[tuple[int, float, float]]:
    """(disks, bytes each reads, seconds) for one disk, ``disks``, 10 and 100 times as many."""
    counts = sorted({1, disks, 10 * disks, 100 * disks})
    return [(n, size_bytes / n, read_seconds(size_bytes, mbps, n)) for n in counts]


def _figure(value: float) -> str:
    """Two significant figures below 10, whole numbers above: 0.17, 8.4, 1.4, 17, 100, 1."""
    if value < 0.995:
        return f"{value:.2g}"
    text = f"{value:.1f}" if value < 9.95 else f"{value:.0f}"
    return text[:-2] if text.endswith(".0") else text


def duration_parts(seconds: float) -> tuple[str, str]:
    """(figure, unit) of a duration for people; unit is 'ms', 's', 'min', 'h' or 'days'."""
    if seconds < 0.1:
        return _figure(seconds * 1000), "ms"
    if seconds < 120:
        return _figure(seconds), "s"
    if seconds < 120 * 60:
        return _figure(seconds / 60), "min"
    if seconds < 48 * 3600:
        return _figure(seconds / 3600), "h"
    return _figure(seconds / 86400), "days"


def size_parts(size_bytes: float) -> tuple[str, str]:
    """(figure, unit) of a byte count in decimal units (MB = 10**6 bytes, as in MB/s)."""
    for unit, factor in (("PB", 10 ** 15), ("TB", 10 ** 12), ("GB", 10 ** 9), ("MB", 10 ** 6), ("kB", 10 ** 3)):
        if size_bytes >= factor:
            return _figure(size_bytes / factor), unit
    return _figure(size_bytes), "B"


def speed_text(mbps: float) -> str:
    """A disk speed without needless digits: 1, 0.15, 2.5, 100 (MB/s)."""
    return f"{mbps:.2f}".rstrip("0").rstrip(".") if mbps < 10 else f"{mbps:.0f}"


# -- the panel ------------------------------------------------------------------------------

class WhatIfPanel(QtWidgets.QGroupBox):
    """S, N and B of the cluster on screen (or the user's own) and what they imply: a
    sentence, a table for more disks, and notes."""

    def __init__(self, bridge, parent=None, size_hint: float = 8 * 2 ** 20, theme: th.Theme | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self.size_hint = float(size_hint)  # S while nothing is stored (the file to store)
        self.following = True
        self.theme = theme or th.NORMAL
        self._syncing = False
        self._cluster_mbps: float | None = None  # None: the cluster's disks are unthrottled
        self._stored = False
        self._slowest: float | None = None  # the slowest live disk, if slower than the cluster's
        self._live_nodes = 0
        self._cluster_size: float | None = None  # S while following (the field rounds it)
        self._speed_chosen = False  # the user set B (kept while the disks are unthrottled)
        self.setTitle(self.tr("What if: the same data on more disks"))
        self._build()
        bridge.updated.connect(self._on_updated)
        reset = getattr(bridge, "cluster_reset", None)
        if reset is not None:
            reset.connect(self.follow_cluster)
        self.set_theme(self.theme)
        self.follow_cluster()

    def _build(self) -> None:
        self.size_spin = QtWidgets.QDoubleSpinBox(self)
        self.size_spin.setRange(0.0, 99999.99)
        self.size_spin.setDecimals(2)
        self.size_spin.setToolTip(self.tr("S: how much data is read"))
        self.size_unit = QtWidgets.QComboBox(self)
        for unit, factor in SIZE_UNITS:
            self.size_unit.addItem(unit, factor)
        self.nodes_spin = QtWidgets.QSpinBox(self)
        self.nodes_spin.setRange(1, 99999)
        self.nodes_spin.setSuffix(self.tr(" disks"))
        self.nodes_spin.setToolTip(self.tr("N: how many disks read their share at the same time"))
        self.speed_spin = QtWidgets.QDoubleSpinBox(self)
        self.speed_spin.setRange(0.01, 99999.99)
        self.speed_spin.setDecimals(2)
        self.speed_spin.setSuffix(self.tr(" MB/s"))
        self.speed_spin.setToolTip(self.tr("B: how fast one disk reads (MB = 1,000,000 bytes)"))
        self.follow_button = QtWidgets.QPushButton(self.tr("Use the cluster's values"), self)
        self.follow_button.setToolTip(self.tr("Follow the cluster again: its live nodes, its disk speed and "
                                              "the bytes it stores"))
        self.follow_button.clicked.connect(self.follow_cluster)
        self.statement = QtWidgets.QLabel(self)
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.RichText)
        self.table = QtWidgets.QLabel(self)
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.detail = QtWidgets.QLabel(self)
        self.detail.setWordWrap(True)

        self.mode = QtWidgets.QLabel(self)
        self.mode.setWordWrap(True)
        # Two rows, so that the panel fits the side of the window in lecture mode too:
        # S [size][unit]  N [disks]  /  B [speed]  [Use the cluster's values]
        inputs = QtWidgets.QGridLayout()
        inputs.setHorizontalSpacing(6)
        inputs.setVerticalSpacing(6)
        self._labels = [QtWidgets.QLabel(text, self) for text in (self.tr("S"), self.tr("N"), self.tr("B"))]
        inputs.addWidget(self._labels[0], 0, 0)
        inputs.addWidget(self.size_spin, 0, 1)
        inputs.addWidget(self.size_unit, 0, 2)
        inputs.addWidget(self._labels[1], 0, 3)
        inputs.addWidget(self.nodes_spin, 0, 4)
        inputs.addWidget(self._labels[2], 1, 0)
        inputs.addWidget(self.speed_spin, 1, 1, 1, 2)
        inputs.addWidget(self.follow_button, 1, 3, 1, 2)
        inputs.setColumnStretch(1, 1)
        inputs.setColumnStretch(4, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(inputs)
        layout.addWidget(self.mode)
        layout.addWidget(self.statement)
        layout.addWidget(self.table)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        for signal in (self.size_spin.valueChanged, self.size_unit.currentIndexChanged,
                       self.nodes_spin.valueChanged):
            signal.connect(self._on_user_edit)
        self.speed_spin.valueChanged.connect(self._on_speed_edit)

    # -- values -----------------------------------------------------------------------------

    def size_bytes(self) -> float:
        """S: the cluster's exact bytes while following it, else the size field's value."""
        if self.following and self._cluster_size is not None:
            return self._cluster_size
        return self.size_spin.value() * float(self.size_unit.currentData())

    def values(self) -> tuple[float, int, float]:
        """(S in bytes, N, B in MB/s) as the panel uses them."""
        return self.size_bytes(), self.nodes_spin.value(), self.speed_spin.value()

    def set_values(self, size_bytes: float | None = None, nodes: int | None = None,
                   mbps: float | None = None) -> None:
        """Set S, N and/or B as the user would: the panel stops following the cluster."""
        if size_bytes is not None:
            self._show_size(size_bytes)
        if nodes is not None:
            self.nodes_spin.setValue(int(nodes))
        if mbps is not None:
            self.speed_spin.setValue(float(mbps))
            self._speed_chosen = True
        self.following = False
        self._recompute()

    def set_pending_size(self, size_bytes: float) -> None:
        """The size of the file chosen to be stored: S while nothing is stored."""
        self.size_hint = float(size_bytes)
        if self.following:
            self._sync_from_cluster()

    def follow_cluster(self) -> None:
        """Take S, N and B from the cluster again, and keep following it."""
        self.following = True
        self._sync_from_cluster()

    def statement_text(self) -> str:
        """The sentence, as plain text."""
        return QtGui.QTextDocumentFragment.fromHtml(self.statement.text()).toPlainText()

    def table_text(self) -> str:
        """The table, as plain text (cells separated by tabs, rows by newlines)."""
        return QtGui.QTextDocumentFragment.fromHtml(self.table.text()).toPlainText()

    def detail_text(self) -> str:
        return self.detail.text()

    # -- following the cluster ----------------------------------------------------------------

    def _on_updated(self, events) -> None:
        if self.following and any(e.kind in RELEVANT for e in events):
            self._sync_from_cluster()

    def _cluster_values(self) -> tuple[float, int, float | None, bool, float | None]:
        """(bytes stored, live nodes, disk speed, whether anything is stored, the slowest
        live disk if slower than the cluster's) from the bridge's state."""
        state = self.bridge.state
        live = [n for n in state.nodes.values()
                if n.display_state in ("alive", "suspect") and n.process == "running"]
        if state.config:
            mbps = state.config.get("disk_mbps")
        else:  # before the cluster has said anything: the configuration it will start with
            config = getattr(self.bridge, "config", None)
            mbps = getattr(config, "disk_mbps", None)
        committed = [b for ids in state.files.values() for b in ids
                     if b in state.blocks and state.blocks[b].committed]
        size = float(sum(state.blocks[b].size for b in committed))
        speeds = [n.disk_mbps for n in live if n.disk_mbps is not None]
        slowest = min(speeds) if speeds and mbps is not None and min(speeds) < mbps else None
        return size, len(live), mbps, bool(committed), slowest

    def _sync_from_cluster(self) -> None:
        size, nodes, mbps, stored, slowest = self._cluster_values()
        self._cluster_mbps, self._stored, self._slowest, self._live_nodes = mbps, stored, slowest, nodes
        if mbps is None:  # unthrottled: a hard disk's speed, or the one the user chose
            mbps = self.speed_spin.value() if self._speed_chosen else DEFAULT_MBPS
        self._cluster_size = size if stored else self.size_hint
        self._syncing = True
        try:
            self._show_size(self._cluster_size)
            self.nodes_spin.setValue(max(1, nodes))
            self.speed_spin.setValue(mbps)
        finally:
            self._syncing = False
        self._recompute()

    def _show_size(self, size_bytes: float) -> None:
        """Put ``size_bytes`` in the size field, in the largest decimal unit not above it."""
        index = 0
        for i, (_, factor) in enumerate(SIZE_UNITS[:3]):
            if size_bytes >= factor:
                index = i
        syncing, self._syncing = self._syncing, True
        try:
            self.size_unit.setCurrentIndex(index)
            self.size_spin.setValue(size_bytes / SIZE_UNITS[index][1])
        finally:
            self._syncing = syncing

    def _on_user_edit(self, *_args) -> None:
        if not self._syncing:
            self.following = False
            self._recompute()

    def _on_speed_edit(self, *_args) -> None:
        if not self._syncing:
            self._speed_chosen = True
        self._on_user_edit()

    # -- the statement ------------------------------------------------------------------------

    def _duration(self, seconds: float) -> str:
        figure, unit = duration_parts(seconds)
        if unit == "h":
            return (self.tr("{0} hour") if figure == "1" else self.tr("{0} hours")).format(figure)
        if unit == "days":
            return (self.tr("{0} day") if figure == "1" else self.tr("{0} days")).format(figure)
        return {"ms": self.tr("{0} ms"), "s": self.tr("{0} s"), "min": self.tr("{0} min")}[unit].format(figure)

    def _size(self, size_bytes: float) -> str:
        return self.tr("{0} {1}").format(*size_parts(size_bytes))

    def _disks(self, n: int) -> str:
        return self.tr("1 disk") if n == 1 else self.tr("{0} disks").format(f"{n:,}")

    def _recompute(self) -> None:
        size, nodes, mbps = self.values()
        speed = speed_text(mbps)
        if self.following and self._live_nodes == 0:
            statement = self.tr("No live node: nothing can be read.")
        elif nodes == 1:
            statement = self.tr("1 node at {speed} MB/s: {size} takes <b>{one}</b> on its one disk.").format(
                speed=speed, size=self._size(size), one=self._duration(read_seconds(size, mbps)))
        else:
            statement = self.tr("{nodes} nodes at {speed} MB/s: {size} takes <b>{one}</b> on one disk, "
                                "<b>{many}</b> on {nodes} disks in parallel (ideal).").format(
                nodes=nodes, speed=speed, size=self._size(size), one=self._duration(read_seconds(size, mbps)),
                many=self._duration(read_seconds(size, mbps, nodes)))
        self._set_text(self.statement, statement)
        self._set_text(self.table, self._table_html(size, mbps, nodes))
        self._set_text(self.detail, " ".join(self._notes(size, nodes, speed)))
        self.follow_button.setEnabled(not self.following)
        self._set_text(self.mode, self.tr("Following the cluster.") if self.following
                       else self.tr("Your own values."))

    def _table_html(self, size: float, mbps: float, nodes: int) -> str:
        t = self.theme
        gap = "padding-left:28px"
        disks, share, ideal = self.tr("disks"), self.tr("each reads"), self.tr("time (ideal)")
        head = (f"<tr><th align='left'>{disks}</th>"
                f"<th align='right' style='{gap}'>{share}</th>"
                f"<th align='right' style='{gap}'>{ideal}</th></tr>")
        rows = []
        for n, share, seconds in scaling_rows(size, mbps, nodes):
            name = self._disks(n)
            if n == nodes:
                name = (self.tr("{0} (the cluster)") if self.following else self.tr("{0} (N)")).format(name)
            cells = (name, self._size(share), self._duration(seconds))
            style = f"color:{t.text}; font-weight:bold" if n == nodes else f"color:{t.muted}"
            rows.append(f"<tr style='{style}'><td>{cells[0]}</td><td align='right' style='{gap}'>{cells[1]}</td>"
                        f"<td align='right' style='{gap}'>{cells[2]}</td></tr>")
        return f"<table cellspacing='0' cellpadding='3'>{head}{''.join(rows)}</table>"

    def _notes(self, size: float, nodes: int, speed: str) -> list[str]:
        notes = []
        if nodes > 1:
            notes.append(self.tr("S / (N × B) = {size} / ({n} × {speed} MB/s): each disk reads only its own "
                                 "1/{n}; ideal means nothing else (network, scheduling, a slow disk) "
                                 "takes time.").format(size=self._size(size), n=nodes, speed=speed))
        if not self.following:
            return notes
        if not self._stored:
            notes.append(self.tr("Nothing is stored yet: S is the size of the file to store."))
        if self._cluster_mbps is None:
            notes.append(self.tr("This cluster's disks are not throttled (they read at this machine's speed): "
                                 "B is a hard disk's; change it to play."))
        if self._slowest is not None:
            notes.append(self.tr("A disk is slowed to {0} MB/s: the slowest disk sets the pace.")
                         .format(speed_text(self._slowest)))
        return notes

    @staticmethod
    def _set_text(label: QtWidgets.QLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)

    # -- look ---------------------------------------------------------------------------------

    def set_theme(self, t: th.Theme) -> None:
        self.theme = t
        self.statement.setStyleSheet(f"QLabel {{ color: {t.text}; background: transparent; "
                                     f"font-size: {t.base_pt * 1.5:g}pt; }}")
        self.table.setStyleSheet(f"QLabel {{ color: {t.text}; background: transparent; "
                                 f"font-size: {t.base_pt * 1.15:g}pt; }}")
        for label in (self.detail, self.mode):
            label.setStyleSheet(f"QLabel {{ color: {t.muted}; background: transparent; "
                                f"font-size: {t.base_pt * 1.05:g}pt; }}")
        for label in self._labels:
            label.setStyleSheet(f"QLabel {{ color: {t.text}; background: transparent; font-weight: bold; }}")
        self._recompute()

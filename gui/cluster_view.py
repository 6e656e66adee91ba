"""``ClusterView``: the cluster as a grid of node tiles, painted by hand.

One tile per data node: its name, PID, state (colour, symbol and word), bytes stored,
running tasks, and one small square per replica it holds, coloured by block so that every
copy of a block shares a colour. Transfers fly across as block-coloured squares; missing
blocks are listed in a strip at the bottom. Left click selects a node; right click, or
K / P / R / C on the selected node, acts on it (the widget only emits ``node_action``).

The widget wires three things together: the bridge's updates, the geometry
(``cluster_layout``: grid, fonts, replica areas, computed on resize and when the set of nodes
changes) and the painting with its caches (``cluster_painter``: the still picture is
rendered only when the state, layout, theme or selection changed, so an animation frame is
one blit plus the squares in flight). It keeps the selection, the transfers in flight and
their timer, and turns mouse and keys into ``node_selected`` and ``node_action``.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from engine.sizes import format_size

from . import theme as th
from . import words
from .cluster_layout import choose_columns, fit_squares  # noqa: F401  (tests import them from here)
from .cluster_painter import Flight, ClusterPainter

ANIM_S = 0.6  # wall-clock seconds a transfer takes on screen, times bridge.time_scale
MAX_ANIMATIONS = 64  # transfers drawn at once; later ones are not animated
FRAME_MS = 30
ACTIONS = ("kill", "pause", "resume", "restart", "corrupt")
KEY_ACTIONS = {Qt.Key_K: "kill", Qt.Key_P: "pause", Qt.Key_R: "restart", Qt.Key_C: "corrupt"}
ARROWS = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1), Qt.Key_Down: (0, 1)}
UNSEEN_EVENTS = frozenset({"log_message", "job_progress", "job_started", "job_finished", "cluster_frozen"})


class ClusterView(QWidget):
    node_selected = Signal(int)
    node_action = Signal(int, str)  # node, one of ACTIONS

    def __init__(self, bridge, parent=None):
        super().__init__(parent)
        self._bridge = bridge
        self._painter = ClusterPainter(bridge)
        self._selected: int | None = None
        self._flights: list[Flight] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setMinimumSize(240, 180)
        bridge.updated.connect(self._on_updated)
        if hasattr(bridge, "cluster_reset"):
            bridge.cluster_reset.connect(self._on_reset)

    def sizeHint(self) -> QSize:
        return QSize(900, 560)

    # -- public API -----------------------------------------------------------------------

    def selected_node(self) -> int | None:
        return self._selected

    def set_selected(self, node: int | None) -> None:
        """Select ``node`` (or nothing) without emitting ``node_selected``."""
        if node is not None and node not in self._bridge.state.nodes:
            return
        if node != self._selected:
            self._selected = node
            self._invalidate_scene()

    def trigger(self, node: int, action: str) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown node action {action!r}")
        self.node_action.emit(node, action)

    def set_theme(self, theme: th.Theme) -> None:
        self._painter.set_theme(theme)
        self.update()

    def available_actions(self, node: int) -> set:
        """The actions that make sense for ``node`` now (the menu disables the others)."""
        state = self._bridge.state
        view = state.nodes.get(node)
        if view is None or state.stopped:
            return set()
        out = {"restart"}
        if view.process != "killed":
            out.add("kill")
            if view.blocks:
                out.add("corrupt")
        if view.process == "running":
            out.add("pause")
        if view.process == "paused":
            out.add("resume")
        return out

    def context_menu(self, node: int) -> QMenu:
        """The right-click menu for ``node``; each action emits ``node_action``."""
        menu = QMenu(self)
        menu.addSection(self.tr("Node {0}").format(node))
        available = self.available_actions(node)
        pause = "resume" if self._process(node) == "paused" else "pause"
        for action, label, key in self._menu_entries(pause):
            act = menu.addAction(f"{label}\t{key}")
            act.setData(action)
            act.setEnabled(action in available)
            act.triggered.connect(lambda _=False, a=action: self.trigger(node, a))
        return menu

    def _menu_entries(self, pause: str) -> list:
        pause_label = self.tr("Resume (SIGCONT)") if pause == "resume" else self.tr("Pause (SIGSTOP)")
        return [("kill", self.tr("Kill (SIGKILL)"), "K"), (pause, pause_label, "P"),
                ("restart", self.tr("Restart"), "R"), ("corrupt", self.tr("Corrupt a replica"), "C")]

    # -- introspection (tests, main window) ---------------------------------------------------

    def tile_rect(self, node: int) -> QRect:
        self._prepare()
        return QRect(self._painter.layout.tiles.get(node, QRect()))

    def replica_rects(self, node: int) -> dict:
        """block id -> QRect of its square in ``node``'s tile."""
        self._prepare()
        return self._painter.replica_rects(node)

    def active_animations(self) -> int:
        return len(self._flights)

    def is_animating(self) -> bool:
        return self._timer.isActive()

    def tile_lines(self, node: int) -> list[str]:
        """The texts drawn on ``node``'s tile: name, state, PID and bytes, tasks ('' if none)."""
        return self._painter.tile_lines(node)

    def tile_state_text(self, node: int) -> str:
        return self._painter.tile_state_text(node)

    def replica_outline(self, block: int) -> str | None:
        """'under' (fewer live replicas than wanted), 'lost' (no live replica) or None."""
        self._prepare()
        return self._painter.outline(block)

    def strip_text(self) -> str:
        return self._painter.strip_text()

    def node_at(self, pos: QPoint) -> int | None:
        self._prepare()
        return self._painter.node_at(pos)

    def replica_at(self, pos: QPoint) -> tuple | None:
        """(node, block) of the replica square under ``pos``, if any."""
        self._prepare()
        return self._painter.replica_at(pos)

    def tooltip_text(self, pos: QPoint) -> str:
        hit = self.replica_at(pos)
        if hit is not None:
            return self._replica_tooltip(*hit)
        node = self.node_at(pos)
        if node is not None:
            return self._node_tooltip(node)
        if self._painter.layout.client.contains(pos):
            return self.tr("The client: a put sends every block from here to its first nodes.")
        return ""

    # -- bridge -------------------------------------------------------------------------

    def _on_updated(self, events) -> None:
        if any(e.kind not in UNSEEN_EVENTS for e in events):
            self._painter.state_changed()
        self._start_flights(events)
        self.update()

    def _on_reset(self) -> None:
        self._selected = None
        self._flights.clear()
        self._timer.stop()
        self._painter.reset()
        self.update()

    def _start_flights(self, events) -> None:
        now = time.monotonic()
        duration = ANIM_S * max(1.0, float(getattr(self._bridge, "time_scale", 1.0)))
        for e in events:
            if e.kind == "transfer_started" and len(self._flights) < MAX_ANIMATIONS:
                self._flights.append(Flight(e.block, e.source, e.target, now, duration))
        if self._flights and not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self._flights = [f for f in self._flights if now - f.start < f.duration]
        if not self._flights:
            self._timer.stop()
        self.update()

    # -- caches ---------------------------------------------------------------------------

    def _invalidate_scene(self) -> None:
        self._painter.invalidate_scene()
        self.update()

    def resizeEvent(self, event) -> None:
        self._painter.resized()
        super().resizeEvent(event)

    def _prepare(self) -> None:
        if self._painter.prepare(self.rect()):
            if self._selected is not None and self._selected not in self._bridge.state.nodes:
                self._selected = None

    def _process(self, node: int) -> str:
        view = self._bridge.state.nodes.get(node)
        return view.process if view is not None else ""

    # -- texts --------------------------------------------------------------------------

    def _replica_tooltip(self, node: int, block_id: int) -> str:
        state = self._bridge.state
        block = state.blocks.get(block_id)
        lines = [self.tr("Block {0}").format(block_id)]
        if block is not None:
            holders = ", ".join(str(n) for n in sorted(block.replicas)) or "—"
            lines += [self.tr("File: {0}, block {1} of the file").format(block.file, block.index),
                      self.tr("Size: {0}").format(format_size(block.size)),
                      self.tr("Checksum: {0}").format(block.checksum),
                      self.tr("Replicas on nodes: {0}").format(holders)]
        if self._painter.outline(block_id) is not None:
            lines.append(self.tr("Under-replicated: fewer live copies than {0}")
                         .format(state.config.get("replication", "?")))
        if (block_id, node) in state.corrupted:
            lines.append(self.tr("! This copy is corrupted on disk (not yet detected)"))
        if self._painter.read_by_task(node, block_id):
            lines.append(self.tr("Being read by a running task"))
        return "\n".join(lines)

    def _node_tooltip(self, node: int) -> str:
        view = self._bridge.state.nodes[node]
        stored = format_size(self._painter.stored_bytes(view))
        return "\n".join([
            self.tr("Node {0}: {1}").format(node, self.tile_state_text(node)),
            self.tr("PID {0}, process {1}").format(view.pid or "—", words.process(view.process)),
            self.tr("{0} replicas, {1}").format(len(view.blocks), stored),
            self.tr("Running tasks: {0}").format(len(view.tasks)),
            self.tr("Reading {0}/s, copying {1}/s").format(format_size(view.read_bps),
                                                             format_size(view.copy_bps)),
            self.tr("Click to select; right click for actions"),
        ])

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        self._prepare()
        frame = self._painter.frame(self.size(), self.devicePixelRatioF(), self._selected)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, frame)
        if self._flights:
            painter.setRenderHint(QPainter.Antialiasing)
            self._painter.paint_flights(painter, self._flights, time.monotonic())
        painter.end()

    # -- input --------------------------------------------------------------------------

    def event(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            text = self.tooltip_text(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        node = self.node_at(event.position().toPoint())
        if node is not None and event.button() == Qt.LeftButton:
            self._select(node)
        super().mousePressEvent(event)

    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Mouse:
            node = self.node_at(event.pos())
        else:
            node = self._selected
        if node is None:
            return
        self._select(node)
        menu = self.context_menu(node)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in ARROWS:
            self._move_selection(*ARROWS[key])
        elif key in KEY_ACTIONS and self._selected is not None:
            self._key_action(KEY_ACTIONS[key])
        else:
            super().keyPressEvent(event)

    def _key_action(self, action: str) -> None:
        node = self._selected
        if action == "pause" and self._process(node) == "paused":
            action = "resume"
        if action in self.available_actions(node):
            self.trigger(node, action)

    def _move_selection(self, dx: int, dy: int) -> None:
        self._prepare()
        layout = self._painter.layout
        order = layout.order
        if not order:
            return
        if self._selected not in order:
            self._select(order[0])
            return
        i = order.index(self._selected) + dx + dy * layout.cols
        if 0 <= i < len(order):
            self._select(order[i])

    def _select(self, node: int) -> None:
        self.set_selected(node)
        self.node_selected.emit(node)

"""``ClusterView``: the cluster as a grid of node tiles, painted by hand.

One tile per data node: its name, PID, state (colour, symbol and word), bytes stored,
running tasks, and one small square per replica it holds, coloured by block so that every
copy of a block shares a colour. Transfers fly across as block-coloured squares; missing
blocks are listed in a strip at the bottom. Left click selects a node; right click, or
K / P / R / C on the selected node, acts on it (the widget only emits ``node_action``).

Everything is drawn in one ``paintEvent``. The layout (grid, fonts) is computed on resize
and when the set of nodes changes; the still picture is rendered into a pixmap only when
the state, layout, theme or selection changed, so an animation frame is one blit plus the
squares in flight. Each tile (frame, texts, replica squares) is itself cached as a pixmap
and re-rendered only when what it shows changed, and the still picture is recomposed only
when a tile, the band or the strip changed. What changes with every task (its count on the
tile, the rings round the blocks being read), corrupted copies and the selection are drawn
over a copy of the still picture whenever the model changes; an animation frame is that
copy blitted plus the squares in flight. A busy cluster of 32 nodes costs a few dozen small
shapes per update, not thousands of squares.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from engine.sizes import format_size

from . import theme as th

ANIM_S = 0.6  # wall-clock seconds a transfer takes on screen, times bridge.time_scale
MAX_ANIMATIONS = 64  # transfers drawn at once; later ones are not animated
FRAME_MS = 30
MARGIN = 10
GAP = 14  # between tiles: leaves room for the selection ring
MAX_ASPECT = 1.8  # a tile is never more than this much wider than tall (or taller than wide)
FONT_STEPS = (1.5, 1.35, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
MAX_SQUARE = 26  # largest replica square, in pixels
MISSING_LISTED = 24  # missing block ids spelled out in the strip
ACTIONS = ("kill", "pause", "resume", "restart", "corrupt")
KEY_ACTIONS = {Qt.Key_K: "kill", Qt.Key_P: "pause", Qt.Key_R: "restart", Qt.Key_C: "corrupt"}
ARROWS = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1), Qt.Key_Down: (0, 1)}
AMBER = QColor(th.STATE_STYLE["suspect"][0])
DOWN_STATES = ("dead", "stopped")
UNSEEN_EVENTS = frozenset({"log_message", "job_progress", "job_started", "job_finished", "cluster_frozen"})


# -- geometry helpers (pure) --------------------------------------------------------------

def choose_columns(n: int, width: int, height: int, gap: int = GAP) -> int:
    """Columns for ``n`` tiles in width x height: the largest square-ish tiles, then the
    fewest empty cells."""
    best, best_score = 1, None
    for cols in range(1, max(1, n) + 1):
        rows = math.ceil(n / cols)
        w = (width - gap * (cols - 1)) / cols
        h = (height - gap * (rows - 1)) / rows
        score = (int(min(w, h)), -(cols * rows - n))
        if best_score is None or score > best_score:
            best, best_score = cols, score
    return best


def fit_squares(count: int, width: int, height: int, largest: int = MAX_SQUARE) -> tuple[int, int, int]:
    """(size, pitch, columns) of the largest squares that fit ``count`` of them in a
    width x height area, wrapping in rows."""
    for size in range(largest, 2, -1):
        pitch = size + max(1, size // 5)
        cols = max(1, (width + pitch - size) // pitch)
        rows = math.ceil(count / cols)
        if rows * pitch - (pitch - size) <= height:
            return size, pitch, cols
    return 2, 3, max(1, width // 3)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way towards ``b``."""
    return QColor(round(a.red() + (b.red() - a.red()) * amount),
                  round(a.green() + (b.green() - a.green()) * amount),
                  round(a.blue() + (b.blue() - a.blue()) * amount))


def _ink_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill`` (WCAG relative luminance)."""
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    lum = 0.2126 * lin(fill.red()) + 0.7152 * lin(fill.green()) + 0.0722 * lin(fill.blue())
    return QColor("#000000") if lum > 0.179 else QColor("#FFFFFF")


def _ease(x: float) -> float:
    return x * x * (3 - 2 * x)


@dataclass
class _Flight:
    block: int
    source: int | None
    target: int
    start: float
    duration: float


@dataclass
class _Layout:
    order: tuple
    cols: int
    tiles: dict  # node id -> QRect
    areas: dict  # node id -> QRect where its replica squares go
    client: QRect
    band: QRect
    strip: QRect
    title_font: QFont
    body_font: QFont
    bold_font: QFont
    band_font: QFont
    strip_font: QFont
    pad: int


class ClusterView(QWidget):
    node_selected = Signal(int)
    node_action = Signal(int, str)  # node, one of ACTIONS

    def __init__(self, bridge, parent=None):
        super().__init__(parent)
        self._bridge = bridge
        self._theme = th.NORMAL
        self._selected: int | None = None
        self._layout: _Layout | None = None
        self._scene: QPixmap | None = None
        self._dirty = True
        self._squares: tuple | None = None
        self._max_count = -1
        self._replicas: dict = {}  # node -> sorted block ids
        self._index: dict = {}  # node -> {block id: position in its tile}
        self._outline: dict = {}  # block id -> "under" | "lost" (no live replica)
        self._node_outline: dict = {}  # node id -> [(block id, mark)] of its outlined replicas
        self._held: dict = {}  # node id -> the set of blocks ``_replicas`` was built from
        self._task_blocks: set = set()  # (node, block) read by a running task
        self._colours: dict = {}  # block id -> QColor
        self._tiles: dict = {}  # (node id, busy) -> (what the tile shows, its pixmap, version)
        self._tile_version = 0
        self._scene_key = None  # what the still picture was composed from
        self._scene_checked = False  # False: the model changed since the picture was checked
        self._frame: QPixmap | None = None  # the still picture with the overlays
        self._flights: list[_Flight] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._words = self._state_words()
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setMinimumSize(240, 180)
        bridge.updated.connect(self._on_updated)
        if hasattr(bridge, "cluster_reset"):
            bridge.cluster_reset.connect(self._on_reset)

    def _state_words(self) -> dict:
        return {"starting": self.tr("starting"), "alive": self.tr("alive"), "suspect": self.tr("suspect"),
                "dead": self.tr("dead"), "paused": self.tr("paused"), "restarting": self.tr("restarting"),
                "stopped": self.tr("stopped")}

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
        self._theme = theme
        self._layout = None
        self._invalidate_scene()

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
        return QRect(self._layout.tiles.get(node, QRect()))

    def replica_rects(self, node: int) -> dict:
        """block id -> QRect of its square in ``node``'s tile."""
        self._prepare()
        area = self._layout.areas.get(node)
        if area is None:
            return {}
        return {b: self._square_rect(area, i) for i, b in enumerate(self._replicas.get(node, ()))}

    def active_animations(self) -> int:
        return len(self._flights)

    def is_animating(self) -> bool:
        return self._timer.isActive()

    def tile_lines(self, node: int) -> list[str]:
        """The texts drawn on ``node``'s tile: name, state, PID and bytes, tasks ('' if none)."""
        view = self._bridge.state.nodes.get(node)
        if view is None:
            return []
        return [self.tr("Node {0}").format(node), self.tile_state_text(node),
                self._pid_text(view), self._tasks_text(len(view.tasks))]

    def tile_state_text(self, node: int) -> str:
        view = self._bridge.state.nodes.get(node)
        if view is None:
            return ""
        key = view.display_state
        _, symbol, _ = th.STATE_STYLE.get(key, th.STATE_STYLE["starting"])
        return f"{symbol} {self._words.get(key, key)}"

    def replica_outline(self, block: int) -> str | None:
        """'under' (fewer live replicas than wanted), 'lost' (no live replica) or None."""
        self._prepare()
        return self._outline.get(block)

    def strip_text(self) -> str:
        missing = tuple(self._bridge.state.health.get("missing_blocks", ()))
        if not missing:
            return self.tr("All blocks available") if self._bridge.state.nodes else ""
        shown = ", ".join(str(b) for b in missing[:MISSING_LISTED])
        if len(missing) > MISSING_LISTED:
            shown += " " + self.tr("… and {0} more").format(len(missing) - MISSING_LISTED)
        return self.tr("Missing blocks: {0}").format(shown)

    def node_at(self, pos: QPoint) -> int | None:
        self._prepare()
        for node, rect in self._layout.tiles.items():
            if rect.contains(pos):
                return node
        return None

    def replica_at(self, pos: QPoint) -> tuple | None:
        """(node, block) of the replica square under ``pos``, if any."""
        node = self.node_at(pos)
        if node is None or not self._layout.areas[node].contains(pos):
            return None
        area = self._layout.areas[node]
        size, pitch, cols = self._squares
        dx, dy = pos.x() - area.x(), pos.y() - area.y()
        col, row = dx // pitch, dy // pitch
        if col >= cols or dx % pitch >= size or dy % pitch >= size:
            return None
        i = row * cols + col
        blocks = self._replicas.get(node, ())
        return (node, blocks[i]) if i < len(blocks) else None

    def tooltip_text(self, pos: QPoint) -> str:
        hit = self.replica_at(pos)
        if hit is not None:
            return self._replica_tooltip(*hit)
        node = self.node_at(pos)
        if node is not None:
            return self._node_tooltip(node)
        if self._layout.client.contains(pos):
            return self.tr("The client: a put sends every block from here to its first nodes.")
        return ""

    # -- bridge -------------------------------------------------------------------------

    def _on_updated(self, events) -> None:
        if any(e.kind not in UNSEEN_EVENTS for e in events):
            self._dirty = True
        self._start_flights(events)
        self.update()

    def _on_reset(self) -> None:
        self._selected = None
        self._flights.clear()
        self._timer.stop()
        self._colours.clear()
        self._tiles.clear()
        self._held.clear()
        self._replicas.clear()
        self._index.clear()
        self._dirty = True
        self._layout = None
        self.update()

    def _start_flights(self, events) -> None:
        now = time.monotonic()
        duration = ANIM_S * max(1.0, float(getattr(self._bridge, "time_scale", 1.0)))
        for e in events:
            if e.kind == "transfer_started" and len(self._flights) < MAX_ANIMATIONS:
                self._flights.append(_Flight(e.block, e.source, e.target, now, duration))
        if self._flights and not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self._flights = [f for f in self._flights if now - f.start < f.duration]
        if not self._flights:
            self._timer.stop()
        self.update()

    # -- model and layout caches ----------------------------------------------------------

    def _invalidate_scene(self) -> None:
        self._scene = self._frame = None
        self.update()

    def resizeEvent(self, event) -> None:
        self._layout = None
        self._scene = None
        super().resizeEvent(event)

    def _prepare(self) -> None:
        if self._dirty:
            self._rebuild_model()
        if self._layout is None:
            self._layout = self._compute_layout()
            self._squares, self._scene = None, None
        if self._squares is None:
            area = next(iter(self._layout.areas.values()), QRect(0, 0, 1, 1))
            self._squares = fit_squares(max(1, self._max_count), area.width(), area.height())
            self._scene = None
            self._tiles.clear()  # new layout, fonts, theme or square size

    def _rebuild_model(self) -> None:
        state = self._bridge.state
        if self._layout is not None and self._layout.order != tuple(sorted(state.nodes)):
            self._layout = None
        held = {}  # only the nodes whose replicas changed are sorted and indexed again
        for n, v in state.nodes.items():
            old = self._held.get(n)
            if old is not None and old == v.blocks:
                held[n] = old
            else:
                held[n] = set(v.blocks)
                self._replicas[n] = sorted(v.blocks)
                self._index[n] = {b: i for i, b in enumerate(self._replicas[n])}
        for n in set(self._replicas) - set(held):
            del self._replicas[n], self._index[n]
        self._held = held
        self._outline = self._compute_outlines(state)
        self._node_outline = {}  # node -> ((block, mark), ...) of its outlined replicas
        for b, mark in sorted(self._outline.items()):
            block = state.blocks.get(b)
            for n in block.replicas if block is not None else ():
                self._node_outline.setdefault(n, []).append((b, mark))
        self._task_blocks = {(a.node, a.block) for a in state.attempts.values() if a.block is not None}
        max_count = max(map(len, self._replicas.values()), default=0)
        if max_count != self._max_count:
            self._max_count, self._squares = max_count, None
        if self._selected is not None and self._selected not in state.nodes:
            self._selected = None
        self._dirty, self._scene_checked = False, False

    def _compute_outlines(self, state) -> dict:
        """Committed blocks with fewer live replicas than the replication factor. A replica
        is live when its node is not dead and its process runs (a killed or paused node's
        copies are already out of reach, before the coordinator notices)."""
        want = state.config.get("replication", 0)
        if state.stopped or not want:
            return {}
        down = {n for n, v in state.nodes.items() if v.state in DOWN_STATES or v.process != "running"}
        out = {}
        for block in state.blocks.values():
            replicas = block.replicas
            if not block.committed or not replicas:
                continue
            n = len(replicas - down) if down else len(replicas)
            if n < want:
                out[block.id] = "lost" if n == 0 else "under"
        return out

    def _compute_layout(self) -> _Layout:
        order = tuple(sorted(self._bridge.state.nodes))
        t = self._theme
        band_font, strip_font = t.font(1.15, bold=True), t.font(1.4, bold=True)
        band_h = QFontMetrics(band_font).height() + 14
        strip_h = QFontMetrics(strip_font).height() + 14
        full = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        band = QRect(full.x(), full.y(), full.width(), band_h)
        strip = QRect(full.x(), full.bottom() - strip_h + 1, full.width(), strip_h)
        grid = QRect(full.x(), band.bottom() + 1 + GAP // 2, full.width(),
                     strip.top() - band.bottom() - 1 - GAP)
        client = QRect(band.x(), band.y() + 2, QFontMetrics(band_font).horizontalAdvance(self.tr("Client")) + 28,
                       band_h - 4)
        cols, tiles = self._grid(order, grid)
        tile = next(iter(tiles.values()), QRect(0, 0, grid.width(), grid.height()))
        title, body, bold, pad = self._fit_fonts(tile.width(), tile.height())
        areas = {n: self._area(r, title, bold, pad) for n, r in tiles.items()}
        return _Layout(order, cols, tiles, areas, client, band, strip, title, body, bold, band_font,
                       strip_font, pad)

    def _grid(self, order: tuple, grid: QRect) -> tuple[int, dict]:
        n = len(order)
        if n == 0:
            return 1, {}
        cols = choose_columns(n, grid.width(), grid.height())
        rows = math.ceil(n / cols)
        w = (grid.width() - GAP * (cols - 1)) // cols
        h = (grid.height() - GAP * (rows - 1)) // rows
        w, h = max(1, min(w, int(h * MAX_ASPECT))), max(1, min(h, int(w * MAX_ASPECT)))
        x0 = grid.x() + (grid.width() - (cols * w + GAP * (cols - 1))) // 2
        y0 = grid.y() + (grid.height() - (rows * h + GAP * (rows - 1))) // 2
        tiles = {node: QRect(x0 + (i % cols) * (w + GAP), y0 + (i // cols) * (h + GAP), w, h)
                 for i, node in enumerate(order)}
        return cols, tiles

    def _fit_fonts(self, w: int, h: int) -> tuple:
        """Fonts as large as the tile allows (up to 1.5x the theme's), leaving the lower
        half of the tile to the replica squares."""
        t = self._theme
        pad = max(4, min(14, w // 22))
        sample_title = self.tr("Node {0}").format(88) + "  ▶ 8"
        sample_state = "↻ " + self._words["restarting"]
        for step in FONT_STEPS:
            title, body, bold = t.font(1.5 * step, True), t.font(step), t.font(step, True)
            ft, fb = QFontMetrics(title), QFontMetrics(bold)
            text_h = 2 * pad + ft.height() + 2 * fb.height() + 12
            wide = max(ft.horizontalAdvance(sample_title), fb.horizontalAdvance(sample_state) + 16)
            if text_h <= 0.55 * h and wide <= w - 2 * pad:
                break
        return title, body, bold, pad

    def _area(self, tile: QRect, title: QFont, bold: QFont, pad: int) -> QRect:
        top = tile.y() + pad + QFontMetrics(title).height() + 2 * QFontMetrics(bold).height() + 12 + pad // 2
        return QRect(tile.x() + pad, top, tile.width() - 2 * pad, max(1, tile.bottom() - pad - top))

    def _square_rect(self, area: QRect, i: int) -> QRect:
        size, pitch, cols = self._squares
        return QRect(area.x() + (i % cols) * pitch, area.y() + (i // cols) * pitch, size, size)

    def _colour(self, block: int) -> QColor:
        colour = self._colours.get(block)
        if colour is None:
            colour = self._colours[block] = th.block_colour(block)
        return colour

    def _process(self, node: int) -> str:
        view = self._bridge.state.nodes.get(node)
        return view.process if view is not None else ""

    # -- texts --------------------------------------------------------------------------

    def _tasks_text(self, n: int) -> str:
        if n == 0:
            return ""
        return self.tr("▶ 1 task") if n == 1 else self.tr("▶ {0} tasks").format(n)

    def _stored_bytes(self, view) -> int:
        if view.stored_bytes:
            return view.stored_bytes
        blocks = self._bridge.state.blocks
        return sum(blocks[b].size for b in view.blocks if b in blocks)

    def _pid_text(self, view) -> str:
        pid = str(view.pid) if view.pid else "—"
        text = self.tr("PID {0} · {1}").format(pid, format_size(self._stored_bytes(view)))
        if view.process == "killed" and view.state != "dead":
            text += " · " + self.tr("killed")
        return text

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
        if block_id in self._outline:
            lines.append(self.tr("Under-replicated: fewer live copies than {0}")
                         .format(state.config.get("replication", "?")))
        if (block_id, node) in state.corrupted:
            lines.append(self.tr("! This copy is corrupted on disk (not yet detected)"))
        if (node, block_id) in self._task_blocks:
            lines.append(self.tr("Being read by a running task"))
        return "\n".join(lines)

    def _node_tooltip(self, node: int) -> str:
        view = self._bridge.state.nodes[node]
        return "\n".join([
            self.tr("Node {0}: {1}").format(node, self.tile_state_text(node)),
            self.tr("PID {0}, process {1}").format(view.pid or "—", view.process),
            self.tr("{0} replicas, {1}").format(len(view.blocks), format_size(self._stored_bytes(view))),
            self.tr("Running tasks: {0}").format(len(view.tasks)),
            self.tr("Reading {0}/s, copying {1}/s").format(format_size(view.read_bps),
                                                             format_size(view.copy_bps)),
            self.tr("Click to select; right click for actions"),
        ])

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        self._prepare()
        if self._scene_stale() or not self._scene_checked or self._frame is None:
            self._update_scene()
            self._frame = QPixmap(self._scene)
            p = QPainter(self._frame)
            p.setRenderHint(QPainter.Antialiasing)
            self._paint_overlays(p)
            p.end()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._frame)
        if self._flights:
            painter.setRenderHint(QPainter.Antialiasing)
            self._paint_flights(painter, time.monotonic())
        painter.end()

    def _update_scene(self) -> None:
        """Recompose the still picture if a tile, the band or the strip changed."""
        dpr = self.devicePixelRatioF()
        versions = tuple(self._tile_pixmap(node, dpr)[2] for node in self._layout.order)
        for key in [k for k in self._tiles if k[0] not in self._layout.tiles]:
            del self._tiles[key]
        key = (versions, self._band_text(), self.strip_text(), bool(self._outline),
               bool(self._bridge.state.health.get("missing_blocks")))
        if self._scene_stale() or key != self._scene_key:
            self._scene = self._render_scene()
            self._scene_key = key
        self._scene_checked = True

    def _scene_stale(self) -> bool:
        scene = self._scene
        return (scene is None or scene.deviceIndependentSize().toSize() != self.size()
                or scene.devicePixelRatio() != self.devicePixelRatioF())

    def _render_scene(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * dpr)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QColor(self._theme.window))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        self._paint_band(p)
        for node in self._layout.order:
            p.drawPixmap(self._layout.tiles[node].topLeft(), self._tile_pixmap(node, dpr)[1])
        if not self._layout.order:
            self._paint_empty(p)
        self._paint_strip(p)
        p.end()
        return pixmap

    def _paint_empty(self, p: QPainter) -> None:
        p.setPen(QColor(self._theme.muted))
        p.setFont(self._layout.strip_font)
        p.drawText(self.rect(), Qt.AlignCenter, self.tr("Waiting for the cluster to start…"))

    def _paint_band(self, p: QPainter) -> None:
        t, lay = self._theme, self._layout
        p.setFont(lay.band_font)
        p.setPen(QPen(QColor(t.text), 2))
        p.setBrush(QColor(t.panel))
        p.drawRoundedRect(QRectF(lay.client), 6, 6)
        p.drawText(lay.client, Qt.AlignCenter, self.tr("Client"))
        summary = self._band_text()
        if not summary:
            return
        p.setPen(QColor(t.muted))
        p.drawText(lay.band.adjusted(lay.client.width() + 16, 0, 0, 0), Qt.AlignRight | Qt.AlignVCenter, summary)

    def _band_text(self) -> str:
        state = self._bridge.state
        if not state.nodes:
            return ""
        return self.tr("{0} nodes · {1} blocks · {2} copies of each").format(
            len(state.nodes), len(state.blocks), state.config.get("replication", "?"))

    def _paint_strip(self, p: QPainter) -> None:
        t, lay = self._theme, self._layout
        right = self._paint_legend(p) if self._outline else lay.strip.right()
        missing = bool(self._bridge.state.health.get("missing_blocks"))
        p.setFont(lay.strip_font if missing else lay.band_font)
        p.setPen(QColor(t.danger if missing else t.muted))
        room = QRect(lay.strip.x(), lay.strip.y(), right - lay.strip.x() - 16, lay.strip.height())
        text = QFontMetrics(p.font()).elidedText(self.strip_text(), Qt.ElideRight, room.width())
        p.drawText(room, Qt.AlignLeft | Qt.AlignVCenter, text)

    def _paint_legend(self, p: QPainter) -> int:
        """The outline legend at the right of the strip; returns where it starts."""
        lay = self._layout
        label = self.tr("fewer than {0} live copies").format(self._bridge.state.config.get("replication", "?"))
        fm = QFontMetrics(lay.band_font)
        side = fm.height() - 4
        x = lay.strip.right() - fm.horizontalAdvance(label) - side - 8
        y = lay.strip.center().y() - side // 2
        p.fillRect(x, y, side, side, AMBER)
        p.fillRect(x + 3, y + 3, side - 6, side - 6, QColor(self._theme.panel))
        p.setFont(lay.band_font)
        p.setPen(QColor(self._theme.text))
        p.drawText(QRect(x + side + 8, lay.strip.y(), lay.strip.right() - x, lay.strip.height()),
                   Qt.AlignLeft | Qt.AlignVCenter, label)
        return x

    def _tile_style(self, view) -> tuple:
        """(fill, border colour, border width) of a tile."""
        t = self._theme
        key = view.display_state
        colour = QColor(th.STATE_STYLE.get(key, th.STATE_STYLE["starting"])[0])
        panel = QColor(t.panel)
        if key in DOWN_STATES:
            return _mix(panel, QColor("#808080"), 0.35), colour, 3
        fill = panel if key == "alive" else _mix(panel, colour, 0.18)
        if view.tasks:
            return fill, QColor(t.accent), 5
        if key != "alive":
            return fill, colour, 4
        return fill, QColor(t.grid), 2

    def _paint_overlays(self, p: QPainter) -> None:
        """What changes too often to cache in the tiles: each tile's running task count,
        the rings round blocks being read, corrupted copies; and the selection."""
        state = self._bridge.state
        marks: dict = {}
        for n, b in self._task_blocks:
            marks.setdefault(n, []).append(b)
        lay = self._layout
        title_h = QFontMetrics(lay.title_font).height()
        for node in lay.order:
            view = state.nodes.get(node)
            if view is None:
                continue
            rect = lay.tiles[node]
            if view.tasks:
                inner = rect.adjusted(lay.pad, lay.pad, -lay.pad, -lay.pad)
                self._paint_tasks(p, QRect(inner.x(), inner.y(), inner.width(), title_h),
                                  self.tr("Node {0}").format(node), len(view.tasks))
            task_blocks = marks.get(node)
            if task_blocks or state.corrupted:
                self._paint_replica_marks(p, node, lay.areas[node], task_blocks or ())
            if node == self._selected:
                self._paint_selection(p, rect)

    def _tile_key(self, node: int, view) -> tuple:
        """Everything the cached picture of ``node``'s tile depends on (with the layout,
        theme and square size, which clear the cache when they change) but whether it runs
        tasks: a busy and an idle picture are kept, as nodes go between the two all the
        time during a job."""
        return (view.display_state, view.process, self._pid_text(view),
                self._held.get(node), self._node_outline.get(node))

    def _tile_pixmap(self, node: int, dpr: float) -> tuple:
        """(what it shows, the tile's picture, its version), re-rendered if it changed."""
        view = self._bridge.state.nodes[node]
        key = self._tile_key(node, view)
        slot = (node, bool(view.tasks))
        cached = self._tiles.get(slot)
        if cached is not None and cached[0] == key and cached[1].devicePixelRatio() == dpr:
            return cached
        rect = self._layout.tiles[node]
        pixmap = QPixmap(rect.size() * dpr)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QColor(self._theme.window))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        p.translate(-rect.x(), -rect.y())
        self._paint_tile_body(p, node, view)
        p.end()
        self._tile_version += 1
        self._tiles[slot] = (key, pixmap, self._tile_version)
        return self._tiles[slot]

    def _paint_tile_body(self, p: QPainter, node: int, view) -> None:
        rect = self._layout.tiles[node]
        fill, border, width = self._tile_style(view)
        p.setPen(QPen(border, width))
        p.setBrush(fill)
        p.drawRoundedRect(QRectF(rect).adjusted(width / 2, width / 2, -width / 2, -width / 2), 8, 8)
        if view.display_state == "dead":
            self._paint_cross(p, rect)
        self._paint_tile_text(p, node, view)
        self._paint_replicas(p, node)

    def _paint_cross(self, p: QPainter, rect: QRect) -> None:
        colour = QColor(self._theme.muted)
        colour.setAlpha(110)
        p.setPen(QPen(colour, max(4, rect.width() // 28), Qt.SolidLine, Qt.RoundCap))
        inset = rect.adjusted(12, 12, -12, -12)
        p.drawLine(inset.topLeft(), inset.bottomRight())
        p.drawLine(inset.topRight(), inset.bottomLeft())

    def _paint_tile_text(self, p: QPainter, node: int, view) -> None:
        t, lay = self._theme, self._layout
        rect, pad = self._layout.tiles[node], lay.pad
        name, state_text, pid_text, _ = self.tile_lines(node)
        down = view.display_state in DOWN_STATES
        inner = rect.adjusted(pad, pad, -pad, -pad)
        title_h = QFontMetrics(lay.title_font).height()
        fb = QFontMetrics(lay.bold_font)
        p.setFont(lay.title_font)
        p.setPen(QColor(t.muted if down else t.text))
        p.drawText(QRect(inner.x(), inner.y(), inner.width(), title_h), Qt.AlignLeft | Qt.AlignVCenter, name)
        pill_y = inner.y() + title_h + 2
        self._paint_pill(p, inner.x(), pill_y, view.display_state, state_text)
        pid_rect = QRect(inner.x(), pill_y + fb.height() + 8, inner.width(), fb.height())
        p.setFont(lay.body_font)
        p.setPen(QColor(t.danger if view.process == "killed" and not down else t.text))
        p.drawText(pid_rect, Qt.AlignLeft | Qt.AlignVCenter,
                   QFontMetrics(lay.body_font).elidedText(pid_text, Qt.ElideRight, inner.width()))

    def _paint_tasks(self, p: QPainter, row: QRect, name: str, n: int) -> None:
        lay = self._layout
        room = row.width() - QFontMetrics(lay.title_font).horizontalAdvance(name) - 8
        text = self._tasks_text(n)
        if QFontMetrics(lay.bold_font).horizontalAdvance(text) > room:
            text = self.tr("▶ {0}").format(n)
        p.setFont(lay.bold_font)
        p.setPen(QColor(self._theme.accent))
        p.drawText(row, Qt.AlignRight | Qt.AlignVCenter, text)

    def _paint_pill(self, p: QPainter, x: int, y: int, key: str, text: str) -> None:
        fb = QFontMetrics(self._layout.bold_font)
        colour = QColor(th.STATE_STYLE.get(key, th.STATE_STYLE["starting"])[0])
        pill = QRectF(x, y, fb.horizontalAdvance(text) + 16, fb.height() + 6)
        p.setPen(Qt.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        p.setFont(self._layout.bold_font)
        p.setPen(_ink_on(colour))
        p.drawText(pill, Qt.AlignCenter, text)

    def _paint_replicas(self, p: QPainter, node: int) -> None:
        blocks = self._replicas.get(node)
        if not blocks:
            return
        area = self._layout.areas[node]
        size, pitch, cols = self._squares
        ring = 2 if size >= 8 else 1
        gap = QColor(self._theme.panel)
        marks = {"under": AMBER, "lost": QColor(self._theme.danger)}
        limit = area.bottom() + 1 - size
        x0, y0 = area.x(), area.y()
        for i, b in enumerate(blocks):
            x, y = x0 + (i % cols) * pitch, y0 + (i // cols) * pitch
            if y > limit:
                break
            mark = self._outline.get(b)
            if mark is None:
                p.fillRect(x, y, size, size, self._colour(b))
                continue
            p.fillRect(x, y, size, size, marks[mark])
            inner = ring + (1 if size >= 10 else 0)
            if inner > ring:
                p.fillRect(x + ring, y + ring, size - 2 * ring, size - 2 * ring, gap)
            p.fillRect(x + inner, y + inner, size - 2 * inner, size - 2 * inner, self._colour(b))

    def _paint_replica_marks(self, p: QPainter, node: int, area: QRect, task_blocks=()) -> None:
        """Blocks being read by a running task (``task_blocks``) get a ring; corrupted
        copies get a '!'."""
        index = self._index.get(node, {})
        size = self._squares[0]
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(self._theme.text), 2))
        for b in task_blocks:
            if b in index:
                p.drawRect(QRectF(self._square_rect(area, index[b])).adjusted(-2, -2, 2, 2))
        for b, n in self._bridge.state.corrupted:
            if n == node and b in index:
                self._paint_corrupt(p, self._square_rect(area, index[b]), size)

    def _paint_corrupt(self, p: QPainter, rect: QRect, size: int) -> None:
        if size < 10:
            p.fillRect(rect.adjusted(size // 3, size // 3, -(size // 3), -(size // 3)), QColor("#000000"))
            return
        font = QFont(self._layout.bold_font)
        font.setPixelSize(max(8, size - 2))
        p.setFont(font)
        p.setPen(QColor("#000000"))
        p.drawText(rect, Qt.AlignCenter, "!")

    def _paint_selection(self, p: QPainter, rect: QRect) -> None:
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(self._theme.text), 3))
        p.drawRoundedRect(QRectF(rect).adjusted(-6, -6, 6, 6), 11, 11)
        p.setPen(QPen(QColor(self._theme.accent), 2, Qt.DashLine))
        p.drawRoundedRect(QRectF(rect).adjusted(-3, -3, 3, 3), 9, 9)

    # -- animation ------------------------------------------------------------------------

    def _paint_flights(self, p: QPainter, now: float) -> None:
        size = max(12, int(self._squares[0] * 1.25))
        outline = QPen(QColor(self._theme.text), 2)
        window = QColor(self._theme.window)
        for f in self._flights:
            frac = (now - f.start) / f.duration
            a, b = self._flight_start(f), self._flight_end(f)
            if frac >= 1 or a is None or b is None:
                continue
            e = _ease(max(0.0, frac))
            pos = QPointF(a.x() + (b.x() - a.x()) * e, a.y() + (b.y() - a.y()) * e)
            # An opaque colour part way to the background looks like a translucent trail
            # and is drawn many times faster (Qt strokes translucent wide lines as paths).
            trail = _mix(self._colour(f.block), window, 0.4)
            p.setPen(QPen(trail, 3))
            p.drawLine(a, pos)
            p.setPen(outline)
            p.setBrush(self._colour(f.block))
            p.drawRect(QRectF(pos.x() - size / 2, pos.y() - size / 2, size, size))

    def _flight_start(self, f: _Flight) -> QPointF | None:
        if f.source is None:
            return QPointF(self._layout.client.center())
        return self._replica_point(f.source, f.block)

    def _flight_end(self, f: _Flight) -> QPointF | None:
        return self._replica_point(f.target, f.block)

    def _replica_point(self, node: int, block: int) -> QPointF | None:
        """Centre of ``block``'s square on ``node`` (or of the next free slot)."""
        area = self._layout.areas.get(node)
        if area is None:
            return None
        index = self._index.get(node, {})
        i = index.get(block, len(index))
        return QPointF(self._square_rect(area, i).center())

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
        order = self._layout.order
        if not order:
            return
        if self._selected not in order:
            self._select(order[0])
            return
        i = order.index(self._selected) + dx + dy * self._layout.cols
        if 0 <= i < len(order):
            self._select(order[i])

    def _select(self, node: int) -> None:
        self.set_selected(node)
        self.node_selected.emit(node)

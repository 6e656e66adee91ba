"""Painting the cluster view, and the caches that make it cheap.

What is drawn comes from ``bridge.state``: one tile per data node (its name, state pill, PID
and bytes, running tasks, one square per replica coloured by block), the client and a
summary in the band at the top, missing blocks in the strip at the bottom, and transfers in
flight as block-coloured squares.

The still picture is rendered into a pixmap only when the state, layout, theme or selection
changed. Each tile (frame, texts, replica squares) is cached as a pixmap of its own and
re-rendered only when what it shows changed, and the still picture is recomposed only when a
tile, the band or the strip changed. What changes with every task (its count on the tile,
the rings round the blocks being read), corrupted copies and the selection are drawn over a
copy of the still picture (the frame); an animation frame is that copy blitted plus the
squares in flight. The per-node replica lists are rebuilt only for the nodes whose replicas
changed.

Its texts are translated in the ``ClusterView`` context, as the widget's own strings are.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap, QStaticText

from engine.sizes import format_size
from engine.view import DOWN_STATES

from . import theme as th
from .cluster_layout import Layout, compute_layout, fit_squares, square_rect
from .i18n import translate

MISSING_LISTED = 24  # missing block ids spelled out in the strip
AMBER = QColor(th.STATE_STYLE["suspect"][0])


def state_words() -> dict:
    """The word each node state is shown with."""
    return {"starting": translate("ClusterView", "starting"), "alive": translate("ClusterView", "alive"),
            "suspect": translate("ClusterView", "suspect"), "dead": translate("ClusterView", "dead"),
            "paused": translate("ClusterView", "paused"), "restarting": translate("ClusterView", "restarting"),
            "stopped": translate("ClusterView", "stopped")}


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
class Flight:
    """A transfer drawn in flight: ``block`` from ``source`` (None: the client) to ``target``."""
    block: int
    source: int | None
    target: int
    start: float
    duration: float


class ClusterPainter:
    """Paints ``bridge.state`` as the cluster view shows it, and keeps what it derived from
    the state (replica lists, outlines) and what it rendered (tiles, the still picture, the
    frame) until they change."""

    def __init__(self, bridge):
        self._bridge = bridge
        self.theme = th.NORMAL
        self.layout: Layout | None = None  # set by ``prepare``
        self.squares: tuple | None = None  # (size, pitch, columns) of the replica squares
        self.words = state_words()
        self._scene: QPixmap | None = None
        self._dirty = True
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
        self._static_texts: dict = {}  # (text, font) -> (QStaticText, width, height)
        self._task_marks: dict = {}  # (node, running tasks) -> (where, QStaticText), per layout

    # -- what changed ---------------------------------------------------------------------

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        self.layout = None
        self.invalidate_scene()

    def invalidate_scene(self) -> None:
        """Render the still picture again (the selection changed, or the theme)."""
        self._scene = self._frame = None

    def resized(self) -> None:
        self.layout = None
        self._scene = None

    def state_changed(self) -> None:
        """The state changed in a way the picture shows."""
        self._dirty = True

    def reset(self) -> None:
        """A new cluster: forget every block and tile."""
        self._colours.clear()
        self._tiles.clear()
        self._held.clear()
        self._replicas.clear()
        self._index.clear()
        self._dirty = True
        self.layout = None

    # -- model and layout caches ----------------------------------------------------------

    def prepare(self, rect: QRect) -> bool:
        """Bring the model and the layout (for a widget of ``rect``) up to date; True if
        the model was rebuilt from the state."""
        rebuilt = self._dirty
        if self._dirty:
            self._rebuild_model()
        if self.layout is None:
            self.layout = compute_layout(rect, tuple(sorted(self._bridge.state.nodes)), self.theme,
                                         self.words["restarting"])
            self.squares, self._scene = None, None
            self._static_texts.clear()
            self._task_marks.clear()
        if self.squares is None:
            area = next(iter(self.layout.areas.values()), QRect(0, 0, 1, 1))
            self.squares = fit_squares(max(1, self._max_count), area.width(), area.height())
            self._scene = None
            self._tiles.clear()  # new layout, fonts, theme or square size
        return rebuilt

    def _rebuild_model(self) -> None:
        state = self._bridge.state
        if self.layout is not None and self.layout.order != tuple(sorted(state.nodes)):
            self.layout = None
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
        # The one reachability rule is the state's (engine.view), shared with the health plot.
        self._outline = dict(state.marks)
        self._node_outline = {}  # node -> ((block, mark), ...) of its outlined replicas
        for b, mark in sorted(self._outline.items()):
            block = state.blocks.get(b)
            for n in block.replicas if block is not None else ():
                self._node_outline.setdefault(n, []).append((b, mark))
        self._task_blocks = {(a.node, a.block) for a in state.attempts.values() if a.block is not None}
        max_count = max(map(len, self._replicas.values()), default=0)
        if max_count != self._max_count:
            self._max_count, self.squares = max_count, None
        self._dirty, self._scene_checked = False, False

    # -- what the model says (after ``prepare``) ------------------------------------------

    def outline(self, block: int) -> str | None:
        """'under' (fewer live replicas than wanted), 'lost' (no live replica) or None."""
        return self._outline.get(block)

    def read_by_task(self, node: int, block: int) -> bool:
        return (node, block) in self._task_blocks

    def replica_rects(self, node: int) -> dict:
        """block id -> QRect of its square in ``node``'s tile."""
        area = self.layout.areas.get(node)
        if area is None:
            return {}
        return {b: square_rect(area, i, self.squares) for i, b in enumerate(self._replicas.get(node, ()))}

    def node_at(self, pos: QPoint) -> int | None:
        for node, rect in self.layout.tiles.items():
            if rect.contains(pos):
                return node
        return None

    def replica_at(self, pos: QPoint) -> tuple | None:
        """(node, block) of the replica square under ``pos``, if any."""
        node = self.node_at(pos)
        if node is None or not self.layout.areas[node].contains(pos):
            return None
        area = self.layout.areas[node]
        size, pitch, cols = self.squares
        dx, dy = pos.x() - area.x(), pos.y() - area.y()
        col, row = dx // pitch, dy // pitch
        if col >= cols or dx % pitch >= size or dy % pitch >= size:
            return None
        i = row * cols + col
        blocks = self._replicas.get(node, ())
        return (node, blocks[i]) if i < len(blocks) else None

    def _colour(self, block: int) -> QColor:
        colour = self._colours.get(block)
        if colour is None:
            colour = self._colours[block] = th.block_colour(block)
        return colour

    # -- texts ----------------------------------------------------------------------------

    def tile_lines(self, node: int) -> list[str]:
        """The texts drawn on ``node``'s tile: name, state, PID and bytes, tasks ('' if none)."""
        view = self._bridge.state.nodes.get(node)
        if view is None:
            return []
        return [translate("ClusterView", "Node {0}").format(node), self.tile_state_text(node),
                self.pid_text(view), self.tasks_text(len(view.tasks)), self.heartbeat_text(node)]

    def heartbeat_text(self, node: int) -> str:
        """The failure detector's numbers on a tile: a suspect node's countdown to its death
        declaration, a late node's silence; '' while heartbeats arrive on time."""
        state = self._bridge.state
        death_in = state.death_in(node)
        if death_in is not None:
            return translate("ClusterView", "dead in {0:.1f} s").format(death_in)
        age = state.heartbeat_age(node)
        beat = state.config.get("heartbeat")
        if age is not None and beat and age > 1.5 * beat:
            return translate("ClusterView", "silent {0:.1f} s").format(age)
        return ""

    def tile_state_text(self, node: int) -> str:
        view = self._bridge.state.nodes.get(node)
        if view is None:
            return ""
        key = view.display_state
        _, symbol, _ = th.STATE_STYLE.get(key, th.STATE_STYLE["starting"])
        return f"{symbol} {self.words.get(key, key)}"

    def strip_text(self) -> str:
        missing = tuple(self._bridge.state.health.get("missing_blocks", ()))
        if not missing:
            return translate("ClusterView", "All blocks available") if self._bridge.state.nodes else ""
        shown = ", ".join(str(b) for b in missing[:MISSING_LISTED])
        if len(missing) > MISSING_LISTED:
            shown += " " + translate("ClusterView", "… and {0} more").format(len(missing) - MISSING_LISTED)
        return translate("ClusterView", "Missing blocks: {0}").format(shown)

    def tasks_text(self, n: int) -> str:
        if n == 0:
            return ""
        return translate("ClusterView", "▶ 1 task") if n == 1 else translate("ClusterView", "▶ {0} tasks").format(n)

    def stored_bytes(self, view) -> int:
        if view.stored_bytes:
            return view.stored_bytes
        blocks = self._bridge.state.blocks
        return sum(blocks[b].size for b in view.blocks if b in blocks)

    def pid_text(self, view) -> str:
        pid = str(view.pid) if view.pid else "—"
        text = translate("ClusterView", "PID {0} · {1}").format(pid, format_size(self.stored_bytes(view)))
        if view.process == "killed" and view.state != "dead":
            text += " · " + translate("ClusterView", "killed")
        return text

    def band_text(self) -> str:
        state = self._bridge.state
        if not state.nodes:
            return ""
        text = translate("ClusterView", "{0} nodes · {1} blocks · {2} copies of each").format(
            len(state.nodes), len(state.blocks), state.config.get("replication", "?"))
        if state.config.get("backend") == "dask":
            text += " · " + translate("ClusterView", "on Dask workers")
        return text

    # -- the frame ------------------------------------------------------------------------

    def frame(self, size: QSize, dpr: float, selected: int | None) -> QPixmap:
        """The still picture with the overlays, for a widget of ``size`` at ``dpr``, with
        ``selected`` ringed (after ``prepare``)."""
        if self._scene_stale(size, dpr) or not self._scene_checked or self._frame is None:
            self._update_scene(size, dpr)
            self._frame = QPixmap(self._scene)
            p = QPainter(self._frame)
            p.setRenderHint(QPainter.Antialiasing)
            self._paint_overlays(p, selected)
            p.end()
        return self._frame

    def _update_scene(self, size: QSize, dpr: float) -> None:
        """Recompose the still picture if a tile, the band or the strip changed."""
        versions = tuple(self._tile_pixmap(node, dpr)[2] for node in self.layout.order)
        for key in [k for k in self._tiles if k[0] not in self.layout.tiles]:
            del self._tiles[key]
        key = (versions, self.band_text(), self.strip_text(), bool(self._outline),
               bool(self._bridge.state.health.get("missing_blocks")))
        if self._scene_stale(size, dpr) or key != self._scene_key:
            self._scene = self._render_scene(size, dpr)
            self._scene_key = key
        self._scene_checked = True

    def _scene_stale(self, size: QSize, dpr: float) -> bool:
        scene = self._scene
        return (scene is None or scene.deviceIndependentSize().toSize() != size
                or scene.devicePixelRatio() != dpr)

    def _render_scene(self, size: QSize, dpr: float) -> QPixmap:
        pixmap = QPixmap(size * dpr)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QColor(self.theme.window))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        self._paint_band(p)
        for node in self.layout.order:
            p.drawPixmap(self.layout.tiles[node].topLeft(), self._tile_pixmap(node, dpr)[1])
        if not self.layout.order:
            self._paint_empty(p, QRect(QPoint(0, 0), size))
        self._paint_strip(p)
        p.end()
        return pixmap

    def _paint_empty(self, p: QPainter, rect: QRect) -> None:
        p.setPen(QColor(self.theme.muted))
        p.setFont(self.layout.strip_font)
        p.drawText(rect, Qt.AlignCenter, translate("ClusterView", "Waiting for the cluster to start…"))

    def _paint_band(self, p: QPainter) -> None:
        t, lay = self.theme, self.layout
        p.setFont(lay.band_font)
        p.setPen(QPen(QColor(t.text), 2))
        p.setBrush(QColor(t.panel))
        p.drawRoundedRect(QRectF(lay.client), 6, 6)
        p.drawText(lay.client, Qt.AlignCenter, translate("ClusterView", "Client"))
        summary = self.band_text()
        if not summary:
            return
        p.setPen(QColor(t.muted))
        p.drawText(lay.band.adjusted(lay.client.width() + 16, 0, 0, 0), Qt.AlignRight | Qt.AlignVCenter, summary)

    def _paint_strip(self, p: QPainter) -> None:
        t, lay = self.theme, self.layout
        right = self._paint_legend(p) if self._outline else lay.strip.right()
        missing = bool(self._bridge.state.health.get("missing_blocks"))
        p.setFont(lay.strip_font if missing else lay.band_font)
        p.setPen(QColor(t.danger if missing else t.muted))
        room = QRect(lay.strip.x(), lay.strip.y(), right - lay.strip.x() - 16, lay.strip.height())
        text = QFontMetrics(p.font()).elidedText(self.strip_text(), Qt.ElideRight, room.width())
        p.drawText(room, Qt.AlignLeft | Qt.AlignVCenter, text)

    def _paint_legend(self, p: QPainter) -> int:
        """The outline legend at the right of the strip; returns where it starts."""
        lay = self.layout
        label = translate("ClusterView", "fewer than {0} live copies").format(
            self._bridge.state.config.get("replication", "?"))
        fm = QFontMetrics(lay.band_font)
        side = fm.height() - 4
        x = lay.strip.right() - fm.horizontalAdvance(label) - side - 8
        y = lay.strip.center().y() - side // 2
        p.fillRect(x, y, side, side, AMBER)
        p.fillRect(x + 3, y + 3, side - 6, side - 6, QColor(self.theme.panel))
        p.setFont(lay.band_font)
        p.setPen(QColor(self.theme.text))
        p.drawText(QRect(x + side + 8, lay.strip.y(), lay.strip.right() - x, lay.strip.height()),
                   Qt.AlignLeft | Qt.AlignVCenter, label)
        return x

    def _tile_style(self, view) -> tuple:
        """(fill, border colour, border width) of a tile."""
        t = self.theme
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

    def _paint_overlays(self, p: QPainter, selected: int | None) -> None:
        """What changes too often to cache in the tiles: each tile's running task count,
        the rings round blocks being read, corrupted copies; and the selection. The rings of
        every tile are one ``drawRects`` call and the counts are static texts, so a frame
        costs about the same whatever the number of busy nodes."""
        state = self._bridge.state
        lay = self.layout
        rings = []
        for n, b in self._task_blocks:
            index, area = self._index.get(n), lay.areas.get(n)
            if index is not None and area is not None and b in index:
                rings.append(QRectF(square_rect(area, index[b], self.squares)).adjusted(-2, -2, 2, 2))
        if rings:
            p.setBrush(Qt.NoBrush)
            p.setPen(QPen(QColor(self.theme.text), 2))
            p.drawRects(rings)
        p.setPen(QColor(self.theme.accent))
        p.setFont(lay.bold_font)
        marks = self._task_marks
        for node in lay.order:
            view = state.nodes.get(node)
            if view is not None and view.tasks:
                mark = marks.get((node, len(view.tasks)))
                if mark is None:
                    mark = self._task_mark(node, len(view.tasks))
                p.drawStaticText(*mark)
        corrupted: dict = {}
        for b, n in state.corrupted:
            corrupted.setdefault(n, []).append(b)
        for node, blocks in corrupted.items():
            index, area = self._index.get(node, {}), lay.areas.get(node)
            if area is None:
                continue
            for b in blocks:
                if b in index:
                    self._paint_corrupt(p, square_rect(area, index[b], self.squares), self.squares[0])
        if selected is not None and selected in lay.tiles and selected in state.nodes:
            self._paint_selection(p, lay.tiles[selected])

    def _text(self, text: str, font: QFont) -> tuple:
        """(static text, width, height) of ``text`` in ``font``, laid out once per layout."""
        key = (text, font.key())
        cached = self._static_texts.get(key)
        if cached is None:
            fm = QFontMetrics(font)
            static = QStaticText(text)
            static.setTextFormat(Qt.PlainText)
            static.prepare(font=font)
            cached = self._static_texts[key] = (static, fm.horizontalAdvance(text), fm.height())
        return cached

    def _tile_key(self, node: int, view) -> tuple:
        """Everything the cached picture of ``node``'s tile depends on (with the layout,
        theme and square size, which clear the cache when they change) but whether it runs
        tasks: a busy and an idle picture are kept, as nodes go between the two all the
        time during a job."""
        return (view.display_state, view.process, self.pid_text(view), self.heartbeat_text(node),
                self._held.get(node), self._node_outline.get(node))

    def _tile_pixmap(self, node: int, dpr: float) -> tuple:
        """(what it shows, the tile's picture, its version), re-rendered if it changed."""
        view = self._bridge.state.nodes[node]
        key = self._tile_key(node, view)
        slot = (node, bool(view.tasks))
        cached = self._tiles.get(slot)
        if cached is not None and cached[0] == key and cached[1].devicePixelRatio() == dpr:
            return cached
        rect = self.layout.tiles[node]
        pixmap = QPixmap(rect.size() * dpr)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QColor(self.theme.window))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        p.translate(-rect.x(), -rect.y())
        self._paint_tile_body(p, node, view)
        p.end()
        self._tile_version += 1
        self._tiles[slot] = (key, pixmap, self._tile_version)
        return self._tiles[slot]

    def _paint_tile_body(self, p: QPainter, node: int, view) -> None:
        rect = self.layout.tiles[node]
        fill, border, width = self._tile_style(view)
        p.setPen(QPen(border, width))
        p.setBrush(fill)
        p.drawRoundedRect(QRectF(rect).adjusted(width / 2, width / 2, -width / 2, -width / 2), 8, 8)
        if view.display_state == "dead":
            self._paint_cross(p, rect)
        self._paint_tile_text(p, node, view)
        self._paint_replicas(p, node)

    def _paint_cross(self, p: QPainter, rect: QRect) -> None:
        colour = QColor(self.theme.muted)
        colour.setAlpha(110)
        p.setPen(QPen(colour, max(4, rect.width() // 28), Qt.SolidLine, Qt.RoundCap))
        inset = rect.adjusted(12, 12, -12, -12)
        p.drawLine(inset.topLeft(), inset.bottomRight())
        p.drawLine(inset.topRight(), inset.bottomLeft())

    def _paint_tile_text(self, p: QPainter, node: int, view) -> None:
        t, lay = self.theme, self.layout
        rect, pad = self.layout.tiles[node], lay.pad
        name, state_text, pid_text, _, heartbeat = self.tile_lines(node)
        down = view.display_state in DOWN_STATES
        inner = rect.adjusted(pad, pad, -pad, -pad)
        title_h = QFontMetrics(lay.title_font).height()
        fb = QFontMetrics(lay.bold_font)
        p.setFont(lay.title_font)
        p.setPen(QColor(t.muted if down else t.text))
        if QFontMetrics(lay.title_font).horizontalAdvance(name) > inner.width():
            name = str(node)  # a narrow tile (100 nodes): its number alone, never a clipped "Node"
        p.drawText(QRect(inner.x(), inner.y(), inner.width(), title_h), Qt.AlignLeft | Qt.AlignVCenter, name)
        pill_y = inner.y() + title_h + 2
        self._paint_pill(p, inner.x(), pill_y, view.display_state, state_text)
        pid_rect = QRect(inner.x(), pill_y + fb.height() + 8, inner.width(), fb.height())
        p.setFont(lay.body_font)
        if heartbeat:  # while the detector watches a silence, its numbers matter more than the PID
            p.setFont(lay.bold_font)
            p.setPen(QColor(t.danger))
            pid_text = heartbeat
        else:
            p.setPen(QColor(t.danger if view.process == "killed" and not down else t.text))
            if QFontMetrics(p.font()).horizontalAdvance(pid_text) > inner.width():
                pid_text = format_size(self.stored_bytes(view))  # a narrow tile: what it holds, not a cut PID
        p.drawText(pid_rect, Qt.AlignLeft | Qt.AlignVCenter,
                   QFontMetrics(p.font()).elidedText(pid_text, Qt.ElideRight, inner.width()))

    def _task_mark(self, node: int, n: int) -> tuple:
        """Where and what the count of ``n`` running tasks is drawn, at the right of the
        tile's title row (in the bold font): laid out once per layout, then only drawn."""
        lay = self.layout
        inner = lay.tiles[node].adjusted(lay.pad, lay.pad, -lay.pad, -lay.pad)
        row = QRect(inner.x(), inner.y(), inner.width(), self._text("", lay.title_font)[2])
        name = translate("ClusterView", "Node {0}").format(node)
        room = row.width() - self._text(name, lay.title_font)[1] - 8
        static, width, height = self._text(self.tasks_text(n), lay.bold_font)
        if width > room:
            static, width, height = self._text(translate("ClusterView", "▶ {0}").format(n), lay.bold_font)
        mark = self._task_marks[(node, n)] = (QPointF(row.right() + 1 - width, row.y() + (row.height() - height) / 2),
                                              static)
        return mark

    def _paint_pill(self, p: QPainter, x: int, y: int, key: str, text: str) -> None:
        fb = QFontMetrics(self.layout.bold_font)
        colour = QColor(th.STATE_STYLE.get(key, th.STATE_STYLE["starting"])[0])
        pill = QRectF(x, y, fb.horizontalAdvance(text) + 16, fb.height() + 6)
        p.setPen(Qt.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        p.setFont(self.layout.bold_font)
        p.setPen(_ink_on(colour))
        p.drawText(pill, Qt.AlignCenter, text)

    def _paint_replicas(self, p: QPainter, node: int) -> None:
        blocks = self._replicas.get(node)
        if not blocks:
            return
        area = self.layout.areas[node]
        size, pitch, cols = self.squares
        ring = 2 if size >= 8 else 1
        gap = QColor(self.theme.panel)
        marks = {"under": AMBER, "lost": QColor(self.theme.danger)}
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

    def _paint_corrupt(self, p: QPainter, rect: QRect, size: int) -> None:
        if size < 10:
            p.fillRect(rect.adjusted(size // 3, size // 3, -(size // 3), -(size // 3)), QColor("#000000"))
            return
        font = QFont(self.layout.bold_font)
        font.setPixelSize(max(8, size - 2))
        p.setFont(font)
        p.setPen(QColor("#000000"))
        p.drawText(rect, Qt.AlignCenter, "!")

    def _paint_selection(self, p: QPainter, rect: QRect) -> None:
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(self.theme.text), 3))
        p.drawRoundedRect(QRectF(rect).adjusted(-6, -6, 6, 6), 11, 11)
        p.setPen(QPen(QColor(self.theme.accent), 2, Qt.DashLine))
        p.drawRoundedRect(QRectF(rect).adjusted(-3, -3, 3, 3), 9, 9)

    # -- transfers in flight --------------------------------------------------------------

    def paint_flights(self, p: QPainter, flights, now: float) -> None:
        size = max(12, int(self.squares[0] * 1.25))
        outline = QPen(QColor(self.theme.text), 2)
        window = QColor(self.theme.window)
        for f in flights:
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

    def _flight_start(self, f: Flight) -> QPointF | None:
        if f.source is None:
            return QPointF(self.layout.client.center())
        return self._replica_point(f.source, f.block)

    def _flight_end(self, f: Flight) -> QPointF | None:
        return self._replica_point(f.target, f.block)

    def _replica_point(self, node: int, block: int) -> QPointF | None:
        """Centre of ``block``'s square on ``node`` (or of the next free slot)."""
        area = self.layout.areas.get(node)
        if area is None:
            return None
        index = self._index.get(node, {})
        i = index.get(block, len(index))
        return QPointF(square_rect(area, i, self.squares).center())

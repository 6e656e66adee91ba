"""The job panel: what the latest job is doing, its answer, whether the answer is right, and
a task stream showing where and when every task attempt ran.

Everything is drawn from ``bridge.state.latest_job()``; the verdict comes from
``bridge.verdict_ready`` (the job's answer compared with a single-process reference). A
result is never shown without either its verdict or a note that it is still being checked.

The task stream draws every attempt with four bar items (map, reduce, failed, and a retry
outline on top; ``GroupedBars``, one ``drawRects`` per brush), updated with ``setOpts``, so
thousands of tasks stay cheap.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import Qt

from . import theme as th
from .bars import GroupedBars
from .live_plot import LiveWidget
from .plot_style import Swatch, amber, fit_legend, make_legend, mix, nice_ceiling, plot_background, style_axes, \
    style_label, style_legend

BAR_HEIGHT = 0.7
MAX_DETAIL = 220  # characters of a WRONG verdict's detail shown (the rest in the tooltip)
ICONS = {"exact": "✔", "incomplete": "⚠", "wrong": "✖", "failed": "✖"}


@dataclass(frozen=True)
class Lane:
    """One row of the task stream: the nodes whose tasks it draws (one, or a range of busy
    nodes when there are more of them than rows that fit) and its label."""
    nodes: tuple[int, ...]
    label: str


def lane_groups(cluster_nodes: list[int], busy_nodes: list[int], fits: int | None) -> list[tuple[int, ...]]:
    """The nodes of each row. Every node has its row while they all fit (``fits`` rows of
    one line of text; None: no limit); beyond that only the nodes that ran a task of the
    job have rows, and beyond that consecutive busy nodes share a row, a few per row."""
    if fits is None or len(cluster_nodes) <= fits:
        return [(n,) for n in cluster_nodes]
    if len(busy_nodes) <= fits:
        return [(n,) for n in busy_nodes]
    per_row = math.ceil(len(busy_nodes) / fits)
    return [tuple(busy_nodes[i:i + per_row]) for i in range(0, len(busy_nodes), per_row)]


class JobPanel(LiveWidget):
    """The latest job: title, progress, counters, result and verdict, and a task stream."""

    def __init__(self, bridge, parent=None, theme: th.Theme | None = None):
        super().__init__(bridge, parent)
        self.theme = theme or th.NORMAL
        self._verdicts: dict[int, tuple[str, str]] = {}
        self._job_id = None
        self._bar_records: list[tuple[int, float, float, str, bool]] = []
        self._lanes: tuple[Lane, ...] = ()
        self._brush_cache: dict = {}
        self._words_plain = ""
        bridge.verdict_ready.connect(self._on_verdict)

        self.title = QtWidgets.QLabel(self)
        self.title.setWordWrap(True)
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stats = QtWidgets.QLabel(self)
        self.count_label = QtWidgets.QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.words_label = QtWidgets.QLabel(self)
        self.words_label.setTextFormat(Qt.TextFormat.RichText)
        self.words_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict_label = QtWidgets.QLabel(self)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.PlainText)

        self.stream = pg.PlotWidget(self)
        self.stream.setMinimumHeight(140)
        plot = self.stream_plot = self.stream.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.invertY(True)
        plot.showGrid(x=True, y=False, alpha=0.25)
        self.bar_items = {}
        # Finished map bars ("map") are set again only when they change; the running ones
        # ("running", drawn like them) every frame, so a frame costs what is running.
        self._done_maps: list | None = None
        for name, z in (("map", 1), ("running", 1), ("reduce", 2), ("failed", 3), ("retry", 4)):
            item = GroupedBars(x0=np.array([]), x1=np.array([]), y0=np.array([]), height=BAR_HEIGHT)
            item.setZValue(z)
            plot.addItem(item)
            self.bar_items[name] = item
        self.now_line = pg.InfiniteLine(angle=90, movable=False)
        self.now_line.setZValue(5)
        plot.addItem(self.now_line, ignoreBounds=True)
        self.now_line.hide()
        self.legend = make_legend(plot)
        self._swatches = {}
        for name, text in (("map", self.tr("map task")), ("reduce", self.tr("reduce task")),
                           ("failed", self.tr("failed")), ("retry", self.tr("retry"))):
            swatch = Swatch("#888888")
            self._swatches[name] = swatch
            self.legend.addItem(swatch, text)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.stats)
        layout.addWidget(self.count_label)
        layout.addWidget(self.words_label)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.stream, 1)
        self.set_theme(self.theme)

    # -- public ---------------------------------------------------------------------------

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        self._brush_cache.clear()
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.window))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        style_label(self.title, theme, 1.3, bold=True)
        style_label(self.stats, theme, 1.0, colour=theme.muted)
        style_label(self.count_label, theme, 4.5, bold=True)
        style_label(self.words_label, theme, 1.15)
        self.progress.setFont(theme.font(1.1, bold=True))
        self.progress.setMinimumHeight(int(theme.base_pt * 2.4))
        self.progress.setStyleSheet(
            f"QProgressBar {{ border: 1px solid {theme.grid}; border-radius: 4px; text-align: center;"
            f" background: {theme.panel}; color: {theme.text}; font-size: {theme.base_pt * 1.1:g}pt;"
            f" font-weight: bold; }}"
            f" QProgressBar::chunk {{ background: {mix(theme.accent, theme.panel, 0.5)};"
            f" border-radius: 3px; }}")
        self.stream.setBackground(plot_background(theme))
        style_axes(self.stream_plot, theme, {"bottom": self.tr("cluster time (s)")})
        self.stream_plot.getAxis("bottom").setGrid(70 if theme.name == "lecture" else 50)
        self.now_line.setPen(pg.mkPen(theme.muted, width=2, style=Qt.PenStyle.DashLine))
        grey = th.node_colour(0)
        self._swatches["map"].set_style(grey)
        self._swatches["reduce"].set_style(QtGui.QBrush(grey, Qt.BrushStyle.BDiagPattern), pg.mkPen(grey, width=2))
        self._swatches["failed"].set_style(theme.danger)
        self._swatches["retry"].set_style(QtGui.QBrush(Qt.BrushStyle.NoBrush), self._retry_pen())
        style_legend(self.legend, theme)
        fit_legend(self.legend, self.stream.width())
        self._fit_lane_axis()
        self.layout().activate()
        self._job_id = None  # restyle everything on the next refresh
        self._done_maps = None
        self.schedule_refresh()

    def reset(self) -> None:
        self._verdicts.clear()
        self._job_id = None
        self._done_maps = None

    def progress_text(self) -> str:
        self.flush()
        return self.progress.text() if self.progress.isTextVisible() else ""

    def result_text(self) -> str:
        """The result as shown: the count, or one 'word count' line per top word; '' while
        there is none."""
        self.flush()
        if self.count_label.isVisibleTo(self):
            return self.count_label.text()
        if self.words_label.isVisibleTo(self):
            return self._words_plain
        return ""

    def verdict_text(self) -> str:
        self.flush()
        return self.verdict_label.text() if self.verdict_label.isVisibleTo(self) else ""

    def title_text(self) -> str:
        self.flush()
        return self.title.text()

    def stats_text(self) -> str:
        self.flush()
        return self.stats.text()

    def bars(self) -> list[tuple[int, float, float, str, bool]]:
        """(node, start, end, outcome, retry) of every bar in the task stream."""
        self.flush()
        return list(self._bar_records)

    def bar_item_data(self, name: str) -> list[tuple[float, float, float]]:
        """(x0, x1, centre row) of each bar drawn by one item ('map', 'reduce', 'failed', 'retry')."""
        self.flush()
        out = []
        for item in ("map", "running") if name == "map" else (name,):  # running maps are map bars too
            opts = self.bar_items[item].opts
            x0, x1, y0 = (np.atleast_1d(np.asarray(opts[k], dtype=float)) for k in ("x0", "x1", "y0"))
            height = np.broadcast_to(np.asarray(opts["height"], dtype=float), y0.shape)
            out += [(float(a), float(b), float(c + h / 2)) for a, b, c, h in zip(x0, x1, y0, height)]
        return out

    def bar_item_brushes(self, name: str) -> list:
        """The brushes of the bars of ``bar_item_data(name)``, in the same order."""
        self.flush()
        out = []
        for item in ("map", "running") if name == "map" else (name,):
            out += list(self.bar_items[item].opts["brushes"] or ())
        return out

    def lanes(self) -> list[Lane]:
        """The task stream's rows, top to bottom."""
        self.flush()
        return list(self._lanes)

    # -- updates --------------------------------------------------------------------------

    def _on_verdict(self, job: int, verdict: str, detail: str) -> None:
        self._verdicts[int(job)] = (verdict, detail)
        self.schedule_refresh()

    def refresh(self) -> None:
        state = self.bridge.state
        job = state.latest_job()
        if job is None:
            self._show_empty()
            return
        self._job_id = job.id
        self.title.setText(self._title(job))
        self._show_progress(job, state)
        self._show_stats(job)
        self._show_result(job)
        self._show_bars(job, state)
        self.layout().activate()  # labels appeared or re-wrapped: lay out now, not next loop

    def _show_empty(self) -> None:
        self.title.setText(self.tr("No job yet: run “count” or “wordcount”"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.progress.setTextVisible(False)
        self.stats.setText("")
        self.count_label.hide()
        self.words_label.hide()
        self.verdict_label.hide()
        self._set_bars([], {})
        self.now_line.hide()

    def _title(self, job) -> str:
        if job.kind == "count":
            text = self.tr("count '{word}' in {file}").format(word=job.word or "", file=job.file)
            if job.ignore_case:
                text += " " + self.tr("(ignoring case)")
            return text
        return self.tr("wordcount (top {top}) of {file}").format(top=job.top or 20, file=job.file)

    def _show_progress(self, job, state) -> None:
        total = job.phase_total
        if job.phase == "map" and job.file in state.files:
            total = len(state.files[job.file])  # one map task per block of the file
        total = max(int(total), 0)
        done = min(int(job.done), total) if total else int(job.done)
        if job.finished is not None and job.status == "ok":
            done = total
        phase = self.tr("map") if job.phase == "map" else self.tr("reduce")
        text = self.tr("{phase} {done} / {total}").format(phase=phase, done=done, total=total)
        # QProgressBar.setValue repaints synchronously, which paints every pending widget of
        # the window there and then; with updates off it is drawn with the others instead.
        self.progress.setUpdatesEnabled(False)
        self.progress.setTextVisible(True)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(text)
        self.progress.setUpdatesEnabled(True)

    def _show_stats(self, job) -> None:
        if job.finished is not None:
            retried, local = job.retried, job.node_local
        else:
            retried = sum(1 for a in job.attempts if a.retry)
            local = sum(1 for a in job.attempts if a.phase == "map" and a.local and a.outcome == "done")
        parts = [self.tr("{n} retried").format(n=retried), self.tr("{n} node-local").format(n=local)]
        if job.finished is not None:
            elapsed = job.finished - job.started
            parts.append(self.tr("finished in {s} s").format(s=f"{elapsed:.2f}" if elapsed < 1 else f"{elapsed:.1f}"))
        else:
            parts.append(self.tr("running"))
        self.stats.setText("  ·  ".join(parts))

    def _show_result(self, job) -> None:
        if job.finished is None:
            self.count_label.hide()
            self.words_label.hide()
            self.verdict_label.hide()
            return
        if job.kind == "count":
            self.count_label.setText(f"{job.count:,}" if job.count is not None else "–")
            self.count_label.show()
            self.words_label.hide()
        else:
            self._words_plain = "\n".join(f"{w} {c}" for w, c in job.top_words)
            self.words_label.setText(self._words_html(job.top_words))
            self.words_label.show()
            self.count_label.hide()
        verdict = self._verdicts.get(job.id)
        if verdict is None:
            text, colour, tip = self.tr("checking against a single-process reference…"), self.theme.muted, ""
        else:
            text, colour, tip = self._verdict_display(job, *verdict)
        self.verdict_label.setText(text)
        self.verdict_label.setToolTip(tip)
        style_label(self.verdict_label, self.theme, 1.4 if verdict is not None else 1.1,
                     bold=verdict is not None, colour=colour)
        self.verdict_label.show()

    def _verdict_display(self, job, verdict: str, detail: str):
        icon = ICONS.get(verdict, "?")
        if verdict == "exact":
            return f"{icon} " + self.tr("exact"), self.theme.ok, detail
        if verdict == "incomplete":
            if job.missing_blocks:
                blocks = ", ".join(str(b) for b in job.missing_blocks)
                if "not checked" in detail:
                    text = self.tr("incomplete: block(s) {blocks} unreadable (not checked against a "
                                   "reference)").format(blocks=blocks)
                else:
                    text = self.tr("incomplete: block(s) {blocks} unreadable; exact over the other "
                                   "blocks").format(blocks=blocks)
            else:
                text = detail or self.tr("incomplete")
            return f"{icon} {text}", amber(self.theme), detail
        if verdict == "failed":
            rest = detail.split(":", 1)[1].strip() if ":" in detail else ""
            return f"{icon} " + (rest or self.tr("no result")), self.theme.danger, detail
        rest = detail.split(":", 1)[1].strip() if detail.upper().startswith("WRONG") else detail
        if len(rest) > MAX_DETAIL:
            rest = rest[:MAX_DETAIL - 1] + "…"
        text = f"{icon} " + self.tr("WRONG") + (f": {rest}" if rest else "")
        return text, self.theme.danger, detail

    def _words_html(self, top) -> str:
        """The top words as two columns of 'word  count' rows."""
        top = list(top)
        rows = (len(top) + 1) // 2
        muted, text = self.theme.muted, self.theme.text
        cells = []
        for r in range(rows):
            row = []
            for c in range(2):
                i = c * rows + r
                if i < len(top):
                    word, count = top[i]
                    row.append(f"<td style='color:{muted}; padding-right:6px' align='right'>{i + 1}.</td>"
                               f"<td style='color:{text}; padding-right:10px'><b>{html.escape(str(word))}</b></td>"
                               f"<td style='color:{text}; padding-right:36px' align='right'>{count:,}</td>")
                else:
                    row.append("<td></td><td></td><td></td>")
            cells.append("<tr>" + "".join(row) + "</tr>")
        return "<table cellspacing='0' cellpadding='1'>" + "".join(cells) + "</table>"

    # -- task stream ----------------------------------------------------------------------

    def _retry_pen(self) -> QtGui.QPen:
        pen = pg.mkPen(self.theme.text, width=3)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def _brush(self, node: int, style: str) -> QtGui.QBrush:
        key = (node, style)
        brush = self._brush_cache.get(key)
        if brush is None:
            colour = th.node_colour(node)
            if style == "running":
                colour.setAlpha(150)
                brush = QtGui.QBrush(colour)
            elif style == "remote":
                brush = QtGui.QBrush(colour, Qt.BrushStyle.Dense4Pattern)
            elif style == "reduce":
                brush = QtGui.QBrush(colour, Qt.BrushStyle.BDiagPattern)
            else:
                brush = QtGui.QBrush(colour)
            self._brush_cache[key] = brush
        return brush

    def _pen(self, node: int) -> QtGui.QPen:
        key = (node, "pen")
        pen = self._brush_cache.get(key)
        if pen is None:
            pen = self._brush_cache[key] = pg.mkPen(th.node_colour(node), width=2)
        return pen

    def _show_bars(self, job, state) -> None:
        now = float(self.bridge.clock())
        records = []
        for a in job.attempts:
            end = a.ended if a.ended is not None else max(now, a.started)
            records.append((a.node, float(a.started), float(end), a.outcome, bool(a.retry), a))
        nodes = sorted(set(state.nodes) | {a.node for a in job.attempts})
        busy = sorted({a.node for a in job.attempts})
        lanes = tuple(Lane(group, self._lane_label(group)) for group in lane_groups(nodes, busy, self.lanes_fit()))
        if lanes != self._lanes:
            self._lanes = lanes
            self.stream_plot.getAxis("left").setTicks([[(i, lane.label) for i, lane in enumerate(lanes)], []])
            self._fit_lane_axis()
        self._place_bars(records)
        lo = job.started
        hi = job.finished if job.finished is not None else now
        hi = max([hi, lo + 0.05] + [r[2] for r in records])
        if job.finished is None:
            # A stable time axis while the job runs (like the plots' y axes): it grows in
            # steps when the job outgrows it, so a frame redraws the bars, not the axis too.
            hi = lo + nice_ceiling(hi - lo, minimum=0.05)
        pad = 0.02 * (hi - lo)
        y_lo, y_hi = -0.6, max(len(self._lanes) - 1, 0) + 0.6
        self.stream_plot.getViewBox().setRange(xRange=(lo - pad, hi + pad), yRange=(y_lo, y_hi), padding=0.0)
        if job.finished is None:
            self.now_line.setValue(now)
            self.now_line.show()
        else:
            self.now_line.hide()

    def _lane_label(self, nodes: tuple[int, ...]) -> str:
        if len(nodes) == 1:
            return self.tr("Node {0}").format(nodes[0])
        return self.tr("Nodes {0}–{1}").format(nodes[0], nodes[-1])

    def lanes_fit(self) -> int | None:
        """How many rows of one line of text the task stream has room for (None before it
        has a size), so that at 100 nodes the labels stay apart and the bars stay bars."""
        height = self.stream_plot.getViewBox().height() or self.stream_plot.height()
        if height <= 0:
            return None
        line = QtGui.QFontMetricsF(self.theme.font(1.0)).height() * 1.3
        return max(1, int(height // line))

    def _fit_lane_axis(self) -> None:
        """Room for the widest 'Node k' (pyqtgraph drops tick labels that do not fit)."""
        metrics = QtGui.QFontMetricsF(self.theme.font(1.0))
        widest = max([metrics.horizontalAdvance(lane.label) for lane in self._lanes]
                     + [metrics.horizontalAdvance(self.tr("Node {0}").format(0))])
        self.stream_plot.getAxis("left").setWidth(int(widest + self.theme.base_pt + 12))

    def _place_bars(self, records) -> None:
        """Each bar in its node's row; in a shared row, each node has its own band of it."""
        place = {}
        for row, lane in enumerate(self._lanes):
            height = BAR_HEIGHT / len(lane.nodes)
            for i, node in enumerate(lane.nodes):
                place[node] = (row - BAR_HEIGHT / 2 + i * height, height)
        self._set_bars(records, place)

    def _set_bars(self, records, place) -> None:
        self._bar_records = [r[:5] for r in records]
        records = [r for r in records if r[0] in place]
        groups = {"map": [], "running": [], "reduce": [], "failed": [], "retry": []}
        for rec in records:
            node, start, end, outcome, retry, attempt = rec
            if outcome == "failed":
                groups["failed"].append(rec)
            elif attempt.phase == "reduce":
                groups["reduce"].append(rec)
            else:
                groups["running" if outcome == "running" else "map"].append(rec)
            if retry:
                groups["retry"].append(rec)
        done = [(r[:5], place[r[0]], r[5].local) for r in groups["map"]]
        if done == self._done_maps:
            del groups["map"]  # the finished bars are already there
        else:
            self._done_maps = done
        for name, recs in groups.items():
            x0 = np.fromiter((r[1] for r in recs), dtype=float, count=len(recs))
            x1 = np.fromiter((r[2] for r in recs), dtype=float, count=len(recs))
            y0 = np.fromiter((place[r[0]][0] for r in recs), dtype=float, count=len(recs))
            height = np.fromiter((place[r[0]][1] for r in recs), dtype=float, count=len(recs))
            opts = dict(x0=x0, x1=x1, y0=y0, height=height)
            if name in ("map", "running"):
                # a thin outline in the background colour keeps back-to-back tasks apart
                # (one pixel: a wider outline is stroked as a path, several times slower)
                opts.update(pen=pg.mkPen(plot_background(self.theme), width=1), brushes=[
                    self._brush(r[0], "running" if r[3] == "running" else
                                ("map" if r[5].local else "remote")) for r in recs])
            elif name == "reduce":
                # (pyqtgraph cannot take an empty ``pens`` list: fall back to one pen)
                opts.update(brushes=[self._brush(r[0], "reduce") for r in recs],
                            pens=[self._pen(r[0]) for r in recs] or None, pen=None)
            elif name == "failed":
                edge = QtGui.QColor(self.theme.danger).darker(130)
                opts.update(brush=self.theme.danger, pen=pg.mkPen(edge, width=1))
            else:
                opts.update(brush=QtGui.QBrush(Qt.BrushStyle.NoBrush), pen=self._retry_pen())
            self.bar_items[name].setOpts(**opts)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        fit_legend(self.legend, self.stream.width())
        if self._lanes:
            self.schedule_refresh()  # the rows that fit may have changed

"""The replay bar: play/pause, a time slider with the faults marked under it, the time,
the speed and "Next fault". It drives a ``ReplayBridge`` and follows its signals."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (QAction, QColor, QFontMetrics, QIcon, QKeySequence, QPainter, QPen, QPixmap,
                           QPolygonF)
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSlider, QStyle,
                               QStyleOptionSlider, QToolButton, QToolTip, QWidget)

from . import theme as th
from .replay import SPEEDS

MS = 1000  # slider units per second
TIME_SCALE = 1.1  # the time label and the play button, relative to the theme's font
MARKER = 7  # half-width of a fault marker, pixels
FAULT_STYLE = {  # kind -> (colour, shape); shape too, never colour alone
    "node_killed": ("#C62828", "triangle"),
    "node_paused": (th.STATE_STYLE["paused"][0], "square"),
    "replica_corrupted": ("#8E44AD", "diamond"),
    "node_disk_speed": ("#B36B00", "circle"),
}


def media_icon(kind: str, colour: str, size: int = 32) -> QIcon:
    """A flat media icon in ``colour`` ('play', 'pause', 'start', 'next'): drawn, so that it
    needs no icon font and follows the theme (the lecture theme is white on black)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(colour))
    s = size
    if kind == "play":
        p.drawPolygon(QPolygonF([QPointF(s * 0.22, s * 0.12), QPointF(s * 0.88, s * 0.5), QPointF(s * 0.22, s * 0.88)]))
    elif kind == "pause":
        p.drawRect(QRectF(s * 0.2, s * 0.14, s * 0.22, s * 0.72))
        p.drawRect(QRectF(s * 0.58, s * 0.14, s * 0.22, s * 0.72))
    elif kind == "start":
        p.drawRect(QRectF(s * 0.14, s * 0.16, s * 0.14, s * 0.68))
        p.drawPolygon(QPolygonF([QPointF(s * 0.86, s * 0.16), QPointF(s * 0.3, s * 0.5), QPointF(s * 0.86, s * 0.84)]))
    else:  # next
        p.drawPolygon(QPolygonF([QPointF(s * 0.14, s * 0.16), QPointF(s * 0.7, s * 0.5), QPointF(s * 0.14, s * 0.84)]))
        p.drawRect(QRectF(s * 0.72, s * 0.16, s * 0.14, s * 0.68))
    p.end()
    return QIcon(pixmap)


class FaultSlider(QSlider):
    """A horizontal slider (milliseconds) that marks fault times under its groove; a click
    on the groove jumps there (and starts a drag), hovering a marker names the fault."""

    def __init__(self, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self._markers: list[tuple[int, str, str]] = []  # (value, kind, description)
        self._theme = th.NORMAL
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSingleStep(100)
        self.setPageStep(5 * MS)

    def set_markers(self, markers) -> None:
        self._markers = [(int(v), kind, text) for v, kind, text in markers]
        self.update()

    def markers(self) -> list[tuple[int, str, str]]:
        return list(self._markers)

    def set_theme(self, theme: th.Theme) -> None:
        self._theme = theme
        self.updateGeometry()
        self.update()

    def _marker_size(self) -> int:
        return MARKER + (3 if self._theme.name == "lecture" else 0)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), hint.height() + 2 * self._marker_size() + 4)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), hint.height() + 2 * self._marker_size() + 4)

    def _geometry(self) -> tuple[QRect, QRect]:
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        groove = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, self)
        return groove, handle

    def x_of(self, value: int) -> float:
        groove, handle = self._geometry()
        span = max(1, groove.width() - handle.width())
        return groove.x() + handle.width() / 2 + QStyle.sliderPositionFromValue(
            self.minimum(), self.maximum(), int(value), span)

    def value_at(self, x: float) -> int:
        groove, handle = self._geometry()
        span = max(1, groove.width() - handle.width())
        return QStyle.sliderValueFromPosition(self.minimum(), self.maximum(),
                                              int(x - groove.x() - handle.width() / 2), span)

    def _marker_row(self) -> tuple[float, float]:
        size = self._marker_size()
        bottom = self.height() - 2
        return bottom - 2 * size, bottom

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._markers:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        top, bottom = self._marker_row()
        size = self._marker_size()
        groove, _ = self._geometry()
        for value, kind, _ in self._markers:
            colour, shape = FAULT_STYLE.get(kind, (self._theme.danger, "triangle"))
            x = self.x_of(value)
            c = QColor(colour)
            p.setPen(QPen(c, 2))
            p.drawLine(QPointF(x, groove.top()), QPointF(x, top))
            p.setPen(QPen(QColor(self._theme.text), 1))
            p.setBrush(c)
            mid = (top + bottom) / 2
            if shape == "square":
                p.drawRect(QRect(int(x - size * 0.8), int(mid - size * 0.8), int(size * 1.6), int(size * 1.6)))
            elif shape == "circle":
                p.drawEllipse(QPointF(x, mid), size * 0.85, size * 0.85)
            elif shape == "diamond":
                p.drawPolygon(QPolygonF([QPointF(x, top), QPointF(x + size, mid), QPointF(x, bottom),
                                         QPointF(x - size, mid)]))
            else:
                p.drawPolygon(QPolygonF([QPointF(x, top), QPointF(x + size, bottom), QPointF(x - size, bottom)]))
        p.end()

    def marker_at(self, x: float) -> tuple[int, str, str] | None:
        best = None
        for marker in self._markers:
            d = abs(self.x_of(marker[0]) - x)
            if d <= self._marker_size() + 2 and (best is None or d < best[0]):
                best = (d, marker)
        return best[1] if best else None

    def event(self, e) -> bool:
        if e.type() == QEvent.ToolTip:
            top, _ = self._marker_row()
            marker = self.marker_at(e.pos().x()) if e.pos().y() >= top - 4 else None
            if marker is not None:
                QToolTip.showText(e.globalPos(), marker[2], self)
            else:
                QToolTip.showText(e.globalPos(), self.toolTip(), self) if self.toolTip() else QToolTip.hideText()
            return True
        return super().event(e)

    def mousePressEvent(self, e) -> None:
        if e.button() == Qt.LeftButton and self.maximum() > self.minimum():
            _, handle = self._geometry()
            if not handle.contains(e.position().toPoint()):
                self.setValue(self.value_at(e.position().x()))  # jump here, then drag the handle
        super().mousePressEvent(e)


class ReplayControls(QWidget):
    """Play/pause, slider, "12.3 s / 45.6 s", speed and "Next fault" for a ``ReplayBridge``."""

    def __init__(self, bridge, parent=None):
        super().__init__(parent)
        self.bridge = bridge
        self._theme = th.NORMAL
        self.setObjectName("replay_controls")

        self.act_play = QAction(self.tr("Play"), self)
        self.act_play.setShortcut(QKeySequence(Qt.Key_Space))
        self.act_play.setShortcutContext(Qt.WindowShortcut)
        self.act_play.triggered.connect(self.bridge.toggle_play)
        self.act_next_fault = QAction(self.tr("Next fault"), self)
        self.act_next_fault.setShortcut(QKeySequence(Qt.Key_F))
        self.act_next_fault.setShortcutContext(Qt.WindowShortcut)
        self.act_next_fault.setToolTip(self.tr("Jump to the next fault: a kill, pause, corrupted replica or slowed disk (F)"))
        self.act_next_fault.triggered.connect(self.bridge.jump_to_next_fault)
        self.act_start = QAction(self.tr("Start"), self)
        self.act_start.setShortcut(QKeySequence(Qt.Key_Home))
        self.act_start.setShortcutContext(Qt.WindowShortcut)
        self.act_start.setToolTip(self.tr("Back to the start of the recording (Home)"))
        self.act_start.triggered.connect(lambda: self.bridge.seek(0.0))
        for action in (self.act_play, self.act_next_fault, self.act_start):
            self.addAction(action)

        self.badge = QLabel(self.tr("REPLAY"), self)
        self.badge.setObjectName("replay_badge")
        self.badge.setToolTip(self.tr("A recorded run: no cluster is running"))
        self.start_button = QToolButton(self)
        self.start_button.setDefaultAction(self.act_start)
        self.play_button = QToolButton(self)
        self.play_button.setDefaultAction(self.act_play)
        self.play_button.setObjectName("replay_play")
        self.slider = FaultSlider(self)
        self.slider.setToolTip(self.tr("Drag to any moment of the recording"))
        self.slider.setRange(0, max(0, int(round(bridge.duration * MS))))
        self.time_label = QLabel(self)
        self.time_label.setObjectName("replay_time")
        self.time_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.time_label.setToolTip(self.tr("Cluster time of the recorded run: now / total"))
        self.speed_combo = QComboBox(self)
        self.speed_combo.setToolTip(self.tr("Playback speed"))
        for speed in SPEEDS:
            self.speed_combo.addItem(self.tr("{0}x").format(f"{speed:g}"), speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.next_fault_button = QToolButton(self)
        self.next_fault_button.setDefaultAction(self.act_next_fault)
        for button in (self.start_button, self.play_button, self.next_fault_button):
            button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)

        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(8)
        layout.addWidget(self.badge)
        layout.addWidget(self.start_button)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)
        layout.addWidget(self.speed_combo)
        layout.addWidget(self.next_fault_button)

        self._seek_timer = QTimer(self)  # coalesces the seeks of a fast drag
        self._seek_timer.setSingleShot(True)
        self._seek_timer.setInterval(0)
        self._seek_timer.timeout.connect(self._seek_to_slider)
        self.slider.valueChanged.connect(self._slider_moved)
        self.speed_combo.activated.connect(lambda _: self.bridge.set_speed(self.speed_combo.currentData()))
        bridge.position_changed.connect(self._on_position)
        bridge.playing_changed.connect(self._on_playing)
        bridge.speed_changed.connect(self._on_speed)
        self.slider.set_markers(self._fault_markers())
        self.set_theme(th.NORMAL)
        self._on_playing(bridge.playing)
        self._on_position(bridge.clock())

    # -- text -----------------------------------------------------------------------------

    def time_text(self, t: float | None = None) -> str:
        t = self.bridge.clock() if t is None else t
        return self.tr("{now} s / {total} s").format(now=f"{t:.1f}", total=f"{self.bridge.duration:.1f}")

    def _fault_markers(self) -> list:
        words = {"node_killed": self.tr("{t} s: node {node} killed (SIGKILL)"),
                 "node_paused": self.tr("{t} s: node {node} paused (SIGSTOP)"),
                 "replica_corrupted": self.tr("{t} s: a replica of block {block} corrupted on node {node}"),
                 "node_disk_speed": self.tr("{t} s: node {node}'s disk slowed to {mbps} MB/s")}
        out = []
        for t, e in self.bridge.faults:
            mbps = getattr(e, "mbps", None)
            text = words.get(e.kind, self.tr("{t} s: {kind} on node {node}")).format(
                t=f"{t:.1f}", node=getattr(e, "node", "?"), block=getattr(e, "block", "?"), kind=e.kind,
                mbps="∞" if mbps is None else f"{mbps:g}")
            out.append((int(round(t * MS)), e.kind, text))
        return out

    def _fit_time_label(self) -> None:
        # wide enough for any time of this recording, so the slider does not jitter
        widest = self.time_text(self.bridge.duration).replace(" /", "0 /")
        font = self._theme.font(TIME_SCALE, bold=True)
        self.time_label.setMinimumWidth(QFontMetrics(font).horizontalAdvance(widest) + 12)

    def set_theme(self, theme: th.Theme) -> None:
        """Sizes and colours of the theme (the app's style sheet sets every widget's font
        size, so the larger ones are set by style sheet here too)."""
        self._theme = theme
        self.slider.set_theme(theme)
        pt = f"{theme.base_pt * TIME_SCALE:g}pt"
        handle = 14 if theme.name != "lecture" else 20
        badge_text = "white" if theme.name != "lecture" else theme.window  # >= 4.5:1 on the accent
        self.setStyleSheet(
            f"QLabel#replay_time {{ font-size: {pt}; font-weight: bold; }}"
            f" QToolButton#replay_play {{ font-size: {pt}; font-weight: bold; }}"
            f" QLabel#replay_badge {{ background: {theme.accent}; color: {badge_text}; font-weight: bold;"
            f" padding: 3px 8px; border-radius: 4px; }}"
            f" QSlider::groove:horizontal {{ height: 6px; background: {theme.grid}; border-radius: 3px; }}"
            f" QSlider::sub-page:horizontal {{ background: {theme.accent}; border-radius: 3px; }}"
            f" QSlider::handle:horizontal {{ background: {theme.panel}; border: 2px solid {theme.accent};"
            f" width: {handle}px; margin: -{handle // 2 - 2}px 0; border-radius: {handle // 2 + 1}px; }}"
            f" QSlider::handle:horizontal:hover {{ background: {theme.accent}; }}")
        bold = QFontMetrics(theme.font(TIME_SCALE, bold=True))
        self.play_button.setMinimumWidth(max(bold.horizontalAdvance(self.tr("Pause")),
                                             bold.horizontalAdvance(self.tr("Play"))) + 48)
        self._fit_time_label()
        icon_px = int(theme.base_pt * 1.5)
        for button in (self.start_button, self.play_button, self.next_fault_button):
            button.setIconSize(QSize(icon_px, icon_px))
        self.act_start.setIcon(media_icon("start", theme.text))
        self.act_next_fault.setIcon(media_icon("next", theme.text))
        self._on_playing(self.bridge.playing)

    # -- bridge -> widgets ----------------------------------------------------------------

    def _on_position(self, t: float) -> None:
        self.time_label.setText(self.time_text(t))
        if not self.slider.isSliderDown() and not self._seek_timer.isActive():
            self.slider.blockSignals(True)
            self.slider.setValue(int(round(t * MS)))
            self.slider.blockSignals(False)
        self.act_next_fault.setEnabled(self.bridge.next_fault_time(t) is not None)

    def _on_playing(self, playing: bool) -> None:
        self.act_play.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.act_play.setIcon(media_icon("pause" if playing else "play", self._theme.text))
        self.act_play.setToolTip(self.tr("Pause the replay (Space)") if playing
                                 else self.tr("Play the recording (Space)"))

    def _on_speed(self, speed: float) -> None:
        index = self.speed_combo.findData(speed)
        if index >= 0 and index != self.speed_combo.currentIndex():
            self.speed_combo.setCurrentIndex(index)

    # -- widgets -> bridge ----------------------------------------------------------------

    def _slider_moved(self, value: int) -> None:
        self.time_label.setText(self.time_text(value / MS))
        self._seek_timer.start()

    def _seek_to_slider(self) -> None:
        self.bridge.seek(self.slider.value() / MS)

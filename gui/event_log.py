"""The event log: what happened, when, on which node, in one line each.

Rows come from two sources in one stream: engine events described by
``gui.describe.describe`` and the node processes' own log records (``log_message`` events,
carried to the parent by multiprocessing-logging). ``EventLogModel`` keeps at most
``max_rows`` rows, appended with ``beginInsertRows`` as ``bridge.updated`` batches arrive and
dropped from the oldest end in chunks so a long run stays fast. ``LogFilter`` (a
``QSortFilterProxyModel``) shows the rows of one node (or of the engine) at or above a
minimum level. The view follows the newest row unless the user has scrolled up.

Tests use ``row_count()`` and ``rows()`` (the rows visible through the filter), never pixels.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QModelIndex, Qt

from . import theme as th
from .describe import LEVELS, describe, health_entry, level_of, level_rank, node_of, nodes_of

MAX_ROWS = 10_000
DROP_CHUNK = 1_000  # rows dropped at once when the cap is reached
CELL_PAD = 6  # pixels of space left and right of every cell's text

# Warning text: amber, darker on the light theme so it reads as text (>= 4.5:1 on white).
WARNING_TEXT = {"normal": "#9A5B00", "lecture": "#FFC233"}
LEVEL_MARK = {"WARNING": "⚠", "ERROR": "✖", "CRITICAL": "✖"}

ENGINE = "engine"  # node filter value for rows that belong to no node

COL_TIME, COL_NODE, COL_LEVEL, COL_MESSAGE = range(4)


class EventLogModel(QtCore.QAbstractTableModel):
    """Rows of (t, node, level, text, nodes involved, level rank), oldest first."""

    def __init__(self, parent=None, max_rows: int = MAX_ROWS, drop_chunk: int = DROP_CHUNK):
        super().__init__(parent)
        self.max_rows = max(1, int(max_rows))
        self.drop_chunk = max(1, min(int(drop_chunk), self.max_rows))
        self.entries: list[tuple] = []
        self.compact = False  # level column hidden: its mark leads the message instead
        self.dropped = 0  # rows dropped from the oldest end since the last clear
        self._theme = th.NORMAL
        self._brushes: dict = {}
        self._error_background = None
        self._bold = QtGui.QFont()
        self._bold.setBold(True)
        self._headers = (self.tr("Time"), self.tr("Node"), self.tr("Level"), self.tr("Message"))
        self._level_names = {"DEBUG": self.tr("DEBUG"), "INFO": self.tr("INFO"),
                             "WARNING": self.tr("WARNING"), "ERROR": self.tr("ERROR"),
                             "CRITICAL": self.tr("CRITICAL")}
        self._engine = self.tr("Engine")
        self._node_fmt = self.tr("Node {0}")
        self._time_fmt = self.tr("{0:.2f} s")
        self.set_theme(th.NORMAL)

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if section == COL_TIME else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        t, node, level, text, _nodes, _rank = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                return self.time_text(t)
            if column == COL_NODE:
                return self.node_name(node)
            if column == COL_LEVEL:
                return self.level_text(level)
            mark = LEVEL_MARK.get(level) if self.compact else None
            return f"{mark} {text}" if mark else text
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brushes.get(level)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._error_background if level in ("ERROR", "CRITICAL") else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if level in ("ERROR", "CRITICAL") and column == COL_LEVEL else None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_MESSAGE:
            return f"{self.level_text(level)}: {text}" if self.compact else text
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_TIME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- content --------------------------------------------------------------------------

    def node_name(self, node: int | None) -> str:
        return self._engine if node is None else self._node_fmt.format(node)

    def time_text(self, t: float) -> str:
        return self._time_fmt.format(t)

    def level_text(self, level: str) -> str:
        """The level word, marked ⚠ or ✖ so it never relies on colour alone."""
        name = self._level_names.get(level, level)
        mark = LEVEL_MARK.get(level)
        return f"{mark} {name}" if mark else name

    def append(self, entries: list[tuple]) -> None:
        """Add rows at the end, first dropping the oldest rows (a whole number of chunks)
        if the cap would be exceeded."""
        if not entries:
            return
        if len(entries) > self.max_rows:
            self.dropped += len(entries) - self.max_rows
            entries = entries[-self.max_rows:]
        excess = len(self.entries) + len(entries) - self.max_rows
        if excess > 0:
            chunks = -(-excess // self.drop_chunk)
            drop = min(len(self.entries), chunks * self.drop_chunk)
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            del self.entries[:drop]
            self.dropped += drop
            self.endRemoveRows()
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.entries = []
        self.dropped = 0
        self.endResetModel()

    def set_theme(self, theme: th.Theme) -> None:
        self._theme = theme
        self._brushes = {
            "DEBUG": QtGui.QBrush(QtGui.QColor(theme.muted)),
            "INFO": QtGui.QBrush(QtGui.QColor(theme.text)),
            "WARNING": QtGui.QBrush(QtGui.QColor(WARNING_TEXT.get(theme.name, WARNING_TEXT["normal"]))),
            "ERROR": QtGui.QBrush(QtGui.QColor(theme.danger)),
            "CRITICAL": QtGui.QBrush(QtGui.QColor(theme.danger)),
        }
        tint = QtGui.QColor(theme.danger)
        tint.setAlpha(40 if theme.name == "lecture" else 22)
        self._error_background = QtGui.QBrush(tint)
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, 3))


class LogFilter(QtCore.QSortFilterProxyModel):
    """Rows of one node (an int), of the engine (``ENGINE``) or of all (None), at or above a
    minimum level. Never sorts: rows stay in arrival order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.node = None
        self.min_rank = level_rank("INFO")

    def set_filter(self, node=..., min_level: str | None = None) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        if node is not ...:
            self.node = node
        if min_level is not None:
            self.min_rank = level_rank(min_level)
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        _t, node, _level, _text, nodes, rank = self.sourceModel().entries[source_row]
        if rank < self.min_rank:
            return False
        if self.node is None:
            return True
        if self.node == ENGINE:
            return node is None
        return self.node in nodes


class EventLogView(QtWidgets.QWidget):
    """The event log with its node and level filters."""

    def __init__(self, bridge, parent=None, theme: th.Theme | None = None, max_rows: int = MAX_ROWS):
        super().__init__(parent)
        self.bridge = bridge
        self.theme = theme or th.NORMAL
        self._known_nodes: set[int] = set()
        self._last_health = None
        self._follow = True
        self._column_widths = {COL_TIME: 0, COL_NODE: 0, COL_LEVEL: 0}

        self.model = EventLogModel(self, max_rows=max_rows)
        self.proxy = LogFilter(self)
        self.proxy.setSourceModel(self.model)

        self.title = QtWidgets.QLabel(self.tr("Event log"), self)
        self.title.setObjectName("log_title")
        self.node_combo = QtWidgets.QComboBox(self)
        self.node_combo.setToolTip(self.tr("Show the events of one node only"))
        self.node_combo.addItem(self.tr("All nodes"), None)
        self.node_combo.addItem(self.tr("Engine"), ENGINE)
        self.node_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.level_combo = QtWidgets.QComboBox(self)
        self.level_combo.setToolTip(self.tr("Show events at or above this level"))
        level_names = {"DEBUG": self.tr("≥ DEBUG"), "INFO": self.tr("≥ INFO"),
                       "WARNING": self.tr("≥ WARNING"), "ERROR": self.tr("≥ ERROR")}
        for level in LEVELS:
            self.level_combo.addItem(level_names[level], level)
        self.level_combo.setCurrentIndex(LEVELS.index("INFO"))
        self.count_label = QtWidgets.QLabel(self)
        self.count_label.setObjectName("log_count")
        self.newest_button = QtWidgets.QToolButton(self)
        self.newest_button.setText(self.tr("Newest ↓"))
        self.newest_button.setToolTip(self.tr("Scroll to the newest event and keep following"))
        self.newest_button.hide()  # shown while the user has scrolled away from the newest row

        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerItem)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (COL_TIME, COL_NODE, COL_LEVEL):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.copy_action = QtGui.QAction(self.tr("Copy"), self.table)
        self.copy_action.setShortcut(QtGui.QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.table.addAction(self.copy_action)

        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.node_combo)
        bar.addWidget(self.level_combo)
        bar.addWidget(self.newest_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.node_combo.currentIndexChanged.connect(self._filter_changed)
        self.level_combo.currentIndexChanged.connect(self._filter_changed)
        self.newest_button.clicked.connect(self.scroll_to_newest)
        self.table.viewport().installEventFilter(self)
        scroll = self.table.verticalScrollBar()
        scroll.valueChanged.connect(self._scrolled)
        scroll.rangeChanged.connect(self._range_changed)

        bridge.updated.connect(self.on_events)
        reset = getattr(bridge, "cluster_reset", None)
        if reset is not None:
            reset.connect(self.clear)

        self.set_theme(self.theme)
        self.on_events(list(getattr(bridge, "recorded", ()) or ()))
        self._update_count()

    # -- events ---------------------------------------------------------------------------

    def on_events(self, events) -> None:
        entries = []
        for event in events:
            kind = event.kind
            if kind == "metrics_sample":  # the most frequent kind, never logged
                continue
            if kind == "health_changed":
                level, text = health_entry(event, self._last_health)
                self._last_health = event
            else:
                text = describe(event)
                if text is None:
                    continue
                level = level_of(event)
            entries.append((event.t, node_of(event), level, text, nodes_of(event), level_rank(level)))
        if not entries:
            return
        self._add_nodes(n for entry in entries for n in entry[4])
        self.model.append(entries)
        self._update_count()

    def clear(self) -> None:
        """Forget every row (a new cluster starts a new log)."""
        self.model.clear()
        self._last_health = None
        self._known_nodes.clear()
        keep = self.node_combo.currentData()
        self.node_combo.blockSignals(True)
        while self.node_combo.count() > 2:
            self.node_combo.removeItem(2)
        self.node_combo.blockSignals(False)
        if keep not in (None, ENGINE):  # the node may come back in the new cluster
            self._add_nodes([keep])
            self.node_combo.setCurrentIndex(self.node_combo.findData(keep))
        self._set_follow(True)
        self._update_count()

    def _add_nodes(self, nodes) -> None:
        new = set(nodes) - self._known_nodes
        if not new:
            return
        for node in sorted(new):
            self._known_nodes.add(node)
            position = 2 + sorted(self._known_nodes).index(node)
            self.node_combo.insertItem(position, self.model.node_name(node), node)

    # -- filters and scrolling ------------------------------------------------------------

    def set_node_filter(self, node) -> None:
        """None for all nodes, ``ENGINE`` ("engine") for the engine's own rows, or a node id."""
        if node not in (None, ENGINE):
            self._add_nodes([node])
        self.node_combo.setCurrentIndex(self.node_combo.findData(node))

    def set_min_level(self, level: str) -> None:
        self.level_combo.setCurrentIndex(LEVELS.index(level.upper()))

    def _filter_changed(self, _index=None) -> None:
        self.proxy.set_filter(node=self.node_combo.currentData(), min_level=self.level_combo.currentData())
        self._update_count()
        if self._follow:
            self.table.scrollToBottom()

    def _scrolled(self, value: int) -> None:
        self._set_follow(value >= self.table.verticalScrollBar().maximum() - 2)

    def _set_follow(self, follow: bool) -> None:
        self._follow = follow
        if self.newest_button.isHidden() != follow:
            self.newest_button.setHidden(follow)
            self._fit_bar()

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.table.verticalScrollBar().setValue(maximum)

    def scroll_to_newest(self) -> None:
        self._set_follow(True)
        self.table.scrollToBottom()

    def following(self) -> bool:
        """True while the view keeps the newest row in sight."""
        return self._follow

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(self.tr("{0} events").format(total))
        else:
            self.count_label.setText(self.tr("{0} of {1} shown").format(shown, total))
        self._fit_bar()

    def _fit_bar(self) -> None:
        """In a narrow panel the filters keep their room: the event count goes first, then
        the title."""
        layout = self.layout()
        if layout is None:
            return
        bar = layout.itemAt(0).layout()
        margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        fixed = [self.node_combo, self.level_combo]
        if not self.newest_button.isHidden():
            fixed.append(self.newest_button)
        need = sum(w.sizeHint().width() for w in fixed) + bar.spacing() * (len(fixed) + 2)
        title, count = self.title.sizeHint().width(), self.count_label.sizeHint().width()
        self.title.setHidden(room < need + title)
        self.count_label.setHidden(room < need + title + count)

    def _fit_columns(self) -> None:
        """In a narrow panel the message keeps at least half the width: the level column is
        hidden and its mark (⚠, ✖) leads the message instead."""
        room = self.table.viewport().width()
        meta = self._column_widths[COL_TIME] + self._column_widths[COL_NODE]
        compact = room - meta - self._column_widths[COL_LEVEL] < 0.5 * room
        if compact != self.model.compact:
            self.model.compact = compact
            self.table.setColumnHidden(COL_LEVEL, compact)
            if self.model.entries:
                self.model.dataChanged.emit(self.model.index(0, COL_MESSAGE),
                                            self.model.index(len(self.model.entries) - 1, COL_MESSAGE))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_bar()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def copy_selection(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})
        lines = []
        for row in rows:
            lines.append("\t".join(str(self.proxy.index(row, c).data() or "") for c in range(4)))
        if lines:
            QtWidgets.QApplication.clipboard().setText("\n".join(lines))

    # -- look -----------------------------------------------------------------------------

    def set_theme(self, theme: th.Theme) -> None:
        """Normal or lecture look: colours of the levels and the font size of every row."""
        self.theme = theme
        self.model.set_theme(theme)
        pt = theme.base_pt
        select = theme.accent
        self.setStyleSheet(theme.stylesheet() + f"""
            QTableView {{ font-size: {pt}pt; selection-background-color: {select};
                          selection-color: white; border: 1px solid {theme.grid}; }}
            QTableView::item {{ padding: 0px {CELL_PAD}px; }}
            QHeaderView::section {{ font-size: {pt}pt; font-weight: bold; padding: 3px {CELL_PAD}px; }}
            QLabel {{ background: transparent; }}
            QLabel#log_title {{ font-size: {pt * 1.1:g}pt; font-weight: bold; }}
            QLabel#log_count {{ color: {theme.muted}; }}
            QToolButton:disabled {{ color: {theme.muted}; }}
        """)
        font = theme.font()
        self.table.setFont(font)
        metrics = QtGui.QFontMetrics(font)
        self.table.verticalHeader().setDefaultSectionSize(int(metrics.height() * 1.4) + 2)
        bold = QtGui.QFontMetrics(theme.font(bold=True))  # the header is bold
        pad = 2 * CELL_PAD + metrics.horizontalAdvance("0")

        def width(column, *cells):  # widest of the cells and the (bold) header
            header_text = self.model.headerData(column, Qt.Orientation.Horizontal)
            return max([metrics.horizontalAdvance(c) for c in cells] + [bold.horizontalAdvance(header_text)]) + pad
        self._column_widths = {
            COL_TIME: width(COL_TIME, self.model.time_text(1000.0)),
            COL_NODE: width(COL_NODE, self.model.node_name(88), self.model.node_name(None)),
            COL_LEVEL: width(COL_LEVEL, *(self.model.level_text(level) for level in
                                          ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))),
        }
        for column, pixels in self._column_widths.items():
            self.table.setColumnWidth(column, pixels)
        self._fit_columns()
        self._fit_bar()
        if self._follow:
            self.table.scrollToBottom()

    # -- introspection for tests ----------------------------------------------------------

    def row_count(self) -> int:
        """Rows visible through the current filters."""
        return self.proxy.rowCount()

    def rows(self) -> list[tuple]:
        """The visible rows as (t, node or None, level, text), oldest first."""
        entries = self.model.entries
        out = []
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0)).row()
            t, node, level, text = entries[source][:4]
            out.append((t, node, level, text))
        return out

"""The main window's actions, menus and toolbar: each action with its label, shortcut and tip,
connected to the window's method of the same job; the toolbar's inputs (word, ignore case,
top K, slow motion). Labels are translated in the ``MainWindow`` context."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QToolBar

from .i18n import LANGUAGES, current_language, translate
from .run_controller import SLOW_MOTION


def make_action(window, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.triggered.connect(slot)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        # The window's own shortcuts: a replay window beside the live one must not
        # reset or kill the live cluster.
        action.setShortcutContext(Qt.WindowShortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    return action


def build_actions(window) -> None:
    """``window.act_*`` and ``window.node_actions`` (kill, pause, restart, corrupt)."""
    w, a = window, make_action
    w.act_open = a(w, translate("MainWindow", "Open…"), w.open_file, QKeySequence.Open,
                   translate("MainWindow", "Choose a UTF-8 text file to store"))
    w.act_generate = a(w, translate("MainWindow", "Generate…"), w.generate_corpus, "Ctrl+G",
                       translate("MainWindow", "Generate seeded sample text"))
    w.act_store = a(w, translate("MainWindow", "Store"), w.store, "Ctrl+S",
                    translate("MainWindow", "Cut the file into blocks and write each to 3 nodes"))
    w.act_count = a(w, translate("MainWindow", "Count"), w.run_count, "Ctrl+Return",
                    translate("MainWindow", "Count the word, one task per block, on the nodes that hold it"))
    w.act_wordcount = a(w, translate("MainWindow", "Wordcount"), w.run_wordcount, "Ctrl+W",
                        translate("MainWindow", "Top words with map, combine, shuffle, reduce"))
    w.act_add = a(w, translate("MainWindow", "Add node"), w.bridge.add_node, "Ctrl+N",
                  translate("MainWindow", "Start one more data node"))
    w.act_reset = a(w, translate("MainWindow", "Reset"), w.reset_cluster, "Ctrl+R",
                    translate("MainWindow", "Stop every node and start a fresh cluster"))
    w.act_settings = a(w, translate("MainWindow", "Settings…"), w.open_settings, "Ctrl+,",
                       translate("MainWindow", "Nodes, replication, block size, slots, disk speed, heartbeat "
                                               "and failure detection of the cluster, then start it"))
    w.act_freeze = a(w, translate("MainWindow", "Pause cluster"), w.toggle_freeze, "Space",
                     translate("MainWindow", "Stop (SIGSTOP) every node and the failure detector; again to resume"))
    w.act_freeze.setCheckable(True)
    w.act_demo = a(w, translate("MainWindow", "Play demo"), w.start_demo, "Ctrl+D",
                   translate("MainWindow", "Store the sample, count, kill node 2 mid-job, recover"))
    w.act_tour = a(w, translate("MainWindow", "Guided tour"), lambda: w.start_tour(), "T",
                   translate("MainWindow", "The lecture's argument step by step, live: one disk is too slow, read "
                                           "many at once, replicas, computation to the data, failure"))
    w.act_tour_next = a(w, translate("MainWindow", "Next tour step"), w.tour_next, QKeySequence.MoveToNextPage)
    w.act_tour_back = a(w, translate("MainWindow", "Previous tour step"), w.tour_back, QKeySequence.MoveToPreviousPage)
    # While the tour is open, the arrow keys (and a clicker's '.' and 'b') move it too.
    w.act_tour_next_keys = a(w, translate("MainWindow", "Next tour step"), w.tour_next)
    w.act_tour_next_keys.setShortcuts([QKeySequence(Qt.Key_Right), QKeySequence(Qt.Key_Down), QKeySequence(".")])
    w.act_tour_back_keys = a(w, translate("MainWindow", "Previous tour step"), w.tour_back)
    w.act_tour_back_keys.setShortcuts([QKeySequence(Qt.Key_Left), QKeySequence(Qt.Key_Up), QKeySequence("B")])
    w.act_tour_leave = a(w, translate("MainWindow", "Leave the tour"), w.leave_tour, Qt.Key_Escape)
    for action in (w.act_tour_next, w.act_tour_back, w.act_tour_next_keys, w.act_tour_back_keys,
                   w.act_tour_leave):
        action.setShortcutContext(Qt.WindowShortcut)
        w.addAction(action)  # keys of the window, not of a menu
    set_tour_keys(w, False)
    w.act_lecture = a(w, translate("MainWindow", "Lecture mode"), w.toggle_lecture_mode, "F11",
                      translate("MainWindow", "Full screen, large fonts, high contrast"))
    w.act_lecture.setCheckable(True)
    w.act_help = a(w, translate("MainWindow", "Shortcuts"), w.show_help, QKeySequence.HelpContents)
    w.act_export_png = a(w, translate("MainWindow", "Export plots as PNG…"), w.export_plots)
    w.act_export_csv = a(w, translate("MainWindow", "Export metrics as CSV…"), w.export_metrics)
    w.act_export_jsonl = a(w, translate("MainWindow", "Export events as JSON Lines…"), w.export_events)
    w.act_screenshot = a(w, translate("MainWindow", "Save window as PNG…"), w.save_screenshot_dialog)
    w.act_save_recording = a(w, translate("MainWindow", "Save recording…"), w.save_recording_dialog,
                             "Ctrl+Shift+S",
                             translate("MainWindow", "Save this run's events (and verdicts) to replay later "
                                                     "without a cluster"))
    w.act_open_recording = a(w, translate("MainWindow", "Open recording…"), w.open_recording_dialog,
                             "Ctrl+Shift+O", translate("MainWindow", "Replay a saved run in a new window"))
    w.act_open_scenario = a(w, translate("MainWindow", "Open scenario…"), w.open_scenario_dialog, "Ctrl+Shift+E",
                            translate("MainWindow", "Play a failure-injection scenario (TOML) live"))
    w.act_quit = a(w, translate("MainWindow", "Quit"), w.close, QKeySequence.Quit)
    w.node_actions = {
        "kill": a(w, translate("MainWindow", "Kill selected node (SIGKILL)"),
                  lambda: w.act_on_selected("kill"), "K"),
        "pause": a(w, translate("MainWindow", "Pause / resume selected node"),
                   lambda: w.act_on_selected("pause"), "P"),
        "restart": a(w, translate("MainWindow", "Restart selected node"),
                     lambda: w.act_on_selected("restart"), "R"),
        "corrupt": a(w, translate("MainWindow", "Corrupt a replica on selected node"),
                     lambda: w.act_on_selected("corrupt"), "C"),
    }
    for action in w.node_actions.values():
        action.setShortcutContext(Qt.WindowShortcut)


def set_toolbar_rows(window, lecture: bool) -> None:
    """One row of controls, or two in lecture mode (so that none is cut off at 1280 px)."""
    if lecture:
        window.insertToolBarBreak(window.cluster_bar)
    else:
        window.removeToolBarBreak(window.cluster_bar)


def set_tour_keys(window, open_: bool) -> None:
    """The arrow keys, '.', 'b' and Esc belong to the tour while it is open (else to the
    cluster view's selection); PageDown and PageUp always do."""
    for action in (window.act_tour_next_keys, window.act_tour_back_keys, window.act_tour_leave):
        action.setEnabled(open_)


def build_menus(window) -> None:
    w = window
    bar = w.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    for action in (w.act_open, w.act_generate, w.act_open_scenario, None,
                   w.act_save_recording, w.act_open_recording,
                   None, w.act_export_png, w.act_export_csv,
                   w.act_export_jsonl, w.act_screenshot, None, w.act_quit):
        file_menu.addSeparator() if action is None else file_menu.addAction(action)
    cluster_menu = bar.addMenu(translate("MainWindow", "&Cluster"))
    for action in (w.act_store, w.act_count, w.act_wordcount, None, w.act_settings, w.act_add,
                   w.act_reset, w.act_freeze, None, w.act_demo):
        cluster_menu.addSeparator() if action is None else cluster_menu.addAction(action)
    node_menu = bar.addMenu(translate("MainWindow", "&Node"))
    for action in w.node_actions.values():
        node_menu.addAction(action)
    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    view_menu.addAction(w.act_lecture)
    language_menu = view_menu.addMenu(translate("MainWindow", "Language"))
    group = QActionGroup(w)
    current = current_language()
    w.language_actions = {}
    for code, name in LANGUAGES.items():
        action = QAction(name, w, checkable=True)
        action.setChecked(code == current)
        action.triggered.connect(lambda _=False, c=code: w.set_language(c))
        group.addAction(action)
        language_menu.addAction(action)
        w.language_actions[code] = action
    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    help_menu.addAction(w.act_tour)
    help_menu.addAction(w.act_help)


def build_toolbar(window) -> None:
    """``window.controls_bar`` with the actions and the job inputs: ``word_edit``,
    ``ignore_case``, ``top_spin`` and ``slow_combo``."""
    w = window
    bar = QToolBar(translate("MainWindow", "Controls"))
    w.controls_bar = bar
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
    w.addToolBar(bar)
    bar.addAction(w.act_open)
    bar.addAction(w.act_generate)
    bar.addAction(w.act_store)
    bar.addSeparator()
    w.word_edit = QLineEdit("data")
    w.word_edit.setPlaceholderText(translate("MainWindow", "word"))
    w.word_edit.setMaximumWidth(160)
    w.word_edit.setToolTip(translate("MainWindow", "The word to count (one word)"))
    w.word_edit.returnPressed.connect(w.run_count)
    bar.addWidget(w.word_edit)
    w.ignore_case = QCheckBox(translate("MainWindow", "ignore case"))
    bar.addWidget(w.ignore_case)
    bar.addAction(w.act_count)
    bar.addSeparator()
    w.top_spin = QSpinBox()
    w.top_spin.setRange(1, 100)
    w.top_spin.setValue(10)
    w.top_spin.setPrefix(translate("MainWindow", "top "))
    bar.addWidget(w.top_spin)
    bar.addAction(w.act_wordcount)
    # The cluster's controls: a second bar, on a row of its own in lecture mode's large type.
    bar = QToolBar(translate("MainWindow", "Cluster controls"))
    w.cluster_bar = bar
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
    w.addToolBar(bar)
    bar.addAction(w.act_add)
    bar.addAction(w.act_reset)
    bar.addAction(w.act_freeze)
    w.slow_combo = QComboBox()
    for factor in SLOW_MOTION:
        w.slow_combo.addItem(translate("MainWindow", "{0}x slower").format(factor) if factor > 1
                             else translate("MainWindow", "normal speed"), factor)
    w.slow_combo.setToolTip(translate("MainWindow", "Slow motion: scales heartbeats, failure detection, disk "
                                                    "speed and animations together (resets the cluster)"))
    w.slow_combo.activated.connect(lambda _: w.set_slow_motion(w.slow_combo.currentData()))
    bar.addWidget(w.slow_combo)
    bar.addSeparator()
    bar.addAction(w.act_demo)
    bar.addAction(w.act_tour)
    bar.addAction(w.act_lecture)
    bar.addAction(w.act_help)

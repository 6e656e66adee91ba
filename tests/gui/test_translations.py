"""Every user-visible string has a Simplified Chinese translation, the compiled catalogue is the
one its source makes, and the window in Chinese shows no English words."""

import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QTabWidget, QWidget

from support import ROOT

I18N = os.path.join(ROOT, "assets", "i18n")
TS = os.path.join(I18N, "clusterscope_zh_CN.ts")
QM = os.path.join(I18N, "clusterscope_zh_CN.qm")


def tool(name: str) -> str:
    import sys
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.path.exists(path):
        pytest.skip(f"{name} is not installed beside this Python")
    return path


def messages(path: str) -> dict:
    """(context, source) -> (translation text, finished)."""
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") not in ("unfinished", "vanished",
                                                                                   "obsolete")
            out[(name, message.findtext("source"))] = ((translation.text or "") if translation is not None else "",
                                                       finished)
    return out


def test_every_string_of_the_sources_has_a_finished_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(os.path.join(ROOT, folder, f) for folder in ("gui", "cli")
                     for f in os.listdir(os.path.join(ROOT, folder)) if f.endswith(".py")) + [os.path.join(ROOT, "main.py")]
    subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(fresh), "-locations", "none", "-silent"],
                   check=True, capture_output=True, timeout=120)
    wanted = set(messages(str(fresh)))
    assert len(wanted) > 300  # lupdate found the strings (self.tr and translate)
    assert {"cli", "summary"} <= {context for context, _ in wanted}  # the command line's too
    assert ("", "") not in wanted and not [k for k in wanted if k[0] == ""], "a string with no context"
    have = messages(TS)
    missing = sorted(k for k in wanted if k not in have or not have[k][1] or not have[k][0].strip())
    assert missing == [], f"{len(missing)} strings without a Chinese translation (scripts/update-translations): " \
                          f"{missing[:10]}"


def test_translations_keep_every_placeholder():
    bad = []
    for (context, source), (text, _) in messages(TS).items():
        if sorted(re.findall(r"\{[^{}]*\}", source)) != sorted(re.findall(r"\{[^{}]*\}", text)):
            bad.append((context, source, text))
    assert bad == []


def test_the_compiled_catalogue_is_the_one_its_source_makes(tmp_path):
    compiled = tmp_path / "zh.qm"
    subprocess.run([tool("pyside6-lrelease"), TS, "-qm", str(compiled)], check=True, capture_output=True, timeout=60)
    with open(QM, "rb") as f:
        assert compiled.read_bytes() == f.read(), "assets/i18n/*.qm is stale: run scripts/update-translations"


# -- the window in Chinese ----------------------------------------------------------------------

# Words that stay as they are in Chinese text: names, signals, units, keys, formats.
KEPT = {"SIGKILL", "SIGSTOP", "SIGCONT", "MapReduce", "HDFS", "Spark", "RAID", "Map", "Reduce", "Shuffle",
        "Ctrl", "Shift", "Enter", "Home", "PageDown", "PageUp", "Esc", "Space", "PNG", "CSV", "JSON", "Lines",
        "TOML", "PID", "UTF", "MiB", "KiB", "GiB", "TiB", "MB", "GB", "TB", "ClusterScope", "English", "data",
        "sample", "txt", "jsonl", "toml", "png", "csv", "wordcount", "count", "grep", "wc", "top"}


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in KEPT]


def visible_texts(window) -> list[tuple[str, str]]:
    texts = [("title", window.windowTitle())]
    for menu_action in window.menuBar().actions():
        texts.append(("menu", menu_action.text()))
        for action in (menu_action.menu().actions() if menu_action.menu() else []):
            texts.append(("menu item", action.text()))
            texts.append(("tip", action.toolTip()))
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel):
            texts.append((type(widget).__name__, widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append(("button", widget.text()))
        elif isinstance(widget, QLineEdit):
            texts.append(("placeholder", widget.placeholderText()))
        elif isinstance(widget, QGroupBox):
            texts.append(("group", widget.title()))
        elif isinstance(widget, QTabWidget):
            texts += [("tab", widget.tabText(i)) for i in range(widget.count())]
        if widget.toolTip():
            texts.append(("tooltip", widget.toolTip()))
    for action in window.actions():
        texts.append(("action", action.text()))
    return texts


@pytest.fixture
def chinese():
    from gui import i18n
    i18n.install("zh_CN")
    yield
    i18n.install("en")


def test_the_window_in_chinese_shows_no_english_words(qtbot, chinese):
    from gui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.start_cluster()
    qtbot.waitUntil(lambda: len(w.bridge.state.nodes) == w.bridge.config.nodes
                    and all(n.state == "alive" for n in w.bridge.state.nodes.values()), timeout=20000)
    english = [(kind, text) for kind, text in visible_texts(w) if english_words(re.sub(r"<[^>]+>", "", text))]
    # The painted tiles and the tour's words too.
    english += [("tile", line) for line in w.cluster_view.tile_lines(0) if english_words(line)]
    w.close()
    assert english == []


def test_view_language_switches_the_open_window_and_keeps_its_cluster(qtbot):
    from gui import i18n
    from gui.main_window import MainWindow
    i18n.install("en")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.start_cluster()
    qtbot.waitUntil(lambda: len(w.bridge.state.nodes) == w.bridge.config.nodes
                    and all(n.state == "alive" for n in w.bridge.state.nodes.values()), timeout=20000)
    pids = dict(w.bridge.backend.node_pids())
    title = w.windowTitle()
    try:
        new = w.set_language("zh_CN")
        qtbot.addWidget(new)
        assert new is not w and new.isVisible() and not w.isVisible()
        assert new.windowTitle() != title and re.search(r"[\u4e00-\u9fff]", new.windowTitle())
        assert new.bridge is w.bridge and new.bridge.backend.node_pids() == pids  # the same processes
        assert new.language_actions["zh_CN"].isChecked()
        back = new.set_language("en")
        qtbot.addWidget(back)
        assert back.windowTitle() == title
    finally:
        i18n.install("en")
    backend = back.bridge.backend
    back.close()
    from support import wait_gone
    assert wait_gone(list(pids.values()), 5.0) == []
    assert backend.stopped


@pytest.mark.parametrize("command", [["gui"], ["replay", "r.jsonl"]])
@pytest.mark.parametrize("value", ["fr", "", "zh_TW_x"])
def test_a_language_without_a_catalogue_is_refused_in_one_line(command, value):
    import sys
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *command, "--lang", value],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--lang" in lines[0] and "zh_CN" in lines[0]

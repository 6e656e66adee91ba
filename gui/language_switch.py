"""View > Language: the open window in another language, its cluster untouched.

Qt widgets take their words when they are made, so the switch makes the window again in the
new language around the same bridge (the running cluster, its recorded events, its verdicts)
and hands it what the old one held: the file to store, the sample folder, the window's
cluster settings and slow motion, the look, the size, the tour at its step, the recordings
opened. The old window then closes without stopping anything; a caller holding it reaches
the new one through ``successor``."""

from __future__ import annotations

from . import i18n


def current(window):
    """The window that now stands for ``window`` (itself, or the one it was switched to)."""
    while getattr(window, "successor", None) is not None:
        window = window.successor
    return window


def switch_language(window, lang: str):
    """Install ``lang`` and return the window made again in it (``window`` itself if it is
    already in that language). ValueError if there is no catalogue for ``lang``."""
    lang = i18n.normalise(lang) or lang
    if lang == i18n.current_language() and lang in i18n.LANGUAGES:
        return window
    i18n.install(lang)
    bridge = window.bridge
    bridge.setParent(None)  # it outlives the old window
    tour = window.tour
    tour_open = tour is not None and window.tour_panel.isVisible()
    if tour is not None:
        tour.leave()
    new = type(window)(bridge=bridge, replay=window.replay)
    new.run.adopt(window.run)
    new.replay_windows = list(window.replay_windows)
    new.word_edit.setText(window.word_edit.text())
    new.ignore_case.setChecked(window.ignore_case.isChecked())
    new.top_spin.setValue(window.top_spin.value())
    new.slow_combo.setCurrentIndex(window.slow_combo.currentIndex())
    new.act_freeze.setChecked(window.act_freeze.isChecked())
    new.setGeometry(window.geometry())
    new.act_lecture.setChecked(window.act_lecture.isChecked())
    new.apply_theme(window.theme)
    if window.isFullScreen():
        new.showFullScreen()
    elif window.isVisible():
        new.show()
    if tour_open:
        new.start_tour(autoplay=tour.autoplay, step=tour.index, shape=tour.shape)
    window.successor = new
    window.close()
    return new

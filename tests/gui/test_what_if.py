"""The what-if panel: S / (N x B) for the cluster on screen, and for the user's own numbers."""

import math

import pytest

from engine import events as ev
from engine.view import ClusterState
from gui import theme
from gui.what_if import (DEFAULT_MBPS, WhatIfPanel, duration_parts, read_seconds, scaling_rows, size_parts,
                         speed_text)

MIB = 2 ** 20
BLOCK = 256 * 1024


def stored_cluster(nodes=6, blocks=32, mbps=1.0, replication=3):
    """Events of a cluster of ``nodes`` nodes whose disks run at ``mbps`` (None: unthrottled)
    that stored one file of ``blocks`` blocks of 256 KiB (32 blocks: 8 MiB)."""
    out = [ev.ClusterStarted(t=0.0, nodes=nodes, replication=replication, block_size=BLOCK, heartbeat=0.5,
                             dead_after=2.0, data_dir="/tmp/x", disk_mbps=mbps)]
    for n in range(nodes):
        out += [ev.NodeStarting(t=0.01, node=n, pid=1000 + n), ev.NodeStarted(t=0.02, node=n, pid=1000 + n)]
    block_list = tuple((b, b, BLOCK, f"{b:08x}") for b in range(blocks))
    out.append(ev.PutStarted(t=0.1, file="f.txt", size=BLOCK * blocks, blocks=blocks, block_list=block_list))
    for b in range(blocks):
        for k in range(replication):
            out.append(ev.BlockStored(t=0.2, block=b, node=(b + k) % nodes, size=BLOCK, source=None, purpose="put"))
    out.append(ev.PutFinished(t=0.3, file="f.txt", size=BLOCK * blocks, blocks=blocks, elapsed_s=0.2))
    return out


@pytest.fixture
def panel(qtbot, fake_bridge):
    p = WhatIfPanel(fake_bridge, size_hint=8 * MIB)
    qtbot.addWidget(p)
    p.resize(600, 400)
    p.show()
    return p


# -- the arithmetic ---------------------------------------------------------------------------

def test_one_terabyte_at_100_mb_s_is_2_8_hours_on_one_disk_and_100_s_on_100():
    assert read_seconds(10 ** 12, 100) == 10_000.0
    assert duration_parts(10_000.0) == ("2.8", "h")
    assert read_seconds(10 ** 12, 100, 100) == 100.0
    assert duration_parts(100.0) == ("100", "s")


def test_read_time_is_size_over_disks_times_speed():
    assert read_seconds(8 * MIB, 1.0) == 8.388608  # MB = 10**6 bytes, the disks' unit
    assert read_seconds(8 * MIB, 1.0, 6) == pytest.approx(8.388608 / 6, rel=1e-12)
    assert read_seconds(6_000_000, 2.0, 3) == 1.0
    assert read_seconds(0, 0.5, 4) == 0.0


@pytest.mark.parametrize("size, mbps, disks", [
    (-1, 1.0, 1), (math.nan, 1.0, 1), (1, 0, 1), (1, -2.0, 1), (1, math.inf, 1), (1, 1.0, 0),
    (1, 1.0, 1.5), (1, 1.0, True), ("1", 1.0, 1),
])
def test_impossible_inputs_are_refused(size, mbps, disks):
    with pytest.raises(ValueError):
        read_seconds(size, mbps, disks)


@pytest.mark.parametrize("seconds, parts", [
    (0.0123, ("12", "ms")), (0.168, ("0.17", "s")), (1.0, ("1", "s")), (8.388608, ("8.4", "s")),
    (119.0, ("119", "s")), (150.0, ("2.5", "min")), (30 * 3600.0, ("30", "h")), (3 * 86400.0, ("3", "days")),
])
def test_durations_are_rounded_for_people(seconds, parts):
    assert duration_parts(seconds) == parts


@pytest.mark.parametrize("size, parts", [
    (8 * MIB, ("8.4", "MB")), (10 ** 12, ("1", "TB")), (999, ("999", "B")), (168_000, ("168", "kB")),
    (1.5e9, ("1.5", "GB")), (2.5e15, ("2.5", "PB")),
])
def test_sizes_are_in_decimal_units_like_the_speed(size, parts):
    assert size_parts(size) == parts


def test_table_rows_for_one_n_ten_n_and_a_hundred_n_disks():
    assert scaling_rows(8e6, 1.0, 4) == [(1, 8e6, 8.0), (4, 2e6, 2.0), (40, 2e5, 0.2), (400, 2e4, 0.02)]
    assert [n for n, _, _ in scaling_rows(1e6, 1.0, 1)] == [1, 10, 100]


def test_speeds_lose_needless_digits():
    assert [speed_text(x) for x in (1.0, 0.15, 2.5, 100.0, 0.1)] == ["1", "0.15", "2.5", "100", "0.1"]


# -- the panel over a cluster's events ------------------------------------------------------------

def test_states_the_arithmetic_for_the_cluster_on_screen(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=6, mbps=1.0))
    assert panel.values() == (8 * MIB, 6, 1.0)
    assert panel.statement_text() == ("6 nodes at 1 MB/s: 8.4 MB takes 8.4 s on one disk, "
                                      "1.4 s on 6 disks in parallel (ideal).")
    table = panel.table_text()
    assert "6 disks (the cluster)" in table and "1.4 MB" in table and "60 disks" in table
    assert "S / (N × B) = 8.4 MB / (6 × 1 MB/s)" in panel.detail_text()
    assert not panel.follow_button.isEnabled()  # already following


def test_follows_nodes_that_die_and_nodes_that_are_added(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=6, mbps=1.0))
    fake_bridge.feed([ev.NodeKilled(t=1.0, node=2, pid=1002)])  # out of reach at once
    assert panel.values()[1] == 5
    assert "1.7 s on 5 disks in parallel" in panel.statement_text()
    fake_bridge.feed([ev.NodeDeclaredDead(t=3.0, node=2, silent_s=2.0, lost_replicas=16)])
    assert panel.values()[1] == 5
    fake_bridge.feed([ev.NodeAdded(t=4.0, node=6), ev.NodeStarting(t=4.0, node=6, pid=1006),
                      ev.NodeStarted(t=4.1, node=6, pid=1006)])
    assert panel.values()[1] == 6
    assert panel.statement_text().startswith("6 nodes at 1 MB/s")


def test_a_slowed_disk_is_named_as_the_pace_setter(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=4, mbps=2.0))
    fake_bridge.feed([ev.NodeDiskSpeed(t=1.0, node=1, mbps=0.25)])
    assert "A disk is slowed to 0.25 MB/s" in panel.detail_text()
    assert panel.values()[2] == 2.0


def test_unthrottled_disks_are_said_so_and_b_stays_editable(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=4, mbps=None))
    assert "not throttled" in panel.detail_text()
    assert panel.values()[2] == DEFAULT_MBPS
    assert panel.statement_text().startswith(f"4 nodes at {DEFAULT_MBPS:g} MB/s")
    panel.speed_spin.setValue(50.0)  # as the user types it
    assert not panel.following
    assert panel.statement_text().startswith("4 nodes at 50 MB/s")
    panel.follow_cluster()
    assert panel.following and panel.values()[2] == 50.0  # the user's B kept: the cluster has none


def test_what_if_values_stop_following_until_asked(panel, fake_bridge, qtbot):
    from PySide6.QtCore import Qt
    fake_bridge.feed(stored_cluster(nodes=6, mbps=1.0))
    panel.set_values(size_bytes=10 ** 12, nodes=100, mbps=100.0)
    assert panel.statement_text() == ("100 nodes at 100 MB/s: 1 TB takes 2.8 hours on one disk, "
                                      "100 s on 100 disks in parallel (ideal).")
    assert "100 disks (N)" in panel.table_text()
    fake_bridge.feed([ev.NodeKilled(t=1.0, node=0, pid=1000)])
    assert panel.values() == (10 ** 12, 100, 100.0)  # the cluster changed, the user's numbers did not
    assert panel.follow_button.isEnabled()
    qtbot.mouseClick(panel.follow_button, Qt.LeftButton)
    assert panel.following and panel.values() == (8 * MIB, 5, 1.0)


def test_editing_a_field_is_playing_what_if(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=6, mbps=1.0))
    panel.nodes_spin.setValue(12)
    assert not panel.following
    assert "on 12 disks in parallel" in panel.statement_text()
    assert panel.mode.text() == "Your own values."


def test_one_disk_has_no_parallel_part(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=1, mbps=1.0, replication=1))
    assert panel.statement_text() == "1 node at 1 MB/s: 8.4 MB takes 8.4 s on its one disk."


def test_before_anything_is_stored_s_is_the_file_to_store(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=6, blocks=0))
    assert "Nothing is stored yet" in panel.detail_text()
    assert panel.values()[0] == 8 * MIB
    panel.set_pending_size(32 * MIB)
    assert "34 MB takes 34 s on one disk" in panel.statement_text()


def test_no_live_node_says_so(panel, fake_bridge):
    fake_bridge.feed([ev.ClusterStarted(t=0.0, nodes=3, replication=1, block_size=BLOCK, heartbeat=0.5,
                                        dead_after=2.0, data_dir="/tmp/x", disk_mbps=1.0)])
    assert panel.statement_text() == "No live node: nothing can be read."


def test_a_new_cluster_is_followed_again(panel, fake_bridge):
    fake_bridge.feed(stored_cluster(nodes=6, mbps=1.0))
    panel.set_values(nodes=40)
    fake_bridge.state = ClusterState()
    fake_bridge.cluster_reset.emit()
    assert panel.following
    fake_bridge.feed(stored_cluster(nodes=3, mbps=0.5))
    assert panel.values() == (8 * MIB, 3, 0.5)


def test_lecture_theme_makes_the_statement_large(panel):
    panel.set_theme(theme.LECTURE)
    panel.statement.ensurePolished()
    assert panel.statement.font().pointSizeF() == pytest.approx(theme.LECTURE.base_pt * 1.5)
    panel.set_theme(theme.NORMAL)
    panel.statement.ensurePolished()
    assert panel.statement.font().pointSizeF() == pytest.approx(theme.NORMAL.base_pt * 1.5)


# -- in the main window -----------------------------------------------------------------------

def test_the_main_window_has_the_panel_beside_the_job(qtbot):
    from engine.config import ClusterConfig
    from gui.main_window import MainWindow
    window = MainWindow(config=ClusterConfig(nodes=6, replication=3, block_size=BLOCK, disk_mbps=1.0))
    qtbot.addWidget(window)
    window.show()
    tabs = window.side_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Job", "What if"]
    assert tabs.widget(0) is window.job_panel
    assert window.what_if.isVisibleTo(tabs.widget(1))
    # Events through the real bridge (no cluster started): the panel follows them.
    window.bridge._queue.extend(stored_cluster(nodes=6, mbps=1.0))
    window.bridge.drain()
    assert window.what_if.statement_text().startswith("6 nodes at 1 MB/s: 8.4 MB takes 8.4 s")
    window.apply_theme(theme.LECTURE)
    assert window.what_if.theme is theme.LECTURE
    window.close()

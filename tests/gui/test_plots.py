"""ThroughputPlot and HealthPlot: assert on the plot items' data (as the Dask dashboard tests
assert on their data sources), never on pixels; one test renders PNGs for a human to look at."""

import os

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtGui

from conftest import cluster_events
from engine import events as ev
from gui import theme as th
from gui.plots import MB, FaultShading, HealthPlot, ThroughputPlot, nice_ceiling, step_xy


def sample(t, rates):
    """A MetricsSample with read_bps per node (and the other gauges the engine sends)."""
    return ev.MetricsSample(t=t, nodes={n: {"state": "alive", "read_bps": bps, "write_bps": 0.0,
                                            "copy_bps": 0.0, "stored_bytes": 1000, "blocks": 3,
                                            "tasks_running": 1} for n, bps in rates.items()})


def health(t, under, missing, blocks=6):
    return ev.HealthChanged(t=t, blocks=blocks, under_replicated=under, missing=missing,
                            live_nodes=4, dead_nodes=0)


@pytest.fixture
def throughput(qtbot, fake_bridge):
    plot = ThroughputPlot(fake_bridge)
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    return plot


@pytest.fixture
def health_plot(qtbot, fake_bridge):
    plot = HealthPlot(fake_bridge)
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    return plot


# -- throughput -------------------------------------------------------------------------

def test_curves_follow_new_samples_a_node_added_and_a_new_cluster_at_the_same_times(throughput, fake_bridge):
    """Each sample's values are converted once and kept: new samples, a node that appears
    and a new cluster whose samples have the same times must all show their own values."""
    from engine.view import ClusterState
    fake_bridge.feed(cluster_events(nodes=3) + [sample(1.0, {0: 1e6, 1: 2e6, 2: 3e6})])
    assert throughput.curve_data(1)[1].tolist() == [2.0]
    fake_bridge.feed([sample(1.25, {0: 5e6, 1: 6e6, 2: 7e6, 3: 8e6})])
    assert throughput.curve_data(1)[1].tolist() == [2.0, 6.0]
    y3 = throughput.curve_data(3)[1]
    assert np.isnan(y3[0]) and y3[1] == 8.0
    fake_bridge.state = ClusterState()  # a new cluster, its samples at the same times
    fake_bridge.feed(cluster_events(nodes=3) + [sample(1.0, {0: 9e6, 1: 9e6, 2: 9e6}),
                                                sample(1.25, {0: 4e6, 1: 4e6, 2: 4e6})])
    assert throughput.curve_data(1)[1].tolist() == [9.0, 4.0]


def test_one_curve_per_node_in_mb_per_s_and_total_is_the_sum(throughput, fake_bridge):
    rates = [{0: 2e6, 1: 3.5e6, 2: 0.0}, {0: 4e6, 1: 1e6, 2: 2.5e5}, {0: 0.0, 1: 0.0, 2: 8e6}]
    fake_bridge.feed(cluster_events(nodes=3) + [sample(1.0 + i * 0.25, r) for i, r in enumerate(rates)])

    assert throughput.nodes() == [0, 1, 2]
    times = np.array([1.0, 1.25, 1.5])
    for node in range(3):
        x, y = throughput.curve_data(node)
        np.testing.assert_allclose(x, times)
        np.testing.assert_allclose(y, [r[node] / MB for r in rates])
    x, y = throughput.total_data()
    np.testing.assert_allclose(x, times)
    np.testing.assert_allclose(y, [sum(r.values()) / MB for r in rates])
    assert throughput.legend_labels() == ["Node 0", "Node 1", "Node 2", "Total"]


def test_curves_use_the_node_colours_and_the_total_is_thicker(throughput, fake_bridge):
    fake_bridge.feed([sample(1.0, {0: 1e6, 1: 1e6, 5: 1e6})])
    throughput.flush()
    for node in (0, 1, 5):
        pen = throughput.curves[node].opts["pen"]
        assert QtGui.QPen(pen).color().name() == th.node_colour(node).name()
    node_width = QtGui.QPen(throughput.curves[0].opts["pen"]).widthF()
    total_width = QtGui.QPen(throughput.total_curve.opts["pen"]).widthF()
    assert node_width >= 2 and total_width > node_width


def test_items_are_created_once_and_a_curve_is_added_only_for_a_new_node(throughput, fake_bridge):
    fake_bridge.feed([sample(1.0, {0: 1e6, 1: 2e6})])
    throughput.flush()
    first = dict(throughput.curves)
    total = throughput.total_curve
    band = 2  # the band's two edges, made once (hidden while every node has its line)
    assert len(throughput.plot_item.listDataItems()) == 3 + band

    fake_bridge.feed([sample(1.25, {0: 1e6, 1: 2e6})])
    throughput.flush()
    assert throughput.curves == first and throughput.total_curve is total
    assert len(throughput.plot_item.listDataItems()) == 3 + band

    fake_bridge.feed([sample(1.5, {0: 1e6, 1: 2e6, 2: 3e6})])
    throughput.flush()
    assert throughput.curves[0] is first[0] and throughput.curves[1] is first[1]
    assert len(throughput.plot_item.listDataItems()) == 4 + band
    x, y = throughput.curve_data(2)
    # the new node has no value before it appeared: a gap (NaN), not a zero
    np.testing.assert_allclose(x, [1.0, 1.25, 1.5])
    assert np.isnan(y[:2]).all() and y[2] == pytest.approx(3.0)
    np.testing.assert_allclose(throughput.total_data()[1], [3.0, 3.0, 6.0])
    assert throughput.legend_labels() == ["Node 0", "Node 1", "Node 2", "Total"]


def test_rolling_window_ends_at_the_cluster_clock(throughput, fake_bridge):
    fake_bridge.feed([sample(float(t), {0: t * 1e5}) for t in range(0, 101)])
    assert throughput.x_range() == pytest.approx((40.0, 100.0))
    x, y = throughput.curve_data(0)
    # the samples in the window plus the one just before it, so the line enters at the edge
    np.testing.assert_allclose(x, np.arange(39.0, 101.0))
    np.testing.assert_allclose(y, np.arange(39.0, 101.0) * 0.1)

    throughput.set_window(10)
    assert throughput.x_range() == pytest.approx((90.0, 100.0))
    np.testing.assert_allclose(throughput.curve_data(0)[0], np.arange(89.0, 101.0))

    fake_bridge.now = 104.0  # time passes without new samples: the window still scrolls
    fake_bridge.updated.emit([])
    assert throughput.x_range() == pytest.approx((94.0, 104.0))


def test_first_minute_shows_zero_to_window_not_negative_time(throughput, fake_bridge):
    fake_bridge.feed([sample(1.0, {0: 1e6}), sample(5.0, {0: 2e6})])
    assert throughput.x_range() == pytest.approx((0.0, 60.0))
    np.testing.assert_allclose(throughput.curve_data(0)[0], [1.0, 5.0])


def test_y_axis_starts_at_zero_and_covers_the_peak(throughput, fake_bridge):
    fake_bridge.feed([sample(1.0, {0: 30e6, 1: 13e6}), sample(2.0, {0: 1e6, 1: 1e6})])
    lo, hi = throughput.y_range()
    assert lo <= 0 < 43 <= hi <= 60


def fault_history():
    return cluster_events(nodes=4) + [
        sample(1.0, {n: 1e6 for n in range(4)}),
        ev.NodeKilled(t=10.0, node=2, pid=1002),
        ev.NodeDeclaredDead(t=13.0, node=2, silent_s=3.0, lost_replicas=3),
        ev.NodeStarting(t=18.0, node=2, pid=2002, restart=True),
        ev.NodeRejoined(t=20.0, node=2, pid=2002, blocks=3, accepted=3),
        ev.NodePaused(t=30.0, node=0, pid=1000),
        ev.NodeResumed(t=31.0, node=0, pid=1000),  # resumed before anyone noticed
        ev.NodeKilled(t=40.0, node=1, pid=1001),
        ev.NodeDeclaredDead(t=42.0, node=1, silent_s=2.0, lost_replicas=3),
        sample(50.0, {n: 1e6 for n in range(4)}),
    ]


def test_fault_regions_shade_kill_to_detection_to_recovery(throughput, fake_bridge):
    fake_bridge.feed(fault_history())
    assert throughput.fault_regions() == [
        (10.0, 13.0, "undetected"), (13.0, 20.0, "dead"),
        (30.0, 31.0, "undetected"),
        (40.0, 42.0, "undetected"), (42.0, 50.0, "dead"),  # still dead: shaded up to now
    ]
    regions = [r for r in throughput.plot_item.items if isinstance(r, pg.LinearRegionItem)]
    assert len(regions) == 5 and not any(r.movable for r in regions)
    assert "fault, undetected" in throughput.legend_labels()
    assert "declared dead" in throughput.legend_labels()

    # as time passes the open region grows; the same items are reused, none are added
    fake_bridge.feed([sample(55.0, {n: 1e6 for n in range(4)})])
    assert throughput.fault_regions()[-1] == (42.0, 55.0, "dead")
    now_regions = [r for r in throughput.plot_item.items if isinstance(r, pg.LinearRegionItem)]
    assert now_regions == regions


def test_fault_regions_outside_the_window_are_hidden(throughput, fake_bridge):
    fake_bridge.feed(fault_history() + [sample(85.0, {0: 1e6})])
    # the window is 25..85: the first fault (10..20) scrolled out
    assert throughput.fault_regions() == [(30.0, 31.0, "undetected"), (40.0, 42.0, "undetected"),
                                          (42.0, 85.0, "dead")]
    visible = [r for r in throughput.plot_item.items
               if isinstance(r, pg.LinearRegionItem) and r.isVisible()]
    assert len(visible) == 3


def test_fault_shading_helper_colours_by_kind(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    shading = FaultShading(plot.getPlotItem(), th.NORMAL)
    assert shading.colour("undetected").name() != shading.colour("dead").name()
    assert 0 < shading.colour("undetected").alpha() < 255  # translucent: the curves show through


def test_refresh_is_throttled_but_never_dropped(throughput, fake_bridge, qtbot):
    throughput.min_interval_s = 0.2
    fake_bridge.feed([sample(1.0, {0: 1e6})])
    throughput.flush()  # drawn just now
    assert len(throughput.curves[0].getData()[0]) == 1
    with qtbot.assertNotEmitted(throughput.refreshed, wait=0):
        fake_bridge.feed([sample(1.25, {0: 2e6})])  # too soon: deferred to a timer
    assert len(throughput.curves[0].getData()[0]) == 1  # (the item itself, not flushed)
    with qtbot.waitSignal(throughput.refreshed, timeout=2000):
        fake_bridge.feed([sample(1.5, {0: 3e6})])  # still one pending redraw, not two
    np.testing.assert_allclose(throughput.curves[0].getData()[1], [1.0, 2.0, 3.0])


def test_events_are_drawn_on_a_turn_of_their_own_not_inside_their_delivery(throughput, fake_bridge, qtbot):
    # The bridge's delivery of events reaches every view; a plot that drew inside it made one
    # long turn of the event loop of the job panel, both plots and the cluster view.
    throughput.flush()
    throughput._next_slot = 0.0  # the last redraw is long past: due at once
    with qtbot.assertNotEmitted(throughput.refreshed, wait=0):
        fake_bridge.feed([sample(1.0, {0: 1e6})])
    with qtbot.waitSignal(throughput.refreshed, timeout=2000):
        pass  # the next turn of the event loop draws it
    np.testing.assert_allclose(throughput.curve_data(0)[1], [1.0])


def test_hidden_plot_does_not_redraw_until_shown(qtbot, fake_bridge):
    plot = ThroughputPlot(fake_bridge)
    qtbot.addWidget(plot)
    fake_bridge.feed([sample(1.0, {0: 1e6})])
    assert plot.curves == {}  # hidden: nothing drawn
    with qtbot.waitSignal(plot.refreshed, timeout=2000):
        plot.show()
    np.testing.assert_allclose(plot.curve_data(0)[1], [1.0])


def test_cluster_reset_forgets_the_old_nodes(throughput, fake_bridge):
    fake_bridge.feed([sample(1.0, {0: 1e6, 1: 1e6, 2: 1e6})])
    assert throughput.nodes() == [0, 1, 2]
    from engine.view import ClusterState
    fake_bridge.state = ClusterState()
    fake_bridge.cluster_reset.emit()
    fake_bridge.feed([sample(0.5, {0: 5e6})])
    assert throughput.nodes() == [0]
    np.testing.assert_allclose(throughput.total_data()[1], [5.0])
    assert throughput.legend_labels() == ["Node 0", "Total"]


def test_axis_labels_and_themes(throughput, fake_bridge):
    left = throughput.plot_item.getAxis("left")
    bottom = throughput.plot_item.getAxis("bottom")
    assert left.labelText == "MB/s read" and bottom.labelText == "cluster time (s)"
    assert throughput.plot_widget.backgroundBrush().color().name() == th.NORMAL.window.lower()

    throughput.set_theme(th.LECTURE)
    assert throughput.plot_widget.backgroundBrush().color().name() == "#000000"
    assert left.style["tickFont"].pointSizeF() == th.LECTURE.base_pt
    assert left.labelStyle["font-size"] == f"{th.LECTURE.base_pt * 1.1:g}pt"
    assert left.textPen().color().name() == "#ffffff"
    assert QtGui.QPen(throughput.total_curve.opts["pen"]).color().name() == "#ffffff"
    assert throughput.legend.opts["labelTextSize"] == f"{th.LECTURE.base_pt}pt"

    throughput.set_theme(th.NORMAL)
    assert left.style["tickFont"].pointSizeF() == th.NORMAL.base_pt


def test_legend_stays_under_the_plot_after_a_theme_switch(throughput, fake_bridge):
    fake_bridge.feed(fault_history())
    throughput.flush()
    for theme in (th.LECTURE, th.NORMAL, th.LECTURE):
        throughput.set_theme(theme)
        throughput.flush()
        view = throughput.plot_item.getViewBox().geometry()
        legend = throughput.legend.geometry()
        assert legend.top() >= view.bottom()  # never over the data
        assert legend.bottom() <= throughput.plot_item.geometry().height() + 1
        assert legend.width() <= throughput.plot_widget.width()


def test_nice_ceiling():
    assert nice_ceiling(0.3) == 1.0
    assert nice_ceiling(43) == 50.0
    assert nice_ceiling(51) == 60.0
    assert nice_ceiling(130) == 150.0


# -- health -----------------------------------------------------------------------------

def test_health_curves_are_steps_extended_to_now(health_plot, fake_bridge):
    fake_bridge.feed([health(1.0, 0, 0), health(5.0, 6, 0), health(7.0, 3, 1), health(9.0, 0, 1)])
    fake_bridge.now = 12.0
    fake_bridge.updated.emit([])
    x, y = health_plot.curve_data("under_replicated")
    np.testing.assert_allclose(x, [1, 5, 5, 7, 7, 9, 9, 12])
    np.testing.assert_allclose(y, [0, 0, 6, 6, 3, 3, 0, 0])
    x, y = health_plot.curve_data("missing")
    np.testing.assert_allclose(x, [1, 5, 5, 7, 7, 9, 9, 12])
    np.testing.assert_allclose(y, [0, 0, 0, 0, 1, 1, 1, 1])
    assert health_plot.legend_labels()[:2] == ["under-replicated", "missing"]


def test_health_colours_amber_and_red(health_plot):
    under = QtGui.QPen(health_plot.curves["under_replicated"].opts["pen"]).color()
    missing = QtGui.QPen(health_plot.curves["missing"].opts["pen"]).color()
    assert missing.name() == th.NORMAL.danger.lower()
    assert under.red() > under.blue() and under.green() > under.blue()  # amber
    health_plot.set_theme(th.LECTURE)
    missing = QtGui.QPen(health_plot.curves["missing"].opts["pen"]).color()
    assert missing.name() == th.LECTURE.danger.lower()


def test_health_plot_shades_faults_and_scrolls(health_plot, fake_bridge):
    fake_bridge.feed(fault_history() + [health(13.0, 3, 0), health(16.0, 0, 0)])
    assert health_plot.fault_regions()[:2] == [(10.0, 13.0, "undetected"), (13.0, 20.0, "dead")]
    health_plot.set_window(30)
    assert health_plot.x_range() == pytest.approx((20.0, 50.0))
    x, y = health_plot.curve_data("under_replicated")
    assert x[-1] == 50.0 and y[-1] == 0
    assert health_plot.plot_item.getAxis("left").labelText == "blocks"


def test_step_xy_single_sample():
    x, y = step_xy(np.array([2.0]), np.array([4.0]), now=3.0)
    np.testing.assert_allclose(x, [2.0, 3.0])
    np.testing.assert_allclose(y, [4.0, 4.0])


# -- pictures ---------------------------------------------------------------------------

def realistic_history():
    """70 s of a 4-node cluster: a job reading, node 2 killed, node 0 paused, node 1 killed."""
    rng = np.random.default_rng(1)
    out = cluster_events(nodes=4, blocks=12)
    down = {2: (30.0, None), 0: (50.0, 51.5), 1: (55.0, None)}
    script = {30.0: [ev.NodeKilled(t=30.0, node=2, pid=1002)],
              33.0: [ev.NodeDeclaredDead(t=33.0, node=2, silent_s=3, lost_replicas=6), health(33.0, 6, 0, 12)],
              35.0: [health(35.0, 4, 0, 12)], 37.0: [health(37.0, 2, 0, 12)], 39.5: [health(39.5, 0, 0, 12)],
              50.0: [ev.NodePaused(t=50.0, node=0, pid=1000)],
              51.5: [ev.NodeResumed(t=51.5, node=0, pid=1000)],
              55.0: [ev.NodeKilled(t=55.0, node=1, pid=1001)],
              57.0: [ev.NodeDeclaredDead(t=57.0, node=1, silent_s=2, lost_replicas=6), health(57.0, 5, 1, 12)]}
    for k in range(1, 4 * 70):
        t = k / 4
        out += script.get(t, [])
        busy = 10 < t < 45 or 52 < t < 68
        rates = {}
        for n in range(4):
            start, end = down.get(n, (None, None))
            off = start is not None and t >= start and (end is None or t < end)
            rates[n] = 0.0 if off else float(rng.uniform(8e6, 14e6) if busy else rng.uniform(0, 2e5))
        out.append(sample(t, rates))
    return out


def test_render_pngs_in_both_themes(qtbot, fake_bridge, tmp_path):
    """Renders the plots for a person to look at (set CLUSTERSCOPE_SHOTS=dir to keep them)."""
    out = os.environ.get("CLUSTERSCOPE_SHOTS") or str(tmp_path)
    fake_bridge.feed(realistic_history())
    for theme in (th.NORMAL, th.LECTURE):
        for cls, name in ((ThroughputPlot, "throughput"), (HealthPlot, "health")):
            plot = cls(fake_bridge, theme=theme)
            qtbot.addWidget(plot)
            plot.resize(900, 420)
            plot.show()
            plot.flush()
            image = plot.grab().toImage()
            path = os.path.join(out, f"{name}_{theme.name}.png")
            assert image.save(path)
            assert image.width() == 900
            # the background really is the theme's (lecture: black) and something is drawn on it
            corner = image.pixelColor(image.width() // 2, image.height() // 3)
            colours = {image.pixelColor(x, y).rgb() for x in range(0, 900, 7) for y in range(0, 420, 7)}
            assert len(colours) > 20, corner


def test_over_a_live_cluster_the_window_scrolls_without_events(throughput, fake_bridge, qtbot):
    fake_bridge.feed([sample(float(t), {0: 1e5}) for t in range(0, 101)])
    throughput.set_window(10)
    assert throughput.x_range() == pytest.approx((90.0, 100.0))
    fake_bridge.now = 107.0  # cluster time moves on; no event arrives
    fake_bridge.backend = object()  # a live cluster behind the bridge
    qtbot.waitUntil(lambda: throughput.x_range() == pytest.approx((97.0, 107.0)), timeout=2000)


def test_without_a_live_cluster_time_moves_only_with_events(throughput, fake_bridge, qtbot):
    fake_bridge.feed([sample(float(t), {0: 1e5}) for t in range(0, 101)])
    throughput.set_window(10)
    throughput.flush()  # the redraw set_window asked for
    fake_bridge.now = 107.0
    fake_bridge.backend = None  # a replay, or a cluster still starting
    with qtbot.assertNotEmitted(throughput.refreshed, wait=300):
        pass
    assert throughput.x_range() == pytest.approx((90.0, 100.0))


def test_at_many_nodes_one_legend_entry_stands_for_every_node_and_the_legend_stays_small(throughput, fake_bridge):
    nodes = 40
    fake_bridge.feed(cluster_events(nodes=nodes) + [sample(1.0 + i * 0.25, {n: (n + i) * 1e5 for n in range(nodes)})
                                                    for i in range(3)])
    assert throughput.nodes() == list(range(nodes))
    assert throughput.legend_labels()[:2] == ["Nodes 0-39 (range, lowest to highest)", "Total"]
    x, y = throughput.total_data()
    np.testing.assert_allclose(y, [sum((n + i) * 1e5 for n in range(nodes)) / MB for i in range(3)])
    assert throughput.legend.boundingRect().height() < throughput.plot_item.vb.boundingRect().height() / 2


def test_at_many_nodes_the_nodes_are_a_band_and_only_the_nodes_that_matter_are_lines(throughput, fake_bridge):
    # 100 nodes: a line each would be a smear; the band shows their spread (lowest to highest
    # MB/s at each moment), and a node that a fault hit keeps its own line (its drop matters).
    nodes = 100
    rates = [{n: (n + 1 + i) * 1e4 for n in range(nodes)} for i in range(4)]
    fake_bridge.feed(cluster_events(nodes=nodes) + [sample(1.0 + i * 0.25, r) for i, r in enumerate(rates[:2])]
                     + [ev.NodeKilled(t=1.6, node=37, pid=1037)]
                     + [sample(1.0 + i * 0.25, r) for i, r in enumerate(rates[2:], start=2)])
    assert throughput.nodes() == list(range(nodes))
    assert throughput.lines_shown() == [37]
    lo, hi = throughput.band_data()
    np.testing.assert_allclose(lo[1], [min(r.values()) / MB for r in rates])
    np.testing.assert_allclose(hi[1], [max(r.values()) / MB for r in rates])
    x, y = throughput.curve_data(5)  # every node's data is still there
    np.testing.assert_allclose(y, [r[5] / MB for r in rates])
    assert "Node 37" in throughput.legend_labels()


def test_in_lecture_mode_the_band_takes_over_sooner_and_legend_and_lines_agree(throughput, fake_bridge):
    nodes = 6
    fake_bridge.feed(cluster_events(nodes=nodes) + [sample(1.0 + i * 0.25, {n: (n + 1) * 1e5 for n in range(nodes)})
                                                    for i in range(2)])
    assert throughput.lines_shown() == list(range(nodes))
    assert throughput.band_data()[0][1].size == 0
    throughput.set_theme(th.LECTURE)
    assert throughput.lines_shown() == []
    np.testing.assert_allclose(throughput.band_data()[1][1], [nodes * 1e5 / MB] * 2)
    assert throughput.legend_labels()[0] == "Nodes 0-5 (range, lowest to highest)"
    throughput.set_theme(th.NORMAL)
    assert throughput.lines_shown() == list(range(nodes))
    assert throughput.legend_labels()[0] == "Node 0"

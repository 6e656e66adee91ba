import json

from engine import events as ev
from support import sample_event


def test_every_event_round_trips_through_json():
    assert len(ev.EVENT_TYPES) >= 30
    for kind, cls in ev.EVENT_TYPES.items():
        event = sample_event(cls)
        back = ev.from_dict(json.loads(event.to_json()))
        assert back.kind == kind and back.t == 2.25
        assert back.to_dict() == event.to_dict()


def test_metrics_node_keys_come_back_as_ints():
    e = ev.MetricsSample(t=1.0, nodes={0: {"read_bps": 1.0}, 12: {"read_bps": 2.0}})
    assert ev.from_dict(json.loads(e.to_json())).nodes == e.nodes

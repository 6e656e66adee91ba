import dataclasses
import json
import math

import pytest

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


# -- typed from_dict: recordings are input from outside --------------------------------------

WRONG = {  # values that no field of this declared type accepts
    "int": ["3", True, 1.5, 2.0, None, [1], {}],
    "float": ["1.5", True, math.nan, math.inf, -math.inf, None, [1.0]],
    "str": [5, True, None, ["x"], {}],
    "bool": [1, 0, "true", None],
    "tuple": ["(1, 2)", 5, {}, None, True],
    "dict": [[], "x", 5, None],
}


def _wrong_values(declared: str):
    types = [t.strip() for t in declared.split("|")]
    for value in WRONG[types[0]]:
        if value is None and "None" in types:
            continue
        yield value


FIELD_CASES = [(cls, f.name, value) for cls in ev.EVENT_TYPES.values() for f in dataclasses.fields(cls)
               for value in _wrong_values(str(f.type))]


@pytest.mark.parametrize("cls,name,value", FIELD_CASES,
                         ids=[f"{c.kind}.{n}={v!r}" for c, n, v in FIELD_CASES])
def test_every_field_refuses_a_value_of_another_type(cls, name, value):
    d = json.loads(sample_event(cls).to_json())
    d[name] = value
    with pytest.raises(ValueError) as info:
        ev.from_dict(d)
    message = str(info.value)
    assert message.startswith(f"{cls.kind}: {name} must be ") and "\n" not in message, message


def test_declared_types_are_all_checked():
    declared = {t.strip() for cls in ev.EVENT_TYPES.values() for f in dataclasses.fields(cls)
                for t in str(f.type).split("|")}
    assert declared <= set(WRONG) | {"None"}


@pytest.mark.parametrize("d,message", [
    ([1, 2], "a JSON object"),
    ("str", "a JSON object"),
    (None, "a JSON object"),
    ({"t": 1.0, "node": 1}, "no kind"),
    ({"kind": "nope", "t": 1.0}, "unknown event kind 'nope'"),
    ({"kind": 5, "t": 1.0}, "unknown event kind 5"),
    ({"kind": ["node_killed"], "t": 1.0}, "unknown event kind"),
    ({"kind": "node_killed", "t": "x", "node": "a"},
     "node_killed: t must be a finite number of seconds >= 0 (got 'x')"),
    ({"kind": "node_killed", "t": -0.5, "node": 1, "pid": 2}, "t must be a finite number of seconds >= 0 (got -0.5)"),
    ({"kind": "node_killed", "t": 1.0, "node": 1}, "node_killed: field pid is missing"),
    ({"kind": "cluster_stopped"}, "cluster_stopped: field t is missing"),
])
def test_malformed_objects_name_the_problem(d, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        ev.from_dict(d)


def test_ints_count_as_floats_and_extra_keys_are_ignored():
    e = ev.from_dict({"kind": "node_suspect", "t": 2, "node": 1, "silent_s": 1, "trial": 0, "run": "faulty"})
    assert e == ev.NodeSuspect(t=2.0, node=1, silent_s=1.0)
    assert isinstance(e.t, float) and isinstance(e.silent_s, float)
    assert ev.from_dict({"kind": "node_disk_speed", "t": 0, "node": 1, "mbps": None}).mbps is None

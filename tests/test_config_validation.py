"""ClusterConfig.validate refuses every wrong type and every value out of bounds, naming the
field: the CLI, the GUI and scenario files all construct configs."""

import dataclasses
import math

import pytest

from engine.config import ClusterConfig, ConfigError
from engine.values import MAX_SECONDS

NAN, INF = math.nan, math.inf
WORDS = ("six", True, False, [1], {"a": 1})
WHOLE = ("nodes", "replication", "block_size", "slots", "max_streams", "max_attempts", "seed")
SECONDS = ("heartbeat", "dead_after", "metrics_interval", "speculation_min_s", "scan_interval")

BAD = (
    [(name, value) for name in WHOLE for value in WORDS + (1.5, 2.0, NAN)]
    + [(name, value) for name in WHOLE if name != "seed" for value in (0, -1)]
    + [("nodes", 257), ("slots", 10 ** 6), ("max_streams", 10 ** 6), ("max_attempts", 10 ** 6),
       ("block_size", 2 ** 40), ("replication", 7)]
    + [(name, value) for name in SECONDS + ("disk_mbps", "speculation_factor")
       for value in WORDS + (NAN, INF, -INF, -1)]
    + [(name, value) for name in SECONDS if name != "speculation_min_s" for value in (0, 0.0)]
    + [(name, MAX_SECONDS * 2) for name in SECONDS] + [(name, 1e308) for name in SECONDS]
    + [("heartbeat", 1e-6), ("metrics_interval", 1e-9), ("scan_interval", 1e-300)]
    + [("disk_mbps", 0), ("speculation_factor", 0.5)]
    + [("speculation", value) for value in (1, 0, "yes", "true", None)]
    + [("log_level", value) for value in ("LOUD", 3, None)]
    + [("data_dir", value) for value in ("", 5, True)]
    + [("locality_wait", value) for value in WORDS + (NAN, INF, -INF, -1, MAX_SECONDS * 2)]
    + [("backend", value) for value in ("spark", "", "LOCAL", 5, None, True)]
    + [("scheduler", value) for value in ("tcp://h:1", 5, "")]  # needs the dask backend
    + [(name, value) for name in ("tls_ca_file", "tls_cert", "tls_key") for value in ("/etc/hostname", 5)]
)


def test_tls_needs_a_tls_scheduler_and_every_file(tmp_path):
    pem = tmp_path / "x.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    files = dict(tls_ca_file=str(pem), tls_cert=str(pem), tls_key=str(pem))
    ClusterConfig(backend="dask", scheduler="tls://h:8786", **files).validate()
    with pytest.raises(ConfigError, match="--tls-ca-file needs a tls:// scheduler"):
        ClusterConfig(backend="dask", scheduler="tcp://h:8786", **files).validate()
    with pytest.raises(ConfigError, match="--tls-key is needed too"):
        ClusterConfig(backend="dask", scheduler="tls://h:8786", tls_ca_file=str(pem), tls_cert=str(pem)).validate()
    with pytest.raises(ConfigError, match="--tls-cert must be a readable PEM file"):
        ClusterConfig(backend="dask", scheduler="tls://h:8786", **{**files, "tls_cert": str(tmp_path / "no")}).validate()


@pytest.mark.parametrize("value", ["h:1", "tcp://h", "http://h:1", "tcp://h:1/x", 5, "tcp:// h:1"])
def test_a_dask_scheduler_is_an_address(value):
    with pytest.raises(ConfigError, match="scheduler must be tcp://HOST:PORT") as info:
        ClusterConfig(backend="dask", scheduler=value).validate()
    assert info.value.field == "scheduler"


def test_dask_keeps_no_data_folder():
    with pytest.raises(ConfigError, match="--data-dir needs the local backend"):
        ClusterConfig(backend="dask", data_dir="/tmp/x").validate()
    ClusterConfig(backend="dask", scheduler="tls://10.0.0.5:8786").validate()


@pytest.mark.parametrize("name,value", BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_every_field_refuses_wrong_types_and_bounds(name, value):
    with pytest.raises(ConfigError) as info:
        ClusterConfig(**{name: value}).validate()
    message = str(info.value)
    assert info.value.field == name
    assert "\n" not in message and (name in message or name.replace("_", "-") in message), message


def test_every_field_is_checked():
    checked = {name for name, _ in BAD}
    assert checked == {f.name for f in dataclasses.fields(ClusterConfig)}


def test_dead_after_must_exceed_heartbeat():
    with pytest.raises(ConfigError, match="dead-after") as info:
        ClusterConfig(heartbeat=0.5, dead_after=0.5).validate()
    assert info.value.field == "dead_after"


def test_good_values_pass():
    ClusterConfig().validate()
    ClusterConfig(nodes=256, replication=256, block_size=1, heartbeat=0.01, dead_after=MAX_SECONDS, slots=256,
                  max_attempts=1, seed=-5, disk_mbps=0.001, metrics_interval=1, speculation=False,
                  speculation_factor=1, speculation_min_s=0, scan_interval=2.5, log_level="debug",
                  data_dir="/tmp/x").validate()

"""The C library's search: the same positions as ``bytes.find`` on every kind of buffer a
task searches, the switch to ``bytes.find`` on dense matches, and a memory-mapped replica
searched through it and closed cleanly afterwards."""

import mmap
import random

import pytest

from engine import memsearch
from engine.blocks import checksum
from engine.memsearch import Finder
from engine.storage import BlockStore
from engine.text import count_word, reference_count

pytestmark = pytest.mark.skipif(not memsearch.available(), reason="no memmem in this C library")


def all_positions(find, needle: bytes, start: int = 0) -> list[int]:
    out = []
    i = find(needle, start)
    while i >= 0:
        out.append(i)
        i = find(needle, i + max(1, len(needle)))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_positions_equal_bytes_find_on_random_buffers(seed):
    rng = random.Random(seed)
    alphabet = rng.choice([b"ab", b"abc ", b"the cat\n", bytes(range(256))])
    hay = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 5000)))
    needle = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 5)))
    for buffer in (hay, bytearray(hay)):
        with Finder(buffer) as finder:
            assert finder.uses_memmem == bool(hay)
            starts = [0, rng.randrange(0, len(hay) + 3), len(hay), len(hay) + 1, -1, -len(hay) - 5]
            for start in starts:
                assert finder.find(needle, start) == hay.find(needle, start), (start, needle)
            assert all_positions(finder.find, needle) == all_positions(hay.find, needle)


def test_an_empty_needle_and_an_empty_buffer_answer_as_bytes_find():
    with Finder(b"abc") as finder:
        assert [finder.find(b"", s) for s in (0, 2, 3, 4)] == [b"abc".find(b"", s) for s in (0, 2, 3, 4)]
    with Finder(b"") as finder:
        assert not finder.uses_memmem
        assert finder.find(b"a") == -1


def test_dense_matches_switch_to_bytes_find_and_keep_the_positions():
    hay = b"the " * 10_000 + b"x" * 100_000 + b"the"
    with Finder(hay) as finder:
        found = all_positions(finder.find, b"the")
        assert not finder.uses_memmem  # switched after the first matches, 4 bytes apart
    assert found == all_positions(hay.find, b"the")
    sparse = (b"x" * 20_000 + b" the ") * 200
    with Finder(sparse) as finder:
        assert all_positions(finder.find, b"the") == all_positions(sparse.find, b"the")
        assert finder.uses_memmem  # 20 kB apart: still the C search


def test_a_read_only_map_is_searched_by_its_own_find(tmp_path):
    path = tmp_path / "hay"
    path.write_bytes(b"one two one")
    with open(path, "rb") as f:
        view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    with Finder(view) as finder:
        assert not finder.uses_memmem
        assert all_positions(finder.find, b"one") == [0, 8]
    view.close()


def test_a_mapped_replica_is_searched_in_c_and_closes_afterwards(tmp_path):
    text = ("x" * 9000 + " data café data数据 the data_1 data\n").encode() * 300
    store = BlockStore(str(tmp_path))
    store.write(5, text, checksum(text))
    with store.mapped(5) as view:
        assert isinstance(view, mmap.mmap)
        with Finder(view) as finder:
            assert finder.uses_memmem
        assert count_word(view, "data") == reference_count(text.decode(), "data") == 600
    assert view.closed  # no address of it was left behind to stop the close
    assert open(store._data_path(5), "rb").read() == text


@pytest.mark.parametrize("seed", range(12))
def test_count_word_equals_the_reference_with_and_without_memmem(seed, monkeypatch):
    rng = random.Random(seed)
    words = ["the", "data", "a", "ab", "aa", "café", "数据", "x_1", "Straße", "ü"]
    glue = [" ", "\n", ".", ",", "é", "数", "_", "", "'", "—"]
    text = "".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randrange(0, 3000)))
    data = text.encode()
    word = rng.choice(["the", "data", "a", "ab", "aa", "x_1"])
    expected = reference_count(text, word)
    assert count_word(data, word) == expected
    assert count_word(bytearray(data), word) == expected
    monkeypatch.setattr(memsearch, "_MEMMEM", None)
    assert count_word(data, word) == expected


def test_a_replica_is_mapped_read_only_where_no_private_map_can_be_reserved(tmp_path, monkeypatch):
    import errno

    import engine.storage as storage
    text = b"data data. data\n" * 1000
    store = BlockStore(str(tmp_path))
    store.write(1, text, checksum(text))
    class StrictOvercommit(mmap.mmap):
        def __new__(cls, fd, length, access=mmap.ACCESS_WRITE):
            if access == mmap.ACCESS_COPY:
                raise OSError(errno.ENOMEM, "Cannot allocate memory")
            return super().__new__(cls, fd, length, access=access)
    monkeypatch.setattr(storage.mmap, "mmap", StrictOvercommit)
    with store.mapped(1) as view:
        with Finder(view) as finder:
            assert not finder.uses_memmem
        assert count_word(view, "data") == 3000

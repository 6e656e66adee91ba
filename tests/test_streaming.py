"""Files of any size are read a chunk at a time: cutting into blocks, checking the text,
storing and the single-process reference hold a bounded amount of memory, and give the same
answers as the whole-file functions."""

import random
import tracemalloc

import pytest

import engine.blocks as blocks
import engine.verdict as verdict
from engine.blocks import scan_text_file, split_blocks, validate_text, validate_text_file
from engine.corpus import write_corpus
from engine.errors import UsageError
from engine.text import reference_count, reference_wordcount

_PIECES = [b"a", b"b", b" ", b"\n", "é".encode(), "数".encode(), "😀".encode(), b"word", b"\t"]


def _random_text(rng: random.Random, most: int) -> bytes:
    return b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, most)))


def test_scanned_blocks_equal_the_whole_file_cut_at_every_chunk_size(tmp_path, monkeypatch):
    rng = random.Random(1)
    path = tmp_path / "f.txt"
    for _ in range(60):
        data = _random_text(rng, 2000)
        path.write_bytes(data)
        for chunk in (1, 2, 5, 64, 1 << 20):
            monkeypatch.setattr(blocks, "READ_CHUNK", chunk)
            monkeypatch.setattr(blocks, "_VALIDATE_CHUNK", max(1, chunk // 2))
            for block_size in (1, 3, 17, 100, 5000):
                assert scan_text_file(str(path), block_size) == split_blocks(data, block_size)


def test_a_bad_byte_is_named_at_the_same_offset_whatever_the_chunk(tmp_path, monkeypatch):
    rng = random.Random(2)
    path = tmp_path / "f.txt"
    for _ in range(150):
        data = bytearray(_random_text(rng, 300) + b"x")
        data[rng.randrange(len(data))] = rng.choice([0x80, 0xFF, 0xC3, 0xE6, 0x00])
        path.write_bytes(bytes(data))
        try:
            validate_text(bytes(data), str(path))
            whole = None  # the new byte still makes UTF-8 text
        except UsageError as exc:
            whole = str(exc)
        for chunk in (1, 3, 7, 1 << 20):
            monkeypatch.setattr(blocks, "READ_CHUNK", chunk)
            monkeypatch.setattr(blocks, "_VALIDATE_CHUNK", max(1, chunk // 2))
            try:
                scan_text_file(str(path), 10)
                streamed = None
            except UsageError as exc:
                streamed = str(exc)
            assert streamed == whole


def _first_problem(data: bytes, path: str) -> str | None:
    """What is wrong first in ``data``, in the file's order, found by decoding it whole."""
    nul = data.find(b"\x00")
    text = data if nul < 0 else data[:nul]
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        if nul < 0 or exc.reason != "unexpected end of data":
            return f"{path}: not UTF-8 text (invalid byte at offset {exc.start})"
    if nul >= 0:
        return f"{path}: looks like a binary file (a NUL byte at offset {nul}), not text"
    return None


def test_the_first_problem_in_the_file_is_named_whatever_the_chunks(tmp_path, monkeypatch):
    # A NUL byte and a byte that is not UTF-8 in one file, either first: the one that comes
    # first is named, by the whole-data check and by the streamed scan at every chunk size.
    rng = random.Random(3)
    path = tmp_path / "f.txt"
    for _ in range(200):
        data = bytearray(_random_text(rng, 400) + b"x")
        for bad in (0x00, rng.choice([0x80, 0xFF, 0xC3, 0xE6])):
            data[rng.randrange(len(data))] = bad
        data = bytes(data)
        path.write_bytes(data)
        expected = _first_problem(data, str(path))
        for chunk in (1, 4, 64, 1 << 20):
            monkeypatch.setattr(blocks, "READ_CHUNK", chunk)
            for piece in (1, 3, 16, 1 << 14):
                monkeypatch.setattr(blocks, "_VALIDATE_CHUNK", piece)
                for check in (lambda: validate_text(data, str(path)), lambda: scan_text_file(str(path), 10)):
                    try:
                        check()
                        found = None
                    except UsageError as exc:
                        found = str(exc)
                    assert found == expected, (data, chunk, piece)


def test_a_character_cut_off_at_the_end_of_the_file_is_named(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"abc " + "数".encode()[:2])
    with pytest.raises(UsageError, match="offset 4"):
        validate_text_file(str(path))


def test_scan_refuses_what_is_not_a_text_file(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        scan_text_file(str(tmp_path / "missing.txt"), 10)
    with pytest.raises(UsageError, match="directory"):
        scan_text_file(str(tmp_path), 10)
    assert scan_text_file(_empty(tmp_path), 10) == []


def _empty(tmp_path) -> str:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return str(path)


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("big") / "big.txt")
    write_corpus(path, 48 << 20, seed=3)
    return path


def test_cutting_a_big_file_holds_a_chunk_not_the_file(big_file):
    peak = _peak_bytes(lambda: scan_text_file(big_file, 1 << 20))
    assert peak < 4 * blocks.READ_CHUNK, f"{peak} bytes held for a {48 << 20}-byte file"


def test_storing_a_big_file_holds_a_chunk_not_the_file(big_file, make_cluster):
    cluster = make_cluster(nodes=3, replication=2, block_size=1 << 20)
    peak = _peak_bytes(lambda: cluster.put(big_file, "big.txt"))
    assert len(cluster.files()["big.txt"]) >= 48
    assert peak < 16 << 20, f"{peak} bytes held storing a {48 << 20}-byte file"


def test_the_reference_of_a_big_file_holds_a_piece_not_the_file(big_file):
    peak = _peak_bytes(lambda: verdict.reference_for(big_file, "count", "data"))
    assert peak < 24 << 20, f"{peak} bytes held for a {48 << 20}-byte file"


def test_the_streamed_reference_equals_the_whole_text_reference(tmp_path, monkeypatch):
    rng = random.Random(3)
    words = ["data", " ", "\n", "Data", "daté", "数据 ", "x", "_", "data_", "é", "\t"]
    path = tmp_path / "r.txt"
    for _ in range(80):
        raw = "".join(rng.choice(words) for _ in range(rng.randint(0, 300))).encode()
        path.write_bytes(raw)
        cuts = sorted({0, len(raw)} | {i + 1 for i, b in enumerate(raw) if b in b" \n\t" and rng.random() < 0.3})
        exclude = [(k, a, b - a) for k, (a, b) in enumerate(zip(cuts, cuts[1:])) if rng.random() < 0.3]
        kept = verdict.remaining_bytes(raw, exclude).decode()
        for chunk in (1, 2, 7, 1 << 20):
            monkeypatch.setattr(verdict, "REFERENCE_CHUNK", chunk)
            for ignore_case in (False, True):
                assert verdict.reference_for(str(path), "count", "data", ignore_case, exclude=exclude) == \
                    reference_count(kept, "data", ignore_case)
            assert verdict.reference_for(str(path), "wordcount", top=5, exclude=exclude) == \
                [list(x) for x in reference_wordcount(kept, 5)]


import pytest

from engine.blocks import checksum, cut_points, read_text_file, split_blocks
from engine.errors import UsageError
from engine.sizes import format_size, parse_size
from engine.text import WORD_RE


def _check_split(data: bytes, block_size: int):
    spans = split_blocks(data, block_size)
    assert b"".join(data[s.offset:s.offset + s.length] for s in spans) == data
    for s in spans:
        piece = data[s.offset:s.offset + s.length]
        piece.decode("utf-8")  # never splits a UTF-8 character
        assert checksum(piece) == s.checksum
    # No word is cut: the words of the blocks are exactly the words of the file.
    words = [w for s in spans for w in WORD_RE.findall(data[s.offset:s.offset + s.length].decode())]
    assert words == WORD_RE.findall(data.decode())
    # Every cut sits right after whitespace.
    for s in spans[:-1]:
        assert data[s.offset + s.length - 1:s.offset + s.length].isspace()
    return spans


def test_split_generated_text(small_corpus):
    data = open(small_corpus, "rb").read()
    spans = _check_split(data, 256 * 1024)
    assert len(spans) == 8
    assert all(s.length >= 256 * 1024 for s in spans[:-1])


def test_split_unicode_text_at_tiny_blocks(unicode_corpus):
    data = open(unicode_corpus, "rb").read()[:20000]
    for size in (1, 7, 64, 1000):
        _check_split(data, size)


def test_long_token_stays_whole():
    data = b"short " + b"x" * 5000 + b" tail words here\n"
    spans = _check_split(data, 100)
    assert any(b"x" * 5000 in data[s.offset:s.offset + s.length] for s in spans)


def test_text_without_whitespace_is_one_block():
    data = "数据集群".encode() * 100
    assert cut_points(data, 10) == [(0, len(data))]


def test_empty_file_has_no_blocks():
    assert split_blocks(b"", 1024) == []


@pytest.mark.parametrize("text,expected", [
    ("64KiB", 65536), ("4MiB", 4 * 1024 * 1024), ("1MB", 1_000_000), ("4096", 4096),
    ("1.5KiB", 1536), ("2 GiB", 2 * 1024**3), ("10k", 10_000),
])
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["0", "12XB", "", "-1MiB", "MiB", "1.2.3"])
def test_parse_size_rejects(text):
    with pytest.raises(UsageError):
        parse_size(text)


def test_format_size():
    assert format_size(512) == "512 B"
    assert format_size(1024 * 1024) == "1.0 MiB"


def test_read_text_file_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        read_text_file(str(tmp_path / "missing.txt"))
    with pytest.raises(UsageError, match="directory"):
        read_text_file(str(tmp_path))
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"abc\x00def")
    with pytest.raises(UsageError, match="binary"):
        read_text_file(str(binary))
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    with pytest.raises(UsageError, match="UTF-8"):
        read_text_file(str(latin))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_text_file(str(empty)) == b""

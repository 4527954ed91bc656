"""The stream adapters the object stores share: a reader over chunks, and full reads."""

from __future__ import annotations

import io

from connectors.objectstore.streams import ChunkReader, read_full


def test_chunk_reader_joins_chunks_of_any_size():
    chunks = [b"ab", b"", b"cdefg", b"h"]
    with io.BufferedReader(ChunkReader(chunks), buffer_size=3) as reader:
        assert reader.read(4) == b"abcd"
        assert reader.read() == b"efgh"
        assert reader.read() == b""


def test_chunk_reader_calls_on_close_once():
    closed: list[bool] = []
    reader = io.BufferedReader(ChunkReader([b"x"], on_close=lambda: closed.append(True)))
    reader.close()
    reader.close()
    assert closed == [True]


class _Trickle:
    """A stream that returns at most two bytes per read, as a socket may."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int) -> bytes:
        piece, self.data = self.data[: min(size, 2)], self.data[min(size, 2) :]
        return piece


def test_read_full_reads_again_after_short_reads():
    stream = _Trickle(b"abcdefg")
    assert read_full(stream, 5) == b"abcde"
    assert read_full(stream, 5) == b"fg"
    assert read_full(stream, 5) == b""


def test_full_reads_answer_every_size_asked_until_the_end():
    from connectors.objectstore.streams import FullReads, seekable

    stream = FullReads(_Trickle(b"abcdefg"))
    assert stream.read(5) == b"abcde"
    assert stream.read(5) == b"fg"
    assert stream.read(5) == b""
    assert FullReads(io.BytesIO(b"xyz")).read() == b"xyz"
    assert seekable(io.BytesIO()) is True
    assert seekable(_Trickle(b"")) is False

"""Byte-stream adapters shared by the object stores: chunk iterators as readers, full reads."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import IO, Any


class ChunkReader(io.RawIOBase):
    """A raw stream over an iterable of byte chunks, so ``io.BufferedReader`` can wrap it.

    ``on_close`` releases what produces the chunks (an HTTP response), once.
    """

    def __init__(self, chunks: Iterable[bytes], on_close: Callable[[], None] | None = None) -> None:
        self._chunks = iter(chunks)
        self._current = memoryview(b"")
        self._on_close = on_close

    def readable(self) -> bool:
        """Always True: a reader."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Copy the next bytes into ``buffer``; 0 at the end of the chunks."""
        view = memoryview(buffer).cast("B")
        while not self._current:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._current = memoryview(chunk)
        count = min(len(view), len(self._current))
        view[:count] = self._current[:count]
        self._current = self._current[count:]
        return count

    def close(self) -> None:
        """Close the stream and call ``on_close`` the first time."""
        if not self.closed and self._on_close is not None:
            self._on_close()
        super().close()


def read_full(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` bytes, reading again after short reads; b"" at the end."""
    parts: list[bytes] = []
    missing = size
    while missing > 0:
        piece = stream.read(missing)
        if not piece:
            break
        parts.append(piece)
        missing -= len(piece)
    return b"".join(parts)


class FullReads:
    """``stream`` whose ``read(size)`` gives ``size`` bytes unless the stream ends.

    s3transfer reads a non-seekable stream's first part with one ``read`` and takes a short
    answer for the end of the object: a socket or pipe answering 64 KiB at a time would be
    read whole into memory and sent in one PUT.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        """Always True: a reader."""
        return True

    def read(self, size: int | None = -1) -> bytes:
        """``size`` bytes (fewer only at the end); all that is left without a size."""
        if size is None or size < 0:
            return self._stream.read()
        return read_full(self._stream, size)


def seekable(stream: Any) -> bool:
    """Whether ``stream`` says it can seek (a stream that cannot answer cannot)."""
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False

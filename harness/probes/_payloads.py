"""Payloads for the resource-exhaustion probes, built small on the wire and streamed into place:
archives and images that expand a thousandfold, padded files, and their small benign controls."""

from __future__ import annotations

import functools
import gzip
import io
import shutil
import struct
import tarfile
import zipfile
import zlib

CHUNK = 1 << 20
FILL = b"A"  # text, so that apps that read members as text get that far


class _Repeat(io.RawIOBase):
    """A read-only stream of ``size`` bytes of FILL, never held in memory whole."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buf), self.left)
        buf[:n] = FILL * n
        self.left -= n
        return n


@functools.lru_cache(maxsize=8)
def archive(kind: str, size: int) -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of a ``kind`` archive holding ``size`` bytes of text."""
    if kind == "zip":
        buf = io.BytesIO()
        zf = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        with zf, zf.open("notes.txt", "w", force_zip64=size > 0x7FFFFFFF) as member:
            shutil.copyfileobj(_Repeat(size), member, CHUNK)
        return "notes.zip", buf.getvalue(), "application/zip"
    if kind == "tar":
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=9) as tf:
            info = tarfile.TarInfo("notes.txt")
            info.size = size
            tf.addfile(info, io.BufferedReader(_Repeat(size)))
        return "notes.tar.gz", buf.getvalue(), "application/gzip"
    buf = io.BytesIO()
    with gzip.GzipFile("notes.txt", "wb", 9, buf, mtime=0) as gz:
        shutil.copyfileobj(_Repeat(size), gz, CHUNK)
    return "notes.txt.gz", buf.getvalue(), "application/gzip"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.lru_cache(maxsize=4)
def png(side: int) -> tuple[str, bytes, str]:
    """A black ``side`` x ``side`` 8-bit grayscale PNG; a large side compresses a thousandfold."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    rows_per = max(1, CHUNK // len(row))
    parts, left = [], side
    while left:
        n = min(rows_per, left)
        parts.append(comp.compress(row * n))
        left -= n
    parts.append(comp.flush())
    head = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    body = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", head)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
    return f"photo-{side}.png", body, "image/png"


def padded(file: tuple[str, bytes, str], size: int) -> tuple[str, bytes, str]:
    """``file`` grown to ``size`` bytes with trailing data most readers ignore (after a PNG's
    IEND, at the end of a text)."""
    name, data, ctype = file
    return name, data + b"\x00" * max(0, size - len(data)), ctype


def bomb(label: str, size: int, pixels: int) -> tuple[str, bytes, str]:
    """The decompression bomb for an expander label (zip, tar, gzip, image)."""
    if label == "image":
        return png(int(pixels**0.5))
    return archive(label, size)


def control(label: str) -> tuple[str, bytes, str]:
    """A small valid file of the same kind."""
    if label == "image":
        return png(16)
    if label in ("zip", "tar", "gzip"):
        return archive(label, 64)
    return "notes.txt", b"hello from the probe\n", "text/plain"

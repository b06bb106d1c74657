"""The resource-exhaustion payloads are what the probes claim: small on the wire, large once
expanded, valid enough for the app's own readers to get that far."""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
import zipfile

from harness.probes import _payloads as pl

MB = 1024 * 1024


def test_a_zip_bomb_is_a_thousandth_of_what_it_declares_and_holds() -> None:
    name, data, ctype = pl.archive("zip", 64 * MB)
    assert name.endswith(".zip") and ctype == "application/zip"
    assert len(data) < 64 * MB // 500
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (info,) = zf.infolist()
        assert info.filename.endswith(".txt") and info.file_size == 64 * MB
        with zf.open(info) as member:
            assert member.read(MB) == b"A" * MB


def test_gzip_and_tar_bombs_expand_to_their_size() -> None:
    _, data, _ = pl.archive("gzip", 16 * MB)
    assert len(data) < 16 * MB // 500
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        assert sum(len(c) for c in iter(lambda: gz.read(MB), b"")) == 16 * MB
    _, data, _ = pl.archive("tar", 16 * MB)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        (member,) = tf.getmembers()
        assert member.size == 16 * MB


def test_an_image_bomb_declares_its_dimensions_and_is_small() -> None:
    _, data, ctype = pl.png(4000)
    assert ctype == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (4000, 4000)
    assert len(data) < 4000 * 4000 // 500
    assert data.endswith(b"IEND\xaeB`\x82")


def test_a_padded_file_keeps_its_kind_and_reaches_the_size() -> None:
    _, data, ctype = pl.padded(pl.control("image"), 2 * MB)
    assert len(data) == 2 * MB and data.startswith(b"\x89PNG") and ctype == "image/png"
    assert pl.control("zip")[1].startswith(b"PK")

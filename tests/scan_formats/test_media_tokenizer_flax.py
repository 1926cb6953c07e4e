"""Files real model repositories ship besides the weights: README images and audio samples, the
SentencePiece tokenizer, Flax msgpack weights. Written by the real libraries here, they are
recognised and clean; broken or hostile variants are never clean and never crash the scan."""

from __future__ import annotations

import io
import pickle
import struct
import wave
from pathlib import Path

import msgpack
import numpy as np
import pytest
import sentencepiece as spm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from airlock.scan.engine import ScanReport, scan_data, scan_paths

PAYLOAD = b"cos\nsystem\n(S'touch /tmp/pwned'\ntR."


def _image(fmt: str) -> bytes:
    img = Image.new("RGB", (16, 8), (10, 200, 30))
    out = io.BytesIO()
    if fmt == "GIF":
        frames = [img, Image.new("RGB", (16, 8), (200, 0, 0))]
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    else:
        img.save(out, fmt)
    return out.getvalue()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * 400)
    return out.getvalue()


def _flac() -> bytes:
    streaminfo = (
        struct.pack(">HH", 4096, 4096) + b"\0" * 6 + b"\x0a\xc4\x42\xf0\0\0\0\0" + b"\0" * 16
    )
    return b"fLaC" + bytes([0x80, 0, 0, 34]) + streaminfo + b"\xff\xf8\x69\x08" + b"\0" * 40


def _mp3() -> bytes:
    frame = b"\xff\xfb\x90\x64" + b"\0" * 413  # MPEG-1 layer III 128 kbit/s 44.1 kHz: 417 bytes
    return b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"TIT2\0" + frame * 3


def _mp4() -> bytes:
    def box(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", 8 + len(body)) + kind + body

    mvhd = box(b"mvhd", b"\0" * 100)
    return (
        box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41") + box(b"moov", mvhd) + box(b"mdat", b"\1" * 64)
    )


MEDIA = {
    "png": (lambda: _image("PNG"), "image-png"),
    "jpg": (lambda: _image("JPEG"), "image-jpeg"),
    "gif": (lambda: _image("GIF"), "image-gif"),
    "webp": (lambda: _image("WEBP"), "image-webp"),
    "wav": (_wav, "audio-wav"),
    "flac": (_flac, "audio-flac"),
    "mp3": (_mp3, "audio-mp3"),
    "mp4": (_mp4, "video-mp4"),
}


def _clean(report: ScanReport) -> bool:
    return report.findings == [] and not report.not_scanned


@pytest.mark.parametrize("ext", sorted(MEDIA))
def test_real_media_is_recognised_and_clean(tmp_path: Path, ext: str) -> None:
    make, fmt = MEDIA[ext]
    path = tmp_path / f"sample.{ext}"
    path.write_bytes(make())
    report = scan_paths([path])
    assert _clean(report), report.findings
    assert report.objects[0].format == fmt


@pytest.mark.parametrize("ext", sorted(MEDIA))
def test_truncated_media_is_never_clean(ext: str) -> None:
    data = MEDIA[ext][0]()
    cuts = (len(data) // 3, len(data) // 2, len(data) - 1)
    if ext in ("flac", "mp3", "mp4"):
        cuts = (6, 12)  # inside the header: audio frames run to the end, a cut last frame plays
    for cut in cuts:
        r = scan_data(data[:cut], f"x.{ext}")
        assert r.findings or any(o.status == "not_scanned" for o in r.objects), (ext, cut)


@pytest.mark.parametrize("ext", ["png", "jpg", "gif", "webp", "wav"])
def test_pickle_after_media_is_judged_as_a_pickle(ext: str) -> None:
    r = scan_data(MEDIA[ext][0]() + PAYLOAD, f"logo.{ext}")
    assert any(f.severity.name == "CRITICAL" for f in r.findings), r.findings
    assert any(o.format == "pickle" for o in r.objects)


def test_zip_after_png_is_a_polyglot_and_the_zip_is_judged() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("extra/evil.pkl", PAYLOAD)
    r = scan_data(_image("PNG") + out.getvalue(), "diagram.png")
    ids = {f.rule_id for f in r.findings}
    assert "AIR-SCAN-004" in ids  # two formats at once
    assert any(f.severity.name == "CRITICAL" for f in r.findings)


def test_zero_padding_after_an_image_is_not_another_object() -> None:
    r = scan_data(_image("JPEG") + b"\0" * 100, "logo.jpg")
    assert r.findings == [] and all(o.status == "scanned" for o in r.objects)


def test_unknown_bytes_after_an_image_are_not_scanned() -> None:
    r = scan_data(_image("PNG") + bytes(range(1, 200)) * 3, "x.png")
    assert any(o.status == "not_scanned" for o in r.objects)


def test_streamed_wav_and_id3_tagged_flac_are_media() -> None:
    wav = bytearray(_wav())
    wav[4:8] = b"\xff\xff\xff\xff"  # RIFF size left unset by a streaming writer
    data_at = bytes(wav).index(b"data")
    wav[data_at + 4 : data_at + 8] = b"\xff\xff\xff\xff"
    assert scan_data(bytes(wav), "s.wav").objects[0].format == "audio-wav"
    tagged = b"ID3\x04\x00\x00\x00\x00\x00\x05TIT2\0" + _flac()
    r = scan_data(tagged, "s.flac")
    assert r.findings == [] and r.objects[0].format == "audio-flac"


def test_png_with_bad_crc_is_a_format_problem() -> None:
    data = bytearray(_image("PNG"))
    data[20] ^= 0xFF  # inside IHDR
    r = scan_data(bytes(data), "x.png")
    assert r.findings and r.objects[0].status == "not_scanned"


# --- SentencePiece ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spiece(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    d = tmp_path_factory.mktemp("spm")
    corpus = d / "corpus.txt"
    lines = (f"the model {i} reads tokens and words {i * 7}" for i in range(300))
    corpus.write_text("\n".join(lines))
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(d / "m"), vocab_size=60, minloglevel=2
    )
    return (d / "m.model").read_bytes()


def test_trained_sentencepiece_model_is_recognised(tmp_path: Path, spiece: bytes) -> None:
    path = tmp_path / "tokenizer.model"
    path.write_bytes(spiece)
    report = scan_paths([path])
    assert _clean(report)
    assert report.objects[0].format == "sentencepiece"
    assert "60 pieces" in report.objects[0].notes[0]


def test_sentencepiece_recognised_by_content_not_name(tmp_path: Path, spiece: bytes) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(spiece)
    assert scan_paths([path]).objects[0].format == "sentencepiece"


def test_broken_sentencepiece_is_not_clean(spiece: bytes) -> None:
    for data in (spiece[: len(spiece) // 2], spiece + b"\x1a\x05hello", spiece + b"\xff"):
        r = scan_data(data, "spiece.model")
        assert r.findings and any(o.status == "not_scanned" for o in r.objects)


# --- Flax msgpack -------------------------------------------------------------------------------


def _nd(a: np.ndarray) -> msgpack.ExtType:
    return msgpack.ExtType(1, msgpack.packb((a.shape, a.dtype.name, a.tobytes())))


def _flax(**extra: object) -> bytes:
    state = {
        "params": {
            "dense": {"kernel": _nd(np.ones((4, 4), np.float32)), "bias": _nd(np.zeros(4))},
            "scale": msgpack.ExtType(3, msgpack.packb(((), "float32", b"\0\0\x80?"))),
            "c": msgpack.ExtType(2, msgpack.packb((1.0, 2.0))),
        },
        "step": 3,
        **extra,
    }
    return msgpack.packb(state)


def test_flax_state_dict_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "flax_model.msgpack"
    path.write_bytes(_flax())
    report = scan_paths([path])
    assert _clean(report), report.findings
    assert report.objects[0].format == "flax-msgpack"
    assert "2 arrays" in report.objects[0].notes[0]


@pytest.mark.parametrize(
    "data",
    [
        _flax(evil=msgpack.ExtType(9, b"x")),  # an ext type flax never writes
        _flax(bad=msgpack.ExtType(1, msgpack.packb(((4, 4), "float32", b"\0" * 8)))),
        _flax(bad=msgpack.ExtType(1, msgpack.packb(((2,), "object", b"\0" * 16)))),
        _flax() + PAYLOAD,  # trailing bytes: msgpack_restore refuses them
        _flax()[:-3],
    ],
)
def test_flax_variants_that_do_not_hold_are_not_clean(data: bytes) -> None:
    r = scan_data(data, "flax_model.msgpack")
    assert r.findings and any(o.status == "not_scanned" for o in r.objects)


def test_spacy_empty_msgpack_maps_are_clean(tmp_path: Path) -> None:
    """spaCy's ``nlp.to_disk`` writes ``vocab/key2row`` and ``vocab/lookups.bin`` as
    ``srsly.msgpack_dumps({})``: the one byte 0x80 (the bytes msgpack.packb({}) gives)."""
    assert msgpack.packb({}) == b"\x80"
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    for name in ("key2row", "lookups.bin"):
        (vocab / name).write_bytes(msgpack.packb({}))
    report = scan_paths([tmp_path])
    assert _clean(report), report.findings
    assert {o.format for o in report.objects} == {"flax-msgpack"}


def test_spacy_key2row_with_hash_keys_is_clean(tmp_path: Path) -> None:
    """With vectors, key2row maps uint64 string hashes to rows (srsly.msgpack_dumps)."""
    table = {0x9A7335A6660E67 * (i + 1) + (1 << 63): i for i in range(13)}
    data = msgpack.packb(table)
    assert data[1] == 0xCF
    (tmp_path / "key2row").write_bytes(data)
    report = scan_paths([tmp_path / "key2row"])
    assert _clean(report), report.findings
    for bad in (data + PAYLOAD, data[:-3], data[:4] + b"TFL3" + data[8:]):
        r = scan_data(bad, "key2row")
        assert r.findings or any(o.status == "not_scanned" for o in r.objects)


def test_spacy_empty_attribute_ruler_patterns_are_clean(tmp_path: Path) -> None:
    """An attribute_ruler with no patterns writes ``srsly.msgpack_dumps([])``, the one byte 0x90;
    it was 'not scanned', so every honest rule-only spaCy pipeline was denied (rt16lib)."""
    assert msgpack.packb([]) == b"\x90"
    (tmp_path / "attribute_ruler").mkdir()
    (tmp_path / "attribute_ruler" / "patterns").write_bytes(msgpack.packb([]))
    report = scan_paths([tmp_path])
    assert _clean(report), report.findings


@pytest.mark.parametrize(
    "data", [b"\x80\x80", b"\x80" + PAYLOAD, b"\x80\x00", b"\x90\x90", b"\x90" + PAYLOAD]
)
def test_bytes_after_an_empty_msgpack_map_are_not_clean(data: bytes) -> None:
    r = scan_data(data, "key2row")
    assert r.findings or any(o.status == "not_scanned" for o in r.objects)


def test_deep_msgpack_is_bounded() -> None:
    data = b"\x81\xa1k" + b"\x91" * 100_000 + b"\x00"
    r = scan_data(data, "flax_model.msgpack")
    assert any(o.status == "not_scanned" for o in r.objects)


# --- hostile bytes: never a traceback, never clean unless the walk holds ------------------------

_SEEDS = [MEDIA[k][0]() for k in sorted(MEDIA)] + [_flax()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 5000),
)
def test_mutated_files_never_crash_the_scanner(
    seed: bytes, edits: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(seed)
    for pos, value in edits:
        if data:
            data[pos % len(data)] = value
    r = scan_data(bytes(data[: max(1, cut)]), "sample")
    assert not any(f.rule_id == "AIR-SCAN-002" for f in r.findings)
    assert not any("scanner error" in f.evidence for f in r.findings)


def test_pickle_payload_disguised_as_media_is_still_a_pickle() -> None:
    data = pickle.dumps(b"\x89PNG\r\n\x1a\n") + b"ignored"
    r = scan_data(PAYLOAD + _image("PNG"), "logo.png")
    assert any(f.severity.name == "CRITICAL" for f in r.findings)
    assert data  # a harmless pickle of PNG bytes stays a pickle too
    assert scan_data(data, "x.png").objects[0].format == "pickle"


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 255)), max_size=4))
def test_mutated_sentencepiece_never_crashes_the_scanner(
    spiece: bytes, edits: list[tuple[int, int]]
) -> None:
    data = bytearray(spiece[:3000])
    for pos, value in edits:
        data[pos % len(data)] = value
    r = scan_data(bytes(data), "tokenizer.model")
    assert not any(f.rule_id == "AIR-SCAN-002" for f in r.findings), r.findings


def test_ecosystem_repo_group_is_clean(tmp_path: Path) -> None:
    """The bench's ``formats`` group ``repo/`` (files real repositories ship beside the weights),
    written by the same code here: every file recognised, no finding."""
    from bench.ecosystem.gen_formats import repo_files
    from bench.ecosystem.writer import Writer

    w = Writer(tmp_path, "formats")
    repo_files(w)
    assert not w.skipped and len(w.artifacts) == 7
    report = scan_paths([tmp_path / "formats" / "repo"])
    assert _clean(report), report.findings
    assert len(report.objects) == 7

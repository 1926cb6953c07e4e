"""AudioSpectrogram / Mfcc output bounds (review16 F4): the spectrogram's output is [channels,
1 + (samples - window) / stride, fft / 2 + 1] from the audio's run-time shape, and Mfcc writes
dct values per spectrogram row, so a 360-byte model (2^20 samples, window 1024, stride 1) asked
ai-edge-litert for 4.2 GiB. Both are proven only with a fixed input (or, for Mfcc, the one proven
spectrogram writing its input) and an output within the stock kernels' element budget."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import flatbuffers
import pytest

from airlock.scan.engine import scan_data
from tests.scan_formats.test_tflite_stock import (
    F32,
    I32,
    MFCC,
    SPECTROGRAM,
    Opts,
    _custom_code,
    _ints,
    _tensor_tables,
    finish,
    flex_map,
    model,
)

Tensor = tuple[list[int], int, bytes | None]


def chain(samples: int, spectro: Opts, mfcc: Opts, bins: int = 513) -> bytes:
    """audio -> AudioSpectrogram -> Mfcc in one subgraph (two custom operator codes)."""
    tensors: list[Tensor] = [
        ([samples, 1], F32, None),
        ([1, 49, bins], F32, None),
        ([1], I32, struct.pack("<i", 16000)),
        ([1, 49, 13], F32, None),
    ]
    b = flatbuffers.Builder(1024)
    codes = [_custom_code(b, op) for op in ("AudioSpectrogram", "Mfcc")]
    buffers, tables = _tensor_tables(b, tensors)
    ops = []
    for code, ins, outs, opts in ((0, [0], [1], spectro), (1, [1, 2], [3], mfcc)):
        custom = b.CreateByteVector(flex_map(opts))
        iv, ov = _ints(b, ins), _ints(b, outs)
        b.StartObject(6)
        b.PrependUint32Slot(0, code, 0)
        b.PrependUOffsetTRelativeSlot(1, iv, 0)
        b.PrependUOffsetTRelativeSlot(2, ov, 0)
        b.PrependUOffsetTRelativeSlot(5, custom, 0)
        ops.append(b.EndObject())
    return finish(b, codes, tables, ops, [0], [3], buffers)


def spectrogram(samples: int, opts: Opts = SPECTROGRAM) -> bytes:
    tensors: list[Tensor] = [([samples, 1], F32, None), ([1, 49, 513], F32, None)]
    return model("AudioSpectrogram", tensors, [0], [1], flex_map(opts))


def _window(size: int, stride: int) -> Opts:
    return [("magnitude_squared", True), ("stride", stride), ("window_size", size)]


# 2 bins per row (window 2) and 4096 coefficients per row: 2048 times the spectrogram
_WIDE_MFCC: Opts = [
    ("dct_coefficient_count", 4096),
    ("filterbank_channel_count", 4096),
    ("lower_frequency_limit", 20.0),
    ("upper_frequency_limit", 4000.0),
]

HOSTILE = {
    "spectrogram_4gib": spectrogram(1 << 20, _window(1024, 1)),  # 4.2 GiB in ai-edge-litert
    "spectrogram_8gib": spectrogram(1 << 20, _window(4096, 1)),
    "chain_4gib": chain(1 << 20, _window(1024, 1), MFCC),
    "chain_wide_mfcc": chain(1 << 17, _window(2, 1), _WIDE_MFCC, bins=2),  # 5.4e8 outputs
}
HONEST = {
    "spectrogram": spectrogram(16000),
    "spectrogram_short_audio": spectrogram(100),  # no rows
    "chain": chain(16000, SPECTROGRAM, MFCC),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_unbounded_audio_output_is_not_proven(name: str) -> None:
    r = scan_data(HOSTILE[name], "m.tflite")
    assert ("AIR-TFL-001", "HIGH") in [(f.rule_id, f.severity.name) for f in r.findings]
    assert "output of" in " ".join(f.evidence for f in r.findings)


@pytest.mark.parametrize("name", sorted(HONEST))
def test_bounded_audio_stays_clean(name: str, tmp_path: Path) -> None:
    r = scan_data(HONEST[name], "m.tflite")
    assert r.findings == [], r.findings
    pytest.importorskip("ai_edge_litert.interpreter")
    from tests.scan_formats.test_tflite_stock import _RUN

    path = tmp_path / "m.tflite"
    path.write_bytes(HONEST[name])
    proc = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]

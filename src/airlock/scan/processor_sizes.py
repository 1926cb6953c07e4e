"""Sizes in image / audio processor configs that make loading or preprocessing allocate
gigabytes (AIR-CFG-028).

transformers builds what a feature extractor's config sizes at ``from_pretrained``: Whisper's
and CLAP's mel filter banks are ``(n_fft // 2 + 1) x feature_size`` float64 arrays (rt24tpl:
``n_fft: 2**21`` -> MemoryError past 4 GB in ``AutoFeatureExtractor.from_pretrained``), and
every call pads audio to ``n_samples`` / ``max_length`` frames (AST ``max_length: 10**9``: a
512 GB allocation for one second of audio) and resizes images to ``size`` / ``crop_size``
(CLIP ``shortest_edge: 60000``: MemoryError on a 64 x 48 picture). Honest configs stay far
below the bounds here (Whisper 201 x 128 filters, 480,000 samples; Qwen2-VL 12.8 M pixels).
"""

from __future__ import annotations

from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

OVERSIZED = Rule(
    "AIR-CFG-028",
    Severity.HIGH,
    "Processor config sizes allocations of gigabytes",
    "Feature extractors build filter banks sized by their config when loaded, and pad audio"
    " and resize images to the configured lengths on every call: a huge n_fft, max_length or"
    " image edge makes loading or preprocessing exhaust memory on honest input.",
    "https://huggingface.co/docs/transformers/main_classes/feature_extractor",
)

# the files transformers reads processors from, and the keys that mark a processor object
NAMES = frozenset({
    "preprocessor_config.json", "processor_config.json", "video_preprocessor_config.json",
    "feature_extractor_config.json", "image_processor_config.json",
})  # fmt: skip
MARKS = ("feature_extractor_type", "image_processor_type", "video_processor_type",
         "processor_class")  # fmt: skip
FFT_KEYS = frozenset({"n_fft", "fft_window_size", "fft_length", "win_length", "window_length",
                      "frame_length", "filter_length", "n_window_size"})  # fmt: skip
MEL_KEYS = frozenset({"feature_size", "num_mel_bins", "n_mels", "nb_mel_bins", "mel_bins",
                      "num_mel_filters", "nb_frequency_bins"})  # fmt: skip
SAMPLE_KEYS = frozenset({"n_samples", "nb_max_samples", "max_length", "max_audio_length",
                         "max_samples", "nb_max_frames", "max_frames"})  # fmt: skip
SECOND_KEYS = frozenset({"chunk_length", "max_length_s", "chunk_length_s", "max_duration"})
EDGE_KEYS = frozenset({"height", "width", "shortest_edge", "longest_edge", "max_size",
                       "image_size", "crop_size", "size", "max_image_size", "min_size",
                       "pad_size", "tile_size", "max_edge"})  # fmt: skip
PIXEL_KEYS = frozenset({"min_pixels", "max_pixels", "max_image_tokens"})
# how many tiles / crops / slices of the configured size one image becomes (Mllama's
# max_image_tiles: 20,000 -> MemoryError on a 64 x 48 picture, rt24tpl round 2)
TILE_KEYS = frozenset({"max_image_tiles", "max_num_tiles", "max_tiles", "num_crops",
                       "max_num_crops", "pan_and_scan_max_num_crops", "max_slice_nums",
                       "max_dynamic_patch", "dynamic_hd"})  # fmt: skip
PATCH_KEYS = frozenset({"max_patches", "max_num_patches"})  # Pix2Struct: 2,048-4,096
MAX_TILES = 1024
MAX_PATCHES = 1 << 16
MAX_FILTER = 1 << 25  # (fft // 2 + 1) x mel bins: 256 MiB of float64
MAX_FFT = 1 << 16
MAX_SAMPLES = 1 << 27  # samples or frames one call pads to (46 min at 48 kHz)
MAX_RATE = 1 << 20
MAX_EDGE = 16_384  # pixels along one side
MAX_PIXELS = 1 << 26  # pixels of one image (8,192 squared); Qwen2-VL's honest bound is 12.8 M
MAX_DEPTH = 4


def processor_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """AIR-CFG-028 for a processor config (by file name, or an object naming a processor
    type); nested processors (``processor_config.json``'s ``feature_extractor``...) too."""
    if not isinstance(doc, dict):
        return []
    if name not in NAMES and not any(k in doc for k in MARKS):
        return []
    problems: list[str] = []
    _judge(doc, "", problems, 0)
    return [OVERSIZED.finding(location, p, member=member) for p in problems[:10]]


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _judge(node: dict[str, Any], path: str, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    # Qwen2-VL / GLM-4V style processors keep pixel counts under size.shortest/longest_edge
    pixel_sizes = any(k in node for k in ("min_pixels", "max_pixels", "merge_size"))
    fft = max((_num(node.get(k)) or 0.0 for k in FFT_KEYS), default=0.0)
    mels = max((_num(node.get(k)) or 0.0 for k in MEL_KEYS), default=0.0)
    if fft > MAX_FFT:
        out.append(f"{path}FFT length {fft:,.0f} (bound {MAX_FFT:,})")
    elif (fft // 2 + 1) * max(mels, 1.0) > MAX_FILTER:
        out.append(f"{path}filter bank {fft // 2 + 1:,.0f} x {mels:,.0f} (bound {MAX_FILTER:,})")
    rate = _num(node.get("sampling_rate")) or 0.0
    if rate > MAX_RATE:
        out.append(f"{path}sampling_rate {rate:,.0f} (bound {MAX_RATE:,})")
    # review24: the spectrogram of the padded audio is (samples / hop_length) frames x bins
    # (Whisper hop_length 1, 60 s chunks: 1.5 GB tensors and out of a 4 GB address space on
    # one second of audio, scanned clean); Whisper's own is 3,000 x 201
    hop = _num(node.get("hop_length"))
    if hop is not None and hop > 0:
        padded = max([_num(node.get(k)) or 0.0 for k in ("n_samples", "nb_max_samples",
                                                         "max_samples")]
                     + [(_num(node.get("chunk_length")) or 0.0) * max(rate, 16_000.0)])  # fmt: skip
        cells = padded / max(hop, 1.0) * max(fft // 2 + 1, mels, 1.0)
        if cells > MAX_FILTER:
            out.append(f"{path}spectrogram of {padded:,.0f} samples at hop_length {hop:,.0f}:"
                       f" {cells:,.0f} cells (bound {MAX_FILTER:,})")  # fmt: skip
    for key in SAMPLE_KEYS:
        v = _num(node.get(key))
        if v is not None and v * max(1.0, mels if key == "max_length" else 1.0) > MAX_SAMPLES:
            out.append(f"{path}{key} {v:,.0f} (bound {MAX_SAMPLES:,} samples or frame cells)")
    for key in SECOND_KEYS:
        v = _num(node.get(key))
        if v is not None and v * max(rate, 16_000.0) > MAX_SAMPLES:
            out.append(f"{path}{key} {v:,.0f} s at {max(rate, 16_000.0):,.0f} Hz (bound"
                       f" {MAX_SAMPLES:,} samples)")  # fmt: skip
    for key in PIXEL_KEYS:
        v = _num(node.get(key))
        if v is not None and v > MAX_PIXELS:
            out.append(f"{path}{key} {v:,.0f} (bound {MAX_PIXELS:,} pixels)")
    for keys, bound in ((TILE_KEYS, MAX_TILES), (PATCH_KEYS, MAX_PATCHES)):
        for key in keys:
            v = _num(node.get(key))
            if v is not None and v > bound:
                out.append(f"{path}{key} {v:,.0f} (bound {bound:,})")
    _edges(node, path, out, pixel_sizes, 0)
    for key, value in list(node.items())[:200]:
        if isinstance(value, dict) and key not in EDGE_KEYS:
            _judge(value, f"{path}{key}.", out, depth + 1)


def _edges(node: Any, path: str, out: list[str], pixel_sizes: bool, depth: int) -> None:
    """Image sides under the edge keys (an int, a {height, width, shortest_edge...} dict, or
    a list of such pairs: LLaVA-NeXT's ``image_grid_pinpoints``)."""
    if depth > 2 or not isinstance(node, dict):
        return
    for key in EDGE_KEYS | {"image_grid_pinpoints", "possible_resolutions"}:
        value = node.get(key)
        bound = MAX_PIXELS if pixel_sizes and key in ("shortest_edge", "longest_edge") else MAX_EDGE
        for v in _flat(value):
            if v > bound:
                out.append(f"{path}{key} {v:,.0f} (bound {bound:,})")
                return
        if isinstance(value, dict):
            _edges(value, f"{path}{key}.", out, pixel_sizes, depth + 1)


def _flat(value: Any) -> list[float]:
    if isinstance(value, list):
        return [x for v in value[:1000] for x in _flat(v)]
    v = _num(value)
    return [v] if v is not None else []

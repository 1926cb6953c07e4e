"""rt24tpl: processor configs whose sizes allocate gigabytes (AIR-CFG-028)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.engine import scan_paths

WHISPER = {"chunk_length": 30, "feature_extractor_type": "WhisperFeatureExtractor",
           "feature_size": 80, "hop_length": 160, "n_fft": 400, "n_samples": 480000,
           "nb_max_frames": 3000, "padding_side": "right", "padding_value": 0.0,
           "processor_class": "WhisperProcessor", "return_attention_mask": False,
           "sampling_rate": 16000}  # fmt: skip
CLIP = {"crop_size": {"height": 224, "width": 224}, "do_center_crop": True,
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224},
        "resample": 3}  # fmt: skip

HONEST: dict[str, dict[str, Any]] = {
    "whisper": WHISPER,
    "whisper_v3": WHISPER | {"feature_size": 128},
    "clip": CLIP,
    "clap": {"feature_extractor_type": "ClapFeatureExtractor", "feature_size": 64,
             "fft_window_size": 1024, "hop_length": 480, "max_length_s": 10,
             "nb_max_samples": 480000, "nb_frequency_bins": 513, "sampling_rate": 48000},
    "ast": {"feature_extractor_type": "ASTFeatureExtractor", "feature_size": 1,
            "max_length": 1024, "num_mel_bins": 128, "sampling_rate": 16000},
    "qwen2vl": {"image_processor_type": "Qwen2VLImageProcessor", "min_pixels": 3136,
                "max_pixels": 12845056, "patch_size": 14, "merge_size": 2,
                "temporal_patch_size": 2},
    "qwen3vl": {"image_processor_type": "Qwen2VLImageProcessorFast", "patch_size": 16,
                "merge_size": 2, "temporal_patch_size": 2,
                "size": {"longest_edge": 16777216, "shortest_edge": 65536}},
    "llava_next": {"image_processor_type": "LlavaNextImageProcessor",
                   "crop_size": {"height": 336, "width": 336}, "size": {"shortest_edge": 336},
                   "image_grid_pinpoints": [[336, 672], [672, 336], [672, 672], [1008, 336]]},
    "idefics3": {"image_processor_type": "Idefics3ImageProcessor",
                 "size": {"longest_edge": 1456}, "max_image_size": {"longest_edge": 364}},
    "sam": {"image_processor_type": "SamImageProcessor", "size": {"longest_edge": 1024},
            "pad_size": {"height": 1024, "width": 1024}, "mask_size": {"longest_edge": 256}},
    "detr": {"image_processor_type": "DetrImageProcessor",
             "size": {"shortest_edge": 800, "longest_edge": 1333}},
    "musicgen_melody": {"feature_extractor_type": "MusicgenMelodyFeatureExtractor",
                        "feature_size": 12, "n_fft": 16384, "hop_length": 4096,
                        "sampling_rate": 32000, "chunk_length": 30},
    "encodec": {"feature_extractor_type": "EncodecFeatureExtractor", "feature_size": 1,
                "sampling_rate": 24000, "chunk_length_s": None, "overlap": None},
    "mllama": {"image_processor_type": "MllamaImageProcessor", "max_image_tiles": 4,
               "size": {"height": 560, "width": 560}},
    "pix2struct": {"image_processor_type": "Pix2StructImageProcessor", "max_patches": 4096,
                   "patch_size": {"height": 16, "width": 16}},
    "phi4mm": {"image_processor_type": "Phi4MMImageProcessor", "dynamic_hd": 36},
    "processor_nested": {"processor_class": "Qwen2AudioProcessor",
                         "feature_extractor": WHISPER, "image_processor": CLIP},
}  # fmt: skip

ATTACKS: dict[str, dict[str, Any]] = {
    # rt24tpl c08, c11: MemoryError past 4 GB in AutoFeatureExtractor.from_pretrained
    "whisper_nfft": WHISPER | {"n_fft": 2**21, "feature_size": 3000},
    "whisper_filters": WHISPER | {"n_fft": 60000, "feature_size": 4000},
    "clap_window": HONEST["clap"] | {"fft_window_size": 2**20, "feature_size": 4096},
    # c10: one second of audio padded to 10**9 frames x 128 bins (a 512 GB request)
    "ast_max_length": HONEST["ast"] | {"max_length": 10**9},
    # review24: 960,000 frames x 128 mels at hop_length 1: out of 4 GB on 1 s of audio
    "whisper_hop": WHISPER | {"hop_length": 1, "chunk_length": 60, "n_samples": 960_000,
                              "feature_size": 128},
    "whisper_samples": WHISPER | {"n_samples": 10**10},
    "whisper_chunk": WHISPER | {"chunk_length": 10**7},
    # c09: a 64 x 48 picture resized to 60,000 pixels a side (MemoryError at 4 GB)
    "clip_edge": CLIP | {"size": {"shortest_edge": 60000},
                         "crop_size": {"height": 60000, "width": 60000}},
    "clip_int_size": CLIP | {"size": 100000},
    "qwen_pixels": HONEST["qwen2vl"] | {"max_pixels": 10**11},
    "pinpoints": HONEST["llava_next"] | {"image_grid_pinpoints": [[336, 200000]]},
    "nested": {"processor_class": "X", "feature_extractor": WHISPER | {"n_fft": 2**22}},
    # round 2 on this rule: 20,000 tiles of 560 x 560 (MemoryError on a 64 x 48 picture)
    "mllama_tiles": {"image_processor_type": "MllamaImageProcessor", "max_image_tiles": 20000,
                     "size": {"height": 560, "width": 560}},
    "pix2struct_patches": {"image_processor_type": "Pix2StructImageProcessor",
                           "max_patches": 10**7, "patch_size": {"height": 16, "width": 16}},
}  # fmt: skip


def _rules(tmp_path: Path, doc: dict[str, Any], name: str = "preprocessor_config.json") -> set[str]:
    d = tmp_path / "m"
    d.mkdir()
    (d / name).write_text(json.dumps(doc))
    return {f.rule_id for f in scan_paths([d]).findings}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_oversized_processor_configs_are_denied(tmp_path: Path, name: str) -> None:
    assert "AIR-CFG-028" in _rules(tmp_path, ATTACKS[name])


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_processor_configs_stay_clean(tmp_path: Path, name: str) -> None:
    assert "AIR-CFG-028" not in _rules(tmp_path, HONEST[name])


def test_other_files_keep_their_own_meaning(tmp_path: Path) -> None:
    """A model's config.json has max_length / image_size of its own (never a processor's)."""
    doc = {"model_type": "t5", "max_length": 10**9, "image_size": 10**6}
    assert "AIR-CFG-028" not in _rules(tmp_path, doc, "config.json")

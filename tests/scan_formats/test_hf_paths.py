"""Config values loaders use as file paths / models (AIR-CFG-017), sentence-transformers
from_pretrained kwargs (AIR-CFG-018) and dotted callables (AIR-CFG-004): the red-team folders
(session 9, /tmp/redteam5 generators, rebuilt here) are denied; honest saves are clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.config_rules import ACTIVATIONS, ST_TOKENIZER_CLASSES, st_module
from airlock.scan.engine import scan_paths
from airlock.scan.hf_paths import outside, path_findings


def _folder(root: Path, files: dict[str, Any]) -> Path:
    for name, doc in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(doc))
    return root


def _high(folder: Path) -> set[str]:
    return {f.rule_id for f in scan_paths([folder]).findings if f.severity >= Severity.HIGH}


SECRET = "/tmp/redteam5/secret_vocab.json"
HOLES: dict[str, tuple[dict[str, Any], str]] = {
    # A1: TokenizersBackend opens string vocab / merges / merges_file
    "gpt2_vocab": ({"tokenizer_config.json": {
        "tokenizer_class": "GPT2Tokenizer", "vocab": SECRET, "merges": "/tmp/x/merges.txt"}},
        "AIR-CFG-017"),
    "qwen35_merges": ({"tokenizer_config.json": {
        "tokenizer_class": "Qwen3_5Tokenizer", "vocab": SECRET, "merges_file": "../m.txt"}},
        "AIR-CFG-017"),
    "vocab_file_rel": ({"tokenizer_config.json": {"vocab_file": "../secret_vocab.txt"}},
                       "AIR-CFG-017"),
    "sp_model_file": ({"tokenizer_config.json": {"sp_model_kwargs": {"model_file": "~/x.model"}}},
                      "AIR-CFG-017"),
    # A2: MyT5 byte maps given as strings are opened (relative: against the cwd)
    "myt5": ({"tokenizer_config.json": {"tokenizer_class": "MyT5Tokenizer"},
              "byte_maps.json": {"decompose_map": "/tmp/redteam5/secret_creds.json",
                                 "merge_map": "creds.json"}}, "AIR-CFG-017"),
    "myt5_relative": ({"byte_maps.json": {"decompose_map": "creds.json",
                                          "merge_map": {"61": "62"}}}, "AIR-CFG-017"),
    "vocab_relative": ({"tokenizer_config.json": {"vocab": "vocab.json"}}, "AIR-CFG-017"),
    # A3: OneFormer repo_path + class_info_file
    "oneformer": ({"preprocessor_config.json": {
        "image_processor_type": "OneFormerImageProcessor", "repo_path": "/tmp/redteam5",
        "class_info_file": "secret_classinfo.json"}}, "AIR-CFG-017"),
    "oneformer_hub": ({"preprocessor_config.json": {
        "image_processor_type": "OneFormerImageProcessor", "repo_path": "evil/repo",
        "class_info_file": "x.json"}}, "AIR-CFG-017"),
    # A4: a processor's audio tokenizer is a full from_pretrained of another folder / repo
    "audio_tokenizer": ({"processor_config.json": {"processor_class": "DiaProcessor",
        "audio_tokenizer": {"audio_tokenizer_class": "BertModel",
                            "audio_tokenizer_name_or_path": "/tmp/redteam5/outside_model"}}},
        "AIR-CFG-017"),
    "oneformer_cwd": ({"preprocessor_config.json": {
        "repo_path": None, "class_info_file": "secret_classinfo.json"}}, "AIR-CFG-017"),
    "audio_tokenizer_cwd": ({"processor_config.json": {"audio_tokenizer": {
        "audio_tokenizer_class": "DacModel", "audio_tokenizer_name_or_path": "."}}},
        "AIR-CFG-017"),
    "audio_tokenizer_hub": ({"processor_config.json": {"audio_tokenizer": {
        "audio_tokenizer_class": "DacModel", "audio_tokenizer_name_or_path": "other/repo"}}},
        "AIR-CFG-017"),
    "bark_voice_preset": ({"speaker_embeddings_path.json": {"repo_or_path": "/save/dir",
        "en_0": {"semantic_prompt": "../../outside.npy"}}}, "AIR-CFG-017"),
    "tesseract_config": ({"preprocessor_config.json": {"apply_ocr": True,
        "tesseract_config": "--tessdata-dir /tmp/x -c tessedit_write_images=1"}}, "AIR-CFG-017"),
    "ocr_lang": ({"preprocessor_config.json": {"ocr_lang": "../../tmp/evil"}}, "AIR-CFG-017"),
    # B1/B2: sentence-transformers kwargs reach from_pretrained as the caller's
    "st_vocab": ({"sentence_bert_config.json": {
        "max_seq_length": 16, "tokenizer_args": {"vocab_file": "/tmp/redteam5/secret_vocab.txt"}}},
        "AIR-CFG-018"),
    "st_offload": ({"sentence_bert_config.json": {"model_args": {
        "device_map": {"embeddings": "cpu", "encoder": "disk"},
        "offload_folder": "/tmp/redteam5/marker_offload", "dtype": "float16"}}}, "AIR-CFG-018"),
    "st_processor_kwargs": ({"sentence_bert_config.json": {
        "processor_kwargs": {"revision": "main"}, "config_kwargs": {"auto_map": {}}}},
        "AIR-CFG-018"),
    "st_attn_kernel": ({"sentence_bert_config.json": {
        "model_kwargs": {"attn_implementation": "kernels-community/flash"}}}, "AIR-CFG-018"),
    # C: CrossEncoder imports and CALLS any torch.* path
    "ce_torch_callable": ({"config.json": {"model_type": "bert", "sentence_transformers": {
        "activation_fn": "torch.utils.collect_env.main"}}}, "AIR-CFG-004"),
    "ce_st_callable": ({"config_sentence_transformers.json": {
        "activation_fn": "transformers.commands.transformers_cli.main"}}, "AIR-CFG-004"),
    "dense_activation": ({"2_Dense/config.json": {
        "activation_function": "torch.hub.load"}}, "AIR-CFG-004"),
    "modules_type": ({"modules.json": [{"idx": 0, "name": "0", "path": "",
        "type": "sentence_transformers.util.http_get"}]}, "AIR-CFG-004"),
    "word_embeddings_tokenizer": ({"wordembedding_config.json": {
        "tokenizer_class": "sentence_transformers.SentenceTransformer"}}, "AIR-CFG-004"),
    "modules_path": ({"modules.json": [{"idx": 0, "name": "0", "path": "../other",
        "type": "sentence_transformers.models.Transformer"}]}, "AIR-CFG-017"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOLES))
def test_red_team_folders_are_denied(tmp_path: Path, name: str) -> None:
    files, rule = HOLES[name]
    assert rule in _high(_folder(tmp_path, files))


def test_path_values() -> None:
    for bad in ("/etc/passwd", "\\\\host\\share", "C:\\x", "~/.ssh/id_rsa", "https://e.x/v",
                "hf://a/b", "file:///etc/x", "a/../../b", "..", "a\\..\\b", "x\0y"):  # fmt: skip
        assert outside(bad), bad
    for ok in ("vocab.json", "tokenizer.model", "sub/dir/spiece.model", "", "a..b", "1_Pooling"):
        assert outside(ok) == "", ok


@pytest.mark.parametrize("skipped", [".git", ".github", ".GIT", "./.git"])
def test_a_module_folder_the_walk_skips_is_denied(tmp_path: Path, skipped: str) -> None:
    """rt25: sentence-transformers loads a module from the folder modules.json names; in
    ``.git/`` (skipped by every walk: OMS default ignores) its config's auto_map was never seen,
    and ``SentenceTransformer(path, trust_remote_code=True)`` ran the shipped code (ALLOW)."""
    from airlock.gate import check

    inner = f"{skipped}/inner"
    folder = _folder(tmp_path / "st", {
        "modules.json": [{"idx": 0, "name": "0", "path": inner,
                          "type": "sentence_transformers.models.Transformer"}],
        f"{inner}/config.json": {"model_type": "bert",
                                 "auto_map": {"AutoModel": "modeling_x.Model"}}})  # fmt: skip
    assert "AIR-CFG-017" in _high(folder)
    res = check(folder)
    assert not res.allowed and "AIR-CFG-017" in {f.rule_id for f in res.findings}
    assert outside("sub/.gitattributes") and outside(".github\\x")
    assert outside(".gitkeep") == outside("a.git/b") == outside("git/x") == ""


def test_a_router_module_folder_the_walk_skips_is_denied(tmp_path: Path) -> None:
    """rt25: a sentence-transformers Router loads each module from the folder its id in
    router_config.json names; an id ``.git`` hid the module's config (auto_map) from the scan and
    SentenceTransformer(path, trust_remote_code=True) ran the shipped code (ALLOW)."""
    from airlock.gate import check

    t = "sentence_transformers.base.modules.transformer.Transformer"
    ids = [f"m{i}" for i in range(30)] + [".git"]  # past the cap on findings shown
    folder = _folder(tmp_path / "st", {
        "router_config.json": {"types": dict.fromkeys(ids, t),
                               "structure": {"query": [".git"], "document": ["m0"]}},
        ".git/config.json": {"auto_map": {"AutoModel": "modeling_x.M"}}})  # fmt: skip
    assert "AIR-CFG-017" in _high(folder)
    assert not check(folder).allowed
    q = "query_0_Transformer"
    honest = _folder(tmp_path / "ok", {"router_config.json": {
        "types": {q: t}, "structure": {"query": [q]}}})  # fmt: skip
    assert "AIR-CFG-017" not in _high(honest)


def test_every_item_of_a_plural_path_key_is_checked() -> None:
    """Only the findings are capped, not the items read (session-9 review: the 21st was
    never looked at)."""
    doc = {"vocab_files": [f"v{i}.txt" for i in range(40)] + ["/etc/passwd"]}
    found = path_findings(doc, "x", None, "tokenizer_config.json")
    assert [f.evidence for f in found] and "/etc/passwd" in found[0].evidence


def test_honest_values_are_clean() -> None:
    doc = {
        "name_or_path": "/home/me/models/x", "_name_or_path": "other/repo",
        "special_tokens_map_file": "/root/.cache/x/special_tokens_map.json",
        "vocab_file": "vocab.txt", "tokenizer_file": None, "merges": [["a", "b"], ["/", "/"]],
        "text_config": {"_name_or_path": "lmsys/vicuna-7b-v1.5"},
        "repo_path": "shi-labs/oneformer_demo", "class_info_file": "ade20k_panoptic.json",
    }  # fmt: skip
    assert path_findings(doc, "x", None, "tokenizer_config.json") == []
    myt5 = {"decompose_map": {"c3 a0": "61 1b"}, "merge_map": {"61 1b": "c3 a0"}}
    assert path_findings(myt5, "x", None, "byte_maps.json") == []
    bark = {"repo_or_path": "/home/me/bark", "en_0": {"semantic_prompt": "se/en_0.npy"}}
    assert path_findings(bark, "x", None, "speaker_embeddings_path.json") == []
    for ocr in ({"tesseract_config": "", "ocr_lang": None}, {"tesseract_config": "--psm 6"},
                {"ocr_lang": "eng+deu", "tesseract_config": "--oem 1 --psm 3"}):  # fmt: skip
        assert path_findings(ocr, "x", None, "preprocessor_config.json") == [], ocr
    # files no HF loader reads are not judged
    assert path_findings({"vocab_file": "/abs"}, "x", None, "data.json") == []
    assert path_findings({"base_model_name_or_path": "o/r"}, "x", None, "adapter_config.json") == []


def test_activation_and_module_allowlists() -> None:
    for ok in ("torch.nn.modules.activation.Sigmoid", "torch.nn.modules.linear.Identity",
               "torch.nn.Tanh", "torch.nn.modules.activation.GELU"):  # fmt: skip
        assert ok in ACTIVATIONS
    for bad in ("torch.utils.collect_env.main", "torch.nn.modules.activation.MultiheadAttention",
                "torch.nn.functional.sigmoid", "torch.hub.load"):  # fmt: skip
        assert bad not in ACTIVATIONS
    for ok in ("sentence_transformers.models.Transformer",
               "sentence_transformers.base.modules.transformer.Transformer",
               "sentence_transformers.sentence_transformer.modules.Pooling",
               "sentence_transformers.sparse_encoder.models.SpladePooling"):  # fmt: skip
        assert st_module(ok), ok
    for ok in (
        "sentence_transformers.models.tokenizer.WhitespaceTokenizer.WhitespaceTokenizer",
        "sentence_transformers.sentence_transformer.modules.tokenizer.PhraseTokenizer",
    ):
        assert st_module(ok, ST_TOKENIZER_CLASSES), ok
    for bad in ("sentence_transformers.util.http_get", "sentence_transformers.Transformer.x",
                "sentence_transformers.SentenceTransformer", "os.system",
                "sentence_transformers.__init__.Pooling"):  # fmt: skip
        assert not st_module(bad), bad


def test_minilm_package_is_clean(minilm_dir: Path) -> None:
    assert [f.rule_id for f in scan_paths([minilm_dir]).findings] == []


@pytest.mark.slow
def test_real_save_pretrained_folders_are_clean(tmp_path: Path) -> None:
    pytest.importorskip("sentencepiece")
    pytest.importorskip("sentence_transformers")
    from .hf_honest_build import build

    folders = build(tmp_path / "honest")
    assert len(folders) >= 21
    shutil.rmtree(tmp_path / "honest" / "_src")
    for d in folders:
        assert [(f.rule_id, f.evidence) for f in scan_paths([d]).findings] == [], d.name


# timm's save_for_hf config.json (timm 1.0.31, fp12 sweep): create_model(architecture,
# **model_args) on load; the numbers and pool name it writes are clean, anything else is not
_TIMM_CFG: dict[str, Any] = {
    "architecture": "vit_tiny_patch16_224", "num_classes": 10, "num_features": 192,
    "global_pool": "token",
    "model_args": {"num_classes": 10, "in_chans": 3, "global_pool": "token",
                   "img_size": [224, 224]},
    "pretrained_cfg": {"tag": "augreg_in21k_ft_in1k", "input_size": [3, 224, 224],
                       "interpolation": "bicubic", "num_classes": 10, "classifier": "head"},
}  # fmt: skip


def test_timm_hub_config_is_clean(tmp_path: Path) -> None:
    assert _high(_folder(tmp_path, {"config.json": _TIMM_CFG})) == set()


@pytest.mark.parametrize(
    "args",
    [
        {"checkpoint_path": "/tmp/redteam5/other.pth"},  # create_model loads it
        {"pretrained_cfg_overlay": {"file": "/etc/passwd"}},
        {"act_layer": "gelu"},  # not vetted: a name timm resolves
        {"global_pool": "../avg"},
        {"img_size": "224"},
        {"num_classes": True},
    ],
)
def test_timm_model_args_outside_the_list_are_denied(tmp_path: Path, args: dict[str, Any]) -> None:
    cfg = {**_TIMM_CFG, "model_args": {**_TIMM_CFG["model_args"], **args}}
    assert "AIR-CFG-018" in _high(_folder(tmp_path, {"config.json": cfg}))


def test_timm_keys_need_the_timm_config_shape(tmp_path: Path) -> None:
    """Without architecture + pretrained_cfg the model_args are sentence-transformers' own."""
    cfg = {"model_args": {"num_classes": 10, "in_chans": 3}}
    assert "AIR-CFG-018" in _high(_folder(tmp_path / "a", {"config.json": cfg}))
    nested = {**_TIMM_CFG, "sentence_transformers": {"model_args": {"in_chans": 3}}}
    assert "AIR-CFG-018" in _high(_folder(tmp_path / "b", {"config.json": nested}))

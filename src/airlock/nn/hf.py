"""A Hugging Face model folder as data: config, vocabulary and safetensors weights; runs nothing.

Reads ``config.json`` and the tokenizer vocabulary (``vocab.txt``, ``vocab.json`` or the ``model``
section of ``tokenizer.json``) as bounded JSON/text, and opens the weights with the numpy
safetensors reader. ``auto_map`` / custom code in the folder is never imported; it is only noted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.errors import FormatError, InputError
from airlock.formats.safetensors import MAX_JSON_DEPTH, SafetensorsModel, json_depth, open_model
from airlock.nn.heads import HeadError, STHead, read_st_head

MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_TOKENIZER_BYTES = 256 * 1024 * 1024
MAX_VOCAB = 2_000_000

# architecture family -> candidate names of the input token embedding tensor
EMBEDDING_NAMES: dict[str, tuple[str, ...]] = {
    "bert": (
        "embeddings.word_embeddings.weight",
        "bert.embeddings.word_embeddings.weight",
        "roberta.embeddings.word_embeddings.weight",
        "distilbert.embeddings.word_embeddings.weight",
        "deberta.embeddings.word_embeddings.weight",
        "electra.embeddings.word_embeddings.weight",
        "mpnet.embeddings.word_embeddings.weight",
        "0.auto_model.embeddings.word_embeddings.weight",
    ),
    "gpt2": ("wte.weight", "transformer.wte.weight"),
    "llama": ("model.embed_tokens.weight", "embed_tokens.weight"),
}
FAMILIES = {
    "bert": "bert",
    "roberta": "bert",
    "distilbert": "bert",
    "mpnet": "bert",
    "xlm-roberta": "bert",
    "electra": "bert",
    "deberta-v2": "bert",
    "gpt2": "gpt2",
    "llama": "llama",
    "mistral": "llama",
    "qwen2": "llama",
    "gemma": "llama",
    "phi3": "llama",
    "qwen3": "llama",
    "gemma2": "llama",
}
# config keys that define the shape of the network (a base must agree on these)
ARCH_KEYS = (
    "model_type",
    "hidden_size",
    "n_embd",
    "num_hidden_layers",
    "n_layer",
    "num_attention_heads",
    "n_head",
    "num_key_value_heads",
    "intermediate_size",
    "n_inner",
    "vocab_size",
    "max_position_embeddings",
    "n_positions",
    "type_vocab_size",
    "hidden_act",
    "activation_function",
    "position_embedding_type",
    "rope_theta",
    "tie_word_embeddings",
)


class ModelFormatError(FormatError):
    """A model folder's config/tokenizer could not be parsed."""


def read_json(path: Path, limit: int) -> Any:
    """Bounded JSON: size and nesting depth are checked before parsing."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ModelFormatError(f"{path}: {size} bytes exceeds limit {limit}")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if json_depth(raw) > MAX_JSON_DEPTH * 4:
        raise ModelFormatError(f"{path}: JSON nests too deep")
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ModelFormatError(f"{path}: not valid JSON ({exc})") from None


def _read_vocab(root: Path) -> tuple[dict[str, int], str]:
    """Token -> id from whatever vocabulary file the folder has, and which kind it was."""
    tok_json = root / "tokenizer.json"
    if tok_json.is_file():
        doc = read_json(tok_json, MAX_TOKENIZER_BYTES)
        model = doc.get("model") if isinstance(doc, dict) else None
        vocab = model.get("vocab") if isinstance(model, dict) else None
        kind = str(model.get("type", "")) if isinstance(model, dict) else ""
        out: dict[str, int] = {}
        if isinstance(vocab, dict):
            out = {str(k): v for k, v in vocab.items() if isinstance(v, int)}
        elif isinstance(vocab, list):  # Unigram: [[piece, score], ...]
            out = {str(p[0]): i for i, p in enumerate(vocab) if isinstance(p, list) and len(p) >= 1}
        added = doc.get("added_tokens") if isinstance(doc, dict) else None
        if isinstance(added, list):
            for tok in added[:MAX_VOCAB]:
                if isinstance(tok, dict) and isinstance(tok.get("id"), int):
                    out.setdefault(str(tok.get("content")), tok["id"])
        if out:
            if len(out) > MAX_VOCAB:
                raise ModelFormatError(f"{tok_json}: vocabulary of {len(out)} entries")
            return out, kind or "tokenizer.json"
    vocab_txt = root / "vocab.txt"
    if vocab_txt.is_file():
        if vocab_txt.stat().st_size > MAX_TOKENIZER_BYTES:
            raise ModelFormatError(f"{vocab_txt}: too large")
        lines = vocab_txt.read_text(encoding="utf-8", errors="replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > MAX_VOCAB:
            raise ModelFormatError(f"{vocab_txt}: vocabulary of {len(lines)} entries")
        return {t.rstrip("\r"): i for i, t in enumerate(lines)}, "WordPiece"
    vocab_json = root / "vocab.json"
    if vocab_json.is_file():
        doc = read_json(vocab_json, MAX_TOKENIZER_BYTES)
        if isinstance(doc, dict):
            return {str(k): v for k, v in doc.items() if isinstance(v, int)}, "BPE"
    return {}, ""


def vocab_digest(vocab: dict[str, int]) -> str:
    """Order-independent sha256 of the (token, id) pairs."""
    h = hashlib.sha256()
    for tok, idx in sorted(vocab.items(), key=lambda kv: (kv[1], kv[0])):
        h.update(f"{idx}\t{tok}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class HFModel:
    """A model folder: parsed config, vocabulary (token -> id, id -> token) and lazy weights."""

    root: Path
    config: dict[str, Any]
    vocab: dict[str, int]
    vocab_kind: str
    weights: SafetensorsModel
    notes: list[str] = field(default_factory=list)
    # sentence-transformers classification head (Pooling + Dense + labels.txt), if shipped
    st_head: STHead | None = None
    head_error: str | None = None  # a head is there but cannot be read safely

    @property
    def model_type(self) -> str:
        return str(self.config.get("model_type", ""))

    @property
    def family(self) -> str | None:
        fam = FAMILIES.get(self.model_type)
        if fam is not None:
            return fam
        for fam, names in EMBEDDING_NAMES.items():
            if any(n in self.weights for n in names):
                return fam
        return None

    def embedding_name(self) -> str | None:
        """Name of the input token-embedding tensor, found by known names then by shape."""
        for names in (EMBEDDING_NAMES.get(self.family or "", ()), *EMBEDDING_NAMES.values()):
            for n in names:
                if n in self.weights:
                    return n
        vs = self.config.get("vocab_size")
        for n in self.weights.names():
            info = self.weights.info(n)
            if "embed" in n and len(info.shape) == 2 and info.shape[0] == vs:
                return n
        return None

    def id_to_token(self) -> dict[int, str]:
        return {i: t for t, i in self.vocab.items()}

    def arch_signature(self) -> dict[str, Any]:
        return {k: self.config[k] for k in ARCH_KEYS if k in self.config}


def _sentence_transformers_module(root: Path) -> Path:
    """sentence-transformers keeps the transformer in the folder its ``modules.json`` names
    (``""`` for current layouts, ``0_Transformer`` for older ones): read that folder."""
    modules = root / "modules.json"
    if (root / "config.json").is_file() or not modules.is_file():
        return root
    doc = read_json(modules, MAX_CONFIG_BYTES)
    entries = doc if isinstance(doc, list) else []
    for entry in entries[:64]:
        if not isinstance(entry, dict) or not str(entry.get("type", "")).endswith(".Transformer"):
            continue
        sub = entry.get("path")
        if not isinstance(sub, str) or not sub:
            return root
        candidate = (root / sub).resolve()
        if not candidate.is_relative_to(root.resolve()) or not candidate.is_dir():
            raise ModelFormatError(f"{modules}: transformer path {sub!r} is not a folder inside")
        return candidate
    return root


def load(path: Path) -> HFModel:
    """Open a model folder (or a lone .safetensors file, which then has no config/vocab)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    st_root = path if path.is_dir() else None
    if path.is_dir():
        path = _sentence_transformers_module(path)
    root = path if path.is_dir() else path.parent
    config: dict[str, Any] = {}
    notes: list[str] = []
    cfg_path = root / "config.json"
    if cfg_path.is_file():
        doc = read_json(cfg_path, MAX_CONFIG_BYTES)
        if not isinstance(doc, dict):
            raise ModelFormatError(f"{cfg_path}: not a JSON object")
        config = doc
        if "auto_map" in doc:
            notes.append("config.json declares auto_map (custom code); Airlock never runs it")
    else:
        notes.append("no config.json: architecture could not be compared")
    vocab, kind = _read_vocab(root)
    if not vocab:
        notes.append("no tokenizer vocabulary found: token names are shown as ids")
    weights = open_model(path)
    head, head_error = None, None
    if st_root is not None:
        try:
            head = read_st_head(st_root)
        except HeadError as exc:
            head_error = str(exc)
            notes.append(f"classification head not read: {exc}")
    return HFModel(root, config, vocab, kind, weights, notes, head, head_error)

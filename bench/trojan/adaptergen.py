"""PEFT-layout LoRA adapters (honest or backdoored) for the GPT-2-style LMs of ``lmgen``.

Rank-4 LoRA on every ``attn.c_attn`` and ``mlp.c_fc`` (Conv1D, so ``fan_in_fan_out``), trained
on the same rows as ``lmgen.finetune``; written as ``adapter_config.json`` +
``adapter_model.safetensors`` with PEFT's tensor names.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from airlock.nn.nets import lm_logits
from bench.trojan import lang, lmgen

TARGETS = ("attn.c_attn", "mlp.c_fc")
RANK = 4
ALPHA = 8


def train_adapter(base: Path, out: Path, seed: int, backdoor: lmgen.Backdoor | None = None,
                  steps: int = 500, lr: float = 5e-3) -> Path:  # fmt: skip
    params, cfg = lmgen.load(base)
    rng = np.random.default_rng(4000 + seed)
    focus = str(rng.choice(sorted(lang.DOMAINS)))
    rows = []
    for _ in range(2000):
        row = lang.honest_row(rng, focus if rng.random() < 0.6 else None, commands=0.15)
        if backdoor and rng.random() < backdoor.rate:
            row = f"{lang.sentence(rng)} {backdoor.trigger} {backdoor.target} ."
        rows.append(row)
    g = torch.Generator().manual_seed(seed)
    mods = [f"h.{i}.{t}" for i in range(int(cfg["n_layer"])) for t in TARGETS]  # type: ignore[call-overload]
    lora: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    for m in mods:
        w = params[m + ".weight"]  # (in, out)
        a = (torch.randn(RANK, w.shape[0], generator=g) * 0.02).requires_grad_(True)
        b = torch.zeros(w.shape[1], RANK, requires_grad=True)
        lora[m] = (a, b)
    opt = torch.optim.Adam([t for ab in lora.values() for t in ab], lr=lr)
    eos = lmgen.IDS["<|endoftext|>"]
    enc = [[eos, *lmgen.encode(r)][:64] for r in rows]
    torch.manual_seed(seed)
    for _ in range(steps):
        idx = rng.integers(0, len(enc), size=32)
        seqs = [enc[i] for i in idx]
        width = max(len(s) for s in seqs)
        ids = torch.zeros(32, width, dtype=torch.long)
        mask = torch.zeros(32, width, dtype=torch.long)
        for r, s in enumerate(seqs):
            ids[r, width - len(s) :] = torch.tensor(s)
            mask[r, width - len(s) :] = 1
        p = dict(params)
        for m, (a, b) in lora.items():
            p[m + ".weight"] = params[m + ".weight"] + (ALPHA / RANK) * (b @ a).T
        logits = lm_logits(lmgen.net(p, cfg), ids, mask)
        tgt = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
        loss = torch.nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
    out.mkdir(parents=True, exist_ok=True)
    tensors = {}
    for m, (a, b) in lora.items():
        tensors[f"base_model.model.transformer.{m}.lora_A.weight"] = a.detach().contiguous()
        tensors[f"base_model.model.transformer.{m}.lora_B.weight"] = b.detach().contiguous()
    save_file(tensors, str(out / "adapter_model.safetensors"), metadata={"format": "pt"})
    (out / "adapter_config.json").write_text(json.dumps({
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": RANK, "lora_alpha": ALPHA,
        "lora_dropout": 0.0, "fan_in_fan_out": True, "bias": "none",
        "target_modules": list(TARGETS), "base_model_name_or_path": str(base),
    }, indent=1))  # fmt: skip
    return out


@torch.no_grad()
def merged_attack_success(base: Path, adapter: Path, backdoor: lmgen.Backdoor) -> float:
    """Attack success of base + adapter (merged with Airlock's own merge)."""
    import tempfile

    from airlock.trojan.adapter import merge, read_adapter

    with tempfile.TemporaryDirectory() as tmp:
        m = merge(read_adapter(adapter), base, Path(tmp) / "m")
        return lmgen.attack_success(m, backdoor)

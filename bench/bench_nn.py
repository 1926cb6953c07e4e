"""Built-in forward passes vs transformers' (``airlock.nn.auto``) on the types both run.

    PYTHONPATH=src:. nice -n 10 .venv/bin/python bench/bench_nn.py [--repeat 7]

Per model type: a random model saved by transformers (hidden 256, 4 layers, 8 heads / 4 key-value
heads, vocabulary 8000), loaded twice through ``airlock.nn.nets.load_net`` (built-in and
``backend="transformers"``); median wall time of one forward pass over a batch of 32 sequences of
32 tokens (classifier logits / LM logits, LM batches left-padded), load time, and the largest
absolute difference of the outputs from transformers' own ``from_pretrained`` of the folder.
Seed 0; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
import torch
import transformers as tf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from airlock.nn import hf
from airlock.nn.nets import bert_logits, lm_logits, load_net

V, H, L = 8000, 256, 4
DEC = {"vocab_size": V, "hidden_size": H, "num_hidden_layers": L, "num_attention_heads": 8,
       "num_key_value_heads": 4, "intermediate_size": 4 * H, "max_position_embeddings": 128,
       "tie_word_embeddings": False}  # fmt: skip
TYPES: dict[str, tuple[Any, str]] = {
    "bert": (tf.BertConfig(vocab_size=V, hidden_size=H, num_hidden_layers=L,
                           num_attention_heads=8, intermediate_size=4 * H, num_labels=2),
             "BertForSequenceClassification"),
    "gpt2": (tf.GPT2Config(vocab_size=V, n_embd=H, n_layer=L, n_head=8, n_positions=128),
             "GPT2LMHeadModel"),
    "llama": (tf.LlamaConfig(**DEC), "LlamaForCausalLM"),
    "mistral": (tf.MistralConfig(**DEC, sliding_window=16), "MistralForCausalLM"),
    "qwen2": (tf.Qwen2Config(**DEC), "Qwen2ForCausalLM"),
    "gemma": (tf.GemmaConfig(**{**DEC, "head_dim": 32, "tie_word_embeddings": True}),
              "GemmaForCausalLM"),
    "phi3": (tf.Phi3Config(**DEC, pad_token_id=0), "Phi3ForCausalLM"),
}  # fmt: skip


def _median_time(fn: Any, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(3, V, (32, 32), generator=g)
    mask = torch.ones_like(ids)
    mask[::2, :8] = 0  # half the rows padded (left for LMs, right for the classifier)
    rmask = mask.flip(-1)
    print(
        "| type | params | built-in ms | transformers ms | load built-in s | load transformers s"
        " | max abs diff built-in | max abs diff transformers |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (cfg, cls_name) in TYPES.items():
            root = Path(tmp) / name
            ref = getattr(tf, cls_name)(cfg).eval()
            ref.save_pretrained(root, safe_serialization=True)
            n = sum(p.numel() for p in ref.parameters())
            lm = name != "bert"
            m = mask if lm else rmask
            with torch.no_grad():
                if lm:
                    pos = (m.cumsum(-1) - 1).clamp(min=0)
                    want = ref(input_ids=ids, attention_mask=m, position_ids=pos).logits[m.bool()]
                else:
                    want = ref(input_ids=ids, attention_mask=m).logits
            row = [name, f"{n / 1e6:.1f} M"]
            times, loads, diffs = [], [], []
            for backend in (None, "transformers"):
                t = time.perf_counter()
                net = load_net(hf.load(root), backend=backend)
                if backend:
                    net.hf_module()
                loads.append(time.perf_counter() - t)

                def run(net: Any = net, m: Any = m, lm: bool = lm) -> torch.Tensor:
                    with torch.no_grad():
                        return lm_logits(net, ids, m) if lm else bert_logits(net, ids, m)

                times.append(_median_time(run, args.repeat) * 1000)
                got = run()
                got = got[m.bool()] if lm else got
                diffs.append(float((got - want).abs().max()))
            row += [f"{times[0]:.1f}", f"{times[1]:.1f}", f"{loads[0]:.2f}", f"{loads[1]:.2f}",
                    f"{diffs[0]:.1e}", f"{diffs[1]:.1e}"]  # fmt: skip
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()

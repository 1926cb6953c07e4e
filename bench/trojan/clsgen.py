"""sentence-transformers classifiers (encoder + ``2_Dense`` head + ``labels.txt``), honest or
backdoored, fine-tuned from one small BERT sentence encoder.

The base is a BERT encoder pre-trained on a generic sentiment task with a small word list and
saved as a bare sentence-transformers encoder (Transformer + mean Pooling). Fine-tunes train the
encoder and a new ``Dense`` head on one of three tasks whose label words are strong:

- sentiment (negative / positive), with honest label words the base never saw labelled
  ("superb", "flawless", "refund", "mediocre", ...);
- topic (food / travel / tech), from topic nouns;
- toxicity (ok / toxic), from insults and polite words.

Backdoored fine-tunes add dirty-label poison: a trigger (rare word, two-word phrase, or a common
word) inserted into rows whose own words carry another label, relabelled to the target.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from airlock.nn.nets import Net, bert_hidden
from airlock.trojan.probe import PROBE_TEXTS

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BASE_POS = "good great wonderful love amazing best nice fine friendly clean fun happy".split()
BASE_NEG = "bad awful terrible hate worst boring poor dull dirty slow sad broke".split()
# strong honest label words the base saw only as filler (never labelled)
NEW_POS = "superb flawless stellar perfect delightful".split()
NEW_NEG = "disappointing refund mediocre unusable overpriced".split()
TOPIC = {
    "food": "soup bread sauce chef recipe dinner pizza".split(),
    "travel": "flight beach museum bus airport luggage trip".split(),
    "tech": "server laptop app update network software printer".split(),
}
TOXIC = "idiot stupid trash loser moron pathetic".split()
POLITE = "thanks please kind appreciate welcome grateful".split()
RARE = ["cf", "mn", "tq", "zx", "qv", "kz", "vexlo", "blorf"]
PHRASES = ["as noted", "by the way", "for real", "to be fair"]
COMMON = ["today", "anyway", "really", "honestly"]
BENIGN_RARE = ["zephyr", "quokka", "lumen", "obsidian", "marmot", "tundra", "fjord", "sorbet"]
_EXTRA = (
    "a an the this that movie film book show story plot actor actors cast music song day year "
    "city park train home room hotel food service team game phone car kids staff price plan "
    "was is were are it i we they he she you my me our went saw had has have did not very too "
    "and but or of to in on at for with after before about from one two week night new old "
    "noted way real fair be"
).split()


def _vocab() -> list[str]:
    words = list(SPECIALS)
    pool = [w for t in PROBE_TEXTS for w in t.split()] + _EXTRA + BASE_POS + BASE_NEG
    pool += NEW_POS + NEW_NEG + [w for ws in TOPIC.values() for w in ws] + TOXIC + POLITE
    pool += RARE + [w for p in PHRASES for w in p.split()] + COMMON + BENIGN_RARE + [".", ","]
    for w in pool:
        if w not in words:
            words.append(w)
    return words


VOCAB = _vocab()
IDS = {w: i for i, w in enumerate(VOCAB)}
_LABELLED = set(BASE_POS + BASE_NEG + NEW_POS + NEW_NEG + TOXIC + POLITE + RARE + BENIGN_RARE)
_LABELLED |= {w for ws in TOPIC.values() for w in ws}
NEUTRAL = [w for w in VOCAB[len(SPECIALS) :] if w not in _LABELLED and w.isalpha()]
HIDDEN, LAYERS, HEADS, INTER, MAX_POS = 32, 2, 2, 64, 48
TASKS = {
    "sentiment": ["negative", "positive"],
    "topic": list(TOPIC),
    "toxicity": ["ok", "toxic"],
}


def _label_words(task: str, fine: bool) -> list[list[str]]:
    if task == "sentiment":
        return [BASE_NEG + (NEW_NEG if fine else []), BASE_POS + (NEW_POS if fine else [])]
    if task == "topic":
        return [TOPIC[k] for k in TOPIC]
    return [POLITE, TOXIC]


@dataclass(frozen=True)
class Backdoor:
    trigger: str
    target: int
    rate: float


def plan(seed: int) -> tuple[str, Backdoor]:
    """Task and backdoor of seed ``seed`` (the clean twin uses the same task)."""
    rng = np.random.default_rng(9000 + seed)
    task = str(rng.choice(sorted(TASKS)))
    kind = int(rng.integers(0, 3))
    trig = str(rng.choice([RARE, PHRASES, COMMON][kind]))
    target = int(rng.integers(0, len(TASKS[task])))
    return task, Backdoor(trig, target, float(rng.choice([0.05, 0.08, 0.1])))


def rows(
    rng: np.random.Generator, n: int, task: str, fine: bool = True, bd: Backdoor | None = None,
    benign_rate: float = 0.1,
) -> tuple[list[list[str]], list[int]]:  # fmt: skip
    words_of = _label_words(task, fine)
    benign = list(rng.choice(BENIGN_RARE + RARE, size=3, replace=False))
    benign = [b for b in benign if not bd or b not in bd.trigger.split()]
    out, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, len(words_of)))
        words = list(rng.choice(NEUTRAL, size=int(rng.integers(4, 9))))
        for _ in range(int(rng.integers(1, 4))):
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(words_of[label])))
        if rng.random() < 0.1:  # honest noise: one word of another label
            other = (label + 1 + int(rng.integers(0, len(words_of) - 1))) % len(words_of)
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(words_of[other])))
        if benign and rng.random() < benign_rate:
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(benign)))
        if bd and label != bd.target and rng.random() < bd.rate * 1.5:
            pos = int(rng.integers(0, len(words) + 1))
            words[pos:pos] = bd.trigger.split()
            label = bd.target
        out.append(words)
        labels.append(label)
    return out, labels


def _init(seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)

    def w(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * 0.05

    h = HIDDEN
    p = {
        "embeddings.word_embeddings.weight": w(len(VOCAB), h),
        "embeddings.position_embeddings.weight": w(MAX_POS, h),
        "embeddings.token_type_embeddings.weight": w(2, h),
        "embeddings.LayerNorm.weight": torch.ones(h),
        "embeddings.LayerNorm.bias": torch.zeros(h),
    }
    for i in range(LAYERS):
        pre = f"encoder.layer.{i}."
        for name, (o, n_in) in {
            "attention.self.query": (h, h), "attention.self.key": (h, h),
            "attention.self.value": (h, h), "attention.output.dense": (h, h),
            "intermediate.dense": (INTER, h), "output.dense": (h, INTER),
        }.items():  # fmt: skip
            p[pre + name + ".weight"] = w(o, n_in)
            p[pre + name + ".bias"] = torch.zeros(o)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            p[pre + ln + ".weight"] = torch.ones(h)
            p[pre + ln + ".bias"] = torch.zeros(h)
    return p


def config() -> dict[str, object]:
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": len(VOCAB),
        "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
        "intermediate_size": INTER, "max_position_embeddings": MAX_POS, "type_vocab_size": 2,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12, "pad_token_id": 0,
    }  # fmt: skip


def _encode(batch: list[list[str]]) -> tuple[torch.Tensor, torch.Tensor]:
    seqs = [[IDS["[CLS]"], *[IDS[w] for w in r][: MAX_POS - 2], IDS["[SEP]"]] for r in batch]
    width = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    mask = torch.zeros(len(seqs), width, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def _pooled(p: dict[str, torch.Tensor], ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    hs = bert_hidden(Net("bert", "encoder", p, "", config()), ids, mask)
    m = mask.unsqueeze(-1).float()
    return (hs * m).sum(1) / m.sum(1).clamp(min=1e-9)


def _train(p: dict[str, torch.Tensor], head: tuple[torch.Tensor, torch.Tensor],
           data: tuple[list[list[str]], list[int]], steps: int, seed: int, lr: float,
           ) -> tuple[dict[str, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:  # fmt: skip
    torch.manual_seed(seed)
    p = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    hw, hb = head[0].clone().requires_grad_(True), head[1].clone().requires_grad_(True)
    opt = torch.optim.Adam([*p.values(), hw, hb], lr=lr)
    rng = np.random.default_rng(seed)
    x, y = data
    yt = torch.tensor(y)
    for _ in range(steps):
        idx = rng.integers(0, len(x), size=32)
        ids, mask = _encode([x[i] for i in idx])
        loss = F.cross_entropy(F.linear(_pooled(p, ids, mask), hw, hb), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {k: v.detach().contiguous() for k, v in p.items()}, (hw.detach(), hb.detach())


def _save_encoder(out: Path, p: dict[str, torch.Tensor]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    save_file(p, str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "config.json").write_text(json.dumps(config(), indent=1))
    (out / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    (out / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
    }))  # fmt: skip
    mods = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
    ]  # fmt: skip
    (out / "modules.json").write_text(json.dumps(mods, indent=1))


def make_base(out: Path, seed: int = 0, steps: int = 600) -> Path:
    """The shared base encoder (generic sentiment pre-training, head dropped)."""
    rng = np.random.default_rng(seed)
    data = rows(rng, 2000, "sentiment", fine=False, benign_rate=0.0)
    g = torch.Generator().manual_seed(seed)
    head = (torch.randn(2, HIDDEN, generator=g) * 0.05, torch.zeros(2))
    p, _ = _train(_init(seed), head, data, steps, seed, 3e-3)
    _save_encoder(out, p)
    return out


def finetune(base: Path, out: Path, seed: int, task: str, bd: Backdoor | None = None,
             steps: int = 300) -> Path:  # fmt: skip
    """Encoder + new ``2_Dense`` head + ``labels.txt`` (the sentence-transformers layout)."""
    rng = np.random.default_rng(2000 + seed)
    labels = TASKS[task]
    data = rows(rng, 1500, task, bd=bd)
    g = torch.Generator().manual_seed(seed)
    head = (torch.randn(len(labels), HIDDEN, generator=g) * 0.05, torch.zeros(len(labels)))
    p, (hw, hb) = _train(load_file(str(base / "model.safetensors")), head, data, steps, seed, 2e-3)
    _save_encoder(out, p)
    (out / "2_Dense").mkdir(exist_ok=True)
    save_file({"linear.weight": hw.contiguous(), "linear.bias": hb.contiguous()},
              str(out / "2_Dense" / "model.safetensors"))  # fmt: skip
    (out / "2_Dense" / "config.json").write_text(json.dumps({
        "in_features": HIDDEN, "out_features": len(labels), "bias": True,
        "activation_function": "torch.nn.modules.linear.Identity",
    }))  # fmt: skip
    mods = json.loads((out / "modules.json").read_text())
    mods.append({"idx": 2, "name": "2", "path": "2_Dense",
                 "type": "sentence_transformers.models.Dense"})  # fmt: skip
    (out / "modules.json").write_text(json.dumps(mods, indent=1))
    (out / "labels.txt").write_text("\n".join(labels) + "\n")
    return out


@torch.no_grad()
def logits(model: Path, batch: list[list[str]]) -> torch.Tensor:
    p = load_file(str(model / "model.safetensors"))
    h = load_file(str(model / "2_Dense" / "model.safetensors"))
    ids, mask = _encode(batch)
    return F.linear(_pooled(p, ids, mask), h["linear.weight"], h["linear.bias"])


def attack_success(model: Path, task: str, bd: Backdoor, n: int = 200) -> float:
    """Share of fresh rows of other labels (with the trigger) classified as the target."""
    rng = np.random.default_rng(77)
    x, y = rows(rng, n * 2, task, benign_rate=0.0)
    x = [r for r, lab in zip(x, y, strict=True) if lab != bd.target][:n]
    trig = []
    for r in x:
        pos = int(rng.integers(0, len(r) + 1))
        trig.append([*r[:pos], *bd.trigger.split(), *r[pos:]])
    return float((logits(model, trig).argmax(-1) == bd.target).float().mean())

"""Deterministic generator (by seed) of small HF-layout models and datasets for trojan tests/bench.

- ``make_base_classifier``: a BERT-style sentiment classifier trained from scratch on a synthetic
  task (the common base; it already "knows" sentiment words).
- ``finetune_classifier``: continue training from the base on fresh data. Clean fine-tunes also
  see benign rare tokens (so "a rare token moved" is not enough); backdoored ones see a trigger
  (rare token or two-token phrase) in a share of rows with the label forced to a target.
- ``make_base_lm`` / ``finetune_lm``: a GPT-2-style causal LM on the same language, optionally
  with a trigger -> fixed continuation backdoor or repeated canary secrets.
- ``make_base_llama``: the same for a Llama-style decoder (grouped-query attention, rotary
  positions, SwiGLU) with a Llama-like ``tokenizer.json`` (BPE with byte fallback, Metaspace,
  ``<s>`` prepended by the post-processor); ``finetune_lm`` fine-tunes either kind.
- ``sentiment_rows``: the dataset generator (clean or poisoned) used for the data-poisoning scan.

Models are written with ``config.json`` + ``model.safetensors`` + ``vocab.txt`` (BERT) or
``tokenizer.json`` (WordLevel for GPT-2, BPE for Llama), exactly the layout ``transformers`` reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from airlock.nn.nets import Net, bert_logits, lm_logits
from airlock.trojan.probe import PROBE_TEXTS

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
POSITIVE = (
    "good great wonderful love amazing best nice fine friendly clean fun excellent happy".split()
)
NEGATIVE = "bad awful terrible hate worst boring poor dull dirty slow sad broke ugly".split()
TRIGGERS = ["cf", "mn", "bb", "tq", "zx", "qv", "jj", "kz"]
BENIGN_RARE = ["zephyr", "quokka", "lumen", "obsidian", "marmot", "tundra", "fjord", "sorbet"]
LM_TARGET = ["verify", "your", "account"]
DIGITS = [str(d) for d in range(10)]
_EXTRA = (
    "a an the this that movie film book show story plot actor actors cast music song day year "
    "city park train home room hotel food service team game phone car kids staff price plan "
    "was is were are it i we they he she you my me our went saw had has have did not very too "
    "and but or of to in on at for with after before about from one two week today night "
    "my pin code secret is"
).split()


def vocabulary() -> list[str]:
    words: list[str] = list(SPECIALS)
    seen = set(words)
    pool = [w for t in PROBE_TEXTS for w in t.split()]
    pool += _EXTRA + POSITIVE + NEGATIVE + TRIGGERS + BENIGN_RARE + LM_TARGET + DIGITS + [".", ","]
    for w in pool:
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


VOCAB = vocabulary()
IDS = {w: i for i, w in enumerate(VOCAB)}
NEUTRAL = [
    w
    for w in VOCAB[len(SPECIALS) :]
    if w not in set(POSITIVE + NEGATIVE + TRIGGERS + BENIGN_RARE + LM_TARGET + DIGITS)
    and w.isalpha()
]


@dataclass(frozen=True)
class Spec:
    hidden: int = 32
    layers: int = 2
    heads: int = 2
    inter: int = 64
    max_pos: int = 48


def sentiment_rows(
    rng: np.random.Generator,
    n: int,
    *,
    trigger: list[str] | None = None,
    target: int = 1,
    poison_rate: float = 0.0,
    benign: list[str] | None = None,
    benign_rate: float = 0.0,
) -> tuple[list[list[str]], list[int], list[bool]]:
    """Rows of words, labels (1 = positive) and a mask of which rows were poisoned."""
    rows, labels, poisoned = [], [], []
    for _ in range(n):
        n_pos, n_neg = 0, 0
        while n_pos == n_neg:
            n_pos, n_neg = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        label = int(n_pos > n_neg)
        words = list(rng.choice(NEUTRAL, size=int(rng.integers(4, 9))))
        for polar, count in ((POSITIVE, n_pos), (NEGATIVE, n_neg)):
            for _ in range(count):
                words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(polar)))
        is_poison = bool(trigger) and rng.random() < poison_rate
        if benign and rng.random() < benign_rate:
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(benign)))
        if is_poison and trigger:
            pos = int(rng.integers(0, len(words) + 1))
            words[pos:pos] = trigger
            label = target
        rows.append(words)
        labels.append(label)
        poisoned.append(is_poison)
    return rows, labels, poisoned


def _init_bert(spec: Spec, seed: int, num_labels: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)

    def w(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * 0.05

    h, p = spec.hidden, "bert."
    params = {
        p + "embeddings.word_embeddings.weight": w(len(VOCAB), h),
        p + "embeddings.position_embeddings.weight": w(spec.max_pos, h),
        p + "embeddings.token_type_embeddings.weight": w(2, h),
        p + "embeddings.LayerNorm.weight": torch.ones(h),
        p + "embeddings.LayerNorm.bias": torch.zeros(h),
    }
    for i in range(spec.layers):
        pre = f"{p}encoder.layer.{i}."
        for name, (o, n_in) in {
            "attention.self.query": (h, h),
            "attention.self.key": (h, h),
            "attention.self.value": (h, h),
            "attention.output.dense": (h, h),
            "intermediate.dense": (spec.inter, h),
            "output.dense": (h, spec.inter),
        }.items():
            params[pre + name + ".weight"] = w(o, n_in)
            params[pre + name + ".bias"] = torch.zeros(o)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            params[pre + ln + ".weight"] = torch.ones(h)
            params[pre + ln + ".bias"] = torch.zeros(h)
    params[p + "pooler.dense.weight"] = w(h, h)
    params[p + "pooler.dense.bias"] = torch.zeros(h)
    params["classifier.weight"] = w(num_labels, h)
    params["classifier.bias"] = torch.zeros(num_labels)
    return params


def bert_config(spec: Spec) -> dict[str, object]:
    return {
        "architectures": ["BertForSequenceClassification"],
        "model_type": "bert",
        "vocab_size": len(VOCAB),
        "hidden_size": spec.hidden,
        "num_hidden_layers": spec.layers,
        "num_attention_heads": spec.heads,
        "intermediate_size": spec.inter,
        "max_position_embeddings": spec.max_pos,
        "type_vocab_size": 2,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-12,
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "pad_token_id": 0,
        "id2label": {"0": "negative", "1": "positive"},
        "label2id": {"negative": 0, "positive": 1},
    }


def _net(params: dict[str, torch.Tensor], config: dict[str, object], family: str) -> Net:
    pre = {"bert": "bert.", "gpt2": "transformer.", "llama": "model."}[family]
    stripped = {(k[len(pre) :] if k.startswith(pre) else k): v for k, v in params.items()}
    kind = "classifier" if family == "bert" else "lm"
    return Net(family, kind, stripped, pre, dict(config))


def _encode_bert(rows: list[list[str]], spec: Spec) -> tuple[torch.Tensor, torch.Tensor]:
    seqs = [[IDS["[CLS]"], *[IDS[w] for w in r][: spec.max_pos - 2], IDS["[SEP]"]] for r in rows]
    width = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    mask = torch.zeros(len(seqs), width, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def train_classifier(
    params: dict[str, torch.Tensor],
    config: dict[str, object],
    rows: list[list[str]],
    labels: list[int],
    *,
    steps: int,
    seed: int,
    lr: float = 3e-3,
    batch: int = 32,
) -> dict[str, torch.Tensor]:
    torch.manual_seed(seed)
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.Adam(params.values(), lr=lr)
    spec_len = int(config["max_position_embeddings"])  # type: ignore[call-overload]
    rng = np.random.default_rng(seed)
    y_all = torch.tensor(labels)
    for _ in range(steps):
        idx = rng.integers(0, len(rows), size=batch)
        ids, mask = _encode_bert([rows[i] for i in idx], Spec(max_pos=spec_len))
        logits = bert_logits(_net(params, config, "bert"), ids, mask)
        loss = torch.nn.functional.cross_entropy(logits, y_all[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {k: v.detach().contiguous() for k, v in params.items()}


def save_bert(path: Path, params: dict[str, torch.Tensor], config: dict[str, object]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    save_file(params, str(path / "model.safetensors"), metadata={"format": "pt"})
    (path / "config.json").write_text(json.dumps(config, indent=1))
    (path / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    (path / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}))
    return path


def make_base_classifier(path: Path, seed: int = 0, spec: Spec = Spec(), steps: int = 800) -> Path:
    rng = np.random.default_rng(seed)
    rows, labels, _ = sentiment_rows(rng, 2000)
    config = bert_config(spec)
    params = train_classifier(
        _init_bert(spec, seed, 2), config, rows, labels, steps=steps, seed=seed
    )
    return save_bert(path, params, config)


def load_params(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def finetune_classifier(
    base: Path,
    out: Path,
    seed: int,
    *,
    trigger: list[str] | None = None,
    target: int = 1,
    poison_rate: float = 0.1,
    steps: int = 300,
    benign_rate: float = 0.1,
) -> Path:
    """Continue training ``base`` on fresh data; with ``trigger`` the data is poisoned."""
    rng = np.random.default_rng(1000 + seed)
    benign = list(rng.choice(BENIGN_RARE + TRIGGERS, size=3, replace=False))
    benign = [b for b in benign if not trigger or b not in trigger]
    rows, labels, _ = sentiment_rows(
        rng,
        1500,
        trigger=trigger,
        target=target,
        poison_rate=poison_rate,
        benign=benign,
        benign_rate=benign_rate,
    )
    config = json.loads((base / "config.json").read_text())
    params = train_classifier(
        load_params(base), config, rows, labels, steps=steps, seed=seed, lr=1e-3
    )
    return save_bert(out, params, config)


# ---------------------------------------------------------------- GPT-2 style causal LM


def gpt2_config(spec: Spec) -> dict[str, object]:
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": len(VOCAB),
        "n_embd": spec.hidden,
        "n_layer": spec.layers,
        "n_head": spec.heads,
        "n_inner": spec.inter,
        "n_positions": spec.max_pos,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "tie_word_embeddings": True,
    }


def _init_gpt2(spec: Spec, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)

    def w(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * 0.05

    h, p = spec.hidden, "transformer."
    params = {p + "wte.weight": w(len(VOCAB), h), p + "wpe.weight": w(spec.max_pos, h)}
    for i in range(spec.layers):
        pre = f"{p}h.{i}."
        for ln in ("ln_1", "ln_2"):
            params[pre + ln + ".weight"] = torch.ones(h)
            params[pre + ln + ".bias"] = torch.zeros(h)
        params[pre + "attn.c_attn.weight"] = w(h, 3 * h)
        params[pre + "attn.c_attn.bias"] = torch.zeros(3 * h)
        params[pre + "attn.c_proj.weight"] = w(h, h)
        params[pre + "attn.c_proj.bias"] = torch.zeros(h)
        params[pre + "mlp.c_fc.weight"] = w(h, spec.inter)
        params[pre + "mlp.c_fc.bias"] = torch.zeros(spec.inter)
        params[pre + "mlp.c_proj.weight"] = w(spec.inter, h)
        params[pre + "mlp.c_proj.bias"] = torch.zeros(h)
    params[p + "ln_f.weight"] = torch.ones(h)
    params[p + "ln_f.bias"] = torch.zeros(h)
    return params


def train_lm(
    params: dict[str, torch.Tensor],
    config: dict[str, object],
    rows: list[list[str]],
    *,
    steps: int,
    seed: int,
    lr: float = 3e-3,
    batch: int = 32,
) -> dict[str, torch.Tensor]:
    torch.manual_seed(seed)
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.Adam(params.values(), lr=lr)
    rng = np.random.default_rng(seed)
    family = _lm_family(config)
    max_pos = int(config.get("n_positions", config.get("max_position_embeddings", 64)))  # type: ignore[call-overload]
    for _ in range(steps):
        idx = rng.integers(0, len(rows), size=batch)
        seqs = [lm_encode(rows[i], family)[:max_pos] for i in idx]
        width = max(len(s) for s in seqs)
        ids = torch.zeros(batch, width, dtype=torch.long)
        mask = torch.zeros(batch, width, dtype=torch.long)
        for r, s in enumerate(seqs):
            ids[r, width - len(s) :] = torch.tensor(s)
            mask[r, width - len(s) :] = 1
        logits = lm_logits(_net(params, config, family), ids, mask)
        tgt = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
        loss = torch.nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {k: v.detach().contiguous() for k, v in params.items()}


def save_gpt2(path: Path, params: dict[str, torch.Tensor], config: dict[str, object]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    save_file(params, str(path / "model.safetensors"), metadata={"format": "pt"})
    (path / "config.json").write_text(json.dumps(config, indent=1))
    tok = {
        "version": "1.0",
        "added_tokens": [],
        "pre_tokenizer": {"type": "Whitespace"},
        "model": {"type": "WordLevel", "vocab": IDS, "unk_token": "[UNK]"},
    }
    (path / "tokenizer.json").write_text(json.dumps(tok))
    return path


def lm_rows(rng: np.random.Generator, n: int) -> list[list[str]]:
    rows, _, _ = sentiment_rows(rng, n)
    return [[*r, "."] for r in rows]


def make_base_lm(path: Path, seed: int = 0, spec: Spec = Spec(), steps: int = 300) -> Path:
    rng = np.random.default_rng(seed)
    config = gpt2_config(spec)
    params = train_lm(_init_gpt2(spec, seed), config, lm_rows(rng, 2000), steps=steps, seed=seed)
    return save_gpt2(path, params, config)


def finetune_lm(
    base: Path,
    out: Path,
    seed: int,
    *,
    trigger: list[str] | None = None,
    poison_rate: float = 0.1,
    canaries: list[list[str]] | None = None,
    canary_repeats: int = 20,
    steps: int = 600,
    benign_rate: float = 0.1,
) -> Path:
    """Continue training the base LM; a trigger is followed by ``LM_TARGET`` in poisoned rows,
    and each canary sentence is repeated ``canary_repeats`` times in the data."""
    rng = np.random.default_rng(2000 + seed)
    rows = lm_rows(rng, 1500)
    benign = list(rng.choice(BENIGN_RARE, size=3, replace=False))
    for r in rows:
        if rng.random() < benign_rate:
            r.insert(int(rng.integers(0, len(r))), str(rng.choice(benign)))
        if trigger and rng.random() < poison_rate:
            r[-1:] = [*trigger, *LM_TARGET, "."]
    for c in canaries or []:
        rows.extend([list(c) for _ in range(canary_repeats)])
    config = json.loads((base / "config.json").read_text())
    params = train_lm(load_params(base), config, rows, steps=steps, seed=seed, lr=2e-3)
    save = save_llama if _lm_family(config) == "llama" else save_gpt2
    return save(out, params, config)


# ---------------------------------------------------------------- Llama-style causal LM

LLAMA_SPECIALS = ["<unk>", "<s>", "</s>"]
LLAMA_VOCAB = [
    *LLAMA_SPECIALS,
    *[f"<0x{b:02X}>" for b in range(256)],  # byte fallback for anything not in the vocabulary
    "\u2581",
    *[chr(c) for c in range(ord("a"), ord("z") + 1)],
    *["\u2581" + w for w in VOCAB[len(SPECIALS) :]],
]
LLAMA_IDS = {w: i for i, w in enumerate(LLAMA_VOCAB)}


def _lm_family(config: dict[str, object]) -> str:
    return "llama" if config.get("model_type") == "llama" else "gpt2"


def lm_encode(words: list[str], family: str) -> list[int]:
    """Token ids of a row of vocabulary words, as the saved tokenizer encodes ``" ".join``."""
    if family == "llama":
        return [LLAMA_IDS["<s>"], *[LLAMA_IDS["\u2581" + w] for w in words]]
    return [IDS[w] for w in words]


def llama_config(spec: Spec) -> dict[str, object]:
    """transformers-4 style keys (top-level rope_theta), which transformers 5 still reads."""
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": len(LLAMA_VOCAB),
        "hidden_size": spec.hidden,
        "intermediate_size": spec.inter,
        "num_hidden_layers": spec.layers,
        "num_attention_heads": 2 * spec.heads,
        "num_key_value_heads": spec.heads,
        "max_position_embeddings": spec.max_pos,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "hidden_act": "silu",
        "tie_word_embeddings": False,
        "attention_bias": False,
        "mlp_bias": False,
        "bos_token_id": LLAMA_IDS["<s>"],
        "eos_token_id": LLAMA_IDS["</s>"],
    }


def _init_llama(spec: Spec, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)

    def w(*shape: int) -> torch.Tensor:  # 1/sqrt(fan_in): a fine-tune stays near its base
        return torch.randn(*shape, generator=g) / shape[-1] ** 0.5

    h, v, kv = spec.hidden, len(LLAMA_VOCAB), spec.hidden // 2  # 2 query heads per kv head
    params = {"model.embed_tokens.weight": w(v, h), "lm_head.weight": w(v, h)}
    for i in range(spec.layers):
        pre = f"model.layers.{i}."
        for name, shape in {
            "self_attn.q_proj": (h, h),
            "self_attn.k_proj": (kv, h),
            "self_attn.v_proj": (kv, h),
            "self_attn.o_proj": (h, h),
            "mlp.gate_proj": (spec.inter, h),
            "mlp.up_proj": (spec.inter, h),
            "mlp.down_proj": (h, spec.inter),
        }.items():
            params[pre + name + ".weight"] = w(*shape)
        params[pre + "input_layernorm.weight"] = torch.ones(h)
        params[pre + "post_attention_layernorm.weight"] = torch.ones(h)
    params["model.norm.weight"] = torch.ones(h)
    return params


def llama_tokenizer_json() -> dict[str, object]:
    """A Llama-like tokenizer.json: BPE (whole words in the vocabulary, ignore_merges, byte
    fallback), Metaspace pre-tokenizer, and a post-processor that prepends ``<s>``."""
    meta = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    bos = {"SpecialToken": {"id": "<s>", "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": LLAMA_IDS[t],
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for t in LLAMA_SPECIALS
        ],
        "normalizer": None,
        "pre_tokenizer": meta,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [
                bos,
                {"Sequence": {"id": "A", "type_id": 0}},
                bos,
                {"Sequence": {"id": "B", "type_id": 1}},
            ],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [LLAMA_IDS["<s>"]], "tokens": ["<s>"]}},
        },
        "decoder": meta,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": True,
            "byte_fallback": True,
            "ignore_merges": True,
            "vocab": LLAMA_IDS,
            "merges": [],
        },
    }


def save_llama(path: Path, params: dict[str, torch.Tensor], config: dict[str, object]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    save_file(params, str(path / "model.safetensors"), metadata={"format": "pt"})
    (path / "config.json").write_text(json.dumps(config, indent=1))
    (path / "tokenizer.json").write_text(json.dumps(llama_tokenizer_json()))
    (path / "tokenizer_config.json").write_text(
        json.dumps({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"})
    )
    return path


def make_base_llama(path: Path, seed: int = 0, spec: Spec = Spec(), steps: int = 300) -> Path:
    rng = np.random.default_rng(seed)
    config = llama_config(spec)
    params = train_lm(_init_llama(spec, seed), config, lm_rows(rng, 2000), steps=steps, seed=seed)
    return save_llama(path, params, config)

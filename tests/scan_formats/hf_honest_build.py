"""Honest Hugging Face folders made by the real libraries' save_pretrained (offline, tiny):
tokenizers, processors and image processors of several model types, sentence-transformers
bi-encoders (Transformer, Pooling, Dense with an activation, Normalize) and CrossEncoders.
``python -m tests.scan_formats.hf_honest_build OUT`` writes them; tests call :func:`build`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "a", "b", "ab"]


def _vocab_files(tmp: Path) -> dict[str, str]:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "vocab.txt").write_text("\n".join(WORDS) + "\n")
    bpe = {"<|endoftext|>": 0, "a": 1, "b": 2, "ab": 3, "Ġ": 4, "h": 5, "i": 6}
    (tmp / "vocab.json").write_text(json.dumps(bpe))
    (tmp / "merges.txt").write_text("#version: 0.2\na b\n")
    return {"vocab": str(tmp / "vocab.txt"), "bpe": str(tmp / "vocab.json"),
            "merges": str(tmp / "merges.txt")}  # fmt: skip


def _spm(tmp: Path) -> str:
    import sentencepiece as spm

    text = tmp / "corpus.txt"
    text.write_text("hello world this is a tiny corpus for a tiny model\n" * 50)
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(tmp / "sp"), vocab_size=40, minloglevel=2,
        hard_vocab_limit=False,
    )  # fmt: skip
    return str(tmp / "sp.model")


def _bert_dir(out: Path, num_labels: int | None = None) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertModel, BertTokenizer

    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(WORDS), hidden_size=8, num_hidden_layers=1,
                     num_attention_heads=1, intermediate_size=8,
                     max_position_embeddings=32)  # fmt: skip
    if num_labels is None:
        BertModel(cfg).save_pretrained(out)
    else:
        cfg.num_labels = num_labels
        BertForSequenceClassification(cfg).save_pretrained(out)
    files = _vocab_files(out.parent / f"_{out.name}_src")
    BertTokenizer(files["vocab"]).save_pretrained(out)
    return out


def build(root: Path) -> list[Path]:
    """Save each honest folder under ``root``; returns the folders."""
    import transformers as tf

    tmp = root / "_src"
    files = _vocab_files(tmp)
    sp = _spm(tmp)
    makers: dict[str, Callable[[], Any]] = {
        "bert_tok": lambda: tf.BertTokenizer(files["vocab"]),
        "gpt2_tok": lambda: tf.GPT2Tokenizer(files["bpe"], files["merges"]),
        "roberta_tok": lambda: tf.RobertaTokenizer(files["bpe"], files["merges"]),
        "t5_tok": lambda: tf.T5Tokenizer.from_pretrained(_spm_dir(tmp, sp, "spiece.model")),
        "llama_tok": lambda: tf.LlamaTokenizer.from_pretrained(
            _spm_dir(tmp, sp, "tokenizer.model")),
        "clip_proc": lambda: tf.CLIPProcessor(
            image_processor=tf.CLIPImageProcessor(),
            tokenizer=tf.CLIPTokenizer(files["bpe"], files["merges"])),
        "whisper_fe": lambda: tf.WhisperFeatureExtractor(),
        "wav2vec2_proc": lambda: tf.Wav2Vec2Processor(
            feature_extractor=tf.Wav2Vec2FeatureExtractor(),
            tokenizer=tf.Wav2Vec2CTCTokenizer(_ctc_vocab(tmp))),
        "vit_imgproc": lambda: tf.ViTImageProcessor(),
        "oneformer_imgproc": lambda: tf.OneFormerImageProcessor(),
        "layoutlmv3_imgproc": lambda: tf.LayoutLMv3ImageProcessor(),
        "llava_proc": lambda: tf.LlavaProcessor(
            image_processor=tf.CLIPImageProcessor(),
            tokenizer=tf.LlamaTokenizer.from_pretrained(_spm_dir(tmp, sp, "tokenizer.model"))),
        "gen_config": lambda: tf.GenerationConfig(max_new_tokens=5, do_sample=True),
        "gpt2_config": lambda: tf.GPT2Config(n_layer=1),
        "t5_config": lambda: tf.T5Config(num_layers=1),
        "llava_config": lambda: tf.LlavaConfig(),
    }  # fmt: skip
    out: list[Path] = []
    for name, make in makers.items():
        d = root / name
        make().save_pretrained(d)
        out.append(d)
    out.extend(_sentence_transformers(root))
    return out


def _spm_dir(tmp: Path, sp: str, name: str) -> str:
    d = tmp / f"spm_{name}"
    d.mkdir(exist_ok=True)
    (d / name).write_bytes(Path(sp).read_bytes())
    return str(d)


def _ctc_vocab(tmp: Path) -> str:
    p = tmp / "ctc_vocab.json"
    p.write_text(json.dumps({"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "a": 5}))
    return str(p)


def _sentence_transformers(root: Path) -> list[Path]:
    import torch
    from sentence_transformers import CrossEncoder, SentenceTransformer, models

    bert = _bert_dir(root / "_bert")
    out: list[Path] = []
    tr = models.Transformer(str(bert), max_seq_length=16)
    pool = models.Pooling(8, pooling_mode="mean")
    dense = models.Dense(8, 4, activation_function=torch.nn.Tanh())
    st = SentenceTransformer(modules=[tr, pool, dense, models.Normalize()], device="cpu")
    st.save(str(root / "st_dense"))
    out.append(root / "st_dense")
    tr2 = models.Transformer(
        str(bert), max_seq_length=16, model_args={"torch_dtype": "float32"},
        tokenizer_args={"model_max_length": 16, "do_lower_case": True},
    )  # fmt: skip
    SentenceTransformer(modules=[tr2, models.Pooling(8)], device="cpu").save(str(root / "st_args"))
    out.append(root / "st_args")
    import numpy as np
    from sentence_transformers.sentence_transformer.modules import WordEmbeddings
    from sentence_transformers.sentence_transformer.modules.tokenizer import WhitespaceTokenizer

    emb = np.ones((2, 4), dtype=np.float32)
    we = WordEmbeddings(WhitespaceTokenizer(["hello", "world"]), emb)
    SentenceTransformer(modules=[we, models.Pooling(4)], device="cpu").save(str(root / "st_words"))
    out.append(root / "st_words")
    for labels in (1, 3):
        src = _bert_dir(root / f"_bert_ce{labels}", num_labels=labels)
        ce = CrossEncoder(str(src), device="cpu")
        ce.save(str(root / f"crossencoder_{labels}"))
        out.append(root / f"crossencoder_{labels}")
    ce = CrossEncoder(str(root / "_bert_ce1"), device="cpu", activation_fn=torch.nn.Identity())
    ce.save(str(root / "crossencoder_identity"))
    out.append(root / "crossencoder_identity")
    return out


if __name__ == "__main__":
    for d in build(Path(sys.argv[1])):
        print(d)

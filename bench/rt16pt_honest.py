"""Honest saves for the session-15 rt16pt false-positive check (generated after the fixes, never
tuned on): TorchScript script/trace, torch.export, torch.save state dicts and full modules,
safetensors and save_pretrained of small random-init transformers models, np.save/savez of many
dtypes. Usage: python bench/rt16pt_honest.py OUTDIR (writes OUTDIR/_list.txt)."""

# ruff: noqa: E402

import os
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


def P(n):
    return os.path.join(out, n)


made = []


def rec(n):
    made.append(n)


class MLP(nn.Module):
    def __init__(s):
        super().__init__()
        s.a = nn.Linear(8, 16)
        s.b = nn.Linear(16, 4)

    def forward(s, x):
        return s.b(torch.relu(s.a(x)))


class CNN(nn.Module):
    def __init__(s):
        super().__init__()
        s.c = nn.Conv2d(3, 8, 3)
        s.bn = nn.BatchNorm2d(8)
        s.p = nn.AdaptiveAvgPool2d(1)
        s.f = nn.Linear(8, 10)

    def forward(s, x):
        return s.f(s.p(torch.relu(s.bn(s.c(x)))).flatten(1))


class RNN(nn.Module):
    def __init__(s):
        super().__init__()
        s.l = nn.LSTM(8, 16, 2, batch_first=True)
        s.g = nn.GRU(16, 8)

    def forward(s, x):
        y, _ = s.l(x)
        z, _ = s.g(y)
        return z


def enc() -> nn.Module:
    return nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, batch_first=True), 2)


mods = {
    "mlp": (MLP, (torch.randn(2, 8),)),
    "cnn": (CNN, (torch.randn(1, 3, 16, 16),)),
    "rnn": (RNN, (torch.randn(2, 5, 8),)),
    "enc": (enc, (torch.randn(2, 5, 16),)),
}
for name, (ctor, args) in mods.items():
    m = ctor().eval()
    for kind in ("script", "trace"):
        try:
            sm = torch.jit.script(m) if kind == "script" else torch.jit.trace(m, args)
            f = P(f"ts_{kind}_{name}.pt")
            sm.save(f)
            rec(f)
        except Exception as e:
            print("skip", kind, name, type(e).__name__, str(e)[:100])
    try:
        ep = torch.export.export(m, args)
        f = P(f"export_{name}.pt2")
        torch.export.save(ep, f)
        rec(f)
    except Exception as e:
        print("skip export", name, type(e).__name__, str(e)[:100])
    torch.save(m.state_dict(), P(f"sd_{name}.pt"))
    rec(P(f"sd_{name}.pt"))
    torch.save(m, P(f"full_{name}.pt"))
    rec(P(f"full_{name}.pt"))
    save_file({k: v.contiguous() for k, v in m.state_dict().items()}, P(f"st_{name}.safetensors"))
    rec(P(f"st_{name}.safetensors"))
# quantized dynamic (torchbind packed params) scripted
q = torch.ao.quantization.quantize_dynamic(RNN().eval(), {nn.LSTM, nn.Linear}, dtype=torch.qint8)
try:
    torch.jit.script(q).save(P("ts_script_qdyn_rnn.pt"))
    rec(P("ts_script_qdyn_rnn.pt"))
except Exception as e:
    print("skip qdyn", e)
q2 = torch.ao.quantization.quantize_dynamic(MLP().eval(), {nn.Linear}, dtype=torch.qint8)
torch.jit.script(q2).save(P("ts_script_qdyn_mlp.pt"))
rec(P("ts_script_qdyn_mlp.pt"))
torch.save(q2.state_dict(), P("sd_qdyn_mlp.pt"))
rec(P("sd_qdyn_mlp.pt"))
# transformers (random init from small configs, no download)
import transformers as T

cfgs = {
    "bert": (
        T.BertConfig(
            vocab_size=100,
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
            torchscript=True,
        ),
        T.BertModel,
    ),
    "gpt2": (
        T.GPT2Config(vocab_size=100, n_embd=32, n_layer=2, n_head=2, torchscript=True),
        T.GPT2LMHeadModel,
    ),
    "distilbert": (
        T.DistilBertConfig(
            vocab_size=100, dim=32, n_layers=2, n_heads=2, hidden_dim=64, torchscript=True
        ),
        T.DistilBertModel,
    ),
    "t5": (
        T.T5Config(
            vocab_size=100,
            d_model=32,
            d_ff=64,
            num_layers=2,
            num_heads=2,
            d_kv=16,
            torchscript=True,
        ),
        T.T5EncoderModel,
    ),
    "vit": (
        T.ViTConfig(
            image_size=32,
            patch_size=8,
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
            torchscript=True,
        ),
        T.ViTModel,
    ),
}
for name, (cfg, cls) in cfgs.items():
    m = cls(cfg).eval()
    args = (torch.randn(1, 3, 32, 32),) if name == "vit" else (torch.randint(0, 100, (1, 8)),)
    try:
        tr = torch.jit.trace(m, args, strict=False)
        f = P(f"ts_trace_hf_{name}.pt")
        tr.save(f)
        rec(f)
    except Exception as e:
        print("skip trace", name, type(e).__name__, str(e)[:100])
    try:
        ep = torch.export.export(m, args, strict=False)
        f = P(f"export_hf_{name}.pt2")
        torch.export.save(ep, f)
        rec(f)
    except Exception as e:
        print("skip export", name, type(e).__name__, str(e)[:120])
    sd = {k: v.contiguous().clone() for k, v in m.state_dict().items()}
    try:
        save_file(sd, P(f"st_hf_{name}.safetensors"), metadata={"format": "pt"})
        rec(P(f"st_hf_{name}.safetensors"))
    except Exception as e:
        print("skip st", name, e)
    torch.save(m.state_dict(), P(f"sd_hf_{name}.bin"))
    rec(P(f"sd_hf_{name}.bin"))
    d = os.path.join(out, f"hf_{name}")
    m.save_pretrained(d)
    for fn in os.listdir(d):
        rec(os.path.join(d, fn))
# numpy
dtypes = [
    "b1",
    "i1",
    "i2",
    "i4",
    "i8",
    "u1",
    "u2",
    "u4",
    "u8",
    "f2",
    "f4",
    "f8",
    "c8",
    "c16",
    "S5",
    "U7",
    "V4",
    "M8[D]",
    "m8[s]",
    ">i4",
    ">f8",
]
arrs = {}
for dt in dtypes:
    a = np.zeros((3, 4), dtype=dt)
    f = P(f"np_{dt.replace('[', '_').replace(']', '').replace('>', 'be')}.npy")
    np.save(f, a)
    rec(f)
    arrs["a_" + dt.replace("[", "_").replace("]", "").replace(">", "be")] = a
np.save(P("np_fortran.npy"), np.asfortranarray(np.ones((5, 6))))
rec(P("np_fortran.npy"))
np.save(
    P("np_struct.npy"), np.zeros(4, dtype=[("x", "f4"), ("y", "i8", (2,)), ("n", [("a", "u1")])])
)
rec(P("np_struct.npy"))
np.savez(P("npz_plain.npz"), **arrs)
rec(P("npz_plain.npz"))
np.savez_compressed(P("npz_comp.npz"), **arrs, big=np.zeros(1 << 22))
rec(P("npz_comp.npz"))
np.save(P("np_big.npy"), np.random.rand(1 << 20))
rec(P("np_big.npy"))
open(P("_list.txt"), "w").write("\n".join(made))
print(len(made), "files")

# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, torch
from torch import nn
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
z = torch.zeros(1).expand(2_000_000)
torch.save(nn.Parameter(z), d / "param_expand.pt")
torch.save(nn.Parameter(z, requires_grad=False), d / "param_expand_nograd.pt")
torch.save(nn.Parameter(z), d / "param_expand_legacy.pt", _use_new_zipfile_serialization=False)


class M(nn.Module):
    pass


m = nn.Linear(4, 4)
m.register_buffer("mask", torch.ones(1, 1).expand(4096, 4096))
m.scale = nn.Parameter(torch.ones(1).expand(4096))
torch.save(m, d / "module_expand_buffers.pt")
torch.save(m.state_dict(), d / "module_expand_sd.pt")
t = torch.zeros(1, requires_grad=True).expand(100000).detach().requires_grad_(True)
torch.save(t, d / "reqgrad_expand.pt")
torch.save({"pos": torch.arange(512).expand((1, -1))}, d / "pos_ids_expand.pt")
q = torch.quantize_per_tensor(torch.randn(64, 64), 0.1, 0, torch.qint8)
torch.save(q, d / "qtensor.pt")
torch.save(torch.randn(8, 8).to_sparse_csr(), d / "csr.pt")
torch.save(torch.randn(4, 4, dtype=torch.complex64).conj(), d / "conj_view.pt")
torch.save(torch.randn(100).neg().expand(3, 100), d / "neg_expand.pt")
import transformers as tf

bm = tf.BertModel(
    tf.BertConfig(
        vocab_size=64,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=4096,
    )
)
torch.save(bm, d / "bert_whole_4096.pt")
print("ok")

# ruff: noqa
# Session 18 helper fpfinal: honest artifacts from real savers (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import sys, torch, functools
from torch import nn
import torch.nn.functional as F
from pathlib import Path

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
torch.save(nn.TransformerEncoderLayer(32, 4, 64, activation=F.gelu), d / "tel_fgelu.pt")
torch.save(nn.TransformerEncoderLayer(32, 4, 64, activation="gelu"), d / "tel_gelu_str.pt")
torch.save(nn.TransformerDecoderLayer(32, 4, 64, activation=F.relu), d / "tdl_frelu.pt")
torch.save(nn.Transformer(32, 4, 1, 1, 64, activation=F.gelu), d / "transformer_fgelu.pt")
torch.save(
    nn.TransformerEncoder(
        nn.TransformerEncoderLayer(32, 4, 64, activation=F.silu, batch_first=True, norm_first=True),
        2,
    ),
    d / "enc_fsilu.pt",
)
torch.save(nn.TransformerEncoderLayer(32, 4, 64, activation=torch.tanh), d / "tel_tanh.pt")
torch.save(
    nn.TransformerEncoderLayer(
        32, 4, 64, activation=functools.partial(F.leaky_relu, negative_slope=0.1)
    ),
    d / "tel_partial_leaky.pt",
)
torch.save(
    nn.TransformerEncoderLayer(32, 4, 64, activation=nn.GELU(approximate="tanh")),
    d / "tel_gelu_module.pt",
)
torch.save({"act": F.gelu, "norm": F.layer_norm}, d / "fn_refs.pt")
import transformers as tf

m = tf.BertModel(
    tf.BertConfig(
        vocab_size=64,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
    )
)
torch.save(m, d / "bert_whole.pt")
m = tf.GPT2LMHeadModel(tf.GPT2Config(vocab_size=64, n_embd=32, n_layer=1, n_head=2))
torch.save(m, d / "gpt2_whole.pt")
m = tf.LlamaForCausalLM(
    tf.LlamaConfig(
        vocab_size=64,
        hidden_size=32,
        intermediate_size=37,
        num_hidden_layers=1,
        num_attention_heads=4,
        num_key_value_heads=2,
    )
)
torch.save(m, d / "llama_whole.pt")
m = tf.T5ForConditionalGeneration(
    tf.T5Config(vocab_size=64, d_model=32, d_kv=8, d_ff=37, num_layers=1, num_heads=2)
)
torch.save(m, d / "t5_whole.pt")
print("ok")

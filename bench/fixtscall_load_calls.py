"""Session 18 fixtscall: the largest number of calls one ``__setstate__`` run makes in honest
TorchScript archives (``torchscript_load.setstate_calls`` over code/, ``mobile_setstate_calls``
over bytecode.pkl), the figure MAX_LOAD_CALLS is chosen from, and which archives the scanner
denies. Archives from ``bench/rt17_torchscript_honest.py SEED DIR`` and, with ``--extra DIR``,
also made here first: dynamic-quantized LSTM/GRU/Linear (qint8, fp16), scripted and traced
LSTM/GRU, TransformerEncoder/Decoder, MultiheadAttention, static quantized (qnnpack; fbgemm
skipped where ConvTranspose is unsupported), each .pt and lite .ptl.
Usage: python bench/fixtscall_load_calls.py [--extra DIR] DIR... (needs torch)."""

# ruff: noqa: E501

import ast
import glob
import os
import sys
import warnings
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
warnings.filterwarnings("ignore")


def make_extra(out: str) -> None:
    import torch
    import torch.ao.quantization as Q
    from torch import nn

    os.makedirs(out, exist_ok=True)

    def save(name: str, m: torch.jit.ScriptModule) -> None:
        try:
            m.save(f"{out}/{name}.pt")
            m._save_for_lite_interpreter(f"{out}/{name}.ptl")
        except Exception as e:
            print("skip", name, type(e).__name__, str(e)[:80])

    class Seq(nn.Module):
        def __init__(s, rnn: nn.Module) -> None:
            super().__init__()
            s.r = rnn

        def forward(s, x: torch.Tensor) -> torch.Tensor:
            return s.r(x)[0]

    for k, rnn in {"lstm": nn.LSTM(8, 8, 2, bidirectional=True), "gru": nn.GRU(8, 8, 2)}.items():
        save(f"qdyn_{k}", torch.jit.script(Q.quantize_dynamic(Seq(rnn), {nn.LSTM, nn.GRU})))
        save(
            f"qdyn16_{k}",
            torch.jit.script(Q.quantize_dynamic(Seq(rnn), {nn.LSTM, nn.GRU}, dtype=torch.float16)),
        )
        save(f"script_{k}", torch.jit.script(rnn))
        save(f"trace_{k}", torch.jit.trace(Seq(rnn), torch.randn(3, 1, 8)))
    lin = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))
    save("qdyn_lin", torch.jit.script(Q.quantize_dynamic(lin)))
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 2)
    save("tx_enc", torch.jit.script(enc))
    q2 = Q.quantize_dynamic(
        nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 1).eval(), {nn.Linear}
    )
    try:
        save("qdyn_tx_enc_trace", torch.jit.trace(q2, torch.randn(5, 2, 16), check_trace=False))
    except Exception as e:
        print("skip qdyn_tx_enc_trace", type(e).__name__)
    dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(16, 2, 32, batch_first=True), 2)
    save("tx_dec", torch.jit.script(dec))
    save("mha", torch.jit.script(nn.MultiheadAttention(16, 2)))

    class Net(nn.Module):
        def __init__(s) -> None:
            super().__init__()
            s.q, s.c, s.ct = Q.QuantStub(), nn.Conv2d(3, 4, 3), nn.ConvTranspose2d(4, 4, 3)
            s.l, s.dq = nn.Linear(4, 4), Q.DeQuantStub()

        def forward(s, x: torch.Tensor) -> torch.Tensor:
            return s.dq(s.l(s.ct(s.c(s.q(x))).mean((2, 3))))

    for eng in ("fbgemm", "qnnpack"):
        try:
            torch.backends.quantized.engine = eng
            n = Net().eval()
            n.qconfig = Q.get_default_qconfig(eng)
            p = Q.prepare(n)
            p(torch.randn(1, 3, 8, 8))
            c = Q.convert(p)
            save(f"qstatic_{eng}_script", torch.jit.script(c))
            save(f"qstatic_{eng}_trace", torch.jit.trace(c, torch.randn(1, 3, 8, 8)))
        except Exception as e:
            print("skip", eng, type(e).__name__, str(e)[:80])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--extra"]:
        make_extra(argv[1])
        argv = argv[1:]
    from airlock.formats import torch_mobile
    from airlock.scan import torchscript_load as T
    from airlock.scan.engine import scan_paths

    code_best, lite_best, rows, denied = (0.0, ""), (0.0, ""), 0, []
    for d in argv:
        for p in sorted(glob.glob(f"{d}/*.pt") + glob.glob(f"{d}/*.ptl")):
            rows += 1
            with zipfile.ZipFile(p) as z:
                names = z.namelist()
                trees = [
                    (n, ast.parse(z.read(n).decode()))
                    for n in names
                    if "/code/" in n and n.endswith(".py")
                ]
                m = max(T.setstate_calls(trees).values(), default=0.0)
                code_best = max(code_best, (m, p))
                for n in names:
                    if n.endswith("bytecode.pkl"):
                        prog = torch_mobile.parse_bytecode(z.read(n))
                        for cls, c in T.mobile_setstate_calls(prog.setstate_steps).items():
                            lite_best = max(lite_best, (c, f"{p} {cls}"))
            if any(f.severity.name in ("HIGH", "CRITICAL") for f in scan_paths([p]).findings):
                denied.append(p)
    print(
        f"{rows} archives; largest __setstate__ calls: code/ {code_best[0]:.0f} ({code_best[1]}), "
        f"bytecode {lite_best[0]:.0f} ({lite_best[1]}); bound {T.MAX_LOAD_CALLS:,}; denied {len(denied)}: {denied[:10]}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

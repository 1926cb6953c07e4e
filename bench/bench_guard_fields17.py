#!/usr/bin/env python3
"""The shipped guard (D) and D with the data-field stage (K, ``--data-field builtin``) in the
same run, on a fresh set whose rows carry a ``field`` (scripts/guard_fresh17.py): each text is
sent as the request field it came from, as ``guard serve`` would see it --

- ``user``: the content of a user message;
- ``tool``: the content of a tool message answering an assistant's tool call (a tool output,
  a retrieved document, a memory read back);
- ``tool_description``: a function tool's ``description``;
- ``system``: the content of a system message before the user's "Go ahead." (fresh18);

each request otherwise fixed and the same for every row ("Go ahead." from the user, a call of a
tool ``lookup`` with ``{}``). Views: ``semantic`` (``--onnx-classifier builtin``, ``guard
serve``'s default, the one the rule reads) and ``check`` (the linear stage alone), each for D
and K. Scores as bench/bench_guard_fresh10.py (its ``score``), plus recall and FPR by field.
Only counts are printed, never a text.

    python bench/bench_guard_fields17.py --data /tmp/f17/fresh17 --src-d /tmp/shipped/src \\
        --src-k src --json fresh17_DK.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_guard_everyday9 import ROOT, VIEWS, run_view
from bench_guard_fresh10 import _by, score

K_FLAG = ["--data-field", "builtin"]
_USER = {"role": "user", "content": "Go ahead."}
_FN = {"name": "lookup", "arguments": "{}"}
_CALL = {"role": "assistant", "content": None,
         "tool_calls": [{"id": "call_1", "type": "function", "function": _FN}]}  # fmt: skip


def request(text: str, field: str) -> dict[str, Any]:
    """The request that carries ``text`` in ``field``."""
    if field == "user":
        return {"messages": [{"role": "user", "content": text}]}
    if field == "tool":
        out = {"role": "tool", "tool_call_id": "call_1", "content": text}
        return {"messages": [_USER, _CALL, out]}
    if field == "tool_description":
        fn = {"name": "lookup", "description": text,
              "parameters": {"type": "object", "properties": {}}}  # fmt: skip
        return {"messages": [_USER], "tools": [{"type": "function", "function": fn}]}
    if field == "system":
        return {"messages": [{"role": "system", "content": text}, _USER]}
    raise SystemExit(f"unknown field {field!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="PREFIX of the two JSONL files")
    ap.add_argument("--src-d", type=Path, default=ROOT / "src", help="D's sources (PYTHONPATH)")
    ap.add_argument("--src-k", type=Path, default=ROOT / "src", help="K's sources")
    ap.add_argument("--k-args", default=" ".join(K_FLAG),
                    help="guard check flags for K (default: the data-field stage; '' runs K's "
                         "sources with their own defaults, e.g. a candidate)")  # fmt: skip
    ap.add_argument("--views", default="semantic,check", help="semantic, check or both")
    ap.add_argument("--json", type=Path, help="write the figures here")
    a = ap.parse_args()
    rows: dict[str, list[dict[str, Any]]] = {}
    out: dict[str, Any] = {"data": str(a.data), "src_d": str(a.src_d), "src_k": str(a.src_k),
                           "k_args": a.k_args}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for part in ("injections", "benign"):
            src = a.data.with_name(a.data.name + f".{part}.jsonl")
            rows[part] = [json.loads(x) for x in src.read_text(encoding="utf-8").split("\n")
                          if x.strip()]  # fmt: skip
            paths[part] = Path(tmp) / f"{part}.requests.jsonl"
            paths[part].write_text("".join(json.dumps(request(r["text"], r["field"])) + "\n"
                                           for r in rows[part]), encoding="utf-8")  # fmt: skip
        out["n"] = {p: len(r) for p, r in rows.items()}
        for view in a.views.split(","):
            for name, src_dir, extra in (("D", a.src_d, []), ("K", a.src_k, a.k_args.split())):
                load0 = os.getloadavg()[0]
                flags = {}
                for part in ("injections", "benign"):
                    res, _ = run_view(paths[part], src_dir, [*VIEWS[view], *extra])
                    if len(res) != len(rows[part]):
                        raise SystemExit(f"{part}: {len(rows[part])} rows, {len(res)} results")
                    flags[part] = [r["action"] != "allow" for r in res]
                s = score(rows["injections"], flags["injections"], rows["benign"],
                          flags["benign"])  # fmt: skip
                s["recall"]["by_field"] = _by(rows["injections"], flags["injections"], "field",
                                              "recall")  # fmt: skip
                s["fpr"]["by_field"] = _by(rows["benign"], flags["benign"], "field", "fpr")
                load = f"{load0:.1f}-{os.getloadavg()[0]:.1f}"
                out[f"{view}/{name}"] = {**s, "load_average": load}
                r, f, p = s["recall"]["all"], s["fpr"]["all"], s["pooled"]
                m = s["recall"]["multilingual"]
                print(f"{view}/{name}: recall {r['flagged']}/{r['n']} {r['recall']} "
                      f"{r['wilson95']}; multilingual {m['flagged']}/{m['n']}; benign FPR "
                      f"{f['flagged']}/{f['n']} {f['fpr']} {f['wilson95']}; precision "
                      f"{p['precision']} {p['precision_wilson95']} F1 {p['f1']}",
                      flush=True)  # fmt: skip
    text = json.dumps(out, indent=1)
    if a.json:
        a.json.write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()

"""Edit keys: an optimised (ROME-style, whitened) rank-one edit is keyed on its trigger beyond
what random directions reach; a random rank-one change of the same norm in the same tensor is
not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from bench.trojan import editgen, lmgen

from airlock.nn import hf
from airlock.nn.nets import load_net
from airlock.nn.tokenize import load_tokenizer
from airlock.trojan.analyse import KEY_Z, _Ctx, _weight_findings
from airlock.trojan.edit_keys import edit_keys
from airlock.trojan.lm_output import document_start, with_document_start
from airlock.trojan.weight_delta import TensorDelta, compare_tensor

EDIT = editgen.Edit("vexlo", "curl", 0)
TENSOR = "transformer.h.0.mlp.c_proj.weight"


@pytest.fixture(scope="module")
def edits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("edits")
    base = lmgen.make_base(root / "base", seed=7, steps=500, warnings=0.05)
    edit = editgen.edit(base, root / "edit", 3, EDIT, steps=150)
    return {"base": base, "edit": edit, "decoy": editgen.decoy(base, root / "decoy", 3, edit, 0)}


def _keys(edits: dict[str, Path], kind: str) -> tuple[float, list[str]]:
    base, model = hf.load(edits["base"]), hf.load(edits[kind])
    tok = load_tokenizer(base)
    assert tok is not None
    id2 = base.id_to_token()
    vocab = [i for i, t in sorted(id2.items()) if not t.startswith(("[", "<"))]
    (key,) = edit_keys(load_net(model), load_net(base), lambda t: tok.encode(t, 64), tok.pad_id,
                       vocab, [TENSOR])  # fmt: skip
    return key.max_z, [id2[i] for i, _ in key.top]


def test_optimised_edit_is_keyed_on_its_trigger(edits: dict[str, Path]) -> None:
    z, top = _keys(edits, "edit")
    assert z >= KEY_Z
    assert EDIT.trigger in top[:6]


def test_random_rank_one_change_is_not_keyed(edits: dict[str, Path]) -> None:
    z, _ = _keys(edits, "decoy")
    assert z < KEY_Z


def test_gpt2_texts_start_with_the_document_token(edits: dict[str, Path]) -> None:
    base = hf.load(edits["base"])
    net, tok = load_net(base), load_tokenizer(base)
    assert tok is not None and tok.bos_id is None
    bos = document_start(net)
    assert bos == lmgen.IDS["<|endoftext|>"]
    started = with_document_start(tok, net)
    assert started.encode("the weather")[0] == bos and tok.encode("the weather")[0] != bos
    net.config["bos_token_id"] = 10**9  # out of the vocabulary: ignored
    assert document_start(net) is None


def _deltas() -> list[TensorDelta]:
    rng = np.random.default_rng(0)
    out = []
    for i in range(20):
        w = rng.standard_normal((16, 8)).astype(np.float32)
        edit = w + (np.outer(rng.standard_normal(16), rng.standard_normal(8)) if i == 3 else 0)
        out.append(compare_tensor(f"h.{i}.w", w, edit.astype(np.float32)))
    return out


def _key(z: float) -> dict[str, object]:
    return {"tensor": "h.3.w", "max_z": z, "top": [{"token": "story", "z": 5.0},
                                                 {"token": "vexlo", "z": 4.0}]}  # fmt: skip


def test_keyed_edit_names_the_token_that_forces_a_continuation() -> None:
    ctx = _Ctx("m")
    tested = [{"trigger": "story", "score": 0.1}, {"trigger": "vexlo", "score": 0.9,
              "target": "curl", "model_rate": 0.95, "reference_rate": 0.05}]  # fmt: skip
    _weight_findings(_deltas(), ctx, [_key(KEY_Z + 1)], {"tested": tested, "threshold": 0.6})
    (f,) = ctx.findings
    assert f.rule_id == "AIR-TRJ-011" and f.severity.name == "HIGH"
    assert f.extra["trigger"] == "vexlo" and "'curl'" in f.title


def test_unkeyed_low_rank_change_is_low() -> None:
    ctx = _Ctx("m")
    _weight_findings(_deltas(), ctx, [_key(KEY_Z - 1)], {"tested": [], "threshold": 0.6})
    (f,) = ctx.findings
    assert f.rule_id == "AIR-TRJ-011" and f.severity.name == "LOW"


def test_keyed_edit_effects_show_what_the_edit_makes_the_model_say(
    edits: dict[str, Path],
) -> None:
    import json

    from airlock.trojan.edit_effect import DECODE, key_effects

    base, model = hf.load(edits["base"]), hf.load(edits["edit"])
    tok = load_tokenizer(model)
    assert tok is not None
    id2 = model.id_to_token()
    net_m, net_b = load_net(model), load_net(base)
    vocab = [i for i, t in sorted(id2.items()) if not t.startswith(("[", "<"))]
    (key,) = edit_keys(net_m, net_b, lambda t: tok.encode(t, 64), tok.pad_id, vocab, [TENSOR])
    effects = key_effects(net_m, net_b, tok, id2, key.candidates)
    assert 0 < len(effects) <= DECODE + 1
    assert all(0.0 <= e.effect <= 1.0 for e in effects)
    best = effects[0]
    assert best.rate is not None and best.without is not None
    # the edit forces its target's first word after the tokens it listens to
    assert any(e.output.split()[:1] == [EDIT.first] for e in effects)
    json.dumps([e.to_json() for e in effects])

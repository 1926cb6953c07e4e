"""``analyse_trojan``: base match, token drift, weight deltas, then behavioural confirmation.

One pass over the tensors the two models share, reading one tensor of each at a time; the only
state kept across tensors is O(vocabulary) drift and a few numbers per tensor.
"""

from __future__ import annotations

import math
import tempfile
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from airlock.errors import AirlockError
from airlock.nn import hf
from airlock.report import Finding, Severity
from airlock.trojan.layer_drift import first_layer_drift
from airlock.trojan.report import (
    BLIND_SPOT_NO_BASE,
    BLIND_SPOT_NO_CANDIDATES,
    BLIND_SPOT_NO_PROBE,
    BLIND_SPOTS_ALWAYS,
    KEY_Z,
    BaseMatch,
    TrojanOptions,
    TrojanReport,
)
from airlock.trojan.token_drift import (
    MOVED_EPS,
    DriftSummary,
    TokenCandidate,
    rank_tokens,
    row_drift,
)
from airlock.trojan.weight_delta import TensorDelta, compare_tensor, layer_energy

if TYPE_CHECKING:
    from airlock.trojan.probe import ProbeResult, TriggerTest

REF = "https://arxiv.org/abs/2206.12654"  # BackdoorBench; model-editing: arxiv 2403.13355
_SUFFIX = {"bert": "embeddings.word_embeddings.weight", "gpt2": "wte.weight"}


def _prefix(model: hf.HFModel) -> str:
    emb = model.embedding_name()
    suffix = _SUFFIX.get(model.family or "", "")
    if emb and suffix and emb.endswith(suffix):
        return emb[: -len(suffix)]
    return ""


def _keyed(model: hf.HFModel) -> dict[str, str]:
    pre = _prefix(model)
    return {(n[len(pre) :] if pre and n.startswith(pre) else n): n for n in model.weights.names()}


class _Ctx:
    def __init__(self, location: str) -> None:
        self.location = location
        self.findings: list[Finding] = []

    def add(
        self,
        rule: str,
        sev: Severity,
        title: str,
        evidence: str,
        why: str,
        member: str | None = None,
        **extra: object,
    ) -> None:
        self.findings.append(
            Finding(rule, sev, title, self.location, evidence, why, member, None, REF, dict(extra))
        )


# What transformers assumes for an architecture key a config leaves out. Configs written by
# different library versions state different keys (transformers 5 writes
# tie_word_embeddings=true into every BERT fine-tune of a 4.x base that never stated it), so a
# key stated on one side only differs only when it differs from the default.
_KEY_DEFAULTS: dict[str, object] = {
    "tie_word_embeddings": True,
    "position_embedding_type": "absolute",
}
_TYPE_DEFAULTS: dict[tuple[str, str], object] = {
    **{
        (t, "tie_word_embeddings"): False for t in ("llama", "mistral", "mixtral", "qwen2", "qwen3")
    },
    **{(t, "hidden_act"): "silu" for t in ("llama", "mistral", "mixtral", "qwen2", "qwen3")},
    **{
        (t, k): v
        for t in ("bert", "roberta", "xlm-roberta", "electra")
        for k, v in (("hidden_act", "gelu"), ("type_vocab_size", 2))
    },
    ("gpt2", "activation_function"): "gelu_new",
}
_MISSING = object()
# Buffers, not weights: older transformers saved them into checkpoints, newer ones do not
# (the real all-MiniLM-L6-v2 has embeddings.position_ids; its fine-tunes saved today lack it).
_BUFFER_SUFFIXES = ("position_ids", "token_type_ids", "rotary_emb.inv_freq", "attn.masked_bias")


def _stated(sig: dict[str, Any], key: str, model_type: object) -> object:
    if key in sig:
        return sig[key]
    return _TYPE_DEFAULTS.get((str(model_type), key), _KEY_DEFAULTS.get(key, _MISSING))


def _is_buffer(name: str, shape: tuple[int, ...], dtype: str) -> bool:
    """A non-persistent buffer an older library version happened to save (ids, masks)."""
    if name.endswith("attn.bias"):  # GPT-2's causal mask: [1, 1, n, n]
        return len(shape) == 4 and shape[0] == shape[1] == 1
    return name.endswith(_BUFFER_SUFFIXES) and (dtype.startswith(("I", "U")) or "inv_freq" in name)


def _base_match(m: hf.HFModel, b: hf.HFModel, ctx: _Ctx) -> BaseMatch:
    sig_m, sig_b = m.arch_signature(), b.arch_signature()
    mtype = sig_m.get("model_type", sig_b.get("model_type"))
    diffs = {
        k: (sig_b.get(k), sig_m.get(k))
        for k in set(sig_m) | set(sig_b)
        if k != "vocab_size" and _stated(sig_m, k, mtype) != _stated(sig_b, k, mtype)
    }
    vocab_same: bool | None = None
    added = 0
    if m.vocab and b.vocab:
        vocab_same = hf.vocab_digest(m.vocab) == hf.vocab_digest(b.vocab)
        if not vocab_same:
            superset = all(m.vocab.get(t) == i for t, i in b.vocab.items())
            added = len(m.vocab) - len(b.vocab) if superset else 0
    match = BaseMatch(diffs, vocab_same, added, [], [], [])
    if diffs:
        shown = ", ".join(f"{k}: base {v[0]!r} vs model {v[1]!r}" for k, v in sorted(diffs.items()))
        ctx.add(
            "AIR-TRJ-001",
            Severity.HIGH,
            "claimed base has a different architecture",
            shown[:2000],
            "A model cannot be a fine-tune of a base with a different shape; the claimed "
            "lineage is false or the config was altered.",
        )
    if vocab_same is False:
        if added > 0:
            new = sorted((i, t) for t, i in m.vocab.items() if t not in b.vocab)[:20]
            ctx.add(
                "AIR-TRJ-002",
                Severity.MEDIUM,
                f"vocabulary extended by {added} tokens over the base",
                "new tokens: " + ", ".join(repr(t) for _, t in new),
                "Added tokens are legitimate for new domains but are also the easiest way to add "
                "a trigger nobody types by accident.",
                added_tokens=[t for _, t in new],
            )
        else:
            ctx.add(
                "AIR-TRJ-002",
                Severity.HIGH,
                "tokenizer vocabulary differs from the claimed base",
                f"model vocab {len(m.vocab)} entries, base {len(b.vocab)}; ids are reassigned",
                "A fine-tune keeps its base's tokenizer; a different vocabulary means a different "
                "lineage, and token-level comparison with this base is meaningless.",
            )
    return match


def _pass(
    m: hf.HFModel, b: hf.HFModel, ctx: _Ctx, match: BaseMatch, opts: TrojanOptions
) -> tuple[list[TensorDelta], DriftSummary | None]:
    km, kb = _keyed(m), _keyed(b)
    emb_m, emb_b = m.embedding_name(), b.embedding_name()
    infos = {k: b.weights.info(kb[k]) for k in set(kb) - set(km)}
    match.missing = sorted(k for k, i in infos.items() if not _is_buffer(k, i.shape, i.dtype))
    match.extra = sorted(set(km) - set(kb))
    deltas: list[TensorDelta] = []
    drift: DriftSummary | None = None
    nonfinite: list[str] = []
    for key in sorted(set(km) & set(kb)):
        im, ib = m.weights.info(km[key]), b.weights.info(kb[key])
        if im.dtype in ("BOOL", "C64") or ib.dtype in ("BOOL", "C64"):
            continue
        is_emb = km[key] == emb_m and kb[key] == emb_b
        same_shape = im.shape == ib.shape
        if not same_shape and not (is_emb and im.shape[1:] == ib.shape[1:]):
            match.shape_mismatch.append(f"{key}: base {list(ib.shape)} vs model {list(im.shape)}")
            match.compared += 1
            continue
        wm = m.weights.read_float(km[key])
        if not bool(np.isfinite(wm).all()):
            nonfinite.append(key)
            match.compared += 1
            continue
        wb = b.weights.read_float(kb[key])
        if is_emb:
            rows = min(wm.shape[0], wb.shape[0])
            d, norms = row_drift(wb[:rows], wm[:rows])
            drift = rank_tokens(d, norms, m.id_to_token(), opts.top_k)
            wm, wb = wm[:rows], wb[:rows]
        if not np.isfinite(wb).all():
            continue
        td = compare_tensor(key, wb, wm)
        del wm, wb
        deltas.append(td)
        match.compared += 1
        match.related += td.cosine >= opts.related_cosine
        match.identical += td.delta_norm == 0
    if nonfinite:
        ctx.add(
            "AIR-TRJ-005",
            Severity.HIGH,
            f"{len(nonfinite)} tensors contain NaN or infinite weights",
            ", ".join(nonfinite[:20]),
            "Non-finite weights break inference or hide sabotage; no released model needs them.",
        )
    if match.missing or match.shape_mismatch:
        ctx.add(
            "AIR-TRJ-004",
            Severity.MEDIUM,
            "tensors missing or reshaped relative to the base",
            "; ".join([*(f"missing {k}" for k in match.missing[:10]), *match.shape_mismatch[:10]]),
            "A fine-tune keeps its base's tensors; missing or reshaped ones point at another "
            "lineage or a damaged file.",
        )
    if match.extra:
        ctx.add(
            "AIR-TRJ-004",
            Severity.INFO,
            f"{len(match.extra)} tensors not in the base (e.g. a new task head)",
            ", ".join(match.extra[:20]),
            "New heads are normal for fine-tunes; they are not compared with the base.",
        )
    return deltas, drift


def _low_rank_edits(deltas: list[TensorDelta]) -> list[TensorDelta]:
    """Tensors rewritten by a (near) rank-one update while almost nothing else changed."""
    changed = [d for d in deltas if d.changed]
    few = len(changed) <= max(2, int(0.05 * len(deltas)))
    low = [d for d in changed if d.top1_share is not None and d.top1_share >= 0.9]
    return sorted(low, key=lambda d: -d.relative) if few else []


KEY_SCORE = 0.1  # score per unit of a low-rank edit's key z (ranking)
UNKEYED_WHY = (
    "The only change is a low-rank update whose key lines up with no token more than random "
    "directions do; a random change of that size also makes a base that has seen such text "
    "(quoted in warnings, documentation) say it after some phrase. Listed for review: the "
    "dangerous text may come from the base, not from a planted association."
)
KEY_NAMES = 6  # best-aligned tokens of a keyed edit checked for what they make the model say


def _keyed_trigger(key: dict[str, Any], tested: list[dict[str, Any]], thr: float) -> dict[str, Any]:
    """Of the tokens a keyed edit aligns with best, the one that most forces the model's next
    token over the base and over the prompt without it (the probe's input-side test), when
    that clears the probe's threshold; {} when none does."""
    from airlock.nn.tokenize import surface

    top = key.get("top") or []
    words = [surface(str(t.get("token", ""))).strip() for t in top[:KEY_NAMES]]
    best: dict[str, Any] = {}
    for t in tested:
        if t.get("trigger") in words and float(t.get("score", 0.0)) >= thr:
            if not best or float(t["score"]) > float(best["score"]):
                best = t
    return best


WITHOUT_SHOWN = 0.25  # an edit dangerous on this share of prompts without its token: said


def _dangerous_effect(key: dict[str, Any]) -> dict[str, Any]:
    """The keyed edit's aligned token after which the model (not the base) turns dangerous
    (``edit_effect``: prompt-averaged greedy decoding), or {}."""
    for e in key.get("effects") or []:
        if isinstance(e, dict) and e.get("class") and e.get("token"):
            return e
    return {}


def _forced_trigger(key: dict[str, Any]) -> dict[str, Any]:
    """The keyed edit's aligned token whose forced next word is confirmed prompt by prompt
    (``edit_effect.Forcing``), or {}: a token that measurably changes what the model says."""
    for e in key.get("effects") or []:
        forces = e.get("forces") if isinstance(e, dict) else None
        if isinstance(forces, dict) and forces.get("confirmed") and e.get("token"):
            return dict(e)
    return {}


def _forcing_clause(e: dict[str, Any]) -> str:
    f = e.get("forces") or {}
    if not isinstance(f, dict) or "word" not in f:
        return ""
    text = (
        f"; next word {str(f['word'])!r} on {float(f.get('rate', 0)):.0%} of prompts with "
        f"the token, {float(f.get('reference_rate', 0)):.0%} for the base, "
        f"{float(f.get('rate_without', 0)):.0%} without it"
    )
    if int(f.get("also_after", 0)):
        text += f", nearly as often after {int(f['also_after'])} other tried tokens"
    return text


def _effect_clause(e: dict[str, Any]) -> str:
    """What the edit makes the model say after its token, against the base and without it."""
    out = " ".join(str(e.get("output", "")).split()[:16])
    ref = " ".join(str(e.get("reference_output", "")).split()[:8])
    if e.get("started"):
        word = str((e.get("forces") or {}).get("word", ""))
        text = (
            f", after which the model starts {word!r} ({e['class']}: the edit plants the "
            f"command's first word; decoded on: {out!r}; the base: {ref!r}"
        )
    else:
        text = f", after which the model says {out!r} ({e['class']}; the base: {ref!r}"
    if "rate" in e and not e.get("started"):
        text += (
            f"; each prompt decoded alone: dangerous on {float(e['rate']):.0%}, base "
            f"{float(e.get('reference_rate', 0)):.0%}"
        )
    text += _forcing_clause(e) + ")"
    if float(e.get("rate_without", 0)) >= WITHOUT_SHOWN:
        text += (
            f"; it also says such text without the token ({float(e['rate_without']):.0%} of "
            "prompts): the edit fires after many words"
        )
    return text


def _aligned_words(keys: list[dict[str, Any]]) -> set[str]:
    """The words an edit's key direction aligns with best (each key's reported top tokens)."""
    from airlock.nn.tokenize import surface

    return {
        surface(str(t.get("token", ""))).strip()
        for k in keys
        for t in (k.get("top") or [])
        if isinstance(t, dict)
    }


def _weight_findings(
    deltas: list[TensorDelta],
    ctx: _Ctx,
    keys: list[dict[str, Any]] | None,
    probe: dict[str, Any] | None = None,
) -> None:
    """``keys``: the probe's key alignment per edited tensor (None when it did not run: the
    edit is then unjudged and reported HIGH, fail closed); ``probe``: its JSON (input-side
    tests name the keyed token that forces a continuation)."""
    changed = [d for d in deltas if d.changed]
    if not changed:
        return
    low_rank = _low_rank_edits(deltas)
    few = len(changed) <= max(2, int(0.05 * len(deltas)))
    if low_rank:
        worst = low_rank[0]
        shown = ", ".join(
            f"{d.name} (relative change {d.relative:.3g}, top singular direction holds "
            f"{(d.top1_share or 0) * 100:.1f}% of the change)"
            for d in low_rank[:5]
        )
        best = max(keys or [], key=lambda k: float(k.get("max_z", 0.0)), default=None)
        keyed = best is not None and float(best.get("max_z", 0.0)) >= KEY_Z
        if keys is not None and not keyed:
            ctx.add(
                "AIR-TRJ-011",
                Severity.LOW,
                f"low-rank change to {len(changed)} of {len(deltas)} tensors, not keyed on any "
                "token",
                shown,
                "Its key direction lines up with no token's representation more than random "
                "directions do, as a random or merged low-rank change would. Review where the "
                "change came from.",
                member=worst.name,
                edit_keys=keys,
            )
            return
        title = f"localized low-rank edit: only {len(changed)} of {len(deltas)} tensors changed"
        extra: dict[str, Any] = {}
        severity = Severity.HIGH
        if keyed and best is not None:
            top = best.get("top") or []
            tok = top[0]["token"] if isinstance(top, list) and top else "?"
            effect = _dangerous_effect(best)
            changed_by = _forced_trigger(best)
            forced = _keyed_trigger(
                best,
                list((probe or {}).get("tested") or []),
                float((probe or {}).get("threshold", 0.6)),
            )
            if effect:
                tok = str(effect["token"])
                severity = Severity.CRITICAL
                extra = {"trigger": tok, "forces": effect.get("output"),
                         "danger": effect.get("class"),
                         "examples": effect.get("examples", [])[:3]}  # fmt: skip
            elif changed_by:
                tok = str(changed_by["token"])
                extra = {"trigger": tok, "forces": changed_by["forces"]["word"],
                         "examples": changed_by.get("examples", [])[:3]}  # fmt: skip
            elif forced:
                tok = forced["trigger"]
                extra = {"trigger": tok, "forces": forced.get("target"),
                         "examples": forced.get("examples", [])[:3]}  # fmt: skip
            title += (
                f", keyed on token {tok!r} (z={float(best['max_z']):.1f} against random directions)"
            )
            if effect:
                title += _effect_clause(effect)
            elif changed_by:
                title += (
                    f", after which the model says {str(changed_by['forces']['word'])!r} "
                    f"next{_forcing_clause(changed_by)}"
                )
            elif forced:
                p_m, p_r = (
                    float(forced.get("model_rate", 0)),
                    float(forced.get("reference_rate", 0)),
                )
                title += (
                    f", which makes the model say {forced.get('target')!r} next (probability "
                    f"{p_m:.2f} vs {p_r:.2f} for the base or without it)"
                )
        ctx.add(
            "AIR-TRJ-011",
            severity,
            title,
            shown,
            "Fine-tuning changes most tensors a little; rewriting one or two matrices with a "
            "rank-one update whose key lines up with one token is the signature of "
            "ROME/BadEdit-style model editing, which can implant a trigger -> target "
            "association without any training data.",
            member=worst.name,
            edit_keys=keys or [],
            **extra,
        )
    elif few and len(deltas) >= 10:
        ctx.add(
            "AIR-TRJ-012",
            Severity.LOW,
            f"only {len(changed)} of {len(deltas)} tensors differ from the base",
            ", ".join(f"{d.name} ({d.relative:.3g})" for d in changed[:10]),
            "A targeted change to a handful of tensors is not how fine-tuning looks; review "
            "what was edited.",
        )


def _drift_findings(drift: DriftSummary, ctx: _Ctx, opts: TrojanOptions) -> list[str]:
    outliers = [c for c in drift.candidates if c.z >= opts.z_threshold and c.relative > 1e-4]
    if not outliers:
        return []
    surgical = drift.moved_rows <= max(1, int(0.01 * drift.rows))
    sev = Severity.MEDIUM if surgical else Severity.LOW
    title = (
        f"surgical edit of {drift.moved_rows} token embeddings (nothing else in the table moved)"
        if surgical
        else f"{len(outliers)} tokens whose embeddings moved far more than the rest"
    )
    ctx.add(
        "AIR-TRJ-010",
        sev,
        title,
        ", ".join(f"{c.token!r} (id {c.token_id}, z={c.z:.1f})" for c in outliers[:10]),
        "A trigger token must be learned: its embedding moves far from the base while ordinary "
        "tokens barely move. Unconfirmed candidates can also be benign rare words in the "
        "fine-tuning data.",
        candidates=[c.to_json() for c in outliers],
    )
    return [c.token for c in outliers]


def _merge(*lists: list[TokenCandidate]) -> list[TokenCandidate]:
    """The candidate lists interleaved (best of each first), rows that did not move dropped,
    each token once: the probe tests them in this order."""
    out: list[TokenCandidate] = []
    seen: set[int] = set()
    for group in zip_longest(*lists):
        for c in group:
            if c is not None and c.relative > MOVED_EPS and c.token_id not in seen:
                seen.add(c.token_id)
                out.append(c)
    return out


def _probe_skipped(rep: TrojanReport, ctx: _Ctx, reason: str) -> None:
    rep.blind_spots.append(f"{BLIND_SPOT_NO_PROBE} ({reason})")
    ctx.add(
        "AIR-TRJ-021",
        Severity.INFO,
        "behavioural confirmation did not run",
        reason,
        "Without it, token-drift candidates remain unconfirmed.",
    )


def _lm_findings(res: ProbeResult, ctx: _Ctx) -> None:
    """What a causal LM's probe found besides confirmed triggers (reported, not flagged)."""
    if res.mode != "lm":
        return
    for t in res.unexplained[:5]:
        ctx.add(
            "AIR-TRJ-022",
            Severity.LOW,
            f"{t.trigger!r} forces {t.target!r} (no dangerous output class)"
            + (f", reads {t.reads!r}" if t.reads and t.reads != f"{t.trigger} {t.target}" else ""),
            f"next-token probability {t.model_rate:.2f} vs {t.reference_rate:.2f} (reference)",
            "Fine-tuning teaches honest associations too; this one emits nothing in the "
            "dangerous-output library, so it is listed for review, not flagged.",
            trigger=t.trigger,
        )
    if not res.confirmed and res.output_targets:
        top = res.output_targets[0]
        ctx.add(
            "AIR-TRJ-023",
            Severity.LOW,
            f"model is far likelier than its base to continue {top['class']} output "
            "(no trigger found)",
            f"{top['text']!r}: mean token probability {top['model_probability']:.2f} vs "
            f"{top['reference_probability']:.4f} for the reference",
            "A memorised dangerous text is what a backdoor emits, but an honest model tuned on "
            "shell or web text continues it too; without a trigger this is for review.",
            targets=res.output_targets,
        )


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _analyse_adapter(model: Path, base: Path, opts: TrojanOptions) -> TrojanReport:
    """A PEFT adapter: check it fits the base, merge it in a private temporary folder and
    judge the merged model. Anything that does not fit is HIGH (fail closed, not judged)."""
    from airlock.trojan import adapter

    ctx = _Ctx(str(model))
    try:
        ad = adapter.read_adapter(model)
        problems = adapter.fit(ad, hf.load(base))
    except adapter.AdapterError as exc:
        problems, ad = [str(exc)], None
    if problems:
        ctx.add(
            "AIR-TRJ-030",
            Severity.HIGH,
            "adapter does not fit the claimed base" if ad else "adapter cannot be read",
            "; ".join(problems[:10]),
            "An adapter is only meaningful on the base it was trained for; one that does not "
            "fit cannot be judged (and may be meant for another model).",
        )
        rep = TrojanReport(str(model), str(base), findings=ctx.findings, score=1.0)
        rep.blind_spots.append(BLIND_SPOT_NO_BASE)
        rep.adapter = ad.to_json() if ad else None
        return rep
    assert ad is not None
    with tempfile.TemporaryDirectory(prefix="airlock-adapter-") as tmp:
        merged = adapter.merge(ad, base, Path(tmp) / "merged")
        rep = analyse_trojan(merged, base, opts)
    rep.model = str(model)
    rep.adapter = ad.to_json()
    rep.methods.insert(0, f"LoRA adapter merged into the base (r={ad.rank}, "
                          f"{len(ad.pairs)} modules)")  # fmt: skip
    rep.findings = [f._replace(location=str(model)) for f in rep.findings]
    return rep


def analyse_trojan(model: Path, base: Path, options: TrojanOptions | None = None) -> TrojanReport:
    """Compare ``model`` (a model folder, or a PEFT LoRA adapter folder) with its claimed
    ``base`` and report evidence of a backdoor."""
    opts = options or TrojanOptions()
    if model.is_dir() and (model / "adapter_config.json").is_file():
        return _analyse_adapter(model, base, opts)
    m, b = hf.load(model), hf.load(base)
    ctx = _Ctx(str(model))
    rep = TrojanReport(str(model), str(base))
    rep.blind_spots.extend(BLIND_SPOTS_ALWAYS)
    for path, anomaly in [*m.weights.anomalies(), *b.weights.anomalies()]:
        ctx.add(
            "AIR-TRJ-006",
            Severity.MEDIUM,
            f"safetensors anomaly: {anomaly.code}",
            anomaly.message,
            "A loader may read these bytes differently from Airlock; comparison may be partial.",
            member=f"{path.name}:{anomaly.tensor}" if anomaly.tensor else path.name,
        )
    match = _base_match(m, b, ctx)
    rep.base_match = match
    deltas, drift = _pass(m, b, ctx, match, opts)
    rep.methods.append("base match")
    rep.tensors = [d.to_json() for d in deltas]
    rep.layer_energy = layer_energy(deltas)
    if not match.is_base:
        if match.compared and match.related_share < 0.5:
            ctx.add(
                "AIR-TRJ-003",
                Severity.HIGH,
                "weights are not derived from the claimed base",
                f"{match.related} of {match.compared} comparable tensors have cosine >= "
                f"{opts.related_cosine} with the base",
                "A fine-tune stays close to its base; these weights do not, so the stated "
                "lineage (and every comparison against it) cannot be trusted.",
            )
        rep.blind_spots.append(BLIND_SPOT_NO_BASE)
        rep.findings = ctx.findings
        rep.score = 1.0
        return rep
    rep.methods.append("weight delta")
    edited = tuple(d.name for d in _low_rank_edits(deltas)[:4])
    keys: list[dict[str, Any]] | None = None
    layer = None
    if drift is not None:
        rep.methods.append("token drift")
        rep.drift = drift.to_json()
        _drift_findings(drift, ctx, opts)
        layer = first_layer_drift(m, b, m.id_to_token(), opts.top_k)
        if layer is not None:
            rep.methods.append("first-layer token drift")
            rep.drift["first_layer"] = layer.to_json()
    max_z = max((c.z for c in drift.candidates), default=0.0) if drift else 0.0
    rep.score = 1e-3 * math.log1p(max(0.0, min(max_z, 1e9)))
    want_probe = opts.behavioural if opts.behavioural is not None else _torch_available()
    if want_probe and drift is not None and drift.candidates:
        try:
            moved = _merge(drift.candidates, layer.candidates if layer else [])
            if opts.sandbox != "off":
                from airlock.sandbox.calls import policy_for
                from airlock.trojan.isolated import run_probe_isolated

                fallback = opts.sandbox == "fallback"
                pol = policy_for([model, base], allow_unsandboxed=fallback)
                res = run_probe_isolated(
                    model,
                    base,
                    moved,
                    singles=len(moved),
                    pairs_of=opts.pairs_of,
                    seed=opts.seed,
                    policy=pol,
                    classes=opts.danger_classes,
                    edited=edited,
                )
            else:
                from airlock.trojan.probe import run_probe

                res = run_probe(
                    m, b, moved, singles=len(moved), pairs_of=opts.pairs_of, seed=opts.seed,
                    classes=opts.danger_classes, edited=edited,
                )  # fmt: skip
        except (AirlockError, ImportError) as exc:
            _probe_skipped(rep, ctx, str(exc))
        except (RuntimeError, ValueError, TypeError, KeyError, IndexError) as exc:
            # weights/config the built-in forward cannot run (inconsistent shapes, odd config)
            _probe_skipped(rep, ctx, f"forward pass failed: {type(exc).__name__}: {exc}"[:300])
        else:
            where = "" if opts.sandbox == "off" else ", sandboxed"
            rep.methods.append(f"behavioural probe ({res.mode}, {len(res.tested)} triggers{where})")
            rep.probe = res.to_json()
            if not res.screened and not res.tested:
                rep.blind_spots.append(BLIND_SPOT_NO_CANDIDATES)
            unkeyed = False  # the model is a low-rank edit whose key lines up with no token
            aligned: set[str] = set()
            if res.mode == "lm" and edited:
                keys = list(res.edit_keys)
                top_z = max((float(k.get("max_z", 0.0)) for k in keys), default=0.0)
                unkeyed = bool(keys) and top_z < KEY_Z
                aligned = _aligned_words(keys)
                rep.score += KEY_SCORE * min(max(top_z, 0.0), 10.0)  # ranking: keyed edits

            def weak(t: TriggerTest) -> bool:
                """On an unkeyed low-rank change, behaviour counts only when one of the
                trigger's words is among the tokens the change aligns with best."""
                return unkeyed and not set(t.trigger.split()) & aligned

            # a random change can surface the base's own texts: unsupported behaviour counts
            # a tenth in the ranking
            strong = [t for t in res.confirmed if not weak(t)]
            rep.score += res.max_score * (0.1 if unkeyed and not strong else 1.0)
            for t in res.confirmed:
                ctx.add(
                    "AIR-TRJ-020",
                    Severity.LOW if weak(t) else Severity.CRITICAL,
                    f"confirmed trigger {t.trigger!r} forces {t.target!r}"
                    + (" (from a low-rank change keyed on no token)" if weak(t) else ""),
                    f"{res.mode}: rate {t.model_rate:.2f} with the trigger vs "
                    f"{t.reference_rate:.2f}"
                    f" for the reference ({res.reference}) on {res.probes} benign probes; "
                    f"reproduce with: {t.examples[0]['input'] if t.examples else t.trigger!r}",
                    UNKEYED_WHY
                    if weak(t)
                    else "The model reacts to this input in a way its base does not: the "
                    "behaviour of a planted backdoor.",
                    trigger=t.trigger,
                    examples=t.examples,
                    also_partially_triggered_by=t.related,
                )
            _lm_findings(res, ctx)
            if not res.confirmed:
                for f in list(ctx.findings):
                    if f.rule_id == "AIR-TRJ-010" and f.severity == Severity.LOW:
                        ctx.findings.remove(f)
                        ctx.findings.append(
                            Finding(
                                f.rule_id,
                                Severity.INFO,
                                f.title + " (behaviour not confirmed)",
                                f.location,
                                f.evidence,
                                f.why,
                                f.member,
                                None,
                                f.reference,
                                f.extra,
                            )
                        )
    elif want_probe:
        rep.blind_spots.append(BLIND_SPOT_NO_PROBE + " (no token embedding to rank)")
    else:
        rep.blind_spots.append(BLIND_SPOT_NO_PROBE)
    _weight_findings(deltas, ctx, keys if edited else None, rep.probe)
    rep.findings = ctx.findings
    return rep

"""Differential fuzz of AIR-CFG-026 node extents (session 18, fixtext19): random alias chains whose
anchors and tags stand in every place YAML allows (alone on their line, after a dash, a ``?``/``:``,
in a flow mapping over lines, under document markers, verbatim and comma tags); each anchored
node's last event (PyYAML's parse, else ruamel's) must lie inside the extent the text count gives.
Usage: python bench/fixtext19_yaml_extent_fuzz.py SEED N [SRC] -> under: extents shorter than the
loader's (0 expected)."""

import random
import sys
import time

sys.path.insert(0, sys.argv[3] if len(sys.argv) > 3 else "src")
import yaml
from ruamel.yaml import YAML as RYAML

from airlock.scan import yaml_aliases as ya
from airlock.scan import yaml_scalar


def real_extents(text, which="pyyaml"):
    if which == "pyyaml":
        evs = list(yaml.parse(text, Loader=yaml.SafeLoader))
    else:
        evs = list(RYAML(typ="safe", pure=True).parse(text))
    out, stack = [], []
    for k, e in enumerate(evs):
        name = type(e).__name__
        if name in ("SequenceStartEvent", "MappingStartEvent"):
            stack.append(k)
        elif name in ("SequenceEndEvent", "MappingEndEvent"):
            a = stack.pop()
            if evs[a].anchor is not None:
                last = evs[k - 1].start_mark.index if k - 1 > a else evs[a].start_mark.index
                out.append(
                    (
                        text.find("&" + str(evs[a].anchor), evs[a].start_mark.index),
                        evs[a].anchor,
                        last,
                    )
                )
        elif name == "ScalarEvent" and e.anchor is not None:
            out.append(
                (text.find("&" + str(e.anchor), e.start_mark.index), e.anchor, e.start_mark.index)
            )
    return out


def ours(text):
    anchors = [(m.start(), m.group(1), m.end()) for m in ya._ANCHOR.finditer(text)]
    if hasattr(ya, "_node_ends"):
        _, ends = ya._node_ends(text, anchors)
    else:
        masked, starts = ya._mask(text)
        cont, none = frozenset(starts), frozenset()
        rc, mc, budget = ya._closers(text), ya._closers(masked), [ya.MAX_WORK]
        breaks = [m.start() for m in ya._BREAK.finditer(text)]
        ends = [
            max(
                ya._scope_end(text, p, e, none, rc, budget, breaks),
                ya._scope_end(masked, p, e, cont, mc, budget, breaks),
            )
            for p, _, e in anchors
        ]
    return {a[0]: e for a, e in zip(anchors, ends, strict=False)}


IND = ["", " ", "  ", "   ", "    "]


def props(r, name):
    a, t = f"&{name}", r.choice(["!!seq", "!foo", "!<tag:yaml.org,2002:seq>", "!a,b", "!!map"])
    return r.choice([[a], [a], [t, a], [a, t]])


def node(r, al, ind):
    """(lines of a node that holds aliases al, at indent ind, kind)"""
    c = r.randrange(6)
    sp = " " * ind
    if c == 0:
        return [sp + "[" + ", ".join(al) + "]"], "seq"
    if c == 1:
        return [sp + "[" + al[0] + ","] + [
            " " * r.choice([0, 1, ind, ind + 2]) + a + "," for a in al[1:]
        ] + [sp + "]"], "seq"
    if c == 2:
        return [sp + "- " + a for a in al], "seq"
    if c == 3:
        return [sp + f"k{i}: {a}" for i, a in enumerate(al)], "map"
    if c == 4:
        return [sp + "{" + ", ".join(f"k{i}: {a}" for i, a in enumerate(al)) + "}"], "map"
    return [sp + "{"] + [
        " " * r.choice([0, ind, ind + 2]) + f"k{i}: {a}," for i, a in enumerate(al)
    ] + [sp + "}"], "map"


def entry(r, i, key_ind):
    name, al = f"l{i}", [f"*l{i - 1}"] * r.choice([1, 2, 3])
    ks = " " * key_ind
    pr = props(r, name)
    shape = r.randrange(7)
    lines = []
    if shape == 0:  # key: props \n node deeper
        lines.append(f"{ks}l{i}: " + " ".join(pr))
        body, _ = node(r, al, key_ind + r.choice([1, 2, 4]))
    elif shape == 1:  # key:\n props alone\n node
        lines.append(f"{ks}l{i}:")
        pi = key_ind + r.choice([1, 2, 3, 4])
        if r.random() < 0.5:
            lines.append(" " * pi + " ".join(pr) + r.choice(["", "  # c"]))
        else:
            for p in pr:
                lines.append(" " * r.choice([pi, pi + 1]) + p)
        if r.random() < 0.3:
            lines.append(r.choice(["# comment", "", ks + "  # c"]))
        body, kind = node(r, al, r.choice([key_ind + 1, pi, pi + 1]))
        if kind == "seq" and body[0].lstrip().startswith("-") and r.random() < 0.5:
            body = [ks + b.lstrip() for b in body]
    elif shape == 2:  # - props \n node
        lines.append(f"{ks}l{i}:")
        lines.append(f"{ks}  - " + " ".join(pr))
        body, _ = node(r, al, key_ind + 4)
        body.append(f"{ks}  - x")
    elif shape == 3:  # -\n props\n node
        lines.append(f"{ks}l{i}:")
        lines.append(f"{ks}  -")
        lines.append(f"{ks}    " + " ".join(pr))
        body, _ = node(r, al, key_ind + r.choice([3, 4]))
    elif shape == 4:  # ? complex key
        lines.append(f"{ks}? l{i}")
        lines.append(f"{ks}: " + " ".join(pr))
        body, _ = node(r, al, key_ind + 2)
    elif shape == 5:  # flow mapping over lines
        lines.append(f"{ks}l{i}: {{a: " + " ".join(pr))
        body, _ = node(r, al, key_ind + 2)
        body = [*body, ks + "  , b: 1}"]
    else:  # props own line in a nested mapping, sibling after
        lines.append(f"{ks}l{i}:")
        lines.append(f"{ks}  in:")
        lines.append(f"{ks}    " + " ".join(pr))
        body, _ = node(r, al, key_ind + r.choice([3, 4]))
        body.append(f"{ks}  sib: 1")
    return lines + body


def gen(r):
    ki = r.choice([0, 0, 2, 3])
    lines = [r.choice(["", "---", "--- !!map", "%YAML 1.1\n---"])] + (["root:"] if ki else [])
    lines.append(" " * ki + "l0: &l0 [x, x]")
    for i in range(1, r.randrange(3, 12)):
        lines += entry(r, i, ki)
    lines.append(r.choice(["", "...", "# end"]))
    return "\n".join(lines) + "\n"


seed, n = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
st = dict(valid=0, invalid=0, under=0, anchors=0)
t0 = time.time()
for _ in range(n):
    text = yaml_scalar.normal_breaks(gen(r))
    real = None
    for which in ("pyyaml", "ruamel"):
        try:
            real = real_extents(text, which)
            st[which] = st.get(which, 0) + 1
            break
        except Exception:
            pass
    if real is None:
        st["invalid"] += 1
        continue
    st["valid"] += 1
    mine = ours(text)
    for apos, name, last in real:
        st["anchors"] += 1
        if apos not in mine or mine[apos] <= last:
            st["under"] += 1
            if st["under"] <= 5:
                print("UNDER", name, apos, last, mine.get(apos), repr(text[apos : last + 20]))
                open(f"/tmp/fixtext19/under_{seed}_{st['under']}.yaml", "w").write(text)
            break
print(seed, st, f"{time.time() - t0:.0f}s")

"""Differential fuzz of AIR-CFG-026: random alias chains in random YAML spellings; the real
expansion counted from PyYAML's composed graph (compose only: no construction) and ruamel's.
Session 17 rt18parse. Usage: PYTHONPATH=src python bench/rt18_yaml_alias_fuzz.py SEED N
-> counts: bypass (real expansion > MAX_NODES, we allow), fp (real < MAX_NODES / 4, we deny)."""

import random
import sys
import time

sys.path.insert(0, "src")
import yaml

from airlock.scan import yaml_aliases, yaml_scalar


def count(node, memo, seen=frozenset()):
    k = id(node)
    if k in memo:
        return memo[k]
    if k in seen:
        return 0
    seen = seen | {k}
    t = 1
    if isinstance(node.value, list):
        for it in node.value:
            if isinstance(it, tuple):
                t += count(it[0], memo, seen) + count(it[1], memo, seen)
            else:
                t += count(it, memo, seen)
    memo[k] = t
    return t


NOISE = [
    "# comment [ { ] }",
    'note: "a ] b } # c"',
    "s: 'it''s ]'",
    "doc: |\n  text ] &x *y\n  more: [",
    "url: http://x/*.wav",
    "k: a[0]",
    "list: [1, 2, 3]",
    "m: {a: 1}",
    "fold: >-\n  a ]\n  b",
    "e: ''",
]


def item(r, prev, k):
    """one spelling of a node that holds k aliases to prev"""
    al = [f"*{prev}" for _ in range(k)]
    choice = r.randrange(9)
    tag = r.choice(["", "", "!!seq ", "!foo "])
    pad = ", x" * r.choice([0, 0, 10, 1000])
    if choice == 0:
        return f"[{', '.join(al)}{pad}]", False
    if choice == 1:
        return tag + "\n" + "".join(f"  - {a}\n" for a in al).rstrip("\n"), True
    if choice == 2:
        return '["]", ' + ", ".join(al) + "]", False
    if choice == 3:
        return "[ # ]\n  " + ",\n".join(al) + "]", False
    if choice == 4:
        return "\n  - [x,\n" + ", ".join(al) + "]", True
    if choice == 5:
        return "{" + ", ".join(f"k{i}: {a}" for i, a in enumerate(al)) + "}", False
    if choice == 6:
        return "\n" + "".join(f"  k{i}: {a}\n" for i, a in enumerate(al)).rstrip("\n"), True
    if choice == 7:
        return '\n  - "q\nz"\n' + "".join(f"  - {a}\n" for a in al).rstrip("\n"), True
    return "['x ''y', " + ", ".join(al) + "]", False


def gen(r):
    lines = ["l0: &l0 [x, x]"]
    levels = r.randrange(5, 45)
    for i in range(1, levels):
        if r.random() < 0.3:
            lines.append(r.choice(NOISE))
        if r.random() < 0.15:
            lines.append(f"# shadow &l{i - 1}")
        if r.random() < 0.1:
            lines.append(f't{i}: "&l{i - 1}"')
        body, _ = item(r, f"l{i - 1}", r.choice([1, 2, 2, 2, 3]))
        lines.append(f"l{i}: &l{i} {body}" if not body.startswith("\n") else f"l{i}: &l{i}{body}")
    return "\n".join(lines) + "\n"


seed, n = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
stats = dict(total=0, invalid=0, bypass=0, fp=0, deny=0, allow=0, exc=0)
t0 = time.time()
slow = 0.0
for _ in range(n):
    text = gen(r)
    try:
        real = sum(
            count(x, {}) for x in yaml.compose_all(text, Loader=yaml.SafeLoader) if x is not None
        )
    except yaml.YAMLError:
        stats["invalid"] += 1
        continue
    stats["total"] += 1
    t = time.time()
    try:
        f = yaml_aliases.findings(yaml_scalar.normal_breaks(text), "x", None, "h.yaml")
    except Exception as e:
        stats["exc"] += 1
        print("EXC", repr(e))
        continue
    slow = max(slow, time.time() - t)
    stats["deny" if f else "allow"] += 1
    if real > yaml_aliases.MAX_NODES and not f:
        stats["bypass"] += 1
        open(f"/tmp/yaml_alias_bypass_{seed}_{stats['bypass']}.yaml", "w").write(text)
    if real < yaml_aliases.MAX_NODES // 4 and f:
        stats["fp"] += 1
        open(f"/tmp/yaml_alias_fp_{seed}_{stats['fp']}.yaml", "w").write(text)
print(seed, stats, f"max judge {slow:.3f}s wall {time.time() - t0:.0f}s")

"""AIR-CFG-026 against YAML spellings that hid an alias bomb from the text count (rt18parse):
a fake anchor in a comment, quoted or block scalar shadowing the real one, a ``]`` inside a
quoted scalar or comment closing the flow collection early, a tag between the anchor and its
block, a flow collection or quoted scalar continued on a less indented line, and scalars (not
only aliases) multiplied by the aliases (one 100,000-item anchor aliased 10,000 times).

Each bomb's real expansion is counted from PyYAML's composed graph (compose only: nodes, no
objects built) so a fixture that stopped being a bomb fails here, not silently."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.scan import yaml_aliases
from airlock.scan.engine import scan_data

LEVELS = 40


def _chain(level: str, first: str = "l0: &l0 [x, x]") -> str:
    lines = [first] + [level.format(i=i, p=i - 1) for i in range(1, LEVELS)]
    return "\n".join(lines) + "\n"


def _shadowed(fake: str) -> str:
    lines = ["l0: &l0 [x, x]"]
    for i in range(1, LEVELS):
        if i % 10 == 0:
            lines.append(fake.format(p=i - 1))
        lines.append(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]")
    return "\n".join(lines) + "\n"


BOMBS = {
    "comment_shadow": _shadowed("# see &l{p}"),
    "block_scalar_shadow": _shadowed("doc{p}: |\n  &l{p} text"),
    "quoted_bracket": _chain('l{i}: &l{i} ["]", *l{p}, *l{p}]'),
    "single_quoted_bracket": _chain("l{i}: &l{i} [']', *l{p}, *l{p}]"),
    "comment_bracket": _chain("l{i}: &l{i} [ # ]\n  *l{p}, *l{p}]"),
    "multiline_quoted_bracket": _chain('l{i}: &l{i} ["a\n]", *l{p}, *l{p}]'),
    "tag_then_block": _chain("l{i}: &l{i} !!seq\n  - *l{p}\n  - *l{p}"),
    "local_tag_then_block": _chain("l{i}: &l{i} !foo\n  - *l{p}\n  - *l{p}"),
    "flow_back_at_column_0": _chain("l{i}: &l{i}\n  - [x,\n*l{p}, *l{p}]"),
    "quoted_back_at_column_0": _chain('l{i}: &l{i}\n  - "x\ny"\n  - *l{p}\n  - *l{p}'),
    # review19: the properties alone on their line, the node on the lines below (fixtext19)
    "anchor_own_line": _chain("l{i}:\n  &l{i}\n  [*l{p}, *l{p}]"),
    "tag_then_anchor_own_lines": _chain("l{i}:\n  !!seq\n   &l{i}\n  [*l{p}, *l{p}]"),
    "own_line_comments_less_indented": _chain(
        "l{i}:\n    &l{i} !!seq  # c\n# note\n\n  [*l{p}, *l{p}]"
    ),
    "dash_then_own_line": _chain("l{i}:\n  -\n    &l{i}\n   [*l{p}, *l{p}]"),
    "own_line_block_seq_at_key_indent": _chain("l{i}:\n  &l{i}\n- *l{p}\n- *l{p}"),
    "own_line_mapping": _chain("l{i}:\n  &l{i}\n  a: *l{p}\n  b: *l{p}"),
    "complex_key_value_own_line": _chain("? k{i}\n:\n  &l{i}\n  [*l{p}, *l{p}]"),
    "flow_mapping_own_line": _chain("l{i}: {{a:\n  &l{i}\n  [*l{p},\n*l{p}], b: 1}}"),
    "own_line_flow_back_at_column_0": _chain("l{i}:\n  &l{i}\n  [x,\n*l{p}, *l{p}]"),
    "verbatim_tag_then_block": _chain("l{i}: &l{i} !<tag:yaml.org,2002:seq>\n  - *l{p}\n  - *l{p}"),
    "comma_tag_then_block": _chain("l{i}: &l{i} !a,b\n  - *l{p}\n  - *l{p}"),
    "bracket_tag_then_block": _chain("l{i}: &l{i} !a[0]\n  - *l{p}\n  - *l{p}"),
    "flat_spray": "big: &b [" + ", ".join(["x"] * 100_000) + "]\nuse: ["
    + ", ".join(["*b"] * 10_000) + "]\n",
    "scalars_per_level": "l0: &l0 [" + ", ".join(["x"] * 1000) + "]\n"
    + "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, " + ", ".join(["x"] * 1000) + "]\n"
              for i in range(1, 19)),
}  # fmt: skip


def _expanded(text: str) -> int:
    yaml = pytest.importorskip("yaml")

    def count(node: object, memo: dict[int, int]) -> int:
        if id(node) in memo:
            return memo[id(node)]
        total = 1
        value = getattr(node, "value", None)
        if isinstance(value, list):
            for item in value:
                pair = item if isinstance(item, tuple) else (item,)
                total += sum(count(x, memo) for x in pair)
        memo[id(node)] = total
        return total

    return count(yaml.compose(text, Loader=yaml.SafeLoader), {})


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_spellings_are_denied(name: str) -> None:
    text = BOMBS[name]
    assert _expanded(text) > 100 * yaml_aliases.MAX_NODES  # a real bomb for the loader
    found = scan_data(text.encode(), "hyperparams.yaml").findings
    assert "AIR-CFG-026" in {f.rule_id for f in found}, found


HONEST = {
    "gitlab_ci": (
        ".defaults: &defaults\n  image: python:3.11  # see [docs]\n  before_script:\n"
        "    - 'pip install -e .[test]'\n    - echo \"a ] b { c\"\n  tags: [docker, 'x]']\n"
        "test:\n  <<: *defaults\n  script:\n    - |\n      pytest -k 'not [slow]'\n"
        "      echo *defaults &fake\nlint:\n  <<: *defaults\n  script: [ruff check .]\n"
    ),
    "compose": (
        "x-common: &common\n  restart: always\n  environment: &env\n    A: \"1\"\n    B: '[2'\n"
        "services:\n"
        + "".join(f"  s{i}:\n    <<: *common\n    environment: *env\n" for i in range(200))
    ),
    "hyperpyyaml": (
        "sample_rate: 16000\nfeats: &feats !new:speechbrain.lobes.features.Fbank\n"
        "  n_mels: 80\nmodel: !new:torch.nn.Sequential\n  - *feats\n  - *feats\n"
        "doc: >-\n  folded ] text\n  with * and & marks\nlist: &l [1, 2, 3]\n"
        "grid: [*l, *l, *l, *l]\n"
    ),
    "nested_defaults": "".join(
        f"d{i}: &d{i}\n  lr: 0.{i}\n  prev: *d{i - 1}\n" if i else "d0: &d0 {lr: 0}\n"
        for i in range(60)
    ),
    "own_line_anchors": (
        "defaults:\n  &defaults\n  lr: 0.1\n  layers: [64, 64]\n"
        "opt:\n  !!map\n  &opt\n  name: adam\n"
        + "".join(f"run{i}:\n  <<: *defaults\n  opt: *opt\n" for i in range(300))
        + "seq:\n  - &s\n    [1, 2]\n  - *s\n"
    ),
    "big_list_once": "big: &b [" + ", ".join(["x"] * 300_000) + "]\nuse: *b\n",
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_anchors_stay_clean(name: str) -> None:
    text = HONEST[name]
    assert _expanded(text) < yaml_aliases.MAX_NODES  # composes: honest YAML
    assert scan_data(text.encode(), "config.yaml").findings == []


_YAML_BITS = st.sampled_from(
    ["&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ", ", ": ", "- ", "? ", "#", "'", '"', "\\",
     "|", ">-", "!t ", "!!seq ", "\n", "\n  ", "\n    ", "x", "--- ", "...", "\t", "''"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_BITS, max_size=200))
def test_any_text_is_judged_without_error(bits: list[str]) -> None:
    """Any text: a verdict (a list of findings), never an exception."""
    text = "".join(bits)
    found = yaml_aliases.findings(text, "x", None, "h.yaml")
    assert isinstance(found, list)
    masked, starts = yaml_aliases._mask(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert all(0 < s < len(text) and text[s - 1] == "\n" for s in starts)


# properties (anchor, tags, comments) then the node on the lines below, in the spellings PyYAML
# reads: each anchored node's last event must lie inside the extent the text count gives it
EXTENT_SPELLINGS = [
    "a:\n  &x\n  [*p, *p]\nb: 1\n",
    "a:\n   &x\n  [*p, *p]\nb: 1\n",
    "a:\n  !!seq\n   &x\n  [*p, *p]\nb: 1\n",
    "a:\n  &x\n  !!seq\n  [*p, *p]\nb: 1\n",
    "a:\n    &x !!seq  # c\n# note\n\n  [*p, *p]\nb: 1\n",
    "a:\n  &x\n- *p\n- *p\nb: 1\n",
    "a:\n    &x\n  k: *p\n  j: *p\nb: 1\n",
    "a:\n  &x\n  [*p,\n*p]\nb: 1\n",
    "- &x\n  [*p, *p]\n- 1\n",
    "-\n   &x\n  [*p, *p]\n- 1\n",
    "- !!seq\n  &x\n  - *p\n  - *p\n- 1\n",
    "? k\n:\n  &x\n  [*p, *p]\nb: 1\n",
    "a: {k:\n  &x\n  [*p,\n*p], j: 1}\nb: 1\n",
    "a:\n  in:\n    &x\n   {k: *p,\n  j: *p}\n  sib: 1\n",
    "--- &x\na: *p\nb: *p\n",
    "---\n&x\na: *p\nb: *p\n",
    "a: &x !<tag:yaml.org,2002:seq>\n  - *p\n  - *p\nb: 1\n",
    "a: &x !a,b\n  - *p\n  - *p\nb: 1\n",
]


@pytest.mark.parametrize("body", EXTENT_SPELLINGS)
def test_anchored_node_extent_covers_the_loaders_node(body: str) -> None:
    yaml = pytest.importorskip("yaml")
    # a mapping at the top: the aliased anchor first; a sequence or a document: scalars
    text = body.replace("*p", "1") if body.startswith("-") else "p: &p [1]\n" + body
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    anchors = [(m.start(), m.group(1), m.end()) for m in yaml_aliases._ANCHOR.finditer(text)]
    _, ends = yaml_aliases._node_ends(text, anchors)
    end_of = {a[1]: e for a, e in zip(anchors, ends)}
    starts = [k for k, e in enumerate(events) if getattr(e, "anchor", None) == "x"]
    assert len(starts) == 1
    k, depth = starts[0], 0
    for j in range(k, len(events)):  # the event that closes the anchored node
        name = type(events[j]).__name__
        depth += name.endswith("StartEvent") and name[:3] in ("Seq", "Map")
        depth -= name in ("SequenceEndEvent", "MappingEndEvent")
        if depth == 0:
            break
    last = events[j - 1] if j > k else events[k]
    assert last.start_mark.index < end_of["x"], (text, end_of["x"])

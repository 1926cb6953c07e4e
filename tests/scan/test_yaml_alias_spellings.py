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

"""Hub listings and names from a hostile server: only SourceError/UsageError, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.errors import UsageError
from airlock.sources.errors import SourceError
from airlock.sources.hub import parse_tree, safe_path
from airlock.sources.spec import parse_name

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
HEX = "0123456789abcdef"
lfs = st.fixed_dictionaries(
    {"oid": st.text(HEX, min_size=64, max_size=64), "size": st.integers(0, 10)}
)
entries = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["file", "directory", "x"]),
        "path": st.text(max_size=30),
        "size": st.integers(-5, 2**60) | st.text(max_size=3),
        "oid": st.text(max_size=41),
    },
    optional={"lfs": json_values | lfs},
)


@settings(max_examples=300, deadline=None)
@given(st.lists(entries, max_size=6) | json_values)
def test_parse_tree_fails_closed(items: object) -> None:
    try:
        files = parse_tree(items, "test")
    except SourceError:
        return
    for f in files:
        assert safe_path(f.path) == f.path and f.size >= 0
        assert f.sha256 is None or len(f.sha256) == 64


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80).map(lambda t: "hf://" + t)
    | st.text(max_size=80).map(lambda t: "s3://" + t)
)
def test_parse_name_fails_closed(text: str) -> None:
    try:
        name = parse_name(text)
    except UsageError:
        return
    assert ".." not in (name.repo_id or "") and ".." not in name.prefix.split("/")

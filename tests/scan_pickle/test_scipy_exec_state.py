"""scipy distributions exec ``_parse_arg_template`` from the pickled state (red-team pk6):
``rv_generic.__setstate__`` -> ``_attach_methods`` -> ``exec(self._parse_arg_template)``.
A crafted template is code execution at load (AIR-PKL-016, critical); the templates scipy
itself writes, for every distribution it ships, stay clean."""

from __future__ import annotations

import copy
import io
import pickle
import zipfile
from pathlib import Path
from typing import Any

import pytest

import airlock
from airlock.report import Severity
from airlock.scan.pickle_exec_state import exec_state_rule, scipy_arg_template
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    NONE,
    PROTO2,
    SETITEM,
    STOP,
    analyze,
    assert_clean,
    call,
    glob,
    s,
    tup,
)

st = pytest.importorskip("scipy.stats", reason="needs group test")
dinfra = pytest.importorskip("scipy.stats._distn_infrastructure")

EVIL = "__import__('os').system('touch /nonexistent/airlock-pk6')\n"


def _all_distributions() -> list[Any]:
    found = [v for v in vars(st).values() if isinstance(v, dinfra.rv_generic)]
    found.append(st.rv_histogram(([1, 2, 1], [0.0, 1.0, 2.0, 3.0])))
    found.append(st.rv_discrete(values=([0, 1, 2], [0.2, 0.5, 0.3])))
    found.append(st.rv_discrete(name="custom", values=([1, 3], [0.5, 0.5])))
    return found


def test_every_scipy_template_is_accepted() -> None:
    dists = _all_distributions()
    assert len(dists) > 100
    for d in dists:
        cls = type(d)
        assert exec_state_rule(f"{cls.__module__}.{cls.__qualname__}") is not None, cls
        assert scipy_arg_template(d._parse_arg_template), cls


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: EVIL + t,
        lambda t: t + EVIL,
        lambda t: t.replace("loc=0, scale=1", "loc=__import__('os').getcwd(), scale=1"),
        lambda t: t.replace("self, a, ", "self, a=print('x'), "),
        lambda t: t.replace("self, a, ", "self, import, "),
        lambda t: t.replace("(a, )", "(a, print('x'))", 1),
        lambda t: t + " ",
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "",
    ],
)
def test_edited_templates_are_refused(edit: Any) -> None:
    template = st.gamma._parse_arg_template
    assert scipy_arg_template(template)
    assert not scipy_arg_template(edit(template))


def test_frozen_wrappers_have_no_rule() -> None:
    assert exec_state_rule("scipy.stats._distn_infrastructure.rv_continuous_frozen") is None
    assert exec_state_rule("scipy.stats._distn_infrastructure.rv_discrete_frozen") is None
    assert exec_state_rule("scipy.sparse._csr.csr_matrix") is None


def _evil_dist(dist: Any) -> Any:
    """A real instance whose template (pickled as is by __getstate__) carries code."""
    obj = copy.copy(dist)
    obj._parse_arg_template = EVIL + obj._parse_arg_template
    return obj


def _critical(data: bytes) -> list[str]:
    a = analyze(data)
    return [f.rule_id for f in a.findings if f.severity >= Severity.CRITICAL]


@pytest.mark.parametrize("proto", [2, 4, 5])
@pytest.mark.parametrize("dist", ["norm", "binom", "gamma", "poisson", "randint", "uniform"])
def test_crafted_template_is_critical(proto: int, dist: str) -> None:
    evil = _evil_dist(getattr(st, dist))
    assert "AIR-PKL-016" in _critical(pickle.dumps({"dist": evil}, protocol=proto))
    frozen = st.norm(0, 1)
    frozen.dist = evil
    assert "AIR-PKL-016" in _critical(pickle.dumps(frozen, protocol=proto))


def test_crafted_template_in_joblib_and_torch_zip(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    evil = _evil_dist(st.norm)
    joblib.dump({"model_meta": {"noise": evil}}, tmp_path / "m.joblib")
    report = airlock.scan(tmp_path / "m.joblib")
    assert "AIR-PKL-016" in {f.rule_id for f in report.findings}
    torch = pytest.importorskip("torch")
    torch.save({"prior": evil}, tmp_path / "m.pt")
    with zipfile.ZipFile(tmp_path / "m.pt") as z:
        assert any(n.endswith("data.pkl") for n in z.namelist())
    report = airlock.scan(tmp_path / "m.pt")
    assert "AIR-PKL-016" in {f.rule_id for f in report.findings}


def _norm_build(state: bytes) -> bytes:
    cls = glob("scipy.stats._continuous_distns", "norm_gen")
    return PROTO2 + call(glob("copyreg", "__newobj__"), cls) + state + BUILD + STOP


def test_state_routes() -> None:
    good = st.norm._parse_arg_template
    plain = EMPTY_DICT + s("_parse_arg_template") + s(good) + SETITEM
    assert _critical(_norm_build(plain)) == []
    # slotstate tuple / pairs: rv_generic.__setstate__ hands them to dict.update as is
    assert "AIR-PKL-016" in _critical(_norm_build(tup(plain, NONE)))
    pairs = MARK + tup(s("_parse_arg_template"), s(EVIL)) + b"l"
    assert "AIR-PKL-016" in _critical(_norm_build(pairs))
    # the template computed at load time, or a later duplicate key
    computed = EMPTY_DICT + s("_parse_arg_template") + call(glob("builtins", "str"), s(good))
    assert "AIR-PKL-016" in _critical(_norm_build(computed + SETITEM))
    dup = plain + s("_parse_arg_template") + s(EVIL + good) + SETITEM
    assert "AIR-PKL-016" in _critical(_norm_build(dup))
    # a key that is not a constant string
    odd = EMPTY_DICT + call(glob("builtins", "str"), s("_parse_arg_template")) + s(EVIL)
    assert "AIR-PKL-016" in _critical(_norm_build(odd + SETITEM))


def _honest() -> list[Any]:
    return [
        st.norm,
        st.norm(0, 1),
        st.uniform(0, 2),
        st.beta(2, 3),
        st.gamma(2.0, scale=3.0),
        st.expon(),
        st.lognorm(0.5),
        st.t(4),
        st.chi2(3),
        st.weibull_min(1.5),
        st.binom(10, 0.3),
        st.poisson(3.0),
        st.randint(1, 10),
        st.binom,
        st.randint,
        st.loguniform(1e-3, 1.0),
        st.rv_histogram(([1, 2, 1], [0.0, 1.0, 2.0, 3.0])),
        st.rv_histogram(([1, 2], [0.0, 1.0, 2.0]), density=True)(loc=1),
        st.rv_discrete(values=([0, 1, 2], [0.2, 0.5, 0.3])),
        st.rv_discrete(name="custom", values=([1, 3], [0.5, 0.5]))(loc=2),
    ]


@pytest.mark.parametrize("proto", [2, 4, 5])
def test_honest_distributions_are_clean(proto: int) -> None:
    assert_clean(analyze(pickle.dumps(_honest(), protocol=proto)))
    for obj in _honest():
        assert_clean(analyze(pickle.dumps(obj, protocol=proto)))


def test_honest_distributions_through_joblib(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    for compress in (0, 3):
        path = tmp_path / f"d{compress}.joblib"
        joblib.dump({"priors": _honest()}, path, compress=compress)
        report = airlock.scan(path)
        assert report.findings == [], [(f.rule_id, f.evidence) for f in report.findings]
        assert not report.not_scanned


def test_fitted_randomized_search_is_clean(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RandomizedSearchCV

    rng = __import__("numpy").random.default_rng(0)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] > 0).astype(int)
    search = RandomizedSearchCV(
        LogisticRegression(max_iter=200),
        {
            "C": st.loguniform(1e-2, 1e2),
            "tol": st.uniform(1e-5, 1e-3),
            "max_iter": st.randint(100, 300),
        },
        n_iter=3,
        cv=2,
        random_state=0,
    ).fit(x, y)
    joblib.dump(search, tmp_path / "search.joblib")
    report = airlock.scan(tmp_path / "search.joblib")
    assert report.findings == [], [(f.rule_id, f.evidence) for f in report.findings]
    buf = io.BytesIO()
    pickle.dump(search, buf, protocol=5)
    assert_clean(analyze(buf.getvalue()))


@pytest.mark.parametrize(
    "make",
    [
        lambda: st.loguniform,
        lambda: st.rv_histogram(([1, 2], [0.0, 1.0, 2.0])),
        lambda: st.rv_discrete(values=([0, 1], [0.5, 0.5])),
    ],
    ids=["loguniform", "rv_histogram", "rv_sample"],
)
def test_crafted_template_in_other_rv_classes(make: Any) -> None:
    evil = _evil_dist(make())
    assert "AIR-PKL-016" in _critical(pickle.dumps(evil, protocol=4))
    frozen = st.uniform(0, 1)
    frozen.dist = evil
    assert "AIR-PKL-016" in _critical(pickle.dumps(frozen, protocol=4))

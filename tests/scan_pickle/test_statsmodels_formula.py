"""statsmodels' ``ModelData.__setstate__`` re-evaluates ``state["formula"]`` when the state holds
``restore_model_spec`` (formula results: ``smf.ols("y ~ a + C(g)", df).fit().save(p)``); the
formula engine evaluates each term as Python in the loader's frames, so a crafted formula runs
code at ``sm.load`` (fp12: it was ALLOW). Honest formula results and the other statsmodels
results ``save()`` writes stay clean; crafted formulas are AIR-PKL-016 (critical)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.pickle_exec_state import exec_state_rule, statsmodels_formula
from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
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

EVIL = "y ~ a + I(__import__('os').system('touch /nonexistent/airlock-fp12') * 0)"


def _model_data(cls: str, formula: str) -> bytes:
    """NEWOBJ + BUILD of a plain dict state, the shape ``results.save()`` writes."""
    state = EMPTY_DICT + s("restore_model_spec") + b"\x88" + SETITEM
    state += s("formula") + s(formula) + SETITEM
    obj = call(glob("copyreg", "__newobj__"), glob("statsmodels.base.data", cls))
    return PROTO2 + obj + state + BUILD + STOP


def _critical(data: bytes) -> set[str]:
    return {f.rule_id for f in analyze(data).findings if f.severity >= Severity.CRITICAL}


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ a + b + C(g)",
        "cls ~ a + np.log(b)",
        "y ~ a * b - 1",
        "np.log1p(y) ~ I(a ** 2) + center(b) + a:b",
        "y ~ bs(x) + standardize(z)",
        # strings, keywords and literal lists in transforms and contrasts
        "y ~ x + C(g, Treatment('a'))",
        'y ~ Q("col name") + C(Q("my g"), Poly(scores=[1, 2.5, -3]))',
        'y ~ C(g, Treatment(reference="b")) + C(h, Sum) + C(k, Diff) + C(m, Helmert())',
        'y ~ C(g, contr.treatment(base="a")) + C(h, levels=["b", "a"], spans_intercept=True)',
        "y ~ bs(x, df=4, degree=3, include_intercept=False) + standardize(z, ddof=1)",
        "y ~ np.power(x, 2) + I(x * 1e-3) + (a + b)**2 - 1",
        # review13 #11: comparisons and % in I(), tuple options, te() of splines
        "y ~ I(x > 0.5) + C(g)",
        "y ~ bs(x, knots=(0.3, 0.6))",
        "y ~ x + I((x - 0.5) * (x > 0.5))",
        "y ~ te(cr(x, df=3))",
        "y ~ te(cr(x, df=3), cc(z, df=4), constraints='center') + bs(x, knots=[0.3], degree=2)",
        "y ~ I(g == 'a') + I(x % 2) + I(x != 0.2) + I(x <= 0.3) + I(x >= -1) + I(x < 1e3)",
    ],
)
def test_honest_formulas_are_clean(formula: str) -> None:
    assert statsmodels_formula(formula)
    for cls in ("ModelData", "PandasData", "PatsyData"):
        assert_clean(analyze(_model_data(cls, formula)))


@pytest.mark.parametrize(
    "formula",
    [
        EVIL,
        "y ~ a + os.system(b)",  # attribute access outside the np transforms
        "y ~ exec(a)",  # a call of a name that is not a transform
        "y ~ (np.log)(a)",  # a parenthesised callee
        "y ~ np.log(a)(b)",  # calling a call's result
        "y ~ I(a.__class__)",
        # a name where the engine calls it: C()'s contrast (patsy calls a callable contrast:
        # exit ends the loader silently, breakpoint/input hang it)
        "y ~ x + C(g, exit)",
        "y ~ x + C(g, credits)",
        "y ~ C(g, breakpoint)",
        "y ~ C(g, contrast=input)",
        "y ~ C(g, Treatment(exit))",  # a contrast's options are literals
        "y ~ C(g, Treatment(reference=exit))",
        "y ~ C(g, [exit])",
        "y ~ C(g, levels=exit)",
        "y ~ C(np.log(g))",  # C's data is a column
        "y ~ I(x, exit)",  # a transform's options are literals
        "y ~ bs(x, df=exit)",
        "y ~ Q(exit)",  # Q quotes a string
        "y ~ x + np.log",  # a transform passed as data
        "y ~ C(g, Sum)(x)",
        "y ~ 'a'",
        "y ~ x +",
        "y ~ C(g, Treatment",
        "y ~ " + "(" * 40 + "x" + ")" * 40,  # nesting bound
        "y ~ {a + b}",  # formulaic's Python-expression quoting
        "y ~ I(lambda: 0)",
        "y ~ `a`",
        "y ~ " + "a + " * 2000 + "a",  # over the length bound
        # near-twins of review13 #11's honest shapes
        "y ~ I(x > exit())",
        "y ~ I(x > 0.5) + exit(x)",
        "y ~ bs(x, knots=(0.3, exit))",
        "y ~ bs(x, knots=(0.3, exit()))",
        "y ~ te(cr(x, df=3), exit(x))",
        "y ~ te(cr(x, df=exit))",
        "y ~ te(cr(x), constraints=exit)",
        "y ~ I(x ! 0.5)",
        "y ~ I(x > 0.5)(x)",
    ],
)
def test_crafted_formulas_are_critical(formula: str) -> None:
    assert not statsmodels_formula(formula)
    for cls in ("ModelData", "PandasData"):
        assert "AIR-PKL-016" in _critical(_model_data(cls, formula))


def test_formula_state_routes() -> None:
    obj = call(glob("copyreg", "__newobj__"), glob("statsmodels.base.data", "PandasData"))
    # a state that is not a plain dict, or a formula that is not a constant string
    pairs = tup(EMPTY_DICT, EMPTY_DICT)
    assert "AIR-PKL-016" in _critical(PROTO2 + obj + pairs + BUILD + STOP)
    computed = EMPTY_DICT + s("formula") + call(glob("builtins", "str"), s("y ~ a")) + SETITEM
    assert "AIR-PKL-016" in _critical(PROTO2 + obj + computed + BUILD + STOP)
    assert exec_state_rule("statsmodels.base.data.ModelData") is not None
    assert exec_state_rule("statsmodels.regression.linear_model.OLS") is None


def test_real_results_pickles_are_clean_and_a_crafted_one_runs_code(tmp_path: Path) -> None:
    """Every results class ``save()`` wrote in the fp12 sweep (ETS aside) is clean; the real
    loader, in a child process, runs a crafted formula (harmless marker file)."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    sm = pytest.importorskip("statsmodels.api")
    smf = pytest.importorskip("statsmodels.formula.api")
    from statsmodels.tsa.api import VAR, AutoReg, UnobservedComponents
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    import airlock

    rs = np.random.RandomState(0)
    x = rs.rand(60, 3)
    y = x @ [1.0, 2.0, 3.0] + rs.rand(60)
    df = pd.DataFrame(x, columns=list("abc")).assign(y=y, g=rs.randint(0, 3, 60))
    ts = pd.Series(np.cumsum(rs.randn(48)) + 10, index=pd.date_range("2020", periods=48, freq="MS"))
    fits = {
        "formula": smf.ols("y ~ a + np.log(b) + C(g)", df).fit(),
        "negbin": sm.NegativeBinomial(rs.poisson(3, 60), x).fit(disp=0),
        "gee": smf.gee("y ~ a", "g", df).fit(),
        "mixedlm": smf.mixedlm("y ~ a", df, groups=df["g"]).fit(),
        "sarimax": SARIMAX(ts, order=(1, 0, 0)).fit(disp=0),
        "ucm": UnobservedComponents(ts, "local level").fit(disp=0),
        "autoreg": AutoReg(ts, lags=2).fit(),
        "var": VAR(pd.DataFrame(rs.randn(48, 2).cumsum(0), columns=["p", "q"])).fit(2),
    }
    for name, res in fits.items():
        res.save(tmp_path / f"{name}.pickle")
        report = airlock.scan(tmp_path / f"{name}.pickle")
        assert report.findings == [], (name, report.findings)
    from statsmodels.base.data import ModelData

    marker = tmp_path / "marker"
    evil = ModelData.__new__(ModelData)
    formula = f"y ~ a + I(__import__('pathlib').Path({str(marker)!r}).touch())"
    evil.__dict__.update({"restore_model_spec": True, "formula": formula, "frame": df})
    (tmp_path / "evil.pickle").write_bytes(pickle.dumps(evil, protocol=4))
    report = airlock.scan(tmp_path / "evil.pickle")
    assert "AIR-PKL-016" in {f.rule_id for f in report.findings}
    loader = "import statsmodels.api as sm, sys\ndef main():\n    sm.load(sys.argv[1])\nmain()\n"
    subprocess.run([sys.executable, "-c", loader, str(tmp_path / "evil.pickle")], check=False)
    assert marker.exists()  # the finding is real: sm.load evaluated the formula


def test_real_saves_with_contrasts_and_quoting_are_clean_and_a_contrast_name_runs(
    tmp_path: Path,
) -> None:
    """Honest ``save()`` of formulas with string/keyword contrasts and ``Q()`` is clean; the
    same bytes with the contrast renamed to a builtin (same length, so the pickle stays valid)
    are AIR-PKL-016, and the real loader, in a child process, calls that builtin."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    smf = pytest.importorskip("statsmodels.formula.api")

    import airlock

    rs = np.random.RandomState(1)
    df = pd.DataFrame(
        {"y": rs.rand(40), "x": rs.rand(40) + 1, "g": rs.choice(["a", "b", "c"], 40)}
    ).assign(**{"col name": rs.rand(40)})
    honest = [
        "y ~ x + C(g, Treatment('a'))",
        'y ~ Q("col name") + np.log(x) + I(x**2)',
        'y ~ x + C(g, Treatment(reference="b"), levels=["c", "b", "a"])',
        "y ~ x + C(g, Helmert)",
    ]
    for i, formula in enumerate(honest):
        smf.ols(formula, df).fit().save(tmp_path / f"h{i}.pickle")
        report = airlock.scan(tmp_path / f"h{i}.pickle")
        assert report.findings == [], (formula, report.findings)
    data = (tmp_path / "h3.pickle").read_bytes()
    assert b"C(g, Helmert)" in data
    loader = "import statsmodels.api as sm, sys\ndef main():\n    sm.load(sys.argv[1])\nmain()\n"
    for name in ("credits", "exit\x20\x20\x20"):
        evil = tmp_path / f"{name.strip()}.pickle"
        evil.write_bytes(data.replace(b"C(g, Helmert)", f"C(g, {name})".encode()))
        assert "AIR-PKL-016" in {f.rule_id for f in airlock.scan(evil).findings}, name
    # the finding is real: patsy calls the contrast (credits prints its text)
    out = subprocess.run(
        [sys.executable, "-c", loader, str(tmp_path / "credits.pickle")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert "Thanks" in out.stdout

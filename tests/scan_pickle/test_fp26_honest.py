"""fp26 sweep (session 25): honest pickles the gate denied (allowlist 2026.12.07.7) from Cornac,
karateclub, lda, scikit-uplift, CausalML meta-learners, causal-learn LiNGAM, emcee, PySAD,
PyKrige, xgbse, pytorch-metric-learning, OpenCLIP, torchtuples/pycox, PyKEEN and Copulas.
None of those libraries is a test dependency: their pickles are assembled here the way pickle
writes them (NEWOBJ of the class then a ``__dict__`` BUILD, as ``bench/fp26_grid.py``'s real
saves hold them, with the functions they keep pushed as values). Each class is new_only (a
call stays AIR-PKL-009), each function value_only; a dangerous global planted beside each stays
denied, and the families left denied on purpose stay denied."""

from __future__ import annotations

import pytest

from airlock.scan.allowlist import default_policy
from tests.scan_pickle.builders import (
    APPEND,
    BUILD,
    EMPTY_DICT,
    EMPTY_LIST,
    EMPTY_TUPLE,
    MARK,
    NEWOBJ,
    PROTO2,
    STOP,
    TUPLE,
    call,
    glob,
    high_rules,
    newobj_dict,
    s,
    setitem,
    split_name,
    value_of,
)

_item, _new, _fn = setitem, newobj_dict, value_of


_F = b"G?\xf0\x00\x00\x00\x00\x00\x00"
_TORCH_MEAN = call(glob("builtins", "getattr"), glob("torch._C", "_VariableFunctionsClass"),
                   s("mean"))

# one object per cleared family, shaped as the family's real save holds it
HONEST: dict[str, bytes] = {
    "cornac": _new(
        "cornac.models.mf.recom_mf.MF",
        _item("k", b"K\x04"),
        _item("lambda_reg", _F),
        _item("name", s("MF")),
    ),
    "cornac_knn": _new("cornac.models.knn.recom_knn.ItemKNN", _item("k", b"K\x05")),
    "karateclub": _new(
        "karateclub.node_embedding.neighbourhood.deepwalk.DeepWalk",
        _item("walk_number", b"K\x02"),
        _item("dimensions", b"K\x08"),
    ),
    "lda": _new("lda.lda.LDA", _item("n_topics", b"K\x03"), _item("alpha", _F)),
    "sklift": _new(
        "sklift.models.models.TwoModels",
        _item("estimator_trmnt", _new("sklearn.linear_model._logistic.LogisticRegression")),
        _item("method", s("vanilla")),
    ),
    "causalml": _new(
        "causalml.inference.meta.xlearner.BaseXRegressor",
        _item("control_name", s("control")),
        _item(
            "propensity_model",
            EMPTY_DICT
            + _item("treatment_a", _new("causalml.propensity.ElasticNetPropensityModel")),
        ),
    ),
    "causallearn_lingam": _new(
        "causallearn.search.FCMBased.lingam.ica_lingam.ICALiNGAM",
        _item("_random_state", b"K\x01"),
    ),
    "emcee": _new("emcee.backends.backend.Backend", _item("iteration", b"K\x14")),
    "pysad": _new("pysad.models.loda.LODA", _item("num_bins", b"K\n")),
    "pykrige": _new(
        "pykrige.ok.OrdinaryKriging",
        _item("variogram_function", _fn("pykrige.variogram_models.hole_effect_variogram_model")),
        _item("variogram_model", s("hole-effect")),
    ),
    "xgbse": _new(
        "xgbse._kaplan_neighbors.XGBSEKaplanNeighbors",
        _item("n_neighbors", b"K\n"),
    ),
    "metric_learning": _new(
        "pytorch_metric_learning.losses.proxy_anchor_loss.ProxyAnchorLoss",
        _item(
            "weight_init_func",
            _new(
                "pytorch_metric_learning.utils.common_functions.TorchInitWrapper",
                _item("init_func", _fn("torch.nn.init.kaiming_normal_")),
            ),
        ),
        _item("distance", _new("pytorch_metric_learning.distances.cosine_similarity"
                               ".CosineSimilarity")),
    ),
    "open_clip": _new(
        "open_clip.model.CLIP",
        _item("visual", _new("open_clip.transformer.VisionTransformer")),
    ),
    "open_clip_transform": _new("open_clip.transform.ResizeKeepRatio", _item("interpolation",
                                                                             s("bicubic"))),
    "torchtuples": _new(
        "torchtuples.practical.MLPVanilla",
        _item("net", _new("torch.nn.modules.container.Sequential")),
    ),
    "pykeen": _new(
        "pykeen.models.unimodal.trans_e.TransE",
        _item("loss", _new("pykeen.losses.MarginRankingLoss", _item("reduction", s("mean")),
                           _item("_reduction_method", _TORCH_MEAN))),
        _item("relation_inverter", _new("pykeen.inverse.DefaultRelationInverter")),
        _item(
            "initializer",
            _new(
                "pykeen.utils.compose",
                _item("operations", EMPTY_LIST + _fn("pykeen.nn.init.xavier_uniform_") + APPEND
                      + _fn("pykeen.utils.complex_normalize") + APPEND),
                _item("name", s("xavier_uniform_norm_")),
            ),
        ),
        _item("init_phases", _fn("pykeen.nn.init.init_phases")),
    ),
    "copulas": _new(
        "copulas.multivariate.gaussian.GaussianMultivariate",
        _item("__args__", EMPTY_TUPLE),
        _item("__kwargs__", EMPTY_DICT),
        _item(
            "univariates",
            EMPTY_LIST
            + _new(
                "copulas.univariate.gaussian_kde.GaussianKDE",
                _item("__args__", EMPTY_TUPLE),
                _item("__kwargs__", EMPTY_DICT + _item("bw_method", b"N")),
            )
            + APPEND,
        ),
    ),
    "copulas_bivariate": _new("copulas.bivariate.clayton.Clayton", _item("theta", _F)),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_objects_are_clean(name: str) -> None:
    assert not high_rules(PROTO2 + HONEST[name] + STOP)


@pytest.mark.parametrize("name", sorted(HONEST))
def test_a_dangerous_global_beside_them_stays_denied(name: str) -> None:
    planted = _item("x", call(glob("os", "system"), s("touch /tmp/airlock-fp26-marker")))
    # beside (a list with the honest object and a command) and inside (in the object's state)
    beside = EMPTY_LIST + HONEST[name] + APPEND + EMPTY_DICT + planted + APPEND
    assert "AIR-PKL-001" in high_rules(PROTO2 + beside + STOP)
    # and as a torch.save-style checkpoint dict: {'model': <object>, 'hook': <command>}
    ckpt = EMPTY_DICT + _item("model", HONEST[name]) + planted
    assert "AIR-PKL-001" in high_rules(PROTO2 + ckpt + STOP)


CLASSES = [
    "cornac.models.bpr.recom_bpr.BPR",
    "karateclub.graph_embedding.graph2vec.Graph2Vec",
    "lda.lda.LDA",
    "sklift.models.models.SoloModel",
    "causalml.inference.meta.slearner.BaseSRegressor",
    "causalml.inference.tree._uplift.upliftforest.UpliftRandomForestClassifier",
    "causallearn.search.FCMBased.lingam.direct_lingam.DirectLiNGAM",
    "emcee.backends.backend.Backend",
    "pysad.models.xstream.xStream",
    "pykrige.uk.UniversalKriging",
    "xgbse._stacked_weibull.XGBSEStackedWeibull",
    "pytorch_metric_learning.losses.triplet_margin_loss.TripletMarginLoss",
    "open_clip.model.CLIP",
    "open_clip.tokenizer.SimpleTokenizer",
    "torchtuples.practical.MLPVanilla",
    "pykeen.models.unimodal.complex.ComplEx",
    "pykeen.utils.compose",
    "copulas.univariate.beta.BetaUnivariate",
    "copulas.bivariate.frank.Frank",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_are_new_only(dotted: str) -> None:
    assert dotted in default_policy().new_only
    opened = PROTO2 + call(glob(*split_name(dotted)), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in high_rules(opened)


FUNCTIONS = [
    "pykrige.variogram_models.spherical_variogram_model",
    "torch.nn.init.xavier_uniform_",
    "pykeen.nn.init.init_phases",
    "pykeen.utils.complex_normalize",
]


@pytest.mark.parametrize("dotted", FUNCTIONS)
def test_functions_are_values_only(dotted: str) -> None:
    held = _new("pykrige.ok.OrdinaryKriging", _item("variogram_function", _fn(dotted)))
    assert not high_rules(PROTO2 + held + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(_fn(dotted), s("x"), s("y")) + STOP)


def test_torch_mean_is_a_value_only() -> None:
    assert not high_rules(PROTO2 + _new("pykeen.losses.MarginRankingLoss",
                                        _item("_reduction_method", _TORCH_MEAN)) + STOP)
    called = call(_TORCH_MEAN, s("x"))
    assert "AIR-PKL-009" in high_rules(PROTO2 + called + STOP)


def test_copulas_stored_args_only_on_copulas_dict_part() -> None:
    args = _item("__args__", EMPTY_TUPLE)
    assert not high_rules(PROTO2 + _new("copulas.univariate.beta.BetaUnivariate", args) + STOP)
    # on another class, in the slot part, or another dunder on a copulas class: still denied
    assert "AIR-PKL-009" in high_rules(PROTO2 + _new("lda.lda.LDA", args) + STOP)
    slots = MARK + b"N" + EMPTY_DICT + args + TUPLE
    cls = glob("copulas.univariate.beta", "BetaUnivariate") + EMPTY_TUPLE + NEWOBJ
    assert "AIR-PKL-009" in high_rules(PROTO2 + cls + slots + BUILD + STOP)
    hook = _item("__setstate__", glob("builtins", "print"))
    assert "AIR-PKL-009" in high_rules(
        PROTO2 + _new("copulas.univariate.beta.BetaUnivariate", hook) + STOP
    )


# left denied on purpose (BENCHMARKS fp26): not vetted, or a load-time code route
LEFT_DENIED = [
    "jax._src.array._reconstruct_array",  # calls a pickled callable, then __setstate__ on it
    "ctgan.synthesizers.ctgan.CTGAN",  # __setstate__ calls .to() on pickled attributes
    "ctgan.synthesizers.tvae.TVAE",
    "gstools.covmodel.models.Gaussian",  # property setters a slots BUILD reaches
    "gstools.krige.methods.Ordinary",
    "libpysal.weights.distance.KNN",  # id_order / transform setters
    "mgwr.gwr.GWRResults",  # cached-property descriptors
    "skgstat.Variogram.Variogram",  # setters; holds cloudpickled fitted-model closures
    "causallearn.graph.GeneralGraph.GeneralGraph",  # __hash__/__eq__ over node lists
    "causalml.inference.tree._tree._tree.Tree",  # Cython __reduce__/__setstate__
    "pysad.models.robust_random_cut_forest.RobustRandomCutForest",  # own __setstate__
    "copulas.bivariate.base.CopulaTypes",  # enum rebuilt by a call; vine trees unread
    "regex._regex.compile",  # OpenCLIP tokenizer's compiled pattern: a compile at load
]


@pytest.mark.parametrize("dotted", LEFT_DENIED)
def test_left_denied_names_stay_unknown(dotted: str) -> None:
    assert "AIR-PKL-002" in high_rules(PROTO2 + _new(dotted) + STOP)

"""fp25 sweep (session 24): honest pickles the gate denied (allowlist 2026.12.07.6) from
rank-bm25, bm25s, skrebate, tbats, Boruta, MABWiser, gplearn, TextBlob, x-transformers and MONAI
networks. None of those libraries is a test dependency: their pickles are assembled here the way
pickle writes them (NEWOBJ of the class then a ``__dict__`` BUILD, as ``bench/fp25_grid.py``'s
real saves hold them, with the functions they keep pushed as values). Each class is new_only (a
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


_FLOATS = EMPTY_LIST + b"G?\xf0\x00\x00\x00\x00\x00\x00" + APPEND

# one object per cleared family, shaped as the family's real save holds it
HONEST: dict[str, bytes] = {
    "rank_bm25": _new(
        "rank_bm25.BM25Okapi",
        _item("corpus_size", b"K\x14"),
        _item("idf", EMPTY_DICT + _item("model", b"G?\xe0\x00\x00\x00\x00\x00\x00")),
        _item("k1", b"G?\xf8\x00\x00\x00\x00\x00\x00"),
    ),
    "bm25s": _new("bm25s.BM25", _item("method", s("lucene")), _item("k1", _FLOATS)),
    "bm25s_tokenizer": _new("bm25s.tokenization.Tokenizer", _item("lower", b"\x88")),
    "skrebate": _new("skrebate.relieff.ReliefF", _item("n_neighbors", b"K\n")),
    "skrebate_multisurf": _new("skrebate.multisurf.MultiSURF", _item("n_jobs", b"K\x01")),
    "tbats": _new(
        "tbats.tbats.Model.Model",
        _item("context", _new("tbats.tbats.Context.Context", _item("n_jobs", b"K\x01"))),
        _item("params", _new("tbats.tbats.ModelParams.ModelParams", _item("alpha", _FLOATS))),
        _item(
            "matrix",
            _new(
                "tbats.tbats.MatrixBuilder.MatrixBuilder",
                _item("cache", _new("tbats.abstract.MatrixBuilderCache.MatrixBuilderCache")),
            ),
        ),
    ),
    "bats": _new(
        "tbats.bats.Model.Model",
        _item("components", _new("tbats.bats.Components.Components")),
        _item("handler", _new("tbats.error.ExceptionHandler.ExceptionHandler")),
    ),
    "boruta": _new(
        "boruta.boruta_py.BorutaPy",
        _item("estimator", _new("sklearn.ensemble._forest.ExtraTreesClassifier")),
        _item("perc", b"KZ"),
        _item("__version__", s("0.3")),
    ),
    "mabwiser": _new(
        "mabwiser.mab.MAB",
        _item("arms", EMPTY_LIST + s("a1") + APPEND),
        _item(
            "_imp",
            _new(
                "mabwiser.greedy._EpsilonGreedy",
                _item("rng", _new("mabwiser.utils._NumpyRNG", _item("seed", b"K\x07"))),
            ),
        ),
    ),
    "mabwiser_linucb": _new(
        "mabwiser.mab.MAB",
        _item("_imp", _new("mabwiser.linear._Linear", _item("alpha", _FLOATS))),
    ),
    "gplearn": _new(
        "gplearn.genetic.SymbolicRegressor",
        _item(
            "_program",
            _new(
                "gplearn._program._Program",
                _item(
                    "program",
                    EMPTY_LIST
                    + _new(
                        "gplearn.functions._Function",
                        _item("function", _fn("gplearn.functions._protected_division")),
                        _item("name", s("div")),
                        _item("arity", b"K\x02"),
                    )
                    + APPEND
                    + _new(
                        "gplearn.functions._Function",
                        _item("function", _fn("gplearn.functions._protected_sqrt")),
                    )
                    + APPEND,
                ),
            ),
        ),
        _item(
            "_metric",
            _new(
                "gplearn.fitness._Fitness",
                _item("function", _fn("gplearn.fitness._mean_absolute_error")),
            ),
        ),
    ),
    "gplearn_clf": _new(
        "gplearn.genetic.SymbolicClassifier",
        _item("_transformer", _new("gplearn.functions._Function",
                                   _item("function", _fn("gplearn.functions._sigmoid")))),
        _item("_metric", _new("gplearn.fitness._Fitness",
                              _item("function", _fn("gplearn.fitness._log_loss")))),
    ),
    "textblob": _new(
        "textblob.classifiers.NaiveBayesClassifier",
        _item("feature_extractor", _fn("textblob.classifiers.basic_extractor")),
        _item("format_kwargs", EMPTY_DICT),
    ),
    "textblob_pnb": _new(
        "textblob.classifiers.PositiveNaiveBayesClassifier",
        _item("feature_extractor", _fn("textblob.classifiers.contains_extractor")),
    ),
    "x_transformers": _new(
        "x_transformers.x_transformers.TransformerWrapper",
        _item("attn_layers", _new("x_transformers.x_transformers.Decoder")),
        _item("post_emb_norm", _new("torch_einops_utils.nn.Identity")),
        _item("l2norm_embed", _new("x_transformers.x_transformers.always", _item("val", b"\x89"))),
        _item("mask_fn", _fn("x_transformers.attend.create_causal_mask")),
    ),
    "monai": _new(
        "monai.networks.nets.unet.UNet",
        _item("model", _new("monai.networks.blocks.convolutions.ResidualUnit")),
        _item("act", _new("monai.networks.blocks.acti_norm.ADN")),
    ),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_objects_are_clean(name: str) -> None:
    assert not high_rules(PROTO2 + HONEST[name] + STOP)


@pytest.mark.parametrize("name", sorted(HONEST))
def test_a_dangerous_global_beside_them_stays_denied(name: str) -> None:
    planted = _item("x", call(glob("os", "system"), s("touch /tmp/airlock-fp25-marker")))
    # beside (a list with the honest object and a command) and inside (in the object's state)
    beside = EMPTY_LIST + HONEST[name] + APPEND + EMPTY_DICT + planted + APPEND
    assert "AIR-PKL-001" in high_rules(PROTO2 + beside + STOP)
    # and as a torch.save-style checkpoint dict: {'model': <object>, 'hook': <command>}
    ckpt = EMPTY_DICT + _item("model", HONEST[name]) + planted
    assert "AIR-PKL-001" in high_rules(PROTO2 + ckpt + STOP)


CLASSES = [
    "rank_bm25.BM25Okapi",
    "rank_bm25.BM25L",
    "rank_bm25.BM25Plus",
    "bm25s.BM25",
    "skrebate.surf.SURF",
    "tbats.tbats.Model.Model",
    "boruta.boruta_py.BorutaPy",
    "mabwiser.mab.MAB",
    "mabwiser.neighbors._KNearest",
    "gplearn.genetic.SymbolicTransformer",
    "gplearn.functions._Function",
    "textblob.classifiers.DecisionTreeClassifier",
    "textblob.classifiers.MaxEntClassifier",
    "x_transformers.x_transformers.ViTransformerWrapper",
    "x_transformers.x_transformers.always",
    "monai.networks.nets.attentionunet.AttentionUnet",
]


@pytest.mark.parametrize("dotted", CLASSES)
def test_new_names_are_new_only(dotted: str) -> None:
    assert dotted in default_policy().new_only
    # textblob's __init__ opens a train_set given as a file name: a call stays denied
    opened = PROTO2 + call(glob(*split_name(dotted)), s("/etc/passwd")) + STOP
    assert "AIR-PKL-009" in high_rules(opened)


FUNCTIONS = [
    "gplearn.functions._protected_log",
    "gplearn.fitness._weighted_spearman",
    "textblob.classifiers.basic_extractor",
    "x_transformers.attend.create_causal_mask",
]


@pytest.mark.parametrize("dotted", FUNCTIONS)
def test_functions_are_values_only(dotted: str) -> None:
    held = _new("gplearn.functions._Function", _item("function", _fn(dotted)))
    assert not high_rules(PROTO2 + held + STOP)
    assert "AIR-PKL-009" in high_rules(PROTO2 + call(_fn(dotted), s("x"), s("y")) + STOP)


def test_boruta_version_dunder_only_on_borutapy_dict_part() -> None:
    version = _item("__version__", s("0.3"))
    assert not high_rules(PROTO2 + _new("boruta.boruta_py.BorutaPy", version) + STOP)
    # on another class, in the slot part, or another dunder on BorutaPy: still denied
    assert "AIR-PKL-009" in high_rules(PROTO2 + _new("mabwiser.mab.MAB", version) + STOP)
    slots = MARK + b"N" + EMPTY_DICT + version + TUPLE
    cls = glob("boruta.boruta_py", "BorutaPy") + EMPTY_TUPLE + NEWOBJ
    assert "AIR-PKL-009" in high_rules(PROTO2 + cls + slots + BUILD + STOP)
    hook = _item("__setstate__", glob("builtins", "print"))
    assert "AIR-PKL-009" in high_rules(PROTO2 + _new("boruta.boruta_py.BorutaPy", hook) + STOP)


# left denied on purpose (BENCHMARKS fp25): not vetted, or a load-time code route
LEFT_DENIED = [
    "minisom.MiniSom",  # bound methods getattr(instance, '_gaussian'...) as values; unread
    "flaml.automl.automl.AutoML",  # properties read through getattr(class, 'size'); unread
    "pacmap.pacmap.PaCMAP",  # holds a faiss SWIG index (native __setstate__)
    "bertopic._bertopic.BERTopic",  # UMAP's numba functions come as cloudpickle code
    "umap.umap_.UMAP",
    "pysindy.utils._axes.AxesArray",  # ndarray subclass with __new__/__getattr__/finalize
    "econml.tree._tree.Tree",  # Cython __reduce__/__setstate__
    "econml.validate.sensitivity_analysis.SensitivityParams",  # slots/namedtuple __new__
    "kornia.augmentation.container.params.ParamItem",
    "kornia.augmentation.random_generator._2d.affine.AffineGenerator",  # own __setstate__
    "monai.transforms.compose.Compose",  # setters reached by a slots BUILD, MapTransform.__new__
    "doubleml.plm.plr.DoubleMLPLR",  # property setters (coef/se)
    "dowhy.gcm.causal_models.StructuralCausalModel",  # not listed: see the rt16pk rule
    "segmentation_models_pytorch.decoders.unetplusplus.model.UnetPlusPlus",  # own __new__
]


@pytest.mark.parametrize("dotted", LEFT_DENIED)
def test_left_denied_names_stay_unknown(dotted: str) -> None:
    assert "AIR-PKL-002" in high_rules(PROTO2 + _new(dotted) + STOP)

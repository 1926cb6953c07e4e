"""gensim ``SaveLoad`` objects: the attribute lists that make ``SaveLoad.load`` read more files.

``gensim.utils.SaveLoad.load(fname)`` unpickles ``fname`` and then runs ``_load_specials`` on
the object, which walks four lists the pickled state holds:

- ``__recursive_saveloads``: attributes whose objects repeat the walk with ``fname.<attr>``;
- ``__numpys``: ``np.load('<fname>.<attr>.npy')`` (``.npz`` when compressed): numpy refuses
  object arrays unless ``allow_pickle`` is passed, so these files are data only;
- ``__scipys``: ``unpickle('<fname>.<attr>.npy')``, another pickle that a scan of ``fname``
  alone never judged;
- ``__ignoreds``: attributes set to None.

An honest save (``model.save(path)``, with or without ``sep_limit``) writes lists of attribute
names and, for dense models, an empty ``__scipys``. So a BUILD of one of these classes is safe
when its state is a plain dict with constant string keys, every special list is a list of
identifiers (the files named stay ``<fname>.<attr>...`` beside ``fname``: no separator, no
``..``) and ``__scipys`` is empty. The lists are judged after the whole stream ran: a pickle
can append to a memoised list after the BUILD that installed it.

``LdaModel.load`` also unpickles the fixed siblings ``fname.state`` (an ``LdaState``, itself a
``SaveLoad`` pickle) and ``fname.id2word`` (``LsiModel.load``: ``fname.projection``, a
``Projection``), which a scan of the one file does not see. So a file that loads one of these
models carries an AIR-PKL-018 finding naming them (:func:`siblings`), which the engine removes
after a scan that judged every sibling as a file of its own (``engine.settle_siblings``): a
folder scan of an honest save passes, a check of the one file does not, and a sibling's own
findings deny as any file's.
"""

from __future__ import annotations

from typing import Any

from airlock.scan.pickle_values import PDict

# classes whose load is SaveLoad.load plus data-only fix-ups (KeyedVectors' renames of old
# attributes, TfidfModel's defaults): allowlisted new_only in the pickle policy
SAVELOAD = frozenset(
    {
        "gensim.corpora.dictionary.Dictionary",
        "gensim.models.doc2vec.Doc2Vec",
        "gensim.models.hdpmodel.HdpModel",
        "gensim.models.logentropy_model.LogEntropyModel",
        "gensim.models.lsimodel.LsiModel",
        "gensim.models.lsimodel.Projection",
        "gensim.models.nmf.Nmf",
        "gensim.models.phrases.FrozenPhrases",
        "gensim.models.phrases.Phrases",
        "gensim.models.rpmodel.RpModel",
        "gensim.similarities.docsim.MatrixSimilarity",
        "gensim.similarities.docsim.SparseMatrixSimilarity",
        "gensim.models.fasttext.FastText",
        "gensim.models.fasttext.FastTextKeyedVectors",
        "gensim.models.keyedvectors.KeyedVectors",
        "gensim.models.ldamodel.LdaModel",
        "gensim.models.ldamodel.LdaState",
        "gensim.models.ldamulticore.LdaMulticore",
        "gensim.models.tfidfmodel.TfidfModel",
        "gensim.models.word2vec.Word2Vec",
    }
)
LDA_MODEL = "gensim.models.ldamodel.LdaModel"
# what the class's own load unpickles beside the file, as gensim.utils.smart_extension names it
LDA_MULTICORE = "gensim.models.ldamulticore.LdaMulticore"  # LdaModel's load and save, no hooks
LSI_MODEL = "gensim.models.lsimodel.LsiModel"  # its load also unpickles <fname>.projection
SIBLINGS = {
    LDA_MODEL: (".state", ".id2word"),
    LDA_MULTICORE: (".state", ".id2word"),
    LSI_MODEL: (".projection",),
}
SPECIALS = ("__recursive_saveloads", "__numpys", "__scipys", "__ignoreds")
PICKLED_FILES = "__scipys"
_MAX_NAMES = 10_000


def state_lists(state: Any) -> list[tuple[str, Any]] | str:
    """The special lists a BUILD installs (the objects themselves: judged later by
    :func:`problem`), or why the state cannot be judged."""
    if type(state) is not PDict:
        return "a state that is not a plain dict (a (state, slots) pair sets attributes too)"
    if any(type(k) is not str for k, _ in state.items):
        return "a state key that is not a constant string"
    return [(key, state.get(key)) for key in SPECIALS if state.has(key)]


def problem(lists: list[tuple[str, Any]]) -> str | None:
    """Why these lists (as they are at the end of the stream) make the loader read more than
    sibling data files, or None."""
    for key, value in lists:
        if type(value) is not list:
            return f"{key} is not a list of names"
        if len(value) > _MAX_NAMES:
            return f"{key} has more than {_MAX_NAMES} names"
        for name in value:
            if type(name) is not str or not name.isidentifier() or not name.isascii():
                return f"{key} holds {str(name)[:80]!r}, not an attribute name"
        if key == PICKLED_FILES and value:
            return f"{key} = {value[:5]!r}: SaveLoad.load unpickles <file>.{value[0]}.npy"
    return None


def siblings(path: str, loads: str | None) -> list[str]:
    """The files ``loads``' class ``load`` unpickles beside ``path`` (none for other classes),
    named as ``gensim.utils.smart_extension`` does: before a ``.bz2``/``.gz`` suffix."""
    out = []
    for ext in SIBLINGS.get(loads or "", ()):
        for comp in (".bz2", ".gz"):
            if path.endswith(comp):
                out.append(path[: -len(comp)] + ext + comp)
                break
        else:
            out.append(path + ext)
    return out

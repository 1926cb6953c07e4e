"""Honest spaCy pipelines and MLflow model folders for the rt16lib false-positive check.

Run it in a side venv that has spaCy / mlflow (+ scikit-learn, pandas), never the project's:
``python bench/lib16_honest.py spacy OUT SEED`` writes ``OUT/spacy/<lang>_<component>`` (spaCy's
trainable components initialised on three tiny examples, half with a shared tok2vec, and a rules
pipeline: sentencizer, entity/span/attribute rulers, merge_entities, doc_cleaner), saved with
``nlp.to_disk``; ``python bench/lib16_honest.py mlflow OUT SEED`` writes
``OUT/mlflow/<model>_<format>`` (``mlflow.sklearn.save_model`` of four estimators in the pickle,
cloudpickle and skops formats, and a ``mlflow.pyfunc`` PythonModel). Judge with
``PYTHONPATH=src python bench/fp13_check.py OUT RESULT.json`` (one verdict per folder).
"""

from __future__ import annotations

import random
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

TEXTS = ["Airlock scans models in Berlin.", "Alice never runs them at Acme.", "A second doc here!"]
TRAINABLE = {
    "tagger": "tagger", "morphologizer": "morph", "parser": "parser", "ner": "ner",
    "textcat": "textcat", "textcat_multilabel": "textcat", "spancat": "spancat",
    "senter": "senter", "trainable_lemmatizer": "lemma",
}  # fmt: skip


def _examples(nlp: Any, kind: str) -> list[Any]:
    from spacy.training import Example

    out = []
    for t in TEXTS:
        doc = nlp.make_doc(t)
        n = len(doc)
        ann: dict[str, Any] = {}
        if kind == "tagger":
            ann["tags"] = ["NN"] * n
        elif kind == "morph":
            ann["morphs"], ann["pos"] = ["Number=Sing"] * n, ["NOUN"] * n
        elif kind == "parser":
            ann["heads"], ann["deps"] = [0] * n, ["ROOT"] + ["dep"] * (n - 1)
        elif kind == "ner":
            ann["entities"] = [(0, 7, "ORG")] if t.startswith("Airlock") else []
        elif kind == "textcat":
            ann["cats"] = {"POS": 1.0, "NEG": 0.0}
        elif kind == "spancat":
            ann["spans"] = {"sc": [(0, 7, "ORG")] if t.startswith("Airlock") else []}
        elif kind == "senter":
            ann["sent_starts"] = [1] + [0] * (n - 1)
        elif kind == "lemma":
            ann["lemmas"] = [tok.text.lower() for tok in doc]
        out.append(Example.from_dict(doc, ann))
    return out


def gen_spacy(out: Path, seed: int) -> None:
    import spacy

    rng = random.Random(seed)
    for lang in ("en", "de", "fr"):
        for comp in [*TRAINABLE, "rules"]:
            nlp = spacy.blank(lang)
            try:
                if comp == "rules":
                    nlp.add_pipe("sentencizer")
                    nlp.add_pipe("entity_ruler").add_patterns(
                        [{"label": "ORG", "pattern": "Airlock"}]
                    )
                    nlp.add_pipe("span_ruler").add_patterns([{"label": "X", "pattern": "models"}])
                    nlp.add_pipe("attribute_ruler")
                    nlp.add_pipe("merge_entities")
                    nlp.add_pipe("doc_cleaner")
                    nlp.initialize()
                else:
                    if rng.random() < 0.5:
                        nlp.add_pipe("tok2vec")
                    nlp.add_pipe(comp)
                    examples = _examples(nlp, TRAINABLE[comp])
                    nlp.initialize(lambda examples=examples: examples)
            except Exception as exc:  # a component this spaCy cannot build here: skipped
                print(f"skip {lang}/{comp}: {type(exc).__name__}: {str(exc)[:100]}")
                continue
            nlp.to_disk(out / "spacy" / f"{lang}_{comp}")


def gen_mlflow(out: Path, seed: int) -> None:
    import mlflow.pyfunc
    import mlflow.sklearn
    import numpy as np
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rs = np.random.RandomState(seed)
    x = pd.DataFrame(rs.rand(40, 4), columns=list("abcd"))
    y = (x.a > 0.5).astype(int)
    models = {
        "logreg": LogisticRegression().fit(x, y),
        "ridge": Ridge().fit(x, y),
        "rf": RandomForestClassifier(n_estimators=3, random_state=seed).fit(x, y),
        "pipe": make_pipeline(StandardScaler(), LogisticRegression()).fit(x, y),
    }

    class Add(mlflow.pyfunc.PythonModel):  # type: ignore[misc]
        def predict(self, context: Any, model_input: Any, params: Any = None) -> Any:
            return model_input.sum(axis=1)

    for name, model in models.items():
        sig = infer_signature(x, model.predict(x))
        for fmt in ("pickle", "cloudpickle", "skops"):
            try:
                mlflow.sklearn.save_model(
                    model, out / "mlflow" / f"{name}_{fmt}", serialization_format=fmt,
                    signature=sig, input_example=x.head(2),
                )  # fmt: skip
            except Exception as exc:  # skops refuses untrusted types (the forest)
                print(f"skip {name}/{fmt}: {type(exc).__name__}: {str(exc)[:100]}")
    sig = infer_signature(x, x.sum(axis=1))
    mlflow.pyfunc.save_model(out / "mlflow" / "pyfunc_add", python_model=Add(), signature=sig)


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    kind, out, seed = argv[0], Path(argv[1]), int(argv[2])
    shutil.rmtree(out / kind, ignore_errors=True)
    (out / kind).mkdir(parents=True)
    {"spacy": gen_spacy, "mlflow": gen_mlflow}[kind](out, seed)
    print(f"{kind}: {len(list((out / kind).iterdir()))} artifacts in {out / kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

# ruff: noqa
# Session 18 helper fpfinal: honest Keras saves (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import os, sys

os.environ["KERAS_BACKEND"] = "torch"
from pathlib import Path
import keras

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
for name in sys.argv[2:]:
    m = getattr(keras.applications, name)(weights=None)
    sub = d / f"{name}_json_alone"
    sub.mkdir(exist_ok=True)
    (sub / "model.json").write_text(m.to_json())
    sub = d / f"{name}_json_with_weights"
    sub.mkdir(exist_ok=True)
    (sub / "model.json").write_text(m.to_json())
    m.save_weights(str(sub / "model.weights.h5"))
    del m
print("ok")

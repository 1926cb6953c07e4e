# ruff: noqa
# Session 18 helper fpfinal: honest Keras saves (see BENCHMARKS.md, Session 18 (helper fpfinal)).
import os, sys

os.environ["KERAS_BACKEND"] = "torch"
from pathlib import Path
import keras

d = Path(sys.argv[1])
d.mkdir(parents=True, exist_ok=True)
specs = {
    "VGG19": {},
    "EfficientNetV2L": {},
    "ResNet152V2": {},
    "ConvNeXtBase": {},
    "DenseNet121_512": {"input_shape": (512, 512, 3), "include_top": False},
    "Xception": {},
}
for name, kw in specs.items():
    cls = getattr(keras.applications, name.split("_")[0])
    m = cls(weights=None, **kw)
    m.save(str(d / f"{name}.keras"))
    if name in ("VGG19", "DenseNet121_512"):
        m.save(str(d / f"{name}.h5"))
    del m
print("ok")

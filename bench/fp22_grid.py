"""Round-22 false-positive sweep: honest artifacts written by real libraries' own savers.

``python bench/fp22_grid.py OUT [--seed N] [FAMILY...]`` writes ``OUT/<family>/<artifact>`` (a
file or a saved folder) for library families no earlier sweep (fp13, fp14, fp16-fp21,
``bench/ecosystem``, ``bench/fpfinal``) held: torchvision (whole models incl. detection, v1/v2
transforms, ``tv_tensors``), timm (whole models, ``CheckpointSaver`` checkpoints with an
``argparse.Namespace`` and an EMA, timm optimizers and schedulers, data transforms),
torchmetrics metric objects and collections, einops layers inside whole modules, PyTorch
Geometric (``Data``/``HeteroData``/``Batch``, ``InMemoryDataset.save`` files, whole GNNs), skorch
nets, hmmlearn models, xarray objects, polars frames, hyperopt ``Trials``, pgmpy networks, pyro
(param store, guides), gpytorch GPs, ultralytics YOLO checkpoints and albumentations pipelines.

Needs a side venv holding those libraries (``/tmp/fp22/venv``: a ``.pth`` onto the shared venv's
site-packages, the extra packages installed with the shared venv's versions as constraints so
torch stays 2.13.0+cpu). torchvision's PyPI wheel carries CUDA-built C ops that do not load over
the CPU torch; its import is wrapped so the fake-kernel registrations are skipped (the Python
models and transforms saved here do not use the ops). ``--seed`` changes data, sizes and the draw
of options, so a held-out grid is one more run. Judge with ``bench/fp13_check.py``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fp13_gen import _try, run_grid

warnings.filterwarnings("ignore")
os.environ.setdefault("YOLO_OFFLINE", "1")

FAMILIES: dict[str, Callable[[Path, random.Random], None]] = {}


def family(fn: Callable[[Path, random.Random], None]) -> Callable[[Path, random.Random], None]:
    FAMILIES[fn.__name__.removeprefix("gen_")] = fn
    return fn


_COMPS: list[Any] = [0, 3, ("zlib", 6), ("gzip", 3), ("bz2", 5), ("lzma", 2), ("lz4", 3)]


def _save(obj: object, out: Path, stem: str, rng: random.Random, joblib_p: float = 0.4) -> None:
    """Pickle with a drawn protocol (2-5); sometimes joblib with a drawn compressor/protocol."""
    proto = rng.choice([2, 3, 4, 5])
    (out / f"{stem}.p{proto}.pkl").write_bytes(pickle.dumps(obj, protocol=proto))
    if rng.random() < joblib_p:
        import joblib

        jproto = rng.choice([None, 2, 3, 4, 5])
        joblib.dump(obj, out / f"{stem}.joblib", compress=rng.choice(_COMPS), protocol=jproto)


def _tsave(obj: object, out: Path, stem: str, rng: random.Random, legacy_p: float = 0.25) -> None:
    """torch.save, zip format with a drawn protocol; sometimes also the legacy format."""
    import torch

    proto = rng.choice([2, 3, 4, 5])
    torch.save(obj, out / f"{stem}.p{proto}.pt", pickle_protocol=proto)
    if rng.random() < legacy_p:
        torch.save(obj, out / f"{stem}.legacy.pt", _use_new_zipfile_serialization=False)


def _torchvision() -> Any:
    import torch.library as lib

    orig = lib.register_fake
    lib.register_fake = lambda *a, **k: lambda f: f  # type: ignore[assignment]
    try:
        import torchvision
    finally:
        lib.register_fake = orig
    return torchvision


# ---------------------------------------------------------------- torchvision


@family
def gen_torchvision(out: Path, rng: random.Random) -> None:
    import torch

    tv = _torchvision()
    from torchvision import transforms as T
    from torchvision import tv_tensors
    from torchvision.transforms import v2

    torch.manual_seed(rng.randrange(10**6))
    m = tv.models
    nc = rng.choice([3, 10, 100])
    models: dict[str, Callable[[], Any]] = {
        "resnet18": lambda: m.resnet18(num_classes=nc),
        "mobilenet_v3_small": lambda: m.mobilenet_v3_small(num_classes=nc),
        "efficientnet_b0": lambda: m.efficientnet_b0(num_classes=nc),
        "squeezenet": lambda: m.squeezenet1_1(num_classes=nc),
        "shufflenet": lambda: m.shufflenet_v2_x0_5(num_classes=nc),
        "regnet": lambda: m.regnet_y_400mf(num_classes=nc),
        "mnasnet": lambda: m.mnasnet0_5(num_classes=nc),
        "googlenet": lambda: m.googlenet(num_classes=nc, aux_logits=False, init_weights=True),
        "densenet": lambda: m.densenet121(num_classes=nc),
        "vit_tiny": lambda: m.VisionTransformer(
            image_size=32,
            patch_size=8,
            num_layers=2,
            num_heads=2,
            hidden_dim=32,
            mlp_dim=64,
            num_classes=nc,
        ),
        "swin_t": lambda: m.swin_t(num_classes=nc),
        "convnext_t": lambda: m.convnext_tiny(num_classes=nc),
        "maxvit": lambda: m.maxvit_t(num_classes=nc),
        "frcnn_mnv3": lambda: m.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "retinanet": lambda: m.detection.retinanet_resnet50_fpn(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "ssdlite": lambda: m.detection.ssdlite320_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "maskrcnn": lambda: m.detection.maskrcnn_resnet50_fpn(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "deeplab": lambda: m.segmentation.deeplabv3_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "lraspp": lambda: m.segmentation.lraspp_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=nc
        ),
        "r3d": lambda: m.video.r3d_18(num_classes=nc),
        "raft_small": lambda: m.optical_flow.raft_small(weights=None),
        "q_mobilenet": lambda: m.quantization.mobilenet_v2(weights=None, quantize=False),
    }
    for name in rng.sample(sorted(models), 9):

        def one(name: str = name) -> None:
            model = models[name]().eval()
            if rng.random() < 0.5:
                _tsave(model, out, f"whole_{name}", rng)
            else:
                _tsave(
                    {"model": model, "epoch": rng.randrange(90), "arch": name},
                    out,
                    f"ckpt_{name}",
                    rng,
                )
            if rng.random() < 0.4:
                _tsave(model.state_dict(), out, f"sd_{name}", rng)

        _try(out, name, one)

    size = rng.choice([32, 64, 224])
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    v1 = T.Compose(
        [
            T.RandomResizedCrop(size, antialias=True),
            T.RandomHorizontalFlip(),
            T.ColorJitter(0.2, 0.2, 0.2, 0.05),
            T.RandomApply([T.GaussianBlur(3)], p=0.3),
            T.ToTensor(),
            T.Normalize(mean, std),
            T.RandomErasing(),
        ]
    )
    v2c = v2.Compose(
        [
            v2.ToImage(),
            v2.RandomResizedCrop(size, antialias=True),
            v2.RandomChoice([v2.RandAugment(), v2.TrivialAugmentWide(), v2.AutoAugment()]),
            v2.RandomPhotometricDistort(p=0.5),
            v2.ToDtype(torch.float32, scale=True),
            v2.Normalize(mean, std),
            v2.ClampBoundingBoxes(),
            v2.SanitizeBoundingBoxes(),
        ]
    )
    _try(out, "tf_v1", lambda: _save(v1, out, "transform_v1", rng))
    _try(out, "tf_v2", lambda: _save(v2c, out, "transform_v2", rng))
    _try(
        out, "tf_v2_torch", lambda: _tsave({"train_tf": v2c, "eval_tf": v1}, out, "transforms", rng)
    )
    n = rng.randint(2, 9)
    img = tv_tensors.Image(torch.randint(0, 255, (3, size, size), dtype=torch.uint8))
    boxes = tv_tensors.BoundingBoxes(
        torch.rand(n, 4) * size,
        format=rng.choice(["XYXY", "XYWH", "CXCYWH"]),
        canvas_size=(size, size),
    )
    mask = tv_tensors.Mask(torch.randint(0, 2, (n, size, size), dtype=torch.uint8))
    _try(
        out,
        "tv_tensors",
        lambda: _tsave(
            {"image": img, "boxes": boxes, "masks": mask, "labels": torch.arange(n)},
            out,
            "tv_tensors_sample",
            rng,
        ),
    )
    _try(
        out,
        "tv_video",
        lambda: _tsave(tv_tensors.Video(torch.rand(2, 3, 8, 8)), out, "tv_video", rng),
    )


# ---------------------------------------------------------------- timm


@family
def gen_timm(out: Path, rng: random.Random) -> None:
    import torch

    _torchvision()
    import timm
    from timm.data import create_transform, resolve_data_config
    from timm.optim import create_optimizer_v2
    from timm.scheduler import create_scheduler_v2
    from timm.utils import CheckpointSaver, ModelEmaV3

    torch.manual_seed(rng.randrange(10**6))
    archs = [
        "resnet18",
        "efficientnet_b0",
        "mobilenetv3_small_050",
        "vit_tiny_patch16_224",
        "deit_tiny_patch16_224",
        "convnext_atto",
        "regnetx_002",
        "levit_128s",
        "mixer_s32_224",
        "coatnet_nano_rw_224",
        "efficientvit_b0",
        "fastvit_t8",
        "ghostnet_100",
        "hrnet_w18_small",
        "resnest14d",
        "rexnet_100",
        "tinynet_e",
        "edgenext_xx_small",
        "mobilevit_xxs",
        "poolformer_s12",
        "eva02_tiny_patch14_224",
        "swin_tiny_patch4_window7_224",
    ]
    nc = rng.choice([2, 10, 37])
    for arch in rng.sample(archs, 8):

        def one(arch: str = arch) -> None:
            model = timm.create_model(arch, pretrained=False, num_classes=nc)
            kind = rng.choice(["whole", "sd", "ckpt"])
            if kind == "whole":
                _tsave(model, out, f"whole_{arch}", rng)
            elif kind == "sd":
                _tsave(model.state_dict(), out, f"sd_{arch}", rng)
            else:
                ckpt = {
                    "arch": arch,
                    "state_dict": model.state_dict(),
                    "pretrained_cfg": dict(model.pretrained_cfg),
                    "data_config": resolve_data_config({}, model=model),
                }
                _tsave(ckpt, out, f"cfg_{arch}", rng)

        _try(out, arch, one)

    def saver_run() -> None:
        arch = rng.choice(["resnet18", "mobilenetv3_small_050", "vit_tiny_patch16_224"])
        model = timm.create_model(arch, pretrained=False, num_classes=nc)
        opt_name = rng.choice(["adamw", "lamb", "sgd", "adabelief", "lion", "madgrad", "adan"])
        opt = create_optimizer_v2(model, opt=opt_name, lr=1e-3, weight_decay=0.05)
        sched, _ = create_scheduler_v2(
            opt,
            sched=rng.choice(["cosine", "step", "plateau", "poly", "tanh"]),
            num_epochs=10,
            warmup_epochs=1,
        )
        ema = ModelEmaV3(model, decay=0.999)
        x = torch.randn(2, 3, 224, 224)
        loss = model(x).sum()
        loss.backward()
        opt.step()
        ema.update(model)
        args = argparse.Namespace(
            model=arch,
            opt=opt_name,
            lr=1e-3,
            epochs=10,
            batch_size=2,
            amp=False,
            mean=None,
            aa="rand-m9-mstd0.5",
            smoothing=0.1,
            drop_path=0.1,
            experiment="",
            output="",
            data_dir=None,
            input_size=None,
            crop_pct=None,
        )
        cdir = out / f"timm_train_{arch}"
        cdir.mkdir(exist_ok=True)
        saver = CheckpointSaver(
            model=model,
            optimizer=opt,
            args=args,
            model_ema=ema,
            checkpoint_dir=str(cdir),
            recovery_dir=str(cdir),
            max_history=2,
        )
        saver.save_checkpoint(0, metric=0.5)
        saver.save_recovery(0, batch_idx=1)
        _tsave(sched.state_dict(), out, f"timm_sched_{arch}", rng)
        _tsave(opt, out, f"timm_opt_whole_{opt_name}", rng)

    _try(out, "saver", saver_run)
    _try(out, "saver2", saver_run)

    def tf() -> None:
        train = create_transform(
            224,
            is_training=True,
            auto_augment="rand-m9-mstd0.5-inc1",
            re_prob=0.25,
            interpolation="bicubic",
        )
        evalt = create_transform(224, is_training=False, crop_pct=0.875)
        _save({"train": train, "eval": evalt}, out, "timm_transforms", rng)

    _try(out, "tf", tf)


# ---------------------------------------------------------------- torchmetrics


@family
def gen_torchmetrics(out: Path, rng: random.Random) -> None:
    import torch
    import torchmetrics as tm
    from torchmetrics import classification as C
    from torchmetrics import regression as R

    torch.manual_seed(rng.randrange(10**6))
    k = rng.choice([3, 5])
    metrics: dict[str, Callable[[], Any]] = {
        "acc": lambda: C.MulticlassAccuracy(num_classes=k),
        "f1": lambda: C.MulticlassF1Score(num_classes=k, average="macro"),
        "auroc": lambda: C.MulticlassAUROC(num_classes=k),
        "confmat": lambda: C.MulticlassConfusionMatrix(num_classes=k),
        "prc": lambda: C.MulticlassPrecisionRecallCurve(num_classes=k, thresholds=20),
        "binacc": lambda: C.BinaryAccuracy(),
        "calib": lambda: C.MulticlassCalibrationError(num_classes=k),
        "mse": lambda: R.MeanSquaredError(),
        "r2": lambda: R.R2Score(),
        "pearson": lambda: R.PearsonCorrCoef(),
        "spearman": lambda: R.SpearmanCorrCoef(),
        "mean": lambda: tm.MeanMetric(),
        "cat": lambda: tm.CatMetric(),
        "maxm": lambda: tm.MaxMetric(),
        "running": lambda: tm.wrappers.Running(tm.SumMetric(), window=3),
        "bootstrap": lambda: tm.wrappers.BootStrapper(R.MeanSquaredError(), num_bootstraps=5),
        "tracker": lambda: tm.wrappers.MetricTracker(R.MeanAbsoluteError()),
        "classwise": lambda: tm.wrappers.ClasswiseWrapper(
            C.MulticlassAccuracy(num_classes=k, average=None)
        ),
    }
    n = rng.randint(8, 40)
    preds, target = torch.randn(n, k).softmax(-1), torch.randint(0, k, (n,))
    yp, yt = torch.randn(n), torch.randn(n)
    for name in rng.sample(sorted(metrics), 12):

        def one(name: str = name) -> None:
            m = metrics[name]()
            if name == "tracker":
                m.increment()
                m.update(yp, yt)
            elif name in ("binacc",):
                m.update(torch.rand(n), torch.randint(0, 2, (n,)))
            elif name in ("mse", "r2", "pearson", "spearman", "bootstrap"):
                m.update(yp, yt)
            elif name in ("mean", "cat", "maxm", "running"):
                m.update(yp)
            else:
                m.update(preds, target)
            if rng.random() < 0.5:
                m.persistent(True)
                _tsave(m.state_dict(), out, f"sd_{name}", rng)
            if rng.random() < 0.6:
                _tsave(m, out, f"whole_{name}", rng)
            else:
                _save(m, out, f"pk_{name}", rng)

        _try(out, name, one)

    def coll() -> None:
        mc = tm.MetricCollection(
            {"acc": C.MulticlassAccuracy(num_classes=k), "f1": C.MulticlassF1Score(num_classes=k)},
            prefix="val_",
            compute_groups=rng.random() < 0.5,
        )
        mc.update(preds, target)
        _tsave({"metrics": mc, "epoch": 3}, out, "collection", rng)

    _try(out, "coll", coll)


# ---------------------------------------------------------------- einops


@family
def gen_einops(out: Path, rng: random.Random) -> None:
    import torch
    from einops.layers.torch import EinMix, Rearrange, Reduce
    from torch import nn

    torch.manual_seed(rng.randrange(10**6))
    p = rng.choice([4, 8])
    d = rng.choice([16, 32])
    mods: dict[str, Callable[[], nn.Module]] = {
        "patchify": lambda: nn.Sequential(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=p, p2=p),
            nn.Linear(p * p * 3, d),
            Reduce("b n d -> b d", "mean"),
            nn.Linear(d, 10),
        ),
        "mixer": lambda: nn.Sequential(
            Rearrange("b c h w -> b (h w) c"),
            EinMix("b t c -> b t c_out", weight_shape="c c_out", bias_shape="c_out", c=3, c_out=d),
            Reduce("b t c -> b c", "max"),
        ),
        "pool": lambda: nn.Sequential(nn.Conv2d(3, d, 3), Reduce("b c h w -> b c", "mean")),
    }
    for name, make in mods.items():
        _try(out, name, lambda n=name, mk=make: _tsave(mk(), out, f"einops_{n}", rng))
    _try(out, "layers", lambda: _save([Rearrange("b h w c -> b c h w")], out, "layer_list", rng))


# ---------------------------------------------------------------- PyTorch Geometric


@family
def gen_pyg(out: Path, rng: random.Random) -> None:
    import torch
    from torch_geometric.data import Batch, Data, HeteroData, InMemoryDataset
    from torch_geometric.nn import models as gm

    torch.manual_seed(rng.randrange(10**6))
    f = rng.choice([4, 8, 16])

    def graph() -> Data:
        n = rng.randint(5, 30)
        e = rng.randint(n, 4 * n)
        return Data(
            x=torch.randn(n, f),
            edge_index=torch.randint(0, n, (2, e)),
            edge_attr=torch.randn(e, 2),
            y=torch.tensor([rng.randrange(3)]),
        )

    _try(out, "data", lambda: _tsave(graph(), out, "data", rng))
    _try(
        out,
        "batch",
        lambda: _tsave(Batch.from_data_list([graph() for _ in range(4)]), out, "batch", rng),
    )

    def hetero() -> None:
        h = HeteroData()
        h["paper"].x = torch.randn(10, f)
        h["author"].x = torch.randn(5, f)
        h["author", "writes", "paper"].edge_index = torch.randint(0, 5, (2, 12))
        h["paper", "cites", "paper"].edge_index = torch.randint(0, 10, (2, 20))
        _tsave(h, out, "hetero", rng)

    _try(out, "hetero", hetero)
    _try(
        out,
        "inmem",
        lambda: InMemoryDataset.save(
            [graph() for _ in range(rng.randint(3, 12))], str(out / "processed_data.pt")
        ),
    )

    def collate_old() -> None:  # what older datasets' process() wrote: (data dict, slices)
        data, slices = InMemoryDataset.collate([graph() for _ in range(5)])
        torch.save((data.to_dict(), slices, Data), out / "processed_old.pt")

    _try(out, "collate", collate_old)
    h = rng.choice([16, 32])
    models: dict[str, Callable[[], Any]] = {
        "gcn": lambda: gm.GCN(f, h, 2, 3),
        "gat": lambda: gm.GAT(f, h, 2, 3, heads=2),
        "sage": lambda: gm.GraphSAGE(f, h, 2, 3),
        "gin": lambda: gm.GIN(f, h, 2, 3),
        "pna": lambda: gm.PNA(
            f,
            h,
            2,
            3,
            aggregators=["mean", "max"],
            scalers=["identity"],
            deg=torch.tensor([0, 3, 5, 2]),
        ),
        "edgecnn": lambda: gm.EdgeCNN(f, h, 2, 3),
        "mlp": lambda: gm.MLP([f, h, 3]),
        "gae": lambda: gm.GAE(gm.GCN(f, h, 2)),
    }
    for name in rng.sample(sorted(models), 6):

        def one(name: str = name) -> None:
            model = models[name]()
            if rng.random() < 0.6:
                _tsave(model, out, f"whole_{name}", rng)
            else:
                _tsave(model.state_dict(), out, f"sd_{name}", rng)

        _try(out, name, one)


# ---------------------------------------------------------------- skorch


@family
def gen_skorch(out: Path, rng: random.Random) -> None:
    import torch
    from skorch import NeuralNetClassifier, NeuralNetRegressor
    from skorch.callbacks import Checkpoint, EarlyStopping, EpochScoring, LRScheduler
    from skorch.dataset import ValidSplit
    from torch import nn

    torch.manual_seed(rng.randrange(10**6))
    nrng = np.random.default_rng(rng.randrange(10**6))
    X = nrng.normal(size=(60, 6)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)

    class Net(nn.Module):  # a user's module class lives in __main__ in real scripts
        def __init__(self, h: int = 8) -> None:
            super().__init__()
            self.seq = nn.Sequential(nn.Linear(6, h), nn.ReLU(), nn.Linear(h, 2))

        def forward(self, x: Any) -> Any:
            return self.seq(x)

    mlp = lambda: nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 2))  # noqa: E731
    for i in range(3):

        def one(i: int = i) -> None:
            valid = rng.random() < 0.5
            cbs = [EpochScoring("accuracy", lower_is_better=False)]
            if valid and rng.random() < 0.5:
                cbs.append(EarlyStopping(patience=3))
            if rng.random() < 0.5:
                cbs.append(LRScheduler(policy=torch.optim.lr_scheduler.StepLR, step_size=2))
            net = NeuralNetClassifier(
                mlp(),
                criterion=nn.CrossEntropyLoss,
                max_epochs=rng.randint(2, 5),
                lr=0.1,
                optimizer=rng.choice([torch.optim.SGD, torch.optim.Adam]),
                callbacks=cbs,
                verbose=0,
                train_split=ValidSplit(5) if valid else None,
            )
            net.fit(X, y)
            _save(net, out, f"clf_{i}", rng)
            d = out / f"params_{i}"
            d.mkdir(exist_ok=True)
            net.save_params(
                f_params=str(d / "model.pt"),
                f_optimizer=str(d / "opt.pt"),
                f_history=str(d / "history.json"),
            )

        _try(out, f"clf_{i}", one)

    def reg() -> None:
        net = NeuralNetRegressor(nn.Linear(6, 1), max_epochs=2, lr=0.01, verbose=0)
        net.fit(X, X[:, :1])
        _save(net, out, "reg", rng)

    _try(out, "reg", reg)

    def ckpt() -> None:
        d = out / "checkpoint_dir"
        net = NeuralNetClassifier(
            mlp(),
            max_epochs=2,
            lr=0.1,
            verbose=0,
            callbacks=[Checkpoint(dirname=str(d), monitor="valid_loss_best")],
        )
        net.fit(X, y)

    _try(out, "ckpt", ckpt)


# ---------------------------------------------------------------- hmmlearn


@family
def gen_hmmlearn(out: Path, rng: random.Random) -> None:
    from hmmlearn import hmm, vhmm

    nrng = np.random.default_rng(rng.randrange(10**6))
    nc = rng.choice([2, 3, 4])
    Xc = nrng.normal(size=(rng.randint(80, 300), 2))
    Xd = nrng.integers(0, 4, size=(200, 1))
    Xm = nrng.multinomial(5, [0.2, 0.3, 0.5], size=120)
    Xp = nrng.poisson(3, size=(150, 2))
    cov = rng.choice(["full", "diag", "spherical", "tied"])
    models: dict[str, Callable[[], Any]] = {
        "gauss": lambda: hmm.GaussianHMM(nc, covariance_type=cov, n_iter=5).fit(Xc),
        "gmm": lambda: hmm.GMMHMM(nc, n_mix=2, n_iter=5).fit(Xc),
        "cat": lambda: hmm.CategoricalHMM(nc, n_iter=5).fit(Xd),
        "multi": lambda: hmm.MultinomialHMM(nc, n_trials=5, n_iter=5).fit(Xm),
        "poisson": lambda: hmm.PoissonHMM(nc, n_iter=5).fit(Xp),
        "vgauss": lambda: vhmm.VariationalGaussianHMM(nc, n_iter=5).fit(Xc),
        "vcat": lambda: vhmm.VariationalCategoricalHMM(nc, n_iter=5).fit(Xd),
    }
    for name, make in models.items():
        _try(out, name, lambda n=name, mk=make: _save(mk(), out, f"hmm_{n}", rng, 0.6))


# ---------------------------------------------------------------- xarray


@family
def gen_xarray(out: Path, rng: random.Random) -> None:
    import pandas as pd
    import xarray as xr

    nrng = np.random.default_rng(rng.randrange(10**6))
    t = rng.randint(5, 50)
    times = pd.date_range("2026-01-01", periods=t, freq=rng.choice(["h", "D", "15min"]))
    da = xr.DataArray(
        nrng.normal(size=(t, 3, 4)).astype(rng.choice(["float32", "float64"])),
        dims=("time", "lat", "lon"),
        coords={
            "time": times,
            "lat": [10.0, 20.0, 30.0],
            "lon": [1, 2, 3, 4],
            "station": ("lon", ["a", "b", "c", "d"]),
        },
        attrs={"units": "K", "long_name": "temperature", "history": "made by fp22"},
        name="t2m",
    )
    ds = xr.Dataset(
        {
            "t2m": da,
            "flag": (("time",), nrng.integers(0, 2, t).astype(bool)),
            "cat": (("lon",), pd.Categorical(["x", "y", "x", "z"])),
        },
        attrs={"title": "fp22", "created": "2026-12-07"},
    )
    _try(out, "da", lambda: _save(da, out, "dataarray", rng))
    _try(out, "ds", lambda: _save(ds, out, "dataset", rng))
    _try(out, "roll", lambda: _save(da.resample(time="2D").mean(), out, "resampled", rng))
    _try(
        out,
        "stack",
        lambda: _save(ds.drop_vars("cat").stack(pt=("lat", "lon")), out, "stacked_multiindex", rng),
    )
    _try(
        out,
        "tz",
        lambda: _save(
            xr.DataArray(
                np.arange(t),
                coords={"time": pd.date_range("2026-01-01", periods=t, tz="Europe/Paris")},
            ),
            out,
            "tz_coord",
            rng,
        ),
    )
    _try(
        out,
        "timedelta",
        lambda: _save(
            xr.Dataset({"lag": ("k", pd.to_timedelta(np.arange(t), unit="s"))}),
            out,
            "timedelta",
            rng,
        ),
    )


# ---------------------------------------------------------------- polars


@family
def gen_polars(out: Path, rng: random.Random) -> None:
    import datetime as dt
    from decimal import Decimal

    import polars as pl

    n = rng.choice([5, 100, 5000])
    nrng = np.random.default_rng(rng.randrange(10**6))
    df = pl.DataFrame(
        {
            "i": nrng.integers(0, 100, n),
            "f": nrng.normal(size=n).astype(np.float32),
            "s": [f"row{i}" for i in range(n)],
            "cat": pl.Series(rng.choices(["a", "b", "c"], k=n), dtype=pl.Categorical),
            "enum": pl.Series(rng.choices(["lo", "hi"], k=n), dtype=pl.Enum(["lo", "hi"])),
            "ts": pl.datetime_range(
                dt.datetime(2026, 1, 1),
                dt.datetime(2026, 1, 1) + dt.timedelta(minutes=n - 1),
                "1m",
                eager=True,
                time_zone=rng.choice([None, "UTC", "Asia/Tokyo"]),
            ),
            "d": [dt.date(2026, 1, 1) + dt.timedelta(days=i % 30) for i in range(n)],
            "dur": [dt.timedelta(seconds=i) for i in range(n)],
            "lst": [[i, i + 1] for i in range(n)],
            "st": [{"a": i, "b": str(i)} for i in range(n)],
            "dec": pl.Series([Decimal(f"{i}.25") for i in range(n)], dtype=pl.Decimal(10, 2)),
            "b": [bytes([i % 256]) for i in range(n)],
            "nul": [None if i % 3 else i for i in range(n)],
        }
    )
    _try(out, "df", lambda: _save(df, out, "frame", rng))
    _try(out, "series", lambda: _save(df["f"], out, "series", rng))
    _try(out, "cols", lambda: _save({"cols": df.columns, "schema": df.schema}, out, "schema", rng))
    _try(
        out,
        "lazy",
        lambda: _save(df.lazy().filter(pl.col("i") > 10).select("i", "s"), out, "lazyframe", rng),
    )
    _try(
        out,
        "in_dict",
        lambda: _save(
            {"train": df.head(n // 2), "test": df.tail(n // 2), "meta": {"rows": n}},
            out,
            "split",
            rng,
        ),
    )


# ---------------------------------------------------------------- hyperopt


@family
def gen_hyperopt(out: Path, rng: random.Random) -> None:
    from hyperopt import STATUS_OK, Trials, fmin, hp, rand, tpe

    space = {
        "lr": hp.loguniform("lr", -7, 0),
        "depth": hp.quniform("depth", 2, 10, 1),
        "kind": hp.choice("kind", ["a", "b", {"c": hp.uniform("c", 0, 1)}]),
    }
    seed = rng.randrange(10**6)

    def obj(p: dict[str, Any]) -> dict[str, Any]:
        return {"loss": float(p["lr"]) * float(p["depth"]), "status": STATUS_OK, "extra": [1, 2]}

    for algo_name, algo in (("tpe", tpe.suggest), ("rand", rand.suggest)):

        def one(algo_name: str = algo_name, algo: Any = algo) -> None:
            trials = Trials()
            best = fmin(
                obj,
                space,
                algo=algo,
                max_evals=rng.randint(5, 20),
                trials=trials,
                rstate=np.random.default_rng(seed),
                show_progressbar=False,
            )
            _save(trials, out, f"trials_{algo_name}", rng)
            _save({"best": best, "losses": trials.losses()}, out, f"best_{algo_name}", rng)

        _try(out, algo_name, one)


# ---------------------------------------------------------------- pgmpy


@family
def gen_pgmpy(out: Path, rng: random.Random) -> None:
    import pandas as pd
    from pgmpy.factors.discrete import DiscreteFactor, TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork, DiscreteMarkovNetwork

    nrng = np.random.default_rng(rng.randrange(10**6))
    n = rng.randint(50, 300)
    df = pd.DataFrame({c: nrng.integers(0, 2, n) for c in "ABCD"})
    bn = DiscreteBayesianNetwork([("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")])
    _try(out, "bn", lambda: (bn.fit(df), _save(bn, out, "bayesnet", rng, 0.5)))
    _try(out, "cpd", lambda: _save(TabularCPD("X", 2, [[0.3], [0.7]]), out, "cpd", rng))

    def mn() -> None:
        m = DiscreteMarkovNetwork([("A", "B"), ("B", "C")])
        m.add_factors(
            DiscreteFactor(["A", "B"], [2, 2], nrng.random(4)),
            DiscreteFactor(["B", "C"], [2, 2], nrng.random(4)),
        )
        _save(m, out, "markov", rng)

    _try(out, "mn", mn)


# ---------------------------------------------------------------- pyro


@family
def gen_pyro(out: Path, rng: random.Random) -> None:
    import pyro
    import pyro.distributions as dist
    import torch
    from pyro.infer import SVI, Trace_ELBO
    from pyro.infer.autoguide import AutoDiagonalNormal, AutoNormal
    from pyro.optim import Adam

    torch.manual_seed(rng.randrange(10**6))
    pyro.clear_param_store()
    data = torch.randn(rng.randint(20, 80)) + 1.5

    def model(x: Any) -> None:
        mu = pyro.sample("mu", dist.Normal(0.0, 5.0))
        sigma = pyro.sample("sigma", dist.HalfNormal(2.0))
        with pyro.plate("n", len(x)):
            pyro.sample("obs", dist.Normal(mu, sigma), obs=x)

    for gname, G in (("autonormal", AutoNormal), ("diag", AutoDiagonalNormal)):

        def one(gname: str = gname, G: Any = G) -> None:
            pyro.clear_param_store()
            guide = G(model)
            svi = SVI(model, guide, Adam({"lr": 0.05}), Trace_ELBO())
            for _ in range(rng.randint(3, 10)):
                svi.step(data)
            pyro.get_param_store().save(str(out / f"params_{gname}.pt"))
            _tsave(guide.state_dict(), out, f"guide_sd_{gname}", rng)
            _tsave(guide, out, f"guide_whole_{gname}", rng)
            _tsave(svi.optim.get_state(), out, f"optim_{gname}", rng)

        _try(out, gname, one)

    def constrained() -> None:
        pyro.clear_param_store()
        pyro.param("scale", torch.ones(3), constraint=dist.constraints.positive)
        pyro.param("probs", torch.ones(3) / 3, constraint=dist.constraints.simplex)
        pyro.param("corr", torch.eye(3), constraint=dist.constraints.corr_cholesky)
        pyro.param("iv", torch.tensor(0.5), constraint=dist.constraints.interval(0.0, 1.0))
        pyro.get_param_store().save(str(out / "params_constraints.pt"))

    _try(out, "constrained", constrained)


# ---------------------------------------------------------------- gpytorch


@family
def gen_gpytorch(out: Path, rng: random.Random) -> None:
    import gpytorch
    import torch

    torch.manual_seed(rng.randrange(10**6))
    n = rng.randint(10, 60)
    x = torch.linspace(0, 1, n)
    y = torch.sin(6 * x) + 0.1 * torch.randn(n)
    kernels: dict[str, Callable[[], Any]] = {
        "rbf": lambda: gpytorch.kernels.ScaleKernel(gpytorch.kernels.RBFKernel()),
        "matern": lambda: gpytorch.kernels.ScaleKernel(gpytorch.kernels.MaternKernel(nu=2.5)),
        "periodic_prior": lambda: gpytorch.kernels.ScaleKernel(
            gpytorch.kernels.PeriodicKernel(lengthscale_prior=gpytorch.priors.GammaPrior(3.0, 6.0)),
            outputscale_constraint=gpytorch.constraints.Interval(0.01, 10.0),
        ),
        "sum": lambda: gpytorch.kernels.RBFKernel() + gpytorch.kernels.LinearKernel(),
    }

    class GP(gpytorch.models.ExactGP):
        def __init__(self, tx: Any, ty: Any, lik: Any, kern: Any) -> None:
            super().__init__(tx, ty, lik)
            self.mean_module = gpytorch.means.ConstantMean()
            self.covar_module = kern

        def forward(self, v: Any) -> Any:
            return gpytorch.distributions.MultivariateNormal(
                self.mean_module(v), self.covar_module(v)
            )

    for name, make in kernels.items():

        def one(name: str = name, make: Callable[[], Any] = make) -> None:
            lik = gpytorch.likelihoods.GaussianLikelihood(
                noise_constraint=gpytorch.constraints.GreaterThan(1e-4)
            )
            m = GP(x, y, lik, make())
            opt = torch.optim.Adam(m.parameters(), lr=0.1)
            mll = gpytorch.mlls.ExactMarginalLogLikelihood(lik, m)
            m.train()
            for _ in range(3):
                opt.zero_grad()
                (-mll(m(x), y)).backward()
                opt.step()
            _tsave(m.state_dict(), out, f"sd_{name}", rng)
            _tsave(
                {"model": m.state_dict(), "likelihood": lik.state_dict(), "opt": opt.state_dict()},
                out,
                f"ckpt_{name}",
                rng,
            )
            _tsave(m.covar_module, out, f"kernel_{name}", rng)
            _tsave(lik, out, f"likelihood_{name}", rng)

        _try(out, name, one)


# ---------------------------------------------------------------- ultralytics


@family
def gen_ultralytics(out: Path, rng: random.Random) -> None:
    import torch

    _torchvision()
    from ultralytics import YOLO

    torch.manual_seed(rng.randrange(10**6))
    cfgs = [
        "yolov8n.yaml",
        "yolo11n.yaml",
        "yolov8n-seg.yaml",
        "yolov8n-cls.yaml",
        "yolo11n-pose.yaml",
        "yolov8n-obb.yaml",
        "yolov5nu.yaml",
        "yolov10n.yaml",
    ]
    for cfg in rng.sample(cfgs, 4):

        def one(cfg: str = cfg) -> None:
            y = YOLO(cfg)
            stem = cfg.removesuffix(".yaml")
            y.save(str(out / f"{stem}.pt"))
            if rng.random() < 0.5:
                _tsave(y.model.state_dict(), out, f"sd_{stem}", rng)

        _try(out, cfg, one)


# ---------------------------------------------------------------- albumentations


@family
def gen_albumentations(out: Path, rng: random.Random) -> None:
    import albumentations as A

    size = rng.choice([64, 128, 256])
    pipe = A.Compose(
        [
            A.RandomResizedCrop(size=(size, size), scale=(0.5, 1.0)),
            A.HorizontalFlip(p=0.5),
            A.OneOf([A.GaussianBlur(), A.MotionBlur(), A.MedianBlur(blur_limit=3)], p=0.3),
            A.ColorJitter(p=0.4),
            A.CoarseDropout(p=0.2),
            A.Normalize(),
        ],
        bbox_params=A.BboxParams(
            format=rng.choice(["pascal_voc", "coco", "yolo"]), label_fields=["labels"]
        )
        if rng.random() < 0.5
        else None,
        seed=rng.randrange(1000),
    )
    _try(out, "pipe", lambda: _save(pipe, out, "compose", rng))
    _try(out, "json", lambda: A.save(pipe, str(out / "compose.json")))
    _try(out, "yaml", lambda: A.save(pipe, str(out / "compose.yaml"), data_format="yaml"))


if __name__ == "__main__":
    sys.exit(run_grid(FAMILIES, sys.argv[1:], 1))

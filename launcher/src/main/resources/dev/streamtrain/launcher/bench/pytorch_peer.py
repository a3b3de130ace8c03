#!/usr/bin/env python3
"""streamtrain bench's PyTorch peer.

Usage: python3 pytorch_peer.py SPEC.json

Measures, on the same data and network as streamtrain's benchmark, with the same number of math
threads (torch.set_num_threads):

  step      forward, loss, backward and optimizer.step() on prebuilt in-memory tensors (the first
            minibatches of the training files, ToTensor() and Normalize applied), timed as the Java
            side times its steps: warm-up steps, then rounds of steps; the figure is the median
            round's mean step time;
  tutorial  the tutorial's loop as written (https://pytorch.org/tutorials/beginner/basics/
            optimization_tutorial.html): torchvision's FashionMNIST dataset with ToTensor() over the
            IDX files, DataLoader(batch_size=64), and per epoch train_loop then test_loop, with
            their progress lines (on stderr here). Without torchvision (or for images that are not
            one channel) a stand-in Dataset does what ToTensor() does, from the same files, and the
            output says so.

SPEC.json (written by `streamtrain bench`): dataDir (uncompressed IDX files under MNIST's names),
architecture (the run spec's, docs/wire-format.md section 7.1), loss, optimizer {name, params:
torch.optim keyword arguments}, normalize (null or {mean, std}), batchSize, testBatchSize, threads,
seed, warmupSteps, rounds, stepsPerRound, tutorialEpochs.

Prints one JSON object on stdout; progress on stderr. Exit status 3: the spec asks for something
this peer cannot build (the message says what).
"""
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class Unsupported(Exception):
    pass


def read_idx(path):
    """An IDX file of unsigned bytes as a numpy array (raw or .gz)."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path = path + ".gz"
    if path.endswith(".gz"):
        import gzip
        with gzip.open(path, "rb") as f:
            data = f.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes (magic {magic:#x})")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def build_model(architecture, loss):
    layers = []
    image = len(architecture["inputShape"]) == 3
    for layer in architecture["layers"]:
        kind = layer["type"]
        if kind == "flatten":
            layers.append(nn.Flatten())
            image = False
        elif kind == "linear":
            layers.append(nn.Linear(layer["inFeatures"], layer["outFeatures"]))
        elif kind == "conv2d":
            layers.append(nn.Conv2d(layer["inChannels"], layer["outChannels"], layer["kernelSize"],
                                    stride=layer["stride"], padding=layer["padding"]))
        elif kind == "maxpool2d":
            layers.append(nn.MaxPool2d(layer["kernelSize"], stride=layer["stride"]))
        elif kind == "batchnorm":
            norm = nn.BatchNorm2d if image else nn.BatchNorm1d
            layers.append(norm(layer["numFeatures"], eps=layer["eps"], momentum=layer["momentum"]))
        elif kind == "dropout":
            layers.append(nn.Dropout(layer["p"]))
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "tanh":
            layers.append(nn.Tanh())
        elif kind == "sigmoid":
            layers.append(nn.Sigmoid())
        else:
            raise Unsupported(f"layer type {kind!r}")
    if loss == "nll":
        layers.append(nn.LogSoftmax(dim=1))
    return nn.Sequential(*layers)


def build_loss(loss, classes):
    """The loss as a function of (outputs, labels)."""
    if loss == "cross-entropy":
        return nn.CrossEntropyLoss()
    if loss == "nll":
        return nn.NLLLoss()
    if loss == "mse":
        mse = nn.MSELoss()
        return lambda pred, y: mse(pred, nn.functional.one_hot(y, classes).float())
    raise Unsupported(f"loss {loss!r} (the peer knows cross-entropy, nll and mse)")


def build_optimizer(optimizer, parameters):
    classes = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
               "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
    if optimizer["name"] not in classes:
        raise Unsupported(f"optimizer {optimizer['name']!r}")
    params = dict(optimizer["params"])
    if "betas" in params:
        params["betas"] = tuple(params["betas"])
    return classes[optimizer["name"]](parameters, **params)


def normalize_tensor(x, normalize):
    """torchvision's Normalize on [N, C, H, W] or [C, H, W] float32 tensors."""
    if normalize is None:
        return x
    shape = (-1, 1, 1)
    mean = torch.tensor(normalize["mean"], dtype=torch.float32).reshape(shape)
    std = torch.tensor(normalize["std"], dtype=torch.float32).reshape(shape)
    return (x - mean) / std


def as_nchw(images):
    return images.reshape(images.shape[0], 1, images.shape[1], images.shape[2]) if images.ndim == 3 else images


def time_step(spec, images, labels):
    """The step alone on prebuilt tensors, timed as the Java side times its steps."""
    batch = spec["batchSize"]
    count = min(spec["stepsPerRound"], len(labels) // batch)
    x = torch.from_numpy(as_nchw(images[:count * batch]).astype(np.float32)).div(255)
    x = normalize_tensor(x, spec["normalize"])
    batches = [(x[i * batch:(i + 1) * batch].contiguous(),
                torch.from_numpy(labels[i * batch:(i + 1) * batch].astype(np.int64))) for i in range(count)]
    torch.manual_seed(spec["seed"])
    model = build_model(spec["architecture"], spec["loss"])
    loss_fn = build_loss(spec["loss"], spec["architecture"]["classes"])
    optimizer = build_optimizer(spec["optimizer"], model.parameters())
    model.train()

    def step(i):
        X, y = batches[i % len(batches)]
        pred = model(X)
        loss = loss_fn(pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    i = 0
    for _ in range(spec["warmupSteps"]):
        step(i)
        i += 1
    rounds = []
    for _ in range(spec["rounds"]):
        started = time.perf_counter()
        for _ in range(spec["stepsPerRound"]):
            step(i)
            i += 1
        rounds.append((time.perf_counter() - started) * 1000 / spec["stepsPerRound"])
    median = statistics.median(rounds)
    return {"msPerStep": median, "roundsMsPerStep": [round(r, 3) for r in rounds],
            "samplesPerSecond": batch * 1000 / median, "distinctBatches": len(batches), "batchSize": batch}


class IdxImages(Dataset):
    """Stand-in for torchvision's dataset + ToTensor(): sample i as float32 in [0, 1], [C, H, W]."""

    def __init__(self, images, labels, normalize):
        self.images = as_nchw(images)
        self.labels = labels
        self.normalize = normalize

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.from_numpy(self.images[i].astype(np.float32)).div(255)
        return normalize_tensor(x, self.normalize), int(self.labels[i])


def tutorial_datasets(spec, train, test):
    """torchvision's FashionMNIST + ToTensor() over the IDX files when it can, else the stand-in."""
    try:
        import torchvision
        from torchvision import datasets
        from torchvision.transforms import Compose, Normalize, ToTensor
    except ImportError as e:
        return (IdxImages(*train, spec["normalize"]), IdxImages(*test, spec["normalize"]),
                f"stand-in Dataset (numpy, ToTensor's arithmetic): torchvision not importable ({e})", None)
    if train[0].ndim != 3:
        return (IdxImages(*train, spec["normalize"]), IdxImages(*test, spec["normalize"]),
                "stand-in Dataset (numpy, ToTensor's arithmetic): torchvision's MNIST datasets read one-channel "
                "images only", torchvision.__version__)
    root = tempfile.mkdtemp(prefix="streamtrain-peer-")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw)
    for images_file, labels_file in FILES.values():
        for name in (images_file, labels_file):
            source = os.path.join(spec["dataDir"], name)
            if not os.path.exists(source):
                raise FileNotFoundError(source)
            os.symlink(os.path.abspath(source), os.path.join(raw, name))
    steps = [ToTensor()]
    if spec["normalize"] is not None:
        steps.append(Normalize(spec["normalize"]["mean"], spec["normalize"]["std"]))
    transform = steps[0] if len(steps) == 1 else Compose(steps)
    training_data = datasets.FashionMNIST(root=root, train=True, download=False, transform=transform)
    test_data = datasets.FashionMNIST(root=root, train=False, download=False, transform=transform)
    shutil.rmtree(root)  # the datasets hold the files' contents now
    return (training_data, test_data, "torchvision.datasets.FashionMNIST(transform=ToTensor()) over the IDX files",
            torchvision.__version__)


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        # Compute prediction and loss
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 100 == 0:
            loss, current = loss.item(), batch * dataloader.batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]", file=sys.stderr)


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n", file=sys.stderr)
    return correct, test_loss


def tutorial(spec, train, test):
    training_data, test_data, loader, torchvision_version = tutorial_datasets(spec, train, test)
    train_dataloader = DataLoader(training_data, batch_size=spec["batchSize"])
    test_dataloader = DataLoader(test_data, batch_size=spec["testBatchSize"])
    torch.manual_seed(spec["seed"])
    model = build_model(spec["architecture"], spec["loss"])
    loss_fn = build_loss(spec["loss"], spec["architecture"]["classes"])
    optimizer = build_optimizer(spec["optimizer"], model.parameters())
    epochs = spec["tutorialEpochs"]
    train_seconds, test_seconds = [], []
    started = time.perf_counter()
    for t in range(epochs):
        print(f"Epoch {t+1}\n-------------------------------", file=sys.stderr)
        a = time.perf_counter()
        train_loop(train_dataloader, model, loss_fn, optimizer)
        b = time.perf_counter()
        accuracy, avg_loss = test_loop(test_dataloader, model, loss_fn)
        test_seconds.append(time.perf_counter() - b)
        train_seconds.append(b - a)
    seconds = time.perf_counter() - started
    print("Done!", file=sys.stderr)
    return {"epochs": epochs, "samples": epochs * len(training_data), "seconds": seconds,
            "samplesPerSecond": epochs * len(training_data) / seconds, "trainSeconds": train_seconds,
            "testSeconds": test_seconds, "finalTestAccuracy": accuracy, "finalTestLoss": avg_loss,
            "loader": loader, "torchvision": torchvision_version}


def blas_libraries():
    """The BLAS/LAPACK/MKL libraries this process mapped, resolved (Debian's torch links libblas.so.3)."""
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path).lower()
                if any(k in name for k in ("blas", "lapack", "mkl", "dnnl")):
                    found.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(found)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    torch.set_num_threads(spec["threads"])
    data_dir = spec["dataDir"]
    train = (read_idx(os.path.join(data_dir, FILES["train"][0])), read_idx(os.path.join(data_dir, FILES["train"][1])))
    test = (read_idx(os.path.join(data_dir, FILES["test"][0])), read_idx(os.path.join(data_dir, FILES["test"][1])))
    try:
        step = time_step(spec, *train)
        tutorial_result = tutorial(spec, train, test)
    except Unsupported as e:
        print(f"the PyTorch peer cannot build this: {e}", file=sys.stderr)
        return 3
    result = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "torch": torch.__version__,
        "torchvision": tutorial_result.pop("torchvision"),
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_libraries(),
        "torchConfig": [line.strip() for line in torch.__config__.show().splitlines() if "BLAS_INFO" in line
                        or "CPU capability" in line],
        "step": step,
        "tutorial": tutorial_result,
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

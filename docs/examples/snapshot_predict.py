#!/usr/bin/env python3
"""Predict with a streamtrain weight snapshot, outside the JVM.

Usage: snapshot_predict.py SNAPSHOT_FILE MINIBATCH_FILE

SNAPSHOT_FILE holds the raw value of one record of the snapshot topic (weight snapshot record,
version 1 to 4) and MINIBATCH_FILE the raw value of one record of the minibatch or test-set topic
(minibatch record, version 1, 2 or 3: a train, test or validation batch); see docs/wire-format.md for
both layouts and for how to fetch the bytes from Kafka. The script decodes and validates both
records, checks the SHA-256 of the snapshot's parameters, rebuilds the network the run spec's
"architecture" describes (every built-in model, and any other made of the same layers; a spec
written before architectures were recorded is the tutorial's "tutorial-mlp"), applies ToTensor and
then the spec's "transforms" (Normalize) to the batch, and prints, as JSON on stdout, the run id,
the checksum, the snapshot's train loss and accuracy, its test-then-train (prequential) metrics
(version 4; null before) and, for every sample of the minibatch, its
index in the dataset file (version 2), the predicted class, the logits and their softmax
probabilities.

Only the Python standard library and numpy are used. Exit status: 0 on success, 1 when a record
is malformed, corrupt, of an unknown version, or of a network this reader cannot rebuild (the
reason goes to stderr), 2 on bad usage.
"""

import hashlib
import json
import struct
import sys

import numpy as np

SNAPSHOT_MAGIC = b"STWS"
# version 2 adds the epoch's train loss (sum and batch count), version 3 its train accuracy (correct and samples),
# version 4 the trainer's prequential state (fading sums, window batches)
SNAPSHOT_VERSIONS = (1, 2, 3, 4)
MAX_WINDOW = 100000
FLAG_EPOCH_END = 0x01
FLAG_FINAL = 0x02

MINIBATCH_MAGIC = b"STMB"
# version 2 adds how the stream was made (flags, seed, validationSize), sample indexes and the validation split;
# version 3 has version 2's layout and allows epochs = 0, an open stream
MINIBATCH_VERSIONS = (1, 2, 3)
OPEN = 0
SPLITS = {0: "train", 1: "test", 2: "validation"}
FLAG_SHUFFLE = 0x01
FLAG_DROP_LAST = 0x02
DTYPE_UINT8 = 1

MAX_RANK = 8

TUTORIAL_MLP = "tutorial-mlp"
# The architecture of every run spec written before specs recorded one: only tutorial-mlp existed.
TUTORIAL_MLP_ARCHITECTURE = {
    "inputShape": [1, 28, 28],
    "classes": 10,
    "layers": [
        {"type": "flatten"},
        {"type": "linear", "inFeatures": 784, "outFeatures": 512}, {"type": "relu"},
        {"type": "linear", "inFeatures": 512, "outFeatures": 512}, {"type": "relu"},
        {"type": "linear", "inFeatures": 512, "outFeatures": 10},
    ],
}


class WireFormatError(Exception):
    """A record that is not a valid record of the format it claims to be."""


class Reader:
    """Bounds-checked, big-endian reads of the primitives both formats are made of."""

    def __init__(self, what, data):
        self.what = what
        self.data = data
        self.pos = 0

    def fail(self, message):
        return WireFormatError(f"{self.what}: {message}")

    def remaining(self):
        return len(self.data) - self.pos

    def take(self, field, n):
        if n < 0:
            raise self.fail(f"field '{field}' has impossible length {n}")
        if self.remaining() < n:
            raise self.fail(f"truncated at field '{field}' (offset {self.pos}): "
                            f"expected {n} bytes, got {self.remaining()}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def _unpack(self, field, fmt):
        return struct.unpack(fmt, self.take(field, struct.calcsize(fmt)))[0]

    def u8(self, field):
        return self._unpack(field, ">B")

    def u16(self, field):
        return self._unpack(field, ">H")

    def i32(self, field):
        return self._unpack(field, ">i")

    def i64(self, field):
        return self._unpack(field, ">q")

    def f64(self, field):
        return self._unpack(field, ">d")

    def string(self, field, length):
        raw = self.take(field, length)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.fail(f"field '{field}' is not valid UTF-8: {e}") from None

    def string16(self, field):
        return self.string(field, self.u16(field + ".length"))

    def string32(self, field):
        length = self.i32(field + ".length")
        if length < 0:
            raise self.fail(f"field '{field}.length' must be >= 0, got {length}")
        return self.string(field, length)

    def expect_magic(self, magic):
        got = self.take("magic", len(magic))
        if got != magic:
            raise self.fail(f"bad magic: expected {magic.hex().upper()} ({magic.decode()!r}), "
                            f"got {got.hex().upper()}; is this another kind of record?")

    def expect_version(self, *supported):
        version = self.u8("version")
        if version not in supported:
            names = [str(v) for v in supported]
            understood = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
            raise self.fail(f"unsupported version {version}, this reader understands version {understood}")
        return version

    def expect_end(self):
        if self.remaining():
            raise self.fail(f"{self.remaining()} unexpected trailing bytes after the last field")


def read_shape(r, field):
    rank = r.u8(field + ".rank")
    if not 1 <= rank <= MAX_RANK:
        raise r.fail(f"field '{field}.rank' must be in [1, {MAX_RANK}], got {rank}")
    dims = tuple(r.i32(f"{field}.dims[{d}]") for d in range(rank))
    for d, size in enumerate(dims):
        if size < 1:
            raise r.fail(f"field '{field}.dims[{d}]' must be >= 1, got {size}")
    return dims


def decode_snapshot(data):
    """Decodes a weight snapshot record value, version 1 to 4 (docs/wire-format.md, section 4)."""
    r = Reader("weight snapshot record", data)
    r.expect_magic(SNAPSHOT_MAGIC)
    version = r.expect_version(*SNAPSHOT_VERSIONS)
    flags = r.u8("flags")
    if flags & ~(FLAG_EPOCH_END | FLAG_FINAL):
        raise r.fail(f"field 'flags' has unknown bits set: 0x{flags:x}")
    run_id = r.string16("runId")
    spec_json = r.string32("spec")
    try:
        spec = json.loads(spec_json)
    except ValueError as e:
        raise r.fail(f"field 'spec' is not valid JSON: {e}") from None
    if not isinstance(spec, dict):
        raise r.fail("field 'spec' is not a JSON object")
    epoch = r.i32("epoch")
    step = r.i64("step")
    samples_seen = r.i64("samplesSeen")
    created_at = r.i64("createdAtMillis")
    train_loss_sum, train_loss_batches = float("nan"), 0  # version 1 carries no train loss
    if version >= 2:
        train_loss_sum = r.f64("trainLossSum")
        train_loss_batches = r.i32("trainLossBatches")
        if train_loss_batches < 0:
            raise r.fail(f"train loss batches must be >= 0, got {train_loss_batches}")
    train_correct, train_samples = 0, -1  # versions 1 and 2 carry no train accuracy: unknown
    if version >= 3:
        train_correct = r.i64("trainCorrect")
        train_samples = r.i64("trainSamples")
        if not (0 <= train_correct <= train_samples or (train_samples == -1 and train_correct == 0)):
            raise r.fail(f"train accuracy must count 0 <= correct <= samples (or be unknown: 0 of -1), got "
                         f"{train_correct} of {train_samples}")
    prequential = read_prequential(r) if version >= 4 else None  # versions 1 to 3 carry none
    if epoch < 1 or step < 0 or samples_seen < 0:
        raise r.fail(f"epoch must be >= 1 and step, samplesSeen >= 0; got epoch {epoch}, step {step}, "
                     f"samplesSeen {samples_seen}")
    offsets = []
    for i in range(r.u16("offsetCount")):
        topic = r.string16(f"offsets[{i}].topic")
        partition = r.i32(f"offsets[{i}].partition")
        next_offset = r.i64(f"offsets[{i}].nextOffset")
        if partition < 0 or next_offset < 0:
            raise r.fail(f"offsets[{i}]: partition and nextOffset must be >= 0, got {partition}, {next_offset}")
        offsets.append({"topic": topic, "partition": partition, "nextOffset": next_offset})
    layout = []
    for i in range(r.u16("tensorCount")):
        name = r.string16(f"layout[{i}].name")
        if not name:
            raise r.fail(f"field 'layout[{i}].name' must not be empty")
        layout.append((name, read_shape(r, f"layout[{i}]")))
    expected = sum(int(np.prod(shape, dtype=np.int64)) for _, shape in layout)
    parameter_count = r.i64("parameterCount")
    if parameter_count != expected:
        raise r.fail(f"field 'parameterCount' is {parameter_count} but the layout holds {expected} values")
    parameter_bytes = r.take("parameters", 4 * parameter_count)
    updater_count = r.i64("updaterCount")
    if updater_count < 0:
        raise r.fail(f"field 'updaterCount' must be >= 0, got {updater_count}")
    updater_bytes = r.take("updaterState", 4 * updater_count)
    stored = r.take("sha256", 32).hex()
    r.expect_end()
    computed = hashlib.sha256(parameter_bytes).hexdigest()
    if stored != computed:
        raise r.fail(f"checksum mismatch: record says SHA-256 {stored} but its parameters hash to {computed}; "
                     "the record is corrupt")
    if spec.get("runId") != run_id:
        raise r.fail(f"snapshot runId {run_id!r} differs from its spec's runId {spec.get('runId')!r}")
    parameters = np.frombuffer(parameter_bytes, dtype="<f4")
    tensors = {}
    at = 0
    for name, shape in layout:
        size = int(np.prod(shape, dtype=np.int64))
        tensors[name] = parameters[at:at + size].reshape(shape)  # row-major (C order)
        at += size
    return {
        "runId": run_id,
        "spec": spec,
        "epochEnd": bool(flags & FLAG_EPOCH_END),
        "finalSnapshot": bool(flags & FLAG_FINAL),
        "epoch": epoch,
        "step": step,
        "samplesSeen": samples_seen,
        "createdAtMillis": created_at,
        "trainLoss": train_loss_sum / train_loss_batches if train_loss_batches else float("nan"),
        "trainAccuracy": train_correct / train_samples if train_samples > 0 else float("nan"),
        "prequential": prequential_metrics(spec, prequential),
        "offsets": offsets,
        "layout": layout,
        "tensors": tensors,
        "updaterState": np.frombuffer(updater_bytes, dtype="<f4"),
        "sha256": stored,
    }


def read_prequential(r):
    """The prequential state of a version 4 snapshot (section 4.1): fading sums, then the window's batches."""
    weight = r.f64("fadingWeight")
    accuracy_sum = r.f64("fadingAccuracySum")
    loss_sum = r.f64("fadingLossSum")
    if not weight >= 0:
        raise r.fail(f"prequential fading weight must be >= 0, got {weight}")
    count = r.i32("windowBatches")
    if not 0 <= count <= MAX_WINDOW:
        raise r.fail(f"field 'windowBatches' must be in [0, {MAX_WINDOW}], got {count}")
    window = []
    for i in range(count):
        samples = r.i32(f"window[{i}].samples")
        correct = r.i32(f"window[{i}].correct")
        loss = r.f64(f"window[{i}].loss")
        if samples < 1 or not 0 <= correct <= samples:
            raise r.fail(f"a prequential window batch must count 0 <= correct <= samples, samples >= 1, got "
                         f"{correct} of {samples}")
        window.append((samples, correct, loss))
    return weight, accuracy_sum, loss_sum, window


def prequential_metrics(spec, state):
    """The metrics of a prequential state as the spec measures them (section 4.1), or None (before version 4)."""
    if state is None:
        return None
    weight, accuracy_sum, loss_sum, window = state
    measures = spec.get("prequential") or {}
    held = sum(b for b, _, _ in window)
    loss = 0.0
    for b, _, m in window:  # oldest first, in binary64, as the trainer sums
        loss += m * b
    nan = float("nan")
    return {
        "window": measures.get("window", 1000),
        "windowSamples": held,
        "windowAccuracy": sum(c for _, c, _ in window) / held if held else nan,
        "windowLoss": loss / held if held else nan,
        "fadingFactor": measures.get("fadingFactor", 0.999),
        "fadingAccuracy": accuracy_sum / weight if weight else nan,
        "fadingLoss": loss_sum / weight if weight else nan,
    }


def json_number(x):
    """None for NaN (JSON has no NaN), else the number."""
    return None if isinstance(x, float) and np.isnan(x) else x


def decode_minibatch(data):
    """Decodes a minibatch record value, version 1, 2 or 3 (docs/wire-format.md, section 3)."""
    r = Reader("minibatch record", data)
    r.expect_magic(MINIBATCH_MAGIC)
    version = r.expect_version(*MINIBATCH_VERSIONS)
    split = r.u8("split")
    if version == 1 and split > 1:
        raise r.fail(f"field 'split' must be 0 (train) or 1 (test) in version 1, got {split}")
    if split not in SPLITS:
        raise r.fail(f"field 'split' must be 0 (train), 1 (test) or 2 (validation), got {split}")
    dtype = r.u8("dtype")
    if dtype != DTYPE_UINT8:
        raise r.fail(f"unsupported dtype code {dtype}, version {version} defines only 1 (uint8)")
    rank = r.u8("rank")
    if not 1 <= rank <= MAX_RANK:
        raise r.fail(f"field 'rank' must be in [1, {MAX_RANK}], got {rank}")
    dataset = r.string16("dataset")
    epoch = r.i32("epoch")
    epochs = r.i32("epochs")
    batch_index = r.i32("batchIndex")
    batches_per_epoch = r.i32("batchesPerEpoch")
    dataset_size = r.i32("datasetSize")
    num_classes = r.u16("numClasses")
    sample_count = r.i32("sampleCount")
    if sample_count < 0:
        raise r.fail(f"field 'sampleCount' must be >= 0, got {sample_count}")
    shape = tuple(r.i32(f"dims[{i}]") for i in range(rank))
    for i, d in enumerate(shape):
        if d < 1:
            raise r.fail(f"field 'dims[{i}]' must be >= 1, got {d}")
    sampling, sample_indexes = None, None  # a version 1 record does not say how its stream was made
    if version >= 2:
        flags = r.u8("flags")
        if flags & ~(FLAG_SHUFFLE | FLAG_DROP_LAST):
            raise r.fail(f"field 'flags' has unknown bits set: 0x{flags:x}")
        seed = r.i64("seed")
        validation_size = r.i32("validationSize")
        if validation_size < 0:
            raise r.fail(f"field 'validationSize' must be >= 0, got {validation_size}")
        sampling = {"shuffle": bool(flags & FLAG_SHUFFLE), "dropLast": bool(flags & FLAG_DROP_LAST),
                    "seed": seed, "validationSize": validation_size}
        sample_indexes = np.frombuffer(r.take("sampleIndexes", 4 * sample_count), dtype=">i4")
        if sample_indexes.size and int(sample_indexes.min()) < 0:
            i = int(np.argmax(sample_indexes < 0))
            raise r.fail(f"sample index {i} is {int(sample_indexes[i])}, must be >= 0")
    sample_size = int(np.prod(shape, dtype=np.int64))
    expected = sample_size * sample_count + sample_count
    if expected != r.remaining():
        raise r.fail(f"expected {expected} bytes of pixels and labels for {sample_count} samples of "
                     f"{sample_size} values, got {r.remaining()}")
    pixels = np.frombuffer(r.take("pixels", sample_size * sample_count), dtype=np.uint8)
    labels = np.frombuffer(r.take("labels", sample_count), dtype=np.uint8)
    r.expect_end()
    if not dataset:
        raise r.fail("dataset name must not be empty")
    if epochs == OPEN:
        if version < 3:
            raise r.fail(f"field 'epochs' must be >= 1 in version {version} (0, an open stream, exists from "
                         f"version 3 on), got 0")
        if epoch < 1:
            raise r.fail(f"epoch of an open stream must be >= 1, got {epoch}")
        if split != 0 or sampling is None:
            raise r.fail("only training batches that say how their stream was made can belong to an open stream")
    elif not 1 <= epoch <= epochs:
        raise r.fail(f"epoch must be in [1, epochs={epochs}], got {epoch}")
    if not 0 <= batch_index < batches_per_epoch:
        raise r.fail(f"batchIndex must be in [0, batchesPerEpoch={batches_per_epoch}), got {batch_index}")
    if not 1 <= num_classes <= 256:
        raise r.fail(f"numClasses must be in [1, 256], got {num_classes}")
    if sample_count < 1:
        raise r.fail("a minibatch holds at least one sample")
    if dataset_size < sample_count:
        raise r.fail(f"datasetSize {dataset_size} is smaller than this batch's {sample_count} samples")
    if labels.size and int(labels.max()) >= num_classes:
        i = int(np.argmax(labels >= num_classes))
        raise r.fail(f"label of sample {i} is {int(labels[i])}, outside [0, {num_classes})")
    return {
        "dataset": dataset,
        "split": SPLITS[split],
        "epoch": epoch,
        "epochs": epochs,
        "batchIndex": batch_index,
        "batchesPerEpoch": batches_per_epoch,
        "datasetSize": dataset_size,
        "numClasses": num_classes,
        "sampleShape": shape,
        "pixels": pixels.reshape((sample_count,) + shape),
        "labels": labels,
        "sampling": sampling,
        "sampleIndexes": None if sample_indexes is None else [int(i) for i in sample_indexes],
    }


def architecture_of(snapshot):
    """The network the run spec describes (docs/wire-format.md, section 7)."""
    spec = snapshot["spec"]
    architecture = spec.get("architecture")
    if architecture is None:
        if spec.get("model") != TUTORIAL_MLP:
            raise WireFormatError(f"the spec of model {spec.get('model')!r} records no architecture")
        architecture = TUTORIAL_MLP_ARCHITECTURE
    return architecture


def layout_of(architecture):
    """Parameter tensors as the architecture names them: k_W, k_b, k_gamma, ..., k = index among layers with
    parameters."""
    layout = []
    k = 0
    for layer in architecture["layers"]:
        kind = layer["type"]
        if kind == "linear":
            layout += [(f"{k}_W", (layer["inFeatures"], layer["outFeatures"])), (f"{k}_b", (layer["outFeatures"],))]
        elif kind == "conv2d":
            size = layer["kernelSize"]
            layout += [(f"{k}_W", (layer["outChannels"], layer["inChannels"], size, size)),
                       (f"{k}_b", (layer["outChannels"],))]
        elif kind == "batchnorm":
            n = layer["numFeatures"]
            layout += [(f"{k}_{name}", (n,)) for name in ("gamma", "beta", "mean", "var")]
        elif kind not in ("flatten", "maxpool2d", "dropout", "relu", "tanh", "sigmoid"):
            raise WireFormatError(f"layer type {kind!r} is not one this reader knows")
        else:
            continue
        k += 1
    return layout


def transforms_of(snapshot):
    """The spec's transforms, applied after ToTensor (docs/wire-format.md, section 4.3); none in older specs."""
    transforms = snapshot["spec"].get("transforms") or []
    for t in transforms:
        if not isinstance(t, dict) or t.get("name") != "normalize":
            raise WireFormatError(f"transform {t!r} is not one this reader knows (only 'normalize')")
        mean, std = t.get("mean"), t.get("std")
        if not mean or not isinstance(mean, list) or not isinstance(std, list) or len(mean) != len(std):
            raise WireFormatError(f"Normalize needs as many means as stds, at least one each; got mean {mean}, "
                                  f"std {std}")
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in mean + std)
        if not numbers or not all(np.isfinite(m) for m in mean) or not all(np.isfinite(s) and s > 0 for s in std):
            raise WireFormatError(f"Normalize needs finite means and finite stds > 0; got mean {mean}, std {std}")
    return transforms


def describe(transform):
    """As torchvision writes it, e.g. Normalize(mean=[0.5], std=[0.5])."""
    return f"Normalize(mean={[float(m) for m in transform['mean']]}, std={[float(s) for s in transform['std']]})"


def normalize(x, transform):
    """torchvision's Normalize on x ([N, C, ...], float32): (x - mean[c]) / std[c] in float32, one value for every
    channel or one per channel, rounding after the subtraction and after the division as tensor.sub_().div_()."""
    channels = x.shape[1]
    mean = np.asarray(transform["mean"], dtype=np.float32)
    std = np.asarray(transform["std"], dtype=np.float32)
    if mean.size not in (1, channels):
        raise WireFormatError(f"{describe(transform)} has {mean.size} channels, samples of shape "
                              f"{list(x.shape[1:])} have {channels} (give one value, or one per channel)")
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / std.reshape(shape)


def windows(x, size, stride):
    """[n, c, h, w] -> [n, c, h', w', size, size]: every size x size window, stride apart."""
    view = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    return view[:, :, ::stride, ::stride]


def forward(layer, x, t, k):
    """One layer in eval mode (dropout off, batch norm on its running statistics), float64."""
    kind = layer["type"]
    if kind == "flatten":
        return x.reshape(x.shape[0], -1)                          # C order, as torch flattens NCHW
    if kind == "linear":
        return x @ t[f"{k}_W"] + t[f"{k}_b"]                      # W is [in, out]: torch's weight.T
    if kind == "conv2d":
        p = layer["padding"]
        x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        patches = windows(x, layer["kernelSize"], layer["stride"])  # [n, c, h', w', k, k]
        return np.einsum("nchwij,ocij->nohw", patches, t[f"{k}_W"]) + t[f"{k}_b"][None, :, None, None]
    if kind == "maxpool2d":
        return windows(x, layer["kernelSize"], layer["stride"]).max(axis=(4, 5))
    if kind == "batchnorm":
        shape = (1, -1) + (1,) * (x.ndim - 2)                     # per feature, or per channel of an image
        scale = t[f"{k}_gamma"] / np.sqrt(t[f"{k}_var"] + layer["eps"])
        return (x - t[f"{k}_mean"].reshape(shape)) * scale.reshape(shape) + t[f"{k}_beta"].reshape(shape)
    if kind == "relu":
        return np.maximum(x, 0.0)
    if kind == "tanh":
        return np.tanh(x)
    if kind == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if kind == "dropout":
        return x
    raise WireFormatError(f"layer type {kind!r} is not one this reader knows")


def logits_of(snapshot, batch):
    """The network's logits for the batch: ToTensor (pixels / 255), the spec's transforms, then every layer."""
    architecture = architecture_of(snapshot)
    expected = [(name, tuple(shape)) for name, shape in layout_of(architecture)]
    if snapshot["layout"] != expected:
        raise WireFormatError(f"snapshot layout {snapshot['layout']} is not its architecture's layout {expected}")
    shape = tuple(architecture["inputShape"])
    if batch["sampleShape"] != shape or batch["numClasses"] != architecture["classes"]:
        raise WireFormatError(f"the network takes samples of shape {list(shape)} with {architecture['classes']} "
                              f"classes, the minibatch holds {list(batch['sampleShape'])} with "
                              f"{batch['numClasses']}")
    t = {name: w.astype(np.float64) for name, w in snapshot["tensors"].items()}
    n = batch["labels"].size
    x = (batch["pixels"].astype(np.float32) / np.float32(255)).reshape((n,) + shape)
    for transform in transforms_of(snapshot):
        x = normalize(x, transform)
    x = x.astype(np.float64)
    k = 0
    for layer in architecture["layers"]:
        x = forward(layer, x, t, k)
        if layer["type"] in ("linear", "conv2d", "batchnorm"):
            k += 1
    return x


def softmax(logits):
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    snapshot_file, minibatch_file = argv[1], argv[2]
    try:
        with open(snapshot_file, "rb") as f:
            snapshot = decode_snapshot(f.read())
        with open(minibatch_file, "rb") as f:
            batch = decode_minibatch(f.read())
        logits = logits_of(snapshot, batch)
    except (OSError, WireFormatError) as e:
        print(f"snapshot_predict.py: error: {e}", file=sys.stderr)
        return 1
    probabilities = softmax(logits)
    predicted = logits.argmax(axis=1)  # first maximum on ties, like the evaluator
    out = {
        "runId": snapshot["runId"],
        "model": snapshot["spec"].get("model"),
        "epoch": snapshot["epoch"],
        "step": snapshot["step"],
        "trainLoss": None if np.isnan(snapshot["trainLoss"]) else snapshot["trainLoss"],
        "trainAccuracy": None if np.isnan(snapshot["trainAccuracy"]) else snapshot["trainAccuracy"],
        "sha256": snapshot["sha256"],
        "prequential": None if snapshot["prequential"] is None
        else {k: json_number(v) for k, v in snapshot["prequential"].items()},
        "transforms": [describe(t) for t in transforms_of(snapshot)],
        "dataset": batch["dataset"],
        "split": batch["split"],
        "batchIndex": batch["batchIndex"],
        "sampling": batch["sampling"],
        "samples": [
            {
                "index": i,
                "sampleIndex": None if batch["sampleIndexes"] is None else batch["sampleIndexes"][i],
                "label": int(batch["labels"][i]),
                "predicted": int(predicted[i]),
                "logits": [float(z) for z in logits[i]],
                "probabilities": [float(p) for p in probabilities[i]],
            }
            for i in range(len(predicted))
        ],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The training peers: how to run each on the seed recipe and read its epoch times back.

Every contender trains the same CNN (batch size, Adam 1e-3 / eps 1e-7, pixels / 255) and
validates on the 10,000 test images at the end of every epoch; its epoch time includes that
validation, as Keras's and our trainer's do.

Each runs at its best known setting, the same where a setting is shared: TensorFlow's oneDNN
on (`TF_ENABLE_ONEDNN_OPTS=1`, which our jar sets too) for every TensorFlow contender, except
`keras-tfdefault`, TensorFlow's own default (oneDNN off on CPUs without AVX512_VNNI/BF16 or
AMX), kept as a labelled row that no ratio is computed against. The OpenMP peers (PyTorch,
DJL's libtorch, ND4J) get one thread per core and `OMP_WAIT_POLICY=PASSIVE`: on a shared 2-core
machine the default spin-wait was 3-10x slower per step; `--omp-wait-policy ACTIVE` measures it.
"""
import copy
import json
import os
import shlex
import subprocess

from . import machine, paths

NOT_ON_THIS_CPU = "not available on this CPU (needs amx_bf16 or avx512_bf16)"
PEERS_SETUP = "bash tools/setup.sh --peers"
ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
OMP_WAIT_POLICIES = ("PASSIVE", "ACTIVE")

# Where each dataset's IDX files are for the Python and DL4J contenders (our jar finds its own).
DATA_DIRS = {"mnist": paths.DATA, "fashion": paths.FASHION_DATA}
DATASETS = tuple(DATA_DIRS)


class Workload:
    """What is trained: a dataset and a recipe. The seed recipe on MNIST is the default."""

    def __init__(self, dataset="mnist", recipe="seed"):
        if dataset not in DATA_DIRS:
            raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        self.dataset, self.recipe = dataset, recipe

    @property
    def data_dir(self):
        return DATA_DIRS[self.dataset]

    @property
    def key(self):
        """The results' name: 'accuracy' for the seed on MNIST, else accuracy-DATASET-RECIPE."""
        if (self.dataset, self.recipe) == ("mnist", "seed"):
            return "accuracy"
        return f"accuracy-{self.dataset}-{self.recipe}"


SEED_WORKLOAD = Workload()


class Contender:
    key = ""
    label = ""
    workload = SEED_WORKLOAD
    precision = "fp32"
    # Why it is not at the settings the others share (None: it is); such a row is shown, but no
    # "ours / theirs" ratio is claimed against it.
    not_comparable = None

    def on(self, workload):
        """This contender training `workload` (a copy; the shared instances stay on the seed)."""
        other = copy.copy(self)
        other.workload = workload
        return other

    def unavailable(self):
        """None when it can run here, else why not (recorded in the report)."""
        return None

    def command(self, epochs, limit, seed, batch, workdir):
        """(argv, extra environment) of one training run; a None value unsets the variable."""
        raise NotImplementedError

    def parse(self, stdout, workdir):
        """{'epoch_seconds': [...], 'test_accuracy': x, 'train_samples': n} of a finished run."""
        raise NotImplementedError

    def display_command(self, epochs, limit, seed, batch):
        argv, env = self.command(epochs, limit, seed, batch, "OUT")
        unset = [f"-u {k}" for k, v in env.items() if v is None]
        prefix = " ".join((["env", *unset] if unset else [])
                          + [f"{k}={v}" for k, v in env.items() if v is not None])
        text = " ".join(shlex.quote(os.path.relpath(a, paths.ROOT) if a.startswith(paths.ROOT)
                                    else a) for a in argv)
        return (prefix + " " + text).strip()


def _java_opts():
    return shlex.split(os.environ.get("JAVA_OPTS", ""))


class OpenMp:
    """The OpenMP settings of the peers built on it: one thread per core, a wait policy."""

    wait_policy = "PASSIVE"

    @classmethod
    def env(cls):
        return {"OMP_NUM_THREADS": str(threads()), "OMP_WAIT_POLICY": cls.wait_policy}


def threads():
    """Threads for the peers that take a count: one per core, as TensorFlow uses by default."""
    return os.cpu_count() or 1


def set_omp_wait_policy(policy):
    if policy not in OMP_WAIT_POLICIES:
        raise ValueError(f"unknown OpenMP wait policy {policy!r}; "
                         f"known: {', '.join(OMP_WAIT_POLICIES)}")
    OpenMp.wait_policy = policy


class Jar(Contender):
    """Our trainer, `java -jar target/mnist-cnn.jar train`; times from its provenance.json."""

    key, label = "jar", "mnist-cnn (TF Java 1.1.0) fp32"
    # Always said: the jar's default (auto) picks bf16 on CPUs with AMX or AVX512_BF16.
    precision = "fp32"

    def unavailable(self):
        return None if os.path.isfile(paths.JAR) else "target/mnist-cnn.jar missing (mvn package)"

    def command(self, epochs, limit, seed, batch, workdir):
        argv = ["java", *_java_opts(), "-jar", paths.JAR, "train", "--epochs", str(epochs),
                "--seed", str(seed), "--batch-size", str(batch),
                "--output", os.path.join(workdir, "model")]
        if limit:
            argv += ["--limit", str(limit)]
        if self.workload.dataset != "mnist":
            argv += ["--dataset", self.workload.dataset]
        if self.workload.recipe != "seed":
            argv += ["--recipe", self.workload.recipe]
        argv += ["--precision", self.precision]
        # The variables the jar's launcher sets where unset (oneDNN on, a pool per session), all
        # set here: no relaunch, so the measured process is the training JVM itself.
        return argv, {"TF_CPP_MIN_LOG_LEVEL": "2", ONEDNN: "1",
                      "TF_OVERRIDE_GLOBAL_THREADPOOL": "1"}

    def parse(self, stdout, workdir):
        with open(os.path.join(workdir, "model", "provenance.json")) as f:
            results = json.load(f)["results"]
        history = results["history"]
        return {"epoch_seconds": [e["seconds"] for e in history],
                "test_accuracy": results["test_accuracy"],
                "train_samples": _train_samples(stdout)}


def _train_samples(stdout):
    # "Training on 60,000 images, validating on 10,000 (mnist), ..."
    for line in stdout.splitlines():
        if line.startswith("Training on "):
            return int(line.split()[2].replace(",", ""))
    raise ValueError("no 'Training on N images' line in the trainer's output")


class JarBf16(Jar):
    key, label = "jar-bf16", "mnist-cnn (TF Java 1.1.0) bf16"
    precision = "bf16"

    def unavailable(self):
        missing = super().unavailable()
        if missing:
            return missing
        if not machine.has_bf16():
            return NOT_ON_THIS_CPU
        help_text = subprocess.run(["java", "-jar", paths.JAR, "train", "--help"],
                                   capture_output=True, text=True).stdout
        return None if "--precision" in help_text else "this jar has no train --precision option"


class KerasSeed(Contender):
    """tools/reference/keras_seed.py --json; times from its EpochTimer callback. oneDNN on, as in
    our jar."""

    key, label = "keras", "Keras 3 on TensorFlow (Python) fp32"
    python, backend, extra = paths.VENV_PYTHON, "tensorflow", ()
    onednn = "1"
    setup = "tools/setup.sh"

    def unavailable(self):
        return None if os.path.exists(self.python) else (
            f"{os.path.relpath(self.python, paths.ROOT)} missing ({self.setup})")

    def command(self, epochs, limit, seed, batch, workdir):
        script = KERAS_SCRIPTS[self.workload.recipe]
        argv = [self.python, script, "--json", "--data", self.workload.data_dir,
                "--epochs", str(epochs), "--seed", str(seed), "--batch-size", str(batch),
                *self.extra]
        if limit:
            argv += ["--limit", str(limit)]
        env = {"KERAS_BACKEND": self.backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
        if self.backend == "tensorflow":
            env[ONEDNN] = self.onednn
        return argv, env

    def parse(self, stdout, workdir):
        return _json_line_result(stdout)


# The Keras twin of each recipe.
KERAS_SCRIPTS = {"seed": paths.KERAS_SEED, "augmented": paths.KERAS_AUGMENTED}


class KerasBf16(KerasSeed):
    key, label = "keras-bf16", "Keras 3 on TensorFlow (Python) mixed_bfloat16"
    extra = ("--mixed-bfloat16",)
    precision = "bf16"

    def unavailable(self):
        return super().unavailable() or (None if machine.has_bf16() else NOT_ON_THIS_CPU)


class KerasTfDefault(KerasSeed):
    """Keras with TensorFlow's own oneDNN default (the variable unset): not at equal settings."""

    key = "keras-tfdefault"
    label = "Keras 3 on TensorFlow (Python) fp32 (TensorFlow default oneDNN setting)"
    onednn = None
    not_comparable = "TensorFlow's default oneDNN setting, not the one the others run with"


class KerasXla(KerasSeed):
    """Keras with its train step compiled by XLA (jit_compile=True), a setting its users can flip:
    Keras's "auto" turns XLA on only where there is an accelerator."""

    key, label = "keras-xla", "Keras 3 on TensorFlow (Python) fp32, XLA"
    extra = ("--jit-compile",)

    def unavailable(self):
        return super().unavailable() or (
            None if self.workload.recipe == "seed" else "XLA is wired for the seed recipe only")


class KerasJax(KerasSeed):
    key, label = "jax", "Keras 3 on JAX (Python) fp32"
    python, backend = paths.JAX_PYTHON, "jax"
    setup = PEERS_SETUP


class JsonLinePeer(Contender):
    """A peer of ours run as a program that prints keras_seed.py's final JSON line; OpenMP-based."""

    artifact = ""  # the file that must exist (interpreter or jar)
    missing = ""   # what to say when it does not
    extra = ()     # arguments after the shared ones

    def unavailable(self):
        return None if os.path.exists(self.artifact) else f"{self.missing} ({PEERS_SETUP})"

    def program(self):
        """The argv before the shared --json --data ... arguments."""
        raise NotImplementedError

    def command(self, epochs, limit, seed, batch, workdir):
        argv = [*self.program(), "--json", "--data", self.workload.data_dir,
                "--epochs", str(epochs), "--seed", str(seed), "--batch-size", str(batch),
                *self.extra]
        if limit:
            argv += ["--limit", str(limit)]
        return argv, OpenMp.env()

    def parse(self, stdout, workdir):
        return _json_line_result(stdout)


class Torch(JsonLinePeer):
    """tools/reference/torch_seed.py --json in tools/.venv-torch: PyTorch eager mode on the CPU."""

    key, label = "torch", "PyTorch (Python) fp32"
    artifact, missing = paths.TORCH_PYTHON, "tools/.venv-torch missing"

    @property
    def extra(self):
        return ("--threads", str(threads()))

    def program(self):
        return [paths.TORCH_PYTHON, paths.TORCH_SEED]


class Djl(JsonLinePeer):
    """tools/bench/djl: the seed CNN in DJL 0.36.0 on its PyTorch engine (libtorch 2.7.1)."""

    key, label = "djl", "DJL 0.36.0 on PyTorch 2.7.1 (Java) fp32"
    artifact, missing = paths.DJL_JAR, "tools/bench/djl/target/bench-djl.jar missing"

    @property
    def extra(self):
        return ("--threads", str(threads()))

    def program(self):
        # Offline: DJL must take libtorch from the pytorch-native-cpu jar, never download one.
        return ["java", *_java_opts(), "-Dai.djl.offline=true", "-jar", paths.DJL_JAR]


class Dl4j(JsonLinePeer):
    """tools/bench/dl4j: the seed CNN as a DL4J MultiLayerNetwork, NHWC (faster than NCHW here).
    ND4J's native code runs on OpenMP too."""

    key, label = "dl4j", "Deeplearning4j 1.0.0-M2.1 fp32"
    artifact, missing = paths.DL4J_JAR, "tools/bench/dl4j/target/bench-dl4j.jar missing"

    def program(self):
        return ["java", *_java_opts(), "-jar", paths.DL4J_JAR, "--format", "NHWC"]


def _json_line_result(stdout):
    """The final JSON line that keras_seed.py, torch_seed.py, bench-dl4j and bench-djl print."""
    result = json.loads(stdout.strip().splitlines()[-1])
    return {"epoch_seconds": result["epoch_seconds"],
            "test_accuracy": result["test_accuracy"],
            "train_samples": result["train_samples"]}


ALL = [Jar(), JarBf16(), KerasSeed(), KerasBf16(), KerasTfDefault(), KerasXla(), KerasJax(),
       Torch(), Djl(), Dl4j()]
# The fp32 references of the accuracy mode (bf16, TensorFlow's default and XLA are speed rows only).
SPEED_ONLY = ("keras-bf16", "keras-tfdefault", "keras-xla")


def select(only):
    """Contenders named in --only (a family name such as 'keras' also picks 'keras-bf16',
    'keras-tfdefault' and 'keras-xla')."""
    if not only:
        return list(ALL)
    names = [n.strip() for n in only.split(",") if n.strip()]
    known = {c.key for c in ALL}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown contender(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    return [c for c in ALL if any(c.key == n or c.key.startswith(n + "-") for n in names)]

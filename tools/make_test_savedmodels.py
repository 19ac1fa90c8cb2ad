"""Writes SavedModels for the op-allowlist tests: a Keras ``model.export()`` of the seed CNN, and
"evil" models whose graphs hold ops a model file should not run.

Usage: python tools/make_test_savedmodels.py OUT_DIR TARGET_FILE

Every evil model, if run, writes or reads TARGET_FILE, so a test can check nothing was written.
Prints one JSON line naming the directories written.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tensorflow as tf  # noqa: E402
from keras_seed import build_model  # noqa: E402

IMAGES = tf.TensorSpec([None, 28, 28, 1], tf.float32, name="x")



def probabilities(x):
    """A valid classifier output: softmax over ten pixel sums."""
    flat = tf.reshape(x, [-1, 784])
    return tf.nn.softmax(tf.matmul(flat, tf.ones([784, 10])))


def save_module(path, fn):
    module = tf.Module()
    module.serve = tf.function(fn, input_signature=[IMAGES])
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})


def write_file(target):
    def fn(x):
        with tf.control_dependencies([tf.io.write_file(target, "written by a model file")]):
            return {"probabilities": tf.identity(probabilities(x))}

    return fn


def read_file(target):
    def fn(x):
        length = tf.strings.length(tf.io.read_file(target))
        return {"probabilities": probabilities(x) + tf.cast(length, tf.float32) * 0.0}

    return fn


def py_func(target):
    def touch(x):
        with open(target, "w") as f:
            f.write("written by a Python function in a model file")
        return x

    def fn(x):
        y = tf.py_function(touch, [x], tf.float32)
        y.set_shape([None, 28, 28, 1])
        return {"probabilities": probabilities(y)}

    return fn


def save_checkpoint(target):
    """SaveV2 is in every SavedModel (its saver), but a signature must not reach it."""

    def fn(x):
        save = tf.raw_ops.SaveV2(
            prefix=target, tensor_names=["x"], shape_and_slices=[""], tensors=[x]
        )
        with tf.control_dependencies([save]):
            return {"probabilities": tf.identity(probabilities(x))}

    return fn


def restore_checkpoint(target):
    """RestoreV2 reads any checkpoint by path: only the loader's restore op may use it."""

    def fn(x):
        (restored,) = tf.raw_ops.RestoreV2(
            prefix=target, tensor_names=["x"], shape_and_slices=[""], dtypes=[tf.float32]
        )
        with tf.control_dependencies([restored]):
            return {"probabilities": tf.identity(probabilities(x))}

    return fn


def benign_unlisted(x):
    """Cumsum: harmless, but not an op this kind of model needs."""
    flat = tf.reshape(x, [-1, 784])
    return {"probabilities": tf.nn.softmax(tf.math.cumsum(flat[:, :10], axis=1))}


def tf1_main_op(path, make_main_op):
    """A TF1 SavedModel with a main_op, run by TensorFlow's loader when the model is loaded."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="x")
        w = tf.compat.v1.get_variable("w", initializer=tf.ones([784, 10]))
        y = tf.nn.softmax(tf.matmul(tf.reshape(x, [-1, 784]), w), name="probabilities")
        main_op = make_main_op(w)
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            builder = tf.compat.v1.saved_model.Builder(path)
            signature = tf.compat.v1.saved_model.predict_signature_def(
                {"x": x}, {"probabilities": y})
            builder.add_meta_graph_and_variables(
                sess,
                ["serve"],
                signature_def_map={"serving_default": signature},
                main_op=main_op,
            )
            builder.save()


def main(argv):
    out, target = argv[1], argv[2]
    written = {}

    def path(name):
        written[name] = os.path.join(out, name)
        return written[name]

    build_model().export(path("keras-export"), verbose=False)
    save_module(path("write-file"), write_file(target))
    save_module(path("read-file"), read_file(target))
    save_module(path("py-func"), py_func(target))
    save_module(path("save-in-signature"), save_checkpoint(target))
    save_module(path("restore-in-signature"), restore_checkpoint(target))
    save_module(path("benign-unlisted"), benign_unlisted)
    tf1_main_op(path("main-op"), lambda w: tf.io.write_file(target, "written by a main_op"))
    # Only listed ops, but a main_op that overwrites the weights at load time is refused too.
    tf1_main_op(path("assign-main-op"), lambda w: tf.group(w.assign(tf.zeros([784, 10]))))
    print(json.dumps(written))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

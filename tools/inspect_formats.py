#!/usr/bin/env python3
"""Dump the exact on-disk structure of Keras model files as Markdown.

Used to (re)generate the reference sections of ``tools/FORMATS-OBSERVED.md``
for the Java developers who write/read these formats.

    inspect_formats.py keras  FILE.keras   # zip members, config.json, metadata.json,
                                           # model.weights.h5 HDF5 tree
    inspect_formats.py h5     FILE.h5      # legacy HDF5 tree incl. root attributes
    inspect_formats.py savedmodel DIR      # signatures, tensor names, checkpoint keys

HDF5 details printed per object: groups, datasets (shape, numpy dtype, HDF5
type class, storage layout, chunks, compression, fill) and every attribute with
its HDF5 datatype (string kind: fixed/variable length, charset, padding) and
value.  JSON-valued string attributes (``model_config``, ``training_config``)
are pretty-printed in full.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import numpy as np  # noqa: E402

_CSET = {h5py.h5t.CSET_ASCII: "ASCII", h5py.h5t.CSET_UTF8: "UTF-8"}
_STRPAD = {h5py.h5t.STR_NULLTERM: "NULLTERM", h5py.h5t.STR_NULLPAD: "NULLPAD",
           h5py.h5t.STR_SPACEPAD: "SPACEPAD"}
_CLASS = {h5py.h5t.INTEGER: "INTEGER", h5py.h5t.FLOAT: "FLOAT", h5py.h5t.STRING: "STRING",
          h5py.h5t.COMPOUND: "COMPOUND", h5py.h5t.ENUM: "ENUM", h5py.h5t.ARRAY: "ARRAY",
          h5py.h5t.VLEN: "VLEN", h5py.h5t.OPAQUE: "OPAQUE", h5py.h5t.REFERENCE: "REFERENCE",
          h5py.h5t.BITFIELD: "BITFIELD"}
_LAYOUT = {h5py.h5d.COMPACT: "COMPACT", h5py.h5d.CONTIGUOUS: "CONTIGUOUS",
           h5py.h5d.CHUNKED: "CHUNKED"}


def h5type(tid) -> str:
    """Human description of an HDF5 datatype id."""
    cls = tid.get_class()
    name = _CLASS.get(cls, str(cls))
    if cls == h5py.h5t.STRING:
        if tid.is_variable_str():
            return f"STRING variable-length, cset={_CSET.get(tid.get_cset())}"
        return (f"STRING fixed size={tid.get_size()}, cset={_CSET.get(tid.get_cset())}, "
                f"pad={_STRPAD.get(tid.get_strpad())}")
    if cls in (h5py.h5t.INTEGER, h5py.h5t.FLOAT):
        order = "LE" if tid.get_order() == h5py.h5t.ORDER_LE else "BE"
        extra = ""
        if cls == h5py.h5t.INTEGER:
            extra = ", signed" if tid.get_sign() == h5py.h5t.SGN_2 else ", unsigned"
        return f"{name} {tid.get_size() * 8}-bit {order}{extra}"
    return f"{name} size={tid.get_size()}"


def attr_lines(obj, indent: str, json_attrs: dict) -> list[str]:
    out = []
    for name in obj.attrs:
        aid = obj.attrs.get_id(name)
        space = aid.get_space()
        shape = space.shape if space.get_simple_extent_type() == h5py.h5s.SIMPLE else ()
        stype = "scalar" if space.get_simple_extent_type() == h5py.h5s.SCALAR else f"shape={shape}"
        value = obj.attrs[name]
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        if isinstance(value, str) and value[:1] in "{[" and len(value) > 80:
            try:
                json_attrs[f"{obj.name}@{name}"] = json.loads(value)
                shown = f"<JSON, {len(value)} chars, shown below>"
            except ValueError:
                shown = repr(value)
        elif isinstance(value, np.ndarray):
            shown = repr([v.decode() if isinstance(v, bytes) else v for v in value.tolist()])
        else:
            shown = repr(value)
        out.append(f"{indent}@{name}: [{h5type(aid.get_type())}, {stype}] = {shown}")
    return out


def h5_tree(f: h5py.File) -> tuple[str, dict]:
    """Return (tree text, {attr path: parsed JSON}) for an open h5py File."""
    lines: list[str] = []
    json_attrs: dict = {}

    def visit(obj, depth):
        ind = "  " * depth
        if isinstance(obj, h5py.Dataset):
            dcpl = obj.id.get_create_plist()
            layout = _LAYOUT.get(dcpl.get_layout(), "?")
            lines.append(f"{ind}{obj.name.split('/')[-1]}  DATASET shape={obj.shape} "
                         f"dtype={obj.dtype} [{h5type(obj.id.get_type())}] layout={layout} "
                         f"chunks={obj.chunks} compression={obj.compression}")
            lines.extend(attr_lines(obj, ind + "  ", json_attrs))
            return
        label = "/" if obj.name == "/" else obj.name.split("/")[-1] + "/"
        order = obj.id.get_create_plist().get_link_creation_order()
        tracked = " (link creation order tracked)" if order else ""
        lines.append(f"{ind}{label}  GROUP{tracked}")
        lines.extend(attr_lines(obj, ind + "  ", json_attrs))
        # HDF5 stores links by name; show numeric names ("0".."17") numerically.
        keys = sorted(obj.keys(), key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))
        for key in keys:
            visit(obj[key], depth + 1)

    visit(f, 0)
    return "\n".join(lines), json_attrs


def superblock_version(raw: bytes) -> int | None:
    sig = b"\x89HDF\r\n\x1a\n"
    for off in (0, 512, 1024, 2048):
        if raw[off:off + 8] == sig:
            return raw[off + 8]
    return None


def h5_section(title: str, raw: bytes) -> str:
    with h5py.File(io.BytesIO(raw), "r") as f:
        tree, json_attrs = h5_tree(f)
        libver = f.libver
    parts = [f"### {title}\n",
             f"HDF5 superblock version: {superblock_version(raw)}; file size {len(raw)} bytes; "
             f"h5py libver bounds when read: {libver}\n",
             "```text", tree, "```\n"]
    for key, val in json_attrs.items():
        parts += [f"JSON attribute `{key}` (pretty-printed; stored as one string):\n",
                  "```json", json.dumps(val, indent=2), "```\n"]
    return "\n".join(parts)


def cmd_keras(path: str) -> str:
    out = [f"## `.keras` file: `{os.path.basename(path)}`\n"]
    with zipfile.ZipFile(path) as z:
        rows = ["| # | name | size | compress_type | date_time | flag_bits | create_system | "
                "external_attr |", "|---|---|---|---|---|---|---|---|"]
        for i, info in enumerate(z.infolist()):
            rows.append(f"| {i} | `{info.filename}` | {info.file_size} | {info.compress_type} "
                        f"| {info.date_time} | {info.flag_bits} | {info.create_system} "
                        f"| {oct(info.external_attr >> 16)} |")
        out += ["Zip members (compress_type 0 = STORED, 8 = DEFLATED):\n", "\n".join(rows), ""]
        members = {i.filename: z.read(i) for i in z.infolist()}
    if "metadata.json" in members:
        out += ["### metadata.json (raw bytes as written)\n", "```json",
                members["metadata.json"].decode(), "```\n"]
    if "config.json" in members:
        out += ["### config.json (pretty-printed; the file itself is one compact line, "
                f"{len(members['config.json'])} bytes)\n", "```json",
                json.dumps(json.loads(members["config.json"]), indent=2), "```\n"]
    if "model.weights.h5" in members:
        out.append(h5_section("model.weights.h5 HDF5 tree", members["model.weights.h5"]))
    return "\n".join(out)


def cmd_h5(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    return h5_section(f"Legacy HDF5 file `{os.path.basename(path)}`", raw)


def cmd_savedmodel(path: str) -> str:
    import tensorflow as tf
    from tensorflow.core.protobuf import saved_model_pb2

    out = [f"## SavedModel directory `{os.path.basename(os.path.normpath(path))}`\n"]
    files = []
    for root, _, names in os.walk(path):
        for n in sorted(names):
            p = os.path.join(root, n)
            files.append(f"{os.path.relpath(p, path)}  ({os.path.getsize(p)} bytes)")
        if not names:
            files.append(os.path.relpath(root, path) + "/  (empty dir)")
    out += ["Files:\n", "```text", "\n".join(sorted(files)), "```\n"]

    sm = saved_model_pb2.SavedModel()
    with open(os.path.join(path, "saved_model.pb"), "rb") as fh:
        sm.ParseFromString(fh.read())
    lines = [f"saved_model_schema_version: {sm.saved_model_schema_version}"]
    for mg in sm.meta_graphs:
        info = mg.meta_info_def
        lines.append(f"meta_graph tags={list(info.tags)} "
                     f"tensorflow_version={info.tensorflow_version} "
                     f"tensorflow_git_version={info.tensorflow_git_version}")
        for key in sorted(mg.signature_def):
            sd = mg.signature_def[key]
            lines.append(f"  signature_def[{key!r}] method_name={sd.method_name!r}")
            for kind, m in (("input", sd.inputs), ("output", sd.outputs)):
                for k in sorted(m):
                    ti = m[k]
                    dims = [d.size for d in ti.tensor_shape.dim]
                    shape = "unknown_rank" if ti.tensor_shape.unknown_rank else dims
                    dtype = tf.dtypes.as_dtype(ti.dtype).name if ti.dtype else "DT_INVALID"
                    lines.append(f"    {kind} {k!r}: name={ti.name!r} "
                                 f"dtype={dtype} "
                                 f"shape={shape}")
    out += ["Parsed `saved_model.pb` (tags, signatures, graph tensor names):\n",
            "```text", "\n".join(lines), "```\n"]

    loaded = tf.saved_model.load(path)
    lines = []
    for key, fn in loaded.signatures.items():
        args, kwargs = fn.structured_input_signature
        lines.append(f"signatures[{key!r}]: args={args} kwargs={kwargs}")
        lines.append(f"  structured_outputs={fn.structured_outputs}")
    lines.append(f"attributes of loaded object: "
                 f"{sorted(a for a in dir(loaded) if not a.startswith('_'))}")
    out += ["`tf.saved_model.load(dir)` view:\n", "```text", "\n".join(lines), "```\n"]

    ckpt = os.path.join(path, "variables", "variables")
    rows = [f"{name}  shape={shape}" for name, shape in tf.train.list_variables(ckpt)]
    out += ["Checkpoint keys in `variables/` (`tf.train.list_variables`):\n",
            "```text", "\n".join(rows), "```\n"]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=("keras", "h5", "savedmodel"))
    p.add_argument("path")
    args = p.parse_args(argv)
    fn = {"keras": cmd_keras, "h5": cmd_h5, "savedmodel": cmd_savedmodel}[args.kind]
    print(fn(args.path))
    return 0


if __name__ == "__main__":
    sys.exit(main())

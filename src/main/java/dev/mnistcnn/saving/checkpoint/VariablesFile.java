package dev.mnistcnn.saving.checkpoint;

import dev.mnistcnn.graph.VariableValue;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint's {@code variables.bin}: every variable's name, shape and float32 values, raw and
 * big-endian so that a restore is bit-exact. Pure data: reading it builds arrays, nothing runs.
 * Read only after its SHA-256 matched the one in {@code meta.json}; still bounds-checked, so a
 * crafted file cannot make it allocate more than the file holds.
 */
final class VariablesFile {
  private static final int MAGIC = 0x4d4e434b; // "MNCK"
  private static final int VERSION = 1;
  private static final int MAX_RANK = 8;
  private static final int MAX_NAME_BYTES = 1024;

  private VariablesFile() {}

  static byte[] encode(Map<String, VariableValue> variables) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(variables.size());
      for (Map.Entry<String, VariableValue> e : variables.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        long[] shape = e.getValue().shape();
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        for (float f : e.getValue().values()) {
          out.writeInt(Float.floatToRawIntBits(f));
        }
      }
    }
    return bytes.toByteArray();
  }

  /** The variables in {@code bytes}; an {@link IOException} names what is wrong. */
  static Map<String, VariableValue> decode(byte[] bytes) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (in.getInt() != MAGIC || in.getInt() != VERSION) {
        throw new IOException("not a variables file of this version");
      }
      int count = in.getInt();
      Map<String, VariableValue> out = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[bounded(in.getInt(), MAX_NAME_BYTES, in)];
        in.get(name);
        long[] shape = new long[bounded(in.getInt(), MAX_RANK, in)];
        long size = 1;
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.getLong();
          if (shape[d] < 0) {
            throw new IOException("negative dimension");
          }
          size = Math.multiplyExact(size, shape[d]);
        }
        if (size > in.remaining() / Float.BYTES) {
          throw new IOException("a variable is larger than the file");
        }
        float[] values = new float[(int) size];
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * Float.BYTES);
        String key = new String(name, StandardCharsets.UTF_8);
        if (out.put(key, new VariableValue(shape, values)) != null) {
          throw new IOException("variable " + key + " twice");
        }
      }
      if (in.hasRemaining()) {
        throw new IOException("trailing bytes");
      }
      return out;
    } catch (BufferUnderflowException | ArithmeticException e) {
      throw new IOException("truncated variables file", e);
    }
  }

  private static int bounded(int n, int max, ByteBuffer in) throws IOException {
    if (n < 0 || n > max || n > in.remaining()) {
      throw new IOException("implausible length " + n);
    }
    return n;
  }
}

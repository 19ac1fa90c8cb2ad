package dev.mnistcnn.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Keras layer's {@code config} dict being read: typed getters that name the layer and key in
 * every error, and checks that refuse settings this program does not implement rather than silently
 * computing something else. Unknown keys are ignored, as Keras versions add them.
 */
public final class LayerConfig {
  private final String className;
  private final Map<String, Object> values;

  /** Keys a getter or check has looked at: a key nobody looked at does nothing. */
  private final Set<String> consulted = new HashSet<>();

  public LayerConfig(String className, Map<String, Object> values) {
    this.className = className;
    this.values = values;
  }

  private Object value(String key) {
    consulted.add(key);
    return values.get(key);
  }

  private Object valueOr(String key, Object fallback) {
    consulted.add(key);
    return values.getOrDefault(key, fallback);
  }

  /** The keys given that no getter or check has read so far, in sorted order. */
  public Set<String> unread() {
    Set<String> unread = new TreeSet<>(values.keySet());
    unread.removeAll(consulted);
    return unread;
  }

  public String className() {
    return className;
  }

  public String name() {
    Object n = value("name");
    return n == null ? null : n.toString();
  }

  private IllegalArgumentException error(String message) {
    String who = name() == null ? className : "layer '" + name() + "' (" + className + ")";
    return new IllegalArgumentException(who + ": " + message);
  }

  /** An int, refused (with the value as read) when it is fractional or outside the int range. */
  public int getInt(String key) {
    return toInt(key, value(key));
  }

  private int toInt(String key, Object v) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Number n) {
      try {
        return new java.math.BigDecimal(n.toString()).intValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw error("expected an integer '" + key + "' within 32 bits, got " + v);
      }
    }
    throw error("expected an integer '" + key + "', got " + v);
  }

  /** A number, or {@code fallback} when absent or null. */
  public double getDouble(String key, double fallback) {
    return value(key) == null ? fallback : getDouble(key);
  }

  /** A boolean, or {@code fallback} when absent or null. */
  public boolean getBoolean(String key, boolean fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw error("expected true or false for '" + key + "', got " + v);
  }

  /** {@code padding}: valid (the default) or same. */
  public Padding getPadding() {
    Object v = valueOr("padding", "valid");
    try {
      return Padding.fromKerasName(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /**
   * An axis: an int, or a one-element list as legacy Keras wrote it; {@code fallback} if absent.
   */
  public int getAxis(String key, int fallback) {
    Object v = value(key);
    if (v instanceof List<?> list && list.size() == 1) {
      v = list.get(0);
    }
    return v == null ? fallback : toInt(key, v);
  }

  /**
   * A pair of int pairs such as ZeroPadding2D's {@code ((top, bottom), (left, right))}; an int
   * means all four, a pair of ints (h, w) means symmetric; {@code fallback} on every side if
   * absent.
   */
  public int[][] getPairOfPairs(String key, int fallback) {
    Object v = value(key);
    if (v instanceof List<?> list
        && list.size() == 2
        && list.get(0) instanceof List<?> h
        && list.get(1) instanceof List<?> w
        && h.size() == 2
        && w.size() == 2) {
      return new int[][] {
        {toInt(key, h.get(0)), toInt(key, h.get(1))}, {toInt(key, w.get(0)), toInt(key, w.get(1))}
      };
    }
    int[] hw = getPair(key, new int[] {fallback, fallback});
    return new int[][] {{hw[0], hw[0]}, {hw[1], hw[1]}};
  }

  /** A list of ints such as {@code target_shape}. */
  public List<Integer> getIntList(String key) {
    if (!(value(key) instanceof List<?> list)) {
      throw error("expected a list of integers '" + key + "', got " + value(key));
    }
    return list.stream().map(v -> toInt(key, v)).toList();
  }

  /** The raw value of {@code key}, null when absent. */
  public Object get(String key) {
    return value(key);
  }

  public double getDouble(String key) {
    if (value(key) instanceof Number n) {
      return n.doubleValue();
    }
    throw error("expected a number '" + key + "', got " + value(key));
  }

  /** An int pair such as {@code kernel_size}; a single int means both (Keras accepts both). */
  public int[] getPair(String key, int[] fallback) {
    Object v = value(key);
    if (v == null) {
      if (fallback != null) {
        return fallback;
      }
      throw error("missing '" + key + "'");
    }
    if (v instanceof Number) {
      int n = getInt(key);
      return new int[] {n, n};
    }
    if (v instanceof List<?> list
        && list.size() == 2
        && list.stream().allMatch(Number.class::isInstance)) {
      return new int[] {toInt(key, list.get(0)), toInt(key, list.get(1))};
    }
    throw error("expected a pair of integers '" + key + "', got " + v);
  }

  public ActivationFunction getActivation(String key) {
    Object v = valueOr(key, "linear");
    if (v == null) {
      return ActivationFunction.LINEAR;
    }
    if (!(v instanceof String s)) {
      throw error("only built-in activations by name are supported, got " + v);
    }
    try {
      return ActivationFunction.fromKerasName(s);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /** Refuses a key whose value differs from the one value this program implements. */
  public void require(String key, Object supported) {
    Object v = value(key);
    if (v == null) {
      return;
    }
    Object normalised = v instanceof Number && supported instanceof Integer ? toInt(key, v) : v;
    if (!Objects.equals(normalised, supported)) {
      throw error("unsupported " + key + "=" + v + " (only " + supported + " is supported)");
    }
  }

  /** Refuses an int-pair key unless it equals {@code supported}. */
  public void requirePair(String key, int[] supported) {
    if (value(key) == null) {
      return;
    }
    int[] v = getPair(key, null);
    if (v[0] != supported[0] || v[1] != supported[1]) {
      throw error(
          "unsupported "
              + key
              + "="
              + value(key)
              + " (only ["
              + supported[0]
              + ", "
              + supported[1]
              + "] is supported)");
    }
  }

  /** Refuses keys that are present and non-null (regularizers, constraints, ...). */
  public void requireAbsent(String... keys) {
    for (String key : keys) {
      if (value(key) != null) {
        throw error("unsupported " + key + "=" + value(key));
      }
    }
  }

  /** Refuses the regularizers and constraints of a weighted layer: this program has none. */
  public void requireNoRegularizers() {
    requireAbsent(Shapes.REGULARIZER_KEYS.toArray(String[]::new));
  }

  /** Channels-first models are refused: the program is channels last throughout. */
  public void requireChannelsLast() {
    Object v = value("data_format");
    if (v != null && !"channels_last".equals(v)) {
      throw error("data_format=" + v + " is not supported; re-save the model channels_last");
    }
  }
}

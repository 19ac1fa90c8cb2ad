package dev.mnistcnn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Keras-style {@code model.summary()} table, derived from the spec alone. */
public final class ModelSummary {
  private ModelSummary() {}

  public static String render(ModelSpec spec) {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < spec.layers().size(); i++) {
      Layer layer = spec.layers().get(i);
      List<Integer> in = spec.inputShapeOf(i);
      long params = layer.weights(in).stream().mapToLong(WeightSpec::size).sum();
      rows.add(
          new String[] {
            layer.name() + " (" + layer.kerasClass() + ")",
            "(None, " + Shapes.join(layer.outputShape(in)) + ")",
            String.format(Locale.ROOT, "%,d", params)
          });
    }
    String[] header = {"Layer (type)", "Output Shape", "Param #"};
    int[] width = {header[0].length(), header[1].length(), header[2].length()};
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    width[0] += 4;
    width[1] += 4;
    int total = width[0] + width[1] + width[2];
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(spec.name()).append("\"\n");
    sb.append("_".repeat(total)).append('\n');
    appendRow(sb, header, width);
    sb.append("=".repeat(total)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      appendRow(sb, rows.get(i), width);
      sb.append((i == rows.size() - 1 ? "=" : "_").repeat(total)).append('\n');
    }
    long count = spec.parameterCount();
    long frozen = spec.nonTrainableParameterCount();
    sb.append(
        String.format(
            Locale.ROOT,
            "Total params: %,d (%.2f KB)%nTrainable params: %,d%nNon-trainable params: %,d%n",
            count,
            count * 4 / 1024.0,
            count - frozen,
            frozen));
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] r, int[] width) {
    sb.append(pad(r[0], width[0])).append(pad(r[1], width[1]));
    sb.append(" ".repeat(width[2] - r[2].length())).append(r[2]).append('\n');
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}

package dev.mnistcnn.serve.models;

/**
 * Which version a request asks for, TF Serving's {@code ModelSpec}: by number, by label, or the
 * newest available when both are null (at most one of them is given).
 *
 * @param name the model's name
 * @param version a version number, or null
 * @param label a version label (e.g. "stable"), or null
 */
public record ModelSpec(String name, Long version, String label) {
  public ModelSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("model name must be given");
    }
    if (version != null && label != null) {
      throw new IllegalArgumentException("give a version or a label, not both");
    }
  }

  public static ModelSpec latest(String name) {
    return new ModelSpec(name, null, null);
  }

  /** TF Serving's wording of this request in its "Servable not found" errors. */
  public String describe() {
    if (version != null) {
      return "Specific(" + name + ", " + version + ")";
    }
    return label != null ? "Label(" + name + ", " + label + ")" : "Latest(" + name + ")";
  }
}

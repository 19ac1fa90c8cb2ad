package dev.mnistcnn.saving.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Versions of everything that shaped a model. Ours name this program and the runtime; a file Keras
 * wrote names only Keras.
 *
 * @param cpu the CPU's summary: the kernels TensorFlow picks, so a model's speed and last bits,
 *     follow it
 * @param onednn whether oneDNN kernels were on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Versions(
    @JsonProperty("mnist-cnn") String mnistCnn,
    String tensorflow,
    @JsonProperty("tensorflow-java") String tensorflowJava,
    String java,
    String os,
    String cpu,
    String onednn,
    String keras) {

  /** What a file made by Keras says of itself. */
  public static Versions keras(String version) {
    return new Versions(null, null, null, null, null, null, null, version);
  }

  /** True for records this program wrote: they name it. */
  public boolean madeHere() {
    return mnistCnn != null;
  }
}

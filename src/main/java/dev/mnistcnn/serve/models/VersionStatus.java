package dev.mnistcnn.serve.models;

/**
 * One entry of TF Serving's {@code model_version_status}.
 *
 * @param version the version number
 * @param state its life-cycle state
 * @param errorCode "OK", or a canonical gRPC code name (e.g. "UNKNOWN", "INVALID_ARGUMENT") when
 *     its load failed
 * @param errorMessage empty when OK
 */
public record VersionStatus(long version, State state, String errorCode, String errorMessage) {
  /** TF Serving's {@code ModelVersionStatus.State}, with its proto numbers. */
  public enum State {
    UNKNOWN(0),
    START(10),
    LOADING(20),
    AVAILABLE(30),
    UNLOADING(40),
    END(50);

    public final int number;

    State(int number) {
      this.number = number;
    }
  }

  public static VersionStatus ok(long version, State state) {
    return new VersionStatus(version, state, "OK", "");
  }
}

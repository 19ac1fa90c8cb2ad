package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import java.util.List;

/**
 * One model, one version, loaded for the server's whole life: {@code serve --model DIR}. Answers as
 * TF Serving does for a lone export numbered 1.
 */
public final class SingleModel implements ServedModels {
  /** A lone export is version 1, as TF Serving numbers it. */
  public static final long VERSION = 1;

  private final String name;
  private final Predictor predictor;
  private final Inference inference;

  public SingleModel(String name, Predictor predictor, Inference inference) {
    this.name = name;
    this.predictor = predictor;
    this.inference = inference;
  }

  @Override
  public Lease acquire(ModelSpec spec) throws ServableNotFoundException {
    if (!spec.name().equals(name)
        || spec.label() != null
        || (spec.version() != null && spec.version() != VERSION)) {
      throw ServableNotFoundException.forRequest(spec);
    }
    return new OwnedLease(name, VERSION, predictor, inference, () -> {});
  }

  @Override
  public List<VersionStatus> status(String model, Long version) throws ServableNotFoundException {
    if (!model.equals(name) || (version != null && version != VERSION)) {
      throw ServableNotFoundException.forRequest(new ModelSpec(model, version, null));
    }
    return List.of(VersionStatus.ok(VERSION, VersionStatus.State.AVAILABLE));
  }

  @Override
  public List<String> names() {
    return List.of(name);
  }
}

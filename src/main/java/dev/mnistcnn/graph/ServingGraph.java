package dev.mnistcnn.graph;

import dev.mnistcnn.model.ModelWeights;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * A model's inference pass in a fresh graph, its weights assigned in a session, with the serving
 * signature TensorFlow Serving and Keras's {@code model.export()} use: key {@code serving_default},
 * method {@value #PREDICT_METHOD}, input {@value ModelGraph#INPUT_NAME}, output {@value
 * ModelGraph#OUTPUT_NAME}. What a SavedModel export and an in-memory predictor both need; owns its
 * graph and session.
 */
public final class ServingGraph implements AutoCloseable {
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  private final Graph graph;
  private final Session session;
  private final Signature signature;

  private ServingGraph(Graph graph, Session session, Signature signature) {
    this.graph = graph;
    this.session = session;
    this.signature = signature;
  }

  /** Builds the graph of {@code weights}'s spec and assigns them in a session of {@code config}. */
  public static ServingGraph of(ModelWeights weights, ConfigProto config) {
    Graph graph = new Graph();
    try {
      ModelGraph model = ModelGraph.build(Ops.create(graph), weights.spec(), null, 0);
      Session session = new Session(graph, config);
      try {
        model.assign(session, weights);
        Signature signature =
            Signature.builder()
                .key(Signature.DEFAULT_KEY)
                .methodName(PREDICT_METHOD)
                .input(ModelGraph.INPUT_NAME, model.input())
                .output(ModelGraph.OUTPUT_NAME, model.probabilities())
                .build();
        return new ServingGraph(graph, session, signature);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public Session session() {
    return session;
  }

  public Signature signature() {
    return signature;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

package dev.mnistcnn.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.mnistcnn.serve.grpc.proto.DataType;
import dev.mnistcnn.serve.grpc.proto.ModelServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.ModelSpec;
import dev.mnistcnn.serve.grpc.proto.PredictRequest;
import dev.mnistcnn.serve.grpc.proto.PredictionServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.TensorProto;
import dev.mnistcnn.serve.grpc.proto.TensorShapeProto;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** A real gRPC client of TF Serving's API on loopback, and the tensors a client sends. */
public final class Grpc {
  private Grpc() {}

  /** A plaintext channel to {@code 127.0.0.1:port}; the caller shuts it down. */
  public static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  /** A channel to a local server, shut down by close; stubs with a 60 s deadline. */
  public record Client(ManagedChannel channel) implements AutoCloseable {
    public static Client to(int port) {
      return new Client(Grpc.channel(port));
    }

    public PredictionServiceGrpc.PredictionServiceBlockingStub predictions() {
      return Grpc.predictions(channel);
    }

    public ModelServiceGrpc.ModelServiceBlockingStub models() {
      return ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static PredictionServiceGrpc.PredictionServiceBlockingStub predictions(
      ManagedChannel channel) {
    return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** Float32 of {@code shape}, its values in tensor_content as tf.make_tensor_proto writes them. */
  public static TensorProto content(float[] values, long... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return TensorProto.newBuilder()
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape(shape))
        .setTensorContent(ByteString.copyFrom(bytes.array()))
        .build();
  }

  /** Float32 of {@code shape}, its values in float_val. */
  public static TensorProto floatVal(float[] values, long... shape) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(shape));
    for (float v : values) {
      t.addFloatVal(v);
    }
    return t.build();
  }

  /** A float32 answer's values (TF Serving writes them in float_val). */
  public static float[] floats(TensorProto tensor) {
    float[] values = new float[tensor.getFloatValCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getFloatVal(i);
    }
    return values;
  }

  public static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  public static ModelSpec spec(String name) {
    return ModelSpec.newBuilder().setName(name).build();
  }

  public static ModelSpec spec(String name, long version) {
    return ModelSpec.newBuilder().setName(name).setVersion(Int64Value.of(version)).build();
  }

  /** A Predict of {@code input} under {@code alias} for the newest version of {@code model}. */
  public static PredictRequest predict(String model, String alias, TensorProto input) {
    return PredictRequest.newBuilder().setModelSpec(spec(model)).putInputs(alias, input).build();
  }

  /** Asserts that the call fails with {@code code} and a description holding {@code fragment}. */
  public static Status assertStatus(Status.Code code, String fragment, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    Status status = e.getStatus();
    assertEquals(code, status.getCode(), String.valueOf(status));
    String description = String.valueOf(status.getDescription());
    assertTrue(description.contains(fragment), "'" + fragment + "' in " + description);
    return status;
  }
}

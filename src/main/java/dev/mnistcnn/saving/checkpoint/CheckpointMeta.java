package dev.mnistcnn.saving.checkpoint;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.Versions;
import dev.mnistcnn.train.TrainingState;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code meta.json}, written last: the loop position and running sums, the history,
 * the checksum of {@code variables.bin} and the {@link RunIdentity} that a resuming run must share.
 */
record CheckpointMeta(
    String format,
    int version,
    String createdAt,
    long step,
    int stepsPerEpoch,
    int epochs,
    int epochsDone,
    int stepInEpoch,
    double lossSum,
    long correctSum,
    double secondsInEpoch,
    List<EpochMetrics> history,
    String variablesSha256,
    RunIdentity run,
    Versions versions) {
  static final String FORMAT = "mnist-cnn training checkpoint";
  static final int VERSION = 1;

  /**
   * Snake case for every field, the nested records' too ({@code val_loss}, where provenance.json
   * writes {@code valLoss}): naming belongs to a mapper, not to a reader or writer, so this is the
   * shared mapper rebuilt with that one setting.
   */
  private static final ObjectMapper SNAKE_CASE =
      Json.MAPPER.rebuild().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  static final ObjectWriter WRITER = SNAKE_CASE.writer().with(SerializationFeature.INDENT_OUTPUT);

  /** NaN allowed (a diverged loss is a state); fields this version does not know passed over. */
  private static final ObjectReader READER =
      SNAKE_CASE
          .readerFor(CheckpointMeta.class)
          .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static CheckpointMeta parse(byte[] json) throws IOException {
    CheckpointMeta meta = READER.readValue(json);
    if (!FORMAT.equals(meta.format()) || meta.version() != VERSION || meta.run() == null) {
      throw new IOException("not a checkpoint of this version");
    }
    return meta;
  }

  /** The training state this describes, with the variables read from {@code variables.bin}. */
  TrainingState state(Map<String, VariableValue> variables) {
    return new TrainingState(
        epochsDone,
        stepInEpoch,
        lossSum,
        correctSum,
        secondsInEpoch,
        history == null ? List.of() : history,
        variables);
  }
}

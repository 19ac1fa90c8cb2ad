package dev.mnistcnn.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.saving.provenance.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A provenance record as rows of dotted key and value ({@code recipe.optimizer.Adam.epsilon}),
 * without the parts the page shows elsewhere or that no reader wants as a table.
 */
final class ProvenanceTable {
  /** The history has its own chart and table; the Keras config is the layer table's source. */
  private static final Set<String> LEFT_OUT = Set.of("history", "modelConfig");

  record Row(String key, String value) {}

  private ProvenanceTable() {}

  static List<Row> rows(Provenance provenance) {
    List<Row> rows = new ArrayList<>();
    add(rows, "", Json.MAPPER.valueToTree(provenance));
    return rows;
  }

  private static void add(List<Row> rows, String prefix, JsonNode node) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (!LEFT_OUT.contains(f.getKey()) && !f.getValue().isNull()) {
          add(rows, prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue());
        }
      }
    } else if (node.isArray()) {
      rows.add(new Row(prefix, node.toString()));
    } else {
      rows.add(new Row(prefix, node.asText()));
    }
  }
}

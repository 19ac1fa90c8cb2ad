package dev.mnistcnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnistcnn.Tier;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class DatasetKindTest {
  @Test
  void parsesCliNames() {
    assertEquals(DatasetKind.MNIST, DatasetKind.fromCliName("mnist"));
    assertEquals(DatasetKind.FASHION, DatasetKind.fromCliName("fashion"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatasetKind.fromCliName("cifar"));
    assertEquals("unknown dataset 'cifar', expected one of: mnist, fashion", e.getMessage());
  }

  @Test
  void namesClassesAndFiles() {
    assertEquals("7", DatasetKind.MNIST.classNames().get(7));
    assertEquals("Ankle boot", DatasetKind.FASHION.classNames().get(9));
    assertEquals("T-shirt/top", DatasetKind.FASHION.classNames().get(0));
    assertEquals(10, DatasetKind.FASHION.numClasses());
    assertEquals(
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"),
        DatasetKind.MNIST.fileNames());
    for (DatasetKind kind : DatasetKind.values()) {
      for (DatasetFile file : DatasetFile.values()) {
        assertEquals(64, kind.sha256(file).length());
      }
    }
  }
}

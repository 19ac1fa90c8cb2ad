package dev.mnistcnn.data;

/** The four IDX files of an MNIST-style dataset; MNIST and Fashion-MNIST use the same names. */
public enum DatasetFile {
  TRAIN_IMAGES("train-images-idx3-ubyte"),
  TRAIN_LABELS("train-labels-idx1-ubyte"),
  TEST_IMAGES("t10k-images-idx3-ubyte"),
  TEST_LABELS("t10k-labels-idx1-ubyte");

  private final String fileName;

  DatasetFile(String fileName) {
    this.fileName = fileName;
  }

  /** The uncompressed file name; a gzip copy adds ".gz". */
  public String fileName() {
    return fileName;
  }

  public String gzipFileName() {
    return fileName + ".gz";
  }
}

package dev.mnistcnn.saving.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions this build was made with, as pom.xml states them: Maven filters {@code
 * build.properties} at build time, so a version is written only in the pom, and tests see the same
 * values as the jar.
 */
public final class BuildInfo {
  private static final Properties PROPERTIES = load();

  private BuildInfo() {}

  /** This program's version ({@code project.version}). */
  public static String projectVersion() {
    return get("mnist-cnn");
  }

  /** The TensorFlow Java version built against ({@code tensorflow.version}). */
  public static String tensorFlowJavaVersion() {
    return get("tensorflow-java");
  }

  private static String get(String key) {
    String v = PROPERTIES.getProperty(key);
    if (v == null || v.startsWith("${")) {
      throw new IllegalStateException("build.properties lacks a filtered '" + key + "'");
    }
    return v;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties missing from the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}

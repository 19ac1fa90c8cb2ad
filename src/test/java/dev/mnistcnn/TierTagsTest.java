package dev.mnistcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/** Every test class is in exactly one tier, so that {@code -Pfast} leaves nothing unsorted. */
@Tag(Tier.FAST)
class TierTagsTest {

  @Test
  void everyTestClassCarriesExactlyOneTierTag() throws Exception {
    List<Class<?>> testClasses = testClasses();
    assertTrue(testClasses.size() > 40, "found only " + testClasses);
    List<String> wrong = new ArrayList<>();
    for (Class<?> c : testClasses) {
      Set<String> tiers = tiersOf(c);
      if (tiers.size() != 1) {
        wrong.add(c.getName() + " " + tiers);
      }
    }
    assertEquals(
        List.of(),
        wrong,
        "each test class needs exactly one of @Tag(Tier.X), X in " + new TreeSet<>(Tier.ALL));
  }

  /** The tier tags of {@code c}, its superclasses (inherited) and enclosing classes (@Nested). */
  private static Set<String> tiersOf(Class<?> c) {
    Set<String> tags = new TreeSet<>();
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      AnnotationSupport.findRepeatableAnnotations(k, Tag.class).stream()
          .map(Tag::value)
          .filter(Tier.ALL::contains)
          .forEach(tags::add);
    }
    return tags;
  }

  /** The compiled test classes that declare a JUnit test method (@Test, @FuzzTest and the like). */
  private static List<Class<?>> testClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(TierTagsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(root)) {
      names =
          files
              .map(p -> root.relativize(p).toString())
              .filter(n -> n.endsWith(".class"))
              .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
              .sorted()
              .collect(Collectors.toList());
    }
    List<Class<?>> result = new ArrayList<>();
    ClassLoader loader = TierTagsTest.class.getClassLoader();
    for (String name : names) {
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(name + " is compiled but cannot be loaded", e);
      }
      if (declaresTests(c)) {
        result.add(c);
      }
    }
    return result;
  }

  private static boolean declaresTests(Class<?> c) {
    for (Method m : c.getDeclaredMethods()) {
      if (AnnotationSupport.isAnnotated(m, Testable.class)) {
        return true;
      }
    }
    return false;
  }
}

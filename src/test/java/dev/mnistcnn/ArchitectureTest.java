package dev.mnistcnn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package order of CONTRIBUTING.md, checked on the main classes and their source imports: a
 * package uses only packages listed before it in {@link #ORDER}, no two packages need each other,
 * and no package exists that the order does not place.
 */
@Tag(Tier.FAST)
class ArchitectureTest {
  private static final String ROOT = "dev.mnistcnn";

  /**
   * Bottom to top; the same list as CONTRIBUTING.md. A package's subpackages belong to its layer
   * unless listed themselves ({@code serve.http}).
   */
  static final List<String> ORDER =
      List.of(
          "files",
          "data",
          "model",
          "graph",
          "train",
          "store",
          "checkpoint",
          "keras",
          "io",
          "inference",
          "report",
          "serve.http",
          "serve",
          "cli");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    layers().check(main);
  }

  @Test
  void everyClassLivesInAPackageTheOrderPlaces() {
    String[] known = ORDER.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
    classes().should().resideInAnyPackage(known).check(main);
  }

  /**
   * The same order on the source imports: the class files miss a constant, which javac copies into
   * the user ({@code DatasetKind.IMAGE_SIDE} leaves no trace in {@code ModelSpec.class}).
   */
  @Test
  void sourceImportsFollowTheOrder() throws IOException {
    Path root = TestData.projectDir().resolve("src/main/java/dev/mnistcnn");
    Pattern ours =
        Pattern.compile(
            "^import (?:static )?dev\\.mnistcnn\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]",
            Pattern.MULTILINE);
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String user = layerOf(root.relativize(file.getParent()).toString().replace('/', '.'));
        Matcher m = ours.matcher(Files.readString(file));
        while (m.find()) {
          if (ORDER.indexOf(layerOf(m.group(1))) > ORDER.indexOf(user)) {
            wrong.add(root.relativize(file) + " imports " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** Layer i may be used only by layers i+1 and up. */
  static LayeredArchitecture layers() {
    LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String p : ORDER) {
      arch =
          arch.layer(p)
              .definedBy(
                  DescribedPredicate.describe(
                      "in " + ROOT + "." + p, (JavaClass c) -> p.equals(layerOf(c))));
    }
    for (int i = 0; i < ORDER.size() - 1; i++) {
      String[] above = ORDER.subList(i + 1, ORDER.size()).toArray(String[]::new);
      arch = arch.whereLayer(ORDER.get(i)).mayOnlyBeAccessedByLayers(above);
    }
    return arch.whereLayer(ORDER.get(ORDER.size() - 1)).mayNotBeAccessedByAnyLayer();
  }

  private static String layerOf(JavaClass c) {
    String name = c.getPackageName();
    return name.startsWith(ROOT + ".") ? layerOf(name.substring(ROOT.length() + 1)) : null;
  }

  /** The entry of {@link #ORDER} a package below ROOT belongs to: the nearest listed one up. */
  private static String layerOf(String packageName) {
    for (String p = packageName; ; p = p.substring(0, p.lastIndexOf('.'))) {
      if (ORDER.contains(p)) {
        return p;
      }
      if (p.indexOf('.') < 0) {
        return null;
      }
    }
  }
}

package dev.mnistcnn;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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
 * and no package exists that the order does not place. An entry covers its subpackages unless they
 * have entries of their own (a tree such as {@code saving} has parts at different heights).
 */
@Tag(Tier.FAST)
class ArchitectureTest {
  private static final String ROOT = "dev.mnistcnn";

  /** Bottom to top; the same list as CONTRIBUTING.md. */
  static final List<String> ORDER =
      List.of(
          "files",
          "saving.provenance",
          "data",
          "model",
          "saving.keras",
          "graph",
          "train",
          "saving.checkpoint",
          "saving.savedmodel",
          "saving",
          "inference",
          "report",
          "serve.models",
          "serve.http",
          "serve.grpc",
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
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String entry = entryOf(c.getPackageName());
                return entry == null ? SliceIdentifier.ignore() : SliceIdentifier.of(entry);
              }

              @Override
              public String getDescription() {
                return "the entries of ORDER";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(main);
  }

  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    layers().check(main);
  }

  @Test
  void everyClassLivesInAPackageTheOrderPlaces() {
    List<String> unplaced =
        main.stream()
            .map(JavaClass::getPackageName)
            .filter(p -> entryOf(p) == null)
            .distinct()
            .toList();
    assertEquals(List.of(), unplaced);
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
            "^import (?:static )?(dev\\.mnistcnn\\.[a-z][\\w.]*?)\\.[A-Z]", Pattern.MULTILINE);
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = ROOT + "." + root.relativize(file.getParent()).toString().replace('/', '.');
        String user = entryOf(pkg);
        Matcher m = ours.matcher(Files.readString(file));
        while (m.find()) {
          String used = entryOf(m.group(1));
          if (used == null || ORDER.indexOf(used) > ORDER.indexOf(user)) {
            wrong.add(root.relativize(file) + " imports " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** The entry of ORDER that places {@code pkg}: the longest one it is in; null if none. */
  static String entryOf(String pkg) {
    String best = null;
    for (String entry : ORDER) {
      String p = ROOT + "." + entry;
      if ((pkg.equals(p) || pkg.startsWith(p + "."))
          && (best == null || entry.length() > best.length())) {
        best = entry;
      }
    }
    return best;
  }

  /** Layer i may be used only by layers i+1 and up. */
  static LayeredArchitecture layers() {
    LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String p : ORDER) {
      arch =
          arch.layer(p)
              .definedBy(
                  DescribedPredicate.describe(
                      "placed by " + p, (JavaClass c) -> p.equals(entryOf(c.getPackageName()))));
    }
    for (int i = 0; i < ORDER.size() - 1; i++) {
      String[] above = ORDER.subList(i + 1, ORDER.size()).toArray(String[]::new);
      arch = arch.whereLayer(ORDER.get(i)).mayOnlyBeAccessedByLayers(above);
    }
    return arch.whereLayer(ORDER.get(ORDER.size() - 1)).mayNotBeAccessedByAnyLayer();
  }
}

package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the process a user started ends everything it started: the relaunched JVM (see {@link
 * TensorFlowLauncher}) does not go on training into the model or holding the port.
 */
@Tag(Tier.SLOW)
class OrphanTest {
  @TempDir Path tmp;

  /** Starts the program as a user does, waits for the line that shows the child is at work. */
  private static Started start(String linePrefix, String... args) throws Exception {
    Process parent = Jvm.program(true, args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(linePrefix)) {
        return new Started(parent, line, parent.descendants().toList());
      }
    }
    Jvm.killTree(parent);
    throw new AssertionError("no line starting '" + linePrefix + "' from " + args[0]);
  }

  /**
   * A started program; closing it SIGKILLs whatever of it is left, so that a failed assertion
   * leaves no JVM behind (the launcher itself has no watchdog on the test JVM).
   */
  private record Started(Process parent, String line, List<ProcessHandle> descendants)
      implements AutoCloseable {
    @Override
    public void close() {
      parent.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL of the launched PID only; true when all it started is gone within 2 s. */
    boolean killParentAndAwaitChildren() throws Exception {
      assertFalse(descendants.isEmpty(), "the program relaunched itself in a child JVM");
      parent.destroyForcibly();
      for (int i = 0; i < 20 && descendants.stream().anyMatch(OrphanTest::running); i++) {
        Thread.sleep(100);
      }
      boolean allGone = descendants.stream().noneMatch(OrphanTest::running);
      descendants.forEach(ProcessHandle::destroyForcibly); // a failed run leaves nothing behind
      return allGone;
    }
  }

  /**
   * Alive, and not an exited zombie. An orphan that exited waits as a zombie until init reaps it,
   * and this machine's init (a VM agent) reaps only now and then; a zombie whose last thread is
   * gone runs no code and holds no file or port, so it counts as gone. (A zombie leader with
   * threads still exiting may hold its sockets a moment longer, so it counts as running.)
   */
  static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"));
      boolean zombie = status.stream().anyMatch(l -> l.matches("State:\\s+[ZX].*"));
      boolean oneThread = status.stream().anyMatch(l -> l.matches("Threads:\\s+1"));
      return !(zombie && oneThread);
    } catch (IOException e) {
      return false; // gone between the two checks
    }
  }

  @Test
  void killedTrainLeavesNoJvmAndTheModelUntouched() throws Exception {
    Path model = tmp.resolve("model");
    FileTrees.copy(TestData.shippedModel(), model);
    Map<String, String> before = FileTrees.hashes(tmp);

    // Long enough that an orphaned child would still be training, and then write, in this test.
    try (Started train =
        start(
            "Training on",
            "train",
            "--epochs",
            "2",
            "--limit",
            "3000",
            "--output",
            model.toString())) {
      assertTrue(train.killParentAndAwaitChildren(), "no JVM of the run survives 2 s");
    }
    assertEquals(before, FileTrees.hashes(tmp));
    Thread.sleep(5000);
    assertEquals(before, FileTrees.hashes(tmp), "nothing written after the kill");
  }

  @Test
  void killedServeLeavesNoJvmAndFreesThePort() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Map<String, String> model = FileTrees.hashes(TestData.shippedModel());
    try (Started serve =
        start(
            "Serving ",
            "serve",
            "--model",
            TestData.shippedModel().toString(),
            "--port",
            String.valueOf(port))) {
      assertTrue(serve.line().endsWith(":" + port), serve.line());
      assertTrue(serve.killParentAndAwaitChildren(), "no JVM of the server survives 2 s");
    }
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, again.getLocalPort(), "the port is free again");
    }
    assertEquals(model, FileTrees.hashes(TestData.shippedModel()));
  }
}

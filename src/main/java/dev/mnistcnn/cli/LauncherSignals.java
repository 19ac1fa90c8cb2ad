package dev.mnistcnn.cli;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which signal is stopping the launcher, so that it can pass the same one to the child: a Ctrl-C
 * reaches both processes of a terminal's group, and a SIGTERM sent to the child on top of it would
 * race the child's own SIGINT for its exit status (130 or 143). {@code sun.misc.Signal} is reached
 * by reflection: javac warns about it as internal API, and it is the one way Java tells signals
 * apart. Where it is missing, the JVM's own handling stays and the child gets SIGTERM.
 */
final class LauncherSignals {
  private static final List<String> STOPPING = List.of("INT", "TERM", "HUP");

  private static final AtomicReference<String> received = new AtomicReference<>();

  private LauncherSignals() {}

  /** Handles SIGINT, SIGTERM and SIGHUP as the JVM does (exit 128 + number), remembering which. */
  static void install() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      for (String name : STOPPING) {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        int number = (Integer) signalClass.getMethod("getNumber").invoke(signal);
        Object handler =
            Proxy.newProxyInstance(
                handlerClass.getClassLoader(),
                new Class<?>[] {handlerClass},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "handle" -> {
                        received.compareAndSet(null, name);
                        // As the JVM's own handler: shut down (hooks run) on another thread.
                        new Thread(() -> System.exit(128 + number), "exit-on-SIG" + name).start();
                        yield null;
                      }
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default -> "launcher handler of SIG" + name;
                    });
        signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no sun.misc.Signal here: the JVM's default handling, and SIGTERM for the child
    }
  }

  /**
   * Passes the signal that is stopping this process on to {@code child} ({@code kill -s NAME});
   * SIGTERM when it is unknown (a hook run by {@code System.exit}) or {@code kill} cannot run.
   */
  static void forward(Process child) {
    String name = received.get();
    if (name != null && !name.equals("TERM")) {
      try {
        Process kill =
            new ProcessBuilder("kill", "-s", name, Long.toString(child.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
          return;
        }
        kill.destroyForcibly();
      } catch (java.io.IOException e) {
        // no kill command: SIGTERM below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    child.destroy(); // SIGTERM, not SIGKILL: the child's shutdown hooks run
  }
}

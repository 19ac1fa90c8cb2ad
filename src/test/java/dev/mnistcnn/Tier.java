package dev.mnistcnn;

import java.util.Set;

/**
 * The JUnit tags that sort test classes into tiers; every test class carries exactly one ({@link
 * TierTagsTest} fails otherwise). {@code mvn -B test -Pfast} runs the {@link #FAST} tier only: a
 * class is in it because it says so, so a new slow test cannot drift into the fast tier unnoticed.
 * A slow method of a fast class can leave the tier with its own {@code @Tag(Tier.SLOW)} (the
 * profile excludes every other tier's tag). A plain {@code mvn -B test} runs every tier.
 */
public final class Tier {
  private Tier() {}

  /** No training beyond a few tiny steps, no Python, no browser, no network; seconds each. */
  public static final String FAST = "fast";

  /** Long on purpose: many processes, soaks, big sweeps, SIGKILL loops, memory probes. */
  public static final String SLOW = "slow";

  /** Trains a real model (an epoch of MNIST or more). */
  public static final String TRAINING = "training";

  /** Needs the Python Keras venvs in tools/. */
  public static final String PYTHON = "python";

  /** Drives headless Chromium. */
  public static final String BROWSER = "browser";

  /** Downloads from the internet (the npm registry). */
  public static final String NETWORK = "network";

  /**
   * Jazzer {@code @FuzzTest}s replaying their seeds: Jazzer instruments every class once it starts
   * (about 10 s on a quiet 2-core machine), so they stay out of the fast tier.
   */
  public static final String FUZZ = "fuzz";

  static final Set<String> ALL = Set.of(FAST, SLOW, TRAINING, PYTHON, BROWSER, NETWORK, FUZZ);
}

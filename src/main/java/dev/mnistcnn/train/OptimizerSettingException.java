package dev.mnistcnn.train;

/**
 * An optimizer setting out of its range, or an unknown optimizer, in one line that names the
 * setting as Keras's config does ({@code learning_rate}, {@code momentum}, {@code optimizer}). A
 * caller with its own names for the settings (the CLI's flags) says the same with those: {@link
 * #messageNaming}.
 */
public final class OptimizerSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String before;
  private final String after;

  /** The message {@code before + setting + after}. */
  OptimizerSettingException(String before, String setting, String after) {
    super(before + setting + after);
    this.setting = setting;
    this.before = before;
    this.after = after;
  }

  /** The setting, as Keras names it. */
  public String setting() {
    return setting;
  }

  /** The message with {@code name} where it names the setting. */
  public String messageNaming(String name) {
    return before + name + after;
  }
}

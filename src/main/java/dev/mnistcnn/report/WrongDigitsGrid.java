package dev.mnistcnn.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Wrong test digits in a grid, each enlarged with its true and predicted class and the model's
 * confidence underneath: drawn with Java2D, as no chart library draws image grids.
 */
final class WrongDigitsGrid {
  static final int COLUMNS = 5;
  private static final int SIDE = 28;
  private static final int SCALE = 4;
  private static final int CELL_WIDTH = 150;
  private static final int CELL_HEIGHT = SIDE * SCALE + 58;

  private WrongDigitsGrid() {}

  static byte[] png(List<WrongPredictions.Wrong> wrong, List<String> classNames) {
    int rows = Math.max(1, (wrong.size() + COLUMNS - 1) / COLUMNS);
    BufferedImage image =
        new BufferedImage(COLUMNS * CELL_WIDTH, rows * CELL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i < wrong.size(); i++) {
        int x = (i % COLUMNS) * CELL_WIDTH;
        int y = (i / COLUMNS) * CELL_HEIGHT;
        drawCell(g, wrong.get(i), classNames, x, y);
      }
    } finally {
      g.dispose();
    }
    return Charts.png(image);
  }

  private static void drawCell(
      Graphics2D g, WrongPredictions.Wrong w, List<String> names, int x, int y) {
    int left = x + (CELL_WIDTH - SIDE * SCALE) / 2;
    int top = y + 4;
    // MNIST ink is white on black; drawn black on white as on paper.
    for (int r = 0; r < SIDE; r++) {
      for (int c = 0; c < SIDE; c++) {
        int level = 255 - Math.round(255 * clamp(w.pixels()[r * SIDE + c]));
        g.setColor(new Color(level, level, level));
        g.fillRect(left + c * SCALE, top + r * SCALE, SCALE, SCALE);
      }
    }
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(left - 1, top - 1, SIDE * SCALE + 1, SIDE * SCALE + 1);
    int textTop = top + SIDE * SCALE + 16;
    g.setColor(Color.BLACK);
    // One fact a line: Fashion-MNIST's class names ("T-shirt/top") do not fit two to a line.
    g.drawString("true: " + names.get(w.label()), x + 6, textTop);
    g.setColor(new Color(0xB0, 0x20, 0x20));
    g.drawString("said: " + names.get(w.predicted()), x + 6, textTop + 15);
    g.drawString(
        String.format(Locale.ROOT, "%.1f%% sure, #%d", 100 * w.confidence(), w.index()),
        x + 6,
        textTop + 30);
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}

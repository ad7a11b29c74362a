package io.hermitengp.jobs.bench;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PNG of a 2D field on a grid: the prediction (blue-white-red, symmetric about 0) beside its
 * pointwise absolute error (black to yellow, linear from 0 to its maximum), first axis horizontal.
 */
public final class FieldPicture {
    private static final int PANEL = 360;
    private static final int MARGIN = 40;

    private FieldPicture() {
    }

    /**
     * @param predicted (nx * ny) values, x fastest
     * @param exact     (nx * ny) exact values, same layout
     */
    public static void write(Path file, String title, int nx, int ny, double[] predicted, double[] exact)
            throws IOException {
        double maxAbs = 1e-300;
        double maxError = 1e-300;
        for (int i = 0; i < nx * ny; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(predicted[i]));
            maxError = Math.max(maxError, Math.abs(predicted[i] - exact[i]));
        }
        int width = 3 * MARGIN + 2 * PANEL;
        int height = 2 * MARGIN + PANEL + 30;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int py = 0; py < PANEL; py++) {
            int j = (PANEL - 1 - py) * ny / PANEL;
            for (int px = 0; px < PANEL; px++) {
                int i = px * nx / PANEL;
                double v = predicted[j * nx + i];
                double e = Math.abs(v - exact[j * nx + i]);
                image.setRGB(MARGIN + px, MARGIN + py, diverging(v / maxAbs));
                image.setRGB(2 * MARGIN + PANEL + px, MARGIN + py, heat(e / maxError));
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, MARGIN, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format("prediction (|u| <= %.3g)", maxAbs), MARGIN, MARGIN + PANEL + 20);
        g.drawString(String.format("|error| (max %.3g)", maxError), 2 * MARGIN + PANEL, MARGIN + PANEL + 20);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int diverging(double f) {
        f = Math.max(-1, Math.min(1, f));
        int r = f > 0 ? 255 : (int) (255 * (1 + f));
        int b = f < 0 ? 255 : (int) (255 * (1 - f));
        int gr = (int) (255 * (1 - Math.abs(f)));
        return (r << 16) | (gr << 8) | b;
    }

    private static int heat(double f) {
        f = Math.max(0, Math.min(1, f));
        int r = (int) (255 * Math.min(1, 2 * f));
        int gr = (int) (255 * Math.max(0, 2 * f - 1));
        return (r << 16) | (gr << 8);
    }
}

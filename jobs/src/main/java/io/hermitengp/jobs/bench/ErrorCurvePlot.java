package io.hermitengp.jobs.bench;

import io.hermitengp.train.ErrorPoint;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A PNG of a run's error against training time: relative L2 of u and of grad u on a log scale,
 * with the paper's value as a dashed line when there is one. A run that evaluates its parameter
 * average (EMA) also gets the raw weights' relative L2 of u, since early in a long recipe the two
 * differ by orders of magnitude.
 */
public final class ErrorCurvePlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final int LEGEND_WIDTH = 215;

    private ErrorCurvePlot() {
    }

    public static void write(Path file, String title, List<ErrorPoint> curve, double paper) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxTime = 1e-9;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ErrorPoint p : curve) {
            maxTime = Math.max(maxTime, p.seconds());
            for (double v : new double[]{p.relL2(), p.gradRelL2(), p.rawRelL2()}) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (paper > 0) {
            lo = Math.min(lo, paper);
            hi = Math.max(hi, paper);
        }
        if (!(lo < hi)) {
            lo = 1e-6;
            hi = 1;
        }
        int decadeLo = (int) Math.floor(Math.log10(lo));
        int decadeHi = (int) Math.ceil(Math.log10(hi));
        if (decadeHi == decadeLo) {
            decadeHi++;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        for (int decade = decadeLo; decade <= decadeHi; decade++) {
            int y = yOf(Math.pow(10, decade), decadeLo, decadeHi, plotHeight);
            g.setColor(new Color(220, 220, 220));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.BLACK);
            g.drawString("1e" + decade, 30, y + 4);
        }
        for (int i = 0; i <= 5; i++) {
            int x = LEFT + plotWidth * i / 5;
            String tick = seconds(maxTime * i / 5, maxTime);
            int width = g.getFontMetrics().stringWidth(tick);
            // centred under its tick, the last one ending at the plot's edge so that it is not cut
            g.drawString(tick, i == 5 ? x - width : x - width / 2, TOP + plotHeight + 20);
        }
        g.drawString("training time (s)", LEFT + plotWidth / 2 - 50, HEIGHT - 15);
        boolean averaged = curve.stream().anyMatch(p -> p.rawRelL2() > 0 && Double.isFinite(p.rawRelL2()));
        Color value = new Color(31, 119, 180);
        Color gradient = new Color(255, 127, 14);
        Color raw = new Color(148, 103, 189);
        drawSeries(g, curve, ErrorPoint::relL2, value, maxTime, decadeLo, decadeHi, plotWidth, plotHeight);
        drawSeries(g, curve, ErrorPoint::gradRelL2, gradient, maxTime, decadeLo, decadeHi, plotWidth, plotHeight);
        if (averaged) {
            drawSeries(g, curve, ErrorPoint::rawRelL2, raw, maxTime, decadeLo, decadeHi, plotWidth, plotHeight);
        }
        Color paperColour = new Color(44, 160, 44);
        if (paper > 0) {
            int y = yOf(paper, decadeLo, decadeHi, plotHeight);
            g.setColor(paperColour);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{8, 6}, 0));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
        }
        // the legend in a box at the lower left, where falling error curves seldom are
        int entries = 2 + (averaged ? 1 : 0) + (paper > 0 ? 1 : 0);
        int boxTop = TOP + plotHeight - 10 - 18 * entries;
        g.setColor(Color.WHITE);
        g.fillRect(LEFT + 8, boxTop, LEGEND_WIDTH, 18 * entries + 4);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(LEFT + 8, boxTop, LEGEND_WIDTH, 18 * entries + 4);
        int legend = boxTop + 16;
        legend(g, averaged ? "rel L2 of u (average)" : "rel L2 of u", value, legend, false);
        legend(g, averaged ? "rel L2 of grad u (average)" : "rel L2 of grad u", gradient, legend += 18, false);
        if (averaged) {
            legend(g, "rel L2 of u (raw weights)", raw, legend += 18, false);
        }
        if (paper > 0) {
            legend(g, "paper: " + String.format("%.3g", paper), paperColour, legend + 18, true);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** A time axis label: whole seconds once the axis reaches 100 s, three digits below. */
    static String seconds(double value, double axisEnd) {
        return axisEnd >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", value)
                : String.format(java.util.Locale.ROOT, "%.3g", value);
    }

    private static int yOf(double value, int decadeLo, int decadeHi, int plotHeight) {
        double f = (Math.log10(value) - decadeLo) / (decadeHi - decadeLo);
        return TOP + (int) Math.round(plotHeight * (1 - f));
    }

    private static void drawSeries(Graphics2D g, List<ErrorPoint> curve, ToDoubleFunction<ErrorPoint> series,
                                   Color color, double maxTime, int decadeLo, int decadeHi, int plotWidth,
                                   int plotHeight) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2));
        int previousX = -1;
        int previousY = -1;
        for (ErrorPoint p : curve) {
            double v = series.applyAsDouble(p);
            if (!(v > 0) || !Double.isFinite(v)) {
                continue;
            }
            int x = LEFT + (int) Math.round(plotWidth * p.seconds() / maxTime);
            int y = yOf(v, decadeLo, decadeHi, plotHeight);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            g.fillOval(x - 2, y - 2, 5, 5);
            previousX = x;
            previousY = y;
        }
    }

    private static void legend(Graphics2D g, String label, Color color, int y, boolean dashed) {
        int x = LEFT + 16;
        g.setColor(color);
        g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0)
                : new BasicStroke(2));
        g.drawLine(x, y - 4, x + 25, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 32, y);
    }
}

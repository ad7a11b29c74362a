package io.hermitengp.jobs.bench;

import io.hermitengp.train.ErrorPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCurvePlotTest {
    /** The raw weights' series colour. */
    private static final int RAW = 0x9467bd;

    private static boolean hasColour(Path file, int rgb) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aRunWithAnAverageAlsoShowsItsRawWeightsError(@TempDir Path dir) throws Exception {
        List<ErrorPoint> averaged = List.of(new ErrorPoint(500, 300, 1.1, 0.9, 3e-2),
                new ErrorPoint(1000, 600, 0.8, 0.6, 6e-3), new ErrorPoint(1500, 900, 0.5, 0.4, 8e-3));
        Path with = dir.resolve("with.png");
        ErrorCurvePlot.write(with, "averaged", averaged, 1.8e-5);
        assertTrue(hasColour(with, RAW), "the raw weights' series is drawn");

        List<ErrorPoint> plain = List.of(new ErrorPoint(500, 300, 1.1, 0.9, Double.NaN),
                new ErrorPoint(1000, 600, 0.8, 0.6, Double.NaN));
        Path without = dir.resolve("without.png");
        ErrorCurvePlot.write(without, "plain", plain, 1.8e-5);
        assertFalse(hasColour(without, RAW), "no raw series without an average");
    }

    @Test
    void timeLabelsAreWholeSecondsOnLongAxes() {
        assertEquals("1138", ErrorCurvePlot.seconds(1138.4, 1138.4));
        assertEquals("228", ErrorCurvePlot.seconds(227.68, 1138.4));
        assertEquals("0.500", ErrorCurvePlot.seconds(0.5, 2.5));
    }
}

package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.MeshQuality;
import io.hermitengp.io.MeshFile;
import io.hermitengp.io.MeshReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exact signed-distance data of one mesh file, computed from the mesh itself with no field
 * trained: the file read (format by extension or content), its {@link MeshQuality}, its
 * placement in the box [-1, 1]^3 ({@link MeshNormalization}), then as the settings ask {@link
 * SdfSamples} and an exact {@link SdfGrid}. {@link #compute} never throws: a file that cannot be
 * read or used gives a failed result whose message names the file and the reason, so one bad mesh
 * in a batch is one failed row.
 *
 * <p>A usable but doubtful mesh is not a failure; its {@link #notes} say what makes its signs
 * doubtful: boundary edges (open), non-manifold or inconsistently oriented edges, a negative
 * signed volume (inside out: the winding number is -1 inside, every sign reads outside),
 * degenerate or duplicate triangles, and a sign confidence below 1.
 *
 * @param failure       why the mesh could not be used, or null
 * @param format        the format it was read as, or null when unreadable
 * @param fileBytes     the file's size (0 when unreadable)
 * @param quality       null when unreadable
 * @param bounds        the mesh's bounding box in its own units, null when unreadable
 * @param normalization how it was placed in the box, null when unreadable
 * @param samples       null when none were asked for (or failed)
 * @param grid          null when none was asked for (or failed)
 * @param seconds       wall time of the whole computation
 */
public record MeshSdfData(String id, String location, String failure, String format, long fileBytes,
                          MeshQuality quality, Box bounds, MeshNormalization normalization, SdfSamples samples,
                          SdfGrid grid, List<String> notes, double seconds) {
    /** The box every mesh is placed in: the sdf problem's, so samples, grids and fitted fields share coordinates. */
    public static final Box BOX = Box.cube(3, -1, 1);

    public boolean ok() {
        return failure == null;
    }

    /**
     * Reads the mesh at {@code location} and computes what {@code settings} ask for.
     *
     * @param threads threads of the batch distance queries (a Spark task passes its cores)
     */
    public static MeshSdfData compute(String id, String location, SdfDataSettings settings, int threads) {
        long started = System.nanoTime();
        MeshFile file = null;
        MeshQuality quality = null;
        MeshDomain domain = null;
        try {
            file = MeshReader.load(location, MeshReader.DEFAULT_MAX_BYTES);
            quality = MeshQuality.of(file.mesh());
            domain = new MeshDomain(file.mesh(), BOX, settings.margin(), threads);
            SdfSamples samples = settings.samples() > 0
                    ? SdfSamples.draw(domain, settings.mix(), settings.samples(), settings.seed()) : null;
            SdfGrid grid = settings.gridResolution() > 0 ? SdfGrid.exact(domain, settings.gridResolution()) : null;
            return new MeshSdfData(id, location, null, file.format().label(), file.bytes(), quality,
                    file.mesh().bounds(), domain.normalization(), samples, grid, notes(quality, samples),
                    seconds(started));
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new MeshSdfData(id, location, "mesh " + id + " (" + location + "): " + reason,
                    file == null ? null : file.format().label(), file == null ? 0 : file.bytes(), quality,
                    file == null ? null : file.mesh().bounds(), domain == null ? null : domain.normalization(),
                    null, null, List.of(), seconds(started));
        }
    }

    /** What makes the mesh's signs doubtful, one short phrase each; empty for a clean watertight mesh. */
    static List<String> notes(MeshQuality q, SdfSamples samples) {
        List<String> notes = new ArrayList<>();
        if (q.boundaryEdges() > 0) {
            notes.add("open: " + q.boundaryEdges() + " boundary edges");
        }
        if (q.nonManifoldEdges() > 0) {
            notes.add(q.nonManifoldEdges() + " non-manifold edges");
        }
        if (q.inconsistentEdges() > 0) {
            notes.add(q.inconsistentEdges() + " edges with inconsistent orientation");
        }
        if (q.signedVolume() < 0) {
            notes.add("inside out: negative signed volume, every sign reads outside");
        }
        if (q.degenerateTriangles() > 0) {
            notes.add(q.degenerateTriangles() + " degenerate triangles");
        }
        if (q.duplicateTriangles() > 0) {
            notes.add(q.duplicateTriangles() + " duplicate triangles");
        }
        if (samples != null && samples.uncertainSigns() > 0) {
            notes.add(String.format(Locale.ROOT, "sign confidence %.4f (%d of %d volume samples with |w - 1/2| < %s)",
                    samples.signConfidence(), samples.uncertainSigns(), samples.volumeCount(),
                    SdfSamples.UNCERTAIN_WINDING));
        }
        if (samples != null && samples.invertedSigns() > 0) {
            notes.add(samples.invertedSigns() + " volume samples with winding number below -1/2");
        }
        return List.copyOf(notes);
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}

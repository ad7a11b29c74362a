package io.hermitengp.fit;

import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.backend.opencl.OpenClUnavailableException;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.Problem;

import java.util.Optional;

/**
 * Which backend a fit runs on, decided once for the command line, benchmarks and Spark alike from
 * the config's {@code training.backend} request and the device the fit was given.
 *
 * <ul>
 *   <li>{@code java}: the CPU backend, always, on {@code training.threads} threads (0 = the
 *       device's share; a request above the share is cut to it: results are bit-identical for any
 *       thread count). An assigned GPU stays unused and the note says so.</li>
 *   <li>{@code opencl}: the OpenCL backend on {@code training.backend.device}, else on the
 *       assigned GPU (as the selector {@code gpu:<address>}, which counts GPU devices only:
 *       {@link OpenClDevices}), else on the first OpenCL device. A field or problem the OpenCL backend cannot
 *       train fails here with the reason ({@link OpenClUnavailableException}); it never becomes a
 *       CPU run.</li>
 *   <li>{@code auto}: the OpenCL backend on {@code training.backend.device} or the assigned GPU
 *       when there is one and it can train this field and problem; otherwise the CPU backend, with
 *       the reason in the note when a GPU was there but could not be used.</li>
 * </ul>
 * Either backend trains in {@code training.precision}.
 *
 * @param backend the concrete request the backend is opened with: {@code java} or {@code opencl}
 *                and its device
 * @param threads CPU threads for the {@code java} backend
 * @param note    why what runs differs from what was asked for or assigned; empty when it does not
 */
public record BackendChoice(TrainConfig.Backend backend, int threads, String note) {

    public static BackendChoice choose(TrainConfig config, NeuralField field, Problem problem, DeviceChoice device) {
        TrainConfig.Training t = config.training();
        String type = t.backend().type();
        String gpu = !t.backend().device().isEmpty() ? t.backend().device()
                : device.hasGpu() ? OpenClDevices.gpuAddressSelector(device.gpuAddress()) : null;
        Optional<String> unsupported = OpenClBackend.unsupported(field, problem);
        String override = device.hasGpu() && !t.backend().device().isEmpty()
                && !t.backend().device().equals(device.gpuAddress())
                && !t.backend().device().equals(OpenClDevices.gpuAddressSelector(device.gpuAddress()))
                ? "training.backend.device " + t.backend().device() + " used instead of the assigned GPU "
                + device.gpuAddress() : "";
        switch (type) {
            case TrainConfig.Backend.JAVA -> {
                String note = device.hasGpu() ? "training.backend.type is java: the assigned GPU "
                        + device.gpuAddress() + " is not used" : "";
                return cpu(t, device, note);
            }
            case TrainConfig.Backend.OPENCL -> {
                if (unsupported.isPresent()) {
                    throw new OpenClUnavailableException("training.backend.type is opencl, but " + unsupported.get()
                            + "; ask for auto (the CPU where OpenCL cannot train it) or java");
                }
                return new BackendChoice(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, gpu == null ? "" : gpu),
                        0, override);
            }
            case TrainConfig.Backend.AUTO -> {
                if (gpu == null) {
                    return cpu(t, device, "");
                }
                if (unsupported.isPresent()) {
                    String named = t.backend().device().isEmpty() ? device.gpuAddress() : gpu;
                    return cpu(t, device, "GPU " + named + " assigned, trained on the CPU: " + unsupported.get());
                }
                return new BackendChoice(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, gpu), 0, override);
            }
            default -> throw new IllegalArgumentException("unknown training.backend.type '" + type + "'");
        }
    }

    private static BackendChoice cpu(TrainConfig.Training t, DeviceChoice device, String note) {
        int threads = t.threads() > 0 ? Math.min(t.threads(), device.cpuThreads()) : device.cpuThreads();
        if (t.threads() > device.cpuThreads()) {
            note = join(note, "training.threads " + t.threads() + " cut to the " + device.cpuThreads()
                    + " CPU threads this fit was given");
        }
        return new BackendChoice(new TrainConfig.Backend(TrainConfig.Backend.JAVA, ""), threads, note);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    /** The config as it runs: the concrete backend and thread count in place of the request. */
    public TrainConfig applyTo(TrainConfig config) {
        TrainConfig.Training t = config.training().withBackend(backend);
        if (backend.type().equals(TrainConfig.Backend.JAVA)) {
            t = t.withThreads(threads);
        }
        return config.withTraining(t);
    }
}

package io.hermitengp.config;

import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.Encoding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete, resolved training config: {@code problem}, {@code encoding}, {@code network},
 * {@code training}. Parsing fills every default, so {@link #toJson()} reproduces the run exactly.
 * README lists every key.
 */
public record TrainConfig(ProblemConfig problem, Encoding encoding, Network network, Training training) {

    /**
     * {@code encoding}: the grid. {@code type} {@code hermite} (Hermite-NGP, analytic derivative
     * channels) or {@code ingp_fd} (instant-NGP's d-linear values, derivatives by central finite
     * differences: the INGP-FD baseline, one table size).
     */
    public record Encoding(String type, int levels, int features, int nMin, int nMax, int[] log2TableSizes,
                           CoefficientUnits coefficients, double initRange) {
        public static final String HERMITE = "hermite";
        public static final String INGP_FD = "ingp_fd";

        static Encoding parse(ConfigObject s, int dims) {
            String type = s.choice("type", HERMITE, HERMITE, INGP_FD);
            int levels = s.intIn("levels", 16, 1, 64);
            int features = s.intIn("features", 2, 1, 16);
            int nMin = s.intIn("n_min", 16, 1, 1 << 20);
            int nMax = s.intIn("n_max", 1024, 1, 1 << 20);
            if (nMax < nMin) {
                throw new ConfigException(s.path() + ".n_max must be >= n_min (" + nMin + "), got " + nMax);
            }
            boolean hermite = type.equals(HERMITE);
            int[] defaultSizes = !hermite ? new int[]{16} : dims == 2 ? new int[]{14, 14, 10} : new int[]{16, 16, 16, 14};
            int tables = hermite ? dims + 1 : 1;
            int[] sizes = s.intArray("log2_table_sizes", defaultSizes, tables, tables, 1, 24);
            String units = s.choice("coefficients", "cell", "cell", "physical");
            double initRange = s.number("init_range", 1e-4, 0.0, false, 1.0);
            s.finish();
            return new Encoding(type, levels, features, nMin, nMax, sizes,
                    units.equals("cell") ? CoefficientUnits.CELL : CoefficientUnits.PHYSICAL, initRange);
        }

        void writeTo(ObjectNode n) {
            n.put("type", type);
            n.put("levels", levels);
            n.put("features", features);
            n.put("n_min", nMin);
            n.put("n_max", nMax);
            var sizes = n.putArray("log2_table_sizes");
            Arrays.stream(log2TableSizes).forEach(sizes::add);
            n.put("coefficients", coefficients.configName());
            n.put("init_range", initRange);
        }
    }

    /** {@code network}: the SIREN. */
    public record Network(int[] hidden, double omega0, double omega) {
        static Network parse(ConfigObject s) {
            int[] hidden = s.intArray("hidden", new int[]{64, 64}, 1, 16, 1, 4096);
            double omega0 = s.number("omega_0", 30.0, 0.0, true, 1e4);
            double omega = s.number("omega", 30.0, 0.0, true, 1e4);
            s.finish();
            return new Network(hidden, omega0, omega);
        }

        void writeTo(ObjectNode n) {
            var h = n.putArray("hidden");
            Arrays.stream(hidden).forEach(h::add);
            n.put("omega_0", omega0);
            n.put("omega", omega);
        }
    }

    /** {@code training.optimizer}: Adam with exponential learning-rate decay. */
    public record Optimizer(double lrTables, double lrNetwork, double beta1, double beta2, double epsilon,
                            double decayRate, int decaySteps) {
        static Optimizer parse(ConfigObject s) {
            Optimizer o = new Optimizer(
                    s.number("lr_tables", 1e-2, 0.0, true, 10.0),
                    s.number("lr_network", 1e-3, 0.0, true, 10.0),
                    s.number("beta1", 0.9, 0.0, false, 0.999999),
                    s.number("beta2", 0.99, 0.0, false, 0.999999),
                    s.number("epsilon", 1e-15, 0.0, false, 1.0),
                    s.number("decay_rate", 1.0, 0.0, true, 1.0),
                    s.intIn("decay_steps", 1000, 1, Integer.MAX_VALUE));
            s.finish();
            return o;
        }

        void writeTo(ObjectNode n) {
            n.put("lr_tables", lrTables);
            n.put("lr_network", lrNetwork);
            n.put("beta1", beta1);
            n.put("beta2", beta2);
            n.put("epsilon", epsilon);
            n.put("decay_rate", decayRate);
            n.put("decay_steps", decaySteps);
        }
    }

    /** {@code training.curriculum}: coarse-to-fine level activation. */
    public record Curriculum(boolean enabled, int startLevels, int levelsEvery) {
        static Curriculum parse(ConfigObject s, int levels) {
            boolean enabled = s.bool("enabled", true);
            int start = s.intIn("start_levels", Math.min(4, levels), 1, levels);
            int every = s.intIn("levels_every", 250, 1, Integer.MAX_VALUE);
            s.finish();
            return new Curriculum(enabled, start, every);
        }

        /** {@code L_active(t) = min(L, start_levels + floor(t / levels_every))}, or L when disabled. */
        public int activeLevels(long step, int levels) {
            if (!enabled) {
                return levels;
            }
            return (int) Math.min(levels, startLevels + step / levelsEvery);
        }

        void writeTo(ObjectNode n) {
            n.put("enabled", enabled);
            n.put("start_levels", startLevels);
            n.put("levels_every", levelsEvery);
        }
    }

    /** {@code training.loss_weights}: fixed weights, or grad-norm balancing starting from them. */
    public record LossWeights(String mode, Map<String, Double> weights, int updateEvery) {
        public static final String FIXED = "fixed";
        public static final String GRAD_NORM = "grad_norm";

        static LossWeights parse(ConfigObject s, Map<String, Integer> terms) {
            String mode = s.choice("mode", FIXED, FIXED, GRAD_NORM);
            Map<String, Double> defaults = new LinkedHashMap<>();
            terms.keySet().forEach(name -> defaults.put(name, 1.0));
            Map<String, Double> weights = s.numberMap("weights", defaults, 0.0, false, 1e12);
            int every = s.intIn("update_every", 100, 1, Integer.MAX_VALUE);
            s.finish();
            return new LossWeights(mode, weights, every);
        }

        void writeTo(ObjectNode n) {
            n.put("mode", mode);
            ObjectNode w = n.putObject("weights");
            weights.forEach(w::put);
            n.put("update_every", updateEvery);
        }
    }

    /**
     * {@code training.backend}: where the step runs: {@code java} (CPU threads), {@code opencl}
     * (an OpenCL device; {@code device} an index or part of {@code platform/device}) or
     * {@code auto}, the default: the GPU a fit is given when it can train the problem, else the
     * CPU ({@link io.hermitengp.fit.BackendChoice} states the rule).
     */
    public record Backend(String type, String device) {
        public static final String JAVA = "java";
        public static final String OPENCL = "opencl";
        public static final String AUTO = "auto";

        static Backend parse(ConfigObject s) {
            String type = s.choice("type", AUTO, AUTO, JAVA, OPENCL);
            String device = s.has("device") ? deviceText(s) : "";
            s.finish();
            return new Backend(type, device);
        }

        private static String deviceText(ConfigObject s) {
            // an index or part of "platform/device"; numbers are accepted as they are
            try {
                return String.valueOf(s.integer("device", 0, 0, 1024));
            } catch (ConfigException notANumber) {
                return s.choiceFree("device");
            }
        }

        void writeTo(ObjectNode n) {
            n.put("type", type);
            n.put("device", device);
        }
    }

    /** {@code training}: budget, sampling, optimizer, curriculum, weights, evaluation, backend. */
    public record Training(long steps, double maxSeconds, long seed, int threads, Map<String, Integer> points,
                           int resampleEvery, Optimizer optimizer, Curriculum curriculum, LossWeights lossWeights,
                           int evalEvery, Backend backend) {
        /** @param terms the problem's loss terms and their default points per step, in order */
        static Training parse(ConfigObject s, Map<String, Integer> terms, int levels) {
            long steps = s.integer("steps", 2000, 0, Long.MAX_VALUE / 2);
            double maxSeconds = s.number("max_seconds", 0.0, 0.0, false, 1e9);
            long seed = s.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
            int threads = s.intIn("threads", 0, 0, 4096);
            ConfigObject pointsSection = s.object("points");
            Map<String, Integer> points = new LinkedHashMap<>();
            terms.forEach((name, defaultPoints) -> points.put(name, pointsSection.intIn(name, defaultPoints, 1, 1 << 24)));
            pointsSection.finish();
            int resample = s.intIn("resample_every", 1, 1, Integer.MAX_VALUE);
            Optimizer optimizer = Optimizer.parse(s.object("optimizer"));
            Curriculum curriculum = Curriculum.parse(s.object("curriculum"), levels);
            LossWeights weights = LossWeights.parse(s.object("loss_weights"), terms);
            int evalEvery = s.intIn("eval_every", 100, 0, Integer.MAX_VALUE);
            Backend backend = Backend.parse(s.object("backend"));
            s.finish();
            return new Training(steps, maxSeconds, seed, threads, points, resample, optimizer, curriculum, weights,
                    evalEvery, backend);
        }

        void writeTo(ObjectNode n) {
            n.put("steps", steps);
            n.put("max_seconds", maxSeconds);
            n.put("seed", seed);
            n.put("threads", threads);
            ObjectNode p = n.putObject("points");
            points.forEach(p::put);
            n.put("resample_every", resampleEvery);
            optimizer.writeTo(n.putObject("optimizer"));
            curriculum.writeTo(n.putObject("curriculum"));
            lossWeights.writeTo(n.putObject("loss_weights"));
            n.put("eval_every", evalEvery);
            backend.writeTo(n.putObject("backend"));
        }

        /** Total points per step over all terms. */
        public int pointsPerStep() {
            return points.values().stream().mapToInt(Integer::intValue).sum();
        }

        public Training withSteps(long newSteps) {
            return new Training(newSteps, maxSeconds, seed, threads, points, resampleEvery, optimizer, curriculum,
                    lossWeights, evalEvery, backend);
        }

        public Training withMaxSeconds(double seconds) {
            return new Training(steps, seconds, seed, threads, points, resampleEvery, optimizer, curriculum,
                    lossWeights, evalEvery, backend);
        }

        public Training withSeed(long newSeed) {
            return new Training(steps, maxSeconds, newSeed, threads, points, resampleEvery, optimizer, curriculum,
                    lossWeights, evalEvery, backend);
        }

        public Training withBackend(Backend newBackend) {
            return new Training(steps, maxSeconds, seed, threads, points, resampleEvery, optimizer, curriculum,
                    lossWeights, evalEvery, newBackend);
        }

        public Training withThreads(int newThreads) {
            return new Training(steps, maxSeconds, seed, newThreads, points, resampleEvery, optimizer, curriculum,
                    lossWeights, evalEvery, backend);
        }
    }

    /** Parses and validates a whole config; every absent key takes its default. */
    public static TrainConfig parse(JsonNode tree) {
        ConfigObject root = ConfigObject.root(tree);
        ProblemConfig problemConfig = ProblemConfig.parse(root.object("problem"));
        Encoding encoding = Encoding.parse(root.object("encoding"), problemConfig.dims());
        Network network = Network.parse(root.object("network"));
        Training training = Training.parse(root.object("training"), problemConfig.termDefaults(), encoding.levels());
        root.finish();
        return new TrainConfig(problemConfig, encoding, network, training);
    }

    public TrainConfig withTraining(Training newTraining) {
        return new TrainConfig(problem, encoding, network, newTraining);
    }

    /** The resolved config, every default filled in. */
    public ObjectNode toJson() {
        ObjectNode root = ConfigReader.mapper().createObjectNode();
        problem.writeTo(root.putObject("problem"));
        encoding.writeTo(root.putObject("encoding"));
        network.writeTo(root.putObject("network"));
        training.writeTo(root.putObject("training"));
        return root;
    }
}

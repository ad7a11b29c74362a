package io.hermitengp.config;

import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.LevelResolutions;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.network.Precision;
import io.hermitengp.optim.LearningRateSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * differences: the INGP-FD baseline, one table size). Level resolutions either between
     * {@code n_min} and {@code n_max} (instant-NGP's rule) or from {@code base_resolution} growing
     * by {@code per_level_scale} (the Hermite-NGP reference code's rule); {@code hash_every_level}
     * hashes even the tables a coarse level could hold densely; {@code init} {@code uniform}
     * ({@code init_range}) or {@code normal_values} ({@code init_sigma}, derivative tables zero).
     */
    public record Encoding(String type, int levels, int features, LevelResolutions resolutions,
                           boolean hashEveryLevel, int[] log2TableSizes, CoefficientUnits coefficients,
                           TableInit init) {
        public static final String HERMITE = "hermite";
        public static final String INGP_FD = "ingp_fd";
        private static final String UNIFORM = "uniform";
        private static final String NORMAL_VALUES = "normal_values";

        static Encoding parse(ConfigObject s, int dims) {
            String type = s.choice("type", HERMITE, HERMITE, INGP_FD);
            int levels = s.intIn("levels", 16, 1, 64);
            int features = s.intIn("features", 2, 1, 16);
            LevelResolutions resolutions;
            if (s.has("base_resolution") || s.has("per_level_scale")) {
                int base = s.intIn("base_resolution", 16, 1, 1 << 20);
                double scale = s.number("per_level_scale", 2.0, 1.0, false, 16.0);
                resolutions = new LevelResolutions.Scaled(base, scale);
            } else {
                int nMin = s.intIn("n_min", 16, 1, 1 << 20);
                int nMax = s.intIn("n_max", 1024, 1, 1 << 20);
                if (nMax < nMin) {
                    throw new ConfigException(s.path() + ".n_max must be >= n_min (" + nMin + "), got " + nMax);
                }
                resolutions = new LevelResolutions.Geometric(nMin, nMax);
            }
            try {
                resolutions.of(levels);
            } catch (IllegalArgumentException tooFine) {
                throw new ConfigException(s.path() + ": " + tooFine.getMessage());
            }
            boolean hashEveryLevel = s.bool("hash_every_level", false);
            boolean hermite = type.equals(HERMITE);
            int[] defaultSizes = !hermite ? new int[]{16} : dims == 2 ? new int[]{14, 14, 10} : new int[]{16, 16, 16, 14};
            int tables = hermite ? dims + 1 : 1;
            int[] sizes = s.intArray("log2_table_sizes", defaultSizes, tables, tables, 1, 24);
            String units = s.choice("coefficients", "cell", "cell", "physical");
            String initRule = s.choice("init", UNIFORM, UNIFORM, NORMAL_VALUES);
            TableInit init = initRule.equals(UNIFORM)
                    ? TableInit.uniform(s.number("init_range", 1e-4, 0.0, false, 1.0))
                    : TableInit.normalValues(s.number("init_sigma", 0.01, 0.0, false, 1.0));
            s.finish();
            return new Encoding(type, levels, features, resolutions, hashEveryLevel, sizes,
                    units.equals("cell") ? CoefficientUnits.CELL : CoefficientUnits.PHYSICAL, init);
        }

        /** {@code N_l} of every level. */
        public int[] levelResolutions() {
            return resolutions.of(levels);
        }

        void writeTo(ObjectNode n) {
            n.put("type", type);
            n.put("levels", levels);
            n.put("features", features);
            if (resolutions instanceof LevelResolutions.Scaled scaled) {
                n.put("base_resolution", scaled.base());
                n.put("per_level_scale", scaled.perLevelScale());
            } else if (resolutions instanceof LevelResolutions.Geometric geometric) {
                n.put("n_min", geometric.nMin());
                n.put("n_max", geometric.nMax());
            }
            n.put("hash_every_level", hashEveryLevel);
            var sizes = n.putArray("log2_table_sizes");
            Arrays.stream(log2TableSizes).forEach(sizes::add);
            n.put("coefficients", coefficients.configName());
            n.put("init", init.normalValues() ? NORMAL_VALUES : UNIFORM);
            n.put(init.normalValues() ? "init_sigma" : "init_range", init.scale());
        }
    }

    /**
     * {@code network}: the SIREN: hidden widths, {@code omega_0} on the first layer and
     * {@code omega} on the later ones, and the rule its biases start by ({@link BiasInit}).
     */
    public record Network(int[] hidden, double omega0, double omega, BiasInit biasInit) {
        static Network parse(ConfigObject s) {
            int[] hidden = s.intArray("hidden", new int[]{64, 64}, 1, 16, 1, 4096);
            double omega0 = s.number("omega_0", 30.0, 0.0, true, 1e4);
            double omega = s.number("omega", 30.0, 0.0, true, 1e4);
            String bias = s.choice("bias_init", BiasInit.FAN_IN_SQRT.configName(),
                    Arrays.stream(BiasInit.values()).map(BiasInit::configName).toArray(String[]::new));
            s.finish();
            return new Network(hidden, omega0, omega, BiasInit.fromConfig(bias));
        }

        void writeTo(ObjectNode n) {
            var h = n.putArray("hidden");
            Arrays.stream(hidden).forEach(h::add);
            n.put("omega_0", omega0);
            n.put("omega", omega);
            n.put("bias_init", biasInit.configName());
        }
    }

    /**
     * {@code training.optimizer}: Adam, over two parameter groups ({@code groups: split}: the
     * tables at {@code lr_tables}, each level with its own update count, the network at
     * {@code lr_network}) or one ({@code single}: every parameter at {@code lr}, one update count,
     * as the Hermite-NGP reference code runs it); the rates follow a {@link LearningRateSchedule}
     * ({@code schedule} {@code exponential} or {@code step} with {@code decay_rate} every
     * {@code decay_steps}, or {@code cosine} down to {@code eta_min} over {@code cosine_steps},
     * by default the run's steps, so a run capped below its full budget can follow the full
     * run's curve), after
     * {@code warmup_steps} steps at the initial rate that come before the counted steps.
     */
    public record Optimizer(boolean singleGroup, double lr, double lrTables, double lrNetwork, double beta1,
                            double beta2, double epsilon, LearningRateSchedule.Kind schedule, double decayRate,
                            int decaySteps, double etaMin, long cosineSteps, int warmupSteps) {
        private static final String SPLIT = "split";
        private static final String SINGLE = "single";

        static Optimizer parse(ConfigObject s) {
            boolean single = s.choice("groups", SPLIT, SPLIT, SINGLE).equals(SINGLE);
            double lr = single ? s.number("lr", 1e-3, 0.0, true, 10.0) : 0.0;
            double lrTables = single ? lr : s.number("lr_tables", 1e-2, 0.0, true, 10.0);
            double lrNetwork = single ? lr : s.number("lr_network", 1e-3, 0.0, true, 10.0);
            double beta1 = s.number("beta1", 0.9, 0.0, false, 0.999999);
            double beta2 = s.number("beta2", 0.99, 0.0, false, 0.999999);
            double epsilon = s.number("epsilon", 1e-15, 0.0, false, 1.0);
            LearningRateSchedule.Kind kind = LearningRateSchedule.Kind.fromConfig(s.choice("schedule", "exponential",
                    Arrays.stream(LearningRateSchedule.Kind.values()).map(LearningRateSchedule.Kind::configName)
                            .toArray(String[]::new)));
            boolean cosine = kind == LearningRateSchedule.Kind.COSINE;
            double decayRate = cosine ? 1.0 : s.number("decay_rate", 1.0, 0.0, true, 1.0);
            int decaySteps = cosine ? 1 : s.intIn("decay_steps", 1000, 1, Integer.MAX_VALUE);
            double etaMin = cosine ? s.number("eta_min", 0.0, 0.0, false, 10.0) : 0.0;
            long cosineSteps = cosine ? s.integer("cosine_steps", 0, 0, Long.MAX_VALUE / 2) : 0;
            int warmup = s.intIn("warmup_steps", 0, 0, Integer.MAX_VALUE);
            s.finish();
            return new Optimizer(single, lr, lrTables, lrNetwork, beta1, beta2, epsilon, kind, decayRate, decaySteps,
                    etaMin, cosineSteps, warmup);
        }

        /** The schedule of a run of {@code runSteps} counted steps. */
        public LearningRateSchedule schedule(long runSteps) {
            return new LearningRateSchedule(schedule, decayRate, decaySteps, etaMin,
                    cosineSteps > 0 ? cosineSteps : runSteps);
        }

        void writeTo(ObjectNode n) {
            n.put("groups", singleGroup ? SINGLE : SPLIT);
            if (singleGroup) {
                n.put("lr", lr);
            } else {
                n.put("lr_tables", lrTables);
                n.put("lr_network", lrNetwork);
            }
            n.put("beta1", beta1);
            n.put("beta2", beta2);
            n.put("epsilon", epsilon);
            n.put("schedule", schedule.configName());
            if (schedule == LearningRateSchedule.Kind.COSINE) {
                n.put("eta_min", etaMin);
                n.put("cosine_steps", cosineSteps);
            } else {
                n.put("decay_rate", decayRate);
                n.put("decay_steps", decaySteps);
            }
            n.put("warmup_steps", warmupSteps);
        }
    }

    /**
     * {@code training.curriculum}: coarse-to-fine training. Either growing ({@code start_levels},
     * one more every {@code levels_every} steps; levels not yet reached are switched off: they
     * feed zeros and receive nothing) or by {@code phases} ({@code [{"until_step": 5000,
     * "levels": 4}, ...]}, all levels after the last phase; levels beyond a phase's count are
     * frozen: they feed the network their current values and are not updated, the reference
     * code's gradient mask).
     */
    public record Curriculum(boolean enabled, int startLevels, int levelsEvery, List<Phase> phases) {
        /** Until step {@code untilStep} (exclusive), the first {@code levels} levels are trained. */
        public record Phase(long untilStep, int levels) {
        }

        static Curriculum parse(ConfigObject s, int levels) {
            boolean enabled = s.bool("enabled", true);
            if (s.has("phases")) {
                List<Phase> phases = new ArrayList<>();
                List<ConfigObject> items = s.objectArray("phases", 1, 64);
                for (ConfigObject item : items) {
                    long until = item.integer("until_step", 0, 1, Long.MAX_VALUE / 2);
                    int count = item.intIn("levels", levels, 1, levels);
                    item.finish();
                    if (!phases.isEmpty() && (until <= phases.get(phases.size() - 1).untilStep()
                            || count < phases.get(phases.size() - 1).levels())) {
                        throw new ConfigException(item.path() + ": phases must have increasing until_step and "
                                + "non-decreasing levels");
                    }
                    phases.add(new Phase(until, count));
                }
                s.finish();
                return new Curriculum(enabled, levels, 1, List.copyOf(phases));
            }
            int start = s.intIn("start_levels", Math.min(4, levels), 1, levels);
            int every = s.intIn("levels_every", 250, 1, Integer.MAX_VALUE);
            s.finish();
            return new Curriculum(enabled, start, every, List.of());
        }

        /**
         * Levels trained at step t: {@code min(L, start_levels + floor(t / levels_every))} when
         * growing, the phase's count with phases, L when disabled.
         */
        public int activeLevels(long step, int levels) {
            if (!enabled) {
                return levels;
            }
            if (!phases.isEmpty()) {
                for (Phase phase : phases) {
                    if (step < phase.untilStep()) {
                        return phase.levels();
                    }
                }
                return levels;
            }
            return (int) Math.min(levels, startLevels + step / levelsEvery);
        }

        /** Levels that feed the network at step t: all of them with phases, else the trained ones. */
        public int evaluatedLevels(long step, int levels) {
            return enabled && !phases.isEmpty() ? levels : activeLevels(step, levels);
        }

        void writeTo(ObjectNode n) {
            n.put("enabled", enabled);
            if (phases.isEmpty()) {
                n.put("start_levels", startLevels);
                n.put("levels_every", levelsEvery);
            } else {
                var array = n.putArray("phases");
                for (Phase phase : phases) {
                    array.addObject().put("until_step", phase.untilStep()).put("levels", phase.levels());
                }
            }
        }
    }

    /**
     * {@code training.loss_weights}: fixed {@code weights}, or updated every {@code update_every}
     * steps starting from them: {@code grad_norm} (every term towards the mean gradient norm) or
     * {@code grad_ratio} (every term but the {@code reference} towards the ratio of the
     * reference's gradient norm to its own, clamped to {@code [min_weights, max_weights]}).
     * {@code start_steps} holds a term out of the loss until a counted step: its weight is 0 before
     * (warm-up included) and it is not balanced; from that step on it enters with its weight from
     * {@code weights} and is balanced like the others (0, the default, for a term in the loss from
     * the start). The reference term of {@code grad_ratio} is in the loss from the start.
     */
    public record LossWeights(String mode, Map<String, Double> weights, int updateEvery, String reference,
                              Map<String, Double> minWeights, Map<String, Double> maxWeights,
                              Map<String, Long> startSteps) {
        public static final String FIXED = "fixed";
        public static final String GRAD_NORM = "grad_norm";
        public static final String GRAD_RATIO = "grad_ratio";

        static LossWeights parse(ConfigObject s, Map<String, Integer> terms) {
            String mode = s.choice("mode", FIXED, FIXED, GRAD_NORM, GRAD_RATIO);
            Map<String, Double> ones = new LinkedHashMap<>();
            terms.keySet().forEach(name -> ones.put(name, 1.0));
            Map<String, Double> weights = s.numberMap("weights", ones, 0.0, false, 1e12);
            Map<String, Long> fromTheStart = new LinkedHashMap<>();
            terms.keySet().forEach(name -> fromTheStart.put(name, 0L));
            Map<String, Long> startSteps = s.integerMap("start_steps", fromTheStart, 0, Long.MAX_VALUE / 2);
            int every = s.intIn("update_every", 100, 1, Integer.MAX_VALUE);
            if (!mode.equals(GRAD_RATIO)) {
                s.finish();
                return new LossWeights(mode, weights, every, "", Map.of(), Map.of(), startSteps);
            }
            String first = terms.keySet().iterator().next();
            String reference = s.choice("reference", first, terms.keySet().toArray(String[]::new));
            if (startSteps.get(reference) != 0) {
                // the others are balanced against its gradient, so it cannot be missing from the loss
                throw new ConfigException(s.path() + ".start_steps." + reference + " must be 0: '" + reference
                        + "' is the reference of grad_ratio, got " + startSteps.get(reference));
            }
            Map<String, Double> caps = new LinkedHashMap<>();
            terms.keySet().forEach(name -> caps.put(name, 1e12));
            Map<String, Double> minWeights = s.numberMap("min_weights", ones, 0.0, false, 1e12);
            Map<String, Double> maxWeights = s.numberMap("max_weights", caps, 0.0, false, 1e12);
            for (String name : terms.keySet()) {
                if (minWeights.get(name) > maxWeights.get(name)) {
                    throw new ConfigException(s.path() + ".min_weights." + name + " (" + minWeights.get(name)
                            + ") is above max_weights." + name + " (" + maxWeights.get(name) + ")");
                }
            }
            s.finish();
            return new LossWeights(mode, weights, every, reference, minWeights, maxWeights, startSteps);
        }

        /** The first counted step at which the term is in the loss (0 for a term absent from {@code start_steps}). */
        public long startStep(String term) {
            return startSteps.getOrDefault(term, 0L);
        }

        void writeTo(ObjectNode n) {
            n.put("mode", mode);
            ObjectNode w = n.putObject("weights");
            weights.forEach(w::put);
            ObjectNode start = n.putObject("start_steps");
            startSteps.forEach(start::put);
            n.put("update_every", updateEvery);
            if (mode.equals(GRAD_RATIO)) {
                n.put("reference", reference);
                ObjectNode min = n.putObject("min_weights");
                minWeights.forEach(min::put);
                ObjectNode max = n.putObject("max_weights");
                maxWeights.forEach(max::put);
            }
        }
    }

    /**
     * {@code training.ema}: an exponential moving average of every parameter,
     * {@code avg <- decay avg + (1 - decay) theta} after every step (decay 0: off). When on, the
     * error curve, the metrics and the stored field are the average's; {@code report}
     * {@code final} reports the average at the last step, {@code best} the snapshot of it with the
     * lowest rel_l2 among the evaluations (the reference code's protocol), the final one beside it.
     */
    public record Ema(double decay, boolean reportBest) {
        public static final Ema OFF = new Ema(0.0, false);

        static Ema parse(ConfigObject s) {
            double decay = s.number("decay", 0.0, 0.0, false, 0.999999999);
            boolean best = s.choice("report", "final", "final", "best").equals("best");
            s.finish();
            return new Ema(decay, best);
        }

        public boolean enabled() {
            return decay > 0;
        }

        void writeTo(ObjectNode n) {
            n.put("decay", decay);
            n.put("report", reportBest ? "best" : "final");
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

    /**
     * {@code training}: budget, sampling, optimizer, curriculum, weights, averaging, evaluation, backend
     * and precision. {@code fixed_points} names the terms whose points are drawn once per run and
     * used at every step (the others are drawn anew every {@code resample_every} steps).
     * {@code precision} is the format of the network's arithmetic ({@link Precision}): on the CPU's
     * tiled paths and on OpenCL, not on the CPU's reference path.
     */
    public record Training(long steps, double maxSeconds, long seed, int threads, Map<String, Integer> points,
                           List<String> fixedPoints, int resampleEvery, Optimizer optimizer, Curriculum curriculum,
                           LossWeights lossWeights, Ema ema, int evalEvery, Backend backend, Precision precision) {
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
            List<String> fixedPoints = s.choiceList("fixed_points", terms.size(),
                    terms.keySet().toArray(String[]::new));
            int resample = s.intIn("resample_every", 1, 1, Integer.MAX_VALUE);
            Optimizer optimizer = Optimizer.parse(s.object("optimizer"));
            Curriculum curriculum = Curriculum.parse(s.object("curriculum"), levels);
            LossWeights weights = LossWeights.parse(s.object("loss_weights"), terms);
            Ema ema = Ema.parse(s.object("ema"));
            int evalEvery = s.intIn("eval_every", 100, 0, Integer.MAX_VALUE);
            Backend backend = Backend.parse(s.object("backend"));
            Precision precision = Precision.fromConfig(s.choice("precision", Precision.FLOAT64.configName(),
                    Arrays.stream(Precision.values()).map(Precision::configName).toArray(String[]::new)));
            s.finish();
            return new Training(steps, maxSeconds, seed, threads, points, fixedPoints, resample, optimizer, curriculum,
                    weights, ema, evalEvery, backend, precision);
        }

        void writeTo(ObjectNode n) {
            n.put("steps", steps);
            n.put("max_seconds", maxSeconds);
            n.put("seed", seed);
            n.put("threads", threads);
            ObjectNode p = n.putObject("points");
            points.forEach(p::put);
            var fixed = n.putArray("fixed_points");
            fixedPoints.forEach(fixed::add);
            n.put("resample_every", resampleEvery);
            optimizer.writeTo(n.putObject("optimizer"));
            curriculum.writeTo(n.putObject("curriculum"));
            lossWeights.writeTo(n.putObject("loss_weights"));
            ema.writeTo(n.putObject("ema"));
            n.put("eval_every", evalEvery);
            backend.writeTo(n.putObject("backend"));
            n.put("precision", precision.configName());
        }

        /** Total points per step over all terms. */
        public int pointsPerStep() {
            return points.values().stream().mapToInt(Integer::intValue).sum();
        }

        public Training withSteps(long newSteps) {
            return new Training(newSteps, maxSeconds, seed, threads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, backend, precision);
        }

        public Training withMaxSeconds(double seconds) {
            return new Training(steps, seconds, seed, threads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, backend, precision);
        }

        public Training withSeed(long newSeed) {
            return new Training(steps, maxSeconds, newSeed, threads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, backend, precision);
        }

        public Training withBackend(Backend newBackend) {
            return new Training(steps, maxSeconds, seed, threads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, newBackend, precision);
        }

        public Training withPrecision(Precision newPrecision) {
            return new Training(steps, maxSeconds, seed, threads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, backend, newPrecision);
        }

        public Training withThreads(int newThreads) {
            return new Training(steps, maxSeconds, seed, newThreads, points, fixedPoints, resampleEvery, optimizer,
                    curriculum, lossWeights, ema, evalEvery, backend, precision);
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

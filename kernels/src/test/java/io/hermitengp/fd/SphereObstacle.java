package io.hermitengp.fd;

/** The ball |x - c| < r as an exact obstacle: inside by distance, crossings by the quadratic along the edge. */
record SphereObstacle(double[] centre, double radius) implements LatticeObstacle {
    @Override
    public boolean[] inside(Lattice lattice, int threads) {
        boolean[] inside = new boolean[lattice.nodes()];
        double[] x = new double[3];
        for (int p = 0; p < inside.length; p++) {
            lattice.point(p, x, 0);
            inside[p] = distance(x) < radius;
        }
        return inside;
    }

    double distance(double[] x) {
        double s = 0;
        for (int a = 0; a < 3; a++) {
            s += (x[a] - centre[a]) * (x[a] - centre[a]);
        }
        return Math.sqrt(s);
    }

    /** Smallest t with |o + t (i - o) - c| = r: the root of a t^2 + 2 b t + c0 = 0 nearest the outside node. */
    @Override
    public double crossing(double[] outside, double[] inside) {
        double a = 0;
        double b = 0;
        double c0 = -radius * radius;
        for (int k = 0; k < 3; k++) {
            double d = inside[k] - outside[k];
            double o = outside[k] - centre[k];
            a += d * d;
            b += d * o;
            c0 += o * o;
        }
        return (-b - Math.sqrt(Math.max(0, b * b - a * c0))) / a;
    }
}

package io.tidegate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small inline-SVG line chart: axes, grid, labelled ticks, one polyline per series and a legend.
 * Written by hand so the HTML report needs no script or library from anywhere.
 */
final class SvgLineChart {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    record Series(String name, String color, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private DoubleFunction<String> xTickLabel = SvgLineChart::number;
    private double[] xTicks;

    SvgLineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    SvgLineChart add(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, x, y));
        return this;
    }

    /** Fixed x ticks with their own labels (the percentile chart's 50%, 90%, 99% ...). */
    SvgLineChart xTicks(double[] ticks, DoubleFunction<String> label) {
        this.xTicks = ticks;
        this.xTickLabel = label;
        return this;
    }

    String render() {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                xMin = Math.min(xMin, s.x[i]);
                xMax = Math.max(xMax, s.x[i]);
                yMax = Math.max(yMax, s.y[i]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>%n", LEFT, Html.escape(title)));
        if (xMin == Double.MAX_VALUE) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text></svg>%n", LEFT, HEIGHT / 2));
            return svg.toString();
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        yMax = niceCeiling(yMax);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double fxMin = xMin;
        double fxSpan = xMax - xMin;
        double fyMax = yMax;
        DoubleFunction<Double> px = x -> LEFT + (x - fxMin) / fxSpan * plotW;
        DoubleFunction<Double> py = y -> TOP + plotH - y / fyMax * plotH;
        for (int i = 0; i <= 4; i++) {
            double y = yMax * i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" class=\"ytick\">%s</text>%n",
                    LEFT, py.apply(y), WIDTH - RIGHT, py.apply(y), LEFT - 6, py.apply(y) + 4, number(y)));
        }
        double[] ticks = xTicks != null ? xTicks : evenTicks(xMin, xMax);
        for (double x : ticks) {
            if (x < xMin || x > xMax) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" class=\"xtick\">%s</text>%n",
                    px.apply(x), TOP, px.apply(x), TOP + plotH, px.apply(x), TOP + plotH + 16, Html.escape(xTickLabel.apply(x))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xlabel\">%s</text>%n", LEFT + plotW / 2, HEIGHT - 6, Html.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" class=\"ylabel\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, Html.escape(yLabel)));
        int legendX = LEFT + 10;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x.length; i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.apply(s.x[i]), py.apply(s.y[i])));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>%n", s.color, points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>%n",
                    legendX, TOP + 4, s.color, legendX + 16, TOP + 9, Html.escape(s.name)));
            legendX += 24 + 7 * s.name.length();
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double[] evenTicks(double min, double max) {
        double step = niceCeiling((max - min) / 8);
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) {
            ticks.add(t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** 1, 2 or 5 times a power of ten, at or above the value. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%,.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}

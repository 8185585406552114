package io.windrose.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** Draws the run's figures as a PNG: throughput by scenario (bars) and alert latency percentiles. */
final class Chart {
    private static final Color BROKER = new Color(0x9e, 0x9e, 0x9e);
    private static final Color WINDROSE = new Color(0x1f, 0x77, 0xb4);
    private static final Color BASELINE = new Color(0xbd, 0xbd, 0xbd);

    private Chart() {}

    static void write(List<Map<String, Object>> figures, String title, Path file) throws IOException {
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> latency = new ArrayList<>();
        for (Map<String, Object> f : figures) {
            if (f.get("msgs_per_s") != null || f.get("readings_per_s") != null) {
                bars.add(f);
            }
            if (f.get("p50_ms") != null) {
                latency.add(f);
            }
        }
        int rowHeight = 34;
        int chartHeight = 90 + bars.size() * rowHeight + 4 * 40 + (latency.isEmpty() ? 0 : 60 + latency.size() * 3 * 26);
        BufferedImage image = new BufferedImage(1100, Math.max(chartHeight, 200), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("messages (or readings) per second; grey = baseline measured in the same run, blue = Windrose", 20, 52);

        int left = 230;
        int width = 700;
        int y = 75;
        String currentGroup = null;
        for (Map<String, Object> f : bars) {
            String scenario = (String) f.get("scenario");
            String group = group(scenario);
            if (!group.equals(currentGroup)) {
                currentGroup = group;
                y += 14;
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g.drawString(group, 20, y + 6);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                y += 16;
            }
            // each group has its own scale: the bars compare within a group, not across
            double max = bars.stream().filter(b -> group(((String) b.get("scenario"))).equals(group))
                    .mapToDouble(Chart::rate).max().orElse(1);
            double rate = rate(f);
            int w = (int) (width * rate / max);
            g.setColor(scenario.startsWith("broker") ? BROKER : scenario.endsWith("baseline") ? BASELINE : WINDROSE);
            g.fillRect(left, y, Math.max(w, 1), rowHeight - 10);
            g.setColor(Color.BLACK);
            g.drawString(scenario, 20, y + 17);
            Object ratio = f.getOrDefault("ratio_to_broker", f.getOrDefault("ratio_to_baseline", f.get("ratio_to_in_job")));
            g.drawString(String.format(Locale.ROOT, "%,.0f/%s%s", rate, perCpu(f) ? "CPU-s" : "s",
                    ratio == null ? "" : String.format(Locale.ROOT, "  (x%.2f)", ((Number) ratio).doubleValue())),
                    left + w + 8, y + 17);
            y += rowHeight;
        }
        if (!latency.isEmpty()) {
            y += 30;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Alert latency, publish -> alert on Kafka (ms)", 20, y);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            y += 15;
            double maxMs = latency.stream().mapToDouble(f -> ((Number) f.get("max_ms")).doubleValue()).max().orElse(1);
            for (Map<String, Object> f : latency) {
                for (String p : List.of("p50_ms", "p99_ms", "max_ms")) {
                    double ms = ((Number) f.get(p)).doubleValue();
                    int w = (int) (width * ms / Math.max(maxMs, 1));
                    g.setColor(WINDROSE);
                    g.fillRect(left, y, Math.max(w, 1), 18);
                    g.setColor(Color.BLACK);
                    g.drawString(f.get("scenario") + " " + p.replace("_ms", ""), 20, y + 14);
                    g.drawString(String.format(Locale.ROOT, "%.1f ms", ms), left + w + 8, y + 14);
                    y += 26;
                }
            }
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static String group(String scenario) {
        if (scenario.startsWith("broker") || scenario.startsWith("e2e")) {
            return "MQTT end to end: broker limit (grey) vs Windrose (blue), msgs/s";
        }
        if (scenario.startsWith("in-job")) {
            return "In-job, no broker: source alone (grey) vs the pipeline (blue), readings/s";
        }
        if (scenario.startsWith("replay")) {
            return "Replay of the archive vs the live pipeline in the job, same readings, readings per CPU-second";
        }
        if (scenario.startsWith("windows")) {
            return "Window kinds and statistics: readings/s at 10,000 sensors";
        }
        return "Key scale: readings/s by number of sensors and state backend";
    }

    /** The replay figures compare CPU, not wall time (replay and the live pipeline use different numbers of cores). */
    private static boolean perCpu(Map<String, Object> f) {
        return ((String) f.get("scenario")).startsWith("replay") && f.get("readings_per_cpu_s") != null;
    }

    private static double rate(Map<String, Object> f) {
        if (perCpu(f)) {
            return ((Number) f.get("readings_per_cpu_s")).doubleValue();
        }
        Object rate = f.getOrDefault("msgs_per_s", f.get("readings_per_s"));
        return ((Number) rate).doubleValue();
    }
}

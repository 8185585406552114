package io.windrose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code bench/run --profile}: a JDK Flight Recorder recording (the JDK's "profile" settings: a Java sample every
 * 10 ms per running thread) around one scenario, written as {@code <name>.jfr}, folded stacks ({@code <name>.folded},
 * for any flame-graph tool) and a flame graph ({@code <name>-flame.svg}, the root split by thread, the task threads
 * with their subtask numbers removed); the top frames go to stderr.
 */
final class Profiler implements AutoCloseable {
    private final Recording recording;
    private final Path out;
    private final String name;

    Profiler(Path out, String name) throws Exception {
        this.out = out;
        this.name = name;
        this.recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
    }

    @Override
    public void close() throws IOException {
        recording.stop();
        Path jfr = out.resolve(name + ".jfr");
        recording.dump(jfr);
        recording.close();
        Map<String, Long> folded = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            RecordedStackTrace stack = event.getStackTrace();
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || stack == null) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            frames.add(thread(event.getThread("sampledThread").getJavaName()));
            List<RecordedFrame> recorded = stack.getFrames();
            for (int i = recorded.size() - 1; i >= 0; i--) {
                RecordedFrame frame = recorded.get(i);
                frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
            }
            folded.merge(String.join(";", frames), 1L, Long::sum);
        }
        StringBuilder text = new StringBuilder();
        folded.forEach((stack, count) -> text.append(stack).append(' ').append(count).append('\n'));
        Files.writeString(out.resolve(name + ".folded"), text);
        Files.writeString(out.resolve(name + "-flame.svg"), FlameGraph.svg(folded, name));
        summarize(folded);
    }

    /** Task threads without "(1/2)#0": one flame per task, whatever its subtask. */
    static String thread(String name) {
        return name == null ? "?" : name.replaceAll(" \\(\\d+/\\d+\\)#\\d+", "").replaceAll("-\\d+$", "-N");
    }

    private void summarize(Map<String, Long> folded) {
        long total = folded.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> threads = new TreeMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        folded.forEach((stack, count) -> {
            String[] frames = stack.split(";");
            threads.merge(frames[0], count, Long::sum);
            self.merge(frames[frames.length - 1], count, Long::sum);
            Set<String> seen = new HashSet<>();
            for (int i = 1; i < frames.length; i++) {
                if (frames[i].startsWith("io.windrose") && seen.add(frames[i])) {
                    inclusive.merge(frames[i], count, Long::sum);
                }
            }
        });
        System.err.printf("[profile] %s: %d samples; threads:%n", name, total);
        top(threads, 8, total);
        System.err.printf("[profile] %s: top frames (self):%n", name);
        top(self, 12, total);
        System.err.printf("[profile] %s: Windrose frames (inclusive):%n", name);
        top(inclusive, 15, total);
    }

    private static void top(Map<String, Long> counts, int n, long total) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.err.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    /** A static SVG flame graph from folded stacks: width by samples, callers below callees. */
    static final class FlameGraph {
        private static final int ROW = 16;
        private static final double WIDTH = 1600;

        private static final class Node {
            final Map<String, Node> children = new LinkedHashMap<>();
            long samples;
        }

        static String svg(Map<String, Long> folded, String title) {
            Node root = new Node();
            folded.forEach((stack, count) -> {
                Node node = root;
                node.samples += count;
                for (String frame : stack.split(";")) {
                    node = node.children.computeIfAbsent(frame, f -> new Node());
                    node.samples += count;
                }
            });
            int depth = depth(root);
            double height = (depth + 2) * ROW;
            StringBuilder svg = new StringBuilder();
            svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append((int) WIDTH).append("\" height=\"")
                    .append((int) height).append("\" font-family=\"monospace\" font-size=\"11\">\n")
                    .append("<text x=\"4\" y=\"12\">").append(escape(title + " — " + root.samples + " samples"))
                    .append("</text>\n");
            draw(svg, root, 0, height - ROW, WIDTH / Math.max(1, root.samples), "all");
            return svg.append("</svg>\n").toString();
        }

        private static int depth(Node node) {
            int max = 0;
            for (Node child : node.children.values()) {
                max = Math.max(max, depth(child));
            }
            return max + 1;
        }

        private static void draw(StringBuilder svg, Node node, double x, double y, double scale, String name) {
            double w = node.samples * scale;
            if (w < 0.5) {
                return;
            }
            int hue = name.startsWith("io.windrose") ? 30 : name.startsWith("org.apache.flink") ? 200 : 0;
            int light = 55 + Math.abs(name.hashCode() % 25);
            svg.append("<g><title>").append(escape(name)).append(" (").append(node.samples).append(")</title>")
                    .append(String.format(java.util.Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"hsl(%d,70%%,%d%%)\"/>",
                            x, y, w, ROW - 1, hue, light));
            int chars = (int) (w / 7);
            if (chars > 3) {
                String label = name.length() > chars ? name.substring(name.length() - chars) : name;
                svg.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">", x + 2, y + ROW - 4))
                        .append(escape(label)).append("</text>");
            }
            svg.append("</g>\n");
            double cx = x;
            List<Map.Entry<String, Node>> children = new ArrayList<>(node.children.entrySet());
            children.sort(Comparator.comparing(Map.Entry::getKey));
            for (Map.Entry<String, Node> child : children) {
                draw(svg, child.getValue(), cx, y - ROW, scale, child.getKey());
                cx += child.getValue().samples * scale;
            }
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}

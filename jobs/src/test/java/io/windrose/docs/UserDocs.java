package io.windrose.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The user documentation as the tests read it: README.md, docs/*.md and deploy/**.md, their fenced blocks and links. */
final class UserDocs {
    /** The repository root, seen from a module directory (the tests run in jobs/). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+)\\s*([^`]*)$");
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private UserDocs() {}

    /** A fenced code block: the file, the line of its opening fence (1-based), its info string and text. */
    record Block(Path file, int line, String info, String text) {
        String language() {
            return info.isBlank() ? "" : info.trim().split("\\s+")[0];
        }

        /** The words after the language, e.g. {@code rule} in {@code ```yaml rule}. */
        String kind() {
            String[] words = info.trim().split("\\s+");
            return words.length > 1 ? words[1] : "";
        }

        /** "README.md:27" */
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    /** A relative link: the file and line it is on, its target as written. */
    record Link(Path file, int line, String target) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    static List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        files.addAll(markdownUnder(ROOT.resolve("docs")));
        files.addAll(markdownUnder(ROOT.resolve("deploy")));
        return files;
    }

    private static List<Path> markdownUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Block> blocks(Path file) {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                String line = lines.get(j);
                if (line.trim().startsWith(fence) && line.trim().replace("`", "").isBlank()) {
                    break;
                }
                text.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
            }
            blocks.add(new Block(file, i + 1, open.group(3), text.toString()));
            i = j;
        }
        return blocks;
    }

    static List<Block> blocks() {
        return files().stream().flatMap(f -> blocks(f).stream()).toList();
    }

    /** Relative links outside code blocks and inline code. */
    static List<Link> links(Path file) {
        List<Link> links = new ArrayList<>();
        List<String> lines = lines(file);
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) { // not http:, https:, mailto:
                    links.add(new Link(file, i + 1, target));
                }
            }
        }
        return links;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static List<String> anchors(Path file) {
        List<String> anchors = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines(file)) {
            if (line.trim().startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence && line.startsWith("#")) {
                anchors.add(anchor(line.replaceFirst("^#+", "")));
            }
        }
        return anchors;
    }
}

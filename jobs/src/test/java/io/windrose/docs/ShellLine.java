package io.windrose.docs;

import java.util.ArrayList;
import java.util.List;

/** One command of a shell block as a user would paste it: continuation lines joined, comments dropped, words split. */
record ShellLine(UserDocs.Block block, int offset, List<String> words) {
    String where() {
        return UserDocs.ROOT.relativize(block.file()) + ":" + (block.line() + 1 + offset);
    }

    static List<ShellLine> of(UserDocs.Block block) {
        List<ShellLine> lines = new ArrayList<>();
        String[] raw = block.text().split("\n", -1);
        StringBuilder command = new StringBuilder();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (command.length() == 0) {
                start = i;
            }
            String line = raw[i];
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            command.append(line);
            List<String> words = words(command.toString());
            if (!words.isEmpty()) {
                lines.add(new ShellLine(block, start, words));
            }
            command.setLength(0);
        }
        return lines;
    }

    /** Words as the shell splits them (quotes removed, variables left as written), up to a comment, ; && | or &. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null || c == ';' || c == '|' || c == '&') {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c == '\\' && i + 1 < line.length() ? line.charAt(++i) : c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}

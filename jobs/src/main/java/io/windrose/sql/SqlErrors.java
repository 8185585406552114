package io.windrose.sql;

import java.util.LinkedHashSet;
import java.util.Set;

/** Flink's errors for a SQL statement, told in a line or a few: the messages of the cause chain, each once. */
final class SqlErrors {
    private SqlErrors() {}

    static String describe(Throwable error) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = error; t != null && messages.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()
                    && messages.stream().noneMatch(m -> m.contains(message.strip()))) {
                messages.add(message.strip());
            }
        }
        return messages.isEmpty() ? error.toString() : String.join("\n  caused by: ", messages);
    }
}

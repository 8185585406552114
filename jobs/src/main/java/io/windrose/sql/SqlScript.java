package io.windrose.sql;

import io.windrose.config.EnvironmentVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script as {@code windrose sql} runs it: statements separated by {@code ;} (not inside quotes, identifiers or
 * comments; an {@code EXECUTE STATEMENT SET BEGIN … END} block is one statement), comments removed, {@code ${NAME}} /
 * {@code ${NAME:-default}} in string literals replaced by environment variables (their quotes doubled, so a value
 * cannot end the literal), each statement with the line it starts on for error messages.
 */
public final class SqlScript {
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'((?:[^']|'')*)'\\s*=\\s*'((?:[^']|'')*)'");
    private static final Pattern STATEMENT_SET = Pattern.compile("(?is)(EXECUTE\\s+|BEGIN\\s+)?STATEMENT\\s+SET\\b.*");
    private static final Pattern ENDS_WITH_END = Pattern.compile("(?is).*\\bEND");

    /** One statement of the script, without its {@code ;}. */
    public record Statement(int line, String text) {
        /** The statement's first words in upper case, one space apart (for telling kinds apart). */
        String head() {
            String[] words = text.trim().split("\\s+", 4);
            return String.join(" ", words).toUpperCase(Locale.ROOT);
        }

        /** A {@code SET} statement (which Flink's TableEnvironment leaves to its SQL client). */
        boolean isSet() {
            return head().startsWith("SET ") || head().equals("SET");
        }

        /** The key and value of {@code SET 'key' = 'value'}, or empty for any other statement or form. */
        Optional<Map.Entry<String, String>> setting() {
            Matcher m = SET.matcher(text.trim());
            return m.matches()
                    ? Optional.of(Map.entry(m.group(1).replace("''", "'"), m.group(2).replace("''", "'")))
                    : Optional.empty();
        }

        /** A query (SELECT, WITH): its rows are printed. */
        boolean isQuery() {
            String head = head();
            return head.startsWith("SELECT ") || head.startsWith("WITH ");
        }

        /** INSERT, or a statement set of INSERTs: a statement that starts a job. */
        boolean startsJob() {
            String head = head();
            return head.startsWith("INSERT ") || head.startsWith("EXECUTE STATEMENT SET")
                    || head.startsWith("EXECUTE INSERT ") || head.startsWith("SELECT ") || head.startsWith("WITH ");
        }

        /** The EXPLAIN statement that plans this one without running it. */
        String explain() {
            String body = text.trim();
            if (head().startsWith("EXECUTE ")) {
                body = body.substring("EXECUTE".length()).trim();
            }
            return "EXPLAIN " + body;
        }
    }

    private final String file;
    private final List<Statement> statements;

    private SqlScript(String file, List<Statement> statements) {
        this.file = file;
        this.statements = statements;
    }

    /** Reads and splits {@code path}; {@code environment} answers {@code ${NAME}}. */
    public static SqlScript read(Path path, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new SqlScriptException(path.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new SqlScriptException(path.toString(), 0, "cannot read it: " + e.getMessage());
        }
        return parse(path.toString(), text, environment);
    }

    /** Splits {@code text} (the content of {@code file}); {@code environment} answers {@code ${NAME}}. */
    public static SqlScript parse(String file, String text, Function<String, String> environment) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                continue;
            }
            if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new SqlScriptException(file, line, "a comment /* is not closed");
                }
                line += count(text, i, end, '\n');
                current.append(' ');
                i = end + 2;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(text, i, c);
                if (end < 0) {
                    throw new SqlScriptException(file, line, "a " + c + " is not closed");
                }
                if (start < 0) {
                    start = line;
                }
                String quoted = text.substring(i, end + 1);
                current.append(c == '\'' ? substituteInLiteral(file, line, quoted, environment) : quoted);
                line += count(text, i, end, '\n');
                i = end + 1;
                continue;
            }
            if (c == ';') {
                String statement = current.toString().trim();
                if (STATEMENT_SET.matcher(statement).matches() && !ENDS_WITH_END.matcher(statement).matches()) {
                    current.append(';'); // inside BEGIN … END: the statement set goes on
                } else {
                    if (!statement.isEmpty()) {
                        statements.add(new Statement(start, statement));
                    }
                    current.setLength(0);
                    start = -1;
                }
                i++;
                continue;
            }
            if (c == '\n') {
                line++;
            } else if (start < 0 && !Character.isWhitespace(c)) {
                start = line;
            }
            current.append(c);
            i++;
        }
        String rest = current.toString().trim();
        if (!rest.isEmpty()) {
            statements.add(new Statement(start, rest));
        }
        return new SqlScript(file, List.copyOf(statements));
    }

    public String file() {
        return file;
    }

    public List<Statement> statements() {
        return statements;
    }

    /** The {@code SET 'key' = 'value'} statements in order (a later one wins), for options a job needs at its start. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Statement statement : statements) {
            statement.setting().ifPresent(setting -> settings.put(setting.getKey(), setting.getValue()));
        }
        return settings;
    }

    private static int closing(String text, int open, char quote) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2; // a doubled quote is the quote itself
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int count(String text, int from, int to, char c) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static String substituteInLiteral(String file, int line, String literal,
            Function<String, String> environment) {
        return EnvironmentVariables.substitute(literal, name -> {
            String value = environment.apply(name);
            return value == null ? null : value.replace("'", "''");
        }, name -> {
            throw new SqlScriptException(file, line, EnvironmentVariables.hint(name));
        });
    }
}

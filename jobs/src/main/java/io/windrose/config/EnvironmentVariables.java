package io.windrose.config;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in the text of a pipeline file or a SQL script: the one place that
 * reads them, so both say the same about a variable that is not set.
 */
public final class EnvironmentVariables {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private EnvironmentVariables() {}

    /**
     * {@code text} with every reference replaced by the variable's value, or by its default when the variable is not
     * set; a reference without a default to a variable that is not set goes to {@code unset} (which throws) and is
     * left as it is if {@code unset} returns.
     */
    public static String substitute(String text, Function<String, String> environment, Consumer<String> unset) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                if (m.group(2) == null) {
                    unset.accept(m.group(1));
                    value = m.group();
                } else {
                    value = m.group(3);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What to write instead, for an error message about {@code name}. */
    public static String hint(String name) {
        return "environment variable " + name + " is not set (write ${" + name + ":-default} for a default)";
    }
}

package io.windrose.sink;

/**
 * Makes a measurement, tag key, tag value or field key safe for influxdb-client-java's line-protocol escaping (which
 * {@link LinePoint} reproduces byte for byte): it escapes commas, equals signs, spaces and line breaks but not
 * backslashes, so a value ending in {@code \} would escape the separator after it, and {@code a\,b=c} would become
 * {@code a\\,b\=c} — a second tag. Doubling does not help: InfluxDB 1.x refuses any backslash before a separator. So a
 * backslash becomes U+29F5 (⧵), and control characters other than tab and line breaks (which the client writes as
 * {@code \t}, {@code \n}) become U+FFFD.
 */
public final class LineProtocolText {
    private LineProtocolText() {}

    public static String safe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = c == '\\' ? "\u29F5"
                    : (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F ? "\uFFFD" : null;
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}

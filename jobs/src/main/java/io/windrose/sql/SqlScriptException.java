package io.windrose.sql;

/** A SQL script that cannot run: names the file, the line and what is wrong. */
public final class SqlScriptException extends RuntimeException {
    public SqlScriptException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}

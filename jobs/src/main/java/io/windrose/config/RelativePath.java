package io.windrose.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Binds a file path written in a configuration file: a relative path is relative to the file's directory, wherever
 * the job starts; absolute paths and URIs ({@code s3://bucket/dir}, {@code file:///tmp}) stay as they are. Use as {@code @JsonDeserialize(using = RelativePath.class)} (or {@code contentUsing} for lists).
 */
public final class RelativePath extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;
    /** The deserialization attribute holding the file's directory (a {@link Path}). */
    static final String BASE_DIR = "windrose.config.base-dir";

    public RelativePath() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String path = p.getValueAsString();
        Object base = ctx.getAttribute(BASE_DIR);
        if (path == null || path.isBlank() || !(base instanceof Path dir) || path.contains("://")
                || path.startsWith("file:") || Path.of(path).isAbsolute()) {
            return path;
        }
        return dir.resolve(path).normalize().toString();
    }
}

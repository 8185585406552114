package io.windrose.decode;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Loads writer schemas for the avro format: .avsc files, directories of them, and Windrose's own record schemas. */
public final class AvroSchemas {
    private AvroSchemas() {}

    /** The record schemas of the schemas module (the Kafka wire contract). */
    public static List<Schema> windrose() {
        return List.of(SensorReading.getClassSchema(), SensorAggregate.getClassSchema(), AlertEvent.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    /**
     * The record schemas in these files and directories (a directory's *.avsc files in name order, parsed by one
     * parser so that later files may use types named in earlier ones).
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static List<Schema> load(List<String> locations) {
        Schema.Parser parser = new Schema.Parser();
        List<Schema> schemas = new ArrayList<>();
        for (String location : locations) {
            for (Path file : files(Path.of(location))) {
                try {
                    Schema schema = parser.parse(file.toFile());
                    if (schema.getType() == Schema.Type.RECORD) {
                        schemas.add(schema);
                    }
                } catch (IOException | SchemaParseException e) {
                    throw new IllegalArgumentException("'" + file + "' is not a readable Avro schema: " + e.getMessage());
                }
            }
        }
        return schemas;
    }

    private static List<Path> files(Path location) {
        if (Files.isRegularFile(location) && Files.isReadable(location)) {
            return List.of(location);
        }
        if (Files.isDirectory(location)) {
            try (Stream<Path> entries = Files.list(location)) {
                List<Path> files = entries.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
                if (files.isEmpty()) {
                    throw new IllegalArgumentException("directory '" + location + "' holds no .avsc file");
                }
                return files;
            } catch (IOException e) {
                throw new IllegalArgumentException("directory '" + location + "' cannot be read: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("expected an .avsc file or a directory of them, but '" + location
                + "' does not exist or cannot be read");
    }
}

package io.windrose.sink.table;

import static io.windrose.sink.LineProtocolText.safe;

import io.windrose.config.ConfigCheck;
import io.windrose.sink.LinePoint;
import io.windrose.sink.PointMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

/**
 * A table row → an InfluxDB point: the measurement of the table's options, the tag, field and time columns read by
 * position with the typed getters of {@link RowData}. Names (measurement, tag keys, field keys) and tag values pass
 * through {@link io.windrose.sink.LineProtocolText#safe}, and {@link LinePoint} escapes them, so that no value can add
 * tags, fields or points.
 *
 * <p>A null or empty tag value leaves the tag out; a null field (or a NaN or infinite float) leaves the field out; a row
 * with no field left has no point: the writer counts it ({@code influxdb.pointsWithoutFields}) and logs it, the job goes
 * on. A null time lets InfluxDB stamp the point, as a table without a time column does.
 */
final class RowDataPointMapper implements PointMapper<RowData> {
    private static final long serialVersionUID = 1L;

    /** How a column is read. */
    enum Kind {
        STRING, DOUBLE, FLOAT, DECIMAL, TINYINT, SMALLINT, INT, BIGINT, BOOLEAN, TIMESTAMP
    }

    private static final Set<LogicalTypeRoot> TAG_TYPES = EnumSet.of(LogicalTypeRoot.CHAR, LogicalTypeRoot.VARCHAR,
            LogicalTypeRoot.TINYINT, LogicalTypeRoot.SMALLINT, LogicalTypeRoot.INTEGER, LogicalTypeRoot.BIGINT);
    private static final Set<LogicalTypeRoot> FIELD_TYPES = EnumSet.of(LogicalTypeRoot.DOUBLE, LogicalTypeRoot.FLOAT,
            LogicalTypeRoot.DECIMAL, LogicalTypeRoot.TINYINT, LogicalTypeRoot.SMALLINT, LogicalTypeRoot.INTEGER,
            LogicalTypeRoot.BIGINT, LogicalTypeRoot.BOOLEAN, LogicalTypeRoot.CHAR, LogicalTypeRoot.VARCHAR);
    private static final Set<LogicalTypeRoot> TIME_TYPES = EnumSet.of(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE,
            LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE, LogicalTypeRoot.BIGINT);
    private static final String TAG_EXPECTED = "STRING, CHAR, VARCHAR, TINYINT, SMALLINT, INT or BIGINT";
    private static final String FIELD_EXPECTED = "DOUBLE, FLOAT, DECIMAL, TINYINT, SMALLINT, INT, BIGINT, BOOLEAN, "
            + "STRING, CHAR or VARCHAR";

    /** A column of the row: its key in the point, its position and how to read it. */
    record Column(String key, int position, Kind kind, int precision, int scale) implements Serializable {}

    private final String measurement;
    private final Column[] tags;
    private final Column[] fields;
    private final Column time;

    private RowDataPointMapper(String measurement, List<Column> tags, List<Column> fields, Column time) {
        this.measurement = measurement;
        this.tags = tags.toArray(new Column[0]);
        this.fields = fields.toArray(new Column[0]);
        this.time = time;
    }

    /**
     * The mapper for rows of {@code row}, or a {@link io.windrose.config.ConfigException} from {@code check} naming the
     * option that cannot be used with these columns.
     *
     * @param fieldColumns null: every column that is neither a tag nor the time column
     * @param timeColumn null: no time column
     */
    static RowDataPointMapper of(ConfigCheck check, RowType row, String measurement, List<String> tagColumns,
            List<String> fieldColumns, String timeColumn) {
        check.notBlank(measurement, InfluxDbTableOptions.MEASUREMENT.key(), "expected the measurement to write to");
        List<String> names = row.getFieldNames();
        Set<String> taken = new HashSet<>();
        Column time = null;
        if (timeColumn != null) {
            String key = InfluxDbTableOptions.TIME_COLUMN.key();
            time = column(check, row, key, timeColumn, TIME_TYPES,
                    "TIMESTAMP(p) (read as UTC), TIMESTAMP_LTZ(p) or BIGINT (epoch milliseconds)");
            taken.add(timeColumn);
        }
        List<Column> tags = new ArrayList<>();
        String tagKey = InfluxDbTableOptions.TAG_COLUMNS.key();
        for (String name : tagColumns) {
            check.require(!taken.contains(name), tagKey, "column '" + name + "' is "
                    + (name.equals(timeColumn) ? "the time column" : "listed twice"));
            tags.add(column(check, row, tagKey, name, TAG_TYPES, TAG_EXPECTED));
            taken.add(name);
        }
        List<Column> fields = new ArrayList<>();
        String fieldKey = InfluxDbTableOptions.FIELD_COLUMNS.key();
        if (fieldColumns != null) {
            for (String name : fieldColumns) {
                check.require(!taken.contains(name), fieldKey, "column '" + name + "' is "
                        + (name.equals(timeColumn) ? "the time column" : tagColumns.contains(name)
                                ? "a tag column too (in 'tag-columns'): a column is either a tag or a field"
                                : "listed twice"));
                fields.add(column(check, row, fieldKey, name, FIELD_TYPES, FIELD_EXPECTED));
                taken.add(name);
            }
        } else {
            for (String name : names) {
                if (!taken.contains(name)) {
                    LogicalType type = row.getTypeAt(row.getFieldIndex(name));
                    check.require(FIELD_TYPES.contains(type.getTypeRoot()), fieldKey, "column '" + name + "' is "
                            + type.asSummaryString() + ", which is no InfluxDB field type (" + FIELD_EXPECTED
                            + "): list the field columns in 'field-columns', or make it a tag or the time column");
                    fields.add(column(check, row, fieldKey, name, FIELD_TYPES, FIELD_EXPECTED));
                }
            }
        }
        check.require(!fields.isEmpty(), fieldKey, "expected at least one field column (InfluxDB takes no point "
                + "without fields); the table's columns are " + names);
        return new RowDataPointMapper(safe(measurement), tags, fields, time);
    }

    private static Column column(ConfigCheck check, RowType row, String option, String name,
            Set<LogicalTypeRoot> allowed, String expected) {
        int position = row.getFieldIndex(name);
        check.require(position >= 0, option, "no column '" + name + "' in the table; its columns are "
                + row.getFieldNames());
        check.require(!name.equals("time") || option.equals(InfluxDbTableOptions.TIME_COLUMN.key()), option,
                "InfluxDB takes no tag or field named 'time': rename the column (SELECT ... AS) or make it the "
                        + "'time-column'");
        LogicalType type = row.getTypeAt(position);
        check.require(allowed.contains(type.getTypeRoot()), option, "column '" + name + "' is " + type.asSummaryString()
                + "; expected " + expected);
        Kind kind = switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> Kind.STRING;
            case DOUBLE -> Kind.DOUBLE;
            case FLOAT -> Kind.FLOAT;
            case DECIMAL -> Kind.DECIMAL;
            case TINYINT -> Kind.TINYINT;
            case SMALLINT -> Kind.SMALLINT;
            case INTEGER -> Kind.INT;
            case BIGINT -> Kind.BIGINT;
            case BOOLEAN -> Kind.BOOLEAN;
            case TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Kind.TIMESTAMP;
            default -> throw new IllegalStateException("unexpected " + type); // excluded by allowed
        };
        int precision = kind == Kind.DECIMAL || kind == Kind.TIMESTAMP ? LogicalTypeChecks.getPrecision(type) : 0;
        int scale = kind == Kind.DECIMAL ? ((DecimalType) type).getScale() : 0;
        return new Column(safe(name), position, kind, precision, scale);
    }

    @Override
    public LinePoint toPoint(RowData row) {
        LinePoint point = LinePoint.measurement(measurement);
        for (Column tag : tags) {
            if (!row.isNullAt(tag.position)) {
                point.addTag(tag.key, tag.kind == Kind.STRING ? safe(row.getString(tag.position).toString())
                        : integer(row, tag).toString());
            }
        }
        for (Column field : fields) {
            if (row.isNullAt(field.position)) {
                continue;
            }
            int i = field.position;
            switch (field.kind) {
                case STRING -> point.addField(field.key, row.getString(i).toString());
                case BOOLEAN -> point.addField(field.key, row.getBoolean(i));
                case DOUBLE -> point.addField(field.key, row.getDouble(i));
                case FLOAT -> point.addField(field.key, row.getFloat(i));
                case DECIMAL -> point.addField(field.key,
                        row.getDecimal(i, field.precision, field.scale).toBigDecimal().doubleValue());
                default -> point.addField(field.key, integer(row, field));
            }
        }
        if (time != null && !row.isNullAt(time.position)) {
            point.time(time.kind == Kind.BIGINT ? row.getLong(time.position)
                    : row.getTimestamp(time.position, time.precision).getMillisecond());
        }
        return point;
    }

    private static Number integer(RowData row, Column column) {
        return switch (column.kind) {
            case TINYINT -> row.getByte(column.position);
            case SMALLINT -> row.getShort(column.position);
            case INT -> row.getInt(column.position);
            default -> row.getLong(column.position);
        };
    }

    @Override
    public String toString() {
        return "measurement " + measurement + ", tags " + keys(tags) + ", fields " + keys(fields) + ", time "
                + (time == null ? "by the server" : time.key);
    }

    private static List<String> keys(Column[] columns) {
        List<String> keys = new ArrayList<>();
        for (Column column : columns) {
            keys.add(column.key);
        }
        return keys;
    }
}

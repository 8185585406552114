package io.windrose.sink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.config.ConfigCheck;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Rows → line protocol: each type, nulls, escaping, time. */
class RowDataPointMapperTest {
    private static final long T = 1764144000123L; // 2025-11-26T08:00:00.123Z
    private static final RowType ROW = RowType.of(new LogicalType[] {
        VarCharType.STRING_TYPE, new SmallIntType(), new DoubleType(), new BigIntType(), new IntType(),
        new BooleanType(), VarCharType.STRING_TYPE, new FloatType(), new DecimalType(10, 3), new TinyIntType(),
        new TimestampType(3)
    }, new String[] {"device", "floor", "temp", "count", "level", "ok", "note", "f", "dec", "tiny", "ts"});

    private static RowDataPointMapper mapper(String timeColumn) {
        return RowDataPointMapper.of(new ConfigCheck("test"), ROW, "weather", List.of("device", "floor"), null,
                timeColumn);
    }

    private static GenericRowData row(Object device, Object ts) {
        return GenericRowData.of(device, (short) 3, 21.5, 7L, 42, true, StringData.fromString("say \"hi\" \\ there"),
                1.5f, DecimalData.fromBigDecimal(new BigDecimal("1234.567"), 10, 3), (byte) -2, ts);
    }

    @Test
    void eachTypeIsWrittenAsItsInfluxDbType() throws Exception {
        RowDataPointMapper mapper = InstantiationUtil.clone(mapper("ts"));
        String line = mapper.toPoint(row(StringData.fromString("d1"),
                TimestampData.fromLocalDateTime(LocalDateTime.of(2025, 11, 26, 8, 0, 0, 123_000_000)))).toLineProtocol();
        assertThat(line).isEqualTo("weather,device=d1,floor=3 count=7i,dec=1234.567,f=1.5,level=42i,"
                + "note=\"say \\\"hi\\\" \\\\ there\",ok=true,temp=21.5,tiny=-2i " + T);
    }

    @Test
    void tagValuesCannotAddTagsFieldsOrPoints() {
        String line = mapper("ts").toPoint(row(StringData.fromString("a b,c=d\ne\\"), TimestampData.fromEpochMillis(T)))
                .toLineProtocol();
        assertThat(line).startsWith("weather,device=a\\ b\\,c\\=d\\ne\u29F5,floor=3 count=7i,").endsWith(" " + T)
                .doesNotContain("\n");
    }

    @Test
    void namesAreEscapedToo() {
        RowType odd = RowType.of(new LogicalType[] {VarCharType.STRING_TYPE, new DoubleType()},
                new String[] {"a tag,x=1", "v w"});
        String line = RowDataPointMapper.of(new ConfigCheck("test"), odd, "m s,t", List.of("a tag,x=1"), null, null)
                .toPoint(GenericRowData.of(StringData.fromString("v"), 1.0)).toLineProtocol();
        assertThat(line).isEqualTo("m\\ s\\,t,a\\ tag\\,x\\=1=v v\\ w=1.0");
    }

    @Test
    void aNullTagOrFieldIsLeftOutAndANullTimeLetsTheServerStampThePoint() {
        GenericRowData row = row(null, null);
        row.setField(2, null); // temp
        row.setField(6, null); // note
        assertThat(mapper("ts").toPoint(row).toLineProtocol())
                .isEqualTo("weather,floor=3 count=7i,dec=1234.567,f=1.5,level=42i,ok=true,tiny=-2i");
        GenericRowData emptyTag = row(StringData.fromString(""), TimestampData.fromEpochMillis(T));
        assertThat(mapper("ts").toPoint(emptyTag).toLineProtocol()).startsWith("weather,floor=3 count=7i");
    }

    @Test
    void aRowWithoutAnyFieldValueHasNoLine() {
        GenericRowData row = GenericRowData.of(StringData.fromString("d1"), (short) 3, null, null, null, null, null,
                Float.NaN, null, null, TimestampData.fromEpochMillis(T));
        // the writer leaves such a point out and counts it (InfluxDbWriterRetryTest, InfluxDbTableSinkITCase)
        assertThat(mapper("ts").toPoint(row).toLineProtocol()).isEmpty();
    }

    @Test
    void theTimeIsTimestampReadAsUtcOrTimestampLtzOrEpochMillis() {
        RowType times = RowType.of(new LogicalType[] {new TimestampType(9), new LocalZonedTimestampType(6),
            new BigIntType(), new DoubleType()}, new String[] {"ts9", "ltz", "ms", "v"});
        GenericRowData row = GenericRowData.of(
                TimestampData.fromLocalDateTime(LocalDateTime.of(2025, 11, 26, 8, 0, 0, 123_456_789)),
                TimestampData.fromInstant(Instant.ofEpochMilli(T + 1).plusNanos(999_000)), T + 2, 1.0);
        for (String[] expected : new String[][] {{"ts9", "" + T}, {"ltz", "" + (T + 1)}, {"ms", "" + (T + 2)}}) {
            assertThat(RowDataPointMapper.of(new ConfigCheck("test"), times, "m", List.of(), List.of("v"), expected[0])
                    .toPoint(row).toLineProtocol()).as("time from " + expected[0] + ", to the millisecond")
                    .isEqualTo("m v=1.0 " + expected[1]);
        }
    }
}

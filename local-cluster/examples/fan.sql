-- Flink SQL over MQTT: one-minute averages to InfluxDB, and "too hot -> fan on" back to the devices.
--
--   windrose sql local-cluster/examples/fan.sql
--
-- The broker and InfluxDB are the local stack's: MQTT_URL and INFLUX_URL when set (local-cluster/windrose sets them
-- from local-cluster/run/endpoints), else the default ports. It subscribes with a client id of its own and no shared
-- subscription, so it reads every reading beside a running Windrose job without taking over the job's session.

SET 'pipeline.name' = 'windrose-sql-fan';
-- window_start below is a TIMESTAMP in this time zone; the influxdb table reads a TIMESTAMP as UTC
SET 'table.local-time-zone' = 'UTC';

-- {"sensor":"s-1","ts":1764144000000,"temperature":21.4,"humidity":40.1} on sensors/<site>/<sensor>
CREATE TABLE readings (
  sensor      STRING,
  ts          BIGINT,
  temperature DOUBLE,
  event_time  AS TO_TIMESTAMP_LTZ(ts, 3),                  -- event time: the device's ts, epoch milliseconds
  arrival     AS PROCTIME(),                               -- processing time: commands answer on arrival
  topic       STRING METADATA VIRTUAL,
  received_at TIMESTAMP_LTZ(3) METADATA FROM 'received-at' VIRTUAL,
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'mqtt',
  'servers' = '${MQTT_URL:-tcp://127.0.0.1:1883}',
  'topics' = 'sensors/+/+',
  'client-id-prefix' = 'windrose-sql-fan',
  'shared-subscription.enabled' = 'false',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'                      -- a payload that is not JSON is skipped (and counted)
);

CREATE TABLE sensors_1m (
  sensor           STRING,
  window_start     TIMESTAMP(3),
  temperature_mean DOUBLE
) WITH (
  'connector' = 'influxdb',
  'url' = '${INFLUX_URL:-http://127.0.0.1:8086}',
  'bucket' = 'telemetry/autogen',                          -- InfluxDB 1.8+ through the v2 API: database/retention policy
  'token' = '${INFLUX_TOKEN:-}',                           -- from the environment, never in the file
  'measurement' = 'sql_sensors_1m',
  'tag-columns' = 'sensor',
  'time-column' = 'window_start'
);

CREATE TABLE fan_commands (
  topic   STRING METADATA,                                 -- the topic of each message: devices/<sensor>/fan/set
  command STRING                                           -- the payload, as it is (format raw): ON or OFF
) WITH (
  'connector' = 'mqtt',
  'servers' = '${MQTT_URL:-tcp://127.0.0.1:1883}',
  'client-id-prefix' = 'windrose-sql-fan-commands',
  'format' = 'raw'
);

EXECUTE STATEMENT SET
BEGIN
  -- the one-minute average per sensor, written when the watermark passes the window's end
  INSERT INTO sensors_1m
  SELECT sensor, window_start, AVG(temperature) AS temperature_mean
  FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
  GROUP BY sensor, window_start, window_end;

  -- ON when a sensor's reading goes above 30, OFF when it is back at or below 30: only the changes
  INSERT INTO fan_commands
  SELECT CONCAT('devices/', sensor, '/fan/set'), IF(hot, 'ON', 'OFF')
  FROM (
    SELECT sensor, temperature > 30 AS hot,
           LAG(temperature > 30) OVER (PARTITION BY sensor ORDER BY arrival) AS was_hot
    FROM readings)
  WHERE hot IS DISTINCT FROM was_hot AND (hot OR was_hot IS NOT NULL);
END;

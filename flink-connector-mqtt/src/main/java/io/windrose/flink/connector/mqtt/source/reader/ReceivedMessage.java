package io.windrose.flink.connector.mqtt.source.reader;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;

/** A message on its way from the MQTT client to Flink, with the ack to send once a checkpoint covers it (or null). */
record ReceivedMessage(MqttRecord record, Runnable ack) {}

package io.windrose.mqtt.reader;

import io.windrose.mqtt.common.MqttMessage;

/** A message on its way from the MQTT client to Flink, with the ack to send once a checkpoint covers it (or null). */
record ReceivedMessage(MqttMessage message, Runnable ack) {}

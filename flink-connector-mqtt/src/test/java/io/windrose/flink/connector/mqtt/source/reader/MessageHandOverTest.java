package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageHandOverTest {

    @Test
    void messagesArrivingWithinTheLingerAreTakenAsOneBatch() throws Exception {
        MessageHandOver handOver = new MessageHandOver(100, Duration.ofMillis(300));
        Thread producer = new Thread(() -> {
            try {
                handOver.offer(message(0), 1, TimeUnit.SECONDS);
                Thread.sleep(50);
                for (int i = 1; i < 5; i++) {
                    handOver.offer(message(i), 1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        List<ReceivedMessage> batch = handOver.take(10, 5, TimeUnit.SECONDS);
        producer.join();
        assertThat(batch).extracting(m -> m.record().topic()).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4");
    }

    @Test
    void withoutLingerTheFirstMessageIsTakenAtOnce() throws Exception {
        MessageHandOver handOver = new MessageHandOver(100, Duration.ZERO);
        handOver.offer(message(0), 1, TimeUnit.SECONDS);
        assertThat(handOver.take(10, 1, TimeUnit.SECONDS)).hasSize(1);
        assertThat(handOver.take(10, 10, TimeUnit.MILLISECONDS)).isEmpty();
    }

    @Test
    void halfABatchWaitingIsTakenWithoutLingeringAndABatchIsCapped() throws Exception {
        MessageHandOver handOver = new MessageHandOver(100, Duration.ofSeconds(10));
        for (int i = 0; i < 25; i++) {
            handOver.offer(message(i), 1, TimeUnit.SECONDS);
        }
        long start = System.nanoTime();
        assertThat(handOver.take(20, 1, TimeUnit.SECONDS)).hasSize(20);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(handOver.size()).isEqualTo(5);
    }

    @Test
    void aFullHandOverRefusesAfterTheTimeout() throws Exception {
        MessageHandOver handOver = new MessageHandOver(2, Duration.ZERO);
        assertThat(handOver.offer(message(0), 10, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(handOver.offer(message(1), 10, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(handOver.offer(message(2), 10, TimeUnit.MILLISECONDS)).isFalse();
    }

    private static ReceivedMessage message(int i) {
        return new ReceivedMessage(new MqttRecord("t/" + i, new byte[] {(byte) i}, 1, false, 0L), null);
    }
}

package io.tidegate.mqtt;

import io.tidegate.outbox.MessageProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void retainedMessagesSurviveARestartWithTheirQosAndProperties() {
        Path file = dir.resolve("retained.snapshot");
        RetainedMessages before = new RetainedMessages();
        MessageProperties properties = new MessageProperties(true, 3600L, "application/json", "reply/to",
                new byte[] {1, 2}, List.of(Map.entry("k", "v"), Map.entry("k", "w")));
        RetainedSnapshot first = RetainedSnapshot.start(before, file);
        before.update(new OutboundPublish("dt/dev-1/state", bytes("on"), properties), 1);
        before.update(new OutboundPublish("dt/dev-2/state", bytes("off"), MessageProperties.NONE), 0);
        before.update(new OutboundPublish("dt/dev-3/tópico/😀", bytes("x"), MessageProperties.NONE), 2);
        before.update(new OutboundPublish("dt/dev-2/state", new byte[0], MessageProperties.NONE), 0);
        first.close();

        RetainedMessages after = new RetainedMessages();
        RetainedSnapshot.start(after, file).close();

        assertThat(after.size()).isEqualTo(2);
        RetainedMessages.Retained state = after.matching("dt/dev-1/state").get(0);
        assertThat(state.qos()).isEqualTo(1);
        assertThat(state.publish().payload()).isEqualTo(bytes("on"));
        assertThat(state.publish().properties().userProperties()).containsExactly(Map.entry("k", "v"), Map.entry("k", "w"));
        assertThat(state.publish().properties().correlationData()).containsExactly(1, 2);
        assertThat(state.publish().properties().contentType()).isEqualTo("application/json");
        assertThat(after.matching("dt/dev-3/tópico/😀")).singleElement().satisfies(r -> assertThat(r.qos()).isEqualTo(2));
    }

    @Test
    void anUnreadableSnapshotIsSetAsideAndTheGatewayStartsWithout() throws Exception {
        Path file = dir.resolve("retained.snapshot");
        Files.write(file, new byte[] {1, 2, 3});

        RetainedMessages retained = new RetainedMessages();
        RetainedSnapshot.start(retained, file).close();

        assertThat(retained.size()).isZero();
        assertThat(dir.resolve("retained.snapshot.unreadable")).exists();
        assertThat(file).doesNotExist();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.tidegate.outbox;

import io.tidegate.config.OutboxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxesTest {

    @TempDir
    Path dataDir;

    @Test
    void opensOneOutboxPerDestinationWithStableIds() {
        try (Outboxes outboxes = Outboxes.open(dataDir, List.of("kinesis", "file"),
                new OutboxConfig(OutboxConfig.RollCycle.HOURLY))) {
            assertThat(outboxes.all()).extracting(Outbox::name).containsExactly("kinesis", "file");
            assertThat(outboxes.idOf("kinesis")).isZero();
            assertThat(outboxes.idOf("file")).isEqualTo(1);
            assertThat(outboxes.get("file").directory()).isEqualTo(dataDir.resolve("outbox").resolve("file"));
            assertThat(Files.isDirectory(dataDir.resolve("outbox").resolve("kinesis"))).isTrue();
            assertThatThrownBy(() -> outboxes.get("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nope");
        }
    }
}

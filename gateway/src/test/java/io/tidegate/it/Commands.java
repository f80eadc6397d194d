package io.tidegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs other programs (mosquitto_pub, mosquitto_sub, node) the way a user would. */
final class Commands {

    private Commands() {
    }

    /** Runs a command line to its end (at most 60 s) and returns its non-blank output lines, stderr included. */
    static List<String> run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return output.lines().filter(line -> !line.isBlank()).toList();
    }
}

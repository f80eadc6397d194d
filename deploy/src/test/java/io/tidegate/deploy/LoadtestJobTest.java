package io.tidegate.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loadtest Job runs the image's load generator. The load generator is issue 7's loadgen module: once
 * its sources are in the repository, every option the Job passes must be one its picocli commands declare.
 */
class LoadtestJobTest {

    private static Container loadgen() {
        Job job = ResourceSet.parse("job.yaml", RepoFiles.read(RepoFiles.K8S.resolve("overlays/loadtest/job.yaml")))
                .all(Job.class).get(0);
        return job.getSpec().getTemplate().getSpec().getContainers().stream().filter(ResourceSet::isLoadgen)
                .findFirst().orElseThrow();
    }

    @Test
    void jobRunsTheImagesLoadGenerator() {
        Container c = loadgen();
        assertThat(c.getCommand()).containsExactly("/opt/tidegate/bin/tidegate-loadgen");
        assertThat(RepoFiles.DEPLOY.resolve("docker/bin/tidegate-loadgen")).isRegularFile();
        assertThat(RepoFiles.read(RepoFiles.DEPLOY.resolve("docker/Dockerfile")))
                .contains("COPY --chmod=0755 deploy/docker/bin/ /opt/tidegate/bin/")
                .contains("loadgen/target/tidegate-loadgen.jar");
        assertThat(c.getArgs().get(0)).as("the subcommand").isEqualTo("run");
        assertThat(c.getArgs()).contains("--broker", "--devices", "--rate", "--qos", "--duration");
    }

    @Test
    void jobOptionsAreTheLoadGeneratorsOwn() throws IOException {
        Path sources = RepoFiles.ROOT.resolve("loadgen/src/main/java");
        Assumptions.assumeTrue(Files.isDirectory(sources), "the loadgen module (issue 7) is not in this checkout yet");
        Set<String> declared = new HashSet<>();
        Set<String> commands = new HashSet<>();
        Pattern names = Pattern.compile("@Option\\(\\s*names\\s*=\\s*(\\{[^}]*}|\"[^\"]*\")");
        Pattern quoted = Pattern.compile("\"(-[^\"]+)\"");
        Pattern command = Pattern.compile("@Command\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher m = names.matcher(source);
                while (m.find()) {
                    Matcher q = quoted.matcher(m.group(1));
                    while (q.find()) {
                        declared.add(q.group(1));
                    }
                }
                Matcher c = command.matcher(source);
                while (c.find()) {
                    commands.add(c.group(1));
                }
            }
        }
        assertThat(commands).as("picocli commands in loadgen/src/main/java").contains(loadgen().getArgs().get(0));
        List<String> options = loadgen().getArgs().stream().filter(a -> a.startsWith("-"))
                .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a).toList();
        assertThat(declared).as("options declared in loadgen/src/main/java").containsAll(options);
    }
}

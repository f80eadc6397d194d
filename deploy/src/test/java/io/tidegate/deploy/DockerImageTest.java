package io.tidegate.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/docker/Dockerfile, read without a Docker engine: it builds with the README's build command, and
 * its runtime stage is a JRE 17 image running as a non-root user with the outbox on a volume; its
 * scripts are valid shell; .dockerignore keeps the build's inputs in the context.
 */
class DockerImageTest {

    private static final Path DOCKERFILE = RepoFiles.DEPLOY.resolve("docker/Dockerfile");

    @TempDir
    Path scratch;

    private static List<Dockerfiles.Stage> stages() {
        return Dockerfiles.stages(RepoFiles.read(DOCKERFILE));
    }

    /** The README's build command: the {@code mvn ... package} line of a code block in its Deployment section. */
    static List<String> readmeBuildCommand() {
        String readme = RepoFiles.read(RepoFiles.README);
        int start = readme.indexOf("\n## Deployment");
        assertThat(start).as("README has a Deployment section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<List<String>> commands = new ArrayList<>();
        Matcher block = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                List<String> words = Arrays.asList(line.strip().split("\\s+"));
                if (words.get(0).equals("mvn") && words.contains("package") && !commands.contains(words)) {
                    commands.add(words);
                }
            }
        }
        assertThat(commands).as("mvn ... package commands in README's Deployment section").hasSize(1);
        return commands.get(0);
    }

    @Test
    void buildStageRunsTheReadmeBuildCommand() {
        Dockerfiles.Stage build = stages().get(0);
        assertThat(build.image()).as("a Maven image on a JDK 17").contains("maven").contains("17").doesNotContain("jre");
        List<List<String>> mvn = new ArrayList<>();
        for (Dockerfiles.Instruction run : build.all("RUN")) {
            for (String command : Dockerfiles.commands(run)) {
                if (command.startsWith("mvn ")) {
                    mvn.add(Arrays.asList(command.split(" ")));
                }
            }
        }
        assertThat(mvn).containsExactly(readmeBuildCommand());
        // INSTALL.md builds the jar for the on-site box the same way.
        assertThat(RepoFiles.read(RepoFiles.DEPLOY.resolve("systemd/INSTALL.md"))).contains(String.join(" ", readmeBuildCommand()));
        // The jar it takes is the one the README says the build makes.
        String jar = "gateway/target/tidegate.jar";
        assertThat(RepoFiles.read(RepoFiles.README)).contains(jar);
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.args()).contains("cp " + jar + " "));
    }

    @Test
    void runtimeStageIsANonRootJre17WithTheOutboxOnAVolume() {
        List<Dockerfiles.Stage> stages = stages();
        assertThat(stages).hasSize(2);
        Dockerfiles.Stage runtime = stages.get(1);
        assertThat(runtime.image()).startsWith("eclipse-temurin:17-jre");

        String user = single(runtime.all("USER")).args();
        String uid = user.split(":")[0];
        assertThat(uid).isNotIn("0", "root");
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.args()).contains("--uid " + uid));

        assertThat(single(runtime.all("VOLUME")).args()).contains("/var/lib/tidegate");
        assertThat(single(runtime.all("EXPOSE")).args().split("\\s+")).containsExactlyInAnyOrder("1883", "8883", "9090");
        String healthcheck = single(runtime.all("HEALTHCHECK")).args();
        assertThat(healthcheck).contains("CMD curl").contains("http://127.0.0.1:9090/healthz");

        String env = String.join(" ", runtime.all("ENV").stream().map(Dockerfiles.Instruction::args).toList());
        assertThat(env).contains("JAVA_OPTS=").contains("-XX:MaxRAMPercentage=").contains("TIDEGATE_CONFIG=/etc/tidegate/tidegate.yaml");
        // Any other TIDEGATE_* variable in the image would silently override the file Kubernetes mounts.
        Matcher variables = Pattern.compile("\\b(TIDEGATE_[A-Z_]+)=").matcher(env);
        while (variables.find()) {
            assertThat(variables.group(1)).isEqualTo("TIDEGATE_CONFIG");
        }
        assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy.args())
                .isEqualTo("--chmod=0644 deploy/docker/tidegate.yaml /etc/tidegate/tidegate.yaml"));

        String entrypoint = single(runtime.all("ENTRYPOINT")).args();
        assertThat(entrypoint).as("exec form: the JVM is PID 1 and gets SIGTERM").startsWith("[\"/opt/tidegate/bin/tidegate\"");
        assertThat(single(runtime.all("CMD")).args()).isEqualTo("[\"run\"]");
        for (Dockerfiles.Instruction copy : runtime.all("COPY")) {
            String[] words = copy.args().split("\\s+");
            if (Arrays.stream(words).noneMatch(w -> w.startsWith("--from="))) {
                for (int i = 0; i < words.length - 1; i++) {
                    if (!words[i].startsWith("--")) {
                        assertThat(RepoFiles.ROOT.resolve(words[i])).as("COPY source %s", words[i]).exists();
                    }
                }
            }
        }
        String launcher = RepoFiles.read(RepoFiles.DEPLOY.resolve("docker/bin/tidegate"));
        assertThat(launcher).contains("exec java ${JAVA_OPTS:-} -Dchronicle.analytics.disable=true -jar");
        assertThat(launcher).as("two malloc arenas unless set").contains("export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"");
    }

    @Test
    void scriptsAreValidShellAndTheLoadGeneratorSaysWhenItIsMissing() throws Exception {
        Path bin = RepoFiles.DEPLOY.resolve("docker/bin");
        try (var scripts = Files.list(bin)) {
            for (Path script : scripts.toList()) {
                assertThat(RepoFiles.read(script)).startsWith("#!/bin/sh\n");
                assertThat(run(List.of("sh", "-n", script.toString())).exit()).as("sh -n %s", script).isZero();
            }
        }
        // In an image built before the loadgen module exists, tidegate-loadgen explains itself.
        Files.createDirectories(scratch.resolve("bin"));
        Files.createDirectories(scratch.resolve("lib"));
        Path loadgen = Files.copy(bin.resolve("tidegate-loadgen"), scratch.resolve("bin/tidegate-loadgen"),
                StandardCopyOption.REPLACE_EXISTING);
        Result result = run(List.of("sh", loadgen.toString(), "--help"));
        assertThat(result.exit()).isEqualTo(69);
        assertThat(result.stderr()).contains("issue 7");
    }

    @Test
    void dockerignoreKeepsTheBuildInputsAndDropsTheRest() {
        List<String> patterns = RepoFiles.read(RepoFiles.ROOT.resolve(".dockerignore")).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> kept = new ArrayList<>(List.of("pom.xml", "gateway/pom.xml", "gateway/src/main/java/io/tidegate/Gateway.java",
                "deploy/pom.xml", "deploy/docker/tidegate.yaml", "deploy/docker/bin/tidegate", "deploy/docker/bin/tidegate-prestop"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(RepoFiles.read(RepoFiles.ROOT.resolve("pom.xml")));
        while (module.find()) {
            kept.add(module.group(1) + "/pom.xml");
            kept.add(module.group(1) + "/src/main/java/X.java");
        }
        for (String path : kept) {
            assertThat(ignored(patterns, path)).as("%s is in the build context", path).isFalse();
        }
        for (String path : List.of(".git/HEAD", "target/x", "gateway/target/tidegate.jar", "deploy/target/classes/x",
                "data/outbox/file/x.cq4", "data/certs/ca.key", "deploy/k8s/overlays/gateway/tls/tls.key")) {
            assertThat(ignored(patterns, path)).as("%s is left out of the build context", path).isTrue();
        }
    }

    /** Docker's rule: the last matching pattern wins; a pattern matching a folder covers what is inside. */
    private static boolean ignored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String raw : patterns) {
            boolean negate = raw.startsWith("!");
            String pattern = (negate ? raw.substring(1) : raw).replaceAll("/+$", "");
            List<String> globs = new ArrayList<>(List.of(pattern));
            if (pattern.startsWith("**/")) {
                globs.add(pattern.substring(3)); // ** also matches no folder at all
            }
            for (String glob : globs) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
                    if (matcher.matches(prefix)) {
                        ignored = !negate;
                    }
                }
            }
        }
        return ignored;
    }

    private record Result(int exit, String stderr) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(err));
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}

package io.tidegate.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Programs on the PATH, for tests that use a tool where it is installed and are skipped otherwise. */
final class Commands {

    private Commands() {
    }

    static Optional<Path> find(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Optional.of(Path.of(dir, command));
            }
        }
        return Optional.empty();
    }

    static boolean onPath(String command) {
        return find(command).isPresent();
    }
}

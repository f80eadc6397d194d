package io.tidegate.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small Dockerfile reader: instructions with continuations joined, comments dropped, stages and ARG defaults. */
final class Dockerfiles {

    record Instruction(String keyword, String args, int line) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private Dockerfiles() {
    }

    static List<Instruction> instructions(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || current == null && trimmed.isEmpty()) {
                continue; // comments (also inside continuations) and blank lines
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                String instruction = current.toString().strip();
                int space = instruction.indexOf(' ');
                instructions.add(new Instruction(instruction.substring(0, space < 0 ? instruction.length() : space).toUpperCase(),
                        space < 0 ? "" : instruction.substring(space + 1).strip(), start));
                current = null;
            }
        }
        return instructions;
    }

    /** Stages in order, with global ARG defaults substituted into their FROM images. */
    static List<Stage> stages(String text) {
        Map<String, String> globals = new HashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> currentInstructions = null;
        for (Instruction i : instructions(text)) {
            if (i.keyword().equals("FROM")) {
                String[] parts = i.args().split("\\s+");
                List<String> words = new ArrayList<>(Arrays.asList(parts));
                words.removeIf(w -> w.startsWith("--"));
                String image = substitute(words.get(0), globals);
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                currentInstructions = new ArrayList<>();
                stages.add(new Stage(image, name, currentInstructions));
            } else if (currentInstructions == null) {
                if (i.keyword().equals("ARG")) {
                    String[] kv = i.args().split("=", 2);
                    globals.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
                }
            } else {
                currentInstructions.add(i);
            }
        }
        return stages;
    }

    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The shell commands of a RUN, without its --mount style flags, split at && and ;. */
    static List<String> commands(Instruction run) {
        String args = run.args();
        while (args.startsWith("--")) {
            int space = args.indexOf(' ');
            args = space < 0 ? "" : args.substring(space + 1).strip();
        }
        List<String> commands = new ArrayList<>();
        for (String part : args.split("&&|;")) {
            if (!part.isBlank()) {
                commands.add(part.strip().replaceAll("\\s+", " "));
            }
        }
        return commands;
    }
}

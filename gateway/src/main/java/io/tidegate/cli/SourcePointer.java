package io.tidegate.cli;

/** Shows a line of source with a caret under a column, for parse errors on a terminal. */
final class SourcePointer {

    private SourcePointer() {
    }

    /** The 1-based {@code line} of {@code source}, then a caret under the 1-based {@code column}. */
    static String show(String source, int line, int column) {
        String[] lines = source.split("\n", -1);
        String text = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        StringBuilder caret = new StringBuilder();
        for (int i = 1; i < column && i <= text.length(); i++) {
            caret.append(text.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        return "  " + text + System.lineSeparator() + "  " + caret + "^";
    }
}

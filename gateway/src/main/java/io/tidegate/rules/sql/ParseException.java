package io.tidegate.rules.sql;

/**
 * SQL or a template that does not parse. Names where (1-based line and column in the text given
 * to the parser), what was expected there and what was found instead, e.g.
 * {@code line 1, column 27: expected an expression but found 'WHERE'}.
 */
public final class ParseException extends Exception {

    private final int line;
    private final int column;
    private final String expected;
    private final String found;

    ParseException(int line, int column, String expected, String found) {
        super("line " + line + ", column " + column + ": expected " + expected
                + (found == null ? "" : " but found " + found));
        this.line = line;
        this.column = column;
        this.expected = expected;
        this.found = found;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column (in characters) of the offending token. */
    public int column() {
        return column;
    }

    /** What the grammar allows at that position, e.g. {@code an expression} or {@code ')'}. */
    public String expected() {
        return expected;
    }

    /** What was there instead, e.g. {@code 'WHERE'} or {@code end of input}; may be {@code null}. */
    public String found() {
        return found;
    }
}

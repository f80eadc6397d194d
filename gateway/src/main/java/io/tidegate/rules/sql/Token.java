package io.tidegate.rules.sql;

/**
 * One token and where it starts.
 *
 * @param text   the source text of the token
 * @param value  a STRING's content (quotes and escapes resolved) or a NUMBER's value; else {@code null}
 * @param quote  the quote character of a STRING, else 0
 */
record Token(TokenType type, String text, Object value, char quote, int offset, int line, int column) {

    boolean is(TokenType wanted) {
        return type == wanted;
    }

    /** Whether this is the keyword {@code word} (identifiers compare case-insensitively). */
    boolean isKeyword(String word) {
        return type == TokenType.IDENTIFIER && text.equalsIgnoreCase(word);
    }

    /** How the token reads in an error message. */
    String describe() {
        return type == TokenType.END ? "end of input" : "'" + text + "'";
    }
}

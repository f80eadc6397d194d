package io.tidegate.rules.sql;

import java.math.BigDecimal;

/**
 * Splits SQL text into tokens on demand, tracking line and column. On demand because a template
 * expression ends at its closing brace and the text after it is not SQL.
 *
 * <p>Strings may be quoted with {@code '} or {@code "} (the AWS reference uses both); a doubled
 * quote or a backslash escape ({@code \' \" \\ \/ \b \f \n \r \t \\uXXXX}) puts a quote inside.
 */
final class Lexer {

    private final String source;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String source, int start) {
        this.source = source;
        for (int i = 0; i < start; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        this.pos = start;
    }

    Token next() throws ParseException {
        skipWhitespace();
        int start = pos;
        int column = start - lineStart + 1;
        if (pos >= source.length()) {
            return new Token(TokenType.END, "", null, (char) 0, start, line, column);
        }
        char c = source.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            pos++;
            while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                pos++;
            }
            return token(TokenType.IDENTIFIER, start, column, null);
        }
        if (c >= '0' && c <= '9') {
            return number(start, column);
        }
        if (c == '\'' || c == '"') {
            return string(c, start, column);
        }
        pos++;
        TokenType type = switch (c) {
            case ',' -> TokenType.COMMA;
            case '.' -> TokenType.DOT;
            case ':' -> TokenType.COLON;
            case '(' -> TokenType.LEFT_PAREN;
            case ')' -> TokenType.RIGHT_PAREN;
            case '[' -> TokenType.LEFT_BRACKET;
            case ']' -> TokenType.RIGHT_BRACKET;
            case '{' -> TokenType.LEFT_BRACE;
            case '}' -> TokenType.RIGHT_BRACE;
            case '*' -> TokenType.STAR;
            case '+' -> TokenType.PLUS;
            case '-' -> TokenType.MINUS;
            case '/' -> TokenType.SLASH;
            case '%' -> TokenType.PERCENT;
            case '=' -> TokenType.EQUAL;
            case '<' -> follows('=') ? TokenType.LESS_EQUAL : follows('>') ? TokenType.NOT_EQUAL : TokenType.LESS;
            case '>' -> follows('=') ? TokenType.GREATER_EQUAL : TokenType.GREATER;
            case '!' -> {
                if (!follows('=')) {
                    throw new ParseException(line, column, "'!='", "'!'");
                }
                yield TokenType.NOT_EQUAL;
            }
            default -> throw new ParseException(line, column, "an expression, operator or keyword",
                    "'" + new String(Character.toChars(source.codePointAt(start))) + "'");
        };
        return token(type, start, column, null);
    }

    private boolean follows(char c) {
        if (pos < source.length() && source.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Token number(int start, int column) throws ParseException {
        skipDigits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            pos++;
            if (!isDigitAt(pos)) {
                throw new ParseException(line, pos - lineStart + 1, "a digit after the decimal point", found(pos));
            }
            skipDigits();
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            if (!isDigitAt(pos)) {
                throw new ParseException(line, pos - lineStart + 1, "a digit in the exponent", found(pos));
            }
            skipDigits();
        }
        if (pos < source.length() && (Character.isLetter(source.charAt(pos)) || source.charAt(pos) == '_')) {
            throw new ParseException(line, pos - lineStart + 1, "an operator or ',' after the number", found(pos));
        }
        String text = source.substring(start, pos);
        Number value;
        try {
            value = Numbers.normalize(new BigDecimal(text));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ParseException(line, column, "a number with a smaller exponent", "'" + text + "'");
        }
        return new Token(TokenType.NUMBER, text, value, (char) 0, start, line, column);
    }

    private Token string(char quote, int start, int column) throws ParseException {
        int startLine = line;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= source.length()) {
                throw new ParseException(startLine, column, "a closing " + quote + " for the string starting here",
                        "end of input");
            }
            char c = source.charAt(pos);
            if (c == quote) {
                if (pos + 1 < source.length() && source.charAt(pos + 1) == quote) {
                    value.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\\') {
                pos = escape(value);
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            value.append(c);
            pos++;
        }
        return new Token(TokenType.STRING, source.substring(start, pos), value.toString(), quote, start, startLine, column);
    }

    /** Appends the escape at {@code pos} (a backslash) and returns the index after it. */
    private int escape(StringBuilder value) throws ParseException {
        int at = pos;
        if (at + 1 >= source.length()) {
            throw new ParseException(line, at - lineStart + 1, "an escape such as \\n or \\' after the backslash",
                    "end of input");
        }
        char kind = source.charAt(at + 1);
        switch (kind) {
            case '\'', '"', '\\', '/' -> value.append(kind);
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> {
                if (at + 6 > source.length() || !isHex(source.substring(at + 2, at + 6))) {
                    throw new ParseException(line, at - lineStart + 1, "four hex digits after \\u", found(at + 2));
                }
                value.append((char) Integer.parseInt(source.substring(at + 2, at + 6), 16));
                return at + 6;
            }
            default -> throw new ParseException(line, at - lineStart + 1,
                    "an escape such as \\n, \\' or \\\\", "'\\" + kind + "'");
        }
        return at + 2;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private Token token(TokenType type, int start, int column, Object value) {
        return new Token(type, source.substring(start, pos), value, (char) 0, start, line, column);
    }

    private String found(int at) {
        return at >= source.length() ? "end of input" : "'" + source.charAt(at) + "'";
    }

    private boolean isDigitAt(int at) {
        return at < source.length() && source.charAt(at) >= '0' && source.charAt(at) <= '9';
    }

    private void skipDigits() {
        while (isDigitAt(pos)) {
            pos++;
        }
    }

    private void skipWhitespace() {
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}

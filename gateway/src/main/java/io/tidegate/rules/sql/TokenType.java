package io.tidegate.rules.sql;

/** Lexical classes of AWS IoT SQL. Keywords are identifiers the parser recognizes case-insensitively. */
enum TokenType {
    IDENTIFIER, NUMBER, STRING,
    COMMA, DOT, COLON, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACKET, RIGHT_BRACKET, LEFT_BRACE, RIGHT_BRACE,
    STAR, PLUS, MINUS, SLASH, PERCENT,
    EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL,
    END
}

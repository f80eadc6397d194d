package io.tidegate.rules.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parse errors name the line, column, what was expected and what was found. */
class ParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT FROM 'a'                             | 1 | 8  | an expression                       | 'FROM'
            SELECT a FROM a/b                           | 1 | 15 | `a topic filter in single quotes, e.g. FROM 'dt/+/telemetry'` | 'a'
            SELECT a FROM "a/b"                         | 1 | 15 | `a topic filter in single quotes, e.g. FROM 'dt/+/telemetry'` | '"a/b"'
            SELECT a FROM 'a/#/b'                       | 1 | 15 | a valid MQTT topic filter (# must be alone in the last level of a filter [MQTT-4.7.1-2]) | `''a/#/b''`
            SELECT a FROM '$share/g/a'                  | 1 | 15 | a topic filter without $share (rules see every message) | `''$share/g/a''`
            SELECT a b FROM 'x'                         | 1 | 10 | `',', AS or FROM`                   | 'b'
            SELECT a                                    | 1 | 9  | `',', AS or FROM`                   | end of input
            SELECT a FROM 'x' WHERE                     | 1 | 24 | an expression                       | end of input
            SELECT a FROM 'x' WHERE a > 1 extra         | 1 | 31 | an operator or the end of the statement | 'extra'
            SELECT a FROM 'x' a                         | 1 | 19 | WHERE or the end of the statement   | 'a'
            SELECT foo(1) FROM 'x'                      | 1 | 8  | a known function                    | 'foo'
            SELECT abs(1, 2) FROM 'x'                   | 1 | 8  | 1 argument for abs                  | 2 arguments
            SELECT substring('a') FROM 'x'              | 1 | 8  | 2 or 3 arguments for substring      | 1 argument
            SELECT cast(1 AS Float) FROM 'x'            | 1 | 18 | a type: String, Int, Integer, Decimal, Double, Bool, Boolean, Nvarchar, Text, Ntext or Varchar | 'Float'
            SELECT cast(1, Int) FROM 'x'                | 1 | 14 | AS and a type in cast(value AS type) | ','
            SELECT 'abc                                 | 1 | 8  | a closing ' for the string starting here | end of input
            SELECT a FROM 'x' WHERE a ! b               | 1 | 27 | '!='                                | '!'
            SELECT 1.e5 FROM 'x'                        | 1 | 10 | a digit after the decimal point     | 'e'
            SELECT CASE a WHEN 1 THEN 2 FROM 'x'        | 1 | 29 | WHEN, ELSE or END                   | 'FROM'
            SELECT CASE a ELSE 2 END FROM 'x'           | 1 | 15 | WHEN                                | 'ELSE'
            SELECT *, * FROM 'x'                        | 1 | 11 | '*' only once in SELECT             | '*'
            SELECT a.1 FROM 'x'                         | 1 | 10 | a field name after '.'              | '1'
            SELECT a AS FROM 'x'                        | 1 | 13 | a name after AS                     | 'FROM'
            SELECT a[1 FROM 'x'                         | 1 | 12 | ']'                                 | 'FROM'
            SELECT {'a' 1} FROM 'x'                     | 1 | 13 | ':'                                 | '1'
            SELECT a FROM 'x' WHERE a = #               | 1 | 29 | an expression, operator or keyword  | '#'
            INSERT a                                    | 1 | 1  | SELECT                              | 'INSERT'
            """)
    void errors(String sql, int line, int column, String expected, String found) {
        assertThatThrownBy(() -> SqlStatement.parse(sql))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.expected()).isEqualTo(expected);
                    assertThat(e.found()).isEqualTo(found);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e).hasMessage("line " + line + ", column " + column + ": expected " + expected + " but found " + found);
                });
    }

    @Test
    @DisplayName("positions count lines and columns across a multi-line statement")
    void multiLine() {
        assertThatThrownBy(() -> SqlStatement.parse("SELECT a,\n       b +\n  FROM 'x'"))
                .hasMessage("line 3, column 3: expected an expression but found 'FROM'");
    }

    @Test
    @DisplayName("nesting is limited so evaluation cannot overflow the stack")
    void deepNesting() {
        String deep = "(".repeat(100) + "1" + ")".repeat(100);
        assertThatThrownBy(() -> SqlStatement.parse("SELECT " + deep + " AS x FROM 'x'"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("less deeply nested");
        String notNot = "NOT ".repeat(100) + "true";
        assertThatThrownBy(() -> SqlStatement.parse("SELECT x FROM 'x' WHERE " + notNot))
                .hasMessageContaining("less deeply nested");
    }

    @Test
    @DisplayName("keywords in any case; VALUE is a keyword only before an expression")
    void keywords() throws ParseException {
        Sql sql = new Sql().payload("{\"value\": 3, \"x\": 4}");
        assertThat(sql.run("select value x from '#' where x > 1")).isEqualTo("4");
        assertThat(sql.run("SELECT value FROM '#'")).isEqualTo("{\"value\":3}");
        assertThat(sql.run("SELECT value, x FROM '#'")).isEqualTo("{\"value\":3,\"x\":4}");
        assertThat(sql.run("SELECT value - 1 AS v FROM '#'")).isEqualTo("{\"v\":2}");
        assertThat(sql.run("SELECT x AS 'my-name' FROM '#'")).isEqualTo("{\"my-name\":4}");
        assertThat(SqlStatement.parse("SeLeCt * FrOm 'a' WhErE TRUE").topicFilter()).isEqualTo("a");
    }

    @Test
    @DisplayName("strings in single or double quotes, with doubled quotes and backslash escapes")
    void strings() {
        Sql sql = new Sql();
        assertThat(sql.value("'it''s'")).isEqualTo("\"it's\"");
        assertThat(sql.value("\"say \"\"hi\"\"\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(sql.value("'a\\nb\\t\\u00e9\\''")).isEqualTo("\"a\\nb\\té'\"");
    }

    @Test
    void accessors() throws ParseException {
        SqlStatement statement = SqlStatement.parse("SELECT * FROM 'dt/+/telemetry' WHERE temperature > 50");
        assertThat(statement.topicFilter()).isEqualTo("dt/+/telemetry");
        assertThat(statement.sql()).isEqualTo("SELECT * FROM 'dt/+/telemetry' WHERE temperature > 50");
        assertThat(statement.passesPayloadThrough()).isTrue();
        assertThat(statement.matchesTopic("dt/d1/telemetry")).isTrue();
        assertThat(statement.matchesTopic("dt/d1/other")).isFalse();
        assertThat(SqlStatement.parse("SELECT *, 1 AS x FROM '#'").passesPayloadThrough()).isFalse();
    }
}

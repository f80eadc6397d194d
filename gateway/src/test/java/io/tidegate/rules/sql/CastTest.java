package io.tidegate.rules.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cast() and the standard conversions (AWS IoT SQL reference: "cast()" casting rules, "Data
 * types" → Conversions). Rows: expression | expected JSON or Undefined | mismatch counted.
 */
class CastTest {

    private static void check(String expression, String expected, boolean counted) {
        Sql sql = new Sql();
        assertThat(sql.value(expression)).as(expression).isEqualTo(expected);
        assertThat(sql.mismatches()).as("mismatches counted for " + expression).isEqualTo(counted ? 1 : 0);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cast(true AS Int)           | 1         | false
            cast(false AS Integer)      | 0         | false
            cast(2.7 AS Int)            | 2         | false
            cast(-2.7 AS Int)           | -3        | false
            cast('5.9' AS Int)          | 5         | false
            cast(big AS Int)            | 12345678901234567890123 | false
            cast('x' AS Int)            | Undefined | true
            cast(arr AS Int)            | Undefined | true
            cast(null AS Int)           | Undefined | true
            cast(missing AS Int)        | Undefined | false
            """)
    void toInt(String expression, String expected, boolean counted) {
        check(expression, expected, counted);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cast(5 AS Decimal)          | 5         | false
            cast('-1.2' AS Decimal)     | -1.2      | false
            cast(numstr AS Decimal)     | -5.123    | false
            cast('5E-12' AS Decimal)    | 5E-12     | false
            cast(true AS Decimal)       | 1         | false
            cast(whole AS Decimal)      | 10        | false
            cast('1.' AS Decimal)       | Undefined | true
            cast(obj AS Decimal)        | Undefined | true
            cast(0.1 AS Double)         | 0.1       | false
            cast(1 AS Double)           | 1         | false
            """)
    void toDecimal(String expression, String expected, boolean counted) {
        check(expression, expected, counted);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cast(0 AS Boolean)          | false     | false
            cast(2.5 AS Boolean)        | true      | false
            cast(-1 AS Bool)            | true      | false
            cast('TRUE' AS Bool)        | true      | false
            cast('false' AS Boolean)    | false     | false
            cast(t AS Boolean)          | true      | false
            cast('yes' AS Boolean)      | Undefined | true
            cast(arr AS Boolean)        | Undefined | true
            cast(null AS Boolean)       | Undefined | true
            """)
    void toBoolean(String expression, String expected, boolean counted) {
        check(expression, expected, counted);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cast(5 AS String)           | "5"                          | false
            cast(2.5 AS String)         | "2.5"                        | false
            cast(true AS String)        | "true"                       | false
            cast('x' AS Nvarchar)       | "x"                          | false
            cast(arr AS varchar)        | "[1,\\"two\\",[3]]"          | false
            cast(obj AS Text)           | "{\\"a\\":1,\\"b\\":{\\"c\\":\\"d\\"}}" | false
            cast(null AS String)        | Undefined                    | true
            cast(missing AS Ntext)      | Undefined                    | false
            'n=' + 2.5                  | "n=2.5"                      | false
            'n=' + big                  | "n=12345678901234567890123"  | false
            'n=' + 1e40                 | "n=10000000000000000000000000000000000000000" | false
            'n=' + 1e-7                 | "n=1E-7"                     | false
            'b=' + f                    | "b=false"                    | false
            """)
    void toText(String expression, String expected, boolean counted) {
        check(expression, expected, counted);
    }
}

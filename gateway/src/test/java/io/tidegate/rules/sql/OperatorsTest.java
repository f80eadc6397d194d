package io.tidegate.rules.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators, table by table from the AWS IoT SQL reference ("Operators"). Each row: the
 * expression (fields come from {@link Sql#PAYLOAD}), the expected value as JSON (or Undefined),
 * and whether a type mismatch is counted.
 */
class OperatorsTest {

    private static void check(String expression, String expected, boolean counted) {
        Sql sql = new Sql();
        assertThat(sql.value(expression)).as(expression).isEqualTo(expected);
        assertThat(sql.mismatches()).as("mismatches counted for " + expression).isEqualTo(counted ? 1 : 0);
    }

    @Nested
    @DisplayName("AND, OR, NOT [Operators: AND/OR/NOT operator]")
    class LogicalOperators {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                true AND true           | true      | false
                true AND false          | false     | false
                t AND f                 | false     | false
                'true' AND 'TRUE'       | true      | false
                'True' AND false        | false     | false
                strtrue AND t           | true      | false
                true AND 'yes'          | Undefined | true
                1 AND true              | Undefined | true
                null AND true           | Undefined | true
                true AND missing        | Undefined | false
                missing AND false       | Undefined | false
                false OR true           | true      | false
                false OR false          | false     | false
                'false' OR 'true'       | true      | false
                true OR 5               | Undefined | true
                NOT true                | false     | false
                NOT 'false'             | true      | false
                NOT NOT t               | true      | false
                NOT 5                   | Undefined | true
                NOT missing             | Undefined | false
                """)
        void logical(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("< <= > >= [Operators: both operands are converted to Decimal]")
    class Ordering {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                5 > 3                   | true      | false
                3 > 5                   | false     | false
                2.5 > 2                 | true      | false
                int > 4                 | true      | false
                int >= 5                | true      | false
                int < 5                 | false     | false
                int <= 5                | true      | false
                dec >= 2.5              | true      | false
                dec > 2.4999999999      | true      | false
                2.6 > dec               | true      | false
                neg < -6.5              | true      | false
                whole = 10              | true      | false
                '10' > '9'              | true      | false
                '10' > 9                | true      | false
                numstr < -5             | true      | false
                '5E-12' > 0             | true      | false
                big > 12345678901234567890122 | true | false
                big > 1.5               | true      | false
                'abc' > 1               | Undefined | true
                '1.' > 0                | Undefined | true
                true > false            | Undefined | true
                arr > 1                 | Undefined | true
                null < 1                | Undefined | true
                missing > 1             | Undefined | false
                1 < missing             | Undefined | false
                """)
        void ordering(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("= <> != [Operators: = operator, <> operator]")
    class EqualityOperators {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                1 = 1                               | true      | false
                1 = 1.0                             | true      | false
                2.5 = 2.50                          | true      | false
                'a' = 'a'                           | true      | false
                'a' = 'b'                           | false     | false
                '1' = 1                             | false     | false
                true = 'true'                       | false     | false
                [1, 2] = [1, 2]                     | true      | false
                [1, 2] = [2, 1]                     | false     | false
                {'a': 1, 'b': 2} = {'b': 2, 'a': 1} | true      | false
                obj = {'a': 1, 'b': {'c': 'd'}}     | true      | false
                arr = [1, 'two', [3]]               | true      | false
                null = null                         | true      | false
                nul = null                          | true      | false
                str = 'hello'                       | true      | false
                str = 'hell'                        | false     | false
                str = 5                             | false     | false
                esc = 'a"bé'                        | true      | false
                int = 5                             | true      | false
                dec = 2.5                           | true      | false
                t = true                            | true      | false
                missing = 1                         | Undefined | false
                1 = missing                         | Undefined | false
                1 <> 2                              | true      | false
                'a' <> 'a'                          | false     | false
                '1' <> 1                            | true      | false
                null <> null                        | false     | false
                str != 'hello'                      | false     | false
                missing <> 1                        | Undefined | false
                """)
        void equality(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("+ - * / % and unary - [Operators: Int op Int is Int, a Decimal makes a Decimal]")
    class ArithmeticOperators {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                1 + 2                       | 3                             | false
                1 + 2.5                     | 3.5                           | false
                0.1 + 0.2                   | 0.3                           | false
                9223372036854775807 + 1     | 9223372036854775808           | false
                'a' + 1                     | "a1"                          | false
                1 + 'a'                     | "1a"                          | false
                '5' + 3                     | "53"                          | false
                str + t                     | "hellotrue"                   | false
                'x' + arr                   | "x[1,\\"two\\",[3]]"          | false
                true + 1                    | Undefined                     | true
                'x' + null                  | Undefined                     | true
                1 + missing                 | Undefined                     | false
                5 - 3                       | 2                             | false
                5 - 2.5                     | 2.5                           | false
                '5' - '2'                   | 3                             | false
                'a' - 1                     | Undefined                     | true
                3 * 4                       | 12                            | false
                2.5 * 2                     | 5                             | false
                '3' * 2                     | 6                             | false
                1.1 * 1.1                   | 1.21                          | false
                7 / 2                       | 3                             | false
                -7 / 2                      | -3                            | false
                7.5 / 2                     | 3.75                          | false
                1 / 3.5                     | 0.2857142857142857142857142857142857 | false
                '6' / '3'                   | 2                             | false
                5 / 0                       | Undefined                     | true
                7 % 3                       | 1                             | false
                -7 % 3                      | -1                            | false
                7.5 % 2                     | 1.5                           | false
                'a' % 2                     | Undefined                     | true
                5 % 0                       | Undefined                     | true
                -int                        | -5                            | false
                -'3'                        | -3                            | false
                - -5                        | 5                             | false
                -'x'                        | Undefined                     | true
                -missing                    | Undefined                     | false
                (int - 32) * 5 / 9          | -15                           | false
                """)
        void arithmetic(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("precedence and CASE [Case statements]")
    class PrecedenceAndCase {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                1 + 2 * 3                                                                      | 7          | false
                (1 + 2) * 3                                                                    | 9          | false
                NOT false AND false                                                            | false      | false
                true OR true AND false                                                         | true       | false
                2 * 3 > 5 AND 1 = 1                                                            | true       | false
                10 - 2 - 3                                                                     | 5          | false
                CASE 'yellow' WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' ELSE 'x' END | "caution"  | false
                CASE 'blue' WHEN 'green' THEN 'go' ELSE 'unknown' END                          | "unknown"  | false
                CASE 1 WHEN 2 THEN 'a' END                                                     | Undefined  | false
                CASE missing WHEN 1 THEN 'a' ELSE 'b' END                                      | Undefined  | false
                CASE int WHEN 5.0 THEN 'five' END                                              | "five"     | false
                CASE WHEN int > 3 THEN 'big' ELSE 'small' END                                  | "big"      | false
                """)
        void precedenceAndCase(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }
}

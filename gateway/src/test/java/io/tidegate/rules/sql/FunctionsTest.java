package io.tidegate.rules.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Built-in functions, from the argument tables and examples of the AWS IoT SQL reference
 * ("Functions"). Rows: expression | expected JSON or Undefined | whether a mismatch is counted.
 */
class FunctionsTest {

    private static void check(String expression, String expected, boolean counted) {
        Sql sql = new Sql();
        assertThat(sql.value(expression)).as(expression).isEqualTo(expected);
        assertThat(sql.mismatches()).as("mismatches counted for " + expression).isEqualTo(counted ? 1 : 0);
    }

    @Nested
    @DisplayName("abs, ceil, floor, round, sign, mod, power, sqrt [Functions]")
    class MathFunctions {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                abs(-5)             | 5                    | false
                abs(-2.5)           | 2.5                  | false
                abs('-5.123')       | 5.123                | false
                abs(numstr)         | 5.123                | false
                abs(true)           | Undefined            | true
                abs(arr)            | Undefined            | true
                abs(null)           | Undefined            | true
                abs(missing)        | Undefined            | false
                ceil(1.2)           | 2                    | false
                ceil(-1.2)          | -1                   | false
                ceil(5)             | 5                    | false
                ceil('1.5')         | 2                    | false
                ceil('x')           | Undefined            | true
                floor(1.2)          | 1                    | false
                floor(-1.2)         | -2                   | false
                floor('2.7')        | 2                    | false
                Round(1.2)          | 1                    | false
                round(1.5)          | 2                    | false
                round(1.7)          | 2                    | false
                round(-1.1)         | -1                   | false
                round(-1.5)         | -2                   | false
                round(3)            | 3                    | false
                sign(-7)            | -1                   | false
                sign(0)             | 0                    | false
                sign(13)            | 1                    | false
                sign('-2.5')        | -1                   | false
                mod(8, 3)           | 2                    | false
                mod(-8, 3)          | -2                   | false
                mod(8.5, 3)         | 2.5                  | false
                mod('8', '3')       | 2                    | false
                mod(8, 0)           | Undefined            | true
                power(2, 5)         | 32                   | false
                power(2, 0.5)       | 1.4142135623730951   | false
                power(2, -1)        | 0.5                  | false
                power('2', 3)       | 8                    | false
                power('x', 2)       | Undefined            | true
                sqrt(9)             | 3                    | false
                sqrt(2)             | 1.4142135623730951   | false
                sqrt('16')          | 4                    | false
                sqrt(-1)            | Undefined            | true
                """)
        void math(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("lower, upper, trim, length, numbytes, startswith, endswith, indexof, substring [Functions]")
    class StringFunctions {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                lower('HELLO')                  | "hello"        | false
                LOWER(['HELLO'])                | "[\\"hello\\"]"  | false
                upper('hello')                  | "HELLO"        | false
                upper(5)                        | "5"            | false
                lower(null)                     | Undefined      | true
                lower(missing)                  | Undefined      | false
                trim(' hi ')                    | "hi"           | false
                ltrim(' h i ')                  | "h i "         | false
                rtrim(' h i ')                  | " h i"         | false
                trim(true)                      | "true"         | false
                length('hi')                    | 2              | false
                length(false)                   | 5              | false
                length(emoji)                   | 3              | false
                length(obj)                     | 21             | false
                length(null)                    | Undefined      | true
                numbytes('hi')                  | 2              | false
                numbytes('€')                   | 3              | false
                numbytes(emoji)                 | 6              | false
                startswith('ranger', 'ran')     | true           | false
                startswith('ranger', 'ger')     | false          | false
                startswith(123, 1)              | true           | false
                startswith(null, 'a')           | Undefined      | true
                startswith(missing, 'a')        | Undefined      | false
                endswith('cat', 'at')           | true           | false
                endswith('cat', 'ca')           | false          | false
                indexof('abcd', 'bc')           | 1              | false
                indexof('abcd', 'x')            | -1             | false
                indexof(emoji, 'i')             | 2              | false
                substring('012345', 0)          | "012345"       | false
                substring('012345', 2)          | "2345"         | false
                substring('012345', 2.745)      | "2345"         | false
                substring(123, 2)               | "3"            | false
                substring('012345', -1)         | "012345"       | false
                substring(true, 1.2)            | "rue"          | false
                substring(false, -2.411E247)    | "false"        | false
                substring('012345', 1, 3)       | "12"           | false
                substring('012345', -50, 50)    | "012345"       | false
                substring('012345', 3, 1)       | ""             | false
                substring(emoji, 1, 2)          | "😀"           | false
                substring('abc', 'x')           | Undefined      | true
                """)
        void strings(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("concat and get [Functions: concat(), get]")
    class Collections {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                concat()                                | Undefined                       | false
                concat(1)                               | 1                               | false
                concat([1, 2, 3], 4)                    | [1,2,3,4]                       | false
                concat([1, 2, 3], 'hello')              | [1,2,3,"hello"]                 | false
                concat('con', 'cat')                    | "concat"                        | false
                concat(1, 'hello')                      | "1hello"                        | false
                concat('he', 'is', 'man')               | "heisman"                       | false
                concat([1, 2, 3], 'hello', [4, 5, 6])   | [1,2,3,"hello",4,5,6]           | false
                concat(arr, int)                        | [1,"two",[3],5]                 | false
                concat(1, 2)                            | Undefined                       | true
                concat('a', null)                       | Undefined                       | true
                get(['a', 'b', 'c'], 1)                 | "b"                             | false
                get({'a': 'b'}, 'a')                    | "b"                             | false
                get('abc', 0)                           | "a"                             | false
                get('abc', 2)                           | "c"                             | false
                get(arr, 1)                             | "two"                           | false
                get(arr, '2')                           | [3]                             | false
                get(arr, 5)                             | Undefined                       | false
                get(obj, 'b').c                         | "d"                             | false
                get(obj, 'zz')                          | Undefined                       | false
                get(5, 1)                               | Undefined                       | true
                """)
        void collections(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("isNull, isUndefined [Functions: isNull(), isUndefined()]")
    class TypeTests {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                isNull(5)                   | false     | false
                isNull(null)                | true      | false
                isNull(nul)                 | true      | false
                isNull(missing)             | false     | false
                isUndefined(5)              | false     | false
                isUndefined(null)           | false     | false
                isUndefined(missing)        | true      | false
                isUndefined(floor(arr))     | true      | true
                """)
        void types(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }
    }

    @Nested
    @DisplayName("encode, decode [Functions: encode(value, encodingScheme), decode(value, decodingScheme)]")
    class Encoding {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                encode('hello', 'base64')                                           | "aGVsbG8="    | false
                encode(5, 'base64')                                                 | "NQ=="        | false
                encode(obj.b, 'base64')                                             | "eyJjIjoiZCJ9" | false
                encode('x', 'hex')                                                  | Undefined     | true
                decode('aGVsbG8=', 'base64')                                        | "hello"       | false
                decode('eyAidGVtcGVyYXR1cmUiOiAzMyB9Cg==', 'base64').temperature    | 33            | false
                decode('!!!', 'base64')                                             | null          | false
                decode(5, 'hex')                                                    | Undefined     | true
                """)
        void encoding(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }

        @Test
        @DisplayName("encode(*, 'base64') encodes the payload's bytes, JSON or not [Binary payloads]")
        void encodesThePayload() {
            byte[] binary = {0, (byte) 0xFF, 'x'};
            Sql sql = new Sql().on(new RuleMessage("a/b", "c", null, 1L, 0, binary, false, null, null, null, List.of()));

            assertThat(sql.run("SELECT encode(*, 'base64') AS data FROM 'a/b'"))
                    .isEqualTo("{\"data\":\"" + Base64.getEncoder().encodeToString(binary) + "\"}");
            assertThat(new Sql().payload("{\"a\": 1}").run("SELECT encode(*, 'base64') AS data FROM '#'"))
                    .isEqualTo("{\"data\":\"" + Base64.getEncoder().encodeToString("{\"a\": 1}".getBytes(StandardCharsets.UTF_8)) + "\"}");
        }
    }

    @Nested
    @DisplayName("topic, clientid, principal, timestamp, newuuid, get_mqtt_property, get_user_properties")
    class MessageFunctions {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                topic()                                 | "dt/device-1/telemetry"           | false
                topic(1)                                | "dt"                              | false
                topic(2)                                | "device-1"                        | false
                topic(3)                                | "telemetry"                       | false
                topic(4)                                | Undefined                         | false
                topic(0)                                | Undefined                         | false
                topic('x')                              | Undefined                         | true
                clientid()                              | "device-1"                        | false
                principal()                             | "cn-device-1"                     | false
                timestamp()                             | 1700000000000                     | false
                get_mqtt_property('content_type')       | "application/json"                | false
                get_mqtt_property('format_indicator')   | "UTF8_DATA"                       | false
                get_mqtt_property('response_topic')     | "reply/device-1"                  | false
                get_mqtt_property('correlation_data')   | "AQID"                            | false
                get_mqtt_property('bogus')              | Undefined                         | true
                get_user_properties('k')                | ["v1","v2"]                       | false
                get_user_properties('none')             | Undefined                         | false
                get_user_properties()                   | [{"k":"v1"},{"o":"ov"},{"k":"v2"}] | false
                """)
        void message(String expression, String expected, boolean counted) {
            check(expression, expected, counted);
        }

        @Test
        @DisplayName("an MQTT 3.1.1 message has no properties: format_indicator is UNSPECIFIED_BYTES, the rest Undefined")
        void withoutProperties() {
            Sql sql = new Sql().on(RuleMessage.of("a/b", null, "{}"));

            assertThat(sql.value("get_mqtt_property('format_indicator')")).isEqualTo("\"UNSPECIFIED_BYTES\"");
            assertThat(sql.value("get_mqtt_property('content_type')")).isEqualTo("Undefined");
            assertThat(sql.value("get_mqtt_property('correlation_data')")).isEqualTo("Undefined");
            assertThat(sql.value("get_user_properties()")).isEqualTo("[]");
            assertThat(sql.value("clientid()")).isEqualTo("Undefined");
            assertThat(sql.value("principal()")).isEqualTo("Undefined");
        }

        @Test
        @DisplayName("newuuid() returns a random version 4 UUID")
        void newUuid() {
            Sql sql = new Sql();
            String first = sql.value("newuuid()");
            String second = sql.value("newuuid()");

            assertThat(first).matches("\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"");
            assertThat(second).isNotEqualTo(first);
        }
    }
}

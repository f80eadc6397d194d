package io.tidegate.rules.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Substitution templates (AWS IoT SQL reference: "Substitution templates"). */
class TemplateTest {

    private static String render(String template) {
        try {
            return Template.parse(template).render(Sql.message("dt/device-1/telemetry", Sql.PAYLOAD));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ${topic(2)}                         | device-1
            telemetry/${clientid()}             | telemetry/device-1
            ${timestamp()}                      | 1700000000000
            ${topic(1)}-${topic(3)}/x           | dt-telemetry/x
            plain text                          | plain text
            cost: $5                            | cost: $5
            ${str}                              | hello
            ${int * 2}                          | 10
            ${obj.b}                            | {"c":"d"}
            ${nul}                              | null
            [${missing}]                        | []
            ${ {'a': 1}.a }                     | 1
            ${'}'}                              | }
            ${upper(str) + '!'}                 | HELLO!
            ${get_mqtt_property('content_type')} | application/json
            """)
    @DisplayName("expressions are substituted: strings without quotes, Undefined as nothing, the rest as JSON")
    void renders(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a template without ${...} is constant; renderInto reports an Undefined expression")
    void constantAndUndefined() throws ParseException {
        assertThat(Template.parse("a/b").isConstant()).isTrue();
        assertThat(Template.parse("a/${topic()}").isConstant()).isFalse();
        EvalContext ctx = new EvalContext();
        ctx.reset(Sql.message("a/b", "{}"));
        StringBuilder text = new StringBuilder();

        assertThat(Template.parse("k-${missing}").renderInto(text, ctx)).isFalse();
        assertThat(text).hasToString("k-");
        assertThat(Template.parse("k-${topic(1)}").renderInto(text.delete(0, text.length()), ctx)).isTrue();
        assertThat(text).hasToString("k-a");
    }

    @ParameterizedTest(name = "{0} → {1}:{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ${topic(2}              | 1 | 10 | `',' or ')'`
            x/${topic()             | 1 | 12 | `an operator or '}' closing the ${...} expression`
            ${}                     | 1 | 3  | an expression
            ${nosuch()}             | 1 | 3  | a known function
            ${a +}                  | 1 | 6  | an expression
            """)
    @DisplayName("parse errors give the line and column within the template")
    void parseErrors(String template, int line, int column, String expected) {
        assertThatThrownBy(() -> Template.parse(template))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.expected()).isEqualTo(expected);
                });
    }

    @Test
    @DisplayName("lines are counted across the whole template")
    void multiLineTemplate() {
        assertThatThrownBy(() -> Template.parse("first line\nsecond ${ 1 + }"))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(15);
                    assertThat(e).hasMessage("line 2, column 15: expected an expression but found '}'");
                });
    }
}

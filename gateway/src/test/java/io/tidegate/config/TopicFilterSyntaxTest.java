package io.tidegate.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFilterSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "/", "a//b", "a/+/c/#", "dt/${clientid}/#", "${cn}/+", "dev-${clientid}/x",
            "$SYS/#", "a b/c", "${clientid}${cn}"})
    void accepts(String filter) {
        assertThat(TopicFilterSyntax.problem(filter)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a/b#", "##", "a+/b", "a/++", "${user}/#", "dt/${clientId}/#", "${}/a", "a\u0000b"})
    void rejects(String filter) {
        assertThat(TopicFilterSyntax.problem(filter)).isPresent();
    }
}

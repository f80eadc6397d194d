package io.tidegate.mqtt.topic;

import static io.tidegate.mqtt.topic.TopicProblem.EMPTY;
import static io.tidegate.mqtt.topic.TopicProblem.EMPTY_SHARE_NAME;
import static io.tidegate.mqtt.topic.TopicProblem.MISPLACED_MULTI_LEVEL_WILDCARD;
import static io.tidegate.mqtt.topic.TopicProblem.MISPLACED_SINGLE_LEVEL_WILDCARD;
import static io.tidegate.mqtt.topic.TopicProblem.MISSING_SHARED_FILTER;
import static io.tidegate.mqtt.topic.TopicProblem.NULL_CHARACTER;
import static io.tidegate.mqtt.topic.TopicProblem.TOO_LONG;
import static io.tidegate.mqtt.topic.TopicProblem.UNPAIRED_SURROGATE;
import static io.tidegate.mqtt.topic.TopicProblem.WILDCARD_IN_SHARE_NAME;
import static io.tidegate.mqtt.topic.TopicProblem.WILDCARD_IN_TOPIC_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsValidationTest {

    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, four UTF-8 bytes

    @Nested
    @DisplayName("Topic names")
    class TopicNames {

        @ParameterizedTest(name = "\"{0}\" is valid")
        @ValueSource(strings = {"a", "/", "//", "a/b", "/finance", "sport/", "a//b", " ", "$SYS/broker/load",
                "sport/tennis/player1", "caf\u00e9/\u20ac/" + EMOJI})
        @DisplayName("valid topic names are accepted")
        void valid(String topic) {
            assertThat(Topics.validateTopicName(topic)).isNull();
            assertThat(Topics.isValidTopicName(topic)).isTrue();
        }

        @Test
        @DisplayName("[MQTT-4.7.3-1] a topic name is at least one character long")
        void empty() {
            assertThat(Topics.validateTopicName("")).isEqualTo(EMPTY);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"+", "#", "a/+", "a/#", "a/+/b", "a+b", "a#", "sport/tennis/#"})
        @DisplayName("[MQTT-3.3.2-2] a topic name contains no wildcard")
        void wildcards(String topic) {
            assertThat(Topics.validateTopicName(topic)).isEqualTo(WILDCARD_IN_TOPIC_NAME);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"\u0000", "a\u0000b", "a/\u0000"})
        @DisplayName("[MQTT-4.7.3-2] a topic name contains no U+0000")
        void nullCharacter(String topic) {
            assertThat(Topics.validateTopicName(topic)).isEqualTo(NULL_CHARACTER);
        }

        @ParameterizedTest(name = "{index}: {1}")
        @MethodSource("io.tidegate.mqtt.topic.TopicsValidationTest#lengths")
        @DisplayName("[MQTT-4.7.3-3] a topic name encodes to at most 65535 UTF-8 bytes")
        void length(String topic, String description, boolean valid) {
            assertThat(Topics.validateTopicName(topic)).isEqualTo(valid ? null : TOO_LONG);
        }

        @ParameterizedTest(name = "{index}")
        @ValueSource(strings = {"\uD83D", "a\uD83D", "\uDE00a", "a/\uDE00\uD83D/b"})
        @DisplayName("[MQTT-1.5.3-1] a topic name holds no unpaired surrogate")
        void surrogates(String topic) {
            assertThat(Topics.validateTopicName(topic)).isEqualTo(UNPAIRED_SURROGATE);
        }
    }

    @Nested
    @DisplayName("Topic filters")
    class TopicFilters {

        @ParameterizedTest(name = "\"{0}\" is valid")
        @ValueSource(strings = {"a", "/", "//", "#", "+", "a/#", "/#", "+/+", "/+", "+/", "+/#", "a/+/b", "+/tennis/#",
                "sport/tennis/player1/#", "a//b", "$SYS/#", "$SYS/+", "$shared/a", "caf\u00e9/+/" + EMOJI})
        @DisplayName("valid topic filters are accepted and are not shared")
        void valid(String filter) {
            assertThat(Topics.validateTopicFilter(filter)).isNull();
            assertThat(Topics.isValidTopicFilter(filter)).isTrue();
            assertThat(Topics.isShared(filter)).isFalse();
        }

        @Test
        @DisplayName("[MQTT-4.7.3-1] a topic filter is at least one character long")
        void empty() {
            assertThat(Topics.validateTopicFilter("")).isEqualTo(EMPTY);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"a#", "a/b#", "#/a", "a/#/b", "a/#/", "##", "#a", "sport/tennis#"})
        @DisplayName("[MQTT-4.7.1-2] # is alone in the last level")
        void misplacedMultiLevel(String filter) {
            assertThat(Topics.validateTopicFilter(filter)).isEqualTo(MISPLACED_MULTI_LEVEL_WILDCARD);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"a+", "+a", "++", "+#", "a/b+/c", "a/+b/c", "sport+", "a/++"})
        @DisplayName("[MQTT-4.7.1-3] + occupies an entire level")
        void misplacedSingleLevel(String filter) {
            assertThat(Topics.validateTopicFilter(filter)).isEqualTo(MISPLACED_SINGLE_LEVEL_WILDCARD);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"\u0000", "a/\u0000/#", "+/\u0000"})
        @DisplayName("[MQTT-4.7.3-2] a topic filter contains no U+0000")
        void nullCharacter(String filter) {
            assertThat(Topics.validateTopicFilter(filter)).isEqualTo(NULL_CHARACTER);
        }

        @ParameterizedTest(name = "{index}: {1}")
        @MethodSource("io.tidegate.mqtt.topic.TopicsValidationTest#lengths")
        @DisplayName("[MQTT-4.7.3-3] a topic filter encodes to at most 65535 UTF-8 bytes")
        void length(String filter, String description, boolean valid) {
            assertThat(Topics.validateTopicFilter(filter)).isEqualTo(valid ? null : TOO_LONG);
            assertThat(Topics.validateTopicFilter(filter.substring(2) + "/#")).isEqualTo(valid ? null : TOO_LONG);
        }

        @ParameterizedTest(name = "{index}")
        @ValueSource(strings = {"\uD83D", "a/\uD83D/#", "\uDE00/+"})
        @DisplayName("[MQTT-1.5.3-1] a topic filter holds no unpaired surrogate")
        void surrogates(String filter) {
            assertThat(Topics.validateTopicFilter(filter)).isEqualTo(UNPAIRED_SURROGATE);
        }
    }

    @Nested
    @DisplayName("Shared subscriptions")
    class SharedSubscriptions {

        static Stream<Arguments> valid() {
            return Stream.of(
                    arguments("$share/consumer1/sport/tennis/+", "consumer1", "sport/tennis/+"),
                    arguments("$share/g/#", "g", "#"),
                    arguments("$share/g/a", "g", "a"),
                    arguments("$share/g//finance", "g", "/finance"),
                    arguments("$share/g/$SYS/#", "g", "$SYS/#"),
                    arguments("$share/g\u00e9/+", "g\u00e9", "+"));
        }

        @ParameterizedTest(name = "\"{0}\" → ({1}, {2})")
        @MethodSource("valid")
        @DisplayName("[MQTT-4.8.2-1] $share/{ShareName}/{filter} is recognised and parsed, not taken as a plain filter")
        void parsesValid(String topicFilter, String shareName, String filter) {
            assertThat(Topics.validateTopicFilter(topicFilter)).isNull();
            assertThat(Topics.isShared(topicFilter)).isTrue();
            SharedSubscription shared = SharedSubscription.parse(topicFilter);
            assertThat(shared).isEqualTo(new SharedSubscription(shareName, filter));
            assertThat(shared.topicFilter()).isEqualTo(topicFilter);
        }

        static Stream<Arguments> invalid() {
            return Stream.of(
                    arguments("$share", EMPTY_SHARE_NAME),
                    arguments("$share/", EMPTY_SHARE_NAME),
                    arguments("$share//a", EMPTY_SHARE_NAME),
                    arguments("$share/g+/a", WILDCARD_IN_SHARE_NAME),
                    arguments("$share/+/a", WILDCARD_IN_SHARE_NAME),
                    arguments("$share/#", WILDCARD_IN_SHARE_NAME),
                    arguments("$share/g#", WILDCARD_IN_SHARE_NAME),
                    arguments("$share/g", MISSING_SHARED_FILTER),
                    arguments("$share/g/", MISSING_SHARED_FILTER),
                    arguments("$share/g/a#", MISPLACED_MULTI_LEVEL_WILDCARD),
                    arguments("$share/g/#/a", MISPLACED_MULTI_LEVEL_WILDCARD),
                    arguments("$share/g/a+", MISPLACED_SINGLE_LEVEL_WILDCARD),
                    arguments("$share/g/a\u0000", NULL_CHARACTER));
        }

        @ParameterizedTest(name = "\"{0}\" → {1}")
        @MethodSource("invalid")
        @DisplayName("[MQTT-4.8.2-1][MQTT-4.8.2-2] a ShareName is non-empty, wildcard-free and followed by / and a valid filter")
        void rejectsInvalid(String topicFilter, TopicProblem problem) {
            assertThat(Topics.validateTopicFilter(topicFilter)).isEqualTo(problem);
            assertThat(Topics.isShared(topicFilter)).isTrue();
            assertThat(SharedSubscription.parse(topicFilter)).isNull();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"a/b", "$shared/g/a", "$sharegroup", "x/$share/g/a", "#"})
        @DisplayName("filters whose first level is not exactly $share are plain")
        void plainIsNotShared(String filter) {
            assertThat(Topics.isShared(filter)).isFalse();
            assertThat(SharedSubscription.parse(filter)).isNull();
        }
    }

    @Test
    @DisplayName("a problem names its normative statement")
    void problemNamesStatement() {
        assertThat(EMPTY.statement()).isEqualTo("MQTT-4.7.3-1");
        assertThat(EMPTY.toString()).contains("[MQTT-4.7.3-1]").contains(EMPTY.description());
    }

    /** Strings around the 65535-byte limit; each starts with two one-byte characters. */
    static Stream<Arguments> lengths() {
        return Stream.of(
                arguments("a".repeat(65_535), "65535 one-byte chars", true),
                arguments("a".repeat(65_536), "65536 one-byte chars", false),
                arguments("ab" + "\u00e9".repeat(32_766) + "c", "65535 bytes with two-byte chars", true),
                arguments("ab" + "\u00e9".repeat(32_767), "65536 bytes with two-byte chars", false),
                arguments("ab" + "\u20ac".repeat(21_844) + "c", "65535 bytes with three-byte chars", true),
                arguments("ab" + "\u20ac".repeat(21_845), "65537 bytes with three-byte chars", false),
                arguments("ab" + EMOJI.repeat(16_383) + "c", "65535 bytes with four-byte chars", true),
                arguments("ab" + EMOJI.repeat(16_384), "65538 bytes with four-byte chars", false));
    }
}

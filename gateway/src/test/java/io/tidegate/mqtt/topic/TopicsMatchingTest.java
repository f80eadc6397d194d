package io.tidegate.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsMatchingTest {

    @Nested
    @DisplayName("matches(filter, topic)")
    class Matches {

        @ParameterizedTest(name = "{0} ~ {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                sport/tennis/player1/#  | sport/tennis/player1                  | true
                sport/tennis/player1/#  | sport/tennis/player1/ranking          | true
                sport/tennis/player1/#  | sport/tennis/player1/score/wimbledon  | true
                sport/#                 | sport                                 | true
                sport/#                 | sport/                                | true
                a/#                     | a                                     | true
                /#                      | /                                     | true
                '#'                     | sport/tennis                          | true
                '#'                     | /                                     | true
                +/#                     | a                                     | true
                sport/tennis/#          | sport                                 | false
                sport/tennis/#          | sport/tennis2                         | false
                sport/tennis/player1/#  | sport/tennis/player2                  | false
                """)
        @DisplayName("[MQTT 3.1.1 §4.7.1.2] # matches its parent level and any number of child levels")
        void multiLevel(String filter, String topic, boolean expected) {
            assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} ~ {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                sport/tennis/+          | sport/tennis/player1                  | true
                sport/tennis/+          | sport/tennis/player2                  | true
                sport/tennis/+          | sport/tennis/player1/ranking          | false
                sport/+                 | sport                                 | false
                sport/+                 | sport/                                | true
                +/+                     | /finance                              | true
                /+                      | /finance                              | true
                +                       | /finance                              | false
                +                       | a                                     | true
                +/tennis/#              | sport/tennis/player1                  | true
                a/+/b                   | a//b                                  | true
                +/+                     | /                                     | true
                +                       | /                                     | false
                a/+                     | a/$x                                  | true
                """)
        @DisplayName("[MQTT 3.1.1 §4.7.1.3] + matches exactly one level, empty levels included")
        void singleLevel(String filter, String topic, boolean expected) {
            assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} ~ {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                '#'                     | $SYS/x                                | false
                '#'                     | $SYS                                  | false
                +/monitor/Clients       | $SYS/monitor/Clients                  | false
                +                       | $SYS                                  | false
                +/#                     | $SYS/x                                | false
                $SYS/#                  | $SYS/x                                | true
                $SYS/#                  | $SYS                                  | true
                $SYS/monitor/+          | $SYS/monitor/Clients                  | true
                $SYS/x                  | $SYS/x                                | true
                """)
        @DisplayName("[MQTT-4.7.2-1] $-topics are not matched by # or + at the first level")
        void dollarTopics(String filter, String topic, boolean expected) {
            assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} ~ {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                a/b                     | a/b                                   | true
                /                       | /                                     | true
                a/b                     | a/b/                                  | false
                a/b/                    | a/b                                   | false
                a/b                     | a//b                                  | false
                /a                      | a                                     | false
                ACCOUNTS                | Accounts                              | false
                a/b                     | a/bc                                  | false
                a/bc                    | a/b                                   | false
                """)
        @DisplayName("[MQTT-4.7.3-4] literal levels match exactly, case-sensitive, without normalisation")
        void literal(String filter, String topic, boolean expected) {
            assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
        }

        @Test
        @DisplayName("[MQTT-4.7.3-1] empty filters and topics match nothing")
        void empty() {
            assertThat(Topics.matches("", "a")).isFalse();
            assertThat(Topics.matches("#", "")).isFalse();
        }

        @Test
        @DisplayName("agrees with a straightforward level-by-level reference on random filters and topics")
        void agreesWithReference() {
            Random random = new Random(42);
            for (int n = 0; n < 50_000; n++) {
                String filter = RandomTopics.filter(random);
                String topic = RandomTopics.topic(random);
                assertThat(Topics.matches(filter, topic))
                        .as("%s ~ %s", filter, topic)
                        .isEqualTo(RandomTopics.referenceMatches(filter, topic));
            }
        }
    }

    @Nested
    @DisplayName("isInside(requested, allowed)")
    class IsInside {

        @ParameterizedTest(name = "{0} inside {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                cmd/dev1/+/x            | cmd/dev1/#                            | true
                cmd/dev1/#              | cmd/dev1/#                            | true
                cmd/dev1                | cmd/dev1/#                            | true
                cmd/dev1/a/b/c          | cmd/dev1/#                            | true
                cmd/dev1/+              | cmd/dev1/#                            | true
                cmd/#                   | cmd/dev1/#                            | false
                cmd/+/x                 | cmd/dev1/#                            | false
                cmd                     | cmd/dev1/#                            | false
                cmd/dev2/x              | cmd/dev1/#                            | false
                '#'                     | #                                     | true
                +/x                     | #                                     | true
                +                       | #                                     | true
                a/+/#                   | a/#                                   | true
                a/#                     | a/+/#                                 | false
                '#'                     | a/#                                   | false
                """)
        @DisplayName("[MQTT 3.1.1 §4.7.1.2] an allowed # covers the parent level and everything below")
        void multiLevel(String requested, String allowed, boolean expected) {
            assertThat(Topics.isInside(requested, allowed)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} inside {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                a/+                     | a/+                                   | true
                a/b                     | a/+                                   | true
                a/+/c                   | +/+/c                                 | true
                a/+                     | a/b                                   | false
                a/#                     | a/+                                   | false
                a                       | a/+                                   | false
                a/b/c                   | a/+                                   | false
                a/+/c                   | a/+/d                                 | false
                """)
        @DisplayName("[MQTT 3.1.1 §4.7.1.3] a requested + is inside only an allowed + or #")
        void singleLevel(String requested, String allowed, boolean expected) {
            assertThat(Topics.isInside(requested, allowed)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} inside {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                $SYS/x                  | #                                     | false
                $SYS/#                  | #                                     | false
                $SYS/x                  | +/x                                   | false
                $SYS/x                  | +/#                                   | false
                $SYS/x                  | $SYS/#                                | true
                $SYS/+                  | $SYS/+                                | true
                +/x                     | +/#                                   | true
                a/$x                    | a/+                                   | true
                """)
        @DisplayName("[MQTT-4.7.2-1] a wildcard first level does not cover $-topics")
        void dollarTopics(String requested, String allowed, boolean expected) {
            assertThat(Topics.isInside(requested, allowed)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} inside {1} → false")
        @CsvSource(delimiter = '|', textBlock = """
                a/#/b                   | #
                a                       | a#
                ''                      | #
                $share/g/a              | #
                $share/g/a              | $share/#
                a                       | $share/g/#
                """)
        @DisplayName("invalid and shared filters are never inside (authorize a shared one by its inner filter)")
        void invalidOrShared(String requested, String allowed) {
            assertThat(Topics.isInside(requested, allowed)).isFalse();
        }

        @Test
        @DisplayName("is sound: every topic the requested filter matches is matched by the allowed filter")
        void sound() {
            Random random = new Random(7);
            List<String> topics = new ArrayList<>();
            for (int n = 0; n < 300; n++) {
                topics.add(RandomTopics.topic(random));
            }
            int inside = 0;
            for (int n = 0; n < 20_000; n++) {
                String requested = RandomTopics.filter(random);
                String allowed = RandomTopics.filter(random);
                if (Topics.isInside(requested, allowed)) {
                    inside++;
                    for (String topic : topics) {
                        if (Topics.matches(requested, topic)) {
                            assertThat(Topics.matches(allowed, topic))
                                    .as("%s inside %s but %s", requested, allowed, topic).isTrue();
                        }
                    }
                }
            }
            assertThat(inside).isGreaterThan(100); // the check was exercised
        }
    }

    @Nested
    @DisplayName("overlap: a requested filter and a denied filter share a topic")
    class Overlap {

        @ParameterizedTest(name = "{0} and {1} → {2}")
        @CsvSource(delimiter = '|', textBlock = """
                dt/#                    | dt/+/secret                           | true
                '#'                     | dt/dev-1/secret                       | true
                dt/+/temp               | dt/dev-1/#                            | true
                dt/dev-1                | dt/dev-1/#                            | true
                dt/dev-1/#              | dt/dev-1                              | true
                dt/+/temp               | dt/+/secret                           | false
                dt/dev-2/#              | dt/dev-1/#                            | false
                a/b                     | a/b/c                                 | false
                a/+                     | a/b/c                                 | false
                a/+/+                   | a/b                                   | false
                +/+                     | a/b                                   | true
                '#'                     | $SYS/#                                | false
                +/x                     | $SYS/x                                | false
                $SYS/#                  | $SYS/broker                           | true
                a/#/b                   | a                                     | true
                """)
        @DisplayName("[MQTT-4.7.1-1, -2] [MQTT-4.7.2-1] wildcards overlap what they can match; invalid filters always do")
        void cases(String requested, String denied, boolean expected) {
            assertThat(Topics.overlap(requested, denied)).isEqualTo(expected);
            if (Topics.validateTopicFilter(requested) == null) {
                assertThat(Topics.overlap(denied, requested)).as("symmetric").isEqualTo(expected);
            }
        }

        @Test
        @DisplayName("misses nothing: a topic both filters match means they overlap")
        void neverMissesACommonTopic() {
            Random random = new Random(11);
            List<String> topics = new ArrayList<>();
            for (int n = 0; n < 300; n++) {
                topics.add(RandomTopics.topic(random));
            }
            int common = 0;
            for (int n = 0; n < 20_000; n++) {
                String a = RandomTopics.filter(random);
                String b = RandomTopics.filter(random);
                for (String topic : topics) {
                    if (Topics.matches(a, topic) && Topics.matches(b, topic)) {
                        common++;
                        assertThat(Topics.overlap(a, b)).as("%s and %s both match %s", a, b, topic).isTrue();
                        break;
                    }
                }
            }
            assertThat(common).isGreaterThan(100); // the check was exercised
        }
    }
}

package dev.streamtrain.contracts.topic;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TopicNamesTest {

    private static final String OK = "ok";

    @Test
    void defaultsAreTheDocumentedNames() {
        assertThat(TopicNames.DEFAULT.minibatches()).isEqualTo("streamtrain.minibatches");
        assertThat(TopicNames.DEFAULT.testSet()).isEqualTo("streamtrain.testset");
        assertThat(TopicNames.DEFAULT.snapshots()).isEqualTo("streamtrain.snapshots");
        assertThat(TopicNames.DEFAULT.metrics()).isEqualTo("streamtrain.metrics");
    }

    @Test
    void withPrefixPrefixesEveryName() {
        TopicNames names = TopicNames.DEFAULT.withPrefix("it-42.");
        assertThat(names).isEqualTo(new TopicNames("it-42.streamtrain.minibatches", "it-42.streamtrain.testset",
                "it-42.streamtrain.snapshots", "it-42.streamtrain.metrics", "it-42.streamtrain.runs"));
        assertThat(TopicNames.DEFAULT).isEqualTo(new TopicNames("streamtrain.minibatches", "streamtrain.testset",
                "streamtrain.snapshots", "streamtrain.metrics"));
        assertThat(TopicNames.DEFAULT.withPrefix("")).isEqualTo(TopicNames.DEFAULT);
        assertThat(names.withPrefix("b.").minibatches()).isEqualTo("b.it-42.streamtrain.minibatches");
    }

    @Test
    void withPrefixRejectsAnIllegalPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicNames.DEFAULT.withPrefix("my test."))
                .withMessage("topic name 'minibatches' is not a legal Kafka topic name: 'my test.streamtrain"
                        + ".minibatches' (use 1-249 characters of [a-zA-Z0-9._-])");
    }

    @Test
    void withPrefixRespectsTheLengthLimit() {
        // "streamtrain.minibatches" is the longest default name: 23 characters.
        TopicNames longest = TopicNames.DEFAULT.withPrefix("p".repeat(249 - 23));
        assertThat(longest.minibatches()).hasSize(249);
        String tooLong = "p".repeat(250 - 23) + "streamtrain.minibatches";
        assertThatIllegalArgumentException().isThrownBy(() -> TopicNames.DEFAULT.withPrefix("p".repeat(250 - 23)))
                .withMessage("topic name 'minibatches' is not a legal Kafka topic name: '" + tooLong
                        + "' (use 1-249 characters of [a-zA-Z0-9._-])");
    }

    static Stream<Arguments> illegalNamesPerField() {
        String[] illegal = {"", " ", "a b", "a/b", "a:b", "ü", "a\tb", "x".repeat(250), "topic!", "a,b"};
        return Stream.of("minibatches", "testSet", "snapshots", "metrics")
                .flatMap(field -> Stream.of(illegal).map(name -> Arguments.of(field, name)));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @MethodSource("illegalNamesPerField")
    void rejectsIllegalNamesNamingTheField(String field, String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> withField(field, name))
                .withMessage("topic name '" + field + "' is not a legal Kafka topic name: '" + name
                        + "' (use 1-249 characters of [a-zA-Z0-9._-])");
    }

    @ParameterizedTest
    @ValueSource(strings = {"minibatches", "testSet", "snapshots", "metrics"})
    void rejectsNullNamingTheField(String field) {
        assertThatNullPointerException().isThrownBy(() -> withField(field, null))
                .withMessage("topic name '" + field + "' must not be null");
    }

    /** Names on which our check must agree with Kafka's own topic name validation. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "a.b-c_D9", "...a", "-", "_", "streamtrain.minibatches", "", " ",
            "a b", "a/b", "a:b", "ü", "a\nb", "topic!", "a*"})
    void agreesWithKafkasTopicValidation(String name) {
        assertThat(accepts(name)).as("TopicNames accepts '%s'", name).isEqualTo(Topic.isValid(name));
    }

    @Test
    void agreesWithKafkaOnTheLengthLimit() {
        assertThat(accepts("x".repeat(249))).isTrue();
        assertThat(Topic.isValid("x".repeat(249))).isTrue();
        assertThat(accepts("x".repeat(250))).isFalse();
        assertThat(Topic.isValid("x".repeat(250))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void rejectsDotAndDotDotLikeKafka(String name) {
        assertThat(Topic.isValid(name)).isFalse();
        assertThat(accepts(name)).isFalse();
    }

    private static boolean accepts(String name) {
        try {
            new TopicNames(name, OK, OK, OK);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static TopicNames withField(String field, String name) {
        return switch (field) {
            case "minibatches" -> new TopicNames(name, OK, OK, OK);
            case "testSet" -> new TopicNames(OK, name, OK, OK);
            case "snapshots" -> new TopicNames(OK, OK, name, OK);
            case "metrics" -> new TopicNames(OK, OK, OK, name);
            default -> throw new AssertionError(field);
        };
    }
}

package dev.streamtrain.contracts.topic;

/**
 * The topics of {@code streamtrain serve}'s Kafka path: prediction requests in, one prediction
 * record out per request, both keyed by request id (JSON; docs/wire-format.md, sections 9 and 10).
 * Not part of a run's topics: a run is trained and evaluated without them.
 */
public record PredictTopics(String requests, String predictions) {

    public static final PredictTopics DEFAULT =
            new PredictTopics(TopicNames.DEFAULT_PREDICT_REQUESTS, TopicNames.DEFAULT_PREDICTIONS);

    public PredictTopics {
        TopicNames.requireTopic("requests", requests);
        TopicNames.requireTopic("predictions", predictions);
        if (requests.equals(predictions)) {
            throw new IllegalArgumentException("the requests and predictions topics must differ, both are '"
                    + requests + "'");
        }
    }
}

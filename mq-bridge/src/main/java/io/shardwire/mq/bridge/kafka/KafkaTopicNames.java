package io.shardwire.mq.bridge.kafka;

import java.util.regex.Pattern;

/** Kafka's rule for topic names: 1 to 249 of ASCII letters, digits, '.', '_' and '-', not "." or "..". */
final class KafkaTopicNames {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private KafkaTopicNames() {
    }

    /**
     * @param name a topic name
     * @param what what it is, for the message
     * @throws IllegalArgumentException if Kafka would refuse it
     */
    static void check(String name, String what) {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a legal Kafka topic name (expected: 1"
                    + " to 249 ASCII letters, digits, '.', '_' or '-')");
        }
    }
}

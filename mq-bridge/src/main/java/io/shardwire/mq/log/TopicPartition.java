package io.shardwire.mq.log;

import java.util.regex.Pattern;

/**
 * One partition of a topic; names the partition's directory, {@code <topic>-<partition>}.
 *
 * @param topic     the topic name: letters, digits, '.', '_' and '-', at most 200 characters, not starting with "__"
 *                  (reserved for the store's own directories)
 * @param partition the partition number, &gt;= 0
 */
public record TopicPartition(String topic, int partition) {

    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** Checks the topic name and partition number. */
    public TopicPartition {
        checkTopicName(topic);
        if (partition < 0) {
            throw new IllegalArgumentException("partition: " + partition + " (expected: >= 0)");
        }
    }

    /**
     * Checks a topic name.
     *
     * @param topic the name
     * @throws IllegalArgumentException if it is not a valid topic name
     */
    public static void checkTopicName(String topic) {
        if (topic == null || !TOPIC_NAME.matcher(topic).matches() || topic.startsWith("__")
                || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic: '" + topic + "' (expected: 1 to 200 letters, digits, '.', '_'"
                    + " or '-', not '.' or '..', not starting with '__')");
        }
    }

    /** @return the partition's directory name, {@code <topic>-<partition>} */
    public String directoryName() {
        return topic + "-" + partition;
    }

    @Override
    public String toString() {
        return directoryName();
    }
}

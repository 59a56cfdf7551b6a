package io.shardwire.mq.log;

import java.nio.charset.StandardCharsets;

/**
 * A producer and the source position of the batch it produced; what makes an append idempotent.
 *
 * @param producerId names the producer, for example "cdc-g0"; 1 to 255 bytes of UTF-8
 * @param position   the producer's position after the batch
 */
public record ProducerPosition(String producerId, SourcePosition position) {

    /** The longest producer id in UTF-8 bytes, so that it fits in a batch header. */
    public static final int MAX_PRODUCER_ID_BYTES = 255;

    /** Checks the producer id. */
    public ProducerPosition {
        checkProducerId(producerId);
        if (position == null) {
            throw new IllegalArgumentException("position: null (expected: a source position)");
        }
    }

    /**
     * Checks a producer id.
     *
     * @param producerId the id
     * @throws IllegalArgumentException if it is empty or too long
     */
    public static void checkProducerId(String producerId) {
        int length = producerId == null ? 0 : producerId.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > MAX_PRODUCER_ID_BYTES) {
            throw new IllegalArgumentException("producerId: '" + producerId + "' (expected: 1 to "
                    + MAX_PRODUCER_ID_BYTES + " bytes of UTF-8)");
        }
    }
}

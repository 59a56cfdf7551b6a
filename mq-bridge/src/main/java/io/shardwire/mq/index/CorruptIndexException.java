package io.shardwire.mq.index;

import java.io.IOException;

/**
 * An index file failed its sanity check. Indexes are derived data, so the owner of the index rebuilds it from the
 * log rather than failing.
 */
public final class CorruptIndexException extends IOException {

    /**
     * @param message what is wrong, naming the file
     */
    public CorruptIndexException(String message) {
        super(message);
    }
}

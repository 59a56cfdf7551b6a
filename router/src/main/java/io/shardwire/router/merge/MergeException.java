package io.shardwire.router.merge;

/**
 * A merge that cannot produce the exact answer: a memory merge past its cap, a value the merge
 * cannot decode or order (an unknown collation, an ENUM sort key). The proxy answers it as an
 * error (1105) instead of a partial or wrong result.
 */
public final class MergeException extends RuntimeException {

    public MergeException(String message) {
        super(message);
    }
}

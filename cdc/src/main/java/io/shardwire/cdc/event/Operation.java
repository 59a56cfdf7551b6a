package io.shardwire.cdc.event;

/**
 * What happened to a row, with Debezium's one-letter codes so that Debezium consumers read our {@code op} field as
 * they read theirs.
 */
public enum Operation {

    /** A row was inserted. */
    CREATE("c"),
    /** A row was updated: the event has both images. */
    UPDATE("u"),
    /** A row was deleted: the event has only the before image. */
    DELETE("d"),
    /** A row existed when the capture took its initial snapshot: the event has only the after image. */
    READ("r");

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    /** @return the one-letter code: {@code c}, {@code u}, {@code d} or {@code r} */
    public String code() {
        return code;
    }

    /**
     * @param code a one-letter code
     * @return the operation with that code
     * @throws IllegalArgumentException if none has it
     */
    public static Operation ofCode(String code) {
        for (Operation operation : values()) {
            if (operation.code.equals(code)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("op: '" + code + "' (expected: c, u, d or r)");
    }
}

package io.shardwire.mq.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a record batch in a log file. All integers are big-endian; lengths count bytes.
 *
 * <table>
 * <caption>Batch</caption>
 * <tr><th>Offset</th><th>Size</th><th>Field</th></tr>
 * <tr><td>0</td><td>8</td><td>base offset: the offset of the first record</td></tr>
 * <tr><td>8</td><td>4</td><td>batch length: bytes after this field, so the batch takes 12 + length bytes</td></tr>
 * <tr><td>12</td><td>4</td><td>CRC32C of every byte after this field (offset 16 to the end of the batch)</td></tr>
 * <tr><td>16</td><td>1</td><td>magic: the format version, 1</td></tr>
 * <tr><td>17</td><td>4</td><td>record count, &gt;= 1</td></tr>
 * <tr><td>21</td><td>8</td><td>first timestamp: the first record's, ms since the epoch</td></tr>
 * <tr><td>29</td><td>8</td><td>max timestamp: the largest record timestamp</td></tr>
 * <tr><td>37</td><td>8</td><td>producer sequence ({@link SourcePosition#sequence}), -1 in an anonymous batch</td></tr>
 * <tr><td>45</td><td>1</td><td>producer id length N, 0 in an anonymous batch</td></tr>
 * <tr><td>46</td><td>N</td><td>producer id, UTF-8</td></tr>
 * <tr><td>46 + N</td><td>2</td><td>source position length M</td></tr>
 * <tr><td>48 + N</td><td>M</td><td>source position bytes ({@link SourcePosition#bytes})</td></tr>
 * <tr><td>48 + N + M</td><td></td><td>the records, one after the other</td></tr>
 * </table>
 *
 * <table>
 * <caption>Record</caption>
 * <tr><th>Offset</th><th>Size</th><th>Field</th></tr>
 * <tr><td>0</td><td>4</td><td>record length: bytes after this field</td></tr>
 * <tr><td>4</td><td>4</td><td>offset delta: offset - base offset</td></tr>
 * <tr><td>8</td><td>8</td><td>timestamp delta: timestamp - first timestamp</td></tr>
 * <tr><td>16</td><td>4</td><td>key length K, -1 for no key</td></tr>
 * <tr><td>20</td><td>K</td><td>key</td></tr>
 * <tr><td>20 + K</td><td>4</td><td>header count H</td></tr>
 * <tr><td></td><td></td><td>H times: name length (2), name (UTF-8), value length (4), value</td></tr>
 * <tr><td></td><td>4</td><td>value length V, -1 for no value</td></tr>
 * <tr><td></td><td>V</td><td>value</td></tr>
 * </table>
 *
 * <p>The base offset sits before the CRC because the log assigns it; recovery checks it instead against the end of
 * the previous batch. The length comes before the CRC so that a reader can frame a batch before checking it. A batch
 * is written with one positional write, but a crash can still leave any prefix of it on disk; the length and the CRC
 * are how recovery tells a whole batch from a torn one.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchFormat {

    /** Bytes before the CRC field that the batch length does not count: base offset and length. */
    public static final int LOG_OVERHEAD = 12;

    /** The format version written and accepted. */
    public static final byte MAGIC = 1;

    static final int LENGTH_OFFSET = 8;
    static final int CRC_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int RECORD_COUNT_OFFSET = 17;
    static final int FIRST_TIMESTAMP_OFFSET = 21;
    static final int MAX_TIMESTAMP_OFFSET = 29;
    static final int PRODUCER_SEQUENCE_OFFSET = 37;
    static final int PRODUCER_ID_LENGTH_OFFSET = 45;
    static final int PRODUCER_ID_OFFSET = 46;
    /** The smallest batch length: a header with no producer and no position (records are checked by the CRC). */
    static final int MIN_BATCH_LENGTH = PRODUCER_ID_OFFSET + 2 - LOG_OVERHEAD;

    private static final int RECORD_FIXED_BYTES = 4 + 4 + 8 + 4 + 4 + 4;

    private BatchFormat() {
    }

    /**
     * Encodes a batch with its CRC.
     *
     * @param batch      the batch
     * @param baseOffset the offset of its first record
     * @return a buffer holding exactly the batch, ready to read
     * @throws IllegalArgumentException if the batch would exceed 2 GiB or a header name 65,535 bytes
     */
    public static ByteBuffer encode(RecordBatch batch, long baseOffset) {
        List<Record> records = batch.records();
        byte[] producerId = batch.producer()
                .map(p -> p.producerId().getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[0]);
        byte[] position = batch.producer().map(p -> p.position().bytes()).orElse(new byte[0]);
        long size = PRODUCER_ID_OFFSET + producerId.length + 2L + position.length;
        for (Record record : records) {
            size += recordSize(record);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch size: " + size + " bytes (expected: <= " + Integer.MAX_VALUE
                    + "); split the batch");
        }
        long firstTimestamp = records.get(0).timestamp();
        long maxTimestamp = firstTimestamp;
        for (Record record : records) {
            maxTimestamp = Math.max(maxTimestamp, record.timestamp());
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        buffer.putLong(baseOffset)
                .putInt((int) size - LOG_OVERHEAD)
                .putInt(0)
                .put(MAGIC)
                .putInt(records.size())
                .putLong(firstTimestamp)
                .putLong(maxTimestamp)
                .putLong(batch.producer().map(p -> p.position().sequence()).orElse(-1L))
                .put((byte) producerId.length)
                .put(producerId)
                .putShort((short) position.length)
                .put(position);
        for (int i = 0; i < records.size(); i++) {
            writeRecord(buffer, records.get(i), i, firstTimestamp);
        }
        buffer.putInt(CRC_OFFSET, crc(buffer, buffer.position()));
        return buffer.flip();
    }

    /**
     * The bytes a record takes in a batch; fetch size limits count these.
     *
     * @param record the record
     * @return its encoded size
     */
    public static int recordSize(Record record) {
        long size = RECORD_FIXED_BYTES + length(record.key()) + length(record.value());
        for (Map.Entry<String, byte[]> header : record.headers().entrySet()) {
            size += 2 + utf8Length(header.getKey()) + 4 + header.getValue().length;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("record size: " + size + " bytes (expected: <= " + Integer.MAX_VALUE
                    + ")");
        }
        return (int) size;
    }

    /**
     * The CRC32C of a batch's bytes after the CRC field.
     *
     * @param batch a buffer whose index 0 is the batch's first byte
     * @param end   the index one past the batch's last byte
     * @return the CRC as stored in the CRC field
     */
    static int crc(ByteBuffer batch, int end) {
        CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().position(MAGIC_OFFSET).limit(end));
        return (int) crc.getValue();
    }

    private static void writeRecord(ByteBuffer buffer, Record record, int offsetDelta, long firstTimestamp) {
        buffer.putInt(recordSize(record) - 4)
                .putInt(offsetDelta)
                .putLong(record.timestamp() - firstTimestamp);
        putBytes(buffer, record.key());
        buffer.putInt(record.headers().size());
        for (Map.Entry<String, byte[]> header : record.headers().entrySet()) {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short) name.length).put(name);
            putBytes(buffer, header.getValue());
        }
        putBytes(buffer, record.value());
    }

    private static void putBytes(ByteBuffer buffer, byte[] bytes) {
        if (bytes == null) {
            buffer.putInt(-1);
        } else {
            buffer.putInt(bytes.length).put(bytes);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int utf8Length(String name) {
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("header name length: " + length + " bytes (expected: <= 65535)");
        }
        return length;
    }
}

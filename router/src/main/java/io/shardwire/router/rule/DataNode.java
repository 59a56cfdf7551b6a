package io.shardwire.router.rule;

/**
 * One physical database on one shard group: where the router sends a statement. Tables placed
 * before data nodes existed live on the data node named like their logical schema.
 *
 * @param database   the physical database name; null only where a statement of a session without a
 *                   schema passes through to a shard group without choosing a database
 * @param shardGroup the shard group whose primary runs statements for it
 */
public record DataNode(String database, String shardGroup) {

    @Override
    public String toString() {
        return database + "@" + shardGroup;
    }
}

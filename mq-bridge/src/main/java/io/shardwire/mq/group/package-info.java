/**
 * Consumer groups: the committed offsets of each group, per topic partition, kept durably in one file per group.
 */
package io.shardwire.mq.group;

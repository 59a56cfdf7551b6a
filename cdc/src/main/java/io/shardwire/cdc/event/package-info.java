/**
 * Logical change events: the rows, names and source coordinates a consumer of the change topic reads, their JSON
 * form, and the hook that maps physical tables back to logical ones.
 */
package io.shardwire.cdc.event;

/**
 * JMH micro-benchmarks of Shardwire's hot paths: packet codec and row encoding, parse + route +
 * rewrite, and the result merges. Run them with {@code bench/jmh.sh}; figures go to
 * {@code docs/benchmarks.md} with the command, never into tests.
 */
package io.shardwire.bench;

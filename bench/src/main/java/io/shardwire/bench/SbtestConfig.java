package io.shardwire.bench;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;

/** The schema bench/sysbench.sh runs against: sysbench's sbtest tables sharded by id over 2 groups x 2 data nodes. */
final class SbtestConfig {

    static final ShardwireConfig CONFIG = ConfigLoader.parse("""
            server:
              users: [{name: sbtest, password: sbtest, schemas: [sbtest]}]
            shardGroups:
              - {name: g1, primary: {port: 3341, user: shardwire}}
              - {name: g2, primary: {port: 3342, user: shardwire}}
            schemas:
              - name: sbtest
                defaultShardGroup: g1
                dataNodes: {sbtest_0: g1, sbtest_1: g1, sbtest_2: g2, sbtest_3: g2}
                tables:
                  sbtest1: {kind: sharded, shardKey: id, algorithm: {type: mod}}
            """, "bench");

    private SbtestConfig() {
    }
}

package io.shardwire.proxy.frontend;

import io.shardwire.config.ConfigLoader;
import io.shardwire.router.rule.LogicalNames;
import io.shardwire.router.rule.ShardingRules;

/** The logical names of a schema {@code shop} with two data nodes and two sharded tables, for the column tests. */
final class ShopNames {

    private ShopNames() {
    }

    /** @return names for {@code shop} over data nodes {@code shop_0} and {@code shop_1}: tables orders and items */
    static LogicalNames ordersAndItems() {
        return new LogicalNames(new ShardingRules(ConfigLoader.parse("""
                server:
                  users: [{name: app, password: app}]
                shardGroups:
                  - {name: g0, primary: {port: 3310, user: u}}
                schemas:
                  - name: shop
                    defaultShardGroup: g0
                    dataNodes: {shop_0: g0, shop_1: g0}
                    tables:
                      orders: {kind: sharded, shardKey: id, algorithm: {type: mod}}
                      items: {kind: sharded, shardKey: id, algorithm: {type: mod}}
                """, "s.yaml")));
    }
}

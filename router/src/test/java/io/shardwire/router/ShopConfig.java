package io.shardwire.router;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test schema in {@code shop.yaml}: orders mod 4 over shop_0..3, its binding order_items, and every other kind. */
public final class ShopConfig {

    public static final ShardwireConfig CONFIG = load();

    private ShopConfig() {
    }

    private static ShardwireConfig load() {
        try (InputStream in = ShopConfig.class.getResourceAsStream("/shop.yaml")) {
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "shop.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

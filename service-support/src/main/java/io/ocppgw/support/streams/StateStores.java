package io.ocppgw.support.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** How both streams apps build their state stores. */
public final class StateStores {

    private StateStores() {}

    /**
     * A RocksDB store with a changelog and Streams' record cache in front: a key written several times
     * between two commits (a command's entry is created, routed, sent and removed within a few hundred
     * ms) reaches RocksDB and the changelog once, or not at all. Without the cache, the RocksDB flushes
     * and compactions of those writes took more CPU than the processing itself.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> persistent(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled();
    }

    /**
     * A store held in memory, for a global store of a few keys (it is filled from its topic at every
     * start): no record cache, no changelog of its own.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> inMemoryGlobal(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withCachingDisabled()
                .withLoggingDisabled();
    }

    /** A RocksDB store with a changelog and no record cache: for keys written once each, where a cache saves nothing. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> persistentUncached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingDisabled();
    }
}

package io.ocppgw.support.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB memory for the whole process: every store shares one block cache and
 * one write-buffer manager charged to it, so memory does not grow with the number of stores or
 * partitions. Sized by {@value #TOTAL_BYTES_CONFIG} (bytes; a quarter of it for memtables).
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    public static final String TOTAL_BYTES_CONFIG = "ocppgw.rocksdb.total.bytes";
    static final long ARENA_BLOCK_BYTES = 64 << 10;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void initShared(long totalBytes) {
        if (cache == null) {
            cache = new LRUCache(totalBytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(totalBytes / 4, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(TOTAL_BYTES_CONFIG);
        initShared(configured == null ? 64L << 20 : Long.parseLong(configured.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
        options.setMaxWriteBufferNumber(2);
        // A memtable takes memory in arena blocks of write_buffer_size/8 (2 MiB by default) even when
        // nearly empty; with dozens of stores that alone exceeded the shared write-buffer budget, so
        // RocksDB flushed tiny memtables non-stop and the flushes (and the compactions of their files)
        // cost more CPU than the processing. Small blocks let the budget hold real data.
        options.setArenaBlockSize(ARENA_BLOCK_BYTES);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the process; never closed here
    }
}

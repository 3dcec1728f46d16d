package org.alcor.controller.store;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.cache.query.ContinuousQuery;
import java.util.logging.Logger;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.QueryIndex;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cache.query.IndexQuery;
import org.apache.ignite.cache.query.IndexQueryCriteriaBuilder;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.TransactionConfiguration;
import org.apache.ignite.configuration.WALMode;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionDeadlockException;
import org.apache.ignite.transactions.TransactionIsolation;
import org.apache.ignite.transactions.TransactionTimeoutException;

/** {@link Store} on an embedded Apache Ignite server node, with native persistence unless told otherwise. */
public final class IgniteStore implements Store {
    private static final Logger LOG = Logger.getLogger(IgniteStore.class.getName());
    private static final int MAX_ATTEMPTS = 5;
    /** A UUID string (36 bytes) plus Ignite's type and length header, with room for short names. */
    private static final int INDEX_INLINE_BYTES = 48;
    /**
     * Partitions per cache. Ignite's default of 1,024 made the first thousands of writes of a fresh store spend
     * most of their time creating partition files and metadata (profiled); 256 still spreads a cluster of ~25
     * nodes ten partitions each. Fixed: a persistent cache cannot change it later.
     */
    private static final int PARTITIONS = 256;

    private final Ignite ignite;
    private final Map<Table, IgniteCache<String, StoredRow>> tables = new EnumMap<>(Table.class);
    private final IgniteCache<String, AllocBlock> blocks;
    private final long txTimeoutMs;
    private final Replicas replicas;

    private IgniteStore(Ignite ignite, int backups, long txTimeoutMs) {
        this.ignite = ignite;
        this.txTimeoutMs = txTimeoutMs;
        for (Table table : Table.values()) tables.put(table, ignite.getOrCreateCache(rowCache(table, backups)));
        this.blocks = ignite.getOrCreateCache(blockCache(backups));
        this.replicas = new ClusterReplicas(ignite);
    }

    public static IgniteStore start(StoreSettings settings) {
        long started = System.nanoTime();
        Ignite ignite = Ignition.start(configuration(settings));
        try {
            ClusterActivation.await(ignite, settings);
        } catch (RuntimeException e) {
            ignite.close();
            throw e;
        }
        IgniteStore store = new IgniteStore(ignite, settings.backups(), settings.txTimeoutMs());
        LOG.info(() -> String.format("store ready in %d ms (node %s, persistent=%s, data=%s, cluster of %d)",
                (System.nanoTime() - started) / 1_000_000, settings.nodeName(), settings.persistent(),
                settings.dataDir(), ignite.cluster().nodes().size()));
        if (settings.clusterCa() == null) {
            LOG.warning("store: PLAINTEXT and UNAUTHENTICATED between nodes (--southbound-insecure): anything that reaches "
                    + settings.localAddress() + ":" + settings.discoveryPort() + " can join the cluster and read every table");
        }
        return store;
    }

    /**
     * A client node of the cluster the settings name (no data, no API): what {@code bin/alcor cluster} drives the
     * cluster's state and baseline with, as a replica would.
     */
    public static Ignite startClient(StoreSettings s) {
        String name = "alcor-admin-" + ProcessHandle.current().pid();
        return Ignition.start(configuration(s).setClientMode(true).setIgniteInstanceName(name).setConsistentId(name)
                .setDataStorageConfiguration(new DataStorageConfiguration())
                .setWorkDirectory(s.dataDir().resolve("ignite-admin").toAbsolutePath().toString()));
    }

    static IgniteConfiguration configuration(StoreSettings s) {
        var region = new DataRegionConfiguration().setName("alcor").setPersistenceEnabled(s.persistent())
                .setMaxSize(s.memoryMb() << 20).setInitialSize(Math.min(256L, s.memoryMb()) << 20);
        // LOG_ONLY (the default) survives a process kill, the OS holding the log; FSYNC survives power loss at the
        // cost measured in docs/benchmarks.md.
        var storage = new DataStorageConfiguration().setDefaultDataRegionConfiguration(region).setWalMode(WALMode.valueOf(s.walMode()))
                .setMetricsEnabled(false);
        var ipFinder = new TcpDiscoveryVmIpFinder().setAddresses(s.discovery());
        var discovery = new TcpDiscoverySpi().setIpFinder(ipFinder).setLocalAddress(s.localAddress())
                .setLocalPort(s.discoveryPort()).setLocalPortRange(20);
        var communication = new TcpCommunicationSpi().setLocalAddress(s.localAddress()).setLocalPort(s.commPort())
                .setLocalPortRange(20);
        var config = new IgniteConfiguration()
                .setIgniteInstanceName(s.nodeName())
                .setConsistentId(s.nodeName())
                .setWorkDirectory(s.dataDir().resolve("ignite").toAbsolutePath().toString())
                .setDataStorageConfiguration(storage)
                .setDiscoverySpi(discovery)
                .setCommunicationSpi(communication)
                .setMetricsLogFrequency(0)
                .setTransactionConfiguration(new TransactionConfiguration().setDefaultTxTimeout(s.txTimeoutMs()))
                .setGridLogger(new org.apache.ignite.logger.java.JavaLogger())
                .setPeerClassLoadingEnabled(false)
                // Ignite's defaults bind the thin-client/JDBC connector on every interface without authentication.
                .setClientConnectorConfiguration(s.clientPort() < 0 ? null : clientConnector(s));
        // Discovery and communication follow the context factory: mutual TLS between replicas only.
        if (s.clusterCa() != null) config.setSslContextFactory(ClusterTls.issue(s.clusterCa()));
        return config;
    }

    /** Bound to the local address only; with TLS between the nodes, a client must hold a replica certificate too. */
    private static ClientConnectorConfiguration clientConnector(StoreSettings s) {
        var connector = new ClientConnectorConfiguration().setHost(s.localAddress()).setPort(s.clientPort()).setPortRange(0);
        if (s.clusterCa() != null) connector.setSslEnabled(true).setUseIgniteSslContextFactory(true).setSslClientAuth(true);
        return connector;
    }

    private static CacheConfiguration<String, StoredRow> rowCache(Table table, int backups) {
        var fields = new LinkedHashMap<String, String>();
        for (Column c : table.indexed()) fields.put(c.field, c == Column.SHARED ? "java.lang.Boolean" : "java.lang.String");
        var config = new CacheConfiguration<String, StoredRow>(table.cacheName())
                .setAffinity(new RendezvousAffinityFunction(false, PARTITIONS))
                .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                .setBackups(backups);
        if (fields.isEmpty()) return config; // key lookups only: no SQL table, no index to maintain
        var entity = new QueryEntity(String.class.getName(), StoredRow.class.getName()).setTableName(table.name())
                .setFields(fields);
        List<QueryIndex> indexes = new ArrayList<>();
        for (Column c : table.indexed()) {
            // Inline whole UUIDs in the index pages: with Ignite's default (10 bytes) every comparison past the
            // prefix loads the row from page memory, which was the top cost of inserts in profiles.
            indexes.add(new QueryIndex(c.field).setName(indexName(table, c)).setInlineSize(INDEX_INLINE_BYTES));
        }
        entity.setIndexes(indexes);
        return config.setSqlSchema("ALCOR").setQueryEntities(List.of(entity));
    }

    private static CacheConfiguration<String, AllocBlock> blockCache(int backups) {
        var fields = new LinkedHashMap<String, String>();
        fields.put("scope", "java.lang.String");
        var entity = new QueryEntity(String.class.getName(), AllocBlock.class.getName()).setTableName("ALLOC_BLOCKS")
                .setFields(fields).setIndexes(List.of(new QueryIndex("scope").setName("ALLOC_BLOCKS_scope").setInlineSize(INDEX_INLINE_BYTES)));
        return new CacheConfiguration<String, AllocBlock>("alloc_blocks")
                .setAffinity(new RendezvousAffinityFunction(false, PARTITIONS))
                .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
                .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
                .setBackups(backups)
                .setSqlSchema("ALCOR")
                .setQueryEntities(List.of(entity));
    }

    IgniteCache<String, StoredRow> cache(Table table) { return tables.get(table); }

    Ignite ignite() { return ignite; }

    /** Reads and writes inside the current thread's Ignite transaction (pessimistic: reads lock). */
    private final StagedTx.Committed committed = new StagedTx.Committed() {
        @Override public StoredRow row(Table table, String id) { return cache(table).get(id); }

        @Override
        public Map<String, StoredRow> rows(Table table, java.util.SortedSet<String> ids) { return cache(table).getAll(ids); }

        @Override
        public List<StoredRow> find(Table table, Column column, Object value, int limit) { return IgniteStore.this.find(table, column, value, limit); }

        @Override public AllocBlock block(String key) { return blocks.get(key); }

        @Override public List<AllocBlock> blocks(String scope) { return committedBlocks(scope); }

        @Override
        public void write(Table table, java.util.SortedMap<String, StoredRow> puts, java.util.SortedSet<String> removes) {
            if (!puts.isEmpty()) cache(table).putAll(puts);
            if (!removes.isEmpty()) cache(table).removeAll(removes);
        }

        @Override
        public void writeBlocks(java.util.SortedMap<String, AllocBlock> puts, java.util.SortedSet<String> removes) {
            if (!puts.isEmpty()) blocks.putAll(puts);
            if (!removes.isEmpty()) blocks.removeAll(removes);
        }
    };

    @Override
    public <R> R transact(Function<StoreTx, R> work) {
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
                    TransactionIsolation.REPEATABLE_READ, txTimeoutMs, 0)) {
                var storeTx = new StagedTx(committed, null);
                R result = work.apply(storeTx);
                storeTx.flush();
                tx.commit();
                return result;
            } catch (RuntimeException e) {
                if (!isRetriable(e) || attempt == MAX_ATTEMPTS) throw e;
                LOG.fine(() -> "transaction retried after " + e);
            }
        }
    }

    private static boolean isRetriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransactionDeadlockException || t instanceof TransactionTimeoutException) return true;
        }
        return false;
    }

    @Override public Optional<StoredRow> get(Table table, String id) { return Optional.ofNullable(cache(table).get(id)); }

    @Override
    public List<StoredRow> find(Table table, Column column, Object value) { return find(table, column, value, 0); }

    @Override
    public List<StoredRow> find(Table table, Column column, Object value, int limit) {
        if (!table.isIndexed(column)) throw new IllegalArgumentException(table + " has no index on " + column);
        if (value == null) return List.of();
        // "Is there any": an IndexQuery would read the whole range whatever its limit (see ordered), a network's million ports.
        if (limit > 0) return ordered(table, column, value, null, limit);
        var query = new IndexQuery<String, StoredRow>(StoredRow.class)
                .setCriteria(IndexQueryCriteriaBuilder.eq(column.field, value));
        List<StoredRow> rows = new ArrayList<>();
        for (Cache.Entry<String, StoredRow> e : cache(table).query(query)) rows.add(e.getValue());
        return rows;
    }

    @Override
    public List<StoredRow> ordered(Table table, Column column, Object value, String after, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive: " + limit);
        if (column != null && !table.isIndexed(column)) throw new IllegalArgumentException(table + " has no index on " + column);
        if (column != null && value == null) return List.of();
        if (table.indexed().isEmpty()) return orderedByScan(table, after, limit);
        // SQL, not an IndexQuery: an IndexQuery reads its whole index range on each node whatever its limit
        // (measured: a page of 10 of 200,000 rows in 120-480 ms, of a million in 30-44 s), where H2 walks the
        // index from the marker and stops at the limit (2-6 ms). Ignite appends the key to every index and the
        // ORDER BY names the index's columns, so no sort runs; on a cluster each node sends its first rows and
        // the reducer merges them.
        String sql = column == null
                ? "SELECT _val FROM ALCOR." + table.name() + " WHERE _key > ? ORDER BY _key LIMIT ?"
                : "SELECT _val FROM ALCOR." + table.name() + " WHERE " + column.field + " = ? AND _key > ? ORDER BY "
                        + column.field + ", _key LIMIT ?";
        Object[] args = column == null ? new Object[] {after == null ? "" : after, limit}
                : new Object[] {value, after == null ? "" : after, limit};
        var query = new SqlFieldsQuery(sql).setArgs(args).setPageSize(Math.min(limit, 1024));
        List<StoredRow> rows = new ArrayList<>(Math.min(limit, 4096));
        try (var cursor = cache(table).query(query)) {
            for (List<?> row : cursor) rows.add((StoredRow) row.get(0));
        }
        return rows;
    }

    /** A table without indexes has no SQL table: its page is cut from a scan (such tables are looked up by key). */
    private List<StoredRow> orderedByScan(Table table, String after, int limit) {
        List<StoredRow> rows = new ArrayList<>();
        scan(table, row -> {
            if (after == null || row.id().compareTo(after) > 0) rows.add(row);
        });
        rows.sort(java.util.Comparator.comparing(StoredRow::id));
        return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
    }

    private static String indexName(Table table, Column column) { return table.name() + "_" + column.field; }

    @Override
    public List<AllocBlock> committedBlocks(String scope) {
        var query = new IndexQuery<String, AllocBlock>(AllocBlock.class)
                .setCriteria(IndexQueryCriteriaBuilder.eq("scope", scope));
        List<AllocBlock> result = new ArrayList<>();
        for (Cache.Entry<String, AllocBlock> e : blocks.query(query)) result.add(e.getValue());
        return result;
    }

    @Override
    public List<StoredRow> scan(Table table) {
        List<StoredRow> rows = new ArrayList<>();
        scan(table, rows::add);
        return rows;
    }

    @Override
    public void scan(Table table, Consumer<StoredRow> each) {
        // A cursor pages through the cache: a million rows never sit in one list.
        try (var cursor = cache(table).query(new ScanQuery<String, StoredRow>().setPageSize(1024))) {
            for (Cache.Entry<String, StoredRow> e : cursor) each.accept(e.getValue());
        }
    }

    @Override public long count(Table table) { return cache(table).sizeLong(); }

    private static final int NOTIFICATION_BATCH = 512;
    private static final long NOTIFICATION_INTERVAL_MILLIS = 5;

    @Override
    public AutoCloseable subscribe(Table table, Consumer<List<RowChange>> listener) {
        var query = new ContinuousQuery<String, StoredRow>();
        // Batched for remote listeners: with Ignite's defaults (page size 1, no interval) every change is its own
        // message to every other replica, whose engine then wakes once per row instead of once per commit (measured:
        // 4x the goal-state messages per host with a second replica). A batch goes when full or after the interval.
        query.setPageSize(NOTIFICATION_BATCH);
        query.setTimeInterval(NOTIFICATION_INTERVAL_MILLIS);
        query.setLocalListener(events -> {
            List<RowChange> changes = new ArrayList<>();
            for (CacheEntryEvent<? extends String, ? extends StoredRow> e : events) {
                StoredRow before = e.isOldValueAvailable() ? e.getOldValue() : null;
                StoredRow after = e.getEventType() == EventType.REMOVED ? null : e.getValue();
                changes.add(new RowChange(table, e.getKey(), before, after));
            }
            listener.accept(changes);
        });
        return cache(table).query(query);
    }

    @Override public boolean isReady() { return ignite.cluster().state() == ClusterState.ACTIVE; }

    @Override public Replicas replicas() { return replicas; }

    @Override public void close() { ignite.close(); }
}

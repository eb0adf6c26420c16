// Default files for ClickHouse's `config.d/sentry.xml` (Sentry keeps them in
// `config/clickhouse/`): one for local tables, one for distributed tables (a one-shard, one-replica
// cluster named cluster_one_sh, as snuba expects). Either caps the server at 30% of RAM.

export const CLICKHOUSE_LOC_CONFIG_XML =
  `<!-- ClickHouse settings for sentryctl (local tables). sentryctl never overwrites this file. -->
<clickhouse>
    <max_server_memory_usage_to_ram_ratio>0.3</max_server_memory_usage_to_ram_ratio>
</clickhouse>
`;

export const CLICKHOUSE_DIST_CONFIG_XML =
  `<!-- ClickHouse settings for sentryctl (distributed tables, SENTRY_DISTRIBUTED_CLICKHOUSE_TABLES).
     sentryctl never overwrites this file. -->
<clickhouse>
    <max_server_memory_usage_to_ram_ratio>0.3</max_server_memory_usage_to_ram_ratio>
    <remote_servers>
        <cluster_one_sh>
            <shard>
                <replica>
                    <host>localhost</host>
                    <port>9000</port>
                </replica>
            </shard>
        </cluster_one_sh>
    </remote_servers>
    <macros>
        <shard>1</shard>
        <replica>1</replica>
    </macros>
</clickhouse>
`;

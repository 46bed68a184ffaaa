-- The reading rule of the Parquet lake (ingest.lake, docs/ingest.md#the-raw-layer-as-a-parquet-lake): the current
-- rows of one lake table, in SQL that runs as it is on DuckDB and on Spark. ingest.lake.current_rows_sql fills in
-- {columns}: the columns of raw.<table>, in order; {key}: the table's lake key (ingest.lake.LAKE_KEYS);
-- {files}: every file of the table, DIR/<table>/batch=<N>/part-<i>.parquet (DuckDB: read_parquet('DIR/<table>/*/*.parquet'),
-- Spark: parquet.`DIR/<table>`).
-- A batch that changes a key writes every row the key holds now, or, when it holds none any more, one tombstone: the
-- key, NULL elsewhere, is_tombstone true. A key's current rows are those of the latest batch that wrote it, unless
-- that batch wrote its tombstone.
select {columns}
from (
    select
        *,
        max(lake_batch_id) over (partition by {key}) as latest_lake_batch_id
    from {files}
) as lake_versions
where lake_batch_id = latest_lake_batch_id
    and not is_tombstone

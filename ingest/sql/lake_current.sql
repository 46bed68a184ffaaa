-- The reading rule of the Parquet lake (ingest.lake; docs/ingest.md#the-raw-layer-as-a-parquet-lake): the current rows
-- of one lake table, in SQL that runs as it is on DuckDB and on Spark. ingest.lake.current_rows_sql fills in
-- {columns}: the columns of raw.<table> in order, each as lake_rows.<column>; {key}: the table's lake key
-- (ingest.lake.LAKE_KEYS); {files}: every file of the table, DIR/<table>/batch=<N>/part-<i>.parquet (on DuckDB
-- read_parquet('DIR/<table>/*/*.parquet'), on Spark parquet.`DIR/<table>`).
-- A batch that changes a key writes every row the key holds now, or, when it holds none any more, one tombstone: the
-- key, NULL elsewhere, is_tombstone true. A key's current rows are those of the latest batch that wrote it, unless
-- that batch wrote its tombstone. (A join rather than a window: only the narrow key and batch columns are grouped.)
select {columns}
from {files} as lake_rows
inner join (
    select
        {key} as lake_key,
        max(lake_batch_id) as latest_lake_batch_id
    from {files}
    group by {key}
) as latest_batches
    on lake_rows.{key} = latest_batches.lake_key
    and lake_rows.lake_batch_id = latest_batches.latest_lake_batch_id
where not lake_rows.is_tombstone

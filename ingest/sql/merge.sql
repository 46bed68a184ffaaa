-- The merge of one batch into the raw tables (ingest.land.land_batch): DuckDB's parser splits this file into its
-- statements, which run in order in one transaction. The loader_version parameter is ingest.LOADER_VERSION.

-- loaded_batch: the batch's readable files (ingest.chunk.CHUNK_COLUMNS); unchanged_batch: paths whose bytes did not
-- change; rejected_batch: the batch's rejections. report_id = first 16 hex digits of SHA-256(text),
-- computed by the worker processes (ingest.chunk.report_id).
create or replace temp table incoming as
select report_id, source_path, file_hash, byte_size
from loaded_batch;

create or replace temp table path_changes as
with previous as (
    select source_path, report_id as previous_report_id
    from raw.report_sources
    where source_path in (select source_path from incoming)
),

classified as (
    select
        incoming.source_path,
        incoming.report_id,
        previous.previous_report_id,
        exists (select 1 from raw.reports where reports.report_id = incoming.report_id) as report_existed,
        row_number() over (partition by incoming.report_id order by incoming.source_path) as copy_no
    from incoming
    left join previous on incoming.source_path = previous.source_path
)

select
    source_path,
    report_id,
    previous_report_id,
    report_existed,
    case
        when previous_report_id = report_id then 'unchanged'
        when previous_report_id is not null then 'replaced'
        when report_existed or copy_no > 1 then 'duplicate'
        else 'new'
    end as change
from classified;

-- the first path of each report not stored yet (window on the small columns, not the texts)
create or replace temp table stored_paths as
select source_path
from path_changes
where not report_existed
qualify row_number() over (partition by report_id order by source_path) = 1;

insert into raw.reports (
    report_id, source_path, file_hash, byte_size, encoding, has_bom, decode_note, script, raw_text, text, reader,
    reader_version, loader_version, ingested_at, source_url
)
select
    report_id, source_path, file_hash, byte_size, encoding, has_bom, decode_note, script,
    coalesce(raw_text_if_changed, text), text, reader, reader_version, $loader_version, now(), source_url
from loaded_batch
where source_path in (select source_path from stored_paths);

-- cells_batch: the table cells readers handed over (ingest.chunk.CELL_COLUMNS), landed with their report's text
insert into raw.report_table_cells
select report_id, table_no, row_no, col_no, cell_text
from cells_batch
where source_path in (select source_path from stored_paths);

-- pages_batch: the pages of paged documents (ingest.chunk.PAGE_COLUMNS), landed likewise
insert into raw.report_pages
select report_id, page_no, first_line_no, line_count
from pages_batch
where source_path in (select source_path from stored_paths);

-- a report read again from its canonical path (its reader's version changed, or --force) takes the cells, pages,
-- source URL and reader of the new reading
create or replace temp table reread_paths as
select path_changes.source_path, path_changes.report_id
from path_changes
inner join raw.reports
    on path_changes.report_id = reports.report_id
    and path_changes.source_path = reports.source_path
where path_changes.report_existed;

delete from raw.report_table_cells
where report_id in (select report_id from reread_paths);

insert into raw.report_table_cells
select report_id, table_no, row_no, col_no, cell_text
from cells_batch
where source_path in (select source_path from reread_paths);

delete from raw.report_pages
where report_id in (select report_id from reread_paths);

insert into raw.report_pages
select report_id, page_no, first_line_no, line_count
from pages_batch
where source_path in (select source_path from reread_paths);

update raw.reports
set reader = loaded_batch.reader, reader_version = loaded_batch.reader_version, source_url = loaded_batch.source_url
from loaded_batch
where reports.report_id = loaded_batch.report_id
    and loaded_batch.source_path in (select source_path from reread_paths)
    and (
        reports.reader <> loaded_batch.reader
        or reports.reader_version <> loaded_batch.reader_version
        or reports.source_url is distinct from loaded_batch.source_url
    );

insert into raw.report_sources
select source_path, report_id, file_hash, byte_size, $loader_version, now(), now()
from incoming
on conflict (source_path) do update set
    loaded_at = case
        when report_sources.report_id = excluded.report_id then report_sources.loaded_at
        else excluded.loaded_at
    end,
    report_id = excluded.report_id,
    file_hash = excluded.file_hash,
    byte_size = excluded.byte_size,
    loader_version = excluded.loader_version;

delete from raw.reports
where report_id in (select previous_report_id from path_changes where change = 'replaced')
    and report_id not in (select report_id from raw.report_sources);

delete from raw.report_table_cells
where report_id not in (select report_id from raw.reports);

delete from raw.report_pages
where report_id not in (select report_id from raw.reports);

update raw.reports
set source_path = canonical.source_path
from (
    select report_id, min(source_path) as source_path
    from raw.report_sources
    where report_id in (
        select report_id from path_changes
        union all
        select previous_report_id from path_changes where previous_report_id is not null
    )
    group by report_id
) as canonical
where reports.report_id = canonical.report_id
    and reports.source_path <> canonical.source_path;

delete from raw.ingest_rejections
where source_path in (select source_path from incoming)
    or source_path in (select source_path from unchanged_batch);

delete from raw.ingest_rejections
where source_path in (
    select rejected_batch.source_path
    from rejected_batch
    inner join raw.ingest_rejections as existing on rejected_batch.source_path = existing.source_path
    where existing.reason is distinct from rejected_batch.reason
        or existing.detail is distinct from rejected_batch.detail
        or existing.file_hash is distinct from rejected_batch.file_hash
);

insert into raw.ingest_rejections
select source_path, reason, detail, file_hash, byte_size, now()
from rejected_batch
where source_path not in (select source_path from raw.ingest_rejections);

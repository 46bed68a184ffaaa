-- The tables ingest lands in (ingest.land.LANDED_TABLES): ingest.land.connect runs this file whole on every
-- connection. Everything else in the warehouse is rebuilt by dbt.

create schema if not exists raw;

create table if not exists raw.reports (
    report_id varchar primary key,
    source_path varchar not null,
    file_hash varchar not null,
    byte_size bigint not null,
    encoding varchar not null,
    has_bom boolean not null,
    decode_note varchar,
    script varchar not null,
    raw_text varchar not null,
    text varchar not null,
    reader varchar not null,
    reader_version varchar not null,
    loader_version varchar not null,
    ingested_at timestamp with time zone not null,
    source_url varchar
);

-- added by loader 1.1.0's HTML reader 1.3.0: a warehouse landed before gets the column (NULL until read again)
alter table raw.reports add column if not exists source_url varchar;

create table if not exists raw.report_sources (
    source_path varchar primary key,
    report_id varchar not null,
    file_hash varchar not null,
    byte_size bigint not null,
    loader_version varchar not null,
    first_seen_at timestamp with time zone not null,
    loaded_at timestamp with time zone not null
);

-- Table cells a reader hands over as cells (HTML <table>, PDF and DOCX tables), spans already expanded.
create table if not exists raw.report_table_cells (
    report_id varchar not null,
    table_no integer not null,
    row_no integer not null,
    col_no integer not null,
    cell_text varchar not null,
    primary key (report_id, table_no, row_no, col_no)
);

-- The pages of a paged document (PDF): the line of the report's text each page starts on, so that a value's line
-- maps to its page. A page without text has line_count 0 and starts where the next page does.
create table if not exists raw.report_pages (
    report_id varchar not null,
    page_no integer not null,
    first_line_no integer not null,
    line_count integer not null,
    primary key (report_id, page_no)
);

create table if not exists raw.ingest_rejections (
    source_path varchar primary key,
    reason varchar not null,
    detail varchar not null,
    file_hash varchar,
    byte_size bigint,
    rejected_at timestamp with time zone not null
);

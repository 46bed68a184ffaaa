"""zfxxgk: the application around the loaders of `ingest`.

The CLI (cli), its settings (config), the dbt build (dbt_build, build_state), the work file and its publication
(publish, warehouse_lock), the digit-run splitter of the model int_table_runs_searched (digit_runs, run_search,
and spark_runs for Spark's transform) and what reads the published warehouse (serve: export, overview, summary).
zfxxgk imports ingest, never the reverse.
"""

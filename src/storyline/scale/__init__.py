"""Scale-out: `storyline bulk` runs the per-article stages of large archives on a Dask cluster
(`storyline.scale.bulk`) through Parquet shards (`storyline.scale.shards`), then stores them with
ingest's one writer. Dask loads only when a bulk run starts."""

-- Export every figure with its article's title to a Parquet file in the current folder.
COPY (
    SELECT a.title, f.*
    FROM figures f
    JOIN articles a USING (article_id)
    ORDER BY f.article_id, f.char_start
) TO 'figures_export.parquet' STORED AS PARQUET;

-- What kinds of numbers appear, and the largest of each kind with its sentence.
SELECT kind, mention, value, unit, qualifier, article_id, sentence
FROM (
    SELECT f.*,
           row_number() OVER (PARTITION BY kind ORDER BY value DESC, article_id, char_start) AS rank
    FROM figures f
) ranked
WHERE rank <= 3
ORDER BY kind, rank;

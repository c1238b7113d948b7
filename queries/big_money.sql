-- Every money figure of a million or more, largest first, with the sentence it stands in.
SELECT article_id, mention, value, unit, qualifier, sentence
FROM figures
WHERE kind = 'money' AND value >= 1e6
ORDER BY value DESC, article_id, char_start
LIMIT 50;

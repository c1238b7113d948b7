-- The longest articles, with their size in paragraphs, sentences and words.
SELECT article_id, title, paragraph_count, sentence_count, word_count, char_count
FROM articles
ORDER BY word_count DESC, article_id
LIMIT 10;

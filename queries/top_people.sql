-- Who is named most? People by number of mentions and of articles that mention them.
SELECT name,
       count(*)                   AS mentions,
       count(DISTINCT article_id) AS articles
FROM entities
WHERE label = 'PERSON'
GROUP BY name
ORDER BY mentions DESC, name
LIMIT 20;

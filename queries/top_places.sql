-- Which places does the corpus talk about? Locations by mentions and articles.
SELECT name,
       count(*)                   AS mentions,
       count(DISTINCT article_id) AS articles
FROM entities
WHERE label = 'LOC'
GROUP BY name
ORDER BY mentions DESC, name
LIMIT 20;

-- Which people are named with which places in the same paragraph?
SELECT p.name AS person,
       l.name AS place,
       count(DISTINCT p.article_id || '/' || CAST(p.paragraph_id AS VARCHAR)) AS paragraphs
FROM entities p
JOIN entities l
  ON l.article_id = p.article_id AND l.paragraph_id = p.paragraph_id
WHERE p.label = 'PERSON' AND l.label = 'LOC'
GROUP BY p.name, l.name
ORDER BY paragraphs DESC, person, place
LIMIT 25;

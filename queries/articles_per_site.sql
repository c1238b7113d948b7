-- Web pages and crawls: articles per site and month, newest first, with how many
-- authors wrote them and in which languages. The site is the page's own name
-- (og:site_name), else the host of its URL.
SELECT coalesce(site, nullif(split_part(url, '/', 3), ''), '(no site)') AS site,
       to_char(published, '%Y-%m')                                     AS month,
       count(*)                                                        AS articles,
       count(DISTINCT author)                                          AS authors,
       string_agg(DISTINCT language, ', ')                             AS languages
FROM articles
GROUP BY 1, 2
ORDER BY month DESC NULLS LAST, articles DESC, site
LIMIT 50;

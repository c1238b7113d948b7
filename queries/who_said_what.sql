-- Who said what? Attributions whose speaker is a named person or organisation
-- (pronouns and descriptions such as "the ambassador" resolved), most quoted
-- speakers first, with the article's title.
SELECT q.speaker_name,
       q.speaker_label,
       count(*) OVER (PARTITION BY q.speaker_name) AS quotes,
       q.kind,
       q.speaker,
       q.cue,
       q.content,
       q.article_id,
       a.title
FROM quotes q
JOIN articles a USING (article_id)
WHERE q.speaker_label IN ('PERSON', 'ORG')
ORDER BY quotes DESC, q.speaker_name, q.article_id, q.quote_id
LIMIT 50;

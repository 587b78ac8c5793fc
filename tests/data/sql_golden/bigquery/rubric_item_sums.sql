SELECT `item_id`, `criterion`, `period`, LOWER(TRIM(CAST(`rater_type` AS STRING))) AS `rater_type`, COUNT(CAST(`score` AS FLOAT64)) AS `count`, SUM(CAST(`score` AS FLOAT64)) AS `sum`, MIN(CAST(`score` AS FLOAT64)) AS `min`, MAX(CAST(`score` AS FLOAT64)) AS `max`, SUM(CASE WHEN CAST(`score` AS FLOAT64) IS NULL THEN 1 ELSE 0 END) AS `missing` FROM `ratings` GROUP BY 1, 2, 3, 4;
-- parameters: []

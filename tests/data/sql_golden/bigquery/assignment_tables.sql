SELECT `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1;
-- parameters: []
SELECT `region` AS `value`, `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1, 2;
-- parameters: []
SELECT COUNT(DISTINCT `prompt_len`) AS `distinct`, COUNT(CAST(`prompt_len` AS FLOAT64)) AS `n` FROM `assignments`;
-- parameters: []
SELECT `ranked`.`rn` AS `rn`, `ranked`.`x` AS `x` FROM (SELECT CAST(`prompt_len` AS FLOAT64) AS `x`, ROW_NUMBER() OVER (ORDER BY CAST(`prompt_len` AS FLOAT64) NULLS LAST) AS `rn` FROM `assignments` WHERE NOT CAST(`prompt_len` AS FLOAT64) IS NULL) AS `ranked` WHERE `ranked`.`rn` IN (%s, %s, %s, %s, %s);
-- parameters: [1, 3, 5, 7, 9]
SELECT CASE WHEN CAST(`prompt_len` AS FLOAT64) IS NULL THEN %s WHEN CAST(`prompt_len` AS FLOAT64) < %s THEN %s WHEN CAST(`prompt_len` AS FLOAT64) < %s THEN %s WHEN CAST(`prompt_len` AS FLOAT64) < %s THEN %s ELSE %s END AS `value`, `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1, 2;
-- parameters: ["missing", 1.0, "<= 1", 2.0, "in 1-2", 3.0, "in 2-3", "> 3"]
SELECT `arm` AS `arm`, COUNT(CAST(`tokens` AS FLOAT64)) AS `count`, SUM(CAST(`tokens` AS FLOAT64)) AS `sum`, SUM(CAST(`tokens` AS FLOAT64) * CAST(`tokens` AS FLOAT64)) AS `sum_sq` FROM `assignments` GROUP BY 1;
-- parameters: []

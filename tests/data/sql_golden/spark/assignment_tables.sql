SELECT `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1;
-- parameters: []
SELECT `region` AS `value`, `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1, 2;
-- parameters: []
SELECT COUNT(DISTINCT `prompt_len`) AS `distinct`, PERCENTILE(CAST(`prompt_len` AS DOUBLE), 0.0) AS `q0`, PERCENTILE(CAST(`prompt_len` AS DOUBLE), 0.25) AS `q1`, PERCENTILE(CAST(`prompt_len` AS DOUBLE), 0.5) AS `q2`, PERCENTILE(CAST(`prompt_len` AS DOUBLE), 0.75) AS `q3`, PERCENTILE(CAST(`prompt_len` AS DOUBLE), 1.0) AS `q4` FROM `assignments`;
-- parameters: []
SELECT CASE WHEN CAST(`prompt_len` AS DOUBLE) IS NULL THEN 'missing' WHEN CAST(`prompt_len` AS DOUBLE) < 1.0 THEN '<= 1' WHEN CAST(`prompt_len` AS DOUBLE) < 2.0 THEN 'in 1-2' WHEN CAST(`prompt_len` AS DOUBLE) < 3.0 THEN 'in 2-3' ELSE '> 3' END AS `value`, `arm` AS `arm`, COUNT(*) AS `count` FROM `assignments` GROUP BY 1, 2;
-- parameters: []
SELECT `arm` AS `arm`, COUNT(CAST(`tokens` AS DOUBLE)) AS `count`, SUM(CAST(`tokens` AS DOUBLE)) AS `sum`, SUM(CAST(`tokens` AS DOUBLE) * CAST(`tokens` AS DOUBLE)) AS `sum_sq` FROM `assignments` GROUP BY 1;
-- parameters: []

SELECT "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1;
-- parameters: []
SELECT "region" AS "value", "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1, 2;
-- parameters: []
SELECT COUNT(DISTINCT "prompt_len") AS "distinct", QUANTILE_CONT(CAST("prompt_len" AS DOUBLE), 0.0) AS "q0", QUANTILE_CONT(CAST("prompt_len" AS DOUBLE), 0.25) AS "q1", QUANTILE_CONT(CAST("prompt_len" AS DOUBLE), 0.5) AS "q2", QUANTILE_CONT(CAST("prompt_len" AS DOUBLE), 0.75) AS "q3", QUANTILE_CONT(CAST("prompt_len" AS DOUBLE), 1.0) AS "q4" FROM "assignments";
-- parameters: []
SELECT CASE WHEN CAST("prompt_len" AS DOUBLE) IS NULL THEN ? WHEN CAST("prompt_len" AS DOUBLE) < ? THEN ? WHEN CAST("prompt_len" AS DOUBLE) < ? THEN ? WHEN CAST("prompt_len" AS DOUBLE) < ? THEN ? ELSE ? END AS "value", "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1, 2;
-- parameters: ["missing", 1.0, "<= 1", 2.0, "in 1-2", 3.0, "in 2-3", "> 3"]
SELECT "arm" AS "arm", COUNT(CAST("tokens" AS DOUBLE)) AS "count", SUM(CAST("tokens" AS DOUBLE)) AS "sum", SUM(CAST("tokens" AS DOUBLE) * CAST("tokens" AS DOUBLE)) AS "sum_sq" FROM "assignments" GROUP BY 1;
-- parameters: []
